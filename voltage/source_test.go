package voltage

import (
	"errors"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// countingSource serves a recording's frames and counts the reads.
type countingSource struct {
	rec   *Recording
	reads int
	fail  bool
}

func (c *countingSource) ReadFrame(f int, dst [][]float32) error {
	c.reads++
	if c.fail {
		return errors.New("unreadable")
	}
	return c.rec.ReadFrame(f, dst)
}

// shapeOf is rec without its values.
func shapeOf(rec *Recording) *Recording {
	out := &Recording{Frames: rec.Frames, Traces: make([]Trace, len(rec.Traces))}
	for i, t := range rec.Traces {
		out.Traces[i].NSeg = t.NSeg
	}
	return out
}

// longBranch is branch's cell over six frames of differing values.
func longBranch() (*Recording, []morph.Junction) {
	rec, js := branch()
	rec.Frames = 6
	for i := range rec.Traces {
		t := &rec.Traces[i]
		t.Values = make([]float32, rec.Frames*t.NSeg)
		for k := range t.Values {
			t.Values[k] = float32((k*7+i*13)%23) - 11.5
		}
	}
	return rec, js
}

// TestWindowSamplesAsTheWholeRecording samples a recording read a frame at
// a time through a Window, junctions included, at times inside, between
// and outside its frames, and compares every value with the Sampler's on
// the whole recording, bit for bit.
func TestWindowSamplesAsTheWholeRecording(t *testing.T) {
	rec, js := longBranch()
	probes := []morph.Probe{{Section: 0, Pos: 0.1}, {Section: 0, Pos: 0.95}, {Section: 1, Pos: 0.02}, {Section: 2, Pos: 0.5}, {Section: 1, Pos: morph.SectionMean}}
	whole, err := NewSampler(rec, probes, js...)
	if err != nil {
		t.Fatal(err)
	}
	shape := shapeOf(rec)
	onShape, err := NewSampler(shape, probes, js...)
	if err != nil {
		t.Fatal(err)
	}
	src := &countingSource{rec: rec}
	w := NewWindow(shape, src, onShape)
	want, got := make([]float32, len(probes)), make([]float32, len(probes))
	last := float64(rec.Frames - 1)
	for _, tm := range []float64{-1, 0, 0.25, 0.5, 1, 1.75, last - 0.5, last, last + 3, 0.5} {
		whole.Sample(tm, want)
		if err := w.Sample(tm, got); err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("t %g, probe %d: %v through the window, %v on the whole recording", tm, i, got[i], want[i])
			}
		}
	}
	// Played forwards, each frame is read once.
	src.reads = 0
	w = NewWindow(shape, src, onShape)
	for tm := 0.0; tm <= last; tm += 0.25 {
		if err := w.Sample(tm, got); err != nil {
			t.Fatal(err)
		}
	}
	if src.reads != rec.Frames {
		t.Errorf("%d frame reads playing %d frames forwards", src.reads, rec.Frames)
	}
}

// TestWindowReportsReadErrors passes the source's error on, naming the
// frame, and reads again after it.
func TestWindowReportsReadErrors(t *testing.T) {
	rec, _ := branch()
	shape := shapeOf(rec)
	s, err := NewSampler(shape, []morph.Probe{{Section: 0, Pos: 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	src := &countingSource{rec: rec, fail: true}
	w := NewWindow(shape, src, s)
	dst := make([]float32, 1)
	if err := w.Sample(0, dst); err == nil || err.Error() != "frame 0: unreadable" {
		t.Fatalf("error %v, want frame 0: unreadable", err)
	}
	src.fail = false
	if err := w.Sample(0, dst); err != nil {
		t.Fatal(err)
	}
	want := rec.Frame(0, 0)
	if w := (want[1] + want[2]) / 2; dst[0] != w {
		t.Errorf("after a failed read: %v, want %v", dst[0], w)
	}
}
