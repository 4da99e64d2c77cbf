//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos

package atomicfile

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestMain lets a test run a writer in a child process: with
// ATOMICFILE_HOLD set to a path, the test binary creates a temporary file
// for it, prints its name and waits to be killed.
func TestMain(m *testing.M) {
	if path := os.Getenv("ATOMICFILE_HOLD"); path != "" {
		f, err := Create(path)
		if err != nil {
			os.Stderr.WriteString(err.Error() + "\n")
			os.Exit(1)
		}
		os.Stdout.WriteString(f.Name() + "\n")
		time.Sleep(time.Hour)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// holdInChild starts a process writing a temporary file for path and
// returns it with the temporary file's name.
func holdInChild(t *testing.T, path string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "ATOMICFILE_HOLD="+path)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("child wrote no file name: %v", err)
	}
	return cmd, strings.TrimSpace(line)
}

func TestRemoveStaleSparesLiveWriters(t *testing.T) {
	dir := t.TempDir()
	all := func(string) bool { return true }

	// Another process is writing frame 1; this one is writing frame 2; a
	// killed run left frame 3's temporary file; frame 4 is not ours to
	// judge.
	child, childTemp := holdInChild(t, filepath.Join(dir, "frame_1.png"))
	mine, err := Create(filepath.Join(dir, "frame_2.png"))
	if err != nil {
		t.Fatal(err)
	}
	dead := filepath.Join(dir, ".frame_3.png.123.tmp")
	other := filepath.Join(dir, ".frame_4.png.456.tmp")
	for _, p := range []string{dead, other} {
		if err := os.WriteFile(p, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}

	removed, err := RemoveStale(dir, func(target string) bool { return target != "frame_4.png" })
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{".frame_3.png.123.tmp"}; !slices.Equal(removed, want) {
		t.Errorf("removed %v, want %v", removed, want)
	}
	if err := mine.Commit(); err != nil {
		t.Errorf("a live writer's file was taken: %v", err)
	}
	if _, err := os.Stat(childTemp); err != nil {
		t.Errorf("another live process's file was taken: %v", err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file the filter refused was taken: %v", err)
	}

	// Once its writer is dead, the other process's file is stale.
	child.Process.Kill()
	child.Wait()
	removed, err = RemoveStale(dir, all)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{".frame_4.png.456.tmp", filepath.Base(childTemp)}
	slices.Sort(removed)
	slices.Sort(want)
	if !slices.Equal(removed, want) {
		t.Errorf("after the writer died, removed %v, want %v", removed, want)
	}
	if got := names(t, dir); !slices.Equal(got, []string{"frame_2.png"}) {
		t.Errorf("folder holds %v", got)
	}
}

func TestLockNewNoticesARemovedFile(t *testing.T) {
	dir := t.TempDir()
	f, err := os.CreateTemp(dir, ".x.*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if kept, err := lockNew(f); err != nil || !kept {
		t.Fatalf("a file in place: kept %v, %v", kept, err)
	}
	g, err := os.CreateTemp(dir, ".y.*.tmp")
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	os.Remove(g.Name()) // as a clean-up racing Create would
	if kept, err := lockNew(g); err != nil || kept {
		t.Errorf("a removed file: kept %v, %v", kept, err)
	}
}

func TestLockFolderExcludesOtherHolders(t *testing.T) {
	dir := t.TempDir()
	unlock, err := LockFolder(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan struct{})
	go func() {
		again, err := LockFolder(dir)
		if err != nil {
			t.Error(err)
		} else {
			again()
		}
		close(got)
	}()
	select {
	case <-got:
		t.Fatal("a second holder took the folder's lock while the first held it")
	case <-time.After(100 * time.Millisecond):
	}
	unlock()
	select {
	case <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("the lock was not handed on once released")
	}
	if _, err := LockFolder(filepath.Join(dir, "missing")); err == nil {
		t.Error("a missing folder was locked")
	}
}
