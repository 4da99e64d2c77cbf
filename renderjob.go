package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

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
	workers  int             // -j: ≤ 0 one per core (see workerCount)
	stop     <-chan struct{} // closed to stop early (on a signal)
	progress *progress
	// label, when set, gives the text drawn in the corner of frame k.
	label func(k int) string
}

// errStopped is returned by run when the job was stopped from outside.
var errStopped = fmt.Errorf("stopped")

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

// run renders the frames on parallel workers. Each worker owns its picture,
// voltage buffer and writer, so memory stays the same however long the
// movie is, and frames are fed in order, so at most one frame per worker is
// in flight. The first error stops the job. So does j.stop closing: the
// sink is aborted at once (unblocking a writer stuck on a stalled
// encoder), frames in flight are finished or discarded, and run returns
// errStopped, unless the whole job was already done.
func (j *frameJob) run() error {
	workers := max(1, min(workerCount(j.workers), j.frames.len()))

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
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-j.stop:
			j.sink.abort()
		case <-finished:
		}
	}()
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
	if firstErr != nil && isClosed(j.stop) {
		return errStopped // failures after a stop are its consequences
	}
	return firstErr
}

// isClosed reports whether c is closed.
func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// pngSink writes every frame as a numbered PNG file in a folder.
type pngSink struct {
	dir           string
	pattern       framePattern
	width, height int // the picture size, checked in frames kept
	skipExisting  bool
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
	return &pngSink{dir: dir, pattern: pattern, width: width, height: height, skipExisting: skipExisting}, nil
}

func (s *pngSink) path(k int) string { return filepath.Join(s.dir, s.pattern.name(k)) }

// done reports, when resuming, whether frame k is already there: a whole
// PNG of the picture's size. Anything else is rendered again.
func (s *pngSink) done(k int) bool {
	return s.skipExisting && completePNG(s.path(k), s.width, s.height)
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
