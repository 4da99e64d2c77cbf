package movie

import (
	"io"
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

// benchmarkFrame renders and encodes frames of the CA1 recording at 1080p
// with the default look and the annotations set turns on.
func benchmarkFrame(b *testing.B, set func(o *Options)) {
	o := DefaultOptions()
	set(&o)
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
func BenchmarkFramePlain(b *testing.B) { benchmarkFrame(b, func(*Options) {}) }

// BenchmarkFrameAnnotate is the same with the common annotations (the
// colour bar, the scale bar and the time): compare with
// BenchmarkFramePlain for what they cost per frame.
func BenchmarkFrameAnnotate(b *testing.B) { benchmarkFrame(b, (*Options).Annotate) }

// BenchmarkFrameAllOverlays adds a title and a two-line trace inset.
func BenchmarkFrameAllOverlays(b *testing.B) {
	benchmarkFrame(b, func(o *Options) {
		o.Annotate()
		o.Overlays.Title = "CA1 pyramidal cell under random synaptic input"
		o.Overlays.Traces = []string{"soma", "40"}
	})
}
