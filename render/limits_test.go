package render

import (
	"errors"
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
)

// stacked is n copies of m at the same place.
func stacked(m *mesh.Mesh, n int) *mesh.Mesh {
	out := &mesh.Mesh{Probes: m.Probes}
	for range n {
		base := uint32(len(out.Positions))
		out.Positions = append(out.Positions, m.Positions...)
		out.Normals = append(out.Normals, m.Normals...)
		out.VertexProbe = append(out.VertexProbe, m.VertexProbe...)
		for _, tr := range m.Triangles {
			out.Triangles = append(out.Triangles, [3]uint32{tr[0] + base, tr[1] + base, tr[2] + base})
		}
	}
	return out
}

// TestCoverageTestsEstimate compares the estimate with the samples a
// coverage pass finds covered: it may count a little more (the rows'
// edges and thin slivers), never less, and not several times more.
func TestCoverageTestsEstimate(t *testing.T) {
	for _, m := range []*mesh.Mesh{tube(10, 3, 2, 32), tube(10, 0.05, 40, 6)} {
		for _, aa := range []int{1, 2, 3} {
			cam, err := FitCamera(m, View{Elevation: 30}, 400, 300)
			if err != nil {
				t.Fatal(err)
			}
			cov, err := Rasterize(m, cam, aa, false, 1)
			if err != nil {
				t.Fatal(err)
			}
			covered := 0
			for _, tri := range cov.tri {
				if tri != noTri {
					covered++
				}
			}
			est := coverageTests(m, cam, aa, func(v uint32) screenVertex { return cam.screen(m.Positions[v]) })
			if est < float64(covered) || est > 3*float64(covered) {
				t.Errorf("aa %d: estimated %v sample tests for %d covered samples", aa, est, covered)
			}
		}
	}
}

// TestCoverageLimit stacks a tube that fills most of a 1920×1080 picture
// (about 6.3 million samples at aa 2) at one place: 300 copies are
// accepted, 400 refused before anything is rasterized.
func TestCoverageLimit(t *testing.T) {
	one := tube(10, 3, 2, 32)
	cam, err := FitCamera(one, View{}, 1920, 1080)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckCoverage(stacked(one, 300), cam, 2); err != nil {
		t.Errorf("300 copies: %v", err)
	}
	many := stacked(one, 400)
	if err := CheckCoverage(many, cam, 2); !errors.Is(err, ErrTooCostly) {
		t.Errorf("400 copies: CheckCoverage error %v, want ErrTooCostly", err)
	}
	if _, err := Rasterize(many, cam, 2, false, 0); !errors.Is(err, ErrTooCostly) {
		t.Errorf("400 copies: Rasterize error %v, want ErrTooCostly", err)
	}
	if err := CheckCoverage(many, cam, 1); err != nil {
		t.Errorf("400 copies without anti-aliasing: %v", err)
	}
}
