package render

import (
	"fmt"
	"github.com/spikeframes/spikeframes/geom"
	"math"
	"sort"

	"github.com/spikeframes/spikeframes/mesh"
)

// Key is the camera's view at one moment of a movie.
type Key struct {
	// Frame is the output frame the key holds at (fractions allowed).
	Frame float64
	// View is the camera there; every key's Plane must be the same. A key
	// without a Target looks at the centre of the cell's bounding box.
	View View
}

// Path is a camera that moves through keys: between them every quantity
// (target, zoom, azimuth, elevation, roll, field of view) follows a smooth
// curve whose speed never jumps — it eases out of the first key and into
// the last, passes through the others without stopping unless the motion
// turns there, and never overshoots a key's value. Before the first key and
// after the last the camera holds still. The framing at zoom 1 fits the
// cell's bounding sphere about the target (or the bounding box's centre),
// so turning the camera neither clips the cell nor pumps its size.
type Path struct {
	keys          []Key
	width, height int
	centre        geom.Vec // without targets: the bounding box's centre
	curves        [8]curve // target x, y, z, log zoom, azimuth, elevation, roll, fov
	positions     []geom.Vec
}

// FitPath makes the path through keys for m in a width × height picture.
func FitPath(m *mesh.Mesh, keys []Key, width, height int) (*Path, error) {
	if len(keys) == 0 {
		return nil, fmt.Errorf("camera path: no keys")
	}
	keys = append([]Key(nil), keys...)
	sort.SliceStable(keys, func(i, j int) bool { return keys[i].Frame < keys[j].Frame })
	for i, k := range keys {
		if k.View.Zoom == 0 {
			keys[i].View.Zoom = 1
		}
		if _, err := FitCamera(m, keys[i].View, width, height); err != nil {
			return nil, fmt.Errorf("camera key at frame %g: %w", k.Frame, err)
		}
		switch {
		case math.IsNaN(k.Frame) || math.IsInf(k.Frame, 0):
			return nil, fmt.Errorf("camera key at frame %v: not a frame number", k.Frame)
		case i > 0 && k.Frame == keys[i-1].Frame:
			return nil, fmt.Errorf("camera keys: two keys at frame %g", k.Frame)
		case k.View.Plane != keys[0].View.Plane:
			return nil, fmt.Errorf("camera key at frame %g: view %q differs from the first key's %q (turn with azimuth and elevation instead)", k.Frame, k.View.Plane, keys[0].View.Plane)
		case (k.View.FOV == 0) != (keys[0].View.FOV == 0):
			return nil, fmt.Errorf("camera key at frame %g: either every key is perspective or none is", k.Frame)
		}
	}
	p := &Path{keys: keys, width: width, height: height}
	p.positions = make([]geom.Vec, len(m.Positions))
	lo := geom.Vec{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := geom.Vec{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i, q := range m.Positions {
		p.positions[i] = geom.Vec{float64(q[0]), float64(q[1]), float64(q[2])}
		for k := range 3 {
			lo[k], hi[k] = math.Min(lo[k], p.positions[i][k]), math.Max(hi[k], p.positions[i][k])
		}
	}
	p.centre = lo.Add(hi).Scale(0.5)
	times := make([]float64, len(keys))
	values := make([][]float64, len(p.curves))
	for c := range values {
		values[c] = make([]float64, len(keys))
	}
	for i, k := range keys {
		times[i] = k.Frame
		target := p.centre
		if k.View.Target != nil {
			target = geom.Vec(*k.View.Target)
		}
		v := k.View
		for c, x := range []float64{target[0], target[1], target[2], math.Log(v.Zoom), v.Azimuth, v.Elevation, v.Roll, v.FOV} {
			values[c][i] = x
		}
	}
	for c := range p.curves {
		p.curves[c] = newCurve(times, values[c])
	}
	return p, nil
}

// At returns the camera at output frame f.
func (p *Path) At(f float64) *Camera {
	var x [8]float64
	for c := range p.curves {
		x[c] = p.curves[c].at(f)
	}
	target := geom.Vec{x[0], x[1], x[2]}
	v := View{Plane: p.keys[0].View.Plane, Zoom: math.Exp(x[3]), Azimuth: x[4], Elevation: x[5], Roll: x[6], FOV: x[7]}
	right, up, forward, _ := basis(v) // every key's view was checked by FitPath
	cam := &Camera{Width: p.width, Height: p.height, right: right, up: up, forward: forward}
	var r float64
	for _, q := range p.positions {
		d := q.Sub(target)
		r = math.Max(r, d.Dot(d))
	}
	r = math.Max(math.Sqrt(r), 1e-6)
	if v.FOV == 0 {
		cam.eye = target
		cam.scale = v.Zoom * fill * float64(min(p.width, p.height)) / (2 * r)
		return cam
	}
	focal := float64(p.height) / 2 / math.Tan(v.FOV*math.Pi/360)
	half := math.Atan(float64(min(p.width, p.height)) / 2 / focal)
	cam.perspective = true
	cam.focusDist = r / math.Sin(fill*half)
	cam.eye = target.Sub(forward.Scale(cam.focusDist))
	cam.scale = focal * v.Zoom
	return cam
}

// curve is a monotone piecewise-cubic Hermite curve through (t[i], v[i]):
// its slope is continuous, zero at the first and last knots (easing in
// and out) and at every knot where the values turn, and limited elsewhere
// so that it never overshoots (Fritsch–Carlson).
type curve struct {
	t, v, slope []float64
}

func newCurve(t, v []float64) curve {
	n := len(t)
	c := curve{t: t, v: v, slope: make([]float64, n)}
	for i := 1; i+1 < n; i++ {
		d0 := (v[i] - v[i-1]) / (t[i] - t[i-1])
		d1 := (v[i+1] - v[i]) / (t[i+1] - t[i])
		if d0*d1 <= 0 {
			continue // a turn (or a flat stretch): stop there
		}
		// Weighted harmonic mean of the neighbouring secants: never more
		// than three times the smaller one, which keeps the curve monotone.
		h0, h1 := t[i]-t[i-1], t[i+1]-t[i]
		w0, w1 := 2*h1+h0, h1+2*h0
		c.slope[i] = (w0 + w1) / (w0/d0 + w1/d1)
	}
	return c
}

// at evaluates the curve at x, holding the end values outside the knots.
func (c curve) at(x float64) float64 {
	n := len(c.t)
	if x <= c.t[0] {
		return c.v[0]
	}
	if x >= c.t[n-1] {
		return c.v[n-1]
	}
	i := sort.SearchFloat64s(c.t, x) - 1 // c.t[i] < x ≤ c.t[i+1]
	if c.v[i] == c.v[i+1] {
		return c.v[i] // a hold (its slopes are zero): exactly still
	}
	h := c.t[i+1] - c.t[i]
	s := (x - c.t[i]) / h
	h00 := (1 + 2*s) * (1 - s) * (1 - s)
	h10 := s * (1 - s) * (1 - s)
	h01 := s * s * (3 - 2*s)
	h11 := s * s * (s - 1)
	return h00*c.v[i] + h10*h*c.slope[i] + h01*c.v[i+1] + h11*h*c.slope[i+1]
}
