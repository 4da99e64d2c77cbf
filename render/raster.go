package render

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"

	"github.com/spikeframes/spikeframes/geom"
	"github.com/spikeframes/spikeframes/mesh"
)

// noTri marks an anti-aliasing sample that sees no triangle (background).
const noTri = math.MaxUint32

// bandSampleRows is the height in sample rows of the horizontal bands the
// rasterizer works through one at a time (bandSampleRows/aa pixel rows); it
// bounds each worker's z-buffer and lets bands run in parallel.
const bandSampleRows = 64

// MaxSamples bounds width × height × aa², the anti-aliasing samples of a
// picture (2²⁸: 8K at aa 2, 4K at aa 4), so that a typo cannot ask for more
// memory than a machine has.
const MaxSamples = 1 << 28

// MaxAA is the most anti-aliasing samples per pixel side.
const MaxAA = 8

// CheckSamples reports whether a width × height picture can be rendered
// with aa × aa samples per pixel: aa in 1…MaxAA and at most MaxSamples
// samples in all. The message begins with "aa N:".
func CheckSamples(width, height, aa int) error {
	if aa < 1 || aa > MaxAA {
		return fmt.Errorf("aa %d: must be 1 (off) to %d samples per pixel side", aa, MaxAA)
	}
	if samples := int64(width) * int64(height) * int64(aa*aa); samples > MaxSamples {
		return fmt.Errorf("aa %d: %d×%d pixels with %d×%d samples each is %d samples, more than %d; lower the size or the anti-aliasing",
			aa, width, height, aa, aa, samples, MaxSamples)
	}
	return nil
}

// MaxCoverageTests bounds the work of one coverage pass, in sample tests
// (2³¹, about 7 s of one core): past it, or past 32 tests per sample for
// pictures of more than 2²⁶ samples, Cover refuses the mesh. Every
// front-facing triangle is tested at every sample it covers, hidden ones
// too, and setting up a triangle costs about as much as 200 tests, each of
// its sample rows 14 (measured), which the count includes. A reconstructed
// cell at 1920×1080 with 2×2 samples per pixel makes a few tens of
// millions at any zoom, a mesh of mesh.PictureMaxVertices about half the
// limit; a few hundred large sections stacked at one place make billions.
const MaxCoverageTests = 1 << 31

// ErrTooCostly is wrapped by the error Cover and CheckCoverage return
// for a mesh whose coverage pass would make more sample tests than
// MaxCoverageTests allows.
var ErrTooCostly = errors.New("coverage too costly")

// Coverage is what a fixed camera sees of a fixed mesh: for every pixel the
// mesh touches, which triangle each of its AA×AA samples sees and where on
// it. It is worked out once; every frame then only looks up voltages.
type Coverage struct {
	Width, Height int
	// AA is the supersampling factor: AA×AA samples per pixel.
	AA int

	// pixels lists the touched pixels (y·Width + x), ascending. For touched
	// pixel k, samples k·AA² … (k+1)·AA²−1 of the slices below belong to it.
	pixels []uint32
	tri    []uint32    // triangle seen by each sample, or noTri
	bary   [][2]uint16 // weights of the triangle's vertices 1 and 2 (×65535); vertex 0 has the rest
	// weight is each sample's share of its colour (×65535): lighting, depth
	// cue and opacity multiplied; nil when every sample shows its colour
	// whole.
	weight []uint16
	// cover is how much of each touched pixel the mesh covers (×65535):
	// the mean opacity of its samples, 0 for samples that see nothing. The
	// rest of the pixel shows the background.
	cover []uint16
}

// Touched is the number of pixels the mesh covers at least partly.
func (c *Coverage) Touched() int { return len(c.pixels) }

// Sampling says how Cover samples and shades a mesh.
type Sampling struct {
	// AA is the anti-aliasing: AA×AA samples per pixel, on a grid rotated
	// so that no two samples of a pixel share a row or a column (AA² levels
	// on nearly vertical and nearly horizontal edges, where a square grid
	// gives AA).
	AA int
	// Lit shades each sample with a key and a fill light; otherwise a
	// sample shows its colour itself (emission).
	Lit bool
	// DepthCue dims the farthest parts of the mesh by this share (0 to 1),
	// the nearest not at all, and the rest in proportion to their depth.
	DepthCue float64
	// Opacity, when not nil, holds for every vertex the share of the drawn
	// tube the true branch would cover (1 where the tube is drawn at its
	// true width, less where it was widened to stay visible): the vertex's
	// colour is weighted by it and the background shows through the rest,
	// so a widened branch is as bright overall as its true width.
	Opacity []float32
}

// Validate reports sampling options that have no meaning for m; the
// message begins with the option's name.
func (s Sampling) Validate(m *mesh.Mesh) error {
	if !(s.DepthCue >= 0 && s.DepthCue <= 1) {
		return fmt.Errorf("depth-cue %v: must be 0 (off) to 1", s.DepthCue)
	}
	if s.Opacity != nil && len(s.Opacity) != len(m.Positions) {
		return fmt.Errorf("opacity for %d vertices, mesh has %d", len(s.Opacity), len(m.Positions))
	}
	for i, a := range s.Opacity {
		if !(a >= 0 && a <= 1) {
			return fmt.Errorf("opacity %v of vertex %d: must be 0 to 1", a, i)
		}
	}
	return nil
}

// samplePos returns the offset within its pixel of sample r (0 ≤ r < aa²):
// sample r lies in the r-th of aa² equal sub-rows of the pixel, and the
// samples of sub-rows r = i + aa·j sit on a grid rotated by atan(1/aa), so
// that their columns are all different too.
func samplePos(aa, r int) (dx, dy float64) {
	n := float64(aa * aa)
	i, j := r%aa, r/aa
	return (float64(i*aa-j+aa-1) + 0.5) / n, (float64(r) + 0.5) / n
}

// Lighting for lit shading: a key light from the upper left in front and a
// weaker fill light from the lower right, over an ambient floor; scaled so
// that the brightest a surface can be is 1.
const (
	ambientShare = 0.1
	keyShare     = 0.8
	fillShare    = 0.25
)

// screenVertex is a vertex projected to picture coordinates. d is affine in
// picture space and grows away from the viewer (depth for an orthographic
// camera, −1/depth for a perspective one); iw weights perspective-correct
// interpolation (1/depth, or 1 for orthographic).
type screenVertex struct {
	x, y, d, iw float64
	far         float64 // the vertex's share of the mesh's depth range, 0 nearest
	ok          bool
}

// Cover works out the coverage of m seen by cam as s says, using up to
// workers goroutines (≤ 0: all cores); the result does not depend on the
// number of workers.
func Cover(m *mesh.Mesh, cam *Camera, s Sampling, workers int) (*Coverage, error) {
	c, err := NewCoverer(m, s, workers)
	if err != nil {
		return nil, err
	}
	return c.Cover(cam, nil)
}

// Coverer works out the coverage of one mesh seen by camera after camera,
// as a moving camera's frames need, keeping its buffers from one to the
// next. It is not safe for concurrent use.
type Coverer struct {
	mesh    *mesh.Mesh
	s       Sampling
	workers int
	verts   []screenVertex
	bands   [][]uint32
	results []bandCoverage
	rasters []*bandRasterizer // one per worker, for the last picture width
}

// NewCoverer prepares to cover m as s says with up to workers goroutines
// (≤ 0: all cores).
func NewCoverer(m *mesh.Mesh, s Sampling, workers int) (*Coverer, error) {
	if err := s.Validate(m); err != nil {
		return nil, err
	}
	if len(m.Triangles) >= noTri {
		return nil, fmt.Errorf("mesh has %d triangles, more than the rasterizer indexes", len(m.Triangles))
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return &Coverer{mesh: m, s: s, workers: workers, verts: make([]screenVertex, len(m.Positions))}, nil
}

// Cover works out the coverage seen by cam. When reuse is not nil, the
// coverage is written into its memory: reuse must be a coverage this
// coverer returned that nothing reads any more.
func (c *Coverer) Cover(cam *Camera, reuse *Coverage) (*Coverage, error) {
	m, aa := c.mesh, c.s.AA
	if err := CheckSamples(cam.Width, cam.Height, aa); err != nil {
		return nil, err
	}
	bandRows := max(1, bandSampleRows/aa)
	verts := c.verts
	near, far := math.Inf(1), math.Inf(-1)
	for i, p := range m.Positions {
		x, y, z := cam.project(geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])})
		v := screenVertex{x: x, y: y, d: z, iw: 1, far: z, ok: !math.IsNaN(x) && !math.IsNaN(y)}
		if v.ok {
			near, far = min(near, z), max(far, z)
		}
		if cam.perspective {
			v.d, v.iw = -1/z, 1/z
		}
		verts[i] = v
	}
	// Depth as a share of the visible depth range, for the depth cue.
	for i := range verts {
		z := verts[i].far
		verts[i].far = 0
		if far > near {
			verts[i].far = min(1, max(0, (z-near)/(far-near)))
		}
	}
	if err := c.binTriangles(cam, bandRows); err != nil {
		return nil, err
	}
	sh := newSampleShader(cam, c.s)
	bands := c.bands
	if cap(c.results) < len(bands) {
		c.results = make([]bandCoverage, len(bands))
	}
	results := c.results[:len(bands)]
	workers := min(c.workers, len(bands))
	if len(c.rasters) < workers || (len(c.rasters) > 0 && !c.rasters[0].fits(cam.Width, aa, bandRows)) {
		c.rasters = make([]*bandRasterizer, workers)
		for w := range c.rasters {
			c.rasters[w] = newBandRasterizer(cam.Width, aa, bandRows)
		}
	}
	rasterize := func(r *bandRasterizer, b int) {
		r.band(m, verts, bands[b], b*bandRows, min(cam.Height, (b+1)*bandRows), sh, &results[b])
	}
	if workers <= 1 {
		for b := range bands {
			rasterize(c.rasters[0], b)
		}
	} else {
		// Bands are independent: rasterize them in parallel, then
		// concatenate in band order so the result is the same for any
		// worker count.
		var wg sync.WaitGroup
		next := make(chan int)
		for w := range workers {
			wg.Go(func() {
				for b := range next {
					rasterize(c.rasters[w], b)
				}
			})
		}
		for b := range bands {
			next <- b
		}
		close(next)
		wg.Wait()
	}
	return gather(results, cam, aa, sh.weighted(), reuse), nil
}

// gather concatenates the bands' coverage in band order, into reuse's
// memory when there is one.
func gather(results []bandCoverage, cam *Camera, aa int, weighted bool, reuse *Coverage) *Coverage {
	cov := reuse
	if cov == nil {
		cov = &Coverage{}
	}
	*cov = Coverage{Width: cam.Width, Height: cam.Height, AA: aa,
		pixels: cov.pixels[:0], cover: cov.cover[:0], tri: cov.tri[:0], bary: cov.bary[:0], weight: cov.weight[:0]}
	n, ns := 0, 0
	for _, r := range results {
		n += len(r.pixels)
		ns += len(r.tri)
	}
	cov.pixels = slices.Grow(cov.pixels, n)
	cov.cover = slices.Grow(cov.cover, n)
	cov.tri = slices.Grow(cov.tri, ns)
	cov.bary = slices.Grow(cov.bary, ns)
	if weighted {
		cov.weight = slices.Grow(cov.weight, ns)
	} else {
		cov.weight = nil
	}
	for _, r := range results {
		cov.pixels = append(cov.pixels, r.pixels...)
		cov.cover = append(cov.cover, r.cover...)
		cov.tri = append(cov.tri, r.tri...)
		cov.bary = append(cov.bary, r.bary...)
		if weighted {
			cov.weight = append(cov.weight, r.weight...)
		}
	}
	return cov
}

// screen projects a mesh vertex into the picture.
func (cam *Camera) screen(p mesh.Vec3) screenVertex {
	x, y, z := cam.project(geom.Vec{float64(p[0]), float64(p[1]), float64(p[2])})
	v := screenVertex{x: x, y: y, d: z, iw: 1, ok: !math.IsNaN(x) && !math.IsNaN(y)}
	if cam.perspective {
		v.d, v.iw = -1/z, 1/z
	}
	return v
}

// CheckCoverage reports, without rasterizing, whether the coverage pass
// of m seen by cam at aa×aa samples per pixel would make more sample tests
// than MaxCoverageTests allows (an error wrapping ErrTooCostly). It costs
// one pass over the triangles and allocates nothing.
func CheckCoverage(m *mesh.Mesh, cam *Camera, aa int) error {
	return testLimit(cam, aa, coverageTests(m, cam, aa))
}

// What setting up a triangle and each of its sample rows costs, in sample
// tests (measured on balls and tubes of 16 to 256 sides at 1920×1080).
const (
	triangleTests = 200
	rowTests      = 14
)

// coverageTests estimates the work of a coverage pass of m seen by cam
// at aa × aa samples per pixel, in sample tests.
func coverageTests(m *mesh.Mesh, cam *Camera, aa int) float64 {
	w, h := float64(cam.Width*aa), float64(cam.Height*aa)
	var tests float64
	for _, tr := range m.Triangles {
		a, b, c := cam.screen(m.Positions[tr[0]]), cam.screen(m.Positions[tr[1]]), cam.screen(m.Positions[tr[2]])
		if area, ok := frontArea(a, b, c); ok {
			tests += sampleTests(a, b, c, area, w, h, float64(aa))
		}
	}
	return tests
}

// frontArea is twice the area of triangle (a, b, c) in the picture, and
// whether it faces the camera with all its vertices in view. Triangles are
// wound counter-clockwise seen from outside; the picture's y axis points
// down, so a front face has a negative edge function.
func frontArea(a, b, c screenVertex) (float64, bool) {
	area := -edge(a, b, c.x, c.y)
	return area, a.ok && b.ok && c.ok && area > 0
}

// testLimit refuses a coverage pass of tests sample tests.
func testLimit(cam *Camera, aa int, tests float64) error {
	samples := int64(cam.Width) * int64(cam.Height) * int64(aa*aa)
	if limit := max(MaxCoverageTests, 32*samples); tests > float64(limit) {
		return fmt.Errorf("%w: about %.3g sample tests, %.0f per sample of the picture (surfaces stacked over each other, hidden ones included), more than the limit of %d",
			ErrTooCostly, tests, tests/float64(samples), limit)
	}
	return nil
}

// sampleTests estimates the work of rasterizing the front-facing
// triangle (a, b, c) of twice the area area in a picture of w × h
// samples, s per pixel side, in sample tests: its area in samples (at most
// its bounding box within the picture), 14 per sample row and 200 for its
// set-up; 0 when it is outside the picture.
func sampleTests(a, b, c screenVertex, area, w, h, s float64) float64 {
	rows := math.Min(h, math.Ceil(max(a.y, b.y, c.y)*s)) - math.Max(0, math.Floor(min(a.y, b.y, c.y)*s)) + 1
	cols := math.Min(w, math.Ceil(max(a.x, b.x, c.x)*s)) - math.Max(0, math.Floor(min(a.x, b.x, c.x)*s)) + 1
	if rows <= 0 || cols <= 0 {
		return 0
	}
	return math.Min(area/2*s*s, rows*cols) + rowTests*rows + triangleTests
}

// sampleShader works out each sample's weight: lighting, depth cue and
// opacity.
type sampleShader struct {
	lit        bool
	key, fill  geom.Vec // unit directions towards the lights
	lightScale float64
	depthCue   float64
	opacity    []float32
}

func newSampleShader(cam *Camera, s Sampling) *sampleShader {
	sh := &sampleShader{lit: s.Lit, depthCue: s.DepthCue, opacity: s.Opacity}
	if s.Lit {
		unit := func(v geom.Vec) geom.Vec { return v.Scale(1 / math.Sqrt(v.Dot(v))) }
		toViewer := cam.forward.Scale(-1)
		sh.key = unit(toViewer.Scale(0.8).Add(cam.up.Scale(0.5)).Add(cam.right.Scale(-0.7)))
		sh.fill = unit(toViewer.Scale(0.5).Add(cam.up.Scale(-0.3)).Add(cam.right.Scale(0.8)))
		// The brightest surface faces between the two lights.
		best := unit(sh.key.Scale(keyShare).Add(sh.fill.Scale(fillShare)))
		sh.lightScale = 1 / sh.light(best)
	}
	return sh
}

// weighted reports whether samples have weights other than 1.
func (sh *sampleShader) weighted() bool {
	return sh.lit || sh.depthCue > 0 || sh.opacity != nil
}

// light is the unscaled brightness of a surface with unit normal n.
func (sh *sampleShader) light(n geom.Vec) float64 {
	return ambientShare + keyShare*math.Max(0, n.Dot(sh.key)) + fillShare*math.Max(0, n.Dot(sh.fill))
}

// sample returns the weight and the opacity of a sample of triangle tr
// with vertex weights l0, l1, l2.
func (sh *sampleShader) sample(m *mesh.Mesh, verts []screenVertex, tr [3]uint32, l [3]float64) (weight, opacity float64) {
	weight, opacity = 1, 1
	if sh.opacity != nil {
		opacity = l[0]*float64(sh.opacity[tr[0]]) + l[1]*float64(sh.opacity[tr[1]]) + l[2]*float64(sh.opacity[tr[2]])
		weight = opacity
	}
	if sh.depthCue > 0 {
		far := l[0]*verts[tr[0]].far + l[1]*verts[tr[1]].far + l[2]*verts[tr[2]].far
		weight *= 1 - sh.depthCue*far
	}
	if sh.lit {
		var n geom.Vec
		for k := range 3 {
			nv := m.Normals[tr[k]]
			n = n.Add(geom.Vec{float64(nv[0]), float64(nv[1]), float64(nv[2])}.Scale(l[k]))
		}
		if ln := math.Sqrt(n.Dot(n)); ln > 0 {
			weight *= min(1, sh.lightScale*sh.light(n.Scale(1/ln)))
		} else {
			weight *= sh.lightScale * ambientShare
		}
	}
	return weight, opacity
}

// binTriangles sorts the front-facing triangles into the bands of
// bandRows pixel rows their picture-space bounding boxes touch, in mesh
// order, and refuses a pass that would make too many sample tests.
func (c *Coverer) binTriangles(cam *Camera, bandRows int) error {
	m, verts, aa := c.mesh, c.verts, c.s.AA
	w, h := float64(cam.Width*aa), float64(cam.Height*aa)
	n := (cam.Height + bandRows - 1) / bandRows
	if cap(c.bands) < n {
		c.bands = make([][]uint32, n)
	}
	c.bands = c.bands[:n]
	for b := range c.bands {
		c.bands[b] = c.bands[b][:0]
	}
	var tests float64
	for t, tr := range m.Triangles {
		a, b, v := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		area, front := frontArea(a, b, v)
		if !front {
			continue
		}
		tests += sampleTests(a, b, v, area, w, h, float64(aa))
		y0 := math.Floor(math.Min(a.y, math.Min(b.y, v.y)))
		y1 := math.Ceil(math.Max(a.y, math.Max(b.y, v.y)))
		if y1 < 0 || y0 >= float64(cam.Height) {
			continue
		}
		b0, b1 := max(0, int(y0)/bandRows), min(n-1, int(y1)/bandRows)
		for b := b0; b <= b1; b++ {
			c.bands[b] = append(c.bands[b], uint32(t))
		}
	}
	return testLimit(cam, aa, tests)
}

// edge is twice the signed area of triangle (a, b, p).
func edge(a, b screenVertex, px, py float64) float64 {
	return (b.x-a.x)*(py-a.y) - (b.y-a.y)*(px-a.x)
}

// bandCoverage is the coverage of one band of rows.
type bandCoverage struct {
	pixels []uint32
	cover  []uint16
	tri    []uint32
	bary   [][2]uint16
	weight []uint16
}

// narrowColumns is the width in pixel columns below which a triangle's
// samples are all tested rather than bounded row by row.
const narrowColumns = 4

// bandRasterizer holds one worker's z-buffer for a band: for each pixel
// row, aa² sub-rows (one per sample of the rotated grid, see samplePos)
// of one sample per pixel; and for each sub-row the span of pixel columns
// written since the buffer was last reset.
type bandRasterizer struct {
	width, n       int // pixels per row, samples per pixel
	dx, dy         []float64
	depth          []float64
	tri            []uint32
	spanLo, spanHi []int
	py, dxRow      []float64 // the picture y and the sample offset in x of each sub-row of the current band
}

func newBandRasterizer(width, aa, bandRows int) *bandRasterizer {
	n := aa * aa
	r := &bandRasterizer{
		width: width, n: n,
		dx: make([]float64, n), dy: make([]float64, n),
		depth:  make([]float64, width*bandRows*n),
		tri:    make([]uint32, width*bandRows*n),
		spanLo: make([]int, bandRows*n),
		spanHi: make([]int, bandRows*n),
		py:     make([]float64, bandRows*n),
		dxRow:  make([]float64, bandRows*n),
	}
	for s := range n {
		r.dx[s], r.dy[s] = samplePos(aa, s)
	}
	for i := range r.depth {
		r.depth[i] = math.Inf(1)
		r.tri[i] = noTri
	}
	for i := range r.spanLo {
		r.spanLo[i], r.spanHi[i] = width, -1
	}
	return r
}

// fits reports whether r was made for this picture width, anti-aliasing
// and band height.
func (r *bandRasterizer) fits(width, aa, bandRows int) bool {
	return r.width == width && r.n == aa*aa && len(r.spanLo) == bandRows*r.n
}

// reset clears what the last band wrote.
func (r *bandRasterizer) reset() {
	for sr := range r.spanLo {
		if lo, hi := r.spanLo[sr], r.spanHi[sr]; lo <= hi {
			for i := sr*r.width + lo; i <= sr*r.width+hi; i++ {
				r.depth[i] = math.Inf(1)
				r.tri[i] = noTri
			}
		}
		r.spanLo[sr], r.spanHi[sr] = r.width, -1
	}
}

// band rasterizes triangles tris into pixel rows y0 ≤ y < y1 and writes
// their coverage into out, reusing its memory.
func (r *bandRasterizer) band(m *mesh.Mesh, verts []screenVertex, tris []uint32, y0, y1 int, sh *sampleShader, out *bandCoverage) {
	r.reset()
	n, w := r.n, r.width
	rows := (y1 - y0) * n // sub-rows
	for sr := range rows {
		r.py[sr] = float64(y0) + (float64(sr)+0.5)/float64(n)
		r.dxRow[sr] = r.dx[sr%n]
	}
	for _, t := range tris {
		tr := m.Triangles[t]
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		// Edge functions as planes over the picture, w = ka·px + kb·py + kc,
		// each ≤ 0 inside a front face; and the depth plane.
		e := [3]plane{edgePlane(b, c), edgePlane(c, a), edgePlane(a, b)}
		area := edge(a, b, c.x, c.y)
		depth := plane{
			(e[0].ka*a.d + e[1].ka*b.d + e[2].ka*c.d) / area,
			(e[0].kb*a.d + e[1].kb*b.d + e[2].kb*c.d) / area,
			(e[0].kc*a.d + e[1].kc*b.d + e[2].kc*c.d) / area,
		}
		bounds, ok := newRowBounds(e)
		if !ok {
			continue
		}
		// Pixel columns and sub-rows whose samples can fall in the triangle.
		x0 := max(0, int(math.Floor(min(a.x, b.x, c.x))))
		x1 := min(w-1, int(math.Ceil(max(a.x, b.x, c.x))))
		sr0 := max(0, int(math.Floor(min(a.y, b.y, c.y)*float64(n)))-y0*n)
		sr1 := min(rows-1, int(math.Ceil(max(a.y, b.y, c.y)*float64(n)))-y0*n)
		// A triangle a few columns wide is tested at every sample of its
		// bounding box: cheaper than bounding each row's span.
		narrow := x1-x0 < narrowColumns
		for sr := sr0; sr <= sr1; sr++ {
			py, dx := r.py[sr], r.dxRow[sr]
			// On this sub-row each edge is a line in px: w = ka·px + m.
			m0, m1, m2 := e[0].kb*py+e[0].kc, e[1].kb*py+e[1].kc, e[2].kb*py+e[2].kc
			xs, xe := x0, x1
			if !narrow {
				// The span where every edge is ≤ 0 (m for the horizontal
				// edge, −m/ka where the others cross the row).
				if bounds.hasFlat && bounds.flat.kb*py+bounds.flat.kc > 0 {
					continue
				}
				lb, rb := &bounds.left, &bounds.right
				lo := max(-(lb[0].kb*py+lb[0].kc)/lb[0].ka, -(lb[1].kb*py+lb[1].kc)/lb[1].ka)
				hi := min(-(rb[0].kb*py+rb[0].kc)/rb[0].ka, -(rb[1].kb*py+rb[1].kc)/rb[1].ka)
				if !(lo <= hi) {
					continue
				}
				// The span (in pixel columns) is widened by one each way
				// and every sample in it is tested, so rounding in the
				// span never drops a sample.
				xs = max(x0, int(math.Floor(lo-dx))-1)
				xe = min(x1, int(math.Ceil(hi-dx))+1)
				if xs > xe {
					continue
				}
			}
			dRow := depth.kb*py + depth.kc
			row := sr * w
			for x := xs; x <= xe; x++ {
				px := float64(x) + dx
				// Edges count as inside, so shared edges leave no gaps.
				// The three tests are or-ed without branches: which way
				// they go at a triangle's edge is hard to predict.
				if outside(e[0].ka*px+m0)|outside(e[1].ka*px+m1)|outside(e[2].ka*px+m2) != 0 {
					continue
				}
				if d := depth.ka*px + dRow; d < r.depth[row+x] {
					r.depth[row+x] = d
					r.tri[row+x] = t
				}
			}
			r.spanLo[sr], r.spanHi[sr] = min(r.spanLo[sr], xs), max(r.spanHi[sr], xe)
		}
	}
	r.collect(m, verts, y0, y1, sh, out)
}

// rowBounds are the edges that bound a front-facing triangle's sample
// rows: left edges (ka < 0) bound a row's span from below, right edges
// (ka > 0) from above (each pair repeats its edge when there is one), and
// a horizontal edge (ka = 0) lets a row in or not.
type rowBounds struct {
	left, right [2]plane
	flat        plane
	hasFlat     bool
}

// newRowBounds sorts a triangle's edges e; ok is false for a triangle
// without an edge on each side, which a front face with finite
// coordinates always has.
func newRowBounds(e [3]plane) (b rowBounds, ok bool) {
	nl, nr := 0, 0
	for _, p := range e {
		switch {
		case p.ka > 0:
			b.right[min(nr, 1)] = p
			nr++
		case p.ka < 0:
			b.left[min(nl, 1)] = p
			nl++
		default:
			b.flat, b.hasFlat = p, true
		}
	}
	if nl == 1 {
		b.left[1] = b.left[0]
	}
	if nr == 1 {
		b.right[1] = b.right[0]
	}
	return b, nl > 0 && nr > 0
}

// outside is 1 for an edge function value outside its triangle (> 0),
// else 0.
func outside(w float64) uint8 {
	if w > 0 {
		return 1
	}
	return 0
}

// plane is a linear function over the picture: ka·px + kb·py + kc.
type plane struct{ ka, kb, kc float64 }

func (p plane) at(x, y float64) float64 { return p.ka*x + p.kb*y + p.kc }

func (p plane) scale(s float64) plane { return plane{p.ka * s, p.kb * s, p.kc * s} }

// edgePlane is edge(p, q, ·, ·) as a plane.
func edgePlane(p, q screenVertex) plane {
	return plane{-(q.y - p.y), q.x - p.x, (q.y-p.y)*p.x - (q.x-p.x)*p.y}
}

// collect turns the band's z-buffer into coverage: every pixel with at
// least one covered sample, with its cover and each sample's triangle,
// perspective-correct barycentric weights and weight.
func (r *bandRasterizer) collect(m *mesh.Mesh, verts []screenVertex, y0, y1 int, sh *sampleShader, out *bandCoverage) {
	n, w := r.n, r.width
	weighted := sh.weighted()
	*out = bandCoverage{pixels: out.pixels[:0], cover: out.cover[:0], tri: out.tri[:0], bary: out.bary[:0], weight: out.weight[:0]}
	var bc baryCache
	for y := y0; y < y1; y++ {
		// Only the columns some triangle reached in this pixel row's
		// sub-rows can be covered.
		first := (y - y0) * n
		lo, hi := w, -1
		for s := range n {
			lo, hi = min(lo, r.spanLo[first+s]), max(hi, r.spanHi[first+s])
		}
		for x := max(0, lo); x <= hi; x++ {
			covered := false
			for s := 0; s < n && !covered; s++ {
				covered = r.tri[(first+s)*w+x] != noTri
			}
			if !covered {
				continue
			}
			out.pixels = append(out.pixels, uint32(y*w+x))
			cover := 0.0
			for s := range n {
				t := r.tri[(first+s)*w+x]
				out.tri = append(out.tri, t)
				if t == noTri {
					out.bary = append(out.bary, [2]uint16{})
					if weighted {
						out.weight = append(out.weight, 0)
					}
					continue
				}
				tr := m.Triangles[t]
				l0, l1, l2 := bc.weights(t, tr, verts, float64(x)+r.dx[s], float64(y)+r.dy[s])
				out.bary = append(out.bary, [2]uint16{quantize(l1), quantize(l2)})
				if !weighted {
					cover++
					continue
				}
				wt, op := sh.sample(m, verts, tr, [3]float64{l0, l1, l2})
				out.weight = append(out.weight, quantize(wt))
				cover += op
			}
			out.cover = append(out.cover, quantize(cover/float64(n)))
		}
	}
}

// baryCache computes perspective-correct barycentric weights, keeping
// the last triangle's edge planes: neighbouring samples mostly see the same
// triangle.
type baryCache struct {
	tri        uint32
	valid      bool
	e0, e1, e2 plane // edge planes opposite vertices 0, 1, 2, divided by the area
	iw         [3]float64
}

// weights returns the weights of triangle t's vertices at (px, py).
func (c *baryCache) weights(t uint32, tr [3]uint32, verts []screenVertex, px, py float64) (l0, l1, l2 float64) {
	if !c.valid || c.tri != t {
		a, b, v := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		inv := 1 / edge(a, b, v.x, v.y)
		c.e0, c.e1, c.e2 = edgePlane(b, v).scale(inv), edgePlane(v, a).scale(inv), edgePlane(a, b).scale(inv)
		c.iw = [3]float64{a.iw, b.iw, v.iw}
		c.tri, c.valid = t, true
	}
	l0 = c.e0.at(px, py) * c.iw[0]
	l1 = c.e1.at(px, py) * c.iw[1]
	l2 = c.e2.at(px, py) * c.iw[2]
	s := l0 + l1 + l2
	return l0 / s, l1 / s, l2 / s
}

// quantize stores a weight in [0,1] in 16 bits.
func quantize(w float64) uint16 {
	switch {
	case w <= 0:
		return 0
	case w >= 1:
		return 65535
	}
	return uint16(w*65535 + 0.5)
}
