package movie

import (
	"context"
	"fmt"
	"runtime"
	"sync"

	"github.com/spikeframes/spikeframes/render"
)

// Range is the half-open range of frames [First, End).
type Range struct{ First, End int }

// Len is the number of frames in the range.
func (r Range) Len() int { return r.End - r.First }

// Sink receives a run's rendered frames: PNG files, an ffmpeg pipe, or
// anything else.
type Sink interface {
	// Done reports whether frame k is already there and need not be
	// rendered (a resumed run). The workers ask it, each for the frames
	// handed to it, so it must be safe for concurrent use.
	Done(k int) bool
	// Writer returns a function for one worker that stores frame k. The
	// picture is only valid during the call and must not be changed.
	Writer() func(k int, img *render.Image) error
	// Abort wakes any writer waiting for its turn, after a failure or a stop.
	Abort()
	// Close finishes the output; with ok false it removes what was begun.
	Close(ok bool) error
}

// RepeatSink is a Sink whose writers can store a frame that looks exactly
// like the one they stored before more cheaply than a new one, as a PNG
// writer can write the same file again without encoding it.
type RepeatSink interface {
	Sink
	// RepeatWriter is Writer whose function is also told whether frame
	// k's picture is byte for byte that of the frame it stored before.
	RepeatWriter() func(k int, img *render.Image, same bool) error
}

// writerFor returns a worker's writer of s, told whether a frame looks
// like the one before when s can use that.
func writerFor(s Sink) func(k int, img *render.Image, same bool) error {
	if rs, ok := s.(RepeatSink); ok {
		return rs.RepeatWriter()
	}
	write := s.Writer()
	return func(k int, img *render.Image, _ bool) error { return write(k, img) }
}

// Job is a range of a movie's frames to render into a sink.
type Job struct {
	Frames Range
	Sink   Sink
	// Workers is how many frames are rendered in parallel; ≤ 0 means one
	// per core.
	Workers int
	// Progress, when set, is called once per frame done: rendered and
	// stored, or skipped because the sink already had it. It must be safe
	// for concurrent use.
	Progress func(skipped bool)
}

// Run renders the job's frames on parallel workers. Each worker owns its
// canvas and writer, so memory stays the same however long the movie is,
// and frames are handed out in order, so at most one frame per worker is in
// flight. A worker first asks the sink whether it already has its frame,
// so that a resumed run checks the frames there in parallel. The first
// error stops the run. So does cancelling ctx: the sink is aborted at once
// (waking a writer stuck on a stalled encoder), frames in flight are
// finished or discarded, and Run returns ctx's error — also when the stop
// made a write fail, since that failure is its consequence — unless every
// frame was already stored. Either way the sink is closed, with ok false
// unless every frame was stored.
func (m *Movie) Run(ctx context.Context, j Job) error {
	if j.Frames.First < 0 || j.Frames.End > m.frames || j.Frames.Len() < 1 {
		return fmt.Errorf("frames %d…%d: the movie has frames 0…%d", j.Frames.First, j.Frames.End-1, m.frames-1)
	}
	progress := j.Progress
	if progress == nil {
		progress = func(bool) {}
	}
	workers := j.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, j.Frames.Len()))

	next := make(chan int)
	failed := make(chan struct{})
	var once sync.Once
	var firstErr error
	fail := func(err error) {
		once.Do(func() {
			firstErr = err
			close(failed)
			j.Sink.Abort()
		})
	}
	finished := make(chan struct{})
	defer close(finished)
	go func() {
		select {
		case <-ctx.Done():
			j.Sink.Abort()
		case <-finished:
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			canvas := m.NewCanvas()
			write := writerFor(j.Sink)
			for k := range next {
				if j.Sink.Done(k) {
					progress(true)
					continue
				}
				img, err := m.Render(k, canvas)
				if err == nil {
					err = write(k, img, canvas.Unchanged())
				}
				if err != nil {
					fail(err)
					continue
				}
				progress(false)
			}
		})
	}
	stopped := false
feed:
	for k := j.Frames.First; k < j.Frames.End; k++ {
		select {
		case next <- k:
		case <-failed:
			break feed
		case <-ctx.Done():
			stopped = true
			break feed
		}
	}
	close(next)
	wg.Wait()
	if firstErr == nil && stopped {
		firstErr = ctx.Err()
	}
	if err := j.Sink.Close(firstErr == nil); err != nil && firstErr == nil {
		firstErr = err
	}
	if firstErr != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return firstErr
}
