package mesh

import (
	"errors"
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// Options control how a prepared cell is swept into triangles; the defaults
// are BlenderSpike's.
type Options struct {
	// Sides is the number of vertices per ring (default 16).
	Sides int
	// Caps closes the free tube ends with flat discs (default false).
	Caps bool
	// SimplifySoma draws every soma section as a sphere (default true).
	SimplifySoma bool
	// MinRadius raises every tube radius below it to it, in mesh units
	// (default 0: true sizes). A renderer sets it to about half a pixel so
	// that thin axons stay visible as unbroken lines.
	MinRadius float64
	// MaxEdge, when positive, sizes rings to the picture: a tube's rings get
	// just enough vertices (MinAdaptiveSides to Sides) that no ring edge is
	// longer than MaxEdge mesh units, and a sphere's (the simplified soma)
	// as many as that takes, up to MaxSides, so a large soma stays round. A
	// renderer sets it to about a pixel, so that a tube a few pixels across
	// is not cut into triangles far smaller than the samples that show it.
	MaxEdge float64
}

// MinAdaptiveSides is the fewest ring vertices MaxEdge leads to.
const MinAdaptiveSides = 6

// Limits on what Build accepts, checked before memory is allocated.
const (
	// MinSides and MaxSides bound Options.Sides.
	MinSides = 3
	MaxSides = 256
	// MaxVertices bounds the vertices of one mesh (about 1 GB of mesh).
	MaxVertices = 1 << 25
)

// SomaScale is the simplified soma's radius in units of its radius at the
// section's arc-length midpoint (BlenderSpike's choice).
const SomaScale = 1.5

// maxMiter bounds how much a ring at a sharp bend is stretched along the
// bend to keep the tube's thickness.
const maxMiter = 2

// minRadius is the smallest radius drawn, in mesh units.
const minRadius = 1e-6

// DefaultOptions returns BlenderSpike's defaults.
func DefaultOptions() Options {
	return Options{Sides: 16, Caps: false, SimplifySoma: true}
}

// Validate reports an option outside its allowed range.
func (o Options) Validate() error {
	if o.Sides < MinSides || o.Sides > MaxSides {
		return fmt.Errorf("sides %d: must be in %d…%d", o.Sides, MinSides, MaxSides)
	}
	if !(o.MinRadius >= 0) || math.IsInf(o.MinRadius, 0) {
		return fmt.Errorf("minimum radius %v: must be a number ≥ 0", o.MinRadius)
	}
	if !(o.MaxEdge >= 0) || math.IsInf(o.MaxEdge, 0) {
		return fmt.Errorf("maximum edge %v: must be a number ≥ 0", o.MaxEdge)
	}
	return nil
}

// HemisphereRings is the number of rings (the tube's end ring included) of
// the rounded end made at a joint; its pole adds one vertex.
func HemisphereRings(sides int) int { return max(2, sides/4) }

// SphereRings is the number of latitude bands of a sphere (the simplified
// soma, or a section with a single distinct point): it has
// (SphereRings−1)·sides + 2 vertices.
func SphereRings(sides int) int { return max(2, sides/2) }

// Build sweeps a prepared cell (see morph.Prepare) into a Mesh.
//
// Every section with two or more distinct points becomes a tube: one ring of
// o.Sides vertices per distinct point, with radius Thickness × Diam / 2,
// oriented by rotation-minimising frames. A tube end that touches another
// section (a branch point) is closed by a hemisphere, so branches meet
// without gaps; other ends are left open, or closed by a flat disc when
// o.Caps is set. A section with a single distinct point becomes a ball of
// its radius. With o.SimplifySoma every section of type "soma" becomes a
// sphere at its arc-length midpoint, of radius SomaScale × Diam/2 there.
//
// Every vertex's probe gives its section (index in c.Sections) and its
// arc-length position in [0,1]; the vertices of a ring share one probe, and
// a simplified soma's share one probe at voltage.SectionMean.
func Build(c *morph.Cell, o Options) (*Mesh, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if c == nil || len(c.Sections) == 0 {
		return nil, errors.New("cell has no sections")
	}
	scale := c.Thickness
	if scale == 0 {
		scale = 1
	}
	if !(scale > 0) || math.IsInf(scale, 0) {
		return nil, fmt.Errorf("thickness %v: must be a positive number", c.Thickness)
	}
	lines := make([]centreLine, len(c.Sections))
	for i := range c.Sections {
		l, err := newCentreLine(&c.Sections[i], scale, max(minRadius, o.MinRadius), o.SimplifySoma)
		if err != nil {
			return nil, fmt.Errorf("section %d: %w", i, err)
		}
		most := o.Sides
		if l.kind != tube {
			most = MaxSides
		}
		l.sides = o.sidesFor(l.maxRadius, most)
		lines[i] = l
	}
	if hasTopology(c) {
		topologyJoints(c, lines)
	} else {
		findJoints(lines)
	}

	nv, nt, np := 0, 0, 0
	for i := range lines {
		v, t, p := lines[i].counts(o)
		nv, nt, np = nv+v, nt+t, np+p
		if nv > MaxVertices {
			return nil, fmt.Errorf("mesh would have more than %d vertices; lower the segmentation or the sides", MaxVertices)
		}
	}
	m := &Mesh{
		Positions:   make([]Vec3, 0, nv),
		Normals:     make([]Vec3, 0, nv),
		Triangles:   make([][3]uint32, 0, nt),
		Probes:      make([]voltage.Probe, 0, np),
		VertexProbe: make([]uint32, 0, nv),
	}
	builders := map[int]*builder{}
	for i := range lines {
		l := &lines[i]
		b := builders[l.sides]
		if b == nil {
			b = newBuilder(l.sides, m)
			builders[l.sides] = b
		}
		switch l.kind {
		case somaSphere:
			b.sphere(l.centre, l.sphere, b.probe(i, voltage.SectionMean))
		case ball:
			b.sphere(l.centre, l.sphere, b.probe(i, 0.5))
		case tube:
			b.tube(i, l, o.Caps)
		}
	}
	return m, nil
}

// sidesFor is the number of ring vertices for a section whose largest
// radius is r: Sides, or with MaxEdge set the fewest from MinAdaptiveSides
// to most that keep ring edges (2r·sin(π/sides)) within MaxEdge.
func (o Options) sidesFor(r float64, most int) int {
	if o.MaxEdge <= 0 || most <= MinAdaptiveSides {
		return o.Sides
	}
	n := MinAdaptiveSides
	for n < most && 2*r*math.Sin(math.Pi/float64(n)) > o.MaxEdge {
		n++
	}
	return n
}

// shape is how a section is drawn.
type shape int

const (
	tube shape = iota
	ball
	somaSphere
)

// centreLine is a section's distinct points in float64 with their tube
// radii and arc-length positions, and which of its ends are joints. A
// simplified soma keeps its centre line too, so that branches starting on
// it are found; it is drawn as the sphere at centre.
type centreLine struct {
	kind      shape
	pts       []vec
	radius    []float64
	pos       []float64 // arc-length fraction of each point
	lo, hi    vec       // bounding box of the points grown by the largest radius
	joint     [2]bool   // start, end touch another section
	sides     int       // vertices per ring
	maxRadius float64   // largest radius drawn (tube or sphere)
	centre    vec       // simplified soma or ball: the sphere's centre
	sphere    float64   // and its radius
}

func newCentreLine(s *morph.Section, scale, floor float64, simplifySoma bool) (centreLine, error) {
	if len(s.Points) == 0 {
		return centreLine{}, errors.New("no 3-D points")
	}
	for j, p := range s.Points {
		if !finite(p.X) || !finite(p.Y) || !finite(p.Z) || !finite(p.Diam) {
			return centreLine{}, fmt.Errorf("point %d: coordinate or diameter is not a finite number", j)
		}
	}
	var l centreLine
	var run float64
	for j, p := range s.Points {
		v := vec{p.X, p.Y, p.Z}
		r := math.Max(scale*p.Diam/2, floor)
		if j > 0 {
			last := l.pts[len(l.pts)-1]
			d := v.sub(last).norm()
			if d <= 1e-9*(1+math.Abs(v[0])+math.Abs(v[1])+math.Abs(v[2])) {
				continue // a repeated point: keep the first
			}
			run += d
		}
		l.pts = append(l.pts, v)
		l.radius = append(l.radius, r)
		l.pos = append(l.pos, run)
	}
	maxRad := 0.0
	for _, r := range l.radius {
		maxRad = math.Max(maxRad, r)
	}
	switch {
	case simplifySoma && s.Type == "soma":
		mid := s.At(0.5)
		l.kind = somaSphere
		l.centre = vec{mid.X, mid.Y, mid.Z}
		l.sphere = math.Max(SomaScale*mid.Diam/2, floor)
		maxRad = math.Max(maxRad, l.sphere)
	case len(l.pts) == 1:
		l.kind = ball
		l.centre = l.pts[0]
		l.sphere = l.radius[0]
		l.pos[0] = 0.5
	default:
		l.kind = tube
		for j := range l.pos {
			l.pos[j] = math.Min(1, l.pos[j]/run)
		}
	}
	l.lo = vec{math.Inf(1), math.Inf(1), math.Inf(1)}
	l.hi = vec{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, p := range l.pts {
		l.grow(p, maxRad)
	}
	if l.kind != tube {
		l.grow(l.centre, maxRad)
	}
	l.maxRadius = maxRad
	return l, nil
}

// grow widens the bounding box to hold a ball of radius r at p.
func (l *centreLine) grow(p vec, r float64) {
	for a := range 3 {
		l.lo[a] = math.Min(l.lo[a], p[a]-r)
		l.hi[a] = math.Max(l.hi[a], p[a]+r)
	}
}

// counts returns the vertices, triangles and probes the section will add.
func (l *centreLine) counts(o Options) (v, t, p int) {
	s := l.sides
	sphereV := (SphereRings(s)-1)*s + 2
	sphereT := 2 * s * (SphereRings(s) - 1)
	if l.kind != tube {
		return sphereV, sphereT, 1
	}
	n := len(l.pts)
	v, t, p = n*s, 2*s*(n-1), n
	h := HemisphereRings(s)
	for _, j := range l.joint {
		switch {
		case j:
			v += (h-1)*s + 1
			t += 2*s*(h-1) + s
		case o.Caps:
			v++
			t += s
		}
	}
	return v, t, p
}

// hasTopology reports whether the recording says how sections connect (a
// recorder that writes "parent" keys gives every section but the roots a
// parent).
func hasTopology(c *morph.Cell) bool {
	for i, s := range c.Sections {
		if s.Parent >= 0 && s.Parent != i {
			return true
		}
	}
	return false
}

// topologyJoints marks tube ends as joints from the recorded tree: every
// branch's start, and a parent's end where a branch attaches at it (its
// 0 or 1 end; a branch attached part-way along starts inside the tube).
func topologyJoints(c *morph.Cell, lines []centreLine) {
	const end = 1e-9
	for i, s := range c.Sections {
		if s.Parent < 0 || s.Parent == i || s.Parent >= len(lines) {
			continue
		}
		if lines[i].kind == tube {
			lines[i].joint[0] = true
		}
		if lines[s.Parent].kind != tube {
			continue
		}
		switch {
		case s.ParentX >= 1-end:
			lines[s.Parent].joint[1] = true
		case s.ParentX <= end:
			lines[s.Parent].joint[0] = true
		}
	}
}

// findJoints marks every tube end that lies on or inside another section:
// the start of a branch on its parent, the end of a parent where branches
// start, and sibling branches starting at the same point.
func findJoints(lines []centreLine) {
	for i := range lines {
		l := &lines[i]
		if l.kind != tube {
			continue
		}
		for e, j := range [2]int{0, len(l.pts) - 1} {
			l.joint[e] = touchesOther(lines, i, l.pts[j], l.radius[j])
		}
	}
}

// touchesOther reports whether point p, the end of section self with radius
// r there, lies within the larger of r and another section's radius of
// that section's centre line.
func touchesOther(lines []centreLine, self int, p vec, r float64) bool {
	for k := range lines {
		o := &lines[k]
		if k == self || !inBox(p, o.lo, o.hi, r) {
			continue
		}
		if o.kind != tube && p.sub(o.centre).norm() <= math.Max(r, o.sphere) {
			return true
		}
		if len(o.pts) == 1 && p.sub(o.pts[0]).norm() <= math.Max(r, o.radius[0]) {
			return true
		}
		for j := 1; j < len(o.pts); j++ {
			d, t := segmentDistance(p, o.pts[j-1], o.pts[j])
			ro := o.radius[j-1] + t*(o.radius[j]-o.radius[j-1])
			if d <= math.Max(r, ro) {
				return true
			}
		}
	}
	return false
}

func inBox(p, lo, hi vec, grow float64) bool {
	for a := range 3 {
		if p[a] < lo[a]-grow || p[a] > hi[a]+grow {
			return false
		}
	}
	return true
}

// segmentDistance returns the distance from p to the segment a–b and the
// fraction along it of the nearest point.
func segmentDistance(p, a, b vec) (float64, float64) {
	ab := b.sub(a)
	t := 0.0
	if l2 := ab.dot(ab); l2 > 0 {
		t = math.Max(0, math.Min(1, p.sub(a).dot(ab)/l2))
	}
	return p.sub(a.addScaled(ab, t)).norm(), t
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
