package mesh

import (
	"errors"
	"fmt"
	"github.com/spikeframes/spikeframes/geom"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// Options control how a prepared cell is swept into triangles; the defaults
// are BlenderSpike's, but that tips are rounded rather than left open.
type Options struct {
	// Sides is the number of vertices per ring (default 16).
	Sides int
	// Caps closes the free tips with flat discs, as BlenderSpike's Fill
	// caps does, instead of rounding them (default false).
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
	// as many as that takes, up to MaxSides, so a large soma stays round.
	// Along a tube, rings closer than MaxEdge merge where the tube runs
	// straight and keeps its radius to within MaxEdge/8, so that however
	// densely a section was sampled its rings come about MaxEdge apart.
	// And a sphere within MaxEdge/2 of an earlier one (in centre and
	// radius) is left out: a thousand balls at one place draw as one. A
	// renderer sets MaxEdge to about a pixel, so that a tube a few pixels
	// across is not cut into triangles far smaller than the samples that
	// show it.
	MaxEdge float64
	// FewestSides, when set (MinSides to MinAdaptiveSides), is the fewest
	// ring vertices MaxEdge leads to, instead of MinAdaptiveSides: a tube
	// or sphere less than a pixel or two across, whose roundness a picture
	// cannot show, then takes as few as three.
	FewestSides int
	// SomaOnly draws only the cell's soma sections (all of them when it has
	// none): for a cell a few pixels across, whose branches a picture
	// cannot tell apart.
	SomaOnly bool
	// MaxVertices, when positive, is the most vertices the mesh may have
	// (0 or more than the package's MaxVertices: MaxVertices). A mesh sized
	// to the picture (MaxEdge set) that would have more is made coarser
	// instead: its rings are sized to an edge longer than MaxEdge, in steps
	// of 2^¼, the shortest with which it fits. A cell whose mesh does not
	// fit even so (at the coarsest, every tube keeps only its two end rings
	// and every ring MinAdaptiveSides vertices), or does not fit without
	// MaxEdge, is refused with an error wrapping ErrTooLarge.
	MaxVertices int
}

// MinAdaptiveSides is the fewest ring vertices MaxEdge leads to.
const MinAdaptiveSides = 6

// Limits on what Build accepts, checked before memory is allocated.
const (
	// MinSides and MaxSides bound Options.Sides.
	MinSides = 3
	MaxSides = 256
	// MaxVertices bounds the vertices of one mesh: 2²⁴, under 0.9 GB of
	// mesh (28 bytes per vertex and 12 per triangle, with about two
	// triangles per vertex).
	MaxVertices = 1 << 24
	// PictureMaxVertices is the vertex limit for a mesh drawn in a picture
	// (Options.MaxVertices with MaxEdge set): 2²², 30 times what a
	// reconstructed cell needs at 1920×1080, and small enough that the
	// mesh and what a renderer derives from it stay within a few hundred
	// MB. A picture has about two million pixels; more triangles than that
	// are not seen one by one.
	PictureMaxVertices = 1 << 22
)

// ErrTooLarge is wrapped by the error Build and Estimate return for a cell
// whose mesh would have more vertices than Options.MaxVertices allows.
var ErrTooLarge = errors.New("mesh too large")

// Size is what Build makes of a cell: its counts, and the ring edge the
// detail was sized to.
type Size struct {
	Vertices, Triangles, Probes int
	// Edge is the ring edge, in mesh units, that rings were sized to (see
	// Options.MaxEdge): MaxEdge itself, or longer when the mesh was made
	// coarser to fit Options.MaxVertices (+Inf at the coarsest); 0 when
	// MaxEdge is 0.
	Edge float64
}

// SomaScale is the simplified soma's radius in units of its radius at the
// section's arc-length midpoint (BlenderSpike's choice).
const SomaScale = 1.5

// maxMiter bounds how much a ring at a bend is stretched along the bend to
// keep the tube's thickness, 1/cos of half the turn: up to a right angle
// (a stretch of √2) the ring lies in the plane halving the bend, where the
// two straight pieces of tube meet; a sharper bend is rounded instead (see
// roundSteps).
const maxMiter = math.Sqrt2

// minRadius is the smallest radius drawn, in mesh units.
const minRadius = 1e-6

// DefaultOptions returns the default options (see Options).
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
	if o.FewestSides != 0 && (o.FewestSides < MinSides || o.FewestSides > MinAdaptiveSides) {
		return fmt.Errorf("fewest sides %d: must be 0 or in %d…%d", o.FewestSides, MinSides, MinAdaptiveSides)
	}
	return nil
}

// HemisphereRings is the number of rings (the tube's end ring included) of
// a rounded tube end; its pole adds one vertex.
func HemisphereRings(sides int) int { return max(2, sides/4) }

// SphereRings is the number of latitude bands of a sphere (the simplified
// soma, or a section with a single distinct point): it has
// (SphereRings−1)·sides + 2 vertices.
func SphereRings(sides int) int { return max(2, sides/2) }

// Build sweeps a prepared cell (see morph.Prepare) into a Mesh.
//
// Every section with two or more distinct points becomes a tube: one ring of
// o.Sides vertices per distinct point, with radius Thickness × Diam / 2,
// oriented by rotation-minimising frames; a bend sharper than a right angle
// gets a ring every 360°/sides of the turn, turned about the bend point,
// which round it so that it keeps the tube's width. A tube end that
// touches another section (a branch point) is closed by a hemisphere, so
// branches meet without gaps; the free tips are rounded too, or closed by
// a flat disc when o.Caps is set. A section with a single distinct point
// becomes a ball of its radius. With o.SimplifySoma every section of type
// "soma" becomes a sphere at its arc-length midpoint, of radius SomaScale ×
// Diam/2 there.
//
// Every vertex's probe gives its section (index in c.Sections) and its
// arc-length position in [0,1]; the vertices of a ring (and of the rings
// rounding a bend) share one probe, and a simplified soma's share one probe
// at morph.SectionMean. The mesh's Junctions say where sections meet,
// for a sampler that reads a voltage continuous across them.
func Build(c *morph.Prepared, o Options) (*Mesh, error) {
	l, err := lay(c, o)
	if err != nil {
		return nil, err
	}
	lines := l.lines
	m := &Mesh{
		Positions:   make([]Vec3, 0, l.size.Vertices),
		Normals:     make([]Vec3, 0, l.size.Vertices),
		Triangles:   make([][3]uint32, 0, l.size.Triangles),
		Probes:      make([]morph.Probe, 0, l.size.Probes),
		VertexProbe: make([]uint32, 0, l.size.Vertices),
	}
	builders := map[int]*builder{}
	for i := range lines {
		l := &lines[i]
		if l.hidden {
			continue
		}
		b := builders[l.sides]
		if b == nil {
			b = newBuilder(l.sides, m)
			builders[l.sides] = b
		}
		switch l.kind {
		case somaSphere:
			b.sphere(l.centre, l.sphere, b.probe(i, morph.SectionMean))
		case ball:
			b.sphere(l.centre, l.sphere, b.probe(i, 0.5))
		case tube:
			b.tube(i, l, o.Caps)
		}
	}
	m.Junctions = l.joins.junctions(c, lines)
	return m, nil
}

// Estimate returns the size of the mesh Build(c, o) makes, and the detail
// it is sized to, without building it: it costs a small fraction of Build
// and allocates only in proportion to c's points.
func Estimate(c *morph.Prepared, o Options) (Size, error) {
	l, err := lay(c, o)
	if err != nil {
		return Size{}, err
	}
	return l.size, nil
}

// layout is a cell's centre lines, their joints and junctions found and
// their detail chosen, and the size of the mesh they make.
type layout struct {
	lines []centreLine
	joins *joins
	size  Size
}

// coarserSteps is how many times Build may lengthen the ring edge by 2^¼
// to fit MaxVertices (2¹²⁸ in all) before it tries the coarsest detail.
const coarserSteps = 4 * 128

// lay checks c and o, lays out c's centre lines and chooses their detail:
// o.MaxEdge, or the finest coarser one with which the mesh fits its vertex
// limit.
func lay(c *morph.Prepared, o Options) (*layout, error) {
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
		// Rings closer than the picture can show go before the joint
		// search, which compares every tube end with every piece.
		l.thin(o.MaxEdge)
		lines[i] = l
	}
	if o.SomaOnly {
		hideAllButSoma(c, lines)
	}
	js := newJoins(len(lines))
	if hasTopology(c) {
		topologyJoints(c, lines, js)
	} else {
		findJoints(lines, js)
	}
	if o.MaxEdge > 0 {
		hideRepeatedSpheres(lines, o.MaxEdge/2)
	}

	limit := o.MaxVertices
	if limit <= 0 || limit > MaxVertices {
		limit = MaxVertices
	}
	edge := o.MaxEdge
	size, fits := o.measure(lines, edge, limit)
	if !fits && o.MaxEdge > 0 {
		coarsest := math.Inf(1)
		if _, ok := o.measure(lines, coarsest, limit); !ok {
			return nil, fmt.Errorf("%w: more than %d vertices even at the coarsest detail", ErrTooLarge, limit)
		}
		// Edge at step k: MaxEdge·2^(k/4), the coarsest at the last step.
		at := func(k int) float64 {
			if k >= coarserSteps {
				return coarsest
			}
			return o.MaxEdge * math.Exp2(float64(k)/4)
		}
		// Fewer vertices the longer the edge: the first step that fits.
		// lo does not fit, hi does.
		lo, hi := 0, coarserSteps
		for hi-lo > 1 {
			mid := (lo + hi) / 2
			if _, ok := o.measure(lines, at(mid), limit); ok {
				hi = mid
			} else {
				lo = mid
			}
		}
		edge = at(hi)
		size, fits = o.measure(lines, edge, limit)
	}
	if !fits {
		return nil, fmt.Errorf("%w: more than %d vertices", ErrTooLarge, limit)
	}
	for i := range lines {
		lines[i].sides = o.sidesFor(lines[i].maxRadius, lines[i].most(o), edge)
		lines[i].thin(edge)
	}
	size.Edge = edge
	return &layout{lines: lines, joins: js, size: size}, nil
}

// measure counts the mesh the lines make with rings sized to edge, and
// reports whether its vertices are within limit (past the limit the count
// stops, at a number above it).
func (o Options) measure(lines []centreLine, edge float64, limit int) (Size, bool) {
	var s Size
	for i := range lines {
		l := &lines[i]
		sides := o.sidesFor(l.maxRadius, l.most(o), edge)
		rings, points := l.rings(edge, sides)
		v, t, p := l.counts(sides, rings, points, o.Caps)
		s.Vertices, s.Triangles, s.Probes = s.Vertices+v, s.Triangles+t, s.Probes+p
		if s.Vertices > limit {
			return s, false
		}
	}
	return s, true
}

// sidesFor is the number of ring vertices for a section whose largest
// radius is r: Sides, or with rings sized to edge (> 0) the fewest from
// MinAdaptiveSides (or FewestSides) to most that keep ring edges
// (2r·sin(π/sides)) within edge.
func (o Options) sidesFor(r float64, most int, edge float64) int {
	fewest := MinAdaptiveSides
	if o.FewestSides > 0 {
		fewest = o.FewestSides
	}
	if edge <= 0 || most <= fewest {
		return o.Sides
	}
	n := fewest
	for n < most && 2*r*math.Sin(math.Pi/float64(n)) > edge {
		n++
	}
	return n
}

// most is the most ring vertices the section may get: Sides for a tube,
// MaxSides for a sphere, which must stay round however large it is drawn.
func (l *centreLine) most(o Options) int {
	if l.kind == tube {
		return o.Sides
	}
	return MaxSides
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
	pts       []geom.Vec
	radius    []float64
	pos       []float64 // arc-length fraction of each point
	length    float64   // arc length of a tube
	lo, hi    geom.Vec  // bounding box of the points grown by the largest radius
	joint     [2]bool   // start, end touch another section
	sides     int       // vertices per ring
	maxRadius float64   // largest radius drawn (tube or sphere)
	centre    geom.Vec  // simplified soma or ball: the sphere's centre
	sphere    float64   // and its radius
	hidden    bool      // a sphere that repeats an earlier one, or a branch of a soma drawn alone: not drawn
	thinned   float64   // the ring edge the points were thinned for, if any
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
	l := centreLine{
		pts:    make([]geom.Vec, 0, len(s.Points)),
		radius: make([]float64, 0, len(s.Points)),
		pos:    make([]float64, 0, len(s.Points)),
	}
	var run float64
	for j, p := range s.Points {
		v := geom.Vec{p.X, p.Y, p.Z}
		r := math.Max(scale*p.Diam/2, floor)
		if j > 0 {
			last := l.pts[len(l.pts)-1]
			d := v.Sub(last).Norm()
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
		l.centre = geom.Vec{mid.X, mid.Y, mid.Z}
		l.sphere = math.Max(SomaScale*mid.Diam/2, floor)
		maxRad = math.Max(maxRad, l.sphere)
	case len(l.pts) == 1:
		l.kind = ball
		l.centre = l.pts[0]
		l.sphere = l.radius[0]
		l.pos[0] = 0.5
	default:
		l.kind = tube
		l.length = run
		for j := range l.pos {
			l.pos[j] = math.Min(1, l.pos[j]/run)
		}
	}
	l.lo = geom.Vec{math.Inf(1), math.Inf(1), math.Inf(1)}
	l.hi = geom.Vec{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
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
func (l *centreLine) grow(p geom.Vec, r float64) {
	for a := range 3 {
		l.lo[a] = math.Min(l.lo[a], p[a]-r)
		l.hi[a] = math.Max(l.hi[a], p[a]+r)
	}
}

// counts returns the vertices, triangles and probes the section adds
// with rings of s vertices, and for a tube n rings at points distinct
// points (a rounded bend has several rings at one point, sharing its
// probe). Both ends of a tube are rounded, but for a free tip with caps,
// which is closed by a flat disc.
func (l *centreLine) counts(s, n, points int, caps bool) (v, t, p int) {
	if l.hidden {
		return 0, 0, 0
	}
	sphereV := (SphereRings(s)-1)*s + 2
	sphereT := 2 * s * (SphereRings(s) - 1)
	if l.kind != tube {
		return sphereV, sphereT, 1
	}
	v, t, p = n*s, 2*s*(n-1), points
	h := HemisphereRings(s)
	for _, j := range l.joint {
		if caps && !j {
			v++
			t += s
		} else {
			v += (h-1)*s + 1
			t += 2*s*(h-1) + s
		}
	}
	return v, t, p
}

// skip reports whether, with rings sized to edge, a tube's point j needs
// no ring of its own after point k, the last that has one: j is not the
// tube's last point, the stretch from k to point j+1 is shorter than edge
// and so straight that none of it lies further than edge/8 from its chord
// (a path of length a whose ends are c apart keeps within √(a²−c²)/2 of
// the chord) and its ends are at least half its length apart (so that
// rings kept one after the other never coincide), and the radii of j and
// j+1 differ from k's by less than edge/8.
func (l *centreLine) skip(j, k int, edge float64) bool {
	if j >= len(l.pts)-1 {
		return false
	}
	tol := edge / 8
	arc := (l.pos[j+1] - l.pos[k]) * l.length
	chord := l.pts[j+1].Sub(l.pts[k]).Norm()
	return arc < edge && arc*arc-chord*chord <= 4*tol*tol && 2*chord >= arc &&
		math.Abs(l.radius[j]-l.radius[k]) < tol && math.Abs(l.radius[j+1]-l.radius[k]) < tol
}

// rings is the number of rings a tube of s-vertex rings gets with rings
// sized to edge, and the number of its points that get them (of a sphere:
// its points, which count for nothing).
func (l *centreLine) rings(edge float64, s int) (rings, points int) {
	if l.kind != tube {
		return len(l.pts), len(l.pts)
	}
	thin := edge > l.thinned
	points = 1
	prev, k := -1, 0 // the last two points with rings
	for j := 1; j < len(l.pts); j++ {
		if thin && l.skip(j, k, edge) {
			continue
		}
		if prev >= 0 {
			rings += roundSteps(l.pts[k].Sub(l.pts[prev]), l.pts[j].Sub(l.pts[k]), s)
		}
		points++
		prev, k = k, j
	}
	return rings + points, points
}

// thin keeps only the tube's points that get a ring with rings sized to
// edge (see rings); points thinned for an edge as long or longer stay.
func (l *centreLine) thin(edge float64) {
	if l.kind != tube || !(edge > l.thinned) {
		return
	}
	l.thinned = edge
	n, k := 1, 0 // points kept so far, index of the last kept
	for j := 1; j < len(l.pts); j++ {
		if l.skip(j, k, edge) {
			continue
		}
		l.pts[n], l.radius[n], l.pos[n] = l.pts[j], l.radius[j], l.pos[j]
		n, k = n+1, n
	}
	l.pts, l.radius, l.pos = l.pts[:n], l.radius[:n], l.pos[:n]
}

// hideAllButSoma hides every line of a section that is not the soma's,
// when the cell has a soma.
func hideAllButSoma(c *morph.Prepared, lines []centreLine) {
	hasSoma := false
	for _, s := range c.Sections {
		hasSoma = hasSoma || s.Type == "soma"
	}
	for i := range lines {
		lines[i].hidden = hasSoma && c.Sections[i].Type != "soma"
	}
}

// hideRepeatedSpheres hides every sphere (a simplified soma or a ball)
// whose centre lies within tol of an earlier shown sphere's and whose
// radius differs from it by tol or less: its surface lies within 2·tol of
// that sphere's, so drawn with rings sized to 2·tol it adds nothing to the
// picture but its cost (thousands of balls at one place, each filling the
// picture). Spheres are found through a grid of cells of side tol over
// centre and radius, so each costs a look at the 81 cells around it.
func hideRepeatedSpheres(lines []centreLine, tol float64) {
	type cell [4]int64
	shown := map[cell][]int{}
	key := func(l *centreLine) cell {
		var k cell
		for a, v := range [4]float64{l.centre[0], l.centre[1], l.centre[2], l.sphere} {
			k[a] = int64(math.Floor(v / tol))
		}
		return k
	}
	for i := range lines {
		l := &lines[i]
		if l.kind == tube {
			continue
		}
		k := key(l)
	search:
		for n := range 81 {
			near := k
			for a, d := 0, n; a < 4; a, d = a+1, d/3 {
				near[a] += int64(d%3 - 1)
			}
			for _, j := range shown[near] {
				o := &lines[j]
				if l.centre.Sub(o.centre).Norm() <= tol && math.Abs(l.sphere-o.sphere) <= tol {
					l.hidden = true
					break search
				}
			}
		}
		if !l.hidden {
			shown[k] = append(shown[k], i)
		}
	}
}

func inBox(p, lo, hi geom.Vec, grow float64) bool {
	for a := range 3 {
		if p[a] < lo[a]-grow || p[a] > hi[a]+grow {
			return false
		}
	}
	return true
}

// segmentDistance returns the distance from p to the segment a–b and the
// fraction along it of the nearest point.
func segmentDistance(p, a, b geom.Vec) (float64, float64) {
	ab := b.Sub(a)
	t := 0.0
	if l2 := ab.Dot(ab); l2 > 0 {
		t = math.Max(0, math.Min(1, p.Sub(a).Dot(ab)/l2))
	}
	return p.Sub(a.AddScaled(ab, t)).Norm(), t
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
