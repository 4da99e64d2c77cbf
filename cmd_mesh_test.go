package main

import (
	"github.com/spikeframes/spikeframes/movie"

	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morphfile"
)

// plyFile is what the small reader below finds in a PLY file.
type plyFile struct {
	vertexProps []string
	vertices    [][]float32
	faces       [][3]uint32
}

// readPLY reads a binary little-endian PLY of float vertex properties and
// uchar/uint faces, independently of the writer.
func readPLY(r io.Reader) (*plyFile, error) {
	br := bufio.NewReader(r)
	var p plyFile
	nv, nf := -1, -1
	element := ""
	for lineNo := 0; ; lineNo++ {
		line, err := br.ReadString('\n')
		if err != nil {
			return nil, fmt.Errorf("header line %d: %w", lineNo, err)
		}
		f := strings.Fields(line)
		switch {
		case lineNo == 0 && line != "ply\n":
			return nil, fmt.Errorf("magic %q", line)
		case lineNo == 1 && line != "format binary_little_endian 1.0\n":
			return nil, fmt.Errorf("format %q", line)
		case len(f) == 3 && f[0] == "element":
			n, err := strconv.Atoi(f[2])
			if err != nil {
				return nil, err
			}
			element = f[1]
			switch element {
			case "vertex":
				nv = n
			case "face":
				nf = n
			default:
				return nil, fmt.Errorf("unexpected element %q", element)
			}
		case len(f) == 3 && f[0] == "property" && element == "vertex":
			if f[1] != "float" {
				return nil, fmt.Errorf("vertex property %q is %s", f[2], f[1])
			}
			p.vertexProps = append(p.vertexProps, f[2])
		case len(f) > 0 && f[0] == "property" && element == "face":
			if strings.Join(f, " ") != "property list uchar uint vertex_indices" {
				return nil, fmt.Errorf("face property %q", line)
			}
		case line == "end_header\n":
			if nv < 0 || nf < 0 {
				return nil, fmt.Errorf("counts: %d vertices, %d faces", nv, nf)
			}
			p.vertices = make([][]float32, nv)
			for v := range p.vertices {
				p.vertices[v] = make([]float32, len(p.vertexProps))
				if err := binary.Read(br, binary.LittleEndian, p.vertices[v]); err != nil {
					return nil, fmt.Errorf("vertex %d: %w", v, err)
				}
			}
			p.faces = make([][3]uint32, nf)
			for i := range p.faces {
				var n uint8
				if err := binary.Read(br, binary.LittleEndian, &n); err != nil || n != 3 {
					return nil, fmt.Errorf("face %d: %d corners, %v", i, n, err)
				}
				if err := binary.Read(br, binary.LittleEndian, &p.faces[i]); err != nil {
					return nil, fmt.Errorf("face %d: %w", i, err)
				}
			}
			if rest, _ := io.ReadAll(br); len(rest) != 0 {
				return nil, fmt.Errorf("%d bytes after the last face", len(rest))
			}
			return &p, nil
		}
	}
}

func TestMeshWritesPLYForL5(t *testing.T) {
	out := filepath.Join(t.TempDir(), "l5.ply")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"mesh", "testdata/l5_bap.pickle", "-o", out, "--frame", "100"}, &stdout, &stderr); status != exitOK {
		t.Fatalf("status %d: %s", status, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := readPLY(f)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.vertexProps, " "); got != "x y z nx ny nz voltage" {
		t.Fatalf("vertex properties %q", got)
	}

	// the same mesh built directly has the same counts the command reported
	cell, rec, err := blenderspike.ReadFile("testdata/l5_bap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	m, err := movie.DefaultOptions().Geometry.BuildMesh(cell, rec)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.vertices) != len(m.Positions) || len(p.faces) != len(m.Triangles) {
		t.Fatalf("PLY has %d vertices, %d faces; the mesh %d, %d", len(p.vertices), len(p.faces), len(m.Positions), len(m.Triangles))
	}
	if want := fmt.Sprintf("%s: %d vertices, %d triangles\n", out, len(m.Positions), len(m.Triangles)); stdout.String() != want {
		t.Errorf("reported %q, want %q", stdout.String(), want)
	}
	// the recording's voltages span −76.2…41.8 mV over all frames
	lo, hi := math.Inf(1), math.Inf(-1)
	for v, vals := range p.vertices {
		for _, x := range vals {
			if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
				t.Fatalf("vertex %d: %v", v, vals)
			}
		}
		if n := math.Sqrt(float64(vals[3]*vals[3] + vals[4]*vals[4] + vals[5]*vals[5])); math.Abs(n-1) > 1e-5 {
			t.Fatalf("vertex %d: normal length %v", v, n)
		}
		lo, hi = math.Min(lo, float64(vals[6])), math.Max(hi, float64(vals[6]))
	}
	if lo < -76.2 || hi > 41.9 || hi-lo < 1 {
		t.Errorf("voltages span %v…%v", lo, hi)
	}
	for i, face := range p.faces {
		for _, v := range face {
			if int(v) >= len(p.vertices) {
				t.Fatalf("face %d: vertex %d of %d", i, v, len(p.vertices))
			}
		}
	}
	// centred at the soma: the soma sphere's vertices surround the origin
	var sum [3]float64
	sphere := 0
	for v, vals := range p.vertices {
		if m.Probes[m.VertexProbe[v]].Section == 0 {
			for a := range 3 {
				sum[a] += float64(vals[a])
			}
			sphere++
		}
	}
	if sphere == 0 || math.Abs(sum[0])+math.Abs(sum[1])+math.Abs(sum[2]) > 1e-3*float64(sphere) {
		t.Errorf("soma vertices centred at %v (%d vertices)", sum, sphere)
	}
}

func TestMeshCommandErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cell.ply")
	cases := []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"no file", []string{"-o", out}, exitUsage, "one recording or morphology FILE"},
		{"no output", []string{"testdata/simple_ap.pickle"}, exitUsage, "-o"},
		{"negative thickness", []string{"testdata/simple_ap.pickle", "-o", out, "--thickness", "-2"}, exitUsage, "--thickness"},
		{"homogeneity", []string{"testdata/simple_ap.pickle", "-o", out, "--homogeneity", "3"}, exitUsage, "--homogeneity"},
		{"segmentation", []string{"testdata/simple_ap.pickle", "-o", out, "--segmentation", "1"}, exitUsage, "--segmentation"},
		{"negative frame", []string{"testdata/simple_ap.pickle", "-o", out, "--frame", "-1"}, exitUsage, "--frame"},
		{"frame past the end", []string{"testdata/simple_ap.pickle", "-o", out, "--frame", "300"}, exitUsage, "0…299"},
		{"bad recording", []string{"testdata/bad/truncated.pickle", "-o", out}, exitInput, "truncated.pickle"},
		{"missing recording", []string{filepath.Join(dir, "none.pickle"), "-o", out}, exitInput, "none.pickle"},
		{"unwritable", []string{"testdata/simple_ap.pickle", "-o", filepath.Join(dir, "no", "cell.ply")}, exitOutput, "cell.ply"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		status := run(append([]string{"mesh"}, c.args...), &stdout, &stderr)
		if status != c.status || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%s: status %d, stderr %q; want %d and %q", c.name, status, stderr.String(), c.status, c.want)
		}
		entries, _ := os.ReadDir(dir)
		if len(entries) != 0 {
			t.Fatalf("%s: left %v behind", c.name, entries[0].Name())
		}
	}
}

func TestMeshOneAndTwoPointSections(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cell.ply")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"mesh", "testdata/variants/simple_ap_n3d_1_2.pickle", "-o", out, "--simplify-soma=false", "--caps"}, &stdout, &stderr); status != exitOK {
		t.Fatalf("status %d: %s", status, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := readPLY(f)
	if err != nil {
		t.Fatal(err)
	}
	// soma (one point) is a ball; the axon (two points, 25 segments) a tube
	// of 2·25+1 rings, rounded where it starts on the soma, capped at its tip
	sides := 16
	want := 7*sides + 2 + 51*sides + 3*sides + 1 + 1
	if len(p.vertices) != want {
		t.Errorf("%d vertices, want %d", len(p.vertices), want)
	}
}

// TestMeshMorphology meshes a morphology file: the same mesh as the cell
// read directly, every vertex at 0 mV.
func TestMeshMorphology(t *testing.T) {
	out := filepath.Join(t.TempDir(), "cell.ply")
	var stdout, stderr bytes.Buffer
	if status := run([]string{"mesh", "testdata/morphologies/neurom/sample.asc", "-o", out}, &stdout, &stderr); status != exitOK {
		t.Fatalf("status %d: %s", status, stderr.String())
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := readPLY(f)
	if err != nil {
		t.Fatal(err)
	}
	cell, err := morphfile.ReadFile("testdata/morphologies/neurom/sample.asc")
	if err != nil {
		t.Fatal(err)
	}
	m, err := movie.DefaultOptions().Geometry.BuildMesh(cell, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.vertices) != len(m.Positions) || len(p.faces) != len(m.Triangles) || len(p.vertices) == 0 {
		t.Fatalf("PLY has %d vertices, %d faces; the mesh %d, %d", len(p.vertices), len(p.faces), len(m.Positions), len(m.Triangles))
	}
	for v, vals := range p.vertices {
		if vals[6] != 0 {
			t.Fatalf("vertex %d: voltage %v", v, vals[6])
		}
	}
}

func TestMeshMorphologyErrors(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cell.ply")
	for _, c := range []struct {
		args   []string
		status int
		want   string
	}{
		{[]string{"testdata/morphologies/neurom/simple.swc", "-o", out, "--frame", "1"}, exitUsage, "--frame 1: a morphology file has no frames"},
		{[]string{"testdata/morphologies/refused/parent_after_child.swc", "-o", out}, exitInput, "parent_after_child.swc: line 3: parent 3 is not less than id 2"},
	} {
		var stdout, stderr bytes.Buffer
		status := run(append([]string{"mesh"}, c.args...), &stdout, &stderr)
		if status != c.status || !strings.Contains(stderr.String(), c.want) {
			t.Errorf("%v: status %d, stderr %q; want %d and %q", c.args, status, stderr.String(), c.status, c.want)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Fatalf("%v: left %v behind", c.args, entries[0].Name())
		}
	}
}
