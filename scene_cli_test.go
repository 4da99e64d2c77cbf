package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/scene"
)

// TestEveryRenderFlagIsASceneKey: every render flag either sets one key of
// a scene file or says how a run goes, and with no flags given the scene
// is the scene file's defaults, so that the flags' defaults and the file's
// cannot drift apart.
func TestEveryRenderFlagIsASceneKey(t *testing.T) {
	fs := newFlags("render", "", io.Discard, io.Discard)
	f := addRenderFlags(fs)
	geom := addGeometryFlags(fs)
	addMorphologyFlag(fs)
	seen := map[string]string{}
	fs.VisitAll(func(fl *pflag.Flag) {
		keys, err := keysOfFlag(fl.Name)
		if err != nil {
			t.Errorf("--%s: %v", fl.Name, err)
		}
		if len(keys) == 1 { // a flag of several keys (--look) may set those of others
			if seen[keys[0]] != "" {
				t.Errorf("--%s and --%s both set %s", fl.Name, seen[keys[0]], keys[0])
			}
			seen[keys[0]] = fl.Name
		}
	})
	if err := fs.Parse([]string{"x.pickle"}); err != nil {
		t.Fatal(err)
	}
	f.fs, f.given = fs, fs.Changed
	sc, err := f.buildScene(fs, geom, fs.Args())
	if err != nil {
		t.Fatal(err)
	}
	want := scene.Default()
	want.SetRecordings([]string{"x.pickle"})
	changes, err := scene.Diff(want, sc, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range changes {
		t.Errorf("without flags, %s is %s; the scene file's default is %s", c.Value.Path, c.Is, c.Was)
	}
}

// writeScene writes a scene file printed by the command with args.
func writeScene(t *testing.T, path string, args ...string) {
	t.Helper()
	status, out, errOut := runCmd(append(append([]string{"render"}, args...), "--print-scene")...)
	if status != exitOK || errOut != "" {
		t.Fatalf("--print-scene %v: status %d: %s", args, status, errOut)
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestPrintedSceneRendersTheSameFrames: for several sets of flags, the
// scene --print-scene prints renders, from another folder, exactly the
// frames the flags render.
func TestPrintedSceneRendersTheSameFrames(t *testing.T) {
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	ap, ca1, ball := filepath.Join(here, "testdata/simple_ap.pickle"), "testdata/ca1_random_input.pickle", "testdata/recorder_ball_stick.pickle"
	for i, args := range [][]string{
		{ap, "--frames", "148:151"},
		{ca1, "--frames", "3:5", "--cmap", "viridis_r", "--vmin", "auto", "--vmax", "auto", "--cmap-steps", "10", "--cmap-start", "0.1",
			"--bloom", "0.3", "--shading", "lit", "--label", "frame", "--background", "#102030", "--emission", "1.5"},
		{ap, ball, "--arrange", "row", "--orbit", "90", "--resample", "7", "--fov", "30", "--target", "1:soma", "--frames", "2:5"},
		{ca1, "--segmentation", "5", "--downscale", "10", "--thickness", "3", "--caps", "--sides", "8", "--simplify-soma=false",
			"--view", "xz", "--azimuth", "30", "--elevation", "20", "--roll", "10", "--zoom", "2", "--aa", "3", "--min-width", "0",
			"--frames", "7:8", "--pattern", "f_%d.png", "--homogeneity", "0.5", "--center=false"},
		{ap, ca1, ap, "--arrange", "grid", "--label", "time", "--frames", "290:292", "--width", "201", "--height", "99"},
		{ap, "--annotate", "--time-span", "0:10", "--trace", "soma", "--title", "Ball and stick", "--frames", "100:102"},
		{ap, ball, "--arrange", "row", "--trace", "1:soma", "--trace", "0:axon", "--label", "time", "--frames", "0:2"},
		{ca1, "--color-by", "distance", "--colorbar"},
		{"testdata/morphologies/hay2011_l5b_cell3.asc", "--annotate"},
		{ca1, "--look", "blender", "--frames", "3:4"},
		{ap, "--look", "blender", "--bloom", "0", "--depth-cue", "0.3", "--frames", "150:151"},
		{bbpConfig, "--nodes", "cortex:0,2-4", "--color-by", "mtype", "--colorbar", "--frames", "0:1"},
		{bbpConfig, "--nodes", "DeepOrThalamus", "--spike-decay", "6", "--soma-only-fill", "--frames", "30:32"},
	} {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			tmp := t.TempDir()
			// A small picture, unless the set gives its own size.
			args = append([]string{"--width", "160", "--height", "90"}, args...)
			direct := filepath.Join(tmp, "direct")
			if status, _, errOut := runCmd(append(append([]string{"render"}, args...), "-o", direct, "-q")...); status != exitOK {
				t.Fatalf("direct: status %d: %s", status, errOut)
			}
			file := filepath.Join(tmp, "elsewhere", "scene.toml")
			if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
				t.Fatal(err)
			}
			writeScene(t, file, args...)
			fromFile := filepath.Join(tmp, "from-file")
			if status, _, errOut := runCmd("render", "--scene", file, "-o", fromFile, "-q"); status != exitOK {
				t.Fatalf("--scene: status %d: %s", status, errOut)
			}
			sameFiles(t, "direct vs --scene", readDir(t, direct), readDir(t, fromFile))
			a, _ := os.ReadFile(filepath.Join(direct, manifestName))
			b, _ := os.ReadFile(filepath.Join(fromFile, manifestName))
			if len(a) == 0 || string(a) != string(b) {
				t.Errorf("the two folders' manifests differ:\n%s\n---\n%s", a, b)
			}
		})
	}
}

func TestSceneFileInUse(t *testing.T) {
	tmp := t.TempDir()
	copyFile(t, "testdata/simple_ap.pickle", filepath.Join(tmp, "runs", "ap.pickle"))
	sub := filepath.Join(tmp, "paper")
	file := filepath.Join(sub, "scene.toml")
	writeText(t, file, `width = 64
height = 36
[[cells]]
recording = "../runs/ap.pickle"
[output]
out = "frames"
frames = "10:12"
[colors]
map = "viridis"
`)
	// Relative paths start at the file's folder, wherever the command runs.
	if status, _, errOut := runCmd("render", "--scene", file, "-q"); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if got := sortedNames(readDir(t, filepath.Join(sub, "frames"))); !slices.Equal(got, []string{"frame_00010.png", "frame_00011.png"}) {
		t.Errorf("frames %v", got)
	}
	// Flags override the file; recordings given replace its recordings.
	over := filepath.Join(tmp, "over")
	status, out, errOut := runCmd("render", "testdata/ca1_random_input.pickle", "--scene", file, "--cmap", "magma", "-o", over, "--print-scene")
	if status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	for _, want := range []string{`map = "magma"`, "ca1_random_input.pickle", `out = "` + over + `"`, `frames = "10:12"`, "width = 64"} {
		if !strings.Contains(out, want) {
			t.Errorf("the printed scene lacks %s", want)
		}
	}

	for _, tc := range []struct {
		name, text string
		args       []string
		status     int
		says       string
	}{
		{"unknown key", "[look]\naa = 2\nbloon = 1\n", nil, exitUsage, "bad.toml:3: unknown key look.bloon; did you mean bloom?"},
		{"bad value", "[[cells]]\nrecording = \"x\"\n[view]\nzoom = 0\n", nil, exitUsage, "--scene " + filepath.Join(tmp, "bad.toml") + ": zoom 0"},
		{"a flag's bad value", "[[cells]]\nrecording = \"x\"\n", []string{"--zoom", "0"}, exitUsage, "--zoom 0"},
		{"no recordings", "width = 100\n", nil, exitUsage, "want one or more recording files"},
		{"one morphology for two recordings", "[[cells]]\nrecording = \"a\"\n[[cells]]\nrecording = \"b\"\n", []string{"--morphology", "m.swc"}, exitUsage, "--morphology m.swc: gives one recording its geometry, and there are 2"},
		{"a cell's own colours", "[[cells]]\nrecording = \"runs/ap.pickle\"\n[cells.colors]\nmap = \"plasm\"\n", nil, exitUsage, "cell 0: cmap"},
		{"a network setting for a recording", "[[cells]]\nrecording = \"runs/ap.pickle\"\n[network]\nnodes = \"cortex\"\n", nil, exitUsage, "--scene " + filepath.Join(tmp, "bad.toml") + ": network.nodes is for a SONATA simulation"},
		{"another recording than pinned", "[[cells]]\nrecording = \"runs/ap.pickle\"\nsha256 = \"0123\"\n", nil, exitInput, "are not the recording the scene names (0123)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(tmp, "bad.toml")
			writeText(t, bad, tc.text)
			status, _, errOut := runCmd(append([]string{"render", "--scene", bad, "-o", filepath.Join(tmp, "bad"), "-q"}, tc.args...)...)
			if status != tc.status || !strings.Contains(errOut, tc.says) {
				t.Errorf("status %d, stderr %q; want %d saying %q", status, errOut, tc.status, tc.says)
			}
		})
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	writeText(t, to, string(data))
}

func writeText(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestSeveralRecordings(t *testing.T) {
	dir := t.TempDir()
	status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "testdata/l5_bap.pickle", "testdata/ca1_random_input.pickle",
		"--arrange", "grid", "-o", dir, "--width", "160", "--height", "90", "--frames", "498:500", "--vmin", "auto")
	if status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	for _, want := range []string{
		"read testdata/l5_bap.pickle: 312 sections, 200 frames",
		"warning: the recordings have 300, 200, 500 frames and not every one has a time span: frames align by index",
		"limits of testdata/ca1_random_input.pickle: ",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, []string{"frame_00498.png", "frame_00499.png"}) {
		t.Errorf("frames %v: the longest recording's 500 set the length", got)
	}
	if status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "testdata/simple_ap.pickle", "--arrange", "diagonal", "-q"); status != exitUsage || !strings.Contains(errOut, "--arrange diagonal") {
		t.Errorf("--arrange diagonal: status %d, %s", status, errOut)
	}
}

// TestExampleSceneRenders renders a few frames of examples/scene.toml, so
// that the example the README shows keeps working.
func TestExampleSceneRenders(t *testing.T) {
	dir := t.TempDir()
	status, _, errOut := runCmd("render", "--scene", "examples/scene.toml", "-o", dir, "--width", "320", "--height", "180", "--frames", "24:26", "-q")
	if status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, []string{"frame_00024.png", "frame_00025.png"}) {
		t.Errorf("frames %v", got)
	}
}
