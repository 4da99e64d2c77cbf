package geom

import (
	"math"
	"testing"
)

func TestVec(t *testing.T) {
	a, b := Vec{1, 2, 3}, Vec{-2, 0.5, 4}
	for _, tc := range []struct {
		name      string
		got, want Vec
	}{
		{"add", a.Add(b), Vec{-1, 2.5, 7}},
		{"sub", a.Sub(b), Vec{3, 1.5, -1}},
		{"scale", a.Scale(2), Vec{2, 4, 6}},
		{"add scaled", a.AddScaled(b, 2), Vec{-3, 3, 11}},
		{"cross", Vec{1, 0, 0}.Cross(Vec{0, 1, 0}), Vec{0, 0, 1}},
		{"min", a.Min(b), Vec{-2, 0.5, 3}},
		{"max", a.Max(b), Vec{1, 2, 4}},
		{"rotate", Vec{1, 0, 0}.Rotate(Vec{0, 0, 1}, math.Pi/2), Vec{0, 1, 0}},
	} {
		for k := range 3 {
			if math.Abs(tc.got[k]-tc.want[k]) > 1e-12 {
				t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
				break
			}
		}
	}
	if d := a.Dot(b); d != 11 {
		t.Errorf("dot %v, want 11", d)
	}
	if n := (Vec{3, 4, 0}).Norm(); n != 5 {
		t.Errorf("norm %v, want 5", n)
	}
	if u, ok := (Vec{0, 0, 2}).Unit(); !ok || u != (Vec{0, 0, 1}) {
		t.Errorf("unit %v %v", u, ok)
	}
	if _, ok := (Vec{}).Unit(); ok {
		t.Error("the zero vector has a direction")
	}
}
