package movie

import (
	"io"
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

// benchmarkFrame renders and encodes frames of the CA1 recording at 1080p
// with the default look, with or without every annotation on.
func benchmarkFrame(b *testing.B, annotated bool) {
	o := DefaultOptions()
	if annotated {
		o.Annotate()
		o.Overlays.Title = "CA1 pyramidal cell under random synaptic input"
		o.Overlays.Traces = []string{"soma", "40"}
	}
	m := newMovie(b, "ca1_random_input", o)
	c := m.NewCanvas()
	enc := render.NewPNGEncoder()
	k := 0
	for b.Loop() {
		img, err := m.Render(k%m.Frames(), c)
		if err != nil {
			b.Fatal(err)
		}
		if err := enc.Encode(io.Discard, img); err != nil {
			b.Fatal(err)
		}
		k += 37
	}
}

// BenchmarkFramePlain is a 1080p frame without annotations, rendered and
// encoded as PNG.
func BenchmarkFramePlain(b *testing.B) { benchmarkFrame(b, false) }

// BenchmarkFrameAnnotated is the same with the clock, title, colour bar,
// scale bar and a two-line trace inset: compare with BenchmarkFramePlain
// for what annotations cost per frame.
func BenchmarkFrameAnnotated(b *testing.B) { benchmarkFrame(b, true) }
