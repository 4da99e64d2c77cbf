package morphfile

import (
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// TestH5FileNumbers compares every HDF5 morphology with the file's own
// numbers as h5py reads them (facts.json, "h5py"): one section per
// structure row (the soma's rows making one section), the same types, the
// neurite rows' summed length within 0.5% and their bounding box within
// 0.01 µm.
func TestH5FileNumbers(t *testing.T) {
	facts := loadFacts(t)
	n := 0
	for name, f := range facts.Files {
		if f.H5py == nil {
			continue
		}
		n++
		t.Run(name, func(t *testing.T) {
			cell, err := ReadFile(filepath.Join(morphologies, name))
			if err != nil {
				t.Fatal(err)
			}
			want := f.H5py
			somaRows := want.Types["soma"]
			if got := len(cell.Sections); got != want.Rows-max(somaRows-1, 0) {
				t.Errorf("%d sections from %d rows (%d of them soma)", got, want.Rows, somaRows)
			}
			types := map[string]int{}
			var length float64
			lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
			hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
			for _, s := range cell.Sections {
				types[arrayName(s.Name)]++
				if s.Type == "soma" {
					continue
				}
				length += s.Length()
				for _, p := range s.Points {
					for k, v := range [3]float64{p.X, p.Y, p.Z} {
						lo[k], hi[k] = min(lo[k], v), max(hi[k], v)
					}
				}
			}
			if somaRows > 1 {
				types["soma"] = somaRows
			}
			if !mapsEqual(types, want.Types) {
				t.Errorf("types %v, the file's rows %v", types, want.Types)
			}
			if math.Abs(length-want.NeuriteLength) > .005*want.NeuriteLength {
				t.Errorf("neurite length %.4f µm, the file's %.4f", length, want.NeuriteLength)
			}
			for k := range 3 {
				if math.Abs(lo[k]-want.BBoxMin[k]) > .01 || math.Abs(hi[k]-want.BBoxMax[k]) > .01 {
					t.Errorf("bounding box %v … %v, the file's %v … %v", lo, hi, want.BBoxMin, want.BBoxMax)
					break
				}
			}
		})
	}
	if n < 3 {
		t.Errorf("only %d HDF5 morphologies have h5py facts", n)
	}
}

// TestH5Refused checks that each broken HDF5 file is refused with the
// dataset row and the reason.
func TestH5Refused(t *testing.T) {
	tests := []struct{ file, want string }{
		{"past_points.h5", "structure[7]: first point 100 is not one of the 22 points"},
		{"parent_later.h5", "structure[2]: parent 5 is not an earlier section"},
		{"parent_cycle.h5", "structure[3]: parent 3 is not an earlier section"},
		{"parent_out_of_range.h5", "structure[4]: parent -7 is not an earlier section"},
		{"second_soma.h5", "structure[5]: a soma section (type 1) after a neurite"},
		{"two_point_soma.h5", "structure[0]: a soma of 2 points is neither a point"},
		{"nan_point.h5", "point 9 (40, 12, 1, diameter NaN) is not finite"},
		{"version_2_metadata.h5", "metadata version [2 0]: only version 1"},
		{"not_a_morphology.h5", "an HDF5 file without a BBP morphology's datasets"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join(morphologies, "refused", tt.file)
			_, err := ReadFile(path)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), path+": ") {
				t.Errorf("error %v, want %q after the path", err, tt.want)
			}
		})
	}
}

// square is a soma outline of four points around the origin.
var square = [][4]float64{{-1, -1, 0, 0}, {1, -1, 0, 0}, {1, 1, 0, 0}, {-1, 1, 0, 0}}

// h5Cell lays out rows of (type, parent, points) after a soma of the given
// points (none: no soma row) as an HDF5 file stores them.
func newH5Data(soma [][4]float64, secs ...h5Sec) *h5Data {
	d := &h5Data{structure: "structure"}
	if len(soma) > 0 {
		d.rows = append(d.rows, h5Row{first: 0, typ: 1, parent: -1})
		for _, p := range soma {
			d.points = append(d.points, p[:]...)
		}
	}
	for _, s := range secs {
		d.rows = append(d.rows, h5Row{first: int64(len(d.points) / 4), typ: s.typ, parent: s.parent})
		for _, p := range s.pts {
			d.points = append(d.points, p[:]...)
		}
	}
	return d
}

type h5Sec struct {
	typ, parent int64
	pts         [][4]float64
}

// line is a two-point section from a to b, 1 µm wide.
func line(typ, parent int64, a, b [3]float64) h5Sec {
	return h5Sec{typ, parent, [][4]float64{{a[0], a[1], a[2], 1}, {b[0], b[1], b[2], 1}}}
}

// TestH5Order checks NEURON's order: trees sorted by type, keeping file
// order within a type, and each tree depth first.
func TestH5Order(t *testing.T) {
	d := newH5Data(square,
		line(3, 0, [3]float64{1, 0, 0}, [3]float64{5, 0, 0}),   // 1 dend
		line(2, 0, [3]float64{0, -1, 0}, [3]float64{0, -5, 0}), // 2 axon
		line(3, 1, [3]float64{5, 0, 0}, [3]float64{9, 1, 0}),   // 3 dend, child of 1
		line(3, 0, [3]float64{-1, 0, 0}, [3]float64{-5, 0, 0}), // 4 dend
		line(3, 1, [3]float64{5, 0, 0}, [3]float64{9, -1, 0}),  // 5 dend, child of 1
		line(3, 3, [3]float64{9, 1, 0}, [3]float64{12, 1, 0}),  // 6 dend, child of 3
	)
	cell, err := d.cell()
	if err != nil {
		t.Fatal(err)
	}
	// Depth first: 1, 3, 6, 5, then 4.
	wantEnd := map[string][2]float64{
		"axon[0]": {0, -5}, "dend[0]": {5, 0}, "dend[1]": {9, 1}, "dend[2]": {12, 1}, "dend[3]": {9, -1}, "dend[4]": {-5, 0},
	}
	wantParent := map[string]string{
		"axon[0]": "soma[0]", "dend[0]": "soma[0]", "dend[1]": "dend[0]", "dend[2]": "dend[1]", "dend[3]": "dend[0]", "dend[4]": "soma[0]",
	}
	if len(cell.Sections) != 7 || cell.Sections[0].Name != "soma[0]" || cell.Sections[1].Name != "axon[0]" {
		t.Fatalf("sections %v", names(cell))
	}
	for _, s := range cell.Sections[1:] {
		end := s.Points[len(s.Points)-1]
		if w := wantEnd[s.Name]; end.X != w[0] || end.Y != w[1] {
			t.Errorf("%s ends at %v, want %v", s.Name, end, w)
		}
		parent := cell.Sections[s.Parent]
		wantX := 1.0
		if parent.Name == "soma[0]" {
			wantX = .5
		}
		if parent.Name != wantParent[s.Name] || s.ParentX != wantX {
			t.Errorf("%s on %s at %g, want %s at %g", s.Name, parent.Name, s.ParentX, wantParent[s.Name], wantX)
		}
	}
}

func names(c *morph.Cell) []string {
	var out []string
	for _, s := range c.Sections {
		out = append(out, s.Name)
	}
	return out
}

// TestH5Somas checks the soma forms: a point (a cylinder as long as wide,
// as Import3d draws it), an outline (a 21-point centre line), several
// soma rows (the v2 layout) making one outline, and no soma.
func TestH5Somas(t *testing.T) {
	axon := line(2, 0, [3]float64{0, 0, 0}, [3]float64{0, 10, 0})
	tests := []struct {
		name     string
		d        *h5Data
		somaPts  int
		sections int
	}{
		{"point", newH5Data([][4]float64{{1, 2, 3, 4}}, axon), 3, 2},
		{"outline", newH5Data(square, axon), 21, 2},
		{"soma only", newH5Data(square), 21, 1},
		{"soma rows", &h5Data{structure: "s",
			points: []float64{-1, -1, 0, 0, 1, -1, 0, 0, 1, 1, 0, 0, -1, 1, 0, 0, 0, 0, 0, 1, 0, 10, 0, 1},
			rows:   []h5Row{{0, 1, -1}, {2, 1, 0}, {4, 2, 1}}}, 21, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell, err := tt.d.cell()
			if err != nil {
				t.Fatal(err)
			}
			if len(cell.Sections) != tt.sections || cell.Sections[0].Type != "soma" || len(cell.Sections[0].Points) != tt.somaPts {
				t.Fatalf("sections %v, soma of %d points", names(cell), len(cell.Sections[0].Points))
			}
			if tt.sections > 1 && (cell.Sections[1].Parent != 0 || cell.Sections[1].ParentX != .5) {
				t.Errorf("axon on %d at %g, want the soma's middle", cell.Sections[1].Parent, cell.Sections[1].ParentX)
			}
		})
	}
	cell, err := newH5Data(nil, line(3, -1, [3]float64{}, [3]float64{1, 0, 0}), line(2, -1, [3]float64{}, [3]float64{0, 1, 0})).cell()
	if err != nil {
		t.Fatal(err)
	}
	if got := names(cell); !slices.Equal(got, []string{"axon[0]", "dend[0]"}) || cell.Sections[0].Parent != -1 || cell.Sections[1].Parent != -1 {
		t.Errorf("no soma: sections %v", got)
	}
}

// TestH5Structure checks that structures no cell can have are refused
// with the row and the reason.
func TestH5Structure(t *testing.T) {
	axon := line(2, 0, [3]float64{0, 0, 0}, [3]float64{0, 10, 0})
	edit := func(f func(d *h5Data)) *h5Data {
		d := newH5Data(square, axon, line(3, 0, [3]float64{1, 0, 0}, [3]float64{9, 0, 0}))
		f(d)
		return d
	}
	tests := []struct {
		name string
		d    *h5Data
		want string
	}{
		{"no rows", &h5Data{structure: "structure", points: []float64{0, 0, 0, 1}}, "structure is empty"},
		{"first row later", edit(func(d *h5Data) { d.rows[0].first = 1 }), "structure[0]: first point 1, but the first section must start at point 0"},
		{"rows out of order", edit(func(d *h5Data) { d.rows[2].first = 2 }), "structure[2]: first point 2 does not come after structure[1]'s first point 4"},
		{"empty section", edit(func(d *h5Data) { d.rows[2].first = 4 }), "does not come after"},
		{"negative first point", edit(func(d *h5Data) { d.rows[1].first = -4 }), "structure[1]: first point -4 is not one of the"},
		{"type 0", edit(func(d *h5Data) { d.rows[1].typ = 0 }), "structure[1]: type 0 is not a section type"},
		{"huge type", edit(func(d *h5Data) { d.rows[1].typ = 1 << 40 }), "is not a section type"},
		{"first row with a parent", edit(func(d *h5Data) { d.rows[0].parent = 0 }), "structure[0]: parent 0, but the first section has none"},
		{"own parent", edit(func(d *h5Data) { d.rows[2].parent = 2 }), "structure[2]: parent 2 is not an earlier section (-1 to 1)"},
		{"one-point neurite", newH5Data(square, h5Sec{2, 0, [][4]float64{{0, 0, 0, 1}}}), "structure[1]: a section of 1 point"},
		{"negative diameter", edit(func(d *h5Data) { d.points[4*5+3] = -2 }), "point 5: negative diameter -2"},
		{"infinite point", edit(func(d *h5Data) { d.points[0] = math.Inf(1) }), "point 0 (+Inf, -1, 0, diameter 0) is not finite"},
		{"soma on a line", newH5Data([][4]float64{{0, 0, 0, 1}, {1, 0, 0, 1}, {2, 0, 0, 1}}, axon), "structure[0]: soma[0]: outline too small or too regular"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell, err := tt.d.cell()
			if err == nil {
				t.Fatalf("read %v, want error %q", names(cell), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}
