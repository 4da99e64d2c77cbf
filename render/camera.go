package render

import (
	"fmt"
	"github.com/spikeframes/spikeframes/geom"
	"math"

	"github.com/spikeframes/spikeframes/mesh"
)

// View says where the camera looks from. The zero Azimuth/Elevation/Roll
// with Plane "xy" looks down −Z with +Y up, NEURON's shape plot.
type View struct {
	// Plane is the base view: "xy" (default; looking down −Z, +Y up),
	// "xz" (looking along +Y, +Z up) or "yz" (looking along −X, +Z up).
	Plane string
	// Azimuth turns the camera about the base view's up axis, Elevation
	// tilts it up over the base view's right axis, Roll turns the picture
	// about the viewing axis (positive: the cell turns counter-clockwise);
	// all in degrees.
	Azimuth, Elevation, Roll float64
	// Zoom magnifies the fitted framing (1 frames the whole cell at about
	// 90% of the picture).
	Zoom float64
	// FOV is the vertical field of view in degrees for a perspective camera;
	// 0 means orthographic.
	FOV float64
	// Target, when set, is the point (mesh units) the camera looks at: it
	// lands at the picture's centre, zoom magnifies about it and an orbit
	// turns about it. At zoom 1 the whole cell still fits the picture. Nil
	// centres the cell's bounding box.
	Target *[3]float64
}

// fill is the share of the frame the fitted cell spans along its tighter axis.
const fill = 0.9

// Camera maps mesh coordinates to pixel coordinates of a Width × Height
// picture (x to the right, y down, pixel centres at +0.5).
type Camera struct {
	Width, Height int

	right, up, forward geom.Vec // orthonormal; forward points away from the viewer
	eye                geom.Vec // perspective: the centre of projection; ortho: the picture centre
	scale              float64
	perspective        bool
	focusDist          float64 // perspective: distance from the eye to the framed centre
	shiftX, shiftY     float64 // perspective: lens shift that centres the cell
}

// UnitsPerPixel is the size of one pixel in mesh units at the centre of
// the framed cell.
func (c *Camera) UnitsPerPixel() float64 {
	if c.perspective {
		return c.focusDist / c.scale
	}
	return 1 / c.scale
}

// Project maps the mesh-space point p to picture coordinates (pixels, x to
// the right, y down) and a depth that grows away from the viewer; a point
// behind a perspective camera gives NaN coordinates.
func (c *Camera) Project(p [3]float64) (x, y, depth float64) { return c.project(geom.Vec(p)) }

// project maps p to picture coordinates and a depth that grows away from
// the viewer (for a perspective camera, the distance along the view axis).
func (c *Camera) project(p geom.Vec) (x, y, depth float64) {
	d := p.Sub(c.eye)
	vx, vy, vz := d.Dot(c.right), d.Dot(c.up), d.Dot(c.forward)
	if c.perspective {
		if vz <= 0 {
			return math.NaN(), math.NaN(), vz
		}
		vx, vy = vx/vz-c.shiftX, vy/vz-c.shiftY
	}
	return float64(c.Width)/2 + vx*c.scale, float64(c.Height)/2 - vy*c.scale, vz
}

// basis returns the camera axes for a view.
func basis(v View) (right, up, forward geom.Vec, err error) {
	switch v.Plane {
	case "", "xy":
		right, up, forward = geom.Vec{1, 0, 0}, geom.Vec{0, 1, 0}, geom.Vec{0, 0, -1}
	case "xz":
		right, up, forward = geom.Vec{1, 0, 0}, geom.Vec{0, 0, 1}, geom.Vec{0, 1, 0}
	case "yz":
		right, up, forward = geom.Vec{0, 1, 0}, geom.Vec{0, 0, 1}, geom.Vec{-1, 0, 0}
	default:
		return right, up, forward, fmt.Errorf("unknown view %q (want xy, xz or yz)", v.Plane)
	}
	rad := math.Pi / 180
	if v.Azimuth != 0 {
		right, forward = right.Rotate(up, v.Azimuth*rad), forward.Rotate(up, v.Azimuth*rad)
	}
	if v.Elevation != 0 {
		up, forward = up.Rotate(right, -v.Elevation*rad), forward.Rotate(right, -v.Elevation*rad)
	}
	if v.Roll != 0 {
		right, up = right.Rotate(forward, v.Roll*rad), up.Rotate(forward, v.Roll*rad)
	}
	return right, up, forward, nil
}

// FitCamera returns a camera for view v that frames every vertex of m in a
// width × height picture: the cell's projected bounding box is centred and
// spans about 90% of the picture along its tighter axis (times v.Zoom).
func FitCamera(m *mesh.Mesh, v View, width, height int) (*Camera, error) {
	if width <= 0 || height <= 0 {
		return nil, fmt.Errorf("picture size %d×%d: both sides must be positive", width, height)
	}
	if v.Zoom == 0 {
		v.Zoom = 1
	}
	if !(v.Zoom > 0) || math.IsInf(v.Zoom, 0) {
		return nil, fmt.Errorf("zoom %v: must be a positive number", v.Zoom)
	}
	if v.FOV < 0 || v.FOV >= 180 || math.IsNaN(v.FOV) {
		return nil, fmt.Errorf("field of view %v°: must be in (0, 180), or 0 for orthographic", v.FOV)
	}
	if len(m.Positions) == 0 {
		return nil, fmt.Errorf("mesh has no vertices to frame")
	}
	right, up, forward, err := basis(v)
	if err != nil {
		return nil, err
	}
	cam := &Camera{Width: width, Height: height, right: right, up: up, forward: forward}
	if v.Target != nil {
		return cam.aim(m, v), nil
	}

	// Bounding box in view coordinates and the bounding-sphere centre.
	minX, maxX := math.Inf(1), math.Inf(-1)
	minY, maxY := math.Inf(1), math.Inf(-1)
	minZ, maxZ := math.Inf(1), math.Inf(-1)
	for _, p := range m.Positions {
		q := geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])}
		x, y, z := q.Dot(right), q.Dot(up), q.Dot(forward)
		minX, maxX = math.Min(minX, x), math.Max(maxX, x)
		minY, maxY = math.Min(minY, y), math.Max(maxY, y)
		minZ, maxZ = math.Min(minZ, z), math.Max(maxZ, z)
	}
	cx, cy, cz := (minX+maxX)/2, (minY+maxY)/2, (minZ+maxZ)/2
	centre := right.Scale(cx).Add(up.Scale(cy)).Add(forward.Scale(cz))
	w, h := math.Max(maxX-minX, 1e-6), math.Max(maxY-minY, 1e-6)

	if v.FOV == 0 {
		cam.eye = centre
		cam.scale = v.Zoom * fill * math.Min(float64(width)/w, float64(height)/h)
		return cam, nil
	}
	// Perspective: stand back along the view axis far enough that the
	// bounding box's front face would fit at this field of view, so nothing
	// is behind the eye; then fit exactly, scaling about a lens shift that
	// centres the projected cell (zoom scales too, it never moves the eye).
	cam.perspective = true
	focal := float64(height) / 2 / math.Tan(v.FOV*math.Pi/360)
	need := math.Max(w*focal/(fill*float64(width)), h*focal/(fill*float64(height)))
	dist := need + (maxZ-minZ)/2
	cam.eye = centre.Sub(forward.Scale(dist))
	cam.focusDist = dist
	minU, maxU := math.Inf(1), math.Inf(-1)
	minV, maxV := math.Inf(1), math.Inf(-1)
	for _, p := range m.Positions {
		d := geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])}.Sub(cam.eye)
		z := d.Dot(forward)
		pu, pv := d.Dot(right)/z, d.Dot(up)/z
		minU, maxU = math.Min(minU, pu), math.Max(maxU, pu)
		minV, maxV = math.Min(minV, pv), math.Max(maxV, pv)
	}
	cam.shiftX, cam.shiftY = (minU+maxU)/2, (minV+maxV)/2
	cam.scale = v.Zoom * fill * math.Min(float64(width)/math.Max(maxU-minU, 1e-12), float64(height)/math.Max(maxV-minV, 1e-12))
	return cam, nil
}

// aim points the camera at v.Target. Orthographic: the scale fits the
// cell's farthest extent from the target along each picture axis, so the
// whole cell shows at zoom 1. Perspective: the eye stands back from the
// target far enough that the cell's bounding sphere about the target fits
// the narrower angle, and zoom lengthens the lens.
func (c *Camera) aim(m *mesh.Mesh, v View) *Camera {
	target := geom.Vec(*v.Target)
	var maxX, maxY, r float64
	for _, p := range m.Positions {
		d := geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])}.Sub(target)
		maxX, maxY = math.Max(maxX, math.Abs(d.Dot(c.right))), math.Max(maxY, math.Abs(d.Dot(c.up)))
		r = math.Max(r, math.Sqrt(d.Dot(d)))
	}
	if v.FOV == 0 {
		c.eye = target
		c.scale = v.Zoom * fill * math.Min(float64(c.Width)/(2*math.Max(maxX, 1e-6)), float64(c.Height)/(2*math.Max(maxY, 1e-6)))
		return c
	}
	focal := float64(c.Height) / 2 / math.Tan(v.FOV*math.Pi/360)
	half := math.Atan(float64(min(c.Width, c.Height)) / 2 / focal)
	c.perspective = true
	c.focusDist = math.Max(r, 1e-6) / math.Sin(fill*half)
	c.eye = target.Sub(c.forward.Scale(c.focusDist))
	c.scale = focal * v.Zoom
	return c
}
