package voltage

import (
	"fmt"
	"math"
)

// Source supplies a recording's values a frame at a time, for recordings
// too large to hold whole (a network's compartment report, read from its
// file as it is shown). A Recording is a Source of its own values.
type Source interface {
	// ReadFrame writes frame f's values into dst: dst[s] has room for
	// exactly section s's NSeg values.
	ReadFrame(f int, dst [][]float32) error
}

// ReadFrame copies frame f of every section into dst.
func (r *Recording) ReadFrame(f int, dst [][]float32) error {
	if f < 0 || f >= r.Frames {
		return fmt.Errorf("frame %d outside the recording's %d", f, r.Frames)
	}
	for s := range r.Traces {
		copy(dst[s], r.Frame(s, f))
	}
	return nil
}

// On returns a sampler that reads the same probes and junctions from rec,
// which must have the sections and segment counts of the recording s was
// made for (a Window's frames, for instance). It shares s's arithmetic.
func (s *Sampler) On(rec *Recording) *Sampler {
	c := *s
	c.rec = rec
	return &c
}

// Window samples a Source as a Sampler samples a Recording, holding only
// the two frames that the time asked for lies between, and reading them
// from the source when the time moves past them. A Window is one
// goroutine's: each keeps its own frames.
type Window struct {
	src    Source
	frames int
	rec    Recording // two frames: the first held and the next
	at     int       // the first frame held, −1 for none
	s      *Sampler
	views  [2][][]float32
}

// NewWindow prepares to sample src, whose sections, segment counts and
// frame count are shape's (shape's values are not read), through sampler,
// which was made for shape.
func NewWindow(shape *Recording, src Source, sampler *Sampler) *Window {
	w := &Window{src: src, frames: shape.Frames, at: -1}
	w.rec = Recording{Frames: 2, Traces: make([]Trace, len(shape.Traces))}
	for k := range w.views {
		w.views[k] = make([][]float32, len(shape.Traces))
	}
	for i, t := range shape.Traces {
		values := make([]float32, 2*t.NSeg)
		w.rec.Traces[i] = Trace{NSeg: t.NSeg, Values: values}
		w.views[0][i], w.views[1][i] = values[:t.NSeg], values[t.NSeg:]
	}
	w.s = sampler.On(&w.rec)
	return w
}

// Sample writes every probe's voltage at time t, in recorded frames, into
// dst as Sampler.Sample does, after reading from the source the frames it
// needs and does not hold.
func (w *Window) Sample(t float64, dst []float32) error {
	last := w.frames - 1
	t = math.Max(0, math.Min(float64(last), t))
	f0 := min(int(math.Floor(t)), last)
	if err := w.hold(f0, min(f0+1, last)); err != nil {
		return err
	}
	w.s.Sample(t-float64(f0), dst)
	return nil
}

// hold puts frames f0 and f1 into the window's two frames, reading only
// what it does not already hold.
func (w *Window) hold(f0, f1 int) error {
	switch {
	case w.at == f0:
		return nil
	case w.at >= 0 && w.at+1 == f0:
		// One frame on: the second frame held becomes the first.
		for _, t := range w.rec.Traces {
			copy(t.Values[:t.NSeg], t.Values[t.NSeg:])
		}
	default:
		if err := w.src.ReadFrame(f0, w.views[0]); err != nil {
			w.at = -1
			return fmt.Errorf("frame %d: %w", f0, err)
		}
	}
	if f1 == f0 {
		for _, t := range w.rec.Traces {
			copy(t.Values[t.NSeg:], t.Values[:t.NSeg])
		}
	} else if err := w.src.ReadFrame(f1, w.views[1]); err != nil {
		w.at = -1
		return fmt.Errorf("frame %d: %w", f1, err)
	}
	w.at = f0
	return nil
}
