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
// (2³¹, about 10 s of one core): past it, or past 32 tests per sample for
// pictures of more than 2²⁶ samples, Cover refuses the mesh. Every
// front-facing triangle is tested at every sample it covers, hidden ones
// too, and setting up a triangle costs about as much as 16 tests, each of
// its sample rows 10 (measured), which the count includes. A reconstructed
// cell at 1920×1080 with 2×2 samples per pixel makes a few million at any
// zoom (about 100 per mesh vertex), a mesh of mesh.PictureMaxVertices
// about a fifth of the limit; a few hundred large sections stacked at one
// place make billions.
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
// tests (fitted to the time of coverage passes at 2×2 samples per pixel
// of twenty large tubes stacked at 1920×1080, the CA1 cell at 1920×1080
// and the L5 cell at 3840×2160).
const (
	triangleTests = 16
	rowTests      = 10
)

// coverageTests estimates the work of a coverage pass of m seen by cam
// at aa × aa samples per pixel, in sample tests.
func coverageTests(m *mesh.Mesh, cam *Camera, aa int) float64 {
	w, h := float64(cam.Width*aa), float64(cam.Height*aa)
	var tests float64
	for _, tr := range m.Triangles {
		a, b, c := cam.screen(m.Positions[tr[0]]), cam.screen(m.Positions[tr[1]]), cam.screen(m.Positions[tr[2]])
		if area, ok := frontArea(a, b, c); ok {
			tests += sampleTests(triangleBox(a, b, c), area, w, h, float64(aa))
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

// bounds is a bounding box in the picture.
type bounds struct{ x0, y0, x1, y1 float64 }

// triangleBox is the bounding box of triangle (a, b, c).
func triangleBox(a, b, c screenVertex) bounds {
	return bounds{min(a.x, b.x, c.x), min(a.y, b.y, c.y), max(a.x, b.x, c.x), max(a.y, b.y, c.y)}
}

// sampleTests estimates the work of rasterizing a front-facing triangle
// with bounding box bx and twice the area area in a picture of w × h
// samples, s per pixel side, in sample tests: its area in samples (at most
// its bounding box within the picture), 10 per sample row and 16 for its
// set-up; 0 when it is outside the picture.
func sampleTests(bx bounds, area, w, h, s float64) float64 {
	rows := min(h, math.Ceil(bx.y1*s)) - max(0, math.Floor(bx.y0*s)) + 1
	cols := min(w, math.Ceil(bx.x1*s)) - max(0, math.Floor(bx.x0*s)) + 1
	if rows <= 0 || cols <= 0 {
		return 0
	}
	return min(area/2*s*s, rows*cols) + rowTests*rows + triangleTests
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
		bx := triangleBox(a, b, v)
		tests += sampleTests(bx, area, w, h, float64(aa))
		y0, y1 := math.Floor(bx.y0), math.Ceil(bx.y1)
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

// sampleMargin widens, in pixels, the box around a triangle within which
// its samples are tested, and each row's span between its edges: edge
// functions worked out in floating point can put a sample a hair outside
// the exact triangle inside it, never as far as this.
const sampleMargin = 1.0 / 16

// wideColumns is the width in pixels above which a triangle's sample rows
// are bounded by its edges; narrower ones are tested across their box,
// which costs less than working out where the edges cross each row.
const wideColumns = 8

// bandRasterizer holds one worker's z-buffer for a band, pixel by pixel,
// the aa² samples of each pixel together; and for each pixel row the span
// of columns written since the band's coverage was last collected. Each
// sample of a pixel lies on its own sub-row (see samplePos): a pixel row
// is aa² sub-rows. Between bands every sample is clear (depth +Inf, no
// triangle) and every span empty.
type bandRasterizer struct {
	width, n       int // pixels per row, samples per pixel
	dx, dy         []float64
	depth          []float64
	tri            []uint32 // index into the band's triangles, or noTri
	spanLo, spanHi []int
	py             []float64    // the picture y of each sub-row of the current band
	colLo, colHi   []int        // per sample of a pixel: the columns of the current triangle's box
	planes         []baryPlanes // per triangle of the band
}

// baryPlanes give a triangle's perspective-correct barycentric weights:
// the edge planes opposite vertices 0, 1 and 2 divided by twice the
// triangle's area, and the vertices' perspective weights.
type baryPlanes struct {
	e  [3]plane
	iw [3]float64
}

func newBandRasterizer(width, aa, bandRows int) *bandRasterizer {
	n := aa * aa
	r := &bandRasterizer{
		width: width, n: n,
		dx: make([]float64, n), dy: make([]float64, n),
		depth:  make([]float64, width*bandRows*n),
		tri:    make([]uint32, width*bandRows*n),
		spanLo: make([]int, bandRows),
		spanHi: make([]int, bandRows),
		py:     make([]float64, bandRows*n),
		colLo:  make([]int, n),
		colHi:  make([]int, n),
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
	return r.width == width && r.n == aa*aa && len(r.spanLo) == bandRows
}

// band rasterizes triangles tris into pixel rows y0 ≤ y < y1 and writes
// their coverage into out, reusing its memory.
func (r *bandRasterizer) band(m *mesh.Mesh, verts []screenVertex, tris []uint32, y0, y1 int, sh *sampleShader, out *bandCoverage) {
	n, w := r.n, r.width
	rows := (y1 - y0) * n // sub-rows
	for sr := range rows {
		r.py[sr] = float64(y0) + (float64(sr)+0.5)/float64(n)
	}
	r.planes = slices.Grow(r.planes[:0], len(tris))[:len(tris)]
	for i, t := range tris {
		tr := m.Triangles[t]
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		// The sub-rows whose samples lie in the triangle's box:
		// py = y0 + (sr + ½)/n.
		bx := triangleBox(a, b, c)
		minY := bx.y0 - sampleMargin - float64(y0)
		maxY := bx.y1 + sampleMargin - float64(y0)
		sr0 := max(0, clampIndex(math.Ceil(minY*float64(n)-0.5), rows))
		sr1 := min(rows-1, clampIndex(math.Floor(maxY*float64(n)-0.5), rows))
		if sr0 > sr1 {
			continue
		}
		// Sample s of column x sits at x + dx[s] (0 < dx < 1), so its
		// columns within the box are ⌈minX − dx⌉ … ⌊maxX − dx⌋, worked out
		// from the whole and fractional parts of the box's ends.
		minX, maxX := bx.x0-sampleMargin, bx.x1+sampleMargin
		wide := maxX-minX > wideColumns
		loCol, hiCol := math.Floor(min(max(-1, minX), float64(w))), math.Floor(min(max(-1, maxX), float64(w)))
		loFrac, hiFrac := minX-loCol, maxX-hiCol
		cols, boxLo, boxHi := 0, w, -1
		for s, dx := range r.dx {
			lo, hi := int(loCol), int(hiCol)
			if loFrac > dx {
				lo++
			}
			if hiFrac < dx {
				hi--
			}
			lo, hi = max(0, lo), min(w-1, hi)
			r.colLo[s], r.colHi[s] = lo, hi
			cols = max(cols, hi-lo+1)
		}
		if cols == 0 {
			continue
		}
		// A narrow triangle's rows are all tested at as many columns as the
		// widest has, so that its loop runs the same every row.
		if !wide {
			for s := range n {
				r.colLo[s] = max(0, min(r.colLo[s], w-cols))
				r.colHi[s] = r.colLo[s] + cols - 1
			}
		}
		for s := range n {
			boxLo, boxHi = min(boxLo, r.colLo[s]), max(boxHi, r.colHi[s])
		}
		for y := sr0 / n; y <= sr1/n; y++ {
			r.spanLo[y], r.spanHi[y] = min(r.spanLo[y], boxLo), max(r.spanHi[y], boxHi)
		}
		// Edge functions as planes over the picture, w = ka·px + kb·py + kc,
		// each ≤ 0 inside a front face; and the depth plane.
		tri := triangleRaster{e: [3]plane{edgePlane(b, c), edgePlane(c, a), edgePlane(a, b)}, wide: wide}
		e := &tri.e
		area := edge(a, b, c.x, c.y)
		tri.depth = plane{
			(e[0].ka*a.d + e[1].ka*b.d + e[2].ka*c.d) / area,
			(e[0].kb*a.d + e[1].kb*b.d + e[2].kb*c.d) / area,
			(e[0].kc*a.d + e[1].kc*b.d + e[2].kc*c.d) / area,
		}
		inv := 1 / area
		r.planes[i] = baryPlanes{e: [3]plane{e[0].scale(inv), e[1].scale(inv), e[2].scale(inv)}, iw: [3]float64{a.iw, b.iw, c.iw}}
		if wide {
			var ok bool
			if tri.bounds, ok = newRowBounds(tri.e); !ok {
				continue
			}
		}
		r.sweep(uint32(i), &tri, sr0, sr1)
	}
	r.collect(m, verts, tris, y0, y1, sh, out)
}

// triangleRaster is a triangle set up for testing its samples.
type triangleRaster struct {
	e      [3]plane // edge functions, each ≤ 0 inside
	depth  plane
	wide   bool      // rows bounded by the edges, not only the box
	bounds rowBounds // when wide
}

// sweep tests triangle i's samples on sub-rows sr0 … sr1 within the
// columns r.colLo and r.colHi give each sample of a pixel, and where it is
// the nearest, writes it into the z-buffer.
func (r *bandRasterizer) sweep(i uint32, t *triangleRaster, sr0, sr1 int) {
	n, w := r.n, r.width
	e0, e1, e2, dp := t.e[0], t.e[1], t.e[2], t.depth
	depth, seen, pys, dxs, colLo, colHi := r.depth, r.tri, r.py, r.dx, r.colLo, r.colHi
	s, pixelRow := sr0%n, sr0/n
	for sr := sr0; sr <= sr1; sr, s = sr+1, s+1 {
		if s == n {
			s, pixelRow = 0, pixelRow+1
		}
		py, dx := pys[sr], dxs[s]
		xs, xe := colLo[s], colHi[s]
		if t.wide {
			if xs, xe = t.bounds.span(py, dx, xs, xe, w); xs > xe {
				continue
			}
		}
		// On this sub-row each edge is a line in px: w = ka·px + m.
		m0, m1, m2 := e0.kb*py+e0.kc, e1.kb*py+e1.kc, e2.kb*py+e2.kc
		dRow := dp.kb*py + dp.kc
		// A sample inside (edges count as inside, so shared edges leave
		// no gaps) and nearer than what it saw takes this triangle.
		if t.wide {
			// Most of a wide triangle's row is inside: the tests go the
			// same way sample after sample.
			for x, k := xs, (pixelRow*w+xs)*n+s; x <= xe; x, k = x+1, k+n {
				px := float64(x) + dx
				if e0.ka*px+m0 > 0 || e1.ka*px+m1 > 0 || e2.ka*px+m2 > 0 {
					continue
				}
				if d := dp.ka*px + dRow; d < depth[k] {
					depth[k], seen[k] = d, i
				}
			}
			continue
		}
		for x, k := xs, (pixelRow*w+xs)*n+s; x <= xe; x, k = x+1, k+n {
			px := float64(x) + dx
			// Worked out without branches: at a narrow triangle, which
			// way the tests go is hard to predict.
			in := inside(e0.ka*px+m0) & inside(e1.ka*px+m1) & inside(e2.ka*px+m2)
			d, old := dp.ka*px+dRow, depth[k]
			take := -uint64(in & less(d, old))
			depth[k] = math.Float64frombits(math.Float64bits(d)&take | math.Float64bits(old)&^take)
			seen[k] = i&uint32(take) | seen[k]&^uint32(take)
		}
	}
}

// span narrows columns xs … xe of a sub-row at py whose samples sit dx
// right of their pixels' corners to where every edge is ≤ 0 (m for the
// horizontal edge, −m/ka where the others cross the row), widened by
// sampleMargin; xs > xe when the row misses the triangle.
func (b *rowBounds) span(py, dx float64, xs, xe, w int) (int, int) {
	if b.hasFlat && b.flat.kb*py+b.flat.kc > 0 {
		return 0, -1
	}
	lb, rb := &b.left, &b.right
	lo := max(-(lb[0].kb*py+lb[0].kc)/lb[0].ka, -(lb[1].kb*py+lb[1].kc)/lb[1].ka)
	hi := min(-(rb[0].kb*py+rb[0].kc)/rb[0].ka, -(rb[1].kb*py+rb[1].kc)/rb[1].ka)
	return max(xs, clampIndex(math.Ceil(lo-sampleMargin-dx), w)), min(xe, clampIndex(math.Floor(hi+sampleMargin-dx), w))
}

// clampIndex is v as an index in −1 … n: a value beyond either end (or
// NaN, as −1) stops at it, so that no conversion overflows.
func clampIndex(v float64, n int) int {
	if !(v > -1) {
		return -1
	}
	return int(min(v, float64(n)))
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

// inside is 1 for an edge function value inside its triangle (≤ 0 or
// NaN: not > 0), else 0.
func inside(w float64) uint8 {
	if w > 0 {
		return 0
	}
	return 1
}

// less is 1 when a < b, else 0.
func less(a, b float64) uint8 {
	if a < b {
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
// least one covered sample, with its cover and each sample's triangle
// (tris holds the band's triangles), perspective-correct barycentric
// weights and weight. It clears the z-buffer and the spans as it goes.
func (r *bandRasterizer) collect(m *mesh.Mesh, verts []screenVertex, tris []uint32, y0, y1 int, sh *sampleShader, out *bandCoverage) {
	n, w := r.n, r.width
	weighted := sh.weighted()
	*out = bandCoverage{pixels: out.pixels[:0], cover: out.cover[:0], tri: out.tri[:0], bary: out.bary[:0], weight: out.weight[:0]}
	for y := y0; y < y1; y++ {
		// Only the columns some triangle reached in this pixel row's
		// sub-rows can be covered.
		first := (y - y0) * w * n // the band's samples, pixel by pixel
		lo, hi := r.spanLo[y-y0], r.spanHi[y-y0]
		r.spanLo[y-y0], r.spanHi[y-y0] = w, -1
		for x := max(0, lo); x <= hi; x++ {
			covered := false
			for s := 0; s < n && !covered; s++ {
				covered = r.tri[first+x*n+s] != noTri
			}
			if !covered {
				continue
			}
			out.pixels = append(out.pixels, uint32(y*w+x))
			cover := 0.0
			for s := range n {
				k := first + x*n + s
				i := r.tri[k]
				if i == noTri {
					out.tri = append(out.tri, noTri)
					out.bary = append(out.bary, [2]uint16{})
					if weighted {
						out.weight = append(out.weight, 0)
					}
					continue
				}
				r.tri[k], r.depth[k] = noTri, math.Inf(1)
				t := tris[i]
				out.tri = append(out.tri, t)
				bp := &r.planes[i]
				px, py := float64(x)+r.dx[s], float64(y)+r.dy[s]
				l0 := bp.e[0].at(px, py) * bp.iw[0]
				l1 := bp.e[1].at(px, py) * bp.iw[1]
				l2 := bp.e[2].at(px, py) * bp.iw[2]
				sum := l0 + l1 + l2
				out.bary = append(out.bary, [2]uint16{quantize(l1 / sum), quantize(l2 / sum)})
				if !weighted {
					cover++
					continue
				}
				wt, op := sh.sample(m, verts, m.Triangles[t], [3]float64{l0 / sum, l1 / sum, l2 / sum})
				out.weight = append(out.weight, quantize(wt))
				cover += op
			}
			out.cover = append(out.cover, quantize(cover/float64(n)))
		}
	}
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
