package overlay

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

// TestScaleBarIsItsLengthInPixels draws scale bars and measures them: the
// coverage along the bar's middle row adds up to its length in µm divided
// by the µm per pixel.
func TestScaleBarIsItsLengthInPixels(t *testing.T) {
	tests := []struct {
		w, h           int
		perPixel, want float64 // µm per pixel; µm the bar should show
		length         float64
	}{
		{1920, 1080, 0.8, 200, 0}, // a fifth is 307 µm; 500 µm is too long
		{640, 360, 6.5, 1000, 0},
		{640, 360, 2, 50, 50},
		{3840, 2160, 0.13, 100, 0},
	}
	for _, tc := range tests {
		s := ScaleBar{MicronsPerPixel: tc.perPixel, Length: tc.length}
		microns, px, err := s.Pixels(tc.w)
		if err != nil {
			t.Fatal(err)
		}
		if microns != tc.want {
			t.Errorf("%dx%d at %v µm/px: %v µm, want %v", tc.w, tc.h, tc.perPixel, microns, tc.want)
		}
		l, err := New(Spec{Width: tc.w, Height: tc.h, Colours: ContrastingColours([3]uint8{}), ScaleBar: &s})
		if err != nil {
			t.Fatal(err)
		}
		img := render.NewImage(tc.w, tc.h)
		l.NewDrawer().Draw(img, Frame{})
		thick := math.Max(minScaleBarPx, math.Round(scaleBarUnits*l.unit))
		y := tc.h - l.margin - int(thick/2) - 1
		var covered float64
		for x := range tc.w / 2 {
			covered += float64(img.RGB(x, y)[0]) / float64(light[0])
		}
		if math.Abs(covered-px) > 0.5 {
			t.Errorf("%dx%d: the bar covers %.2f pixels, want %v µm / %v µm per pixel = %.2f", tc.w, tc.h, covered, microns, tc.perPixel, px)
		}
	}
}

func TestScaleBarRefusesLengthsThatDoNotFit(t *testing.T) {
	for _, s := range []ScaleBar{
		{MicronsPerPixel: 1, Length: 5000},
		{MicronsPerPixel: 1, Length: 0.5},
		{MicronsPerPixel: 0},
		{MicronsPerPixel: math.NaN()},
		{MicronsPerPixel: 1, Length: -3},
	} {
		if _, err := New(Spec{Width: 640, Height: 360, ScaleBar: &s}); err == nil || !strings.HasPrefix(err.Error(), "scale bar") {
			t.Errorf("scale bar %+v: New = %v, want a scale bar error", s, err)
		}
	}
}

// TestTraceCursorFollowsTheTime draws the inset at two times and checks
// that the cursor moved by the plot's pixels per unit of time, and that
// nothing else changed.
func TestTraceCursorFollowsTheTime(t *testing.T) {
	s := fullSpec(t, 1280, 720)
	s.Title, s.ColorBar, s.ScaleBar, s.Clock = "", nil, nil, false
	l, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	d := l.NewDrawer()
	column := func(time float64) int {
		img := render.NewImage(1280, 720)
		d.Draw(img, Frame{Time: time})
		// The cursor is the brightest column across the plot's middle
		// rows, away from the lines.
		p := l.trace
		best, bestX := 0, -1
		for x := int(p.left) + 2; x < int(p.right); x++ {
			sum := 0
			for y := int(p.top); y < int(p.top)+10; y++ {
				sum += int(img.RGB(x, y)[0])
			}
			if sum > best {
				best, bestX = sum, x
			}
		}
		return bestX
	}
	p := l.trace
	for _, tm := range []float64{50, 250, 480} {
		if got, want := column(tm), int(p.x(tm)); got < want-1 || got > want+1 {
			t.Errorf("time %v: cursor at column %d, want %d", tm, got, want)
		}
	}
}

func TestTraceRefusesBadSamples(t *testing.T) {
	good := func() *Trace {
		return &Trace{TimeUnit: "ms", Time: []float64{0, 1, 2}, Lines: []Line{{Name: "soma", V: []float64{-70, 0, -70}}}}
	}
	tests := []struct {
		name string
		bad  func(tr *Trace)
	}{
		{"no lines", func(tr *Trace) { tr.Lines = nil }},
		{"too many lines", func(tr *Trace) {
			for range MaxLines {
				tr.Lines = append(tr.Lines, tr.Lines[0])
			}
		}},
		{"short line", func(tr *Trace) { tr.Lines[0].V = tr.Lines[0].V[:2] }},
		{"NaN", func(tr *Trace) { tr.Lines[0].V[1] = math.NaN() }},
		{"time backwards", func(tr *Trace) { tr.Time[2] = 0.5 }},
		{"no time", func(tr *Trace) { tr.Time, tr.Lines[0].V = nil, nil }},
	}
	if _, err := New(Spec{Width: 640, Height: 360, Trace: good()}); err != nil {
		t.Fatalf("good trace: %v", err)
	}
	for _, tc := range tests {
		tr := good()
		tc.bad(tr)
		if _, err := New(Spec{Width: 640, Height: 360, Trace: tr}); err == nil {
			t.Errorf("%s: New accepted the trace", tc.name)
		}
	}
}

// TestTinyPicturesDoNotBreak draws every annotation on pictures too small
// to hold them: they may overlap, but nothing may fail or reach outside.
func TestTinyPicturesDoNotBreak(t *testing.T) {
	for _, size := range [][2]int{{1, 1}, {16, 9}, {40, 300}, {300, 40}} {
		s := fullSpec(t, size[0], size[1])
		s.ScaleBar = nil // no bar fits in one pixel
		for _, place := range Places {
			s.ColorBar.Place = place
			l, err := New(s)
			if err != nil {
				t.Fatalf("%v, colour bar %s: %v", size, place, err)
			}
			img := render.NewImage(size[0], size[1])
			l.NewDrawer().Draw(img, Frame{Clock: "frame 1", Time: 3})
		}
	}
}

func TestLegendRows(t *testing.T) {
	tests := []struct {
		widths      []int
		first, rest int
		want        string
	}{
		{[]int{30, 30}, 100, 120, "[[0 1]]"},
		{[]int{30, 30, 30}, 70, 120, "[[0 1] [2]]"},
		{[]int{50}, 40, 60, "[[] [0]]"}, // nothing fits beside the unit
		{[]int{90, 10}, 40, 60, "[[] [0] [1]]"},
	}
	for _, tc := range tests {
		if got := fmt.Sprint(legendRows(tc.widths, tc.first, tc.rest, 5)); got != tc.want {
			t.Errorf("legendRows(%v, %d, %d) = %s, want %s", tc.widths, tc.first, tc.rest, got, tc.want)
		}
	}
}

func TestLongTitlesAreSetSmaller(t *testing.T) {
	for _, title := range []string{"Short", strings.Repeat("A long title ", 7)} {
		l, err := New(Spec{Width: 640, Height: 360, Colours: ContrastingColours([3]uint8{}), Title: title})
		if err != nil {
			t.Fatal(err)
		}
		r := l.static[0].Rect
		if c := (r.Min.X + r.Max.X) / 2; c < 318 || c > 322 {
			t.Errorf("%q: centred on column %d, want 320", title, c)
		}
		if most := 640 - 2*l.margin + 2*(haloRadius(minTitlePx)+1) + 1; r.Dx() > most {
			t.Errorf("%q: %d pixels wide, want at most %d", title, r.Dx(), most)
		}
	}
}
