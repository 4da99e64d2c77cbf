package mesh_test

import (
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
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

// BenchmarkSampleL5 reads every probe of the L5 recording's mesh for one
// frame, as each movie frame does: with the voltage held beyond the end
// segment centres, and continuous through the junctions.
func BenchmarkSampleL5(b *testing.B) {
	c, rec, err := blenderspike.ReadFile("../testdata/l5_bap.pickle")
	if err != nil {
		b.Fatal(err)
	}
	nseg := make([]int, len(rec.Traces))
	for i, tr := range rec.Traces {
		nseg[i] = tr.NSeg
	}
	p, err := morph.Prepare(c, nseg, morph.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	m, err := mesh.Build(p, mesh.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name      string
		junctions []morph.Junction
	}{{"held", nil}, {"junctions", m.Junctions}} {
		b.Run(bc.name, func(b *testing.B) {
			s, err := voltage.NewSampler(rec, m.Probes, bc.junctions...)
			if err != nil {
				b.Fatal(err)
			}
			v := make([]float32, s.Len())
			k := 0
			for b.Loop() {
				s.Sample(float64(k%rec.Frames)+0.5, v)
				k++
			}
		})
	}
}
