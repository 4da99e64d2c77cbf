package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
)

func names(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var n []string
	for _, e := range entries {
		n = append(n, e.Name())
	}
	return n
}

// writers are the two ways to write a file atomically: Write, and a
// Folder's Write (whose folder is flushed once, at Sync).
var writers = []struct {
	name  string
	write func(dir, name string, write func(io.Writer) error) error
}{
	{"Write", func(dir, name string, write func(io.Writer) error) error {
		return Write(filepath.Join(dir, name), write)
	}},
	{"Folder", func(dir, name string, write func(io.Writer) error) error {
		d := NewFolder(dir)
		if err := d.Write(name, write); err != nil {
			return err
		}
		return d.Sync()
	}},
}

func TestWriteCommitsWholeFiles(t *testing.T) {
	for _, w := range writers {
		dir := t.TempDir()
		if err := w.write(dir, "frame_00001.png", func(w io.Writer) error { _, err := w.Write([]byte("whole")); return err }); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, "frame_00001.png")
		data, err := os.ReadFile(path)
		if err != nil || string(data) != "whole" {
			t.Fatalf("%s: read %q, %v", w.name, data, err)
		}
		if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", w.name, st.Mode().Perm())
		}
		if n := names(t, dir); len(n) != 1 {
			t.Errorf("%s: folder holds %v", w.name, n)
		}
	}
}

func TestFailedWriteLeavesNothing(t *testing.T) {
	for _, w := range writers {
		dir := t.TempDir()
		boom := errors.New("boom")
		err := w.write(dir, "out.ply", func(w io.Writer) error { w.Write([]byte("half")); return boom })
		if !errors.Is(err, boom) {
			t.Fatalf("%s: error %v, want boom", w.name, err)
		}
		if n := names(t, dir); len(n) != 0 {
			t.Errorf("%s: folder holds %v", w.name, n)
		}
	}
	if _, err := Create(filepath.Join(t.TempDir(), "missing", "x")); err == nil {
		t.Error("created a file in a missing folder")
	}
	if err := NewFolder(filepath.Join(t.TempDir(), "missing")).Sync(); err == nil {
		t.Error("flushed a missing folder")
	}
}

// TestFolderSyncSkipsRemovedFiles: a file another process removed before
// the folder was flushed needs no flushing.
func TestFolderSyncSkipsRemovedFiles(t *testing.T) {
	dir := t.TempDir()
	d := NewFolder(dir)
	for _, name := range []string{"a.png", "b.png"} {
		if err := d.Write(name, func(w io.Writer) error { _, err := w.Write([]byte(name)); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Remove(filepath.Join(dir, "a.png")); err != nil {
		t.Fatal(err)
	}
	if err := d.Sync(); err != nil {
		t.Fatal(err)
	}
	if n := names(t, dir); len(n) != 1 || n[0] != "b.png" {
		t.Errorf("folder holds %v", n)
	}
}

func TestTargetOf(t *testing.T) {
	dir := t.TempDir()
	f, err := Create(filepath.Join(dir, "frame_00003.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	if got, ok := TargetOf(filepath.Base(f.Name())); !ok || got != "frame_00003.png" {
		t.Errorf("TargetOf(%q) = %q, %v", filepath.Base(f.Name()), got, ok)
	}
	for _, name := range []string{".tmp", ".a.tmp", "..tmp", "frame.png", ".frame.png.1.txt"} {
		if got, ok := TargetOf(name); ok {
			t.Errorf("TargetOf(%q) = %q, want not a temporary file", name, got)
		}
	}
}

func TestCommitReplacesAnExistingFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "movie.mp4")
	for _, content := range []string{"old", "new"} {
		if err := Write(path, func(w io.Writer) error { _, err := io.WriteString(w, content); return err }); err != nil {
			t.Fatal(err)
		}
	}
	if data, err := os.ReadFile(path); err != nil || string(data) != "new" {
		t.Fatalf("read %q, %v", data, err)
	}
	if n := names(t, dir); len(n) != 1 {
		t.Errorf("folder holds %v", n)
	}
}
