package sonata

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// expected is what testdata/gen/make_circuit.py wrote beside each circuit:
// the values NEURON and the generator put in the files.
type expected struct {
	Populations []string                  `json:"populations"`
	Nodes       map[string][]expectedNode `json:"nodes"`
	Report      expectedReport            `json:"report"`
	SomaReport  *expectedReport           `json:"soma_report"`
	Spikes      map[string]map[string][]float64
	NodeSets    map[string]map[string][]uint64 `json:"node_sets"`
}

type expectedNode struct {
	ID             uint64         `json:"id"`
	Morphology     string         `json:"morphology"`
	MorphologyFile string         `json:"morphology_file"`
	ModelType      string         `json:"model_type"`
	Position       [3]float64     `json:"position"`
	Rotation       *[3][3]float64 `json:"rotation"`
	Sections       int            `json:"sections"`
	SomaCenter     [3]float64     `json:"soma_center"`
	LastSection    int            `json:"last_section"`
	LastPoint      [3]float64     `json:"last_point"`
	// attributes checked where the flavour has them
	Mtype   string `json:"mtype"`
	Layer   int    `json:"layer"`
	PopName string `json:"pop_name"`
	EI      string `json:"ei"`
}

type expectedReport struct {
	Name       string     `json:"name"`
	Population string     `json:"population"`
	Frames     int        `json:"frames"`
	Time       [3]float64 `json:"time"`
	Columns    int        `json:"columns"`
	NodeIDs    []uint64   `json:"node_ids"`
	Probes     []struct {
		Node        uint64  `json:"node"`
		Section     int     `json:"section"`
		SectionName string  `json:"section_name"`
		NSeg        int     `json:"nseg"`
		Segment     int     `json:"segment"`
		Frame       int     `json:"frame"`
		V           float64 `json:"v"`
	} `json:"probes"`
}

var flavours = []struct{ name, config string }{
	{"bbp", "testdata/bbp/simulation_config.json"},
	{"allen", "testdata/allen/config.json"},
}

func loadExpected(t *testing.T, flavour string) *expected {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", flavour, "expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var e expected
	if err := json.Unmarshal(data, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

func openSim(t *testing.T, path string) *Simulation {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func TestConfigs(t *testing.T) {
	abs := func(p string) string {
		a, err := filepath.Abs(p)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	bbp := openSim(t, "testdata/bbp/simulation_config.json")
	allen := openSim(t, "testdata/allen/config.json")
	for _, c := range []struct {
		name, got, want string
	}{
		{"bbp circuit", bbp.Circuit, abs("testdata/bbp/circuit_config.json")},
		{"bbp output", bbp.OutputDir, abs("testdata/bbp/output")},
		{"bbp spikes", bbp.SpikesFile, abs("testdata/bbp/output/spikes.h5")},
		{"bbp node sets", bbp.NodeSetsFile, abs("testdata/bbp/node_sets.json")},
		{"bbp target", bbp.Target, "Mosaic"},
		{"bbp report with file_name", bbp.Reports[0].File, abs("testdata/bbp/output/compartments.h5")},
		{"bbp report without file_name", bbp.Reports[1].File, abs("testdata/bbp/output/soma.h5")},
		{"bbp soma sections", bbp.Reports[1].Sections, "soma"},
		{"allen simulation", allen.Config, abs("testdata/allen/simulation_config.json")},
		{"allen circuit", allen.Circuit, abs("testdata/allen/circuit_config.json")},
		{"allen spikes", allen.SpikesFile, abs("testdata/allen/output/spikes.h5")},
		{"allen node sets", allen.NodeSetsFile, abs("testdata/allen/node_sets.json")},
		{"allen report", allen.Reports[0].File, abs("testdata/allen/output/v_report.h5")},
		{"allen report module", allen.Reports[0].Type, "membrane_report"},
		{"allen nodes file", allen.Populations[1].NodesFile, abs("testdata/allen/network/v1_nodes.h5")},
		{"allen node types", allen.Populations[1].NodeTypesFile, abs("testdata/allen/network/v1_node_types.csv")},
		{"allen morphologies", allen.Populations[1].MorphologyDirs[FormatSWC], abs("../testdata/morphologies/neurom")},
		{"bbp asc morphologies", bbp.Populations[0].MorphologyDirs[FormatASC], abs("../testdata/morphologies/neurom")},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	if bbp.TStop != 40 || bbp.DT != 0.025 || allen.TStop != 40 {
		t.Errorf("run times: bbp tstop %g dt %g, allen tstop %g", bbp.TStop, bbp.DT, allen.TStop)
	}
	if p := bbp.Populations[1]; p.Name != "thalamus" || p.Type != "point_neuron" || p.Size != 3 || p.NodeTypesFile != "" {
		t.Errorf("bbp population 1: %+v", p)
	}
}

func TestNodes(t *testing.T) {
	for _, f := range flavours {
		t.Run(f.name, func(t *testing.T) {
			want := loadExpected(t, f.name)
			s := openSim(t, f.config)
			var pops []string
			for _, p := range s.Populations {
				pops = append(pops, p.Name)
			}
			if !slices.Equal(pops, want.Populations) {
				t.Fatalf("populations %v, want %v", pops, want.Populations)
			}
			for pop, wn := range want.Nodes {
				nodes, err := s.Nodes(pop)
				if err != nil {
					t.Fatal(err)
				}
				if len(nodes) != len(wn) {
					t.Fatalf("%s: %d nodes, want %d", pop, len(nodes), len(wn))
				}
				for i, w := range wn {
					checkNode(t, nodes[i], w)
				}
			}
		})
	}
}

func checkNode(t *testing.T, n Node, w expectedNode) {
	t.Helper()
	name := n.Population + " " + strconv.FormatUint(n.ID, 10)
	if n.ID != w.ID || n.ModelType != w.ModelType || !n.HasPosition {
		t.Errorf("%s: id %d, model type %q, has position %v; want %d, %q", name, n.ID, n.ModelType, n.HasPosition, w.ID, w.ModelType)
	}
	for k := range 3 {
		if n.Position[k] != w.Position[k] {
			t.Errorf("%s: position %v, want %v", name, n.Position, w.Position)
			break
		}
	}
	rot := identity
	if w.Rotation != nil {
		rot = *w.Rotation
	}
	for i := range 3 {
		for j := range 3 {
			if !near(n.Rotation[i][j], rot[i][j], 1e-12) {
				t.Errorf("%s: rotation %v, want %v", name, n.Rotation, rot)
				return
			}
		}
	}
	for _, a := range []struct{ attr, want string }{{"mtype", w.Mtype}, {"pop_name", w.PopName}, {"ei", w.EI}} {
		if a.want == "" {
			continue
		}
		if v, ok := n.Attr(a.attr); !ok || v.Text != a.want {
			t.Errorf("%s: %s = %q (%v), want %q", name, a.attr, v.Text, ok, a.want)
		}
	}
	if w.Layer != 0 {
		if v, ok := n.Attr("layer"); !ok || !v.IsNumber || v.Number != float64(w.Layer) {
			t.Errorf("%s: layer %+v, want %d", name, v, w.Layer)
		}
	}
	if w.MorphologyFile == "" {
		if n.Morphology != "" || n.MorphologyFile != "" {
			t.Errorf("%s: morphology %q at %q, want none", name, n.Morphology, n.MorphologyFile)
		}
		return
	}
	if n.Morphology != w.Morphology || filepath.Base(n.MorphologyFile) != w.MorphologyFile {
		t.Errorf("%s: morphology %q at %q, want %q in %q", name, n.Morphology, n.MorphologyFile, w.Morphology, w.MorphologyFile)
	}
	cell, err := LoadMorphology(n)
	if err != nil {
		t.Fatal(err)
	}
	if len(cell.Sections) != w.Sections {
		t.Fatalf("%s: %d sections, want %d", name, len(cell.Sections), w.Sections)
	}
	// NEURON keeps 3-D points in single precision: the generator's soma
	// centres and placed points come from those.
	c := morph.SomaCenter(cell)
	got := [3]float64{c.X, c.Y, c.Z}
	for k := range 3 {
		if !near(got[k], w.SomaCenter[k], 1e-6) {
			t.Errorf("%s: soma centre %v, want %v", name, got, w.SomaCenter)
			break
		}
	}
	placed := Place(cell, n)
	pc := morph.SomaCenter(placed)
	pts := placed.Sections[w.LastSection].Points
	last := pts[len(pts)-1]
	for k, v := range [3]float64{last.X, last.Y, last.Z} {
		if !near(v, w.LastPoint[k], 1e-6) {
			t.Errorf("%s: last point placed at (%g, %g, %g), want %v", name, last.X, last.Y, last.Z, w.LastPoint)
			break
		}
	}
	for k, v := range [3]float64{pc.X, pc.Y, pc.Z} {
		if !near(v, n.Position[k], 1e-9) {
			t.Errorf("%s: placed soma centre (%g, %g, %g), want the position %v", name, pc.X, pc.Y, pc.Z, n.Position)
			break
		}
	}
}

func TestReports(t *testing.T) {
	for _, f := range flavours {
		want := loadExpected(t, f.name)
		for _, w := range []*expectedReport{&want.Report, want.SomaReport} {
			if w == nil {
				continue
			}
			t.Run(f.name+"/"+w.Name, func(t *testing.T) {
				s := openSim(t, f.config)
				r, err := s.Report(w.Name, "")
				if err != nil {
					t.Fatal(err)
				}
				defer r.Close()
				if r.Population != w.Population || r.Frames != w.Frames || r.Units != "mV" {
					t.Errorf("population %q, %d frames, units %q; want %q, %d, mV", r.Population, r.Frames, r.Units, w.Population, w.Frames)
				}
				if w.Columns > 0 && (r.Columns != w.Columns || !slices.Equal(r.NodeIDs(), w.NodeIDs)) {
					t.Errorf("%d columns, nodes %v; want %d, %v", r.Columns, r.NodeIDs(), w.Columns, w.NodeIDs)
				}
				if w.Time != [3]float64{} && (r.Start != w.Time[0] || r.Stop != w.Time[1] || r.Step != w.Time[2]) {
					t.Errorf("time %g, %g, %g; want %v", r.Start, r.Stop, r.Step, w.Time)
				}
				nodes, err := s.Nodes(r.Population)
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range w.Probes {
					cell, err := LoadMorphology(nodes[p.Node])
					if err != nil {
						t.Fatal(err)
					}
					l, err := r.Layout(p.Node, cell)
					if err != nil {
						t.Fatal(err)
					}
					frame, err := r.ReadFrame(p.Frame, l.First, l.End)
					if err != nil {
						t.Fatal(err)
					}
					v, err := l.Voltages(frame, nil)
					if err != nil {
						t.Fatal(err)
					}
					if p.SectionName != "" && cell.Sections[p.Section].Name != p.SectionName {
						t.Errorf("node %d section %d is %s, NEURON's is %s", p.Node, p.Section, cell.Sections[p.Section].Name, p.SectionName)
					}
					if p.NSeg == 0 {
						p.NSeg = 1 // a soma report: one value on the soma
					}
					if l.NSeg(p.Section) != p.NSeg || len(v[p.Section]) != p.NSeg {
						t.Fatalf("node %d section %d: nseg %d, want %d", p.Node, p.Section, l.NSeg(p.Section), p.NSeg)
					}
					if got := v[p.Section][p.Segment]; got != float32(p.V) {
						t.Errorf("node %d section %d segment %d frame %d: %g mV, want %g", p.Node, p.Section, p.Segment, p.Frame, got, float32(p.V))
					}
				}
			})
		}
	}
}

// A soma report holds nothing on the other sections.
func TestSomaReportLeavesNeurites(t *testing.T) {
	s := openSim(t, "testdata/bbp/simulation_config.json")
	r, err := s.Report("soma", "cortex")
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	nodes, err := s.Nodes("cortex")
	if err != nil {
		t.Fatal(err)
	}
	cell, err := LoadMorphology(nodes[3])
	if err != nil {
		t.Fatal(err)
	}
	l, err := r.Layout(3, cell)
	if err != nil {
		t.Fatal(err)
	}
	f, err := r.ReadFrame(0, 0, r.Columns)
	if err != nil {
		t.Fatal(err)
	}
	v, err := l.Voltages(f, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(v) != len(cell.Sections) || len(v[0]) != 1 || v[0][0] != -65 {
		t.Fatalf("soma values %v, want [-65]", v[0])
	}
	for sec := 1; sec < len(v); sec++ {
		if v[sec] != nil || l.NSeg(sec) != 0 {
			t.Errorf("section %d: %v, want nothing", sec, v[sec])
		}
	}
}

func TestSpikes(t *testing.T) {
	for _, f := range flavours {
		t.Run(f.name, func(t *testing.T) {
			want := loadExpected(t, f.name)
			s := openSim(t, f.config)
			for pop, trains := range want.Spikes {
				sp, err := s.Spikes(pop)
				if err != nil {
					t.Fatal(err)
				}
				if sp.Units != "ms" || sp.Sorting != "by_time" {
					t.Errorf("%s: units %q, sorting %q", pop, sp.Units, sp.Sorting)
				}
				total := 0
				for id, times := range trains {
					n, _ := strconv.ParseUint(id, 10, 64)
					if got := sp.Times(n); !slices.Equal(got, times) {
						t.Errorf("%s node %d: spikes at %v, want %v", pop, n, got, times)
					}
					total += len(times)
				}
				if sp.Len() != total || len(sp.NodeIDs()) != len(trains) {
					t.Errorf("%s: %d spikes of %d nodes, want %d of %d", pop, sp.Len(), len(sp.NodeIDs()), total, len(trains))
				}
				if sp.Times(1000) != nil {
					t.Errorf("%s: a node that does not exist spiked", pop)
				}
			}
		})
	}
}

func TestNodeSets(t *testing.T) {
	for _, f := range flavours {
		t.Run(f.name, func(t *testing.T) {
			want := loadExpected(t, f.name)
			s := openSim(t, f.config)
			for name, w := range want.NodeSets {
				got, err := s.NodeSet(name)
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != len(w) {
					t.Errorf("%s: %v, want %v", name, got, w)
					continue
				}
				for pop, ids := range w {
					if !slices.Equal(got[pop], ids) {
						t.Errorf("%s: %v, want %v", name, got, w)
					}
				}
			}
		})
	}
}
