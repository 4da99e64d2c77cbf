//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spikeframes/spikeframes/render"
)

// shellBytes writes s as a printf format of octal escapes.
func shellBytes(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		fmt.Fprintf(&b, "\\%03o", c)
	}
	return b.String()
}

// fakeFFmpeg puts first on PATH an ffmpeg that runs script, a POSIX shell
// script in which $out is the movie ffmpeg was asked to write and $bin
// the folder the fake lives in. It returns $bin.
func fakeFFmpeg(t *testing.T, script string) string {
	t.Helper()
	bin := t.TempDir()
	body := "#!/bin/sh\nbin=$(dirname \"$0\")\nfor a; do out=$a; done\n" + script + "\n"
	if err := os.WriteFile(filepath.Join(bin, "ffmpeg"), []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return bin
}

// TestRenderVideoNeverLeavesACorruptMovie runs --video through fake
// ffmpegs that fail in the ways a full disk or a crash makes ffmpeg fail,
// some while exiting 0. Each run must end with status 3 naming the movie
// and leave nothing behind, not even the temporary file a killed run had
// left for the same movie.
func TestRenderVideoNeverLeavesACorruptMovie(t *testing.T) {
	tests := []struct {
		name, script string
		fault        string // "" = a good movie
	}{
		{"whole", "cat >/dev/null; printf '" + shellBytes(wholeMP4) + "' >\"$out\"", ""},
		{"error output, exit 0", "cat >/dev/null; printf '" + shellBytes(wholeMP4) + "' >\"$out\"\n" +
			"echo \"[mp4 @ 0x5581] Error writing trailer of $out: No space left on device\" >&2", "No space left on device"},
		{"cut short, exit 0", "cat >/dev/null; printf '" + shellBytes(wholeMP4[:len(wholeMP4)-3]) + "' >\"$out\"", "runs past the end"},
		{"no index, exit 0", "cat >/dev/null; printf '" + shellBytes(mp4Ftyp+box("mdat", "x")) + "' >\"$out\"", "no moov"},
		{"nothing written, exit 0", "cat >/dev/null", "empty"},
		{"exit 1", "cat >/dev/null; echo 'Conversion failed!' >&2; exit 1", "Conversion failed!"},
		{"stops reading", "head -c 1000 >/dev/null; echo 'pipe:: Invalid data' >&2; exit 1", "ffmpeg"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fakeFFmpeg(t, tc.script)
			dir := t.TempDir()
			movie := filepath.Join(dir, "ap.mp4")
			stale := filepath.Join(dir, ".ap.mp4.2718281.tmp")
			if err := os.WriteFile(stale, []byte("a killed run's movie"), 0o600); err != nil {
				t.Fatal(err)
			}
			status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "--video", movie, "--frames", "100:103", "--width", "160", "--height", "90", "-q")
			files := sortedNames(readDir(t, dir))
			if tc.fault == "" {
				if status != exitOK || !slices.Equal(files, []string{"ap.mp4"}) {
					t.Fatalf("status %d (%s), files %v; want 0 and the movie alone", status, errOut, files)
				}
				return
			}
			if status != exitOutput || !strings.Contains(errOut, movie) || !strings.Contains(errOut, tc.fault) {
				t.Errorf("status %d, stderr %q; want %d naming %s and %q", status, errOut, exitOutput, movie, tc.fault)
			}
			if len(files) != 0 {
				t.Errorf("files left: %v", files)
			}
		})
	}
}

// TestRenderVideoRemovesAKilledRunsMovie kills a --video run, which
// leaves its temporary movie behind, then runs it again: the second run
// removes what the first left.
func TestRenderVideoRemovesAKilledRunsMovie(t *testing.T) {
	// As ffmpeg does, the fake opens the movie first and writes it last.
	bin := fakeFFmpeg(t, "exec 3>\"$out\"; echo >\"$bin/opened\"; cat >/dev/null; printf '"+shellBytes(wholeMP4)+"' >&3")
	dir := t.TempDir()
	movie := filepath.Join(dir, "ca1.mp4")
	c := spawn(t, videoRenderArgs(movie)...)
	awaitFile(t, filepath.Join(bin, "opened"))
	c.cmd.Process.Kill()
	c.cmd.Wait()
	if status, _, errOut := runCmd("render", "testdata/simple_ap.pickle", "--video", movie, "--frames", "0:2", "--width", "160", "--height", "90", "-q"); status != exitOK {
		t.Fatalf("status %d: %s", status, errOut)
	}
	if files := sortedNames(readDir(t, dir)); !slices.Equal(files, []string{"ca1.mp4"}) {
		t.Errorf("files %v, want the movie alone", files)
	}
}

// TestVideoSinkFeedsFramesInOrder hands frames to a video sink from three
// workers that finish out of order, as frames of different cost do, and
// checks that ffmpeg reads every frame once, in order, with the preset
// asked for.
func TestVideoSinkFeedsFramesInOrder(t *testing.T) {
	bin := fakeFFmpeg(t, "echo \"$@\" >\"$bin/args\"; cat >\"$bin/raw\"; printf '"+shellBytes(wholeMP4)+"' >\"$out\"")
	const frames, workers = 40, 3
	sink, err := newVideoSink(filepath.Join(bin, "ffmpeg"), filepath.Join(t.TempDir(), "m.mp4"), 2, 2, 30, 18, "veryfast", 0)
	if err != nil {
		t.Fatal(err)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		write := sink.Writer()
		img := render.NewImage(2, 2)
		wg.Go(func() {
			for k := range next {
				time.Sleep(time.Duration((k*7+w*3)%5) * time.Millisecond)
				for i := range img.Pix {
					img.Pix[i] = byte(k)
				}
				if err := write(k, img); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for k := range frames {
		next <- k
	}
	close(next)
	wg.Wait()
	if err := sink.Close(true); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(bin, "raw"))
	if err != nil {
		t.Fatal(err)
	}
	want := make([]byte, 0, frames*12)
	for k := range frames {
		for range 12 {
			want = append(want, byte(k))
		}
	}
	if !slices.Equal(raw, want) {
		t.Errorf("ffmpeg read %d bytes %v…, want the %d frames in order", len(raw), raw[:min(len(raw), 36)], frames)
	}
	args, err := os.ReadFile(filepath.Join(bin, "args"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(args), "-preset veryfast") {
		t.Errorf("ffmpeg ran with %s, want -preset veryfast", args)
	}
}
