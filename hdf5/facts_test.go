package hdf5

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The facts testdata/gen.py recorded with h5py about every file it wrote
// and about the BBP morphologies.
type facts struct {
	Files        map[string]fileFacts  `json:"files"`
	Morphologies map[string]morphFacts `json:"morphologies"`
}

type fileFacts struct {
	Superblock int                    `json:"superblock"`
	Objects    map[string]objectFacts `json:"objects"`
	Slabs      []slabFacts            `json:"slabs"`
}

type objectFacts struct {
	Kind    string                `json:"kind"`
	Members map[string]string     `json:"members"`
	Attrs   map[string]valueFacts `json:"attrs"`
	Chunks  []uint64              `json:"chunks"`
	Layout  string                `json:"layout"`
	Filters []string              `json:"filters"`
	valueFacts
}

type valueFacts struct {
	DType  typeFacts `json:"dtype"`
	Shape  []uint64  `json:"shape"`
	N      int       `json:"n"`
	SHA256 string    `json:"sha256"`
	Values []any     `json:"values"` // json.Number or string
	First  []any     `json:"first"`
}

type typeFacts struct {
	Class  string `json:"class"`
	Size   int    `json:"size"`
	Order  string `json:"order"`
	Signed bool   `json:"signed"`
}

type slabFacts struct {
	Dataset string   `json:"dataset"`
	Start   []uint64 `json:"start"`
	Count   []uint64 `json:"count"`
	valueFacts
}

type morphFacts struct {
	Datasets map[string]valueFacts            `json:"datasets"`
	Attrs    map[string]map[string]valueFacts `json:"attrs"`
}

func loadFacts(t *testing.T) facts {
	t.Helper()
	data, err := os.ReadFile("testdata/facts.json")
	if err != nil {
		t.Fatal(err)
	}
	var fs facts
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&fs); err != nil {
		t.Fatal(err)
	}
	if len(fs.Files) == 0 || len(fs.Morphologies) == 0 {
		t.Fatal("no facts")
	}
	return fs
}

func openTest(t *testing.T, path string) *File {
	t.Helper()
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// values is what a read returned, in the form the facts digest.
type values struct {
	floats  []float64
	ints    []int64
	strings []string
}

func (v values) len() int { return len(v.floats) + len(v.ints) + len(v.strings) }

// digest is the sha256 gen.py computes: strings as UTF-8 and a NUL,
// floats as float64 and integers as int64, little-endian.
func (v values) digest() string {
	h := sha256.New()
	for _, s := range v.strings {
		h.Write([]byte(s + "\x00"))
	}
	for _, x := range v.floats {
		h.Write(binary.LittleEndian.AppendUint64(nil, math.Float64bits(x)))
	}
	for _, x := range v.ints {
		h.Write(binary.LittleEndian.AppendUint64(nil, uint64(x)))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// reader is what datasets and attributes share.
type reader interface {
	ReadFloat64() ([]float64, error)
	ReadInt64() ([]int64, error)
	ReadStrings() ([]string, error)
}

// readAs reads all values the way the facts' type says they are.
func readAs(r reader, class string) (values, error) {
	var v values
	var err error
	switch class {
	case "float":
		v.floats, err = r.ReadFloat64()
	case "int":
		v.ints, err = r.ReadInt64()
	default:
		v.strings, err = r.ReadStrings()
	}
	return v, err
}

// checkValues compares values read with the facts.
func checkValues(t *testing.T, what string, got values, want valueFacts) {
	t.Helper()
	if got.len() != want.N {
		t.Errorf("%s: %d values, want %d", what, got.len(), want.N)
		return
	}
	if d := got.digest(); d != want.SHA256 {
		shown := want.Values
		if shown == nil {
			shown = want.First
		}
		t.Errorf("%s: values differ from h5py's (sha256 %s, want %s); got %v, want starting %v",
			what, d[:12], want.SHA256[:12], got.prefix(len(shown)), shown)
	}
}

func (v values) prefix(n int) any {
	switch {
	case v.floats != nil:
		return v.floats[:min(n, len(v.floats))]
	case v.ints != nil:
		return v.ints[:min(n, len(v.ints))]
	}
	return v.strings[:min(n, len(v.strings))]
}

func checkType(t *testing.T, what string, got DType, want typeFacts) {
	t.Helper()
	var ok bool
	switch want.Class {
	case "int":
		ok = got.Kind == Integer && got.Size == want.Size && got.Signed == want.Signed && got.BigEndian == (want.Order == ">")
	case "float":
		ok = got.Kind == Float && got.Size == want.Size && got.BigEndian == (want.Order == ">")
	case "string":
		ok = got.Kind == String && got.Size == want.Size
	case "vlen-string":
		ok = got.Kind == VarString
	case "other":
		ok = got.Kind == Other && got.Size == want.Size
	}
	if !ok {
		t.Errorf("%s: type %v (%+v), want %+v", what, got, got, want)
	}
}

func checkShape(t *testing.T, what string, got, want []uint64) {
	t.Helper()
	if (got == nil) != (want == nil) || !slices.Equal(got, want) {
		t.Errorf("%s: shape %v, want %v", what, got, want)
	}
}

func checkAttrs(t *testing.T, obj Object, want map[string]valueFacts) {
	t.Helper()
	names, err := obj.Attrs()
	if err != nil {
		t.Errorf("%s: %v", obj.Path(), err)
		return
	}
	var wantNames []string
	for name := range want {
		wantNames = append(wantNames, name)
	}
	slices.Sort(wantNames)
	if !slices.Equal(names, wantNames) {
		t.Errorf("%s: attributes %q, want %q", obj.Path(), names, wantNames)
	}
	for _, name := range wantNames {
		what := obj.Path() + " attribute " + name
		a, err := obj.Attr(name)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		checkType(t, what, a.DType(), want[name].DType)
		checkShape(t, what, a.Shape(), want[name].Shape)
		v, err := readAs(a, want[name].DType.Class)
		if err != nil {
			t.Errorf("%s: %v", what, err)
			continue
		}
		checkValues(t, what, v, want[name])
	}
}

// TestGeneratedFiles reads every file gen.py wrote and compares what it
// finds with what h5py found: every object, link, attribute, type, shape
// and value, and the hyperslabs.
func TestGeneratedFiles(t *testing.T) {
	fs := loadFacts(t)
	for name, want := range fs.Files {
		t.Run(name, func(t *testing.T) {
			f := openTest(t, filepath.Join("testdata", name))
			if f.superblock != want.Superblock {
				t.Errorf("superblock version %d, want %d", f.superblock, want.Superblock)
			}
			seen := map[string]bool{}
			err := f.Root().Walk(func(obj Object) error {
				seen[obj.Path()] = true
				o, ok := want.Objects[obj.Path()]
				if !ok {
					t.Errorf("%s: not an object h5py found", obj.Path())
					return nil
				}
				checkAttrs(t, obj, o.Attrs)
				switch obj := obj.(type) {
				case *Group:
					checkGroup(t, obj, o)
				case *Dataset:
					checkDataset(t, obj, o)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for path := range want.Objects {
				if !seen[path] {
					t.Errorf("%s: not found by Walk", path)
				}
			}
			for _, s := range want.Slabs {
				checkSlab(t, f, s)
			}
		})
	}
}

func checkGroup(t *testing.T, g *Group, want objectFacts) {
	t.Helper()
	if want.Kind != "group" {
		t.Errorf("%s: a group, h5py found a %s", g.Path(), want.Kind)
		return
	}
	var names []string
	for name := range want.Members {
		names = append(names, name)
	}
	slices.Sort(names)
	if got := g.Members(); !slices.Equal(got, names) {
		t.Errorf("%s: members %q, want %q", g.Path(), got, names)
	}
	for name, kind := range want.Members {
		obj, err := g.Object(name)
		switch {
		case kind == "external" || kind == "datatype":
			if !errors.Is(err, ErrUnsupported) {
				t.Errorf("%s/%s (%s): %v, want ErrUnsupported", g.Path(), name, kind, err)
			}
		case kind == "soft:/nowhere":
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%s/%s (dangling link): %v, want ErrNotFound", g.Path(), name, err)
			}
		case kind == "soft:/links/loop":
			if err == nil || !strings.Contains(err.Error(), "more than 40 soft links") {
				t.Errorf("%s/%s (a soft link to itself): %v, want too many soft links", g.Path(), name, err)
			}
		case err != nil:
			t.Errorf("%s/%s: %v", g.Path(), name, err)
		case obj.Path() != g.join(name):
			t.Errorf("%s/%s opened as %s", g.Path(), name, obj.Path())
		}
	}
}

func checkDataset(t *testing.T, ds *Dataset, want objectFacts) {
	t.Helper()
	what := ds.Path()
	if want.Kind != "dataset" {
		t.Errorf("%s: a dataset, h5py found a %s", what, want.Kind)
		return
	}
	checkType(t, what, ds.DType(), want.DType)
	checkShape(t, what, ds.Shape(), want.Shape)
	if got := ds.Chunks(); !slices.Equal(got, want.Chunks) {
		t.Errorf("%s: chunks %v, want %v", what, got, want.Chunks)
	}
	if want.DType.Class == "other" {
		if _, err := ds.ReadFloat64(); !errors.Is(err, ErrUnsupported) {
			t.Errorf("%s: read %v, want ErrUnsupported", what, err)
		}
		return
	}
	v, err := readAs(ds, want.DType.Class)
	if want.DType.Class == "int" && !want.DType.Signed && want.DType.Size == 8 && err != nil {
		// uint64 values past the int64 range: refused as int64, read as float64.
		if !strings.Contains(err.Error(), "does not fit in an int64") {
			t.Errorf("%s: %v", what, err)
		}
		checkLargeUint(t, ds, want)
		return
	}
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	checkValues(t, what, v, want.valueFacts)
	if want.DType.Class != "float" {
		return
	}
	// Float32 reads round what float64 reads give.
	f32, err := ds.ReadFloat32()
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	for i, x := range v.floats {
		if f32[i] != float32(x) {
			t.Errorf("%s: float32 element %d is %v, want %v", what, i, f32[i], float32(x))
			break
		}
	}
}

func checkLargeUint(t *testing.T, ds *Dataset, want objectFacts) {
	t.Helper()
	got, err := ds.ReadFloat64()
	if err != nil {
		t.Fatalf("%s: %v", ds.Path(), err)
	}
	for i, n := range want.Values {
		u, err := strconv.ParseUint(n.(json.Number).String(), 10, 64)
		if err != nil || got[i] != float64(u) {
			t.Errorf("%s: element %d is %v, want %s", ds.Path(), i, got[i], n)
		}
	}
}

func checkSlab(t *testing.T, f *File, want slabFacts) {
	t.Helper()
	what := want.Dataset + " slab from " + fmtDims(want.Start) + " of " + fmtDims(want.Count)
	ds, err := f.Root().Dataset(want.Dataset)
	if err != nil {
		t.Error(err)
		return
	}
	var v values
	switch ds.DType().Kind {
	case Float:
		v.floats, err = ds.ReadFloat64Slab(want.Start, want.Count)
	case Integer:
		v.ints, err = ds.ReadInt64Slab(want.Start, want.Count)
	default:
		v.strings, err = ds.ReadStringsSlab(want.Start, want.Count)
	}
	if err != nil {
		t.Errorf("%s: %v", what, err)
		return
	}
	checkValues(t, what, v, want.valueFacts)
}

func fmtDims(d []uint64) string {
	s := make([]string, len(d))
	for i, x := range d {
		s[i] = strconv.FormatUint(x, 10)
	}
	return "[" + strings.Join(s, ",") + "]"
}

// TestMorphologies reads the BBP morphologies' datasets and attributes
// and compares them with h5py's values.
func TestMorphologies(t *testing.T) {
	fs := loadFacts(t)
	for name, want := range fs.Morphologies {
		t.Run(name, func(t *testing.T) {
			f := openTest(t, filepath.Join("..", "testdata", "morphologies", "neurom", name))
			for path, w := range want.Datasets {
				ds, err := f.Root().Dataset(path)
				if err != nil {
					t.Error(err)
					continue
				}
				checkType(t, path, ds.DType(), w.DType)
				checkShape(t, path, ds.Shape(), w.Shape)
				v, err := readAs(ds, w.DType.Class)
				if err != nil {
					t.Errorf("%s: %v", path, err)
					continue
				}
				checkValues(t, path, v, w)
			}
			for path, attrs := range want.Attrs {
				obj, err := f.Root().Object(path)
				if err != nil {
					t.Error(err)
					continue
				}
				checkAttrs(t, obj, attrs)
			}
		})
	}
}

// TestConcurrentReads reads the frames of a report from several
// goroutines at once, sharing the file, its caches and its datasets.
func TestConcurrentReads(t *testing.T) {
	f := openTest(t, "testdata/latest.h5")
	f.SetChunkCache(4 << 10) // small: chunks come and go while others read them
	ds, err := f.Root().Dataset("/resized/report")
	if err != nil {
		t.Fatal(err)
	}
	whole, err := ds.ReadFloat32()
	if err != nil {
		t.Fatal(err)
	}
	shape := ds.Shape()
	errs := make(chan error, 4)
	for w := range 4 {
		go func() {
			for r := range shape[0] {
				row := (r + uint64(w)*7) % shape[0]
				got, err := ds.ReadFloat32Slab([]uint64{row, 0}, []uint64{1, shape[1]})
				if err == nil && !slices.Equal(got, whole[row*shape[1]:(row+1)*shape[1]]) {
					err = fmt.Errorf("row %d differs", row)
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
