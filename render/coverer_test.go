package render

import (
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
)

// bruteForceTri is the triangle sample s of pixel (x, y) sees, found by
// testing every front-facing triangle at that sample with the same
// arithmetic as the rasterizer (nearest wins, the first in mesh order on a
// tie), or noTri.
func bruteForceTri(m *mesh.Mesh, verts []screenVertex, aa, x, y, s int) uint32 {
	n, bandRows := aa*aa, max(1, bandSampleRows/aa)
	y0 := y / bandRows * bandRows
	py := float64(y0) + (float64((y-y0)*n+s)+0.5)/float64(n)
	dx, _ := samplePos(aa, s)
	px := float64(x) + dx
	best, bestDepth := uint32(noTri), 0.0
	for t, tr := range m.Triangles {
		a, b, c := verts[tr[0]], verts[tr[1]], verts[tr[2]]
		if !a.ok || !b.ok || !c.ok || edge(a, b, c.x, c.y) >= 0 {
			continue
		}
		e := [3]plane{edgePlane(b, c), edgePlane(c, a), edgePlane(a, b)}
		inside := true
		for _, p := range e {
			if p.ka*px+(p.kb*py+p.kc) > 0 {
				inside = false
			}
		}
		if !inside {
			continue
		}
		area := edge(a, b, c.x, c.y)
		depth := plane{
			(e[0].ka*a.d + e[1].ka*b.d + e[2].ka*c.d) / area,
			(e[0].kb*a.d + e[1].kb*b.d + e[2].kb*c.d) / area,
			(e[0].kc*a.d + e[1].kc*b.d + e[2].kc*c.d) / area,
		}
		if d := depth.ka*px + (depth.kb*py + depth.kc); best == noTri || d < bestDepth {
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
