package main

import (
	"bytes"
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"
)

func runCmd(args ...string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(args, &out, &errb)
	return status, out.String(), errb.String()
}

func TestInspectText(t *testing.T) {
	status, out, errOut := runCmd("inspect", "testdata/simple_ap.pickle")
	if status != exitOK || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	for _, want := range []string{
		"testdata/simple_ap.pickle\n",
		"sections      2\n",
		"types         axon 1, soma 1\n",
		"frames        300\n",
		"segments      26 ",
		"3-D points    30\n",
		"voltage       -75.07847 … 39.588776 mV\n",
		"bounding box  (0, 0, 0) … (12.616, 200, 0) µm\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestInspectJSON(t *testing.T) {
	status, out, errOut := runCmd("inspect", "--json", "testdata/l5_bap.pickle")
	if status != exitOK || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	if strings.Count(out, "\n") != 1 {
		t.Errorf("want one line of JSON, got %q", out)
	}
	var got struct {
		Sections   int            `json:"sections"`
		Frames     int            `json:"frames"`
		NSegTotal  int            `json:"nseg_total"`
		N3DTotal   int            `json:"n3d_total"`
		Types      map[string]int `json:"types"`
		VoltageMin float64        `json:"voltage_min"`
		VoltageMax float64        `json:"voltage_max"`
		BBoxMin    []float64      `json:"bbox_min"`
		BBoxMax    []float64      `json:"bbox_max"`
	}
	var raw map[string]any
	if err := json.Unmarshal([]byte(out), &raw); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"sections", "frames", "nseg_total", "n3d_total", "types", "voltage_min", "voltage_max", "bbox_min", "bbox_max"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("JSON lacks key %q", key)
		}
	}
	if got.Sections != 312 || got.Frames != 200 || got.NSegTotal != 1788 || got.N3DTotal != 15010 {
		t.Errorf("counts %+v", got)
	}
	if want := map[string]int{"soma": 1, "axon": 95, "dend": 83, "apic": 133}; !reflect.DeepEqual(got.Types, want) {
		t.Errorf("types %v, want %v", got.Types, want)
	}
	// The voltages are float32; JSON carries their shortest float32 form.
	if float32(got.VoltageMin) != float32(-76.19764515497317) || float32(got.VoltageMax) != float32(41.8345866182716) {
		t.Errorf("voltage range %v..%v", got.VoltageMin, got.VoltageMax)
	}
	if !reflect.DeepEqual(got.BBoxMin, []float64{-564.62, -974.12, -176.43}) || !reflect.DeepEqual(got.BBoxMax, []float64{1281.39, 1145.8, 7.3}) {
		t.Errorf("bbox %v..%v", got.BBoxMin, got.BBoxMax)
	}
	if _, ok := raw["t_start"]; ok {
		t.Errorf("t_start reported for a recording without a time span")
	}
}

func TestInspectExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		status int
		stderr string // substring of the one line on stderr
	}{
		{[]string{"inspect", "testdata/bad/nan_voltage.pickle"}, exitInput, "testdata/bad/nan_voltage.pickle: section 1 frame 100: Voltage segment 3 is NaN"},
		{[]string{"inspect", "testdata/bad/malicious_os_system.pickle"}, exitInput, "refusing global os.system"},
		{[]string{"inspect", "--json", "testdata/bad/empty.pickle"}, exitInput, "empty file"},
		{[]string{"inspect", "testdata/no_such_file.pickle"}, exitInput, "no such file"},
		{[]string{"inspect"}, exitUsage, "want exactly one recording or morphology FILE"},
		{[]string{"inspect", "a.pickle", "b.pickle"}, exitUsage, "want exactly one recording or morphology FILE"},
		{[]string{"inspect", "--bogus", "testdata/simple_ap.pickle"}, exitUsage, "unknown flag"},
	} {
		status, out, errOut := runCmd(tc.args...)
		if status != tc.status {
			t.Errorf("%v: status %d, want %d", tc.args, status, tc.status)
		}
		if out != "" {
			t.Errorf("%v: stdout %q, want nothing", tc.args, out)
		}
		if !strings.Contains(errOut, tc.stderr) {
			t.Errorf("%v: stderr %q lacks %q", tc.args, errOut, tc.stderr)
		}
		if tc.status == exitInput && strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: want one line on stderr, got %q", tc.args, errOut)
		}
	}
}

func TestInspectHelp(t *testing.T) {
	status, out, errOut := runCmd("inspect", "--help")
	if status != exitOK || !strings.Contains(out, "--json") || errOut != "" {
		t.Errorf("status %d, help on stdout %q, stderr %q", status, out, errOut)
	}
}

func TestNaturalCompare(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"user5[2]", "user5[10]", -1},
		{"user5[10]", "user5[2]", 1},
		{"apic", "axon", -1},
		{"dend", "dend", 0},
		{"a", "a1", -1},
	} {
		if got := naturalCompare(tc.a, tc.b); got != tc.want {
			t.Errorf("naturalCompare(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestInspectMorphology(t *testing.T) {
	status, out, errOut := runCmd("inspect", "testdata/morphologies/neurom/simple.swc")
	if status != exitOK || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	want := "testdata/morphologies/neurom/simple.swc\n" +
		"  format        SWC\n" +
		"  sections      7\n" +
		"  types         axon 3, dend 3, soma 1\n" +
		"  3-D points    15\n" +
		"  bounding box  (-5, -4, 0) … (6, 5, 0) µm\n" +
		"  neurites      31 µm long, summed over every section but the soma\n"
	if out != want {
		t.Errorf("output\n%s\nwant\n%s", out, want)
	}
	for _, unwanted := range []string{"frames", "voltage", "segments"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("output has a %s line", unwanted)
		}
	}
}

func TestInspectMorphologyJSON(t *testing.T) {
	status, out, errOut := runCmd("inspect", "--json", "testdata/morphologies/hay2011_l5b_cell3.asc")
	if status != exitOK || errOut != "" {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	// The counts and box NEURON gives the file (l5_bap.pickle was recorded
	// from it); the neurite length is NEURON's 30589.68 µm.
	want := map[string]any{
		"file":      "testdata/morphologies/hay2011_l5b_cell3.asc",
		"format":    "Neurolucida ASC",
		"sections":  312.0,
		"types":     map[string]any{"soma": 1.0, "axon": 95.0, "dend": 83.0, "apic": 133.0},
		"n3d_total": 15010.0,
		"bbox_min":  []any{-564.62, -974.12, -176.43},
		"bbox_max":  []any{1281.39, 1145.8, 7.3},
	}
	length, _ := got["neurite_length"].(float64)
	delete(got, "neurite_length")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if math.Abs(length-30589.68) > 0.01 {
		t.Errorf("neurite length %v", length)
	}
}

func TestInspectMorphologyErrors(t *testing.T) {
	for _, tc := range []struct {
		path, stderr string
	}{
		{"testdata/morphologies/refused/duplicate_id.swc", "testdata/morphologies/refused/duplicate_id.swc: line 4: id 2 repeats the id of line 3"},
		{"testdata/morphologies/refused/truncated.asc", "testdata/morphologies/refused/truncated.asc: line 12: expected \")\", found end of file"},
	} {
		status, out, errOut := runCmd("inspect", tc.path)
		if status != exitInput || out != "" || errOut != "spikeframes inspect: "+tc.stderr+"\n" {
			t.Errorf("%s: status %d, stdout %q, stderr %q", tc.path, status, out, errOut)
		}
	}
}
