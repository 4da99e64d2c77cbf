package mesh

import (
	"github.com/spikeframes/spikeframes/geom"
	"github.com/spikeframes/spikeframes/morph"
	"math"
)

// builder appends vertices, triangles and probes to a mesh.
type builder struct {
	sides    int
	cos, sin []float64 // of each ring vertex's angle 2πk/sides
	m        *Mesh
}

func newBuilder(sides int, m *Mesh) *builder {
	b := &builder{sides: sides, cos: make([]float64, sides), sin: make([]float64, sides), m: m}
	for k := range sides {
		phi := 2 * math.Pi * float64(k) / float64(sides)
		b.cos[k], b.sin[k] = math.Cos(phi), math.Sin(phi)
	}
	return b
}

// probe adds a probe and returns its index.
func (b *builder) probe(section int, pos float32) uint32 {
	b.m.Probes = append(b.m.Probes, morph.Probe{Section: int32(section), Pos: pos})
	return uint32(len(b.m.Probes) - 1)
}

// vertex adds a vertex and returns its index.
func (b *builder) vertex(p, n geom.Vec, probe uint32) uint32 {
	b.m.Positions = append(b.m.Positions, toVec3(p))
	b.m.Normals = append(b.m.Normals, toVec3(n))
	b.m.VertexProbe = append(b.m.VertexProbe, probe)
	return uint32(len(b.m.Positions) - 1)
}

func (b *builder) triangle(a, c, d uint32) {
	b.m.Triangles = append(b.m.Triangles, [3]uint32{a, c, d})
}

// frame is a ring's orientation: t along the centre line, u and v = t × u
// across it. A ring's vertex k sits at angle 2πk/sides from u towards v, so
// rings run counter-clockwise seen from the tip of t.
type frame struct{ t, u, v geom.Vec }

// ring adds sides vertices around centre c. Each sits at radius r along
// the unit direction o(k) in the frame's cross-section plane, stretched by
// miter along bend; its normal is o(k) tilted back along t by slope (the
// rate at which the radius grows along t) and, for spherical rings, lift
// replaces the whole normal by cos·o + lift·t. It returns the first index.
func (b *builder) ring(c geom.Vec, f frame, r float64, bend geom.Vec, miter, slope float64, probe uint32) uint32 {
	first := uint32(len(b.m.Positions))
	// o is a unit vector across t, so |o − slope·t| = √(1+slope²)
	inv := 1 / math.Sqrt(1+slope*slope)
	tilt := f.t.Scale(-slope * inv)
	for k := range b.sides {
		o := f.u.Scale(b.cos[k]).AddScaled(f.v, b.sin[k])
		off := o
		if miter != 1 {
			off = off.AddScaled(bend, (miter-1)*o.Dot(bend))
		}
		b.vertex(c.AddScaled(off, r), o.Scale(inv).Add(tilt), probe)
	}
	return first
}

// strip joins ring a to ring c (consecutive indices from a and c) with
// triangles facing outward; forward says c lies further along the rings'
// t than a.
func (b *builder) strip(a, c uint32, forward bool) {
	s := uint32(b.sides)
	for k := range s {
		k1 := (k + 1) % s
		if forward {
			b.triangle(a+k, a+k1, c+k1)
			b.triangle(a+k, c+k1, c+k)
		} else {
			b.triangle(a+k, c+k1, a+k1)
			b.triangle(a+k, c+k, c+k1)
		}
	}
}

// fan closes ring a with triangles to the single vertex pole; forward says
// the pole lies further along the ring's t.
func (b *builder) fan(a, pole uint32, forward bool) {
	s := uint32(b.sides)
	for k := range s {
		k1 := (k + 1) % s
		if forward {
			b.triangle(a+k, a+k1, pole)
		} else {
			b.triangle(a+k, pole, a+k1)
		}
	}
}

// sphere adds a UV sphere of radius r at c whose vertices all use probe.
func (b *builder) sphere(c geom.Vec, r float64, probe uint32) {
	f := frame{t: geom.Vec{0, 0, 1}, u: geom.Vec{1, 0, 0}, v: geom.Vec{0, 1, 0}}
	south := b.vertex(c.AddScaled(f.t, -r), f.t.Scale(-1), probe)
	bands := SphereRings(b.sides)
	var prev uint32
	for j := 1; j < bands; j++ {
		alpha := math.Pi * float64(j) / float64(bands)
		first := b.latitude(c, f, r, -math.Cos(alpha), probe)
		if j == 1 {
			b.fan(first, south, false)
		} else {
			b.strip(prev, first, true)
		}
		prev = first
	}
	north := b.vertex(c.AddScaled(f.t, r), f.t, probe)
	b.fan(prev, north, true)
}

// latitude adds the ring of a sphere of radius r at c at height z·r along
// f.t (z in (−1,1)); its normals are the sphere's.
func (b *builder) latitude(c geom.Vec, f frame, r, z float64, probe uint32) uint32 {
	first := uint32(len(b.m.Positions))
	rho := math.Sqrt(math.Max(0, 1-z*z))
	for k := range b.sides {
		o := f.u.Scale(b.cos[k]).AddScaled(f.v, b.sin[k])
		n := o.Scale(rho).AddScaled(f.t, z)
		b.vertex(c.AddScaled(n, r), n, probe)
	}
	return first
}

// tube sweeps section sec's centre line l into rings and joins them; its
// ends are rounded, but for free tips with caps, which are closed by flat
// discs.
func (b *builder) tube(sec int, l *centreLine, caps bool) {
	n := len(l.pts)
	dirs := make([]geom.Vec, n-1)
	for j := range dirs {
		dirs[j], _ = l.pts[j+1].Sub(l.pts[j]).Unit()
	}
	f := frame{t: dirs[0], u: perpendicular(dirs[0])}
	f.v = f.t.Cross(f.u)
	start := f

	var first, prev uint32
	for j := range n {
		steps := 0
		if j > 0 && j < n-1 {
			steps = roundSteps(l.pts[j].Sub(l.pts[j-1]), l.pts[j+1].Sub(l.pts[j]), b.sides)
		}
		switch {
		case j == 0:
		case steps > 0: // the first ring of a rounded bend ends the piece before it
			f = nextFrame(f, l.pts[j-1], l.pts[j], dirs[j-1])
		default:
			f = nextFrame(f, l.pts[j-1], l.pts[j], tangent(dirs, j))
		}
		bend, miter := geom.Vec{}, 1.0
		if steps == 0 && j > 0 && j < n-1 {
			if d, ok := dirs[j].Sub(dirs[j-1]).Unit(); ok {
				bend = d
				miter = math.Min(maxMiter, 1/math.Max(f.t.Dot(dirs[j-1]), 1/maxMiter))
			}
		}
		probe := b.probe(sec, float32(l.pos[j]))
		slope := radiusSlope(l, j)
		cur := b.ring(l.pts[j], f, l.radius[j], bend, miter, slope, probe)
		if j == 0 {
			first = cur
		} else {
			b.strip(prev, cur, true)
		}
		prev = cur
		if steps > 0 {
			// Turn the ring about the bend point from the piece before to
			// the piece after: the outside of the bend becomes part of a
			// sphere of the tube's radius; the inside folds within the
			// tube, facing inward.
			axis, turn := bendAxis(dirs[j-1], dirs[j], f.u)
			base := f
			for k := 1; k <= steps; k++ {
				f = base.rotated(axis, turn*float64(k)/float64(steps))
				cur := b.ring(l.pts[j], f, l.radius[j], geom.Vec{}, 1, slope, probe)
				b.strip(prev, cur, true)
				prev = cur
			}
		}
	}
	last := prev
	b.end(l, 0, start, first, -1, caps)
	b.end(l, n-1, f, last, 1, caps)
}

// roundSteps is the number of steps a tube's bend is rounded in between
// the pieces a (into the bend) and c (out of it): 0 for a turn up to a
// right angle (a·c ≥ 0), which is mitred (see maxMiter), else one per
// 2π/sides of the turn, the angle between a ring's vertices.
func roundSteps(a, c geom.Vec, sides int) int {
	d := a.Dot(c)
	if d >= 0 {
		return 0
	}
	cos := d / (a.Norm() * c.Norm())
	return int(math.Ceil(math.Acos(math.Max(-1, cos)) / (2 * math.Pi / float64(sides))))
}

// bendAxis returns the unit axis about which direction in turns into out,
// and the angle it turns by. At a full reversal, or so near one that the
// plane of the turn is lost in rounding, the turn is about the axis across
// u, the ring's first direction (any direction across in).
func bendAxis(in, out, u geom.Vec) (geom.Vec, float64) {
	side := out.AddScaled(in, -out.Dot(in))
	if n := side.Norm(); n > 1e-6 {
		side = side.Scale(1 / n)
	} else if s, ok := u.AddScaled(in, -u.Dot(in)).Unit(); ok {
		side = s
	} else {
		side = perpendicular(in)
	}
	axis, _ := in.Cross(side).Unit()
	return axis, math.Atan2(out.Dot(side), out.Dot(in))
}

// rotated returns the frame turned by angle about the unit axis.
func (f frame) rotated(axis geom.Vec, angle float64) frame {
	return frame{t: rotate(f.t, axis, angle), u: rotate(f.u, axis, angle), v: rotate(f.v, axis, angle)}
}

// rotate turns x by angle about the unit axis k (Rodrigues' formula).
func rotate(x, k geom.Vec, angle float64) geom.Vec {
	c, s := math.Cos(angle), math.Sin(angle)
	return x.Scale(c).Add(k.Cross(x).Scale(s)).AddScaled(k, k.Dot(x)*(1-c))
}

// end closes the tube end at point j whose ring starts at index at: a
// hemisphere, or a flat disc at a free tip when caps are asked for. dir is
// −1 at the start (the end faces −t) and +1 at the end.
func (b *builder) end(l *centreLine, j int, f frame, at uint32, dir float64, caps bool) {
	probe := b.m.VertexProbe[at]
	forward := dir > 0
	c, r := l.pts[j], l.radius[j]
	joint := l.joint[0]
	if dir > 0 {
		joint = l.joint[1]
	}
	if caps && !joint {
		centre := b.vertex(c, f.t.Scale(dir), probe)
		b.fan(at, centre, forward)
		return
	}
	rings := HemisphereRings(b.sides)
	prev := at
	for k := 1; k < rings; k++ {
		theta := math.Pi / 2 * float64(k) / float64(rings)
		cur := b.latitude(c, f, r, dir*math.Sin(theta), probe)
		b.strip(prev, cur, forward)
		prev = cur
	}
	pole := b.vertex(c.AddScaled(f.t, dir*r), f.t.Scale(dir), probe)
	b.fan(prev, pole, forward)
}

// tangent is the ring direction at point j > 0: the bisector of the
// pieces before and after it, which turn by at most a right angle (sharper
// bends are rounded, see roundSteps), or the last piece at the end.
func tangent(dirs []geom.Vec, j int) geom.Vec {
	if j == len(dirs) {
		return dirs[j-1]
	}
	t, _ := dirs[j-1].Add(dirs[j]).Unit()
	return t
}

// nextFrame carries frame f at point a to point c with tangent t by the
// double-reflection rotation-minimising method (Wang et al. 2008): no
// twist is added and nothing flips at sharp or reversing bends.
func nextFrame(f frame, a, c, t geom.Vec) frame {
	v1 := c.Sub(a)
	c1 := v1.Dot(v1)
	u := f.u.AddScaled(v1, -2/c1*v1.Dot(f.u))
	tl := f.t.AddScaled(v1, -2/c1*v1.Dot(f.t))
	v2 := t.Sub(tl)
	if c2 := v2.Dot(v2); c2 > 1e-24 {
		u = u.AddScaled(v2, -2/c2*v2.Dot(u))
	}
	u, ok := u.AddScaled(t, -u.Dot(t)).Unit()
	if !ok {
		u = perpendicular(t)
	}
	return frame{t: t, u: u, v: t.Cross(u)}
}

// radiusSlope is how fast the radius grows per unit of arc length around
// point j, bounded so that abrupt diameter steps keep sensible normals.
func radiusSlope(l *centreLine, j int) float64 {
	a, c := max(j-1, 0), min(j+1, len(l.pts)-1)
	var length float64
	for k := a + 1; k <= c; k++ {
		length += l.pts[k].Sub(l.pts[k-1]).Norm()
	}
	if length <= 0 {
		return 0
	}
	return math.Max(-2, math.Min(2, (l.radius[c]-l.radius[a])/length))
}
