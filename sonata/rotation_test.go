package sonata

import (
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

func apply(r [3][3]float64, v [3]float64) [3]float64 {
	var out [3]float64
	for i := range 3 {
		out[i] = r[i][0]*v[0] + r[i][1]*v[1] + r[i][2]*v[2]
	}
	return out
}

// The specification's order: about z first, then y, then x, about the
// world's fixed axes.
func TestRotations(t *testing.T) {
	q90z, err := quaternionMatrix(math.Cos(math.Pi/4), 0, 0, math.Sin(math.Pi/4))
	if err != nil {
		t.Fatal(err)
	}
	q2x, err := quaternionMatrix(0, 2, 0, 0) // not normalised: 180° about x
	if err != nil {
		t.Fatal(err)
	}
	x, y, z := [3]float64{1, 0, 0}, [3]float64{0, 1, 0}, [3]float64{0, 0, 1}
	for _, c := range []struct {
		name    string
		r       [3][3]float64
		in, out [3]float64
	}{
		{"90° about z", eulerMatrix(0, 0, math.Pi/2), x, y},
		{"90° about y", eulerMatrix(0, math.Pi/2, 0), z, x},
		{"90° about x", eulerMatrix(math.Pi/2, 0, 0), y, z},
		{"z, then x", eulerMatrix(math.Pi/2, 0, math.Pi/2), x, z},
		{"z, then y", eulerMatrix(0, math.Pi/2, math.Pi/2), y, z},
		{"y, then x", eulerMatrix(math.Pi/2, math.Pi/2, 0), z, x},
		{"quaternion, 90° about z", q90z, x, y},
		{"quaternion, 180° about x", q2x, y, [3]float64{0, -1, 0}},
	} {
		got := apply(c.r, c.in)
		for k := range 3 {
			if math.Abs(got[k]-c.out[k]) > 1e-12 {
				t.Errorf("%s: %v goes to %v, want %v", c.name, c.in, got, c.out)
				break
			}
		}
	}
	for _, q := range [][4]float64{{0, 0, 0, 0}, {math.NaN(), 0, 0, 1}, {math.Inf(1), 0, 0, 0}} {
		if _, err := quaternionMatrix(q[0], q[1], q[2], q[3]); err == nil {
			t.Errorf("quaternion %v taken for a rotation", q)
		}
	}
}

// A node that does not recenter turns its morphology about the file's
// origin, not the soma.
func TestPlaceWithoutRecentering(t *testing.T) {
	cell := &morph.Cell{Sections: []morph.Section{
		{Type: "soma", Points: []morph.Point{{X: 2, Y: 0, Z: 0, Diam: 4}, {X: 4, Y: 0, Z: 0, Diam: 4}}},
		{Type: "dend", Points: []morph.Point{{X: 4, Y: 0, Z: 0, Diam: 1}, {X: 4, Y: 5, Z: 0, Diam: 1}}},
	}}
	n := Node{Position: [3]float64{10, 20, 30}, Rotation: eulerMatrix(0, 0, math.Pi/2)}
	for _, c := range []struct {
		recenter bool
		want     morph.Point
	}{
		{true, morph.Point{X: 5, Y: 21, Z: 30, Diam: 1}},  // (4,5) − (3,0) turned: (−5, 1)
		{false, morph.Point{X: 5, Y: 24, Z: 30, Diam: 1}}, // (4,5) turned: (−5, 4)
	} {
		n.Recenter = c.recenter
		got := Place(cell, n).Sections[1].Points[1]
		if math.Abs(got.X-c.want.X) > 1e-12 || math.Abs(got.Y-c.want.Y) > 1e-12 || got.Z != c.want.Z || got.Diam != c.want.Diam {
			t.Errorf("recenter %v: %+v, want %+v", c.recenter, got, c.want)
		}
	}
	if cell.Sections[1].Points[1].Y != 5 {
		t.Error("Place changed the cell it was given")
	}
}
