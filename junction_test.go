package main

import (
	"bytes"
	"fmt"
	"github.com/spikeframes/spikeframes/morph"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/voltage"
)

// junctionSpreads returns, for every junction of m, the spread (largest
// minus smallest voltage) over the vertices where its sections meet: the
// end rings and rounded ends of the sections at it, and, for a section
// starting on another, the voltage that other shows there (a simplified
// soma's vertices, or a tube's surface between its rings on either side).
// vertexV holds every vertex's voltage.
func junctionSpreads(m *mesh.Mesh, vertexV []float32) []float64 {
	type place struct {
		sec int32
		pos float32
	}
	vertices := map[place][]int{}
	for v, p := range m.VertexProbe {
		pr := m.Probes[p]
		vertices[place{pr.Section, pr.Pos}] = append(vertices[place{pr.Section, pr.Pos}], v)
	}
	spreads := make([]float64, len(m.Junctions))
	for k, j := range m.Junctions {
		lo, hi := math.Inf(1), math.Inf(-1)
		see := func(v float32) { lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v)) }
		for _, e := range j.Ends {
			pos := float32(0)
			if e.Last {
				pos = 1
			}
			for _, v := range vertices[place{e.Section, pos}] {
				see(vertexV[v])
			}
		}
		if on := j.On; on != nil {
			if on.Pos == morph.SectionMean {
				for _, v := range vertices[place{on.Section, on.Pos}] {
					see(vertexV[v])
				}
			} else {
				// the rings just before and after on.Pos along its section
				below, above := place{on.Section, -1}, place{on.Section, 2}
				for p := range vertices {
					if p.sec == on.Section && p.pos <= on.Pos && p.pos > below.pos {
						below = p
					}
					if p.sec == on.Section && p.pos >= on.Pos && p.pos < above.pos {
						above = p
					}
				}
				a, b := vertexV[vertices[below][0]], vertexV[vertices[above][0]]
				w := float32(0)
				if above.pos > below.pos {
					w = (on.Pos - below.pos) / (above.pos - below.pos)
				}
				see(a + w*(b-a))
			}
		}
		spreads[k] = hi - lo
	}
	return spreads
}

// TestVoltageContinuousAtJunctions exports the bundled recordings' meshes
// with the mesh command and checks that every junction shows one voltage:
// the spread over its vertices is a tiny fraction of a mV at rest and
// mid-spike, where holding each section's end value (as the sampler does
// without junctions) spreads them by up to several mV.
func TestVoltageContinuousAtJunctions(t *testing.T) {
	for _, tc := range []struct {
		recording string
		frame     int
		// what: rest or spike; before: the largest spread without junctions
		// must exceed it (the measure sees the jumps)
		what   string
		before float64
		// tubeSoma draws the soma as a tube: a branch then starts part-way
		// along it
		tubeSoma bool
	}{
		{"l5_bap", 0, "rest", 0, false},
		{"l5_bap", 12, "rest", 0.01, false},
		{"l5_bap", 30, "spike", 5, false},
		{"ca1_random_input", 0, "rest", 0, false},
		{"ca1_random_input", 250, "synaptic input", 0.5, false},
		{"recorder_ball_stick", 0, "rest", 0, false},
		{"recorder_ball_stick", 8, "spike", 1, false},
		{"recorder_ball_stick", 8, "spike", 1, true},
	} {
		name := fmt.Sprintf("%s_frame_%d_tube_soma_%v", tc.recording, tc.frame, tc.tubeSoma)
		t.Run(name, func(t *testing.T) {
			in := filepath.Join("testdata", tc.recording+".pickle")
			out := filepath.Join(t.TempDir(), "cell.ply")
			args := []string{"mesh", in, "-o", out, "--frame", fmt.Sprint(tc.frame), fmt.Sprintf("--simplify-soma=%v", !tc.tubeSoma)}
			var stdout, stderr bytes.Buffer
			if status := run(args, &stdout, &stderr); status != exitOK {
				t.Fatalf("status %d: %s", status, stderr.String())
			}
			f, err := os.Open(out)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			ply, err := readPLY(f)
			if err != nil {
				t.Fatal(err)
			}
			cell, rec, err := blenderspike.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			g := movie.DefaultOptions().Geometry
			g.SimplifySoma = !tc.tubeSoma
			m, err := g.BuildMesh(cell, rec)
			if err != nil {
				t.Fatal(err)
			}
			if len(ply.vertices) != len(m.Positions) || len(m.Junctions) == 0 {
				t.Fatalf("PLY has %d vertices, the mesh %d with %d junctions", len(ply.vertices), len(m.Positions), len(m.Junctions))
			}
			exported := make([]float32, len(ply.vertices))
			for v, vals := range ply.vertices {
				exported[v] = vals[6]
			}
			after := junctionSpreads(m, exported)

			held, err := voltage.NewSampler(rec, m.Probes)
			if err != nil {
				t.Fatal(err)
			}
			probeV := make([]float32, len(m.Probes))
			held.Sample(float64(tc.frame), probeV)
			heldV := make([]float32, len(m.Positions))
			for v, p := range m.VertexProbe {
				heldV[v] = probeV[p]
			}
			before := junctionSpreads(m, heldV)

			t.Logf("%d junctions at %s; spread median / 90th percentile / largest: held ends %s mV, continuous %s mV",
				len(m.Junctions), tc.what, spreadSummary(before), spreadSummary(after))
			if worst := slices.Max(after); worst > 1e-3 {
				t.Errorf("a junction's vertices spread over %v mV", worst)
			}
			if worst := slices.Max(before); worst < tc.before {
				t.Errorf("without junctions the spread is at most %v mV, want more than %v: the measure misses the jumps", worst, tc.before)
			}
		})
	}
}

func spreadSummary(s []float64) string {
	s = append([]float64(nil), s...)
	sort.Float64s(s)
	q := func(p float64) float64 { return s[int(p*float64(len(s)-1))] }
	return fmt.Sprintf("%.3g / %.3g / %.3g", q(0.5), q(0.9), s[len(s)-1])
}
