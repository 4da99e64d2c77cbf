package render

import (
	"fmt"
	"github.com/spikeframes/spikeframes/geom"
	"math"

	"github.com/spikeframes/spikeframes/mesh"
)

// Orbit is a camera that turns about the base view's up axis (the +Y axis
// of the default xy view) during a movie. Every angle shares one centre and
// one scale, chosen so that the cell stays in the picture at every angle
// without pumping or drifting.
type Orbit struct {
	view          View
	degrees       float64
	width, height int
	centre        geom.Vec
	scale         float64 // orthographic: pixels per unit; perspective: focal length in pixels
	dist          float64 // perspective: eye distance from the centre
}

// orbitSamples is how many angles per full turn the framing is checked at.
const orbitSamples = 72

// FitOrbit frames an orbit of degrees (either sign) starting from view v,
// in a width × height picture.
func FitOrbit(m *mesh.Mesh, v View, degrees float64, width, height int) (*Orbit, error) {
	if math.IsNaN(degrees) || math.IsInf(degrees, 0) {
		return nil, fmt.Errorf("orbit %v°: must be a number", degrees)
	}
	// FitCamera checks the view, size and mesh and gives the zoom default.
	if _, err := FitCamera(m, v, width, height); err != nil {
		return nil, err
	}
	if v.Zoom == 0 {
		v.Zoom = 1
	}
	o := &Orbit{view: v, degrees: degrees, width: width, height: height}
	lo := geom.Vec{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := geom.Vec{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, p := range m.Positions {
		for k := range 3 {
			lo[k], hi[k] = math.Min(lo[k], float64(p[k])), math.Max(hi[k], float64(p[k]))
		}
	}
	o.centre = lo.Add(hi).Scale(0.5)
	if v.Target != nil {
		o.centre = geom.Vec(*v.Target)
	}

	if v.FOV > 0 {
		// Perspective: stand far enough back that the bounding sphere
		// about the centre fits the picture's narrower angle at 90%.
		var r float64
		for _, p := range m.Positions {
			d := geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])}.Sub(o.centre)
			r = math.Max(r, math.Sqrt(d.Dot(d)))
		}
		focal := float64(height) / 2 / math.Tan(v.FOV*math.Pi/360)
		half := math.Atan(float64(min(width, height)) / 2 / focal)
		o.dist = math.Max(r, 1e-6) / math.Sin(fill*half)
		o.scale = focal * v.Zoom
		return o, nil
	}
	// Orthographic: the widest the cell gets about the centre, across the
	// orbit's angles, fits 90% of the picture.
	n := max(2, int(math.Ceil(math.Abs(degrees)/360*orbitSamples))+1)
	var maxX, maxY float64
	for i := range n {
		right, up, _, err := basis(o.viewAt(float64(i) / float64(n-1)))
		if err != nil {
			return nil, err
		}
		for _, p := range m.Positions {
			d := geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])}.Sub(o.centre)
			maxX, maxY = math.Max(maxX, math.Abs(d.Dot(right))), math.Max(maxY, math.Abs(d.Dot(up)))
		}
	}
	o.scale = v.Zoom * fill * math.Min(float64(width)/(2*math.Max(maxX, 1e-6)), float64(height)/(2*math.Max(maxY, 1e-6)))
	return o, nil
}

// viewAt is the view turned by the share t of the orbit.
func (o *Orbit) viewAt(t float64) View {
	v := o.view
	v.Azimuth += o.degrees * t
	return v
}

// At returns the camera at share t of the orbit (0: the starting view,
// 1: turned by the whole orbit).
func (o *Orbit) At(t float64) *Camera {
	right, up, forward, _ := basis(o.viewAt(t)) // the view was checked by FitOrbit
	cam := &Camera{Width: o.width, Height: o.height, right: right, up: up, forward: forward, scale: o.scale}
	if o.view.FOV > 0 {
		cam.perspective = true
		cam.eye = o.centre.Sub(forward.Scale(o.dist))
		cam.focusDist = o.dist
		return cam
	}
	cam.eye = o.centre
	return cam
}
