package render

import (
	"errors"
	"fmt"
	"math"
	"runtime"
	"sync"

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
// pictures of more than 2²⁶ samples, Rasterize refuses the mesh. Every
// front-facing triangle is tested at every sample it covers, hidden ones
// too, and setting up a triangle costs about as much as 200 tests, each of
// its sample rows 14 (measured), which the count includes. A reconstructed
// cell at 1920×1080 with 2×2 samples per pixel makes a few tens of
// millions at any zoom, a mesh of mesh.PictureMaxVertices about half the
// limit; a few hundred large sections stacked at one place make billions.
const MaxCoverageTests = 1 << 31

// ErrTooCostly is wrapped by the error Rasterize and CheckCoverage return
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
	shade  []uint16    // lit shading factor (×65535); nil for emission shading
}

// Touched is the number of pixels the mesh covers at least partly.
func (c *Coverage) Touched() int { return len(c.pixels) }

// Lighting for lit shading: a light at the viewer, raised up and to the left
// so that the tubes' roundness reads.
const (
	ambient = 0.3
	diffuse = 0.7
)

// screenVertex is a vertex projected to picture coordinates. d is affine in
// picture space and grows away from the viewer (depth for an orthographic
// camera, −1/depth for a perspective one); iw weights perspective-correct
// interpolation (1/depth, or 1 for orthographic).
type screenVertex struct {
	x, y, d, iw float64
	ok          bool
}

// Rasterize works out the coverage of m seen by cam with aa×aa samples per
// pixel, using up to workers goroutines (≤ 0: all cores); the result does
// not depend on the number of workers. With lit set it also records the
// headlight shading of each sample.
func Rasterize(m *mesh.Mesh, cam *Camera, aa int, lit bool, workers int) (*Coverage, error) {
	if err := CheckSamples(cam.Width, cam.Height, aa); err != nil {
		return nil, err
	}
	bandRows := max(1, bandSampleRows/aa)
	if len(m.Triangles) >= noTri {
		return nil, fmt.Errorf("mesh has %d triangles, more than the rasterizer indexes", len(m.Triangles))
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	verts := make([]screenVertex, len(m.Positions))
	for i, p := range m.Positions {
		verts[i] = cam.screen(p)
	}
	if err := checkTests(m, cam, aa, func(v uint32) screenVertex { return verts[v] }); err != nil {
		return nil, err
	}
	bands := binTriangles(m, verts, cam.Height, bandRows)

	// Bands are independent: rasterize them in parallel, then concatenate
	// in band order so the result is the same for any worker count.
	results := make([]bandCoverage, len(bands))
	light := headlight(cam)
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < min(workers, len(bands)); w++ {
		wg.Go(func() {
			r := newBandRasterizer(cam.Width, aa, bandRows)
			for b := range next {
				results[b] = r.band(m, verts, bands[b], b*bandRows, min(cam.Height, (b+1)*bandRows), lit, light)
			}
		})
	}
	for b := range bands {
		next <- b
	}
	close(next)
	wg.Wait()

	cov := &Coverage{Width: cam.Width, Height: cam.Height, AA: aa}
	n, s := 0, 0
	for _, r := range results {
		n += len(r.pixels)
		s += len(r.tri)
	}
	cov.pixels = make([]uint32, 0, n)
	cov.tri = make([]uint32, 0, s)
	cov.bary = make([][2]uint16, 0, s)
	if lit {
		cov.shade = make([]uint16, 0, s)
	}
	for _, r := range results {
		cov.pixels = append(cov.pixels, r.pixels...)
		cov.tri = append(cov.tri, r.tri...)
		cov.bary = append(cov.bary, r.bary...)
		cov.shade = append(cov.shade, r.shade...)
	}
	return cov, nil
}

// screen projects a mesh vertex into the picture.
func (cam *Camera) screen(p mesh.Vec3) screenVertex {
	x, y, z := cam.project(vec3{float64(p[0]), float64(p[1]), float64(p[2])})
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
	return checkTests(m, cam, aa, func(v uint32) screenVertex { return cam.screen(m.Positions[v]) })
}

// What setting up a triangle and each of its sample rows costs, in sample
// tests (measured on balls and tubes of 16 to 256 sides at 1920×1080).
const (
	triangleTests = 200
	rowTests      = 14
)

// checkTests refuses a coverage pass whose sample tests, with vertex v
// projected by at(v), would pass the limit.
func checkTests(m *mesh.Mesh, cam *Camera, aa int, at func(v uint32) screenVertex) error {
	samples := int64(cam.Width) * int64(cam.Height) * int64(aa*aa)
	limit := max(MaxCoverageTests, 32*samples)
	if tests := coverageTests(m, cam, aa, at); tests > float64(limit) {
		return fmt.Errorf("%w: about %.3g sample tests, %.0f per sample of the picture (surfaces stacked over each other, hidden ones included), more than the limit of %d",
			ErrTooCostly, tests, tests/float64(samples), limit)
	}
	return nil
}

// coverageTests estimates the work of a coverage pass in sample tests:
// for every front-facing triangle in the picture, its area in samples (at
// most its bounding box within the picture), 14 per sample row and 200
// for its set-up.
func coverageTests(m *mesh.Mesh, cam *Camera, aa int, at func(v uint32) screenVertex) float64 {
	w, h := float64(cam.Width*aa), float64(cam.Height*aa)
	s := float64(aa)
	var tests float64
	for _, tr := range m.Triangles {
		a, b, c := at(tr[0]), at(tr[1]), at(tr[2])
		area := -edge(a, b, c.x, c.y) // twice the area, positive for a front face
		if !a.ok || !b.ok || !c.ok || !(area > 0) {
			continue
		}
		rows := math.Min(h, math.Ceil(max(a.y, b.y, c.y)*s)) - math.Max(0, math.Floor(min(a.y, b.y, c.y)*s)) + 1
		cols := math.Min(w, math.Ceil(max(a.x, b.x, c.x)*s)) - math.Max(0, math.Floor(min(a.x, b.x, c.x)*s)) + 1
		if rows <= 0 || cols <= 0 {
			continue
		}
		tests += math.Min(area/2*s*s, rows*cols) + rowTests*rows + triangleTests
	}
	return tests
}

// headlight is the unit direction towards the light for lit shading.
func headlight(cam *Camera) vec3 {
	l := cam.forward.scale(-1).add(cam.up.scale(0.45)).add(cam.right.scale(-0.3))
	return l.scale(1 / math.Sqrt(l.dot(l)))
}

// binTriangles sorts the front-facing triangles into the bands their
// picture-space bounding boxes touch, in mesh order.
func binTriangles(m *mesh.Mesh, verts []screenVertex, height, bandRows int) [][]uint32 {
	bands := make([][]uint32, (height+bandRows-1)/bandRows)
	for t, tr := range m.Triangles {
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		if !a.ok || !b.ok || !c.ok {
			continue
		}
		// Triangles are wound counter-clockwise seen from outside; the
		// picture's y axis points down, so a front face has negative area.
		if edge(a, b, c.x, c.y) >= 0 {
			continue
		}
		y0 := math.Floor(math.Min(a.y, math.Min(b.y, c.y)))
		y1 := math.Ceil(math.Max(a.y, math.Max(b.y, c.y)))
		if y1 < 0 || y0 >= float64(height) {
			continue
		}
		b0, b1 := max(0, int(y0)/bandRows), min(len(bands)-1, int(y1)/bandRows)
		for b := b0; b <= b1; b++ {
			bands[b] = append(bands[b], uint32(t))
		}
	}
	return bands
}

// edge is twice the signed area of triangle (a, b, p).
func edge(a, b screenVertex, px, py float64) float64 {
	return (b.x-a.x)*(py-a.y) - (b.y-a.y)*(px-a.x)
}

// bandCoverage is the coverage of one band of rows.
type bandCoverage struct {
	pixels []uint32
	tri    []uint32
	bary   [][2]uint16
	shade  []uint16
}

// bandRasterizer holds one worker's z-buffer for a band, and for each row
// of samples the span of columns written since the buffer was last reset.
type bandRasterizer struct {
	width, aa      int
	depth          []float64
	tri            []uint32
	spanLo, spanHi []int
}

func newBandRasterizer(width, aa, bandRows int) *bandRasterizer {
	n := width * aa * bandRows * aa
	r := &bandRasterizer{
		width: width, aa: aa,
		depth:  make([]float64, n),
		tri:    make([]uint32, n),
		spanLo: make([]int, bandRows*aa),
		spanHi: make([]int, bandRows*aa),
	}
	for i := range r.depth {
		r.depth[i] = math.Inf(1)
		r.tri[i] = noTri
	}
	for i := range r.spanLo {
		r.spanLo[i], r.spanHi[i] = width*aa, -1
	}
	return r
}

// reset clears what the last band wrote.
func (r *bandRasterizer) reset() {
	sw := r.width * r.aa
	for sy := range r.spanLo {
		if lo, hi := r.spanLo[sy], r.spanHi[sy]; lo <= hi {
			for i := sy*sw + lo; i <= sy*sw+hi; i++ {
				r.depth[i] = math.Inf(1)
				r.tri[i] = noTri
			}
		}
		r.spanLo[sy], r.spanHi[sy] = sw, -1
	}
}

// band rasterizes triangles tris into pixel rows y0 ≤ y < y1.
func (r *bandRasterizer) band(m *mesh.Mesh, verts []screenVertex, tris []uint32, y0, y1 int, lit bool, light vec3) bandCoverage {
	r.reset()
	aa, sw := r.aa, r.width*r.aa // samples per pixel side, samples per row
	rows := (y1 - y0) * aa
	step := 1 / float64(aa)
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
		// Sample rows and columns whose centres can fall in the triangle.
		sx0 := max(0, int(math.Floor(min(a.x, b.x, c.x)*float64(aa))))
		sx1 := min(sw-1, int(math.Ceil(max(a.x, b.x, c.x)*float64(aa))))
		sy0 := max(0, int(math.Floor(min(a.y, b.y, c.y)*float64(aa)))-y0*aa)
		sy1 := min(rows-1, int(math.Ceil(max(a.y, b.y, c.y)*float64(aa)))-y0*aa)
		for sy := sy0; sy <= sy1; sy++ {
			py := float64(y0) + (float64(sy)+0.5)*step
			// On this row each edge is a line in px: w = ka·px + m.
			m0, m1, m2 := e[0].kb*py+e[0].kc, e[1].kb*py+e[1].kc, e[2].kb*py+e[2].kc
			lo, hi, ok := rowSpan(e, m0, m1, m2)
			if !ok {
				continue
			}
			// The span (in sample columns) is widened by a sample each way
			// and every sample in it is tested, so rounding in the span
			// never drops a sample.
			xs := max(sx0, int(math.Floor(lo*float64(aa)-0.5))-1)
			xe := min(sx1, int(math.Ceil(hi*float64(aa)-0.5))+1)
			if xs > xe {
				continue
			}
			dRow := depth.kb*py + depth.kc
			row := sy * sw
			for sx := xs; sx <= xe; sx++ {
				px := (float64(sx) + 0.5) * step
				// Edges count as inside, so shared edges leave no gaps.
				if e[0].ka*px+m0 > 0 || e[1].ka*px+m1 > 0 || e[2].ka*px+m2 > 0 {
					continue
				}
				if d := depth.ka*px + dRow; d < r.depth[row+sx] {
					r.depth[row+sx] = d
					r.tri[row+sx] = t
				}
			}
			r.spanLo[sy], r.spanHi[sy] = min(r.spanLo[sy], xs), max(r.spanHi[sy], xe)
		}
	}
	return r.collect(m, verts, y0, y1, lit, light)
}

// plane is a linear function over the picture: ka·px + kb·py + kc.
type plane struct{ ka, kb, kc float64 }

func (p plane) at(x, y float64) float64 { return p.ka*x + p.kb*y + p.kc }

func (p plane) scale(s float64) plane { return plane{p.ka * s, p.kb * s, p.kc * s} }

// edgePlane is edge(p, q, ·, ·) as a plane.
func edgePlane(p, q screenVertex) plane {
	return plane{-(q.y - p.y), q.x - p.x, (q.y-p.y)*p.x - (q.x-p.x)*p.y}
}

// rowSpan returns the picture-x range [lo, hi] in which the three edge
// lines ka·px + m of a sample row are all ≤ 0, or ok=false if none.
func rowSpan(e [3]plane, m0, m1, m2 float64) (lo, hi float64, ok bool) {
	lo, hi = math.Inf(-1), math.Inf(1)
	for i, m := range [3]float64{m0, m1, m2} {
		k := e[i].ka
		switch {
		case k > 0:
			hi = min(hi, -m/k)
		case k < 0:
			lo = max(lo, -m/k)
		case m > 0:
			return 0, 0, false
		}
	}
	return lo, hi, lo <= hi
}

// collect turns the band's z-buffer into coverage: every pixel with at
// least one covered sample, with each sample's triangle, perspective-correct
// barycentric weights and (when lit) shading.
func (r *bandRasterizer) collect(m *mesh.Mesh, verts []screenVertex, y0, y1 int, lit bool, light vec3) bandCoverage {
	aa, sw := r.aa, r.width*r.aa
	step := 1 / float64(aa)
	var out bandCoverage
	var bc baryCache
	for y := y0; y < y1; y++ {
		// Only the columns some triangle reached in this pixel row's
		// sample rows can be covered.
		lo, hi := sw, -1
		for j := range aa {
			sy := (y-y0)*aa + j
			lo, hi = min(lo, r.spanLo[sy]), max(hi, r.spanHi[sy])
		}
		for x := max(0, lo/aa); x <= hi/aa && x < r.width; x++ {
			covered := false
			for j := 0; j < aa && !covered; j++ {
				base := ((y-y0)*aa+j)*sw + x*aa
				for i := 0; i < aa; i++ {
					if r.tri[base+i] != noTri {
						covered = true
						break
					}
				}
			}
			if !covered {
				continue
			}
			out.pixels = append(out.pixels, uint32(y*r.width+x))
			for j := 0; j < aa; j++ {
				base := ((y-y0)*aa+j)*sw + x*aa
				py := float64(y) + (float64(j)+0.5)*step
				for i := 0; i < aa; i++ {
					t := r.tri[base+i]
					out.tri = append(out.tri, t)
					if t == noTri {
						out.bary = append(out.bary, [2]uint16{})
						if lit {
							out.shade = append(out.shade, 0)
						}
						continue
					}
					px := float64(x) + (float64(i)+0.5)*step
					tr := m.Triangles[t]
					l0, l1, l2 := bc.weights(t, tr, verts, px, py)
					out.bary = append(out.bary, [2]uint16{quantize(l1), quantize(l2)})
					if lit {
						out.shade = append(out.shade, quantize(shadeAt(m, tr, l0, l1, l2, light)))
					}
				}
			}
		}
	}
	return out
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

// shadeAt is the lit shading factor where the interpolated normal faces.
func shadeAt(m *mesh.Mesh, tr [3]uint32, l0, l1, l2 float64, light vec3) float64 {
	var n vec3
	for k, l := range [3]float64{l0, l1, l2} {
		nv := m.Normals[tr[k]]
		n = n.add(vec3{float64(nv[0]), float64(nv[1]), float64(nv[2])}.scale(l))
	}
	ln := math.Sqrt(n.dot(n))
	if ln == 0 {
		return ambient
	}
	return ambient + diffuse*math.Max(0, n.dot(light)/ln)
}

// quantize stores a weight in [0,1] in 16 bits.
func quantize(w float64) uint16 {
	return uint16(min(max(w, 0), 1)*65535 + 0.5)
}
