package morphfile

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// morphologies is where the test morphologies live, relative to this
// package.
const morphologies = "../testdata/morphologies"

// neuronFacts is testdata/facts.json: what NEURON's Import3d made of each
// test morphology (written by testdata/facts.py).
type neuronFacts struct {
	Neuron string
	Files  map[string]fileFacts
}

type fileFacts struct {
	Refused       string
	Sections      int
	Types         map[string]int
	N3D           int            `json:"n3d"`
	NeuriteLength float64        `json:"neurite_length"`
	BBoxMin       *[3]float64    `json:"bbox_min"`
	BBoxMax       *[3]float64    `json:"bbox_max"`
	SectionList   []sectionFacts `json:"section_list"`
	// H5py holds an HDF5 file's own numbers, read without NEURON.
	H5py *h5pyFacts `json:"h5py"`
}

// h5pyFacts are an HDF5 morphology's numbers as h5py reads them: structure
// rows, rows per type, and the summed length and bounding box of the
// neurite rows' points.
type h5pyFacts struct {
	Rows          int
	Types         map[string]int
	NeuriteLength float64    `json:"neurite_length"`
	BBoxMin       [3]float64 `json:"bbox_min"`
	BBoxMax       [3]float64 `json:"bbox_max"`
}

type sectionFacts struct {
	Name    string
	N3D     int `json:"n3d"`
	L       float64
	Parent  int
	ParentX float64 `json:"parent_x"`
	First   [4]float64
	Last    [4]float64
	Points  [][4]float64
}

func loadFacts(t *testing.T) neuronFacts {
	t.Helper()
	data, err := os.ReadFile("testdata/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	var f neuronFacts
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

// NEURON stores 3-D points as float32, so its numbers differ from the
// file's in the eighth significant digit.
func near(a, b float64) bool { return math.Abs(a-b) <= 1e-4+2e-7*math.Abs(b) }

func nearPoint(p morph.Point, q [4]float64) bool {
	return near(p.X, q[0]) && near(p.Y, q[1]) && near(p.Z, q[2]) && near(p.Diam, q[3])
}

// arrayName is the NEURON section array a section belongs to: "dend" for
// "dend[3]".
func arrayName(name string) string {
	a, _, _ := strings.Cut(name, "[")
	return a
}

// TestNEURONFacts reads every test morphology and compares the cell,
// section by section, with what NEURON made of the file.
func TestNEURONFacts(t *testing.T) {
	facts := loadFacts(t)
	names := make([]string, 0, len(facts.Files))
	for name := range facts.Files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		want := facts.Files[name]
		t.Run(name, func(t *testing.T) {
			cell, err := ReadFile(filepath.Join(morphologies, name))
			if want.Refused != "" {
				if err == nil {
					t.Fatalf("read %d sections; NEURON refused the file (%s)", len(cell.Sections), want.Refused)
				}
				t.Logf("refused: %v (NEURON: %s)", err, want.Refused)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			compareCell(t, cell, want)
		})
	}
}

func compareCell(t *testing.T, cell *morph.Cell, want fileFacts) {
	t.Helper()
	if len(cell.Sections) != want.Sections {
		t.Fatalf("%d sections, NEURON %d", len(cell.Sections), want.Sections)
	}
	types := map[string]int{}
	n3d := 0
	var length float64
	lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, s := range cell.Sections {
		types[arrayName(s.Name)]++
		n3d += len(s.Points)
		if arrayName(s.Name) == "soma" {
			continue
		}
		length += s.Length()
		for _, p := range s.Points {
			for k, v := range [3]float64{p.X, p.Y, p.Z} {
				lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
			}
		}
	}
	if !mapsEqual(types, want.Types) {
		t.Errorf("types %v, NEURON %v", types, want.Types)
	}
	if n3d != want.N3D {
		t.Errorf("%d 3-D points, NEURON %d", n3d, want.N3D)
	}
	if math.Abs(length-want.NeuriteLength) > 1e-5*want.NeuriteLength+1e-6 {
		t.Errorf("neurite length %.6f µm, NEURON %.6f", length, want.NeuriteLength)
	}
	if want.BBoxMin != nil {
		for k := range 3 {
			if math.Abs(lo[k]-want.BBoxMin[k]) > 1e-3 || math.Abs(hi[k]-want.BBoxMax[k]) > 1e-3 {
				t.Errorf("bounding box %v … %v, NEURON %v … %v", lo, hi, *want.BBoxMin, *want.BBoxMax)
				break
			}
		}
	}
	for i, w := range want.SectionList {
		s := cell.Sections[i]
		if s.Name != w.Name || len(s.Points) != w.N3D || s.Parent != w.Parent || s.ParentX != w.ParentX {
			t.Errorf("section %d: %s, %d points, parent %d at %g; NEURON %s, %d points, parent %d at %g",
				i, s.Name, len(s.Points), s.Parent, s.ParentX, w.Name, w.N3D, w.Parent, w.ParentX)
			continue
		}
		if s.Type != sectionType(w.Name) || s.ID != i {
			t.Errorf("section %d (%s): type %q, id %d", i, s.Name, s.Type, s.ID)
		}
		if l := s.Length(); math.Abs(l-w.L) > 1e-5*w.L+1e-6 {
			t.Errorf("%s: length %.6f, NEURON %.6f", s.Name, l, w.L)
		}
		if !nearPoint(s.Points[0], w.First) || !nearPoint(s.Points[len(s.Points)-1], w.Last) {
			t.Errorf("%s: runs %v … %v, NEURON %v … %v", s.Name, s.Points[0], s.Points[len(s.Points)-1], w.First, w.Last)
		}
		for j, q := range w.Points {
			if !nearPoint(s.Points[j], q) {
				t.Errorf("%s: point %d is %v, NEURON %v", s.Name, j, s.Points[j], q)
				break
			}
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestEveryMorphologyHasFacts keeps facts.json in step with the files.
func TestEveryMorphologyHasFacts(t *testing.T) {
	facts := loadFacts(t)
	err := filepath.WalkDir(morphologies, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		ext := strings.ToLower(filepath.Ext(path))
		if d.IsDir() || (ext != ".swc" && ext != ".asc" && ext != ".h5") {
			return nil
		}
		rel, err := filepath.Rel(morphologies, path)
		if err != nil {
			return err
		}
		if _, ok := facts.Files[filepath.ToSlash(rel)]; !ok {
			t.Errorf("%s has no NEURON facts: run /usr/bin/python3 morphfile/testdata/facts.py", rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
