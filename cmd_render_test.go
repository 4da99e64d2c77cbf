package main

import (
	"bytes"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/spikeframes/spikeframes/atomicfile"
)

// TestMain lets a test run the command in a child process (to send it
// signals): with SPIKEFRAMES_RUN_MAIN set, the test binary is spikeframes.
// The CLI scripts (testdata/script) find it on PATH as spikeframes.
func TestMain(m *testing.M) {
	if os.Getenv("SPIKEFRAMES_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	testscript.Main(m, map[string]func(){
		"spikeframes": func() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

// small is the render settings the tests use: a small picture, quiet.
var small = []string{"--width", "160", "--height", "90", "-q"}

func renderArgs(rec, dir string, extra ...string) []string {
	return append(append([]string{"render", rec, "-o", dir}, small...), extra...)
}

// readDir returns every file in dir but its manifest by name with its
// contents.
func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, e := range entries {
		if e.Name() == manifestName {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		files[e.Name()] = b
	}
	return files
}

func sameFiles(t *testing.T, what string, a, b map[string][]byte) {
	t.Helper()
	if len(a) != len(b) {
		t.Fatalf("%s: %d files vs %d", what, len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s: %s differs", what, name)
		}
	}
}

func TestRenderWritesDecodableFrames(t *testing.T) {
	dir := t.TempDir()
	status, out, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--frames", "148:151")...)
	if status != exitOK || out != "" || errOut != "" {
		t.Fatalf("status %d, stdout %q, stderr %q (quiet should print nothing)", status, out, errOut)
	}
	files := readDir(t, dir)
	want := []string{"frame_00148.png", "frame_00149.png", "frame_00150.png"}
	if names := sortedNames(files); !slices.Equal(names, want) {
		t.Fatalf("files %v, want %v", names, want)
	}
	img, err := png.Decode(bytes.NewReader(files["frame_00150.png"]))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 160 || b.Dy() != 90 {
		t.Errorf("size %v, want 160×90", b)
	}
	// The corners are background; something is drawn.
	lit := 0
	for y := range 90 {
		for x := range 160 {
			if r, g, b, _ := img.At(x, y).RGBA(); r|g|b != 0 {
				lit++
			}
		}
	}
	if r, g, b, _ := img.At(0, 0).RGBA(); r|g|b != 0 {
		t.Error("corner is not the black background")
	}
	if lit < 50 {
		t.Errorf("only %d lit pixels", lit)
	}
}

func mapKeys[V any](m map[string]V) []string {
	var k []string
	for name := range m {
		k = append(k, name)
	}
	return k
}

func sortedNames[V any](m map[string]V) []string {
	k := mapKeys(m)
	slices.Sort(k)
	return k
}

func TestRenderSameBytesForAnyWorkerCount(t *testing.T) {
	for _, rec := range []string{"testdata/simple_ap.pickle", "testdata/ca1_random_input.pickle"} {
		var runs []map[string][]byte
		for _, j := range []string{"1", "3"} {
			dir := t.TempDir()
			if status, _, errOut := runCmd(renderArgs(rec, dir, "--frames", "100:104", "-j", j, "--shading", "lit")...); status != exitOK {
				t.Fatalf("%s -j %s: status %d: %s", rec, j, status, errOut)
			}
			runs = append(runs, readDir(t, dir))
		}
		sameFiles(t, rec+" -j 1 vs -j 3", runs[0], runs[1])
	}
}

func TestRenderResampleAndShards(t *testing.T) {
	whole := t.TempDir()
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", whole, "--resample", "23")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if n := len(readDir(t, whole)); n != 23 {
		t.Fatalf("--resample 23 wrote %d frames", n)
	}
	sharded := t.TempDir()
	for k := range 4 {
		if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", sharded, "--resample", "23", "--shard", fmt.Sprintf("%d/4", k))...); status != exitOK {
			t.Fatalf("shard %d: status %d: %s", k, status, errOut)
		}
	}
	sameFiles(t, "4 shards vs one run", readDir(t, whole), readDir(t, sharded))
}

func TestRenderShardAutoFromSlurm(t *testing.T) {
	t.Setenv("SLURM_ARRAY_TASK_ID", "3")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
	t.Setenv("SLURM_ARRAY_TASK_MAX", "3")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	dir := t.TempDir()
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--resample", "10", "--shard", "auto")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	// Task 3 of 1…3 is the last third of frames 0…9: 6, 7, 8, 9.
	want := []string{"frame_00006.png", "frame_00007.png", "frame_00008.png", "frame_00009.png"}
	if got := sortedNames(readDir(t, dir)); !slices.Equal(got, want) {
		t.Errorf("files %v, want %v", got, want)
	}
}

func TestRenderSkipExistingAfterCrash(t *testing.T) {
	ref := t.TempDir()
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", ref, "--frames", "140:150")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	// A crashed run: some frames written, a stale temporary file left
	// behind, others missing. A complete frame the resumed run must keep
	// is marked so we can see it was not rewritten.
	dir := t.TempDir()
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--frames", "140:144")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	stale := filepath.Join(dir, ".frame_00144.png.123456.tmp")
	if err := os.WriteFile(stale, []byte("half a frame"), 0o644); err != nil {
		t.Fatal(err)
	}
	mtime := time.Unix(1_000_000_000, 0)
	kept := filepath.Join(dir, "frame_00141.png")
	if err := os.Chtimes(kept, mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--frames", "140:150", "--skip-existing")...); status != exitOK {
		t.Fatalf("resume: status %d: %s", status, errOut)
	}
	sameFiles(t, "resumed vs uninterrupted", readDir(t, ref), readDir(t, dir))
	if st, err := os.Stat(kept); err != nil || !st.ModTime().Equal(mtime) {
		t.Errorf("existing frame was rewritten (%v, %v)", st.ModTime(), err)
	}
}

func TestRenderExitStatus(t *testing.T) {
	notDir := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(notDir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		args   []string
		status int
		says   string
	}{
		{"no recording", []string{"render"}, exitUsage, "recording"},
		{"unknown flag", []string{"render", "testdata/simple_ap.pickle", "--nope"}, exitUsage, "nope"},
		{"zero width", []string{"render", "testdata/simple_ap.pickle", "--width", "0"}, exitUsage, "--width"},
		{"aa 0", []string{"render", "testdata/simple_ap.pickle", "--aa", "0"}, exitUsage, "--aa"},
		{"too many samples", []string{"render", "testdata/simple_ap.pickle", "--width", "16384", "--height", "16384", "--aa", "2"}, exitUsage, "samples"},
		{"unknown view", []string{"render", "testdata/simple_ap.pickle", "--view", "top"}, exitUsage, "--view"},
		{"unknown shading", []string{"render", "testdata/simple_ap.pickle", "--shading", "toon"}, exitUsage, "--shading"},
		{"unknown colormap", []string{"render", "testdata/simple_ap.pickle", "--cmap", "virdis"}, exitUsage, "viridis"},
		{"limits reversed", []string{"render", "testdata/simple_ap.pickle", "--vmin", "20", "--vmax", "-70"}, exitUsage, "vmin"},
		{"limit not a number", []string{"render", "testdata/simple_ap.pickle", "--vmin", "low"}, exitUsage, "--vmin"},
		{"bad pattern", []string{"render", "testdata/simple_ap.pickle", "--pattern", "frame.png"}, exitUsage, "--pattern"},
		{"frames past the end", []string{"render", "testdata/simple_ap.pickle", "--frames", "300:"}, exitUsage, "--frames"},
		{"bad shard", []string{"render", "testdata/simple_ap.pickle", "--shard", "4/4"}, exitUsage, "shard"},
		{"shard auto outside Slurm", []string{"render", "testdata/simple_ap.pickle", "--shard", "auto"}, exitUsage, "SLURM_ARRAY_TASK_ID"},
		{"video with shard", []string{"render", "testdata/simple_ap.pickle", "--video", "a.mp4", "--shard", "0/2"}, exitUsage, "--video"},
		{"bad segmentation", []string{"render", "testdata/simple_ap.pickle", "--segmentation", "1"}, exitUsage, "segmentation"},
		{"missing recording", []string{"render", "testdata/no_such.pickle"}, exitInput, "no_such.pickle"},
		{"invalid recording", []string{"render", "testdata/bad/nan_voltage.pickle"}, exitInput, "NaN"},
		{"malicious recording", []string{"render", "testdata/bad/malicious_os_system.pickle"}, exitInput, "os.system"},
		{"output folder is a file", []string{"render", "testdata/simple_ap.pickle", "-o", filepath.Join(notDir, "frames")}, exitOutput, notDir},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := tc.args
			if len(args) > 1 && !slices.Contains(args, "-o") {
				args = append(args, "-o", filepath.Join(t.TempDir(), "frames"))
			}
			status, out, errOut := runCmd(append(args, "-q")...)
			if status != tc.status {
				t.Fatalf("status %d, want %d (stderr %q)", status, tc.status, errOut)
			}
			if !strings.Contains(errOut, tc.says) {
				t.Errorf("stderr %q does not mention %q", errOut, tc.says)
			}
			if out != "" {
				t.Errorf("stdout %q on failure", out)
			}
		})
	}
}

func TestRenderInvalidInputLeavesNoFrames(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "frames")
	for _, f := range []string{"truncated", "frame_gap", "malicious_posix_system"} {
		if status, _, _ := runCmd(renderArgs("testdata/bad/"+f+".pickle", dir)...); status != exitInput {
			t.Errorf("%s: status %d, want %d", f, status, exitInput)
		}
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("output folder exists after invalid input (%v)", err)
	}
}

func TestRenderVideo(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffmpeg/ffprobe not installed")
	}
	dir := t.TempDir()
	movie := filepath.Join(dir, "ap.mp4")
	// An odd size is made even for yuv420p.
	status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "--video", movie, "--frames", "100:137",
		"--width", "161", "--height", "91", "--fps", "25")
	if status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if !strings.Contains(errOut, "162×92") {
		t.Errorf("no warning about the even size in %q", errOut)
	}
	out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0",
		"-show_entries", "stream=nb_read_frames,width,height", "-of", "csv=p=0", movie).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(out)); got != "162,92,37" {
		t.Errorf("ffprobe says %q, want 162,92,37 (width, height, frames)", got)
	}
	if names := mapKeys(readDir(t, dir)); len(names) != 1 {
		t.Errorf("files left beside the movie: %v", names)
	}
}

// startRender runs the command in a child process rendering many large
// frames one at a time, and waits until its first frame is on disk.
func startRender(t *testing.T, dir string, extra ...string) *exec.Cmd {
	t.Helper()
	args := append([]string{"render", "testdata/ca1_random_input.pickle", "-o", dir, "-j", "1", "-q",
		"--width", "1280", "--height", "720"}, extra...)
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), "SPIKEFRAMES_RUN_MAIN=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		if _, err := os.Stat(filepath.Join(dir, "frame_00000.png")); err == nil {
			return cmd
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("no frame after 60 s; stderr: %s", stderr.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestRenderStopsCleanlyOnSignals(t *testing.T) {
	for _, tc := range []struct {
		sig    syscall.Signal
		status int
	}{{syscall.SIGINT, exitInterrupted}, {syscall.SIGTERM, exitTerminated}} {
		dir := t.TempDir()
		cmd := startRender(t, dir)
		if err := cmd.Process.Signal(tc.sig); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		if code := cmd.ProcessState.ExitCode(); code != tc.status {
			t.Errorf("%v: exit %d (%v), want %d", tc.sig, code, err, tc.status)
		}
		files := readDir(t, dir)
		if len(files) == 500 {
			t.Errorf("%v: the whole movie was rendered; the signal came too late to test", tc.sig)
		}
		for name, data := range files {
			if strings.HasPrefix(name, ".") {
				t.Errorf("%v: temporary file %s left", tc.sig, name)
			} else if _, err := png.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%v: %s is not a complete PNG: %v", tc.sig, name, err)
			}
		}
	}
}

func TestRenderResumesAfterKill(t *testing.T) {
	frames := []string{"--frames", "0:12"}
	ref := t.TempDir()
	if status, _, errOut := runCmd(append([]string{"render", "testdata/ca1_random_input.pickle", "-o", ref, "-q",
		"--width", "1280", "--height", "720"}, frames...)...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	dir := t.TempDir()
	cmd := startRender(t, dir, frames...)
	cmd.Process.Kill()
	cmd.Wait()
	before := len(readDir(t, dir))
	if status, _, errOut := runCmd(append([]string{"render", "testdata/ca1_random_input.pickle", "-o", dir, "-q",
		"--width", "1280", "--height", "720", "--skip-existing"}, frames...)...); status != exitOK {
		t.Fatalf("resume: status %d: %s", status, errOut)
	}
	want := readDir(t, ref)
	t.Logf("%d of %d frames written before the kill", before, len(want))
	sameFiles(t, "killed and resumed vs uninterrupted", want, readDir(t, dir))
}

func TestRenderTimeLabelFromRecorderFile(t *testing.T) {
	plain, labelled := t.TempDir(), t.TempDir()
	for _, run := range []struct {
		dir  string
		args []string
	}{{plain, nil}, {labelled, []string{"--label", "time"}}} {
		args := append(renderArgs("testdata/recorder_ball_stick.pickle", run.dir, "--frames", "20:21"), run.args...)
		if status, _, errOut := runCmd(args...); status != exitOK {
			t.Fatalf("status %d: %s", status, errOut)
		}
	}
	a, b := readDir(t, plain)["frame_00020.png"], readDir(t, labelled)["frame_00020.png"]
	if len(a) == 0 || bytes.Equal(a, b) {
		t.Error("--label time changed nothing")
	}
}

func TestProgressSummaryCountsSkippedFrames(t *testing.T) {
	var buf bytes.Buffer
	p := newProgress(&buf, 10, false)
	for range 7 {
		p.frameDone(true)
	}
	for range 3 {
		p.frameDone(false)
	}
	p.finish("rendered into frames")
	if got := buf.String(); !strings.HasPrefix(got, "rendered into frames: 3 frames in ") || !strings.HasSuffix(got, ", 7 already there\n") {
		t.Errorf("summary %q", got)
	}
}

func TestRemoveStaleOnlyTouchesOurTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	names := []string{
		".frame_00003.png.111.tmp", // stale, in range: removed
		".frame_00009.png.222.tmp", // stale, out of range: kept
		".tmp", ".a.tmp", "..tmp",  // odd names: kept
		".other_00003.png.333.tmp", // another pattern: kept
		"frame_00004.png",          // a frame: kept
	}
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	pattern, err := parsePattern("frame_%05d.png")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newPNGSink(dir, pattern, 160, 90, true, frameRange{0, 5}); err != nil {
		t.Fatal(err)
	}
	got := sortedNames(readDir(t, dir))
	want := []string{"..tmp", ".a.tmp", ".frame_00009.png.222.tmp", ".other_00003.png.333.tmp", ".tmp", "frame_00004.png"}
	if !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
}

func TestRenderOrbit(t *testing.T) {
	var runs []map[string][]byte
	for _, j := range []string{"1", "2"} {
		dir := t.TempDir()
		if status, _, errOut := runCmd(renderArgs("testdata/ca1_random_input.pickle", dir, "--orbit", "360", "--resample", "8", "-j", j)...); status != exitOK {
			t.Fatalf("-j %s: status %d: %s", j, status, errOut)
		}
		runs = append(runs, readDir(t, dir))
	}
	sameFiles(t, "orbit, -j 1 vs -j 2", runs[0], runs[1])
	// Each of the 8 frames sees the cell from another side.
	seen := map[string]bool{}
	for _, data := range runs[0] {
		seen[string(data)] = true
	}
	if len(runs[0]) != 8 || len(seen) != 8 {
		t.Errorf("%d frames, %d distinct; want 8 and 8", len(runs[0]), len(seen))
	}
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", t.TempDir(), "--orbit", "NaN")...); status != exitUsage {
		t.Errorf("--orbit NaN: status %d (%s)", status, errOut)
	}
}

// TestRenderSkipExistingRedoesIncompleteFrames resumes into a folder a
// crash left with frames that exist but are not whole: empty, cut short,
// missing their end, or of another size. Those are rendered again; the
// whole frame is kept as it is.
func TestRenderSkipExistingRedoesIncompleteFrames(t *testing.T) {
	ref, dir := t.TempDir(), t.TempDir()
	for _, d := range []string{ref, dir} {
		if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", d, "--frames", "140:146")...); status != exitOK {
			t.Fatalf("status %d: %s", status, errOut)
		}
	}
	frame := func(k int) string { return filepath.Join(dir, fmt.Sprintf("frame_%05d.png", k)) }
	whole := readDir(t, ref)["frame_00141.png"]
	damage := map[int][]byte{
		141: nil,
		142: whole[:len(whole)/2],
		143: whole[:len(whole)-1],
		144: encodePNG(t, 90, 160),
	}
	for k, data := range damage {
		if err := os.WriteFile(frame(k), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mtime := time.Unix(1_000_000_000, 0)
	if err := os.Chtimes(frame(145), mtime, mtime); err != nil {
		t.Fatal(err)
	}
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--frames", "140:146", "--skip-existing")...); status != exitOK {
		t.Fatalf("resume: status %d: %s", status, errOut)
	}
	sameFiles(t, "resumed vs whole", readDir(t, ref), readDir(t, dir))
	if st, err := os.Stat(frame(145)); err != nil || !st.ModTime().Equal(mtime) {
		t.Errorf("a whole frame was rendered again (%v)", err)
	}
}

// TestRenderSparesAnotherRunsTemporaryFiles resumes into a folder where
// another live run is writing a frame: its temporary file must survive
// the clean-up, so that the other run can finish.
func TestRenderSparesAnotherRunsTemporaryFiles(t *testing.T) {
	dir := t.TempDir()
	inFlight, err := atomicfile.Create(filepath.Join(dir, "frame_00142.png"))
	if err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, ".frame_00143.png.31415.tmp") // a killed run's
	if err := os.WriteFile(stale, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, _, errOut := runCmd(renderArgs("testdata/simple_ap.pickle", dir, "--frames", "140:146", "--skip-existing")...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("a dead run's temporary file is still there (%v)", err)
	}
	whole := readDir(t, dir)["frame_00142.png"]
	if _, err := inFlight.Write(whole); err != nil {
		t.Fatal(err)
	}
	if err := inFlight.Commit(); err != nil {
		t.Errorf("the other run could not finish its frame: %v", err)
	}
}

// TestRenderTwoRunsInOneFolder runs two renders of the same frames into
// one folder at once, as a re-submitted array task overlapping the old
// one does: both finish, with the frames of a single run.
func TestRenderTwoRunsInOneFolder(t *testing.T) {
	args := func(dir string) []string {
		return []string{"render", "testdata/ca1_random_input.pickle", "-o", dir, "-q", "-j", "1",
			"--width", "640", "--height", "360", "--frames", "0:16", "--skip-existing"}
	}
	ref := t.TempDir()
	if status, _, errOut := runCmd(args(ref)...); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	dir := t.TempDir()
	first := spawn(t, args(dir)...)
	awaitFile(t, filepath.Join(dir, "frame_00000.png"))
	second := spawn(t, args(dir)...)
	for i, c := range []*child{first, second} {
		if status := c.exit(t); status != exitOK {
			t.Errorf("run %d: exit %d; stderr: %s", i+1, status, c.said())
		}
	}
	sameFiles(t, "two runs vs one", readDir(t, ref), readDir(t, dir))
}

// TestRenderWritesUnchangedFramesAgain renders the end of the simple_ap
// recording, where the cell is at rest and frames repeat: a frame that
// repeats is written as the same file, byte for byte the one rendering it
// alone makes. One worker, so that frame 290's last frame is 289, the
// same picture: its file is the one written again.
func TestRenderWritesUnchangedFramesAgain(t *testing.T) {
	all, alone := t.TempDir(), t.TempDir()
	for _, c := range []struct{ dir, frames string }{{all, "260:300"}, {alone, "290:291"}} {
		if status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "-o", c.dir, "-q", "-j", "1", "--width", "160", "--height", "90", "--frames", c.frames); status != exitOK {
			t.Fatalf("render --frames %s: status %d, %s", c.frames, status, errOut)
		}
	}
	read := func(dir string, k int) []byte {
		b, err := os.ReadFile(filepath.Join(dir, fmt.Sprintf("frame_%05d.png", k)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if !bytes.Equal(read(all, 290), read(alone, 290)) {
		t.Error("frame 290 differs from the same frame rendered alone")
	}
	repeats := 0
	for k := 261; k < 300; k++ {
		if bytes.Equal(read(all, k), read(all, k-1)) {
			repeats++
		}
	}
	if !bytes.Equal(read(all, 290), read(all, 289)) || repeats < 10 {
		t.Errorf("%d of 39 frames at rest the same as the one before, want most, 290 among them", repeats)
	}
}
