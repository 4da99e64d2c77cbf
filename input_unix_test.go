//go:build unix

package main

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/spikeframes/spikeframes/morphfile"
)

// TestReadInputFromPipe reads a morphology and a recording through a named
// pipe, which can be read only once: the format is told from the bytes
// read whole.
func TestReadInputFromPipe(t *testing.T) {
	for _, c := range []struct {
		file     string
		format   morphfile.Format
		sections int
		recorded bool
	}{
		{"testdata/morphologies/neurom/simple.swc", morphfile.SWC, 7, false},
		{"testdata/simple_ap.pickle", morphfile.Pickle, 2, true},
	} {
		data, err := os.ReadFile(c.file)
		if err != nil {
			t.Fatal(err)
		}
		fifo := filepath.Join(t.TempDir(), "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skip("no named pipes here:", err)
		}
		go func() {
			if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil {
				f.Write(data)
				f.Close()
			}
		}()
		cell, rec, format, err := readInput(fifo)
		if err != nil {
			t.Fatalf("%s: %v", c.file, err)
		}
		if format != c.format || len(cell.Sections) != c.sections || (rec != nil) != c.recorded {
			t.Errorf("%s: %v, %d sections, recording %v", c.file, format, len(cell.Sections), rec != nil)
		}
	}
}
