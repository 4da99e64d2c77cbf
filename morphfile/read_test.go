package morphfile

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want Format
	}{
		{"\x80\x04\x95", Pickle},
		{"(\"CellBody\"", ASC},
		{"  \r\n; V3 text file\r\n\r\n(ImageCoords)", ASC},
		{"; comments only\n", ASC},
		{"# NeuroMorpho.org\n1 1 0 0 0 5 -1\n", SWC},
		{"\xef\xbb\xbf1 1 0 0 0 5 -1", SWC},
		{"\t-1.5 2", SWC},
		{".5 1 0 0 0 1 -1", SWC},
		{"# comments only\n# more\n", SWC},
		{"", Unknown},
		{"\x89PNG\r\n", Unknown},
		{"hello", Unknown},
		{"#\n;\nx", Unknown},
		{"\x89HDF\r\n\x1a\n\x00\x00", H5},
		{strings.Repeat("\x00", 512) + "\x89HDF\r\n\x1a\n", H5},
		{strings.Repeat("\x00", 1024) + "\x89HDF\r\n\x1a\n", H5},
		{strings.Repeat("\x00", 700) + "\x89HDF\r\n\x1a\n", Unknown},
		{"\x89HDF\r\n", Unknown},
	}
	for _, tt := range tests {
		if got := Detect([]byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

// TestRefused checks that malformed files are refused with the line and
// the reason.
func TestRefused(t *testing.T) {
	tests := []struct {
		name, data, want string
	}{
		{"empty", "", "empty file"},
		{"not a morphology", "hello", "neither SWC"},
		{"pickle", "\x80\x04\x95\x00", "a pickle"},
		{"swc comments only", "# nothing\n", "no samples"},
		{"swc six fields", "1 1 0 0 0 1\n", "line 1: 6 fields, want 7"},
		{"swc word", "# c\n1 1 0 0 x 1 -1\n", `line 2: field 5 "x" is not a number`},
		{"swc nan", "1 1 0 0 nan 1 -1\n", `field 5 "nan" is not a number`},
		{"swc infinite", "1 1 0 0 1e999 1 -1\n", `field 5 "1e999" is not a number`},
		{"swc fractional id", "1.5 1 0 0 0 1 -1\n", "line 1: id 1.5 is not a whole number"},
		{"swc negative id", "-3 1 0 0 0 1 -1\n", "line 1: id -3 is not a whole number"},
		{"swc fractional type", "1 1.5 0 0 0 1 -1\n", "line 1: type 1.5 is not a whole number"},
		{"swc fractional parent", "1 1 0 0 0 1 -1\n2 3 0 1 0 1 0.5\n", "line 2: parent 0.5 is not a whole number"},
		{"swc negative radius", "1 1 0 0 0 -1 -1\n", "line 1: negative radius -1"},
		{"swc parent after child", "1 1 0 0 0 1 -1\n2 3 0 1 0 1 2\n", "line 2: parent 2 is not less than id 2"},
		{"swc repeated id", "1 1 0 0 0 1 -1\n2 3 0 1 0 1 1\n2 3 0 2 0 1 1\n", "line 3: id 2 repeats the id of line 2"},
		{"swc missing parent", "1 1 0 0 0 1 -1\n2 3 0 1 0 1 1\n5 3 0 2 0 1 4\n", "line 3: parent 4 does not exist"},
		{"asc comments only", "; nothing here\n", `line 1: expected "(" opening a contour, tree, marker or property, found end of file`},
		{"asc unclosed contour", "(\"CellBody\"\n (CellBody)\n (1 1 0 1)\n (2 2 0 1)\n", `line 4: expected ")", found end of file`},
		{"asc unclosed string", "((Name \"x)\n (Dendrite)\n (0 0 0 1)\n)\n", "line 1: expected \")\", found a string not closed on its line"},
		{"asc marker to the end", "((Dendrite)\n (0 0 0 1)\n (Dot (1 2 3 4)\n", "end of file inside a marker"},
		{"asc bad character", "((Dendrite)\n (0 0 0 1)\n @)\n", `line 3: expected ")", found "@"`},
		{"asc tree without points", "((Dendrite) (Color Red))", `expected "(", found ")"`},
		{"asc spine after a marker", "((Axon) (0 0 0 1) ((Dot (1 1 1 1)) <(1 1 0 0.5)> (2 2 2 1)))", `expected ")", found "<"`},
		{"asc spine class", "((Dendrite) (0 0 0 1) <(Class) (1 1 1 1)>)", "(Class) needs a number and a name"},
		{"asc what follows (", "(|)", `expected a contour name, a tree, a marker or a property, found "|"`},
		{"asc soma in one place", "(\"CellBody\" (CellBody) (0 0 0 1) (0 0 0 1) (0 0 0 1))\n((Axon) (0 0 0 1) (0 5 0 1))", "line 1: soma[0]: outline too small"},
		{"asc nested too deep", nestedBranches(maxNesting + 1), fmt.Sprintf("nested more than %d deep", maxNesting)},
		{"asc many somas and trees", somasAndTrees(1000, maxSomaTreePairs/1000+1), "1000 somas and 50001 trees: too many to connect"},
		{"asc too many somas", somasAndTrees(maxSomaOutlines+1, 0), "more than 10000 soma outlines"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell, err := Read(strings.NewReader(tt.data))
			if err == nil {
				t.Fatalf("read %d sections, want error %q", len(cell.Sections), tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

// nestedBranches is an ASC tree whose branches nest n deep.
func nestedBranches(n int) string {
	var b strings.Builder
	b.WriteString("((Dendrite)\n(0 0 0 1)\n")
	for i := range n {
		fmt.Fprintf(&b, "((%d 0 0 1)\n", i+1)
	}
	for range n {
		b.WriteString(")\n")
	}
	b.WriteString(")\n")
	return b.String()
}

// somasAndTrees is an ASC file with separate soma outlines and trees.
func somasAndTrees(somas, trees int) string {
	var b strings.Builder
	for i := range somas {
		x := float64(100 * i)
		fmt.Fprintf(&b, "(\"CellBody\" (%g 0 0 1) (%g 1 0 1) (%g 0 0 1))\n", x, x+1, x+2)
	}
	for i := range trees {
		fmt.Fprintf(&b, "((Axon) (%d 50 0 1) (%d 60 0 1))\n", i, i)
	}
	return b.String()
}

// TestAccepted checks input that is read although it is unusual: some of
// it NEURON's Import3d refuses (noted), the rest it reads the same way.
func TestAccepted(t *testing.T) {
	tests := []struct {
		name, data string
		sections   []string // names, in order
	}{
		// NEURON's lexer fails on a tab (or other white space but spaces)
		// at the end of an ASC line.
		{"asc trailing tabs", "((Dendrite)\t\n (0 0 0 1)\t\n\t\n (0 5 0 1)\v\n)\n", []string{"dend[0]"}},
		{"asc spine on the first point", "((Axon) (0 0 0 1) <(1 1 0 0.5)> (0 5 0 1))", []string{"axon[0]"}},
		{"asc byte order mark", "\xef\xbb\xbf((Axon) (0 0 0 1) (0 5 0 1))", []string{"axon[0]"}},
		{"swc byte order mark", "\xef\xbb\xbf1 1 0 0 0 2 -1\n2 3 0 5 0 1 1\n3 3 0 9 0 1 2\n", []string{"soma[0]", "dend[0]"}},
		// As in Import3d, the first sample's parent need not exist, and
		// fields after the seventh are ignored.
		{"swc first parent missing", "1 1 0 0 0 2 0\n2 3 0 5 0 1 1 extra fields\n3 3 0 9 0 1 2 7 8\n", []string{"soma[0]", "dend[0]"}},
		{"swc no final newline", "1 1 0 0 0 2 -1\n2 2 0 -5 0 1 1\n3 2 0 -9 0 1 2", []string{"soma[0]", "axon[0]"}},
		// A lone point that is not a soma is drawn as a sphere too.
		{"swc single dendrite point", "1 3 0 0 0 2 -1\n", []string{"dend[0]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cell, err := Read(strings.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range cell.Sections {
				names = append(names, s.Name)
			}
			if strings.Join(names, " ") != strings.Join(tt.sections, " ") {
				t.Errorf("sections %v, want %v", names, tt.sections)
			}
			checkCell(t, cell.Sections)
		})
	}
}

// TestSinglePointSoma checks Import3d's sphere: a cylinder along x as long
// as the soma is wide, and neurites attached at its middle through a wire.
func TestSinglePointSoma(t *testing.T) {
	cell, err := Read(strings.NewReader("1 1 10 20 30 3 -1\n2 3 10 25 30 1 1\n3 3 10 29 30 1 2\n"))
	if err != nil {
		t.Fatal(err)
	}
	soma, dend := cell.Sections[0], cell.Sections[1]
	want := []float64{7, 10, 13}
	for j, p := range soma.Points {
		if p.X != want[j] || p.Y != 20 || p.Z != 30 || p.Diam != 6 {
			t.Errorf("soma point %d: %v", j, p)
		}
	}
	if dend.Parent != 0 || dend.ParentX != 0.5 || len(dend.Points) != 2 || dend.Points[0].Y != 25 {
		t.Errorf("dendrite: parent %d at %g, points %v", dend.Parent, dend.ParentX, dend.Points)
	}
}

func TestReadFileErrorsNameThePath(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing.swc")
	if _, err := ReadFile(missing); err == nil || !strings.HasPrefix(err.Error(), missing+": ") {
		t.Errorf("error %v, want it to start with the path", err)
	}
	bad := filepath.Join(dir, "bad.swc")
	if err := os.WriteFile(bad, []byte("1 1 0 0 0 1 -1\n2 3 x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(bad); err == nil || err.Error() != bad+": line 2: 3 fields, want 7 (id type x y z radius parent)" {
		t.Errorf("error %v", err)
	}
}

func TestReadFileRefusesHugeFilesUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.swc")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: its size is checked before anything is read.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), "larger than the") {
		t.Errorf("error %v", err)
	}
}

// TestSymmetricEigen checks the eigen decomposition on random symmetric
// matrices: orthonormal eigenvectors that reproduce the matrix.
func TestSymmetricEigen(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var a [3][3]float64
		for i := range 3 {
			for j := i; j < 3; j++ {
				a[i][j] = rng.NormFloat64() * 100
				a[j][i] = a[i][j]
			}
		}
		vals, q, err := symmetricEigen(a)
		if err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			for j := range 3 {
				var dot, back float64
				for k := range 3 {
					dot += q[k][i] * q[k][j]
					back += q[i][k] * vals[k] * q[j][k]
				}
				want := 0.0
				if i == j {
					want = 1
				}
				if math.Abs(dot-want) > 1e-12 || math.Abs(back-a[i][j]) > 1e-9 {
					t.Fatalf("matrix %v: eigenvalues %v, vectors %v", a, vals, q)
				}
			}
		}
	}
}

// TestReaderMatchesFile checks Read on a stream gives what ReadFile gives.
func TestReaderMatchesFile(t *testing.T) {
	path := filepath.Join(morphologies, "neurom", "sample.asc")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Read(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(a) != fmt.Sprint(b) {
		t.Error("Read and ReadFile differ")
	}
}

// TestNestedSets reads trees nested in the sets of each other's
// properties. Import3d reads each such tree twice (once trying it as
// text), doubling the work, and the trees made, at every level; read
// once, 200 levels take no time.
func TestNestedSets(t *testing.T) {
	const depth = 200
	tree := "((Axon) (0 0 0 1) (1 0 0 1))"
	for range depth {
		tree = "((Set \"s\" " + tree + ") (0 0 0 1) (1 0 0 1))"
	}
	cell, err := Read(strings.NewReader(tree))
	if err != nil {
		t.Fatal(err)
	}
	if len(cell.Sections) != depth+1 {
		t.Errorf("%d sections, want %d", len(cell.Sections), depth+1)
	}
	checkCell(t, cell.Sections)
}
