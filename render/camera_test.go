package render

import (
	"github.com/spikeframes/spikeframes/geom"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
)

// cuboid is a mesh of the eight corners of an axis-aligned box (no triangles:
// framing looks only at vertices).
func cuboid(x0, y0, z0, x1, y1, z1 float32) *mesh.Mesh {
	m := &mesh.Mesh{}
	for _, x := range []float32{x0, x1} {
		for _, y := range []float32{y0, y1} {
			for _, z := range []float32{z0, z1} {
				m.Positions = append(m.Positions, mesh.Vec3{x, y, z})
			}
		}
	}
	return m
}

// extent projects every vertex and returns the picture-space bounds.
func extent(cam *Camera, m *mesh.Mesh) (minX, minY, maxX, maxY float64) {
	minX, minY, maxX, maxY = math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range m.Positions {
		x, y, _ := cam.project(geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])})
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
	}
	return
}

func TestFitCameraFramesTheCell(t *testing.T) {
	// A tall box (as a pyramidal cell) off the origin.
	m := cuboid(100, -50, -5, 140, 350, 5)
	tests := []struct {
		name string
		view View
	}{
		{"xy", View{}},
		{"xz", View{Plane: "xz"}},
		{"yz", View{Plane: "yz"}},
		{"turned", View{Azimuth: 35, Elevation: -20, Roll: 10}},
		{"perspective", View{FOV: 40}},
		{"perspective turned", View{FOV: 60, Azimuth: 80, Elevation: 45}},
	}
	for _, tc := range tests {
		cam, err := FitCamera(m, tc.view, 1920, 1080)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		x0, y0, x1, y1 := extent(cam, m)
		if x0 < 0 || y0 < 0 || x1 > 1920 || y1 > 1080 {
			t.Errorf("%s: cell spans (%.0f,%.0f)–(%.0f,%.0f), outside the picture", tc.name, x0, y0, x1, y1)
		}
		// Centred, and filling about 90% along the tighter side.
		if cx, cy := (x0+x1)/2, (y0+y1)/2; math.Abs(cx-960) > 1 || math.Abs(cy-540) > 1 {
			t.Errorf("%s: centre (%.1f, %.1f), want (960, 540)", tc.name, cx, cy)
		}
		fillX, fillY := (x1-x0)/1920, (y1-y0)/1080
		if f := math.Max(fillX, fillY); f < 0.8 || f > 0.9+1e-9 {
			t.Errorf("%s: fills %.3f of the picture, want about 0.9", tc.name, f)
		}
	}
}

func TestViewsPointTheRightWay(t *testing.T) {
	// Two points: the origin and one unit along +Y (xy: up), +Z (xz, yz: up).
	tests := []struct {
		view   View
		up     geom.Vec // should appear above the origin
		right  geom.Vec // should appear right of the origin
		nearer geom.Vec // should be nearer the viewer than the origin
	}{
		{View{Plane: "xy"}, geom.Vec{0, 1, 0}, geom.Vec{1, 0, 0}, geom.Vec{0, 0, 1}},
		{View{Plane: "xz"}, geom.Vec{0, 0, 1}, geom.Vec{1, 0, 0}, geom.Vec{0, -1, 0}},
		{View{Plane: "yz"}, geom.Vec{0, 0, 1}, geom.Vec{0, 1, 0}, geom.Vec{1, 0, 0}},
		{View{Azimuth: 90}, geom.Vec{0, 1, 0}, geom.Vec{0, 0, -1}, geom.Vec{1, 0, 0}},
		{View{Elevation: 90}, geom.Vec{0, 0, -1}, geom.Vec{1, 0, 0}, geom.Vec{0, 1, 0}},
		{View{Roll: 90}, geom.Vec{1, 0, 0}, geom.Vec{0, -1, 0}, geom.Vec{0, 0, 1}}, // the cell turns counter-clockwise
	}
	m := cuboid(-1, -1, -1, 1, 1, 1)
	for _, tc := range tests {
		cam, err := FitCamera(m, tc.view, 100, 100)
		if err != nil {
			t.Fatal(err)
		}
		ox, oy, od := cam.project(geom.Vec{})
		ux, uy, _ := cam.project(tc.up)
		rx, ry, _ := cam.project(tc.right)
		_, _, nd := cam.project(tc.nearer)
		if !(uy < oy-1 && math.Abs(ux-ox) < 1e-6) {
			t.Errorf("%+v: %v is not straight up on screen", tc.view, tc.up)
		}
		if !(rx > ox+1 && math.Abs(ry-oy) < 1e-6) {
			t.Errorf("%+v: %v is not straight right on screen", tc.view, tc.right)
		}
		if !(nd < od) {
			t.Errorf("%+v: %v is not nearer the viewer", tc.view, tc.nearer)
		}
	}
}

func TestFitCameraRejectsBadViews(t *testing.T) {
	m := cuboid(0, 0, 0, 1, 1, 1)
	for _, v := range []View{{Plane: "top"}, {Zoom: -1}, {FOV: 180}, {FOV: math.NaN()}} {
		if _, err := FitCamera(m, v, 100, 100); err == nil {
			t.Errorf("%+v accepted", v)
		}
	}
	if _, err := FitCamera(&mesh.Mesh{}, View{}, 100, 100); err == nil {
		t.Error("empty mesh accepted")
	}
	if _, err := FitCamera(m, View{}, 0, 100); err == nil {
		t.Error("zero width accepted")
	}
}

func TestTargetLandsAtThePictureCentre(t *testing.T) {
	m := tube(10, 0.5, 11, 8) // along +X from 0 to 10
	target := [3]float64{8, 0, 0}
	for _, tc := range []struct {
		name string
		view View
	}{
		{"orthographic", View{Target: &target}},
		{"orthographic zoomed", View{Target: &target, Zoom: 4}},
		{"turned", View{Target: &target, Azimuth: 30, Elevation: 20, Roll: 10}},
		{"perspective", View{Target: &target, FOV: 40}},
		{"perspective zoomed", View{Target: &target, FOV: 40, Zoom: 3, Elevation: 45}},
	} {
		cam, err := FitCamera(m, tc.view, 640, 360)
		if err != nil {
			t.Fatal(err)
		}
		x, y, _ := cam.project(geom.Vec(target))
		if math.Abs(x-320) > 1e-6 || math.Abs(y-180) > 1e-6 {
			t.Errorf("%s: target at (%g, %g), want the centre (320, 180)", tc.name, x, y)
		}
		if tc.view.Zoom > 1 {
			continue
		}
		for _, p := range m.Positions {
			x, y, _ := cam.project(geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])})
			if x < 0 || x > 640 || y < 0 || y > 360 {
				t.Errorf("%s: vertex %v at (%g, %g) is outside the picture at zoom 1", tc.name, p, x, y)
				break
			}
		}
	}
}

func TestOrbitTurnsAboutTheTarget(t *testing.T) {
	m := tube(10, 0.5, 11, 8)
	target := [3]float64{2, 0, 0}
	for _, fov := range []float64{0, 30} {
		o, err := FitOrbit(m, View{Target: &target, FOV: fov}, 360, 640, 360)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []float64{0, 0.3, 0.8} {
			x, y, _ := o.At(s).project(geom.Vec(target))
			if math.Abs(x-320) > 1e-6 || math.Abs(y-180) > 1e-6 {
				t.Errorf("fov %g, t %g: target at (%g, %g), want the centre", fov, s, x, y)
			}
		}
	}
}
