package movie

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/spikeframes/spikeframes/render"
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
// 3×3 anti-aliasing and a label, the blender look (Filmic, thresholded
// glow) close up, and lit shading with a depth cue.
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
}

func TestGoldenFrames(t *testing.T) {
	for _, g := range goldenFrames {
		t.Run(g.name, func(t *testing.T) {
			o := DefaultOptions()
			o.Width, o.Height = 160, 90
			g.set(&o)
			m := newMovie(t, g.recording, o)
			img, err := m.Render(g.frame, m.NewCanvas())
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", "golden", g.name+".png")
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
		})
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
			r, g, b, _ := want.At(x, y).RGBA()
			got := img.RGB(x, y)
			d := max(absDiff(int(r>>8), int(got[0])), absDiff(int(g>>8), int(got[1])), absDiff(int(b>>8), int(got[2])))
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
