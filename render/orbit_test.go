package render

import (
	"github.com/spikeframes/spikeframes/geom"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
)

// lShape is an asymmetric cell: a tall trunk and a long side branch.
func lShape() *mesh.Mesh {
	m := cuboid(0, 0, -2, 4, 100, 2)
	side := cuboid(4, 40, -2, 60, 44, 2)
	m.Positions = append(m.Positions, side.Positions...)
	return m
}

func TestOrbitKeepsTheCellInThePicture(t *testing.T) {
	m := lShape()
	for _, tc := range []struct {
		name    string
		view    View
		degrees float64
	}{
		{"orthographic turn", View{}, 360},
		{"orthographic half turn back", View{Elevation: 20}, -180},
		{"perspective turn", View{FOV: 40}, 360},
		{"side view", View{Plane: "xz"}, 90},
	} {
		o, err := FitOrbit(m, tc.view, tc.degrees, 640, 360)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		var widest float64
		for i := range 101 {
			cam := o.At(float64(i) / 100)
			if i > 0 && cam.UnitsPerPixel() != o.At(0).UnitsPerPixel() {
				t.Errorf("%s: scale changes during the orbit", tc.name)
			}
			x0, y0, x1, y1 := extent(cam, m)
			if x0 < 0 || y0 < 0 || x1 > 640 || y1 > 360 {
				t.Errorf("%s at %d%%: cell spans (%.0f,%.0f)–(%.0f,%.0f), outside the picture", tc.name, i, x0, y0, x1, y1)
			}
			widest = math.Max(widest, math.Max((x1-x0)/640, (y1-y0)/360))
		}
		if widest < 0.6 {
			t.Errorf("%s: the cell never fills more than %.2f of the picture", tc.name, widest)
		}
	}
}

func TestOrbitTurnsAboutTheUpAxis(t *testing.T) {
	m := lShape()
	o, err := FitOrbit(m, View{}, 360, 640, 360)
	if err != nil {
		t.Fatal(err)
	}
	// A quarter turn brings the side branch (+X) from the right to facing
	// the viewer: its tip moves to the horizontal centre and comes nearer.
	tip := geom.Vec{60, 42, 0}
	x0, _, d0 := o.At(0).project(tip)
	x1, _, d1 := o.At(0.25).project(tip)
	if !(x0 > 400) || math.Abs(x1-320) > 1 || !(d1 < d0) {
		t.Errorf("tip at x %.1f (depth %.1f), after a quarter turn x %.1f (depth %.1f)", x0, d0, x1, d1)
	}
	// Heights do not change as the camera turns about +Y.
	_, y0, _ := o.At(0).project(tip)
	_, y1, _ := o.At(0.37).project(tip)
	if math.Abs(y0-y1) > 1e-6 {
		t.Errorf("height %.3f became %.3f", y0, y1)
	}
	if _, err := FitOrbit(m, View{}, math.Inf(1), 640, 360); err == nil {
		t.Error("infinite orbit accepted")
	}
}
