package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/render"
)

// maxWorkersPerCore caps the frames rendered in parallel: each worker holds
// a frame's buffers, and beyond a few per core more only cost memory.
const maxWorkersPerCore = 4

// workerCount is the number of workers for -j jobs (≤ 0: one per core),
// at most maxWorkersPerCore per core.
func workerCount(jobs int) int {
	cores := runtime.GOMAXPROCS(0)
	if jobs <= 0 {
		return cores
	}
	return min(jobs, maxWorkersPerCore*cores)
}

// pngSink writes every frame as a numbered PNG file in a folder.
type pngSink struct {
	dir           string
	pattern       framePattern
	width, height int // the picture size, checked in frames kept
	skipExisting  bool
	folder        *atomicfile.Folder
}

// newPNGSink creates the output folder and removes the temporary files
// that killed runs left for frames in r (those of live runs stay).
func newPNGSink(dir string, pattern framePattern, width, height int, skipExisting bool, r frameRange) (*pngSink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	inRange := func(target string) bool {
		k, ok := pattern.frameOf(target)
		return ok && k >= r.first && k < r.end
	}
	if _, err := atomicfile.RemoveStale(dir, inRange); err != nil {
		return nil, fmt.Errorf("output folder %s: %w", dir, err)
	}
	return &pngSink{dir: dir, pattern: pattern, width: width, height: height, skipExisting: skipExisting, folder: atomicfile.NewFolder(dir)}, nil
}

func (s *pngSink) path(k int) string { return filepath.Join(s.dir, s.pattern.name(k)) }

// Done reports, when resuming, whether frame k is already there: a whole
// PNG of the picture's size. Anything else is rendered again.
func (s *pngSink) Done(k int) bool {
	return s.skipExisting && completePNG(s.path(k), s.width, s.height)
}

// Writer returns a worker's writer: each frame is encoded into a temporary
// file renamed into place once complete; the frames and the folder are
// flushed to disk once, when the sink closes.
func (s *pngSink) Writer() func(int, *render.Image) error {
	write := s.RepeatWriter()
	return func(k int, img *render.Image) error { return write(k, img, false) }
}

// RepeatWriter is Writer that writes the file of the frame it wrote before
// again, without encoding, for a frame that looks the same.
func (s *pngSink) RepeatWriter() func(int, *render.Image, bool) error {
	enc := render.NewPNGEncoder()
	wrote := false // the last frame was encoded and written
	return func(k int, img *render.Image, same bool) error {
		encode := func(w io.Writer) error { return enc.Encode(w, img) }
		if same && wrote {
			encode = enc.Repeat
		}
		wrote = false
		if err := s.folder.Write(s.pattern.name(k), encode); err != nil {
			return fmt.Errorf("frame %d: %w", k, err)
		}
		wrote = true
		return nil
	}
}

// Abort does nothing: a PNG writer never waits for its turn.
func (s *pngSink) Abort() {}

// Close flushes the folder, so that the frames renamed into place are
// there after a crash; every frame was complete when it was renamed.
func (s *pngSink) Close(bool) error { return s.folder.Sync() }
