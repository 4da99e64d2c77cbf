package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/movie"
)

func TestManifestRefusesAnotherScene(t *testing.T) {
	tmp := t.TempDir()
	rec := filepath.Join(tmp, "run.pickle")
	copyFile(t, "testdata/simple_ap.pickle", rec)
	dir := filepath.Join(tmp, "frames")
	render := func(extra ...string) (int, string) {
		status, _, errOut := runCmd(append([]string{"render", rec, "-o", dir, "-q", "--width", "64", "--height", "36"}, extra...)...)
		return status, errOut
	}
	if status, errOut := render("--frames", "0:5"); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	before := readDir(t, dir)
	for _, tc := range []struct {
		name string
		args []string
		says string
	}{
		{"another colormap", []string{"--frames", "0:5", "--cmap", "viridis"}, "holds frames of another render: --cmap was plasma, is viridis (--overwrite replaces them)"},
		{"resuming another scene", []string{"--frames", "0:8", "--skip-existing", "--bloom", "0"}, fmt.Sprintf("--bloom was %g, is 0", movie.DefaultOptions().Look.Bloom)},
		{"another size and target", []string{"--width", "80", "--target", "soma"}, `--width was 64, is 80; --target was "", is soma`},
		{"another pattern", []string{"--pattern", "f_%03d.png"}, "--pattern was frame_%05d.png, is f_%03d.png"},
		{"another layout", []string{"--arrange", "row", rec}, "recording 1 was absent, is " + rec + "; --arrange was recorded, is row"},
	} {
		status, errOut := render(tc.args...)
		if status != exitUsage || !strings.Contains(errOut, tc.says) {
			t.Errorf("%s: status %d, stderr %q; want %d saying %q", tc.name, status, errOut, exitUsage, tc.says)
		}
	}
	sameFiles(t, "after the refusals", before, readDir(t, dir))

	// The same scene resumes: other frames and other workers change
	// nothing that decides a frame.
	os.Remove(filepath.Join(dir, "frame_00003.png"))
	if status, errOut := render("--frames", "2:9", "--skip-existing", "-j", "1"); status != exitOK {
		t.Fatalf("resume: status %d: %s", status, errOut)
	}
	if n := len(readDir(t, dir)); n != 9 {
		t.Errorf("after resuming frames 2 to 8: %d frames, want 9", n)
	}

	// New contents at the same path are another scene.
	copyFile(t, "testdata/variants/simple_ap_float32.pickle", rec)
	if status, errOut := render("--frames", "0:5", "--skip-existing"); status != exitUsage || !strings.Contains(errOut, "the contents of recording 0 ("+rec+") have changed") {
		t.Errorf("a changed recording: status %d, %s", status, errOut)
	}

	// --overwrite removes the old frames first, of the old pattern too.
	copyFile(t, "testdata/simple_ap.pickle", rec)
	if status, errOut := render("--frames", "1:3", "--cmap", "viridis", "--pattern", "v_%d.png", "--overwrite"); status != exitOK {
		t.Fatalf("--overwrite: status %d: %s", status, errOut)
	}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, []string{"v_1.png", "v_2.png"}) {
		t.Errorf("after --overwrite: %v", got)
	}
	manifest, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil || !strings.Contains(string(manifest), `map = "viridis"`) || !strings.Contains(string(manifest), `pattern = "v_%d.png"`) {
		t.Errorf("the manifest after --overwrite (%v):\n%s", err, manifest)
	}
	// A render of that same scene with --overwrite keeps what is there.
	if status, errOut := render("--frames", "0:2", "--cmap", "viridis", "--pattern", "v_%d.png", "--overwrite", "--skip-existing"); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, []string{"v_0.png", "v_1.png", "v_2.png"}) {
		t.Errorf("after a second --overwrite of the same scene: %v", got)
	}
}

func TestManifestRefusesFramesWithoutOne(t *testing.T) {
	dir := t.TempDir()
	writeText(t, filepath.Join(dir, "frame_00000.png"), "a frame of unknown origin")
	writeText(t, filepath.Join(dir, "notes.txt"), "not a frame")
	args := []string{"render", "testdata/simple_ap.pickle", "-o", dir, "-q", "--width", "64", "--height", "36", "--frames", "0:2"}
	status, _, errOut := runCmd(args...)
	if status != exitUsage || !strings.Contains(errOut, "holds 1 frames that no manifest describes") {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if status, _, errOut := runCmd(append(args, "--overwrite")...); status != exitOK {
		t.Fatalf("--overwrite: status %d: %s", status, errOut)
	}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, []string{"frame_00000.png", "frame_00001.png", "notes.txt"}) {
		t.Errorf("files %v", got)
	}
	writeText(t, filepath.Join(dir, manifestName), "width = \n")
	if status, _, errOut := runCmd(args...); status != exitUsage || !strings.Contains(errOut, "whose manifest does not read") {
		t.Errorf("an unreadable manifest: status %d: %s", status, errOut)
	}
}

// TestShardsShareTheManifest starts the shards of one render at once, in
// processes of their own, into a folder that holds another render's
// frames, each with --overwrite as a Slurm array's tasks would be: the
// first to take the folder replaces the old frames, the others find their
// own scene there, and together they write exactly the frames of one run.
func TestShardsShareTheManifest(t *testing.T) {
	tmp := t.TempDir()
	common := []string{"render", "testdata/simple_ap.pickle", "-q", "--width", "64", "--height", "36", "--resample", "24"}
	whole := filepath.Join(tmp, "whole")
	if status, _, errOut := runCmd(append(common, "-o", whole)...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	dir := filepath.Join(tmp, "shards")
	if status, _, errOut := runCmd(append(common, "-o", dir, "--cmap", "viridis", "--resample", "30")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	const shards = 6
	children := make([]*child, shards)
	for k := range shards {
		children[k] = spawn(t, append(common, "-o", dir, "--overwrite", "--skip-existing", "--shard", fmt.Sprintf("%d/%d", k, shards))...)
	}
	for k, c := range children {
		if status := c.exit(t); status != exitOK {
			t.Errorf("shard %d: status %d: %s", k, status, c.said())
		}
	}
	sameFiles(t, "shards vs one run", readDir(t, whole), readDir(t, dir))
	a, _ := os.ReadFile(filepath.Join(whole, manifestName))
	b, _ := os.ReadFile(filepath.Join(dir, manifestName))
	if len(a) == 0 || string(a) != string(b) {
		t.Error("the shards' manifest is not the one run's")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left", e.Name())
		}
	}
}

// TestManifestHashesWhatANetworkIsDrawnFrom: a SONATA simulation counts
// by the contents of every file its cells are drawn from, not only its
// config: a changed report or node set is another scene, and a copy of
// the whole simulation elsewhere the same one.
func TestManifestHashesWhatANetworkIsDrawnFrom(t *testing.T) {
	config := copyCircuit(t, "", "")
	dir := filepath.Join(t.TempDir(), "frames")
	render := func(config string, extra ...string) (int, string) {
		status, _, errOut := runCmd(append([]string{"render", config, "-o", dir, "-q", "--width", "64", "--height", "36", "--frames", "0:2", "--skip-existing"}, extra...)...)
		return status, errOut
	}
	if status, errOut := render(config); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if status, errOut := render(copyCircuit(t, "", "")); status != exitOK {
		t.Errorf("a copy of the simulation elsewhere: status %d: %s", status, errOut)
	}
	for _, tc := range []struct{ file, text string }{
		{"node_sets.json", `{"Mosaic": {"population": "cortex"}, "Other": {"population": "thalamus"}}`},
		{"output/compartments.h5", ""}, // a byte of the report changed
	} {
		config := copyCircuit(t, "", "")
		path := filepath.Join(filepath.Dir(config), tc.file)
		if tc.text != "" {
			writeText(t, path, tc.text)
		} else {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			data[len(data)-1] ^= 1
			writeText(t, path, string(data))
		}
		changed := "the contents of simulation " + config + ", or of a file it names, have changed"
		if status, errOut := render(config); status != exitUsage || !strings.Contains(errOut, changed) {
			t.Errorf("%s changed: status %d, stderr %q", tc.file, status, errOut)
		}
	}
}
