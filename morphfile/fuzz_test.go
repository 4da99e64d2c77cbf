package morphfile

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// FuzzSWC feeds arbitrary bytes to the SWC reader: it must return a cell
// or an error, never panic or hang, allocate in proportion to the input,
// and whatever it returns must be consistent.
func FuzzSWC(f *testing.F) {
	addSeeds(f, "*/*.swc")
	f.Add([]byte("1 1 0 0 0 3 -1\n2 1 0 -3 0 3 1\n3 1 0 3 0 3 1\n4 3 3 0 0 1 1\n5 3 9 0 0 1 4\n"))
	f.Add([]byte("1 3 0 0 0 1 -1\n2 3 0 0 0 1 1\n3 3 0 0 0 1 2\n4 2 0 1 0 1 -1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, data, readSWC)
	})
}

// FuzzASC is FuzzSWC for the Neurolucida reader.
func FuzzASC(f *testing.F) {
	addSeeds(f, "*/*.asc")
	f.Add([]byte("(\"CellBody\" (CellBody) (0 0 0 1) (1 0 0 1) (1 1 0 1))\n(\"CellBody\" (0 0 1 1) (2 0 1 1) (2 2 1 1))\n((Axon) (5 5 0 1) (9 9 0 1) ((1 1 1 1) Normal | (Dot (2 2 2 2)) (3 3 3 3)))"))
	f.Add([]byte("((Color RGB (1, 2, 3)) (Dendrite) (0 0 0 1) <(Class 1 \"a\") (1 1)> (0, 5, 0, 1 S1 (1 2 3 4)) (Set \"s\" ((Apical) (0 0))))"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, data, readASC)
	})
}

// addSeeds adds the test morphologies matching pattern, each cut to its
// first few kilobytes.
func addSeeds(f *testing.F, pattern string) {
	const maxSeed = 4 << 10
	files, err := filepath.Glob(filepath.Join(morphologies, pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxSeed)])
	}
}

func fuzzOne(t *testing.T, data []byte, read func([]byte) (*morph.Cell, error)) {
	var (
		cell *morph.Cell
		err  error
	)
	n := allocated(func() { cell, err = read(data) })
	if limit := 2048*uint64(len(data)) + 1<<20; n > limit {
		t.Errorf("allocated %d bytes for %d bytes of input (err %v)", n, len(data), err)
	}
	if (cell == nil) == (err == nil) {
		t.Fatalf("cell %v with error %v", cell, err)
	}
	if cell != nil {
		checkCell(t, cell.Sections)
	}
}

// checkCell checks what a successful read promises: named sections of at
// least two finite points, each attached to another section or a root.
func checkCell(t *testing.T, sections []morph.Section) {
	t.Helper()
	if len(sections) == 0 {
		t.Fatal("no sections")
	}
	names := map[string]bool{}
	for i, s := range sections {
		if len(s.Points) < 2 || s.Parent < -1 || s.Parent >= len(sections) || s.Parent == i || s.ID != i {
			t.Errorf("section %d: %d points, parent %d, id %d", i, len(s.Points), s.Parent, s.ID)
		}
		if s.Parent >= 0 && !(s.ParentX >= 0 && s.ParentX <= 1) {
			t.Errorf("section %d: attached at %g", i, s.ParentX)
		}
		if names[s.Name] || s.Type == "" {
			t.Errorf("section %d: name %q, type %q", i, s.Name, s.Type)
		}
		names[s.Name] = true
		for _, p := range s.Points {
			for _, x := range [4]float64{p.X, p.Y, p.Z, p.Diam} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Errorf("section %d: point %v", i, p)
				}
			}
		}
	}
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// FuzzH5 is FuzzSWC for BBP HDF5 morphologies, whole files as seeds.
func FuzzH5(f *testing.F) {
	files, err := filepath.Glob(filepath.Join(morphologies, "*/*.h5"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzOne(t, data, readH5)
	})
}

// FuzzH5Structure feeds arbitrary structure rows and points to the
// section builder that HDF5 files share: byte 0 is the number of rows,
// then three signed bytes per row (first point, type, parent), then the
// points, four signed bytes each.
func FuzzH5Structure(f *testing.F) {
	f.Add([]byte{3, 0, 1, 0xff, 4, 2, 0, 6, 3, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 3, 0, 1, 0, 0, 3, 0, 1, 5, 0, 1, 9, 0, 1})
	f.Add([]byte{2, 0, 1, 0xff, 1, 3, 0, 0, 0, 0, 4, 0, 0, 0, 1, 5, 5, 5, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		d := &h5Data{structure: "structure"}
		nrows := int(data[0] % 32)
		data = data[1:]
		for i := 0; i < nrows && len(data) >= 3; i++ {
			d.rows = append(d.rows, h5Row{int64(int8(data[0])), int64(int8(data[1])), int64(int8(data[2]))})
			data = data[3:]
		}
		for ; len(data) >= 4; data = data[4:] {
			d.points = append(d.points, float64(int8(data[0])), float64(int8(data[1])), float64(int8(data[2])), float64(int8(data[3])))
		}
		cell, err := d.cell()
		if (cell == nil) == (err == nil) {
			t.Fatalf("cell %v with error %v", cell, err)
		}
		if cell != nil {
			checkCell(t, cell.Sections)
		}
	})
}
