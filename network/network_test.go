package network

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/sonata"
)

// expected is what the circuit generator wrote down about a test circuit.
type expected struct {
	Nodes map[string][]struct {
		ID          uint64
		Position    [3]float64
		LastPoint   *[3]float64 `json:"last_point"`
		LastSection int         `json:"last_section"`
	}
	Report struct {
		Name, Population string
		Probes           []struct {
			Frame, Node, NSeg, Section, Segment int
			SectionName                         string `json:"section_name"`
			V                                   float64
		}
	}
	Spikes     map[string]map[string][]float64
	SomaReport struct {
		Probes []struct {
			Frame, Node int
			V           float64
		}
	} `json:"soma_report"`
}

func open(t *testing.T, flavour string) (*sonata.Simulation, expected) {
	t.Helper()
	dir := filepath.Join("..", "sonata", "testdata", flavour)
	sim, err := sonata.Open(filepath.Join(dir, "simulation_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	data, err := os.ReadFile(filepath.Join(dir, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want expected
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	return sim, want
}

func load(t *testing.T, sim *sonata.Simulation, o Options) *Scene {
	t.Helper()
	s, err := Load(sim, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// frameOf reads frame f of cell i through its source.
func frameOf(t *testing.T, s *Scene, i, f int) [][]float32 {
	t.Helper()
	c := s.Cells[i]
	dst := make([][]float32, len(c.Rec.Traces))
	for k, tr := range c.Rec.Traces {
		dst[k] = make([]float32, tr.NSeg)
	}
	if err := c.Source.ReadFrame(f, dst); err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestReportValuesOnTheirCompartments reads, through each cell's source,
// the compartments the generator wrote down, in both flavours.
func TestReportValuesOnTheirCompartments(t *testing.T) {
	for _, flavour := range []string{"bbp", "allen"} {
		sim, want := open(t, flavour)
		s := load(t, sim, Options{Nodes: want.Report.Population})
		if s.Report != want.Report.Name {
			t.Errorf("%s: report %q, want %q", flavour, s.Report, want.Report.Name)
		}
		for _, p := range want.Report.Probes {
			i := cellOf(t, s, want.Report.Population, uint64(p.Node))
			if n := s.Cells[i].Rec.Traces[p.Section].NSeg; n != p.NSeg {
				t.Errorf("%s node %d section %d: %d compartments, want %d", flavour, p.Node, p.Section, n, p.NSeg)
				continue
			}
			got := frameOf(t, s, i, p.Frame)[p.Section][p.Segment]
			if math.Abs(float64(got)-p.V) > 1e-4 {
				t.Errorf("%s node %d section %d segment %d frame %d: %v mV, want %v", flavour, p.Node, p.Section, p.Segment, p.Frame, got, p.V)
			}
		}
	}
}

func cellOf(t *testing.T, s *Scene, pop string, id uint64) int {
	t.Helper()
	for i, n := range s.Nodes {
		if n.Population == pop && n.ID == id {
			return i
		}
	}
	t.Fatalf("no cell of node %s %d", pop, id)
	return 0
}

// TestSomaReport colours the soma from a soma-only report, and the rest
// of the cell at Rest or, with SomaOnlyFill, as the soma.
func TestSomaReport(t *testing.T) {
	sim, want := open(t, "bbp")
	for i := range sim.Reports {
		if sim.Reports[i].Sections != "soma" {
			sim.Reports[i].Enabled = false
		}
	}
	for _, fill := range []bool{false, true} {
		s := load(t, sim, Options{Nodes: "cortex", Rest: -80, SomaOnlyFill: fill})
		for _, p := range want.SomaReport.Probes {
			i := cellOf(t, s, "cortex", uint64(p.Node))
			values := frameOf(t, s, i, p.Frame)
			if math.Abs(float64(values[0][0])-p.V) > 1e-4 {
				t.Errorf("node %d frame %d: soma %v, want %v", p.Node, p.Frame, values[0][0], p.V)
			}
			rest := values[len(values)-1][0]
			if wantRest := map[bool]float32{false: -80, true: values[0][0]}[fill]; rest != wantRest {
				t.Errorf("fill %v: node %d's last section shows %v, want %v", fill, p.Node, rest, wantRest)
			}
		}
	}
}

// TestSelectAndPlace chooses nodes by population, ids and node set, and
// finds each cell's soma where its node stands; virtual nodes and point
// neurons are told apart.
func TestSelectAndPlace(t *testing.T) {
	sim, want := open(t, "bbp")
	tests := []struct {
		nodes string
		want  []string // population:id of the cells, in order
	}{
		{"cortex:0,3-4", []string{"cortex:0", "cortex:3", "cortex:4"}},
		{"FirstTwo", []string{"cortex:0", "cortex:1"}},
		{"thalamus", []string{"thalamus:0", "thalamus:1", "thalamus:2"}},
		{"", []string{"cortex:0", "cortex:1", "cortex:2", "cortex:3", "cortex:4"}}, // the simulation's node set
	}
	for _, tc := range tests {
		s := load(t, sim, Options{Nodes: tc.nodes, Category: ByPopulation})
		var got []string
		for i, n := range s.Nodes {
			got = append(got, n.Population+":"+itoa(n.ID))
			if s.Cells[i].Category != n.Population {
				t.Errorf("%s: category %q", tc.nodes, s.Cells[i].Category)
			}
			c := morph.SomaCenter(s.Cells[i].Morph)
			for _, wn := range want.Nodes[n.Population] {
				if wn.ID != n.ID {
					continue
				}
				if distance(c, wn.Position) > 1e-6 {
					t.Errorf("node %s %d: soma at %v, want %v", n.Population, n.ID, c, wn.Position)
				}
				// The rotation: the last point of the last section.
				if wn.LastPoint != nil {
					pts := s.Cells[i].Morph.Sections[wn.LastSection].Points
					if p := pts[len(pts)-1]; distance(p, *wn.LastPoint) > 1e-3 {
						t.Errorf("node %s %d: last point at %v, want %v", n.Population, n.ID, p, *wn.LastPoint)
					}
				}
			}
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("--nodes %q: %v, want %v", tc.nodes, got, tc.want)
		}
	}
	for _, bad := range []string{"cortex:x", "cortex:5-2", "nowhere:1", "NoSuchSet", "cortex:99", "cortex:0-100000"} {
		if _, err := Load(sim, Options{Nodes: bad}); err == nil {
			t.Errorf("--nodes %s: loaded", bad)
		}
	}
}

func distance(p morph.Point, q [3]float64) float64 {
	return math.Sqrt((p.X-q[0])*(p.X-q[0]) + (p.Y-q[1])*(p.Y-q[1]) + (p.Z-q[2])*(p.Z-q[2]))
}

func itoa(v uint64) string { b, _ := json.Marshal(v); return string(b) }

// TestMorphologiesKeepTheirTree checks that placed morphologies keep the
// sections' parents, so the mesh joins them by the recorded tree rather
// than by searching for touching ends.
func TestMorphologiesKeepTheirTree(t *testing.T) {
	sim, _ := open(t, "bbp")
	s := load(t, sim, Options{Nodes: "cortex"})
	for i, c := range s.Cells {
		children := 0
		for _, sec := range c.Morph.Sections {
			if sec.Parent >= 0 {
				children++
			}
		}
		if children != len(c.Morph.Sections)-1 {
			t.Errorf("node %d: %d of %d sections have a parent", s.Nodes[i].ID, children, len(c.Morph.Sections))
		}
	}
}

// TestFilesAreWhatTheCellsAreDrawnFrom lists the files a scene's frames
// depend on, each once, in the order they are read.
func TestFilesAreWhatTheCellsAreDrawnFrom(t *testing.T) {
	sim, _ := open(t, "bbp")
	for _, tc := range []struct {
		nodes string
		want  []string
	}{
		{"cortex:0,1", []string{"simulation_config.json", "circuit_config.json", "node_sets.json", "nodes.h5", "compartments.h5", "", "", "spikes.h5"}},
		{"thalamus", []string{"simulation_config.json", "circuit_config.json", "node_sets.json", "nodes.h5", "spikes.h5"}},
	} {
		s := load(t, sim, Options{Nodes: tc.nodes})
		var got []string
		for _, f := range s.Files {
			got = append(got, filepath.Base(f))
		}
		if len(got) != len(tc.want) {
			t.Fatalf("--nodes %s: files %v, want %v", tc.nodes, got, tc.want)
		}
		for i, w := range tc.want {
			if w == "" { // a morphology: the node's own file
				w = filepath.Base(s.Nodes[i-5].MorphologyFile)
			}
			if got[i] != w {
				t.Errorf("--nodes %s: file %d is %s, want %s", tc.nodes, i, got[i], w)
			}
		}
	}
}
