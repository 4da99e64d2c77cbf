package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestLibraryExampleMatchesTheCommand runs examples/library as its doc
// says and checks that its frame is byte-identical to the command's.
func TestLibraryExampleMatchesTheCommand(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the test runs the example with the go command: %v", err)
	}
	dir := t.TempDir()
	lib := filepath.Join(dir, "library.png")
	cmd := exec.Command(goTool, "run", "./examples/library", "testdata/simple_ap.pickle", "150", lib)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go run ./examples/library: %v\n%s", err, out)
	}
	var stdout, stderr bytes.Buffer
	if status := run([]string{"render", "testdata/simple_ap.pickle", "--frames", "150:151", "-o", dir, "-q"}, &stdout, &stderr); status != exitOK {
		t.Fatalf("render: status %d: %s", status, stderr.String())
	}
	want, err := os.ReadFile(filepath.Join(dir, "frame_00150.png"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(lib)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("examples/library wrote %d bytes that differ from the command's %d", len(got), len(want))
	}
}
