package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

// frameSink receives a job's rendered frames. Its errors are all output
// errors (exit status 3).
type frameSink interface {
	// done reports whether frame k is already there and need not be rendered.
	done(k int) bool
	// writer returns a function for one worker that stores frame k.
	writer() func(k int, img *render.Image) error
	// abort wakes any writer waiting for its turn, after a failure or a stop.
	abort()
	// close finishes the output; with ok false it removes what was begun.
	close(ok bool) error
}

// scene is what frames are drawn from: the mesh and the look, and either
// one shader for a static camera (coverage worked out once) or an orbit
// (coverage worked out for every frame).
type scene struct {
	mesh   *mesh.Mesh
	aa     int
	lit    bool
	lut    *colormap.LUT
	style  render.Style
	shader *render.Shader // static camera
	orbit  *render.Orbit  // moving camera
}

// fix works out a static camera's coverage once, on up to workers
// goroutines.
func (s *scene) fix(cam *render.Camera, workers int) error {
	cov, err := render.Rasterize(s.mesh, cam, s.aa, s.lit, workers)
	if err != nil {
		return err
	}
	s.shader, err = render.NewShader(s.mesh, cov, s.lut, s.style)
	return err
}

// shaderAt returns the shader for the share t of the movie. A moving
// camera's coverage is worked out on the calling goroutine: frames are
// already rendered in parallel.
func (s *scene) shaderAt(t float64) (*render.Shader, error) {
	if s.orbit == nil {
		return s.shader, nil
	}
	cov, err := render.Rasterize(s.mesh, s.orbit.At(t), s.aa, s.lit, 1)
	if err != nil {
		return nil, err
	}
	return render.NewShader(s.mesh, cov, s.lut, s.style)
}

// frameJob renders a range of a movie's frames into a sink.
type frameJob struct {
	scene    *scene
	sampler  *voltage.Sampler
	rec      *voltage.Recording
	total    int        // frames in the whole movie
	frames   frameRange // the frames to render
	sink     frameSink
	workers  int           // ≤ 0: one per core
	stop     chan struct{} // closed to stop early (on a signal)
	progress *progress
	// label, when set, gives the text drawn in the corner of frame k.
	label func(k int) string
}

// errStopped is returned by run when the job was stopped from outside.
var errStopped = fmt.Errorf("stopped")

// run renders the frames on parallel workers. Each worker owns its picture,
// voltage buffer and writer, so memory stays the same however long the
// movie is, and frames are fed in order, so at most one frame per worker is
// in flight. The first error stops the job; so does closing j.stop, after
// which frames in flight are finished and run returns errStopped.
func (j *frameJob) run() error {
	workers := j.workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, j.frames.len()))

	next := make(chan int)
	failed := make(chan struct{})
	var once sync.Once
	var firstErr error
	fail := func(err error) {
		once.Do(func() {
			firstErr = err
			close(failed)
			j.sink.abort()
		})
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			var frame *render.Frame
			var labeler *render.Labeler
			probeV := make([]float32, j.sampler.Len())
			write := j.sink.writer()
			for k := range next {
				shader, err := j.scene.shaderAt(float64(k) / float64(j.total))
				if err != nil {
					fail(fmt.Errorf("frame %d: %w", k, err))
					continue
				}
				if frame == nil {
					frame = shader.NewFrame()
					labeler = render.NewLabeler(frame.Image.Height, [3]uint8{230, 230, 230})
				}
				j.sampler.Sample(j.rec.FrameTime(k, j.total), probeV)
				shader.Render(frame, probeV)
				if j.label != nil {
					labeler.Draw(frame.Image, j.label(k))
				}
				if err := write(k, frame.Image); err != nil {
					fail(err)
					continue
				}
				j.progress.add(1)
			}
		})
	}
	stopped := false
feed:
	for k := j.frames.first; k < j.frames.end; k++ {
		if j.sink.done(k) {
			j.progress.skip()
			continue
		}
		select {
		case next <- k:
		case <-failed:
			break feed
		case <-j.stop:
			stopped = true
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil && stopped {
		firstErr = errStopped
	}
	if err := j.sink.close(firstErr == nil); err != nil && firstErr == nil {
		firstErr = err
	}
	return firstErr
}

// runUntilSignalled runs the job, stopping it cleanly on SIGINT or SIGTERM;
// it returns the signal that stopped it, if any, with run's error.
func (j *frameJob) runUntilSignalled() (os.Signal, error) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM)
	caught := make(chan os.Signal, 1)
	go func() {
		if s, ok := <-signals; ok {
			caught <- s
			close(j.stop)
		}
	}()
	err := j.run()
	signal.Stop(signals)
	close(signals)
	if err == errStopped {
		return <-caught, err
	}
	return nil, err
}

// pngSink writes every frame as a numbered PNG file in a folder.
type pngSink struct {
	dir, pattern string
	skipExisting bool
}

// newPNGSink creates the output folder and, when resuming, removes the
// temporary files a killed run may have left for frames in r.
func newPNGSink(dir, pattern string, skipExisting bool, r frameRange) (*pngSink, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	s := &pngSink{dir: dir, pattern: pattern, skipExisting: skipExisting}
	if skipExisting {
		if err := s.removeStale(r); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// removeStale deletes the temporary files that writing frames in r left
// behind (see atomicfile), reading the folder once.
func (s *pngSink) removeStale(r frameRange) error {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		frame, ok := atomicfile.TargetOf(e.Name())
		if !ok {
			continue
		}
		var k int
		if _, err := fmt.Sscanf(frame, s.pattern, &k); err != nil || k < r.first || k >= r.end || fmt.Sprintf(s.pattern, k) != frame {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, e.Name())); err != nil {
			return fmt.Errorf("removing stale %s: %w", e.Name(), err)
		}
	}
	return nil
}

func (s *pngSink) path(k int) string { return filepath.Join(s.dir, fmt.Sprintf(s.pattern, k)) }

func (s *pngSink) done(k int) bool {
	if !s.skipExisting {
		return false
	}
	_, err := os.Stat(s.path(k))
	return err == nil
}

func (s *pngSink) writer() func(int, *render.Image) error {
	enc := render.NewPNGEncoder()
	return func(k int, img *render.Image) error {
		if err := enc.WritePNG(s.path(k), img); err != nil {
			return fmt.Errorf("frame %d: %w", k, err)
		}
		return nil
	}
}

func (s *pngSink) abort()           {}
func (s *pngSink) close(bool) error { return nil }
