package blenderspike

import (
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// recordingFacts are the facts testdata/README.md's source lists for a
// good recording (computed with Python and numpy from the files).
type recordingFacts struct {
	file                   string
	sections, frames       int
	nsegSum, nsegMin, nseg int // nseg = max
	n3dSum, n3dMin, n3dMax int
	sec0Type               string
	sec0N3d, sec0NSeg      int
	sec0First              [3]float64
	vmin, vmax             float64
	types                  map[string]int
	somaIndex              int
	xr, yr, zr, dr         [2]float64
	spots                  []spot
}

// spot is one recorded voltage: section, frame, segment (-1 = last).
type spot struct {
	sec, frame, seg int
	v               float64
}

var simpleAP = recordingFacts{
	file: "simple_ap.pickle", sections: 2, frames: 300,
	nsegSum: 26, nsegMin: 1, nseg: 25, n3dSum: 30, n3dMin: 3, n3dMax: 27,
	sec0Type: "soma", sec0N3d: 3, sec0NSeg: 1,
	vmin: -75.07847134097223, vmax: 39.588774732997535,
	types:     map[string]int{"soma": 1, "axon": 1},
	somaIndex: 0,
	xr:        [2]float64{0, 12.616}, yr: [2]float64{0, 200}, zr: [2]float64{0, 0}, dr: [2]float64{1, 12.616},
	spots: []spot{{0, 0, 0, -70}, {0, 150, 0, -36.996736131059805}, {1, 299, -1, -72.48489051381934}},
}

var realRecordings = []recordingFacts{
	simpleAP,
	{
		file: "ca1_random_input.pickle", sections: 173, frames: 500,
		nsegSum: 451, nsegMin: 1, nseg: 9, n3dSum: 2416, n3dMin: 2, n3dMax: 50,
		sec0Type: "axon", sec0N3d: 15, sec0NSeg: 3, sec0First: [3]float64{-0.568, -1.0, -0.023},
		vmin: -67.63932121861097, vmax: -52.13758676195583,
		types:     ca1Types(),
		somaIndex: 1,
		xr:        [2]float64{-129.68, 161.42}, yr: [2]float64{-206.25, 560.88}, zr: [2]float64{-99.57, 83.34}, dr: [2]float64{0.9, 7.491},
		spots: []spot{{0, 0, 0, -60}, {0, 250, 0, -60.42047713299693}, {172, 499, -1, -61.97376315036873}},
	},
	{
		file: "l5_bap.pickle", sections: 312, frames: 200,
		nsegSum: 1788, nsegMin: 1, nseg: 71, n3dSum: 15010, n3dMin: 2, n3dMax: 416,
		sec0Type: "soma", sec0N3d: 21, sec0NSeg: 1, sec0First: [3]float64{-34.709, 0.604, -24.999},
		vmin: -76.19764515497317, vmax: 41.8345866182716,
		types:     map[string]int{"soma": 1, "axon": 95, "dend": 83, "apic": 133},
		somaIndex: 0,
		xr:        [2]float64{-564.62, 1281.39}, yr: [2]float64{-974.12, 1145.8}, zr: [2]float64{-176.43, 7.3}, dr: [2]float64{0.23, 22.321},
		spots: []spot{{0, 0, 0, -65}, {0, 100, 0, -68.08446551624527}, {311, 199, -1, -66.48073359381803}},
	},
}

func ca1Types() map[string]int {
	t := map[string]int{"axon": 1, "soma": 1, "dend": 52, "apic": 70}
	for i := range 49 {
		t["user5["+strconv.Itoa(i)+"]"] = 1
	}
	return t
}

func TestReadRealRecordings(t *testing.T) {
	for _, want := range realRecordings {
		t.Run(want.file, func(t *testing.T) {
			cell, rec, err := ReadFile(filepath.Join("..", "testdata", want.file))
			if err != nil {
				t.Fatal(err)
			}
			checkFacts(t, want, cell, rec)
		})
	}
}

func checkFacts(t *testing.T, want recordingFacts, cell *morph.Cell, rec *voltage.Recording) {
	t.Helper()
	if len(cell.Sections) != want.sections || len(rec.Traces) != want.sections {
		t.Fatalf("sections: cell %d, traces %d, want %d", len(cell.Sections), len(rec.Traces), want.sections)
	}
	if rec.Frames != want.frames {
		t.Errorf("frames = %d, want %d", rec.Frames, want.frames)
	}
	if rec.HasTime {
		t.Errorf("HasTime set for a file without t_start/t_stop")
	}
	if rec.Variable != "v" || rec.Unit != "mV" {
		t.Errorf("variable %q in %q for a file that does not say, want \"v\" in \"mV\"", rec.Variable, rec.Unit)
	}
	nsegSum, nsegMin, nsegMax := 0, math.MaxInt, 0
	n3dSum, n3dMin, n3dMax := 0, math.MaxInt, 0
	types := map[string]int{}
	vmin, vmax := float32(math.Inf(1)), float32(math.Inf(-1))
	lo := [4]float64{math.Inf(1), math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [4]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i, s := range cell.Sections {
		if s.ID != i || s.Parent != -1 || s.Name != "" {
			t.Errorf("section %d: ID %d, Parent %d, Name %q", i, s.ID, s.Parent, s.Name)
		}
		types[s.Type]++
		tr := rec.Traces[i]
		if len(tr.Values) != tr.NSeg*rec.Frames {
			t.Errorf("section %d: %d values for %d frames × %d segments", i, len(tr.Values), rec.Frames, tr.NSeg)
		}
		nsegSum, nsegMin, nsegMax = nsegSum+tr.NSeg, min(nsegMin, tr.NSeg), max(nsegMax, tr.NSeg)
		n := len(s.Points)
		n3dSum, n3dMin, n3dMax = n3dSum+n, min(n3dMin, n), max(n3dMax, n)
		for _, v := range tr.Values {
			vmin, vmax = min(vmin, v), max(vmax, v)
		}
		for _, p := range s.Points {
			for k, x := range [4]float64{p.X, p.Y, p.Z, p.Diam} {
				lo[k], hi[k] = min(lo[k], x), max(hi[k], x)
			}
		}
	}
	if got := [3]int{nsegSum, nsegMin, nsegMax}; got != [3]int{want.nsegSum, want.nsegMin, want.nseg} {
		t.Errorf("nseg sum/min/max = %v, want %v", got, [3]int{want.nsegSum, want.nsegMin, want.nseg})
	}
	if got := [3]int{n3dSum, n3dMin, n3dMax}; got != [3]int{want.n3dSum, want.n3dMin, want.n3dMax} {
		t.Errorf("n3d sum/min/max = %v, want %v", got, [3]int{want.n3dSum, want.n3dMin, want.n3dMax})
	}
	s0 := cell.Sections[0]
	if s0.Type != want.sec0Type || len(s0.Points) != want.sec0N3d || rec.Traces[0].NSeg != want.sec0NSeg {
		t.Errorf("section 0: %s, n3d %d, nseg %d; want %s, %d, %d", s0.Type, len(s0.Points), rec.Traces[0].NSeg, want.sec0Type, want.sec0N3d, want.sec0NSeg)
	}
	if p := s0.Points[0]; [3]float64{p.X, p.Y, p.Z} != want.sec0First {
		t.Errorf("section 0 first point %v, want %v", p, want.sec0First)
	}
	if vmin != float32(want.vmin) || vmax != float32(want.vmax) {
		t.Errorf("voltage range %v..%v, want %v..%v", vmin, vmax, float32(want.vmin), float32(want.vmax))
	}
	if !reflect.DeepEqual(types, want.types) {
		t.Errorf("types = %v, want %v", types, want.types)
	}
	if cell.Sections[want.somaIndex].Type != "soma" {
		t.Errorf("section %d is %q, want the soma", want.somaIndex, cell.Sections[want.somaIndex].Type)
	}
	for k, r := range [4][2]float64{want.xr, want.yr, want.zr, want.dr} {
		if lo[k] != r[0] || hi[k] != r[1] {
			t.Errorf("%s range %v..%v, want %v..%v", keyNames[keyX+k], lo[k], hi[k], r[0], r[1])
		}
	}
	for _, sp := range want.spots {
		seg := sp.seg
		if seg < 0 {
			seg = rec.Traces[sp.sec].NSeg - 1
		}
		if got := rec.Frame(sp.sec, sp.frame)[seg]; got != float32(sp.v) {
			t.Errorf("section %d frame %d segment %d = %v, want %v", sp.sec, sp.frame, seg, got, float32(sp.v))
		}
	}
}

// TestVariantsMatchOriginal checks that every re-encoding of simple_ap
// decodes to exactly the numbers of the original.
func TestVariantsMatchOriginal(t *testing.T) {
	wantCell, wantRec, err := ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"p2", "p3", "p4", "p5", "p5_py314", "numpy2_p4", "numpy2_p5", "lists", "float32"} {
		t.Run(name, func(t *testing.T) {
			cell, rec, err := ReadFile("../testdata/variants/simple_ap_" + name + ".pickle")
			if err != nil {
				t.Fatal(err)
			}
			want := wantCell
			if name == "float32" {
				want = roundCell(wantCell)
			}
			if !reflect.DeepEqual(cell, want) {
				t.Errorf("cell differs from simple_ap.pickle")
			}
			// float32 voltages are the float32 roundings of the float64 ones.
			if !reflect.DeepEqual(rec, wantRec) {
				t.Errorf("recording differs from simple_ap.pickle")
			}
		})
	}
}

// roundCell returns c with every coordinate rounded to float32.
func roundCell(c *morph.Cell) *morph.Cell {
	out := &morph.Cell{}
	for _, s := range c.Sections {
		pts := make([]morph.Point, len(s.Points))
		for i, p := range s.Points {
			pts[i] = morph.Point{X: f32(p.X), Y: f32(p.Y), Z: f32(p.Z), Diam: f32(p.Diam)}
		}
		s.Points = pts
		out.Sections = append(out.Sections, s)
	}
	return out
}

func f32(x float64) float64 { return float64(float32(x)) }

func TestVariantSmallSections(t *testing.T) {
	cell, rec, err := ReadFile("../testdata/variants/simple_ap_n3d_1_2.pickle")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]morph.Point{
		{{X: 6.308, Diam: 12.616}},
		{{X: 6.308, Diam: 1}, {X: 6.308, Y: 200, Diam: 1}},
	}
	for i, pts := range want {
		if !reflect.DeepEqual(cell.Sections[i].Points, pts) {
			t.Errorf("section %d points %v, want %v", i, cell.Sections[i].Points, pts)
		}
	}
	_, orig, err := ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rec, orig) {
		t.Errorf("voltages differ from simple_ap.pickle")
	}
}

func TestVariantSingleFrame(t *testing.T) {
	_, rec, err := ReadFile("../testdata/variants/simple_ap_single_frame.pickle")
	if err != nil {
		t.Fatal(err)
	}
	_, orig, err := ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	if rec.Frames != 1 {
		t.Fatalf("frames = %d, want 1", rec.Frames)
	}
	// The single frame is simple_ap's frame 98.
	for sec := range rec.Traces {
		if !reflect.DeepEqual(rec.Frame(sec, 0), orig.Frame(sec, 98)) {
			t.Errorf("section %d: %v, want frame 98 %v", sec, rec.Frame(sec, 0), orig.Frame(sec, 98))
		}
	}
	if got := rec.Frame(0, 0)[0]; got != float32(36.499601874463174) {
		t.Errorf("soma = %v", got)
	}
	if got := rec.Frame(1, 0)[24]; got != float32(-65.47669951179236) {
		t.Errorf("axon last segment = %v", got)
	}
}

// TestReadBadFiles checks that every bad input is refused with a message
// that starts with the path and names the problem.
func TestReadBadFiles(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []string
	}{
		{"truncated.pickle", []string{"truncated", "unexpected end of data"}},
		{"empty.pickle", []string{"empty file"}},
		{"png_bytes.pickle", []string{"not a pickle", "no PROTO header"}},
		{"toplevel_dict.pickle", []string{"top level is a dict", "expected a list of sections"}},
		{"missing_voltage.pickle", []string{"section 1", `missing key "Voltage"`}},
		{"voltage_len_mismatch.pickle", []string{"section 1 frame 10", "24 values", "has 25"}},
		{"xyz_len_mismatch.pickle", []string{"section 1", "X, Y, Z and DIAM have different lengths", "27, 26, 27, 27"}},
		{"nan_voltage.pickle", []string{"section 1 frame 100", "segment 3 is NaN"}},
		{"inf_voltage.pickle", []string{"section 0 frame 50", "+Inf"}},
		{"frame_gap.pickle", []string{"section 0", "frame 2 is missing"}},
		{"malicious_posix_system.pickle", []string{"refusing global posix.system"}},
		{"malicious_os_system.pickle", []string{"refusing global os.system"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			path := filepath.Join("..", "testdata", "bad", tc.file)
			cell, rec, err := ReadFile(path)
			if err == nil {
				t.Fatalf("no error; got %d sections, %d frames", len(cell.Sections), rec.Frames)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, path+": ") || strings.Contains(msg, "\n") {
				t.Errorf("message %q should be one line starting with the path", msg)
			}
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not mention %q", msg, w)
				}
			}
		})
	}
}

// TestEveryTestFileCovered keeps the tables above in step with testdata/.
func TestEveryTestFileCovered(t *testing.T) {
	for dir, n := range map[string]int{"../testdata": 5, "../testdata/variants": 11, "../testdata/bad": 12} {
		files, err := filepath.Glob(filepath.Join(dir, "*.pickle"))
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != n {
			t.Errorf("%s holds %d recordings, the tests cover %d", dir, len(files), n)
		}
	}
}

func TestReadFileUnreadable(t *testing.T) {
	for path, want := range map[string]string{
		"no/such/file.pickle": "no such file",
		"../testdata":         "is a directory",
	} {
		_, _, err := ReadFile(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+": ") || strings.Count(err.Error(), path) != 1 || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error = %v, want one mention of the path and %q", path, err, want)
		}
	}
}

func TestReadMatchesReadFile(t *testing.T) {
	f, err := os.Open("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cell, rec, err := Read(f)
	if err != nil {
		t.Fatal(err)
	}
	wantCell, wantRec, err := ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cell, wantCell) || !reflect.DeepEqual(rec, wantRec) {
		t.Errorf("Read and ReadFile disagree")
	}
}
