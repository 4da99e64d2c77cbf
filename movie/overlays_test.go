package movie

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morph"
)

func TestValidateOverlays(t *testing.T) {
	tests := []validateCase{
		{"annotate", func(o *Options) { o.Annotate() }, ""},
		{"colorbar-pos", func(o *Options) { o.Overlays.ColorBarPos = "top" }, "colorbar-pos top"},
		{"colorbar-label", func(o *Options) { o.Overlays.ColorBarLabel = strings.Repeat("m", 33) }, "colorbar-label"},
		{"scalebar", func(o *Options) { o.Overlays.ScaleBar, o.Overlays.ScaleBarLength = true, -5 }, "scalebar -5"},
		{"scalebar NaN", func(o *Options) { o.Overlays.ScaleBarLength = math.NaN() }, "scalebar NaN"},
		{"title", func(o *Options) { o.Overlays.Title = "Ca\x00" }, "title"},
		{"title script", func(o *Options) { o.Overlays.Title = "神経" }, "title"},
		{"title µ", func(o *Options) { o.Overlays.Title = "200 µm, −70 mV" }, ""},
		{"traces", func(o *Options) { o.Overlays.Traces = []string{"0", "1", "2", "3", "4"} }, "trace"},
		{"time-span", func(o *Options) { o.TimeSpan = TimeSpan{Start: 5, Stop: 5, Set: true} }, "time-span 5:5"},
		{"time-span NaN", func(o *Options) { o.TimeSpan = TimeSpan{Start: math.NaN(), Stop: 5, Set: true} }, "time-span"},
		{"time-span unset", func(o *Options) { o.TimeSpan = TimeSpan{Start: 5, Stop: 5} }, ""},
		{"transparent", func(o *Options) { o.Look.Transparent = true }, ""},
		{"transparent background", func(o *Options) {
			o.Look.Transparent, o.Look.Background = true, [3]uint8{255, 255, 255}
		}, "transparent true"},
	}
	checkValidate(t, tests)
}

func TestAnnotateKeepsAChosenLabel(t *testing.T) {
	o := DefaultOptions()
	o.Annotate()
	if !o.Overlays.ColorBar || !o.Overlays.ScaleBar || o.Label != "time" {
		t.Errorf("Annotate: colour bar %v, scale bar %v, label %q", o.Overlays.ColorBar, o.Overlays.ScaleBar, o.Label)
	}
	o = DefaultOptions()
	o.Label = "frame"
	if o.Annotate(); o.Label != "frame" {
		t.Errorf("Annotate changed label frame to %q", o.Label)
	}
}

func TestClockText(t *testing.T) {
	tests := []struct {
		name, recording string
		set             func(o *Options)
		frame           int
		want            string
	}{
		// 300 frames over 0–10 ms: frame 150 is at 150·10/299 ms, and a
		// frame step of 0.033 ms needs two decimals.
		{"time span", "simple_ap", func(o *Options) { o.Label = "time"; o.TimeSpan = TimeSpan{0, 10, true} }, 150, "5.02\u2009ms"},
		{"time span, first frame", "simple_ap", func(o *Options) { o.Label = "time"; o.TimeSpan = TimeSpan{-5, 5, true} }, 0, "\u22125.00\u2009ms"},
		// 11 output frames over 0–10 ms are a millisecond apart.
		{"resampled", "simple_ap", func(o *Options) {
			o.Label, o.Resample, o.TimeSpan = "time", 11, TimeSpan{0, 10, true}
		}, 5, "5\u2009ms"},
		// The recorder stores 0–10 ms over 40 frames: 0.26 ms apart.
		{"stored span", "recorder_ball_stick", func(o *Options) { o.Label = "time" }, 20, "5.1\u2009ms"},
		{"span overrides stored", "recorder_ball_stick", func(o *Options) { o.Label = "time"; o.TimeSpan = TimeSpan{100, 139, true} }, 20, "120\u2009ms"},
		{"no span", "simple_ap", func(o *Options) { o.Label = "time" }, 7, "frame 7"},
		{"frame", "recorder_ball_stick", func(o *Options) { o.Label = "frame" }, 7, "frame 7"},
		{"none", "simple_ap", func(o *Options) {}, 7, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := small()
			tc.set(&o)
			m := newMovie(t, tc.recording, o)
			if got := m.clock.text(tc.frame); got != tc.want {
				t.Errorf("frame %d: %q, want %q", tc.frame, got, tc.want)
			}
		})
	}
}

func TestFindSection(t *testing.T) {
	cell := &morph.Cell{Sections: []morph.Section{
		{Type: "soma"}, {Type: "soma"}, {Type: "axon"}, {Type: "dend"}, {Type: "dend", Name: "dend[1]"},
	}}
	tests := []struct {
		spec, name string
		index      int
		err        string
	}{
		{"soma", "soma", 0, ""},
		{"axon", "axon", 2, ""},
		{"3", "dend 3", 3, ""},
		{"4", "dend[1]", 4, ""},
		{"dend[1]", "dend[1]", 4, ""},
		{"dend", "", 0, "2 sections are dend"},
		{"5", "", 0, "no section 5"},
		{"-1", "", 0, "no section -1"},
		{"apic", "", 0, "no section has"},
		{"", "", 0, "no section has"},
	}
	for _, tc := range tests {
		i, name, err := findSection(cell, tc.spec)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("findSection(%q) = %d, %v; want an error with %q", tc.spec, i, err, tc.err)
			}
			continue
		}
		if err != nil || i != tc.index || name != tc.name {
			t.Errorf("findSection(%q) = %d, %q, %v; want %d, %q", tc.spec, i, name, err, tc.index, tc.name)
		}
	}
}

func TestNewRefusesOverlaysTheRecordingCannotHave(t *testing.T) {
	tests := []struct {
		name string
		set  func(o *Options)
		want string
	}{
		{"unknown section", func(o *Options) { o.Overlays.Traces = []string{"apic"} }, "trace apic"},
		{"scale bar longer than the picture", func(o *Options) {
			o.Overlays.ScaleBar, o.Overlays.ScaleBarLength = true, 100000
		}, "scalebar 100000"},
	}
	cell, rec, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		o := small()
		tc.set(&o)
		_, err := New(cell, rec, o)
		var oe *OptionError
		if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: New = %v, want an *OptionError beginning %q", tc.name, err, tc.want)
		}
	}
}

// TestScaleBarMeasuresRecordedMicrons checks the µm per pixel the scale
// bar is drawn with: it follows the zoom, not the downscale factor (which
// the framing undoes), and it is the one the picture shows: the simple_ap
// cell's recorded length spans as many pixels as the camera says.
func TestScaleBarMeasuresRecordedMicrons(t *testing.T) {
	o := small()
	base := newMovie(t, "simple_ap", o).micronsPerPixel()
	o.Geometry.Prepare.Downscale = 5
	if got := newMovie(t, "simple_ap", o).micronsPerPixel(); math.Abs(got-base) > 1e-3*base {
		t.Errorf("downscale 5: %v µm per pixel, want %v as at downscale 25", got, base)
	}
	// The framing fits the mesh widened to the minimum width, whose
	// rounded tips reach past the last points by half that width: a
	// fraction of a pixel that does not follow the zoom.
	o = small()
	o.View.Zoom = 2
	if got := newMovie(t, "simple_ap", o).micronsPerPixel(); math.Abs(got-base/2) > 0.5/float64(o.Height)*base {
		t.Errorf("zoom 2: %v µm per pixel, want %v", got, base/2)
	}
	o = small()
	o.Orbit = 90
	if got := newMovie(t, "simple_ap", o).micronsPerPixel(); !(got > 0) {
		t.Errorf("orbit: %v µm per pixel", got)
	}

	// The cell's recorded extent along the picture's vertical, through
	// the camera, against the mesh's own extent in pixels.
	cell, _, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	m := newMovie(t, "simple_ap", small())
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range cell.Sections {
		for _, p := range s.Points {
			lo, hi = math.Min(lo, p.Y), math.Max(hi, p.Y)
		}
	}
	mlo, mhi := math.Inf(1), math.Inf(-1)
	for _, p := range m.Mesh().Positions {
		mlo, mhi = math.Min(mlo, float64(p[1])), math.Max(mhi, float64(p[1]))
	}
	// The mesh adds the tubes' radii at the ends; the soma sphere at the
	// bottom is the widest.
	pixels := (mhi - mlo) / m.camera.UnitsPerPixel()
	if got := (hi - lo) / m.micronsPerPixel(); !(got <= pixels && got > 0.8*pixels) {
		t.Errorf("recorded extent %v µm is %.1f pixels; the mesh spans %.1f", hi-lo, got, pixels)
	}
}
