package overlay

import (
	"image"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/render"
)

// fullSpec turns every annotation on, over a plasma colour table from −70
// to 20 mV, with a 500-sample trace of two lines.
func fullSpec(t testing.TB, w, h int) Spec {
	t.Helper()
	tr := &Trace{TimeUnit: "ms", Time: make([]float64, 500), Lines: []Line{{Name: "soma", V: make([]float64, 500)}, {Name: "dend", V: make([]float64, 500)}}}
	for i := range tr.Time {
		tr.Time[i] = float64(i)
		tr.Lines[0].V[i] = -65 + 90*math.Exp(-math.Pow(float64(i-100)/8, 2))
		tr.Lines[1].V[i] = -66 + 60*math.Exp(-math.Pow(float64(i-110)/12, 2))
	}
	return Spec{
		Width: w, Height: h,
		Colours:  ContrastingColours([3]uint8{}),
		Title:    "CA1 pyramidal cell",
		Clock:    true,
		ColorBar: &ColorBar{Place: "right", LUT: testLUT(t), Look: render.Style{Emission: 1}, VMin: -70, VMax: 20},
		ScaleBar: &ScaleBar{MicronsPerPixel: 0.8},
		Trace:    tr,
	}
}

// testLUT is plasma's table over −70…20 mV.
func testLUT(t testing.TB) *colormap.LUT {
	t.Helper()
	_, lut := lutOf(t, "plasma", 0, 1, 0, -70, 20)
	return lut
}

// lutOf is the colour table of a named colormap, cut and stepped as
// given, between vmin and vmax.
func lutOf(t testing.TB, name string, start, stop float64, steps int, vmin, vmax float64) (*colormap.Map, *colormap.LUT) {
	t.Helper()
	cm, err := colormap.Get(name)
	if err != nil {
		t.Fatal(err)
	}
	if cm, err = cm.Sub(start, stop); err != nil {
		t.Fatal(err)
	}
	if steps > 0 {
		if cm, err = cm.Stepped(steps); err != nil {
			t.Fatal(err)
		}
	}
	lut, err := colormap.NewLUT(cm, vmin, vmax)
	if err != nil {
		t.Fatal(err)
	}
	return cm, lut
}

// TestColorBarShowsTheFramesColoursAtItsTicks draws colour bars in every
// place for plain, reversed, cut and stepped maps with round and automatic
// limits, and checks that the bar's pixel at each tick is the colour a
// frame shows for the tick's value: the colormap's colour there (the LUT's
// entry, within the half pixel the tick falls in) through the emission.
func TestColorBarShowsTheFramesColoursAtItsTicks(t *testing.T) {
	tests := []struct {
		name        string
		cmap        string
		start, stop float64
		steps       int
		vmin, vmax  float64
		emission    float64
		place       string
		w, h        int
	}{
		{"plasma right", "plasma", 0, 1, 0, -70, 20, 1, "right", 640, 360},
		{"rocket_r left", "rocket_r", 0, 1, 0, -70, 20, 1, "left", 1280, 720},
		{"cut bottom", "viridis", 0.2, 0.8, 0, -80, 40, 1, "bottom", 640, 360},
		{"stepped auto limits", "plasma", 0, 1, 10, -67.7, -52.1, 1, "right", 1920, 1080},
		{"emission", "magma", 0, 1, 0, -70, 20, 1.8, "bottom", 1920, 1080},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cm, lut := lutOf(t, tc.cmap, tc.start, tc.stop, tc.steps, tc.vmin, tc.vmax)
			look := render.Style{Emission: tc.emission}
			c := ColorBar{Place: tc.place, LUT: lut, Look: look, VMin: tc.vmin, VMax: tc.vmax}
			l, err := New(Spec{Width: tc.w, Height: tc.h, Colours: ContrastingColours([3]uint8{}), ColorBar: &c})
			if err != nil {
				t.Fatal(err)
			}
			b, err := l.layoutColorBar(c, l.margin, image.Rectangle{}, image.Rectangle{})
			if err != nil {
				t.Fatal(err)
			}
			img := render.NewImage(tc.w, tc.h)
			l.NewDrawer().Draw(img, Frame{})
			if len(b.ticks) < 3 {
				t.Fatalf("%d ticks, want the limits and at least one between", len(b.ticks))
			}
			length := b.bar.Dy()
			if !b.vertical {
				length = b.bar.Dx()
			}
			perPixel := (tc.vmax - tc.vmin) / float64(length)
			for _, tk := range b.ticks {
				// The pixel the tick falls in, and the colours of the
				// values it spans.
				var x, y int
				if b.vertical {
					x, y = b.bar.Min.X+b.bar.Dx()/2, min(int(tk.pos), b.bar.Max.Y-1)
				} else {
					x, y = min(int(tk.pos), b.bar.Max.X-1), b.bar.Min.Y+b.bar.Dy()/2
				}
				got := img.RGB(x, y)
				lo := lut.Index(float32(math.Max(tc.vmin, tk.v-perPixel/2)))
				hi := lut.Index(float32(math.Min(tc.vmax, tk.v+perPixel/2)))
				match := false
				for j := min(lo, hi); j <= max(lo, hi); j++ {
					match = match || got == look.Shown(lut.RGB[j])
				}
				if !match {
					t.Errorf("tick %s at (%d, %d): %v, want %v (the frame's colour for %v mV, or a neighbour's within the pixel)",
						tk.label, x, y, got, look.Shown(lut.RGB[lut.Index(float32(tk.v))]), tk.v)
				}
				// The LUT's colour is the colormap's own.
				r, g, bb := cm.At((tk.v - tc.vmin) / (tc.vmax - tc.vmin))
				want := [3]uint8{uint8(math.Round(r * 255)), uint8(math.Round(g * 255)), uint8(math.Round(bb * 255))}
				if e := lut.RGB[lut.Index(float32(tk.v))]; absDiff(e, want) > 1 {
					t.Errorf("tick %s: the table's colour %v is not the colormap's %v", tk.label, e, want)
				}
			}
			first, last := b.ticks[0], b.ticks[len(b.ticks)-1]
			if first.v != tc.vmin || last.v != tc.vmax {
				t.Errorf("ticks run %v…%v, want the limits %v…%v labelled", first.v, last.v, tc.vmin, tc.vmax)
			}
		})
	}
}

// absDiff is the largest difference between two colours' channels.
func absDiff(a, b [3]uint8) int {
	d := 0
	for k := range 3 {
		d = max(d, int(a[k])-int(b[k]), int(b[k])-int(a[k]))
	}
	return d
}
