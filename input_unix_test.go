//go:build unix

package main

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/spikeframes/spikeframes/morphfile"
)

// TestReadInputFromPipe reads a morphology and a recording through a named
// pipe, which can be read only once: the format is told from its first
// bytes, then the stream is read on by the format's reader.
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

// TestPipeOfZerosIsRefusedAtOnce feeds an endless stream of zeros through a
// pipe: it is refused after its first bytes, not read whole first.
func TestPipeOfZerosIsRefusedAtOnce(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	written := make(chan int64)
	go func() {
		var n int64
		zeros := make([]byte, 4096)
		for {
			k, err := w.Write(zeros)
			n += int64(k)
			if err != nil {
				break
			}
		}
		written <- n
	}()
	_, _, _, err = readInput(fmt.Sprintf("/proc/self/fd/%d", r.Fd()))
	r.Close()
	n := <-written
	w.Close()
	if err == nil {
		t.Fatal("a pipe of zeros was read as a recording")
	}
	// The pipe buffer (64 KiB on Linux) plus what detection peeks at.
	if n > 1<<20 {
		t.Errorf("%d bytes of zeros were read before the refusal (%v)", n, err)
	}
}
