package render

import (
	"github.com/spikeframes/spikeframes/geom"
	"math"
	"testing"
)

func TestCurvePassesThroughKeysWithContinuousSpeed(t *testing.T) {
	times := []float64{0, 10, 25, 30, 60}
	values := []float64{0, 4, 9, 2, 2}
	c := newCurve(times, values)
	const h = 1e-6
	for i, x := range times {
		if got := c.at(x); math.Abs(got-values[i]) > 1e-12 {
			t.Errorf("at key %g: %g, want %g", x, got, values[i])
		}
		if i == 0 || i == len(times)-1 {
			// Ease out of the first key and into the last.
			inside := x + h
			if i > 0 {
				inside = x - h
			}
			if speed := math.Abs(c.at(inside)-values[i]) / h; speed > 1e-3 {
				t.Errorf("speed %g at end key %g, want 0", speed, x)
			}
			continue
		}
		left := (c.at(x) - c.at(x-h)) / h
		right := (c.at(x+h) - c.at(x)) / h
		if math.Abs(left-right) > 1e-3*math.Max(1, math.Abs(left)) {
			t.Errorf("speed jumps at key %g: %g before, %g after", x, left, right)
		}
	}
	// Between keys the curve stays within its neighbours' values.
	for i := 0; i+1 < len(times); i++ {
		lo, hi := math.Min(values[i], values[i+1]), math.Max(values[i], values[i+1])
		for s := 0.0; s <= 1; s += 0.01 {
			if v := c.at(times[i] + s*(times[i+1]-times[i])); v < lo-1e-9 || v > hi+1e-9 {
				t.Fatalf("overshoot between keys %g and %g: %g outside [%g, %g]", times[i], times[i+1], v, lo, hi)
			}
		}
	}
	// Monotone stretches pass through a key without stopping.
	if left := (c.at(10) - c.at(10-h)) / h; !(left > 0) {
		t.Errorf("speed %g at key 10 between rising neighbours, want > 0", left)
	}
	// Outside the keys the camera holds.
	if c.at(-5) != 0 || c.at(100) != 2 {
		t.Errorf("outside the keys: %g and %g, want 0 and 2", c.at(-5), c.at(100))
	}
}

func TestPathFollowsItsKeys(t *testing.T) {
	m := tube(10, 0.5, 11, 8)
	a, b := [3]float64{0, 0, 0}, [3]float64{10, 0, 0}
	for _, fov := range []float64{0, 30} {
		keys := []Key{
			{Frame: 0, View: View{Target: &a, Zoom: 1, FOV: fov}},
			{Frame: 50, View: View{Target: &b, Zoom: 8, Azimuth: 90, FOV: fov}},
		}
		p, err := FitPath(m, keys, 320, 180)
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			frame  float64
			target [3]float64
		}{{0, a}, {50, b}, {80, b}} {
			x, y, _ := p.At(tc.frame).project(geom.Vec(tc.target))
			if math.Abs(x-160) > 1e-6 || math.Abs(y-90) > 1e-6 {
				t.Errorf("fov %g, frame %g: target at (%g, %g), want the centre", fov, tc.frame, x, y)
			}
		}
		// Halfway the target is halfway, and the zoom between the keys'.
		mid := p.At(25)
		if x, _, _ := mid.project(geom.Vec{5, 0, 0}); math.Abs(x-160) > 1e-6 {
			t.Errorf("fov %g: halfway the picture centre is at x %g, want the tube's middle", fov, x)
		}
		if z0, z1, zm := p.At(0).scale, p.At(50).scale, mid.scale; !(zm > z0 && zm < z1) {
			t.Errorf("fov %g: scale halfway %g, want between %g and %g", fov, zm, z0, z1)
		}
	}
}

// TestPathHoldsStillBetweenEqualKeys: between two keys with the same
// view the camera is exactly the same, frame after frame, so that a moving
// camera's holds need not work out their coverage again.
func TestPathHoldsStillBetweenEqualKeys(t *testing.T) {
	m := tube(10, 0.5, 11, 8)
	a, b := [3]float64{0, 0, 0}, [3]float64{10, 0, 0}
	keys := []Key{
		{Frame: 0, View: View{Target: &a, Zoom: 1}},
		{Frame: 20, View: View{Target: &b, Zoom: 3, Azimuth: 30}},
		{Frame: 45, View: View{Target: &b, Zoom: 3, Azimuth: 30}},
		{Frame: 60, View: View{Target: &a, Zoom: 2}},
	}
	p, err := FitPath(m, keys, 320, 180)
	if err != nil {
		t.Fatal(err)
	}
	held := *p.At(20)
	for k := 20.0; k <= 45; k += 0.5 {
		if *p.At(k) != held {
			t.Fatalf("frame %g: the camera moved during the hold", k)
		}
	}
	if *p.At(10) == held || *p.At(50) == held {
		t.Error("the camera stood still outside the hold")
	}
}

func TestFitPathRefusals(t *testing.T) {
	m := tube(10, 0.5, 11, 8)
	for name, keys := range map[string][]Key{
		"none":            nil,
		"same frame":      {{Frame: 3}, {Frame: 3}},
		"planes differ":   {{Frame: 0, View: View{Plane: "xy"}}, {Frame: 9, View: View{Plane: "xz"}}},
		"perspective mix": {{Frame: 0, View: View{FOV: 30}}, {Frame: 9}},
		"bad zoom":        {{Frame: 0, View: View{Zoom: -1}}},
		"bad frame":       {{Frame: math.NaN()}},
	} {
		if _, err := FitPath(m, keys, 320, 180); err == nil {
			t.Errorf("%s: FitPath succeeded", name)
		}
	}
}
