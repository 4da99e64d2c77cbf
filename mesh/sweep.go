package mesh

import (
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
func (b *builder) vertex(p, n vec, probe uint32) uint32 {
	b.m.Positions = append(b.m.Positions, p.vec3())
	b.m.Normals = append(b.m.Normals, n.vec3())
	b.m.VertexProbe = append(b.m.VertexProbe, probe)
	return uint32(len(b.m.Positions) - 1)
}

func (b *builder) triangle(a, c, d uint32) {
	b.m.Triangles = append(b.m.Triangles, [3]uint32{a, c, d})
}

// frame is a ring's orientation: t along the centre line, u and v = t × u
// across it. A ring's vertex k sits at angle 2πk/sides from u towards v, so
// rings run counter-clockwise seen from the tip of t.
type frame struct{ t, u, v vec }

// ring adds sides vertices around centre c. Each sits at radius r along
// the unit direction o(k) in the frame's cross-section plane, stretched by
// miter along bend; its normal is o(k) tilted back along t by slope (the
// rate at which the radius grows along t) and, for spherical rings, lift
// replaces the whole normal by cos·o + lift·t. It returns the first index.
func (b *builder) ring(c vec, f frame, r float64, bend vec, miter, slope float64, probe uint32) uint32 {
	first := uint32(len(b.m.Positions))
	// o is a unit vector across t, so |o − slope·t| = √(1+slope²)
	inv := 1 / math.Sqrt(1+slope*slope)
	tilt := f.t.scale(-slope * inv)
	for k := range b.sides {
		o := f.u.scale(b.cos[k]).addScaled(f.v, b.sin[k])
		off := o
		if miter != 1 {
			off = off.addScaled(bend, (miter-1)*o.dot(bend))
		}
		b.vertex(c.addScaled(off, r), o.scale(inv).add(tilt), probe)
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
func (b *builder) sphere(c vec, r float64, probe uint32) {
	f := frame{t: vec{0, 0, 1}, u: vec{1, 0, 0}, v: vec{0, 1, 0}}
	south := b.vertex(c.addScaled(f.t, -r), f.t.scale(-1), probe)
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
	north := b.vertex(c.addScaled(f.t, r), f.t, probe)
	b.fan(prev, north, true)
}

// latitude adds the ring of a sphere of radius r at c at height z·r along
// f.t (z in (−1,1)); its normals are the sphere's.
func (b *builder) latitude(c vec, f frame, r, z float64, probe uint32) uint32 {
	first := uint32(len(b.m.Positions))
	rho := math.Sqrt(math.Max(0, 1-z*z))
	for k := range b.sides {
		o := f.u.scale(b.cos[k]).addScaled(f.v, b.sin[k])
		n := o.scale(rho).addScaled(f.t, z)
		b.vertex(c.addScaled(n, r), n, probe)
	}
	return first
}

// tube sweeps section sec's centre line l into rings and joins them; its
// ends are rounded, but for free tips with caps, which are closed by flat
// discs.
func (b *builder) tube(sec int, l *centreLine, caps bool) {
	n := len(l.pts)
	dirs := make([]vec, n-1)
	for j := range dirs {
		dirs[j], _ = l.pts[j+1].sub(l.pts[j]).unit()
	}
	f := frame{t: dirs[0], u: perpendicular(dirs[0])}
	f.v = f.t.cross(f.u)
	start := f

	var first, prev uint32
	for j := range n {
		steps := 0
		if j > 0 && j < n-1 {
			steps = roundSteps(l.pts[j].sub(l.pts[j-1]), l.pts[j+1].sub(l.pts[j]), b.sides)
		}
		switch {
		case j == 0:
		case steps > 0: // the first ring of a rounded bend ends the piece before it
			f = nextFrame(f, l.pts[j-1], l.pts[j], dirs[j-1])
		default:
			f = nextFrame(f, l.pts[j-1], l.pts[j], tangent(dirs, j))
		}
		bend, miter := vec{}, 1.0
		if steps == 0 && j > 0 && j < n-1 {
			if d, ok := dirs[j].sub(dirs[j-1]).unit(); ok {
				bend = d
				miter = math.Min(maxMiter, 1/math.Max(f.t.dot(dirs[j-1]), 1/maxMiter))
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
				cur := b.ring(l.pts[j], f, l.radius[j], vec{}, 1, slope, probe)
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
func roundSteps(a, c vec, sides int) int {
	d := a.dot(c)
	if d >= 0 {
		return 0
	}
	cos := d / (a.norm() * c.norm())
	return int(math.Ceil(math.Acos(math.Max(-1, cos)) / (2 * math.Pi / float64(sides))))
}

// bendAxis returns the unit axis about which direction in turns into out,
// and the angle it turns by. At a full reversal, or so near one that the
// plane of the turn is lost in rounding, the turn is about the axis across
// u, the ring's first direction (any direction across in).
func bendAxis(in, out, u vec) (vec, float64) {
	side := out.addScaled(in, -out.dot(in))
	if n := side.norm(); n > 1e-6 {
		side = side.scale(1 / n)
	} else if s, ok := u.addScaled(in, -u.dot(in)).unit(); ok {
		side = s
	} else {
		side = perpendicular(in)
	}
	axis, _ := in.cross(side).unit()
	return axis, math.Atan2(out.dot(side), out.dot(in))
}

// rotated returns the frame turned by angle about the unit axis.
func (f frame) rotated(axis vec, angle float64) frame {
	return frame{t: rotate(f.t, axis, angle), u: rotate(f.u, axis, angle), v: rotate(f.v, axis, angle)}
}

// rotate turns x by angle about the unit axis k (Rodrigues' formula).
func rotate(x, k vec, angle float64) vec {
	c, s := math.Cos(angle), math.Sin(angle)
	return x.scale(c).add(k.cross(x).scale(s)).addScaled(k, k.dot(x)*(1-c))
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
		centre := b.vertex(c, f.t.scale(dir), probe)
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
	pole := b.vertex(c.addScaled(f.t, dir*r), f.t.scale(dir), probe)
	b.fan(prev, pole, forward)
}

// tangent is the ring direction at point j > 0: the bisector of the
// pieces before and after it, which turn by at most a right angle (sharper
// bends are rounded, see roundSteps), or the last piece at the end.
func tangent(dirs []vec, j int) vec {
	if j == len(dirs) {
		return dirs[j-1]
	}
	t, _ := dirs[j-1].add(dirs[j]).unit()
	return t
}

// nextFrame carries frame f at point a to point c with tangent t by the
// double-reflection rotation-minimising method (Wang et al. 2008): no
// twist is added and nothing flips at sharp or reversing bends.
func nextFrame(f frame, a, c, t vec) frame {
	v1 := c.sub(a)
	c1 := v1.dot(v1)
	u := f.u.addScaled(v1, -2/c1*v1.dot(f.u))
	tl := f.t.addScaled(v1, -2/c1*v1.dot(f.t))
	v2 := t.sub(tl)
	if c2 := v2.dot(v2); c2 > 1e-24 {
		u = u.addScaled(v2, -2/c2*v2.dot(u))
	}
	u, ok := u.addScaled(t, -u.dot(t)).unit()
	if !ok {
		u = perpendicular(t)
	}
	return frame{t: t, u: u, v: t.cross(u)}
}

// radiusSlope is how fast the radius grows per unit of arc length around
// point j, bounded so that abrupt diameter steps keep sensible normals.
func radiusSlope(l *centreLine, j int) float64 {
	a, c := max(j-1, 0), min(j+1, len(l.pts)-1)
	var length float64
	for k := a + 1; k <= c; k++ {
		length += l.pts[k].sub(l.pts[k-1]).norm()
	}
	if length <= 0 {
		return 0
	}
	return math.Max(-2, math.Min(2, (l.radius[c]-l.radius[a])/length))
}
