package main

import (
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/movie"
)

// stackedRecording is a BlenderSpike pickle of n sections that all share
// one centre line (x, y, z, diam: plain lists of floats) and one frame of
// one voltage, as a pickler writes objects it has seen before: about 30
// bytes per section. Like CPython's pickler it memoizes each value as it
// makes it, in the next memo slot.
func stackedRecording(n int, x, y, z, diam []float64) []byte {
	b := []byte{0x80, 2, ']', '('} // PROTO 2, EMPTY_LIST, MARK
	memo := 0
	put := func() int { // BINPUT or LONG_BINPUT
		if memo < 256 {
			b = append(b, 'q', byte(memo))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, 'r'), uint32(memo))
		}
		memo++
		return memo - 1
	}
	get := func(i int) { // BINGET or LONG_BINGET
		if i < 256 {
			b = append(b, 'h', byte(i))
		} else {
			b = binary.LittleEndian.AppendUint32(append(b, 'j'), uint32(i))
		}
	}
	str := func(s string) int {
		b = append(b, 'X')
		b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
		b = append(b, s...)
		return put()
	}
	floats := func(v []float64) int {
		b = append(b, ']')
		at := put()
		b = append(b, '(')
		for _, f := range v {
			b = append(b, 'G')
			b = binary.BigEndian.AppendUint64(b, math.Float64bits(f))
		}
		b = append(b, 'e') // APPENDS
		return at
	}
	keys := map[string]int{}
	values := map[string]int{}
	for i := range n {
		b = append(b, '}') // EMPTY_DICT
		put()
		b = append(b, '(') // MARK
		for _, kv := range []struct {
			key   string
			write func() int
		}{
			{"ID", nil},
			{"type", func() int { return str("dend") }},
			{"X", func() int { return floats(x) }},
			{"Y", func() int { return floats(y) }},
			{"Z", func() int { return floats(z) }},
			{"DIAM", func() int { return floats(diam) }},
			{"Voltage", func() int {
				b = append(b, '}')
				at := put()
				b = append(b, 'K', 0)
				floats([]float64{-65})
				b = append(b, 's')
				return at
			}},
		} {
			if k, ok := keys[kv.key]; ok {
				get(k)
			} else {
				keys[kv.key] = str(kv.key)
			}
			switch v, ok := values[kv.key]; {
			case kv.write == nil: // ID
				b = append(b, 'M')
				b = binary.LittleEndian.AppendUint16(b, uint16(i))
			case ok:
				get(v)
			default:
				values[kv.key] = kv.write()
			}
		}
		b = append(b, 'u') // SETITEMS
	}
	return append(b, 'e', '.') // APPENDS, STOP
}

func writeRecording(t *testing.T, data []byte) string {
	t.Helper()
	if len(data) > 60<<10 {
		t.Fatalf("recording of %d bytes, want under 60 KB", len(data))
	}
	path := filepath.Join(t.TempDir(), "rec.pickle")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestCoincidentBallsRenderAsOne renders a thousand one-point sections at
// one place, each a ball that fills the picture: sized to the picture,
// the mesh holds one ball, not a thousand of 32,514 vertices each.
func TestCoincidentBallsRenderAsOne(t *testing.T) {
	path := writeRecording(t, stackedRecording(1000, []float64{0}, []float64{0}, []float64{0}, []float64{20}))
	cell, rec, err := blenderspike.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := movie.New(cell, rec, movie.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if want := (mesh.SphereRings(mesh.MaxSides)-1)*mesh.MaxSides + 2; len(m.Mesh().Positions) != want {
		t.Errorf("%d vertices, want one ball's %d", len(m.Mesh().Positions), want)
	}
	dir := t.TempDir()
	if status, _, errOut := runCmd("render", path, "-o", dir, "-q"); status != exitOK {
		t.Fatalf("render: status %d, %s", status, errOut)
	}
}

// TestDenseSegmentationFollowsThePicture meshes the CA1 cell with 10,000
// points per section (1.7 million rings) for a 1080p picture: rings closer
// than a ring edge merge, so the mesh is about as large as with auto
// segmentation, in both the framing and the final build.
func TestDenseSegmentationFollowsThePicture(t *testing.T) {
	cell, rec, err := blenderspike.ReadFile("testdata/ca1_random_input.pickle")
	if err != nil {
		t.Fatal(err)
	}
	o := movie.DefaultOptions()
	o.Look.AA = 1 // the coverage is not what this test is about
	auto, err := movie.New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	o.Geometry.Prepare.Segmentation = 10000
	dense, err := movie.New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	if c, nd, na := dense.Coarser(), len(dense.Mesh().Positions), len(auto.Mesh().Positions); c != 1 || nd > 4*na {
		t.Errorf("segmentation 10000: %d vertices (detail lowered %v times), auto: %d", nd, c, na)
	}
}

// TestOverlapTooCostlyIsAUsageError renders 1500 copies of one fat section
// at one place: the coverage pass would test every sample of the picture
// hundreds of times, so render stops before it, naming the flags that
// help.
func TestOverlapTooCostlyIsAUsageError(t *testing.T) {
	path := writeRecording(t, stackedRecording(1500, []float64{0, 100}, []float64{0, 0}, []float64{0, 0}, []float64{40, 40}))
	dir := filepath.Join(t.TempDir(), "frames")
	status, _, errOut := runCmd("render", path, "-o", dir, "-q")
	if status != exitUsage || !strings.Contains(errOut, "per sample") || !strings.Contains(errOut, "--aa") {
		t.Errorf("status %d, stderr %q; want %d naming --aa", status, errOut, exitUsage)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files behind", len(entries))
	}
}

// TestMeshTooLargeIsAUsageError asks for a PLY of the CA1 cell at 10,000
// points per section (27 million vertices at 16 sides): refused before the
// mesh is allocated, naming the flags to change.
func TestMeshTooLargeIsAUsageError(t *testing.T) {
	out := filepath.Join(t.TempDir(), "ca1.ply")
	status, _, errOut := runCmd("mesh", "testdata/ca1_random_input.pickle", "-o", out, "--segmentation", "10000")
	if status != exitUsage || !strings.Contains(errOut, "--segmentation") || !strings.Contains(errOut, "--sides") {
		t.Errorf("status %d, stderr %q; want %d naming --segmentation and --sides", status, errOut, exitUsage)
	}
	if _, err := os.Stat(out); err == nil {
		t.Error("wrote a PLY")
	}
}
