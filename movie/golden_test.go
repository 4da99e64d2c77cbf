package movie

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

var update = flag.Bool("update", false, "rewrite the golden frames in testdata/golden from the current renderer")

// Golden-frame tolerance: a pixel differs when a channel is off by more
// than goldenLevels 8-bit levels, and at most goldenShare of the pixels may
// differ (room for floating-point differences between platforms, none for
// a changed look).
const (
	goldenLevels = 2
	goldenShare  = 0.001
)

// goldenFrames are small frames of the bundled recordings covering the
// renderer's paths: emission with bloom, lit shading, perspective, an orbit,
// 3×3 anti-aliasing with the frame number, stepped automatic colours,
// the blender look (Filmic, thresholded glow) close up, and lit shading
// with a depth cue.
var goldenFrames = []struct {
	name, recording string
	frame           int
	set             func(o *Options)
}{
	{"simple_ap_emission_bloom", "simple_ap", 150, func(o *Options) {}},
	{"ca1_lit", "ca1_random_input", 249, func(o *Options) { o.Look.Shading = "lit"; o.Look.Bloom = 0 }},
	{"l5_perspective", "l5_bap", 100, func(o *Options) { o.View.FOV = 40; o.View.Elevation = 30 }},
	{"l5_orbit", "l5_bap", 50, func(o *Options) { o.Orbit = 360 }},
	{"simple_ap_aa3_label", "simple_ap", 60, func(o *Options) {
		o.Look.AA = 3
		o.Label = "frame"
		o.View.Zoom = 3
	}},
	{"l5_type_legend", "l5_bap", 0, func(o *Options) {
		o.ColorBy, o.Overlays.ColorBar = ByType, true
		o.Width, o.Height = 320, 180
	}},
	{"ca1_distance", "ca1_random_input", 0, func(o *Options) {
		o.ColorBy, o.Overlays.ColorBar = ByDistance, true
		o.Colors.VMin, o.Colors.VMax = Limit{Value: 0}, Limit{Auto: true}
		o.Width, o.Height = 320, 180
	}},
	{"simple_ap_blender_zoom", "simple_ap", 150, func(o *Options) {
		if err := o.ApplyLook("blender"); err != nil {
			panic(err)
		}
		o.View.Zoom = 4
	}},
	{"l5_lit_depth_cue", "l5_bap", 100, func(o *Options) {
		o.Look.Shading, o.Look.DepthCue, o.Look.Bloom = "lit", 0.7, 0
		o.View.Elevation, o.View.Zoom = 60, 2
	}},
	{"ca1_stepped_auto", "ca1_random_input", 400, func(o *Options) {
		o.Colors.Map, o.Colors.Steps = "rocket", 10
		o.Colors.VMin, o.Colors.VMax = Limit{Auto: true}, Limit{Auto: true}
		o.Geometry.Prepare.Segmentation = 5
	}},
	// The axon's tip seen from above its end: rounded and solid, not a
	// hollow ring.
	{"simple_ap_tip", "simple_ap", 90, func(o *Options) {
		o.Width, o.Height = 240, 135
		o.Target = "6.308,198,0"
		o.View.Zoom, o.View.Elevation, o.View.Azimuth = 30, 60, 30
		o.Look.Shading, o.Look.Bloom = "lit", 0
	}},
	// A branch point on the apical trunk while a back-propagating spike
	// passes (8 mV between the sections' end segments): one smooth
	// gradient through it, no band.
	{"l5_junction", "l5_bap", 24, func(o *Options) {
		o.Width, o.Height = 240, 135
		o.Target = "-29.3,143.1,-31.1"
		o.View.Zoom = 80
		o.Look.Bloom = 0
	}},
}

// overlayGoldens are frames with each annotation, each rendered at two
// sizes so that the annotations' scaling with the picture is under test.
var overlayGoldens = []struct {
	name, recording string
	frame           int
	set             func(o *Options)
}{
	{"clock_time_span", "simple_ap", 150, func(o *Options) {
		o.Label = "time"
		o.TimeSpan = TimeSpan{Start: 0, Stop: 10, Set: true}
	}},
	{"title", "l5_bap", 100, func(o *Options) { o.Overlays.Title = "L5 pyramidal cell, bAP" }},
	{"colorbar_right", "simple_ap", 150, func(o *Options) { o.Overlays.ColorBar = true }},
	{"colorbar_left_label", "ca1_random_input", 300, func(o *Options) {
		o.Overlays.ColorBar, o.Overlays.ColorBarPos, o.Overlays.ColorBarLabel = true, "left", "Vm (mV)"
		o.Colors.Map = "rocket_r"
	}},
	{"colorbar_bottom_auto", "ca1_random_input", 300, func(o *Options) {
		o.Overlays.ColorBar, o.Overlays.ColorBarPos = true, "bottom"
		o.Colors.VMin, o.Colors.VMax = Limit{Auto: true}, Limit{Auto: true}
		o.Colors.Start, o.Colors.Stop, o.Colors.Steps = 0.1, 0.9, 10
	}},
	{"scalebar", "l5_bap", 100, func(o *Options) { o.Overlays.ScaleBar = true }},
	{"trace", "recorder_ball_stick", 12, func(o *Options) {
		o.Overlays.Traces = []string{"soma", "axon"}
	}},
	{"transparent", "recorder_ball_stick", 12, func(o *Options) {
		o.Annotate()
		o.Overlays.Traces = []string{"soma"}
		o.Look.Transparent = true
	}},
	{"annotate_white", "recorder_ball_stick", 12, func(o *Options) {
		o.Annotate()
		o.Overlays.Title = "Ball and stick"
		o.Overlays.Traces = []string{"soma"}
		o.Look.Background = [3]uint8{255, 255, 255}
	}},
}

func TestGoldenFrames(t *testing.T) {
	for _, g := range goldenFrames {
		t.Run(g.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Width, o.Height = 160, 90
			g.set(&o)
			checkGolden(t, g.name, g.recording, g.frame, o)
		})
	}
	for _, g := range overlayGoldens {
		for _, size := range [][2]int{{240, 135}, {480, 270}} {
			name := fmt.Sprintf("overlay_%s_%dx%d", g.name, size[0], size[1])
			t.Run(name, func(t *testing.T) {
				o := DefaultOptions()
				o.Width, o.Height = size[0], size[1]
				g.set(&o)
				checkGolden(t, name, g.recording, g.frame, o)
			})
		}
	}
}

// TestGoldenHairpin draws a dendrite with sharp bends and a hairpin:
// rounded, as wide as the tube, with no arrowheads.
func TestGoldenHairpin(t *testing.T) {
	cell := &morph.Cell{Sections: []morph.Section{{Type: "dend", Parent: -1, Points: []morph.Point{
		{X: 5, Diam: 3}, {X: 60, Diam: 3}, {X: 10, Y: 12, Diam: 3}, {X: 40, Y: 30, Diam: 3}, {X: -10, Y: 30, Diam: 3},
	}}}}
	rec := &voltage.Recording{Frames: 1, Traces: []voltage.Trace{{NSeg: 5, Values: []float32{-70, -40, -10, 10, 20}}}}
	o := DefaultOptions()
	o.Width, o.Height = 240, 135
	o.Look.Shading, o.Look.Bloom = "lit", 0
	m, err := New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	img, err := m.Render(0, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	matchGolden(t, "hairpin", img)
}

// checkGolden renders frame k of a bundled recording with o and compares
// it with the golden frame called name (or, with -update, rewrites it).
func checkGolden(t *testing.T, name, recording string, k int, o Options) {
	t.Helper()
	m := newMovie(t, recording, o)
	img, err := m.Render(k, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	matchGolden(t, name, img)
}

// matchGolden compares img with the golden frame called name (or, with
// -update, rewrites it).
func matchGolden(t *testing.T, name string, img *render.Image) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".png")
	if *update {
		var buf bytes.Buffer
		if err := png.Encode(&buf, img); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if err := compareGolden(path, img); err != nil {
		t.Errorf("%v (if the change is intended, run go test ./movie -update and look at the frames)", err)
	}
}

// compareGolden compares img with the PNG at path within the golden
// tolerance.
func compareGolden(path string, img *render.Image) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	want, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if want.Bounds() != image.Rect(0, 0, img.Width, img.Height) {
		return fmt.Errorf("%s: golden frame is %v, rendered %dx%d", path, want.Bounds().Size(), img.Width, img.Height)
	}
	differ, worst := 0, 0
	for y := range img.Height {
		for x := range img.Width {
			w := color.NRGBAModel.Convert(want.At(x, y)).(color.NRGBA)
			g := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			d := max(absDiff(int(w.R), int(g.R)), absDiff(int(w.G), int(g.G)), absDiff(int(w.B), int(g.B)), absDiff(int(w.A), int(g.A)))
			worst = max(worst, d)
			if d > goldenLevels {
				differ++
			}
		}
	}
	if share := float64(differ) / float64(img.Width*img.Height); share > goldenShare {
		return fmt.Errorf("%s: %d pixels (%.2f%%) differ by more than %d levels, worst by %d", path, differ, 100*share, goldenLevels, worst)
	}
	return nil
}

func absDiff(a, b int) int {
	if a > b {
		return a - b
	}
	return b - a
}
