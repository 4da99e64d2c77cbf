package main

import (
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestFlagsRefusedBeforeReading gives render and mesh bad flag values with
// a recording that does not exist: each must be refused as a usage error
// (status 2) naming the flag, before the recording is opened (which would
// fail with status 1).
func TestFlagsRefusedBeforeReading(t *testing.T) {
	folder := t.TempDir()
	t.Setenv("SLURM_ARRAY_TASK_ID", "4")
	t.Setenv("SLURM_ARRAY_TASK_MIN", "1")
	t.Setenv("SLURM_ARRAY_TASK_MAX", "5")
	t.Setenv("SLURM_ARRAY_TASK_COUNT", "3")
	t.Setenv("SLURM_ARRAY_TASK_STEP", "2")
	geometry := [][]string{
		{"--downscale", "1e-300"}, {"--downscale", "NaN"}, {"--downscale", "Inf"}, {"--downscale", "-1"},
		{"--thickness", "1e308"}, {"--thickness", "NaN"}, {"--thickness", "1e-300"},
		{"--homogeneity", "NaN"}, {"--segmentation", "1"}, {"--sides", "100000"},
	}
	render := [][]string{
		{"--azimuth", "NaN"}, {"--elevation", "Inf"}, {"--roll", "-Inf"}, {"--orbit", "1e300"},
		{"--zoom", "1e300"}, {"--zoom", "0"}, {"--zoom", "NaN"},
		{"--fov", "1e-300"}, {"--fov", "180"}, {"--fov", "NaN"},
		{"--emission", "Inf"}, {"--bloom", "NaN"}, {"--bloom", "1e308"}, {"--min-width", "NaN"},
		{"--cmap-start", "NaN"}, {"--cmap-stop", "Inf"}, {"--cmap-steps", "1"},
		{"--cmap", ""}, {"--cmap", "#zzzzzz"}, {"--cmap", "virdis"},
		{"--vmin", "NaN"}, {"--vmax", "Inf"}, {"--vmin", "-1e308"}, {"--vmin", "20", "--vmax", "-70"},
		{"--background", "#zzzzzz"},
		{"--fps", "0"}, {"--fps", "1e-9"}, {"--fps", "NaN"}, {"--fps", "1e6"},
		{"--crf", "52"}, {"--jobs", "-1"}, {"--resample", "100000000"}, {"--aa", "9"},
		{"--pattern", "%s.png"}, {"--pattern", ".%05d.png"}, {"--pattern", "%05d_%d.png"}, {"--pattern", "%0252d.png"},
		{"--pattern", "a/%d.png"},
		{"--frames", "a:b"}, {"--shard", "5/4"}, {"--shard", "auto"},
		{"--video", folder},
	}
	flagOf := func(args []string) string {
		if args[0] == "--shard" && args[1] == "auto" {
			return "not among the tasks"
		}
		return args[0]
	}
	for _, args := range append(geometry, render...) {
		status, out, errOut := runCmd(append([]string{"render", "testdata/no_such.pickle", "-o", t.TempDir()}, args...)...)
		if status != exitUsage || !strings.Contains(errOut, flagOf(args)) || out != "" {
			t.Errorf("render %v: status %d, stderr %q; want %d naming %s", args, status, errOut, exitUsage, flagOf(args))
		}
	}
	for _, args := range geometry {
		status, _, errOut := runCmd(append([]string{"mesh", "testdata/no_such.pickle", "-o", filepath.Join(t.TempDir(), "m.ply")}, args...)...)
		if status != exitUsage || !strings.Contains(errOut, args[0]) {
			t.Errorf("mesh %v: status %d, stderr %q; want %d naming %s", args, status, errOut, exitUsage, args[0])
		}
	}
}

// TestColormapMessagesSayWhatIsWrong checks the messages for an empty
// colormap and a colour that is not one.
func TestColormapMessagesSayWhatIsWrong(t *testing.T) {
	for _, tc := range []struct{ cmap, says string }{
		{"", `--cmap: no colormap name given: want a name such as plasma`},
		{"#zzzzzz", `--cmap: "#zzzzzz" is not a colour as #rrggbb or #rgb`},
		{"#ff0000", "holds one colour; a colormap needs at least two"},
		{"#ff0000,#ff00", `custom colour 2 of "#ff0000,#ff00": "#ff00" is not a colour`},
	} {
		_, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "--cmap", tc.cmap)
		if !strings.Contains(errOut, tc.says) {
			t.Errorf("--cmap %q: %q, want it to say %q", tc.cmap, errOut, tc.says)
		}
	}
}

// TestVideoWithoutFFmpegStopsBeforeReading: a missing ffmpeg is an output
// error found before any work, even before the recording is opened.
func TestVideoWithoutFFmpegStopsBeforeReading(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := t.TempDir()
	status, _, errOut := runCmd("render", "testdata/no_such.pickle", "--video", filepath.Join(dir, "a.mp4"), "-q")
	if status != exitOutput || !strings.Contains(errOut, "ffmpeg") {
		t.Errorf("status %d, stderr %q; want %d naming ffmpeg", status, errOut, exitOutput)
	}
	if names := mapKeys(readDir(t, dir)); len(names) != 0 {
		t.Errorf("files left: %v", names)
	}
}

func TestWorkerCountIsCapped(t *testing.T) {
	cores := runtime.GOMAXPROCS(0)
	for _, tc := range []struct{ jobs, want int }{
		{0, cores}, {1, 1}, {cores, cores}, {maxWorkersPerCore * cores, maxWorkersPerCore * cores},
		{maxWorkersPerCore*cores + 1, maxWorkersPerCore * cores}, {math.MaxInt, maxWorkersPerCore * cores},
	} {
		if got := workerCount(tc.jobs); got != tc.want {
			t.Errorf("-j %d: %d workers, want %d", tc.jobs, got, tc.want)
		}
	}
	dir := t.TempDir()
	status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "-o", dir, "--width", "160", "--height", "90", "--frames", "0:3", "-j", "1000000")
	if status != exitOK || !strings.Contains(errOut, "-j 1000000 is more than") {
		t.Errorf("-j 1000000: status %d, stderr %q", status, errOut)
	}
}

// TestMeshKeepsGeometryFinite writes a PLY at the extremes of the scale
// flags: every vertex property stays finite.
func TestMeshKeepsGeometryFinite(t *testing.T) {
	for _, args := range [][]string{
		{"--downscale", "0.001", "--thickness", "1000"},
		{"--downscale", "1e6", "--thickness", "0.001"},
	} {
		out := filepath.Join(t.TempDir(), "m.ply")
		if status, _, errOut := runCmd(append([]string{"mesh", "testdata/simple_ap.pickle", "-o", out}, args...)...); status != exitOK {
			t.Fatalf("%v: status %d: %s", args, status, errOut)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		p, err := readPLY(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range p.vertices {
			for _, x := range v {
				if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
					t.Fatalf("%v: vertex %d is %v", args, i, v)
				}
			}
		}
	}
}
