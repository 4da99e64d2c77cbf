//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// gone reports, waiting up to a minute, whether process pid has ended
// (a zombie counts as ended: nothing may reap orphans in a container).
func gone(pid int) bool {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			return true
		}
		if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
			return true
		}
	}
	return false
}

func TestInterruptionEndsAStopThatHangs(t *testing.T) {
	for _, tc := range []struct {
		name   string
		signal []syscall.Signal
		status int
		says   string
	}{
		{"grace runs out", []syscall.Signal{syscall.SIGTERM}, exitTerminated, "not stopped after"},
		{"second signal", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}, exitInterrupted, "interrupt again: stopped at once"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			grace := time.Hour
			if len(tc.signal) == 1 {
				grace = time.Millisecond
			}
			var out bytes.Buffer
			exited := make(chan int, 1)
			in := catchInterrupts("test", &out, grace, func(status int) { exited <- status })
			defer in.release()
			syscall.Kill(os.Getpid(), tc.signal[0])
			<-in.stopped()
			if !in.caught() || in.status() != tc.status {
				t.Errorf("caught %v, status %d; want %d", in.caught(), in.status(), tc.status)
			}
			for _, s := range tc.signal[1:] {
				syscall.Kill(os.Getpid(), s)
			}
			select {
			case status := <-exited:
				if status != tc.status {
					t.Errorf("exit %d, want %d", status, tc.status)
				}
			case <-time.After(time.Minute):
				t.Fatal("the process was not ended")
			}
			if !strings.Contains(out.String(), tc.says) {
				t.Errorf("said %q, want %q", out.String(), tc.says)
			}
		})
	}
}

// videoRenderArgs renders many frames of the CA1 cell into a movie.
func videoRenderArgs(movie string) []string {
	return []string{"render", "testdata/ca1_random_input.pickle", "--video", movie, "-q", "--width", "320", "--height", "180"}
}

// TestRenderVideoStopsWithAStuckFFmpeg sends SIGTERM while ffmpeg has
// stopped reading: the workers are blocked writing to it. spikeframes must
// kill ffmpeg (and what ffmpeg started), exit 143 and leave nothing.
func TestRenderVideoStopsWithAStuckFFmpeg(t *testing.T) {
	bin := fakeFFmpeg(t, `sleep 1000 & echo $! >"$bin/sleep.pid"; echo started >"$bin/started"; wait`)
	dir := t.TempDir()
	c := spawn(t, videoRenderArgs(filepath.Join(dir, "ca1.mp4"))...)
	awaitFile(t, filepath.Join(bin, "started"))
	time.Sleep(200 * time.Millisecond) // let the first frames fill the pipe
	c.cmd.Process.Signal(syscall.SIGTERM)
	if status := c.exit(t); status != exitTerminated {
		t.Errorf("exit %d, want %d; stderr: %s", status, exitTerminated, c.said())
	}
	if files := mapKeys(readDir(t, dir)); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
	pid, err := os.ReadFile(filepath.Join(bin, "sleep.pid"))
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := strconv.Atoi(strings.TrimSpace(string(pid))); !gone(n) {
		syscall.Kill(n, syscall.SIGKILL)
		t.Errorf("the process ffmpeg started (%d) still runs", n)
	}
}

// TestRenderVideoCtrlC sends SIGINT to the whole process group, as Ctrl-C
// in a terminal does. ffmpeg must not see it (it would die, and the frames
// still coming would fail with "broken pipe"): spikeframes stops it and
// exits 130.
func TestRenderVideoCtrlC(t *testing.T) {
	bin := fakeFFmpeg(t, `echo started >"$bin/started"; exec cat >/dev/null`)
	dir := t.TempDir()
	c := newChild(videoRenderArgs(filepath.Join(dir, "ca1.mp4"))...)
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // as a shell starts a job
	c.start(t)
	awaitFile(t, filepath.Join(bin, "started"))
	syscall.Kill(-c.cmd.Process.Pid, syscall.SIGINT)
	if status := c.exit(t); status != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr: %s", status, exitInterrupted, c.said())
	}
	if files := mapKeys(readDir(t, dir)); len(files) != 0 {
		t.Errorf("files left: %v", files)
	}
}

// TestRenderSecondInterruptStopsAtOnce interrupts a render that cannot
// stop cleanly (it is reading a recording from a pipe that never ends):
// the second Ctrl-C ends it at once.
func TestRenderSecondInterruptStopsAtOnce(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "recording.pickle")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	c := spawn(t, "render", fifo, "-o", t.TempDir())
	opened := make(chan *os.File, 1)
	go func() {
		if w, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
			opened <- w // the command is reading
		}
	}()
	select {
	case w := <-opened:
		defer w.Close()
	case <-time.After(time.Minute):
		t.Fatalf("the command never opened the recording; stderr: %s", c.said())
	}
	c.cmd.Process.Signal(syscall.SIGINT)
	c.awaitLine(t, "stopping cleanly")
	c.cmd.Process.Signal(syscall.SIGINT)
	if status := c.exit(t); status != exitInterrupted {
		t.Errorf("exit %d, want %d; stderr: %s", status, exitInterrupted, c.said())
	}
	if !strings.Contains(c.said(), "interrupt again: stopped at once") {
		t.Errorf("stderr %q does not tell of the second interrupt", c.said())
	}
}
