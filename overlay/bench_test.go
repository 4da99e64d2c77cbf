package overlay

import (
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

// BenchmarkDraw is one 1080p frame's annotations: every part on.
func BenchmarkDraw(b *testing.B) {
	l, err := New(fullSpec(b, 1920, 1080))
	if err != nil {
		b.Fatal(err)
	}
	d := l.NewDrawer()
	img := render.NewImage(1920, 1080)
	k := 0
	for b.Loop() {
		d.Draw(img, Frame{Clock: Quantity(float64(k)*0.4, 1, "ms"), Time: float64(k % 500)})
		k++
	}
}
