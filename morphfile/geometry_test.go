package morphfile

import (
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morph"
)

// TestApplyGeometryRecordings gives real recordings the geometry of the
// files they were simulated from; since a recording stores each section's
// 3-D points rounded to 3 decimals, the points must come out the same,
// which shows that the recording lists its sections as the file is read.
func TestApplyGeometryRecordings(t *testing.T) {
	tests := []struct {
		recording, morphology string
		keepsPoints           bool // the recording has its own points to compare with
		names                 bool // the recording names its sections
	}{
		{"l5_bap.pickle", "morphologies/hay2011_l5b_cell3.asc", true, false},
		{"with_morphology/simple_swc.pickle", "morphologies/neurom/simple.swc", true, true},
		{"with_morphology/simple_swc_no_geometry.pickle", "morphologies/neurom/simple.swc", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.recording, func(t *testing.T) {
			rec, _, err := blenderspike.ReadFile(filepath.Join("..", "testdata", tt.recording))
			if err != nil {
				t.Fatal(err)
			}
			file, err := ReadFile(filepath.Join("..", "testdata", tt.morphology))
			if err != nil {
				t.Fatal(err)
			}
			cell, err := ApplyGeometry(rec, file)
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range cell.Sections {
				r, f := rec.Sections[i], file.Sections[i]
				if s.ID != r.ID || s.Type != r.Type || s.Name != f.Name || len(s.Points) != len(f.Points) {
					t.Fatalf("section %d: %+v from recorded %+v", i, s, r)
				}
				if s.Parent != f.Parent || s.ParentX != f.ParentX {
					t.Errorf("section %d on %d at %g, the file's on %d at %g", i, s.Parent, s.ParentX, f.Parent, f.ParentX)
				}
				if !tt.keepsPoints {
					continue
				}
				if len(r.Points) != len(s.Points) {
					t.Fatalf("section %d: %d points recorded, %d in the file", i, len(r.Points), len(s.Points))
				}
				for j, p := range s.Points {
					q := r.Points[j]
					if math.Abs(p.X-q.X) > 6e-4 || math.Abs(p.Y-q.Y) > 6e-4 || math.Abs(p.Z-q.Z) > 6e-4 || math.Abs(p.Diam-q.Diam) > 6e-4 {
						t.Fatalf("section %d point %d: %v in the file, %v recorded", i, j, p, q)
					}
				}
			}
			if tt.names != (rec.Sections[0].Name != "") {
				t.Errorf("recorded names: %q", rec.Sections[0].Name)
			}
		})
	}
}

// cellOf makes a cell of named sections, "type:name" each, with one point.
func cellOf(specs ...string) *morph.Cell {
	c := &morph.Cell{}
	for i, spec := range specs {
		typ, name, _ := strings.Cut(spec, ":")
		c.Sections = append(c.Sections, morph.Section{ID: i, Type: typ, Name: name, Parent: i - 1, Points: []morph.Point{{X: float64(i)}}})
	}
	return c
}

func TestApplyGeometry(t *testing.T) {
	file := cellOf("soma:soma[0]", "axon:axon[0]", "dend:dend[0]", "dend:dend[1]")
	bare := func(c *morph.Cell) *morph.Cell {
		for i := range c.Sections {
			c.Sections[i].Points, c.Sections[i].Parent = nil, -1
		}
		return c
	}
	tests := []struct {
		name     string
		recorded *morph.Cell
		want     string // error, or "" to accept
	}{
		{"same names", cellOf("soma:soma[0]", "axon:axon[0]", "dend:dend[0]", "dend:dend[1]"), ""},
		{"cell prefix", cellOf("soma:L5[0].soma[0]", "axon:L5[0].axon[0]", "dend:L5[0].dend[0]", "dend:L5[0].dend[1]"), ""},
		{"no names, no points", bare(cellOf("soma", "axon", "dend", "dend")), ""},
		{"type differs", cellOf("soma", "dend", "dend", "dend"),
			"section 1 is dend in the recording, axon in the morphology file (axon[0])"},
		{"name differs", cellOf("soma:soma[0]", "axon:axon[0]", "dend:dend[1]", "dend:dend[0]"),
			"section 2 is dend[1] in the recording, dend[0] in the morphology file"},
		{"prefix without a dot", cellOf("soma:xsoma[0]", "axon", "dend", "dend"),
			"section 0 is xsoma[0] in the recording, soma[0] in the morphology file"},
		{"recording longer", cellOf("soma", "axon", "dend", "dend", "apic:apic[0]", "apic"),
			"the recording has 6 sections (soma 1, axon 1, dend 2, apic 2), the morphology file 4 (soma 1, axon 1, dend 2): the recording goes on from section 4 with apic[0] (apic 2)"},
		{"file longer", cellOf("soma", "axon", "dend"),
			"the recording has 3 sections (soma 1, axon 1, dend 1), the morphology file 4 (soma 1, axon 1, dend 2): the file goes on from section 3 with dend[1] (dend 1)"},
		{"stub axon", cellOf("soma", "axon", "axon", "dend", "dend"),
			"section 2 is axon in the recording, dend in the morphology file (dend[0]); the recording has 5 sections, the file 4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell, err := ApplyGeometry(tt.recorded, file)
			if tt.want != "" {
				if err == nil || err.Error() != tt.want {
					t.Errorf("error %v, want %q", err, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range cell.Sections {
				r, f := tt.recorded.Sections[i], file.Sections[i]
				wantName := r.Name
				if wantName == "" {
					wantName = f.Name
				}
				if s.Name != wantName || s.Type != r.Type || s.Points[0] != f.Points[0] || s.Parent != f.Parent {
					t.Errorf("section %d: %+v", i, s)
				}
			}
		})
	}
}

// TestApplyGeometryKeepsRecordedParents: a recording that says how its
// sections attach keeps its word; the file only gives points.
func TestApplyGeometryKeepsRecordedParents(t *testing.T) {
	file := cellOf("soma", "axon", "dend")
	rec := cellOf("soma", "axon", "dend")
	rec.Sections[2].Parent, rec.Sections[2].ParentX = 0, .5
	cell, err := ApplyGeometry(rec, file)
	if err != nil {
		t.Fatal(err)
	}
	if s := cell.Sections[2]; s.Parent != 0 || s.ParentX != .5 || s.Points[0].X != 2 {
		t.Errorf("section 2: %+v", s)
	}
	if rec.Sections[0].Points[0].X != 0 || &rec.Sections[0] == &cell.Sections[0] {
		t.Errorf("the recording's cell changed")
	}
}
