package mesh_test

import (
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
)

// benchmarkBuild prepares and sweeps a recorded cell at the default
// settings, reporting the mesh's size.
func benchmarkBuild(b *testing.B, file string) {
	c, rec, err := blenderspike.ReadFile("../testdata/" + file)
	if err != nil {
		b.Fatal(err)
	}
	nseg := make([]int, len(rec.Traces))
	for i, tr := range rec.Traces {
		nseg[i] = tr.NSeg
	}
	var m *mesh.Mesh
	for b.Loop() {
		p, err := morph.Prepare(c, nseg, morph.DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		if m, err = mesh.Build(p, mesh.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(m.Positions)), "vertices")
	b.ReportMetric(float64(len(m.Triangles)), "triangles")
	b.ReportMetric(float64(len(m.Probes)), "probes")
}

func BenchmarkBuild(b *testing.B)   { benchmarkBuild(b, "ca1_random_input.pickle") }
func BenchmarkBuildL5(b *testing.B) { benchmarkBuild(b, "l5_bap.pickle") }
