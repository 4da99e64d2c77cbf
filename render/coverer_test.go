package render

import (
	"fmt"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// samplePoint is where the rasterizer tests sample s of pixel (x, y): on
// its sub-row of the pixel's band.
func samplePoint(aa, x, y, s int) (px, py float64) {
	n, bandRows := aa*aa, max(1, bandSampleRows/aa)
	y0 := y / bandRows * bandRows
	dx, _ := samplePos(aa, s)
	return float64(x) + dx, float64(y0) + (float64((y-y0)*n+s)+0.5)/float64(n)
}

// sampleDepth is the depth of the front-facing triangle (a, b, c) at
// (px, py), and whether that point is inside it (edges included), by the
// rasterizer's arithmetic.
func sampleDepth(a, b, c screenVertex, px, py float64) (float64, bool) {
	e := [3]plane{edgePlane(b, c), edgePlane(c, a), edgePlane(a, b)}
	for _, p := range e {
		if p.ka*px+(p.kb*py+p.kc) > 0 {
			return 0, false
		}
	}
	area := edge(a, b, c.x, c.y)
	depth := plane{
		(e[0].ka*a.d + e[1].ka*b.d + e[2].ka*c.d) / area,
		(e[0].kb*a.d + e[1].kb*b.d + e[2].kb*c.d) / area,
		(e[0].kc*a.d + e[1].kc*b.d + e[2].kc*c.d) / area,
	}
	return depth.ka*px + (depth.kb*py + depth.kc), true
}

// bruteForceTri is the triangle sample s of pixel (x, y) sees, found by
// testing every front-facing triangle at that sample with the same
// arithmetic as the rasterizer (nearest wins, the first in mesh order on a
// tie), or noTri.
func bruteForceTri(m *mesh.Mesh, verts []screenVertex, aa, x, y, s int) uint32 {
	px, py := samplePoint(aa, x, y, s)
	best, bestDepth := uint32(noTri), 0.0
	for t, tr := range m.Triangles {
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		if _, front := frontArea(a, b, c); !front {
			continue
		}
		if d, in := sampleDepth(a, b, c, px, py); in && (best == noTri || d < bestDepth) {
			best, bestDepth = uint32(t), d
		}
	}
	return best
}

// TestCoverMatchesBruteForce checks the rasterizer's row spans and
// reuse of memory: every sample of a small picture sees exactly the
// triangle a test of every triangle finds, for still and moving cameras,
// views that put horizontal edges on the rows, and every anti-aliasing.
func TestCoverMatchesBruteForce(t *testing.T) {
	m := tube(10, 3, 4, 12)
	for _, aa := range []int{1, 2, 3} {
		coverer, err := NewCoverer(m, Sampling{AA: aa}, 2)
		if err != nil {
			t.Fatal(err)
		}
		var cov *Coverage
		for _, v := range []View{{}, {Elevation: 30, Azimuth: 20}, {Elevation: 90}, {Azimuth: 60, Roll: 45}} {
			cam, err := FitCamera(m, v, 64, 48)
			if err != nil {
				t.Fatal(err)
			}
			if cov, err = coverer.Cover(cam, cov); err != nil {
				t.Fatal(err)
			}
			verts := make([]screenVertex, len(m.Positions))
			for i, p := range m.Positions {
				verts[i] = cam.screen(p)
			}
			n, k, seen := aa*aa, 0, 0
			for p := range cam.Width * cam.Height {
				x, y := p%cam.Width, p/cam.Width
				touched := k < len(cov.pixels) && int(cov.pixels[k]) == p
				for s := range n {
					want, got := bruteForceTri(m, verts, aa, x, y, s), uint32(noTri)
					if touched {
						got = cov.tri[k*n+s]
					}
					if got != want {
						t.Fatalf("aa %d, view %+v: pixel (%d, %d) sample %d sees triangle %d, want %d", aa, v, x, y, s, got, want)
					}
					if want != noTri {
						seen++
					}
				}
				if touched {
					k++
				}
			}
			if seen == 0 {
				t.Fatalf("aa %d, view %+v: the tube is not in the picture", aa, v)
			}
		}
	}
}

// cellMesh is a bundled recording's cell meshed for a picture of the given
// width and height, as the render command meshes it (tubes at least a
// pixel wide, ring edges at most 1.5 pixels): thousands of triangles a
// pixel or two across. It also returns the camera that frames the cell and
// the recording.
func cellMesh(tb testing.TB, name string, width, height int) (*mesh.Mesh, *Camera, *voltage.Recording) {
	tb.Helper()
	cell, rec, err := blenderspike.ReadFile("../testdata/" + name + ".pickle")
	if err != nil {
		tb.Fatal(err)
	}
	nseg := make([]int, len(rec.Traces))
	for i, tr := range rec.Traces {
		nseg[i] = tr.NSeg
	}
	prepared, err := morph.Prepare(cell, nseg, morph.DefaultOptions())
	if err != nil {
		tb.Fatal(err)
	}
	mo := mesh.DefaultOptions()
	m, err := mesh.Build(prepared, mo)
	if err != nil {
		tb.Fatal(err)
	}
	cam, err := FitCamera(m, View{}, width, height)
	if err != nil {
		tb.Fatal(err)
	}
	mo.MinRadius, mo.MaxEdge = 0.5*cam.UnitsPerPixel(), 1.5*cam.UnitsPerPixel()
	if m, err = mesh.Build(prepared, mo); err != nil {
		tb.Fatal(err)
	}
	return m, cam, rec
}

// boxCoverage is the coverage a plain rasterizer finds: every front-facing
// triangle, in mesh order, tested at every sample of its bounding box
// widened by a pixel, the nearest kept (the first on a tie), with the
// rasterizer's arithmetic. It returns each sample's triangle, in rows of
// width·aa² samples (pixel by pixel, aa² samples each), and the
// barycentric weights of vertices 1 and 2 the coverage stores.
func boxCoverage(m *mesh.Mesh, cam *Camera, aa int) (tris []uint32, bary [][2]uint16) {
	n, w, h := aa*aa, cam.Width, cam.Height
	verts := make([]screenVertex, len(m.Positions))
	for i, p := range m.Positions {
		verts[i] = cam.screen(p)
	}
	tris = make([]uint32, w*h*n)
	depths := make([]float64, w*h*n)
	for i := range tris {
		tris[i], depths[i] = noTri, math.Inf(1)
	}
	for t, tr := range m.Triangles {
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		if _, front := frontArea(a, b, c); !front {
			continue
		}
		x0, x1 := max(0, int(min(a.x, b.x, c.x))-1), min(w-1, int(max(a.x, b.x, c.x))+1)
		y0, y1 := max(0, int(min(a.y, b.y, c.y))-1), min(h-1, int(max(a.y, b.y, c.y))+1)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				for s := range n {
					px, py := samplePoint(aa, x, y, s)
					k := (y*w+x)*n + s
					if d, in := sampleDepth(a, b, c, px, py); in && d < depths[k] {
						tris[k], depths[k] = uint32(t), d
					}
				}
			}
		}
	}
	bary = make([][2]uint16, len(tris))
	for k, t := range tris {
		if t == noTri {
			continue
		}
		p, s := k/n, k%n
		dx, dy := samplePos(aa, s)
		px, py := float64(p%w)+dx, float64(p/w)+dy
		tr := m.Triangles[t]
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		inv := 1 / edge(a, b, c.x, c.y)
		l0 := edgePlane(b, c).scale(inv).at(px, py) * a.iw
		l1 := edgePlane(c, a).scale(inv).at(px, py) * b.iw
		l2 := edgePlane(a, b).scale(inv).at(px, py) * c.iw
		sum := l0 + l1 + l2
		bary[k] = [2]uint16{quantize(l1 / sum), quantize(l2 / sum)}
	}
	return tris, bary
}

// TestCoverMatchesBoxesOnACell checks the rasterizer's bounds on the tiny
// triangles of a real cell: every sample sees the triangle, and stores the
// weights, that testing every triangle over its widened bounding box
// finds, for orbiting and perspective cameras and every anti-aliasing.
func TestCoverMatchesBoxesOnACell(t *testing.T) {
	const w, h = 320, 180
	m, _, _ := cellMesh(t, "l5_bap", w, h)
	orbit, err := FitOrbit(m, View{Elevation: 20}, 360, w, h)
	if err != nil {
		t.Fatal(err)
	}
	persp, err := FitCamera(m, View{FOV: 50, Azimuth: 30, Zoom: 2}, w, h)
	if err != nil {
		t.Fatal(err)
	}
	cams := []*Camera{orbit.At(0), orbit.At(0.3), orbit.At(0.55), persp}
	for _, aa := range []int{1, 2, 3} {
		coverer, err := NewCoverer(m, Sampling{AA: aa}, 2)
		if err != nil {
			t.Fatal(err)
		}
		var cov *Coverage
		for ci, cam := range cams {
			name := fmt.Sprintf("aa %d camera %d", aa, ci)
			if cov, err = coverer.Cover(cam, cov); err != nil {
				t.Fatal(err)
			}
			wantTri, wantBary := boxCoverage(m, cam, aa)
			n, k, seen := aa*aa, 0, 0
			for p := range w * h {
				touched := k < len(cov.pixels) && int(cov.pixels[k]) == p
				for s := range n {
					got, gotBary := uint32(noTri), [2]uint16{}
					if touched {
						got, gotBary = cov.tri[k*n+s], cov.bary[k*n+s]
					}
					if want := wantTri[p*n+s]; got != want || gotBary != wantBary[p*n+s] {
						t.Fatalf("%s: pixel (%d, %d) sample %d sees triangle %d at %v, want %d at %v",
							name, p%w, p/w, s, got, gotBary, want, wantBary[p*n+s])
					}
					if got != noTri {
						seen++
					}
				}
				if touched {
					k++
				}
			}
			if seen < w*h*n/200 {
				t.Fatalf("%s: the cell covers only %d samples", name, seen)
			}
		}
	}
}
