package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const bbpConfig = "sonata/testdata/bbp/simulation_config.json"

func TestRenderNetwork(t *testing.T) {
	for _, args := range [][]string{
		{"--frames", "60:62"},
		{"--frames", "0:1", "--nodes", "DeepOrThalamus", "--color-by", "population", "--colorbar"},
		{"--frames", "0:1", "--nodes", "cortex:0,2-3", "--color-by", "mtype", "--annotate"},
		{"--frames", "0:1", "--nodes", "thalamus"}, // not reported: coloured by population
	} {
		out := t.TempDir()
		status, _, errOut := runCmd(append([]string{"render", bbpConfig, "-q", "--width", "160", "--height", "90", "-o", out}, args...)...)
		if status != exitOK {
			t.Errorf("%v: status %d, stderr %q", args, status, errOut)
			continue
		}
		if files, _ := filepath.Glob(filepath.Join(out, "frame_*.png")); len(files) == 0 {
			t.Errorf("%v: no frames written", args)
		}
	}
}

func TestRenderNetworkRefusesBadChoices(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--nodes", "cortex:7"}, "population cortex has no node 7"},
		{[]string{"--nodes", "NoSuchSet"}, "neither a population nor a node set"},
		{[]string{"--vmin", "auto", "--nodes", "thalamus"}, `"auto" are taken from the compartment report's values, and it holds none of the cells drawn`},
		{[]string{"--spike-decay", "0"}, "--spike-decay 0: want a time constant"},
	} {
		out := t.TempDir()
		status, _, errOut := runCmd(append([]string{"render", bbpConfig, "-q", "--width", "160", "--height", "90", "-o", out}, tc.args...)...)
		if status == exitOK || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: status %d, stderr %q, want %q", tc.args, status, errOut, tc.want)
		}
	}
	for _, cmd := range []string{"render", "inspect"} {
		status, _, errOut := runCmd(cmd, bbpConfig, "--morphology", "testdata/morphologies/neurom/simple.swc")
		if status != exitUsage || !strings.Contains(errOut, "morphologies come from its circuit") {
			t.Errorf("%s --morphology of a simulation: status %d, stderr %q", cmd, status, errOut)
		}
	}
	status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "--color-by", "population", "-o", t.TempDir())
	if status != exitUsage || !strings.Contains(errOut, "SONATA simulation") {
		t.Errorf("--color-by population of a pickle: status %d, stderr %q", status, errOut)
	}
}

// TestNetworkSettingsInSceneFiles: the network's settings are scene keys
// that --print-scene prints, that read back to the same scene (mtype
// stays mtype, though color-by is category for both), and whose bad
// values are refused naming the file.
func TestNetworkSettingsInSceneFiles(t *testing.T) {
	tmp := t.TempDir()
	file := filepath.Join(tmp, "net.toml")
	writeScene(t, file, bbpConfig, "--nodes", "cortex:0,2-3", "--color-by", "mtype", "--soma-only-fill", "--spike-decay", "4.5")
	printed, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n[network]\n", `nodes = "cortex:0,2-3"`, `category = "mtype"`, "soma-only-fill = true", "spike-decay = 4.5", `color-by = "category"`} {
		if !strings.Contains(string(printed), want) {
			t.Errorf("the printed scene lacks %q", want)
		}
	}
	status, again, errOut := runCmd("render", "--scene", file, "--print-scene")
	if status != exitOK || again != string(printed) {
		t.Errorf("printed again from the file: status %d, stderr %q; the scenes differ:\n%s\n---\n%s", status, errOut, again, printed)
	}
	// A flag overrides the file's category only when it names one.
	for _, tc := range []struct{ colorBy, want string }{{"voltage", `category = "mtype"`}, {"population", `category = "population"`}} {
		_, out, _ := runCmd("render", "--scene", file, "--color-by", tc.colorBy, "--print-scene")
		if !strings.Contains(out, tc.want) {
			t.Errorf("--color-by %s over the file: the scene lacks %q", tc.colorBy, tc.want)
		}
	}
	for _, tc := range []struct{ from, to, want string }{
		{`category = "mtype"`, `category = "layer"`, `: network.category "layer": want population or mtype`},
		{"spike-decay = 4.5", "spike-decay = 0", ": spike-decay 0: want a time constant"},
	} {
		bad := filepath.Join(tmp, "bad.toml")
		writeText(t, bad, strings.Replace(string(printed), tc.from, tc.to, 1))
		status, _, errOut := runCmd("render", "--scene", bad, "-q", "-o", filepath.Join(tmp, "out"))
		if status != exitUsage || !strings.Contains(errOut, "--scene "+bad+tc.want) {
			t.Errorf("%s: status %d, stderr %q", tc.to, status, errOut)
		}
	}
}

// TestRenderNetworkAutoLimits: --vmin and --vmax auto take the report's
// percentiles on the cells drawn, and render the very frames their
// numbers render; the parts the report does not hold show the lower one.
func TestRenderNetworkAutoLimits(t *testing.T) {
	common := []string{"render", bbpConfig, "--width", "96", "--height", "64", "--frames", "60:62", "--nodes", "DeepOrThalamus"}
	auto := t.TempDir()
	status, _, errOut := runCmd(append(common, "-o", auto, "--vmin", "auto", "--vmax", "auto")...)
	if status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	var vmin, vmax string
	for _, line := range strings.Split(errOut, "\n") {
		if rest, ok := strings.CutPrefix(line, "limits: --vmin "); ok {
			vmin, rest, _ = strings.Cut(rest, " --vmax ")
			vmax, _, _ = strings.Cut(rest, " ")
		}
	}
	if vmin == "" || vmax == "" {
		t.Fatalf("no limits said: %q", errOut)
	}
	numbers := t.TempDir()
	if status, _, errOut := runCmd(append(common, "-q", "-o", numbers, "--vmin", vmin, "--vmax", vmax)...); status != exitOK {
		t.Fatalf("--vmin %s --vmax %s: status %d, stderr %q", vmin, vmax, status, errOut)
	}
	sameFiles(t, "auto vs the numbers it said", readDir(t, auto), readDir(t, numbers))
}

// copyCircuit copies the BBP test circuit into a folder of its own, its
// morphology folder named by absolute path, with file name replaced by
// the file at bad.
func copyCircuit(t *testing.T, name, bad string) string {
	t.Helper()
	dir := t.TempDir()
	src := "sonata/testdata/bbp"
	morphs, err := filepath.Abs("testdata/morphologies/neurom")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"simulation_config.json", "circuit_config.json", "node_sets.json", "nodes.h5", "output/compartments.h5", "output/soma.h5", "output/spikes.h5"} {
		from := filepath.Join(src, f)
		if f == name {
			from = bad
		}
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if f == "circuit_config.json" {
			data = []byte(strings.Replace(string(data), "$BASE_DIR/../../../testdata/morphologies/neurom", morphs, 1))
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "simulation_config.json")
}

// TestRenderNetworkRefusesHostileFiles renders circuits with one file
// broken: each is refused with one line naming the problem, and no frame
// is written.
func TestRenderNetworkRefusesHostileFiles(t *testing.T) {
	status, _, errOut := runCmd("render", copyCircuit(t, "", ""), "-q", "--frames", "0:1", "--width", "96", "--height", "64", "-o", t.TempDir())
	if status != exitOK {
		t.Fatalf("the copied circuit, unbroken: status %d, stderr %q", status, errOut)
	}
	for _, tc := range []struct{ file, bad, want string }{
		{"nodes.h5", "nodes_missing_group.h5", "node group 3: /nodes/cells/3: not found"},
		{"nodes.h5", "nodes_index_past_group.h5", "node 2 is at 5 in group 0"},
		{"nodes.h5", "nodes_nan_position.h5", "node 1: x is NaN"},
		{"nodes.h5", "nodes_zero_quaternion.h5", "is not a rotation"},
		{"nodes.h5", "not_hdf5.h5", "not an HDF5 file"},
		{"output/compartments.h5", "report_pointers_past_end.h5", "pointer 2 is 9, outside the 6 values"},
		{"output/compartments.h5", "report_pointers_decreasing.h5", "less than the one before it"},
		{"output/compartments.h5", "report_section_past_cell.h5", "names section 900, but its morphology has 7"},
		{"output/compartments.h5", "report_element_ids_short.h5", "element_ids: shape [5], want [6]"},
		{"output/compartments.h5", "report_data_1d.h5", "data: shape [6], want frames × values"},
		{"output/compartments.h5", "report_time_zero_step.h5", "is not start, stop and a positive step"},
		{"output/compartments.h5", "not_hdf5.h5", "not an HDF5 file"},
		{"node_sets.json", "nodes_sets_empty", `no node set "Mosaic"`},
	} {
		bad := filepath.Join("sonata/testdata/bad", tc.bad)
		if tc.file == "node_sets.json" {
			bad = filepath.Join(t.TempDir(), "node_sets.json")
			if err := os.WriteFile(bad, []byte("{}"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		config := copyCircuit(t, tc.file, bad)
		out := t.TempDir()
		args := []string{"render", config, "-q", "--frames", "0:1", "--width", "96", "--height", "64", "-o", out}
		if tc.file == "nodes.h5" {
			args = append(args, "--nodes", "cells") // the broken files' population
		}
		status, _, errOut := runCmd(args...)
		lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
		if status != exitInput || len(lines) != 1 || !strings.HasPrefix(lines[0], "spikeframes render: ") || !strings.Contains(errOut, tc.want) {
			t.Errorf("%s as %s: status %d, stderr %q", tc.bad, tc.file, status, errOut)
		}
		if files, _ := filepath.Glob(filepath.Join(out, "*.png")); len(files) > 0 {
			t.Errorf("%s as %s: frames written", tc.bad, tc.file)
		}
	}
}

func TestInspectNetwork(t *testing.T) {
	status, out, errOut := runCmd("inspect", bbpConfig)
	if status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	for _, want := range []string{
		"node set      Mosaic\n",
		"population    cortex (biophysical): 5 nodes\n",
		"population    thalamus (point_neuron): 3 nodes\n",
		"report        compartments of cortex (all): 5 nodes, 183 values a frame, 160 frames from 0 to 40 ms every 0.25\n",
		"spikes        thalamus: 9 spikes of 3 nodes, 3 to 27 ms\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	status, out, _ = runCmd("inspect", "--json", "sonata/testdata/allen/config.json")
	var s networkSummary
	if status != exitOK || json.Unmarshal([]byte(out), &s) != nil {
		t.Fatalf("--json: status %d, %q", status, out)
	}
	if len(s.Populations) != 2 || len(s.Reports) != 1 || s.Reports[0].Frames != 80 || s.Reports[0].DT != 0.5 || len(s.Spikes) != 2 {
		t.Errorf("--json: %+v", s)
	}
}

// TestRenderNetworkInShards renders frames of a network in two shards
// into one folder, as the Slurm array does, and finds them byte for byte
// the frames of one render.
func TestRenderNetworkInShards(t *testing.T) {
	whole, sharded := t.TempDir(), t.TempDir()
	common := []string{"render", bbpConfig, "-q", "--width", "96", "--height", "64", "--frames", "40:46", "--resample", "80"}
	if status, _, errOut := runCmd(append(common, "-o", whole)...); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errOut)
	}
	for _, shard := range []string{"0/2", "1/2"} {
		if status, _, errOut := runCmd(append(common, "-o", sharded, "--shard", shard, "--skip-existing")...); status != exitOK {
			t.Fatalf("--shard %s: status %d, stderr %q", shard, status, errOut)
		}
	}
	files, _ := filepath.Glob(filepath.Join(whole, "frame_*.png"))
	if len(files) != 6 {
		t.Fatalf("%d frames, want 6", len(files))
	}
	for _, f := range files {
		a, errA := os.ReadFile(f)
		b, errB := os.ReadFile(filepath.Join(sharded, filepath.Base(f)))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s: the sharded frame differs (%v, %v)", filepath.Base(f), errA, errB)
		}
	}
}
