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
// coverage pass finds covered: never fewer, and for a few large triangles,
// whose set-up costs little, hardly more.
func TestCoverageTestsEstimate(t *testing.T) {
	for _, c := range []struct {
		m     *mesh.Mesh
		ratio float64 // the most the estimate may exceed the samples covered by
	}{
		{tube(10, 3, 2, 32), 1.3},
		{tube(10, 0.05, 40, 6), 1e6},
	} {
		for _, aa := range []int{1, 2, 3} {
			cam, err := FitCamera(c.m, View{Elevation: 30}, 400, 300)
			if err != nil {
				t.Fatal(err)
			}
			cov, err := Cover(c.m, cam, Sampling{AA: aa, Lit: false}, 1)
			if err != nil {
				t.Fatal(err)
			}
			covered := 0
			for _, tri := range cov.tri {
				if tri != noTri {
					covered++
				}
			}
			est := coverageTests(c.m, cam, aa)
			if est < float64(covered) || est > c.ratio*float64(covered) {
				t.Errorf("aa %d: estimated %v sample tests for %d covered samples", aa, est, covered)
			}
		}
	}
}

// TestCoverageLimit stacks a tube that fills most of a 1920×1080 picture
// at one place: copies up to the limit's worth are accepted, more refused
// before anything is rasterized.
func TestCoverageLimit(t *testing.T) {
	one := tube(10, 3, 2, 32)
	cam, err := FitCamera(one, View{}, 1920, 1080)
	if err != nil {
		t.Fatal(err)
	}
	each := coverageTests(one, cam, 2)
	fits := int(0.9 * MaxCoverageTests / each)
	if fits < 100 || fits > 1000 {
		t.Fatalf("%v sample tests for one tube filling the picture: %d copies fit", each, fits)
	}
	if err := CheckCoverage(stacked(one, fits), cam, 2); err != nil {
		t.Errorf("%d copies: %v", fits, err)
	}
	many := stacked(one, int(1.1*MaxCoverageTests/each)+1)
	if err := CheckCoverage(many, cam, 2); !errors.Is(err, ErrTooCostly) {
		t.Errorf("%d copies: CheckCoverage error %v, want ErrTooCostly", len(many.Positions)/len(one.Positions), err)
	}
	if _, err := Cover(many, cam, Sampling{AA: 2, Lit: false}, 0); !errors.Is(err, ErrTooCostly) {
		t.Errorf("Rasterize error %v, want ErrTooCostly", err)
	}
	if err := CheckCoverage(many, cam, 1); err != nil {
		t.Errorf("without anti-aliasing: %v", err)
	}
}
