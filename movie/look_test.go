package movie

import (
	"errors"
	"image/png"
	"math"
	"os"
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

func TestApplyLook(t *testing.T) {
	o := DefaultOptions()
	if err := o.ApplyLook("blender"); err != nil {
		t.Fatal(err)
	}
	if o.Look.Emission != 2 || o.Look.Tone != "filmic" || o.Colors.Steps != 10 || o.Look.BloomThreshold != 0.8 {
		t.Errorf("blender look: %+v, steps %d", o.Look, o.Colors.Steps)
	}
	if o.Look.AA != 2 || o.Colors.Map != "plasma" || o.Width != 1920 {
		t.Errorf("the look changed options it does not own: %+v", o)
	}
	// A caller applies the look, then what the user set.
	o.Look.Emission = 3
	if err := o.Validate(); err != nil || o.Look.Emission != 3 || o.Look.Tone != "filmic" {
		t.Errorf("explicit emission after the look: %v, %+v", err, o.Look)
	}
	if err := o.ApplyLook("exact"); err != nil {
		t.Fatal(err)
	}
	if def := DefaultOptions(); o.Look != def.Look || o.Colors != def.Colors {
		t.Errorf("exact look %+v differs from the defaults %+v", o.Look, def.Look)
	}
	err := o.ApplyLook("eevee")
	var oe *OptionError
	if !errors.As(err, &oe) || err.Error() != "look eevee: want exact or blender" {
		t.Errorf("ApplyLook(eevee) = %v", err)
	}
	for _, name := range Looks {
		if err := o.ApplyLook(name); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateLook(t *testing.T) {
	for _, tc := range []struct {
		set  func(o *Options)
		want string
	}{
		{func(o *Options) { o.Look.Tone = "aces" }, "tone aces: want none or filmic"},
		{func(o *Options) { o.Look.DepthCue = 2 }, "depth-cue 2: must be 0 (off) to 1"},
		{func(o *Options) { o.Look.BloomThreshold = -1 }, "bloom-threshold -1: must be a number ≥ 0"},
	} {
		o := DefaultOptions()
		tc.set(&o)
		var oe *OptionError
		if err := o.Validate(); !errors.As(err, &oe) || err.Error() != tc.want {
			t.Errorf("Validate = %v, want %q", err, tc.want)
		}
	}
}

// TestCoveredPixelsShowTheColormapColour renders the spike at the default
// options and again without glow: every pixel inside the cell (all of its
// 5×5 neighbourhood covered) is identical in both, the colormap's colour.
func TestCoveredPixelsShowTheColormapColour(t *testing.T) {
	o := small()
	o.Width, o.Height = 640, 360
	o.Look.Emission = 2 // bright enough that the default threshold lets the spike glow
	glow := renderFrame(t, "simple_ap", 150, o)
	o.Look.Bloom = 0
	bare := renderFrame(t, "simple_ap", 150, o)
	inside, glowing := 0, 0
	for y := 2; y < bare.Height-2; y++ {
		for x := 2; x < bare.Width-2; x++ {
			if bare.RGB(x, y) == ([3]uint8{}) && glow.RGB(x, y) != ([3]uint8{}) {
				glowing++
			}
			if !covered(bare, x, y) {
				continue
			}
			inside++
			if glow.RGB(x, y) != bare.RGB(x, y) {
				t.Fatalf("inside pixel (%d,%d) is %v with the glow, %v without", x, y, glow.RGB(x, y), bare.RGB(x, y))
			}
		}
	}
	if inside < 300 || glowing < 1000 {
		t.Errorf("%d inside pixels, %d glowing background pixels: the test shows nothing", inside, glowing)
	}
}

// covered reports whether the 5×5 pixels around (x, y) all show the cell
// (on black, without glow).
func covered(img *render.Image, x, y int) bool {
	for dy := -2; dy <= 2; dy++ {
		for dx := -2; dx <= 2; dx++ {
			if img.RGB(x+dx, y+dy) == ([3]uint8{}) {
				return false
			}
		}
	}
	return true
}

func renderFrame(t *testing.T, name string, frame int, o Options) *render.Image {
	t.Helper()
	m := newMovie(t, name, o)
	img, err := m.Render(frame, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestThinBranchesLookAsBrightAtAnySize renders the CA1 cell, whose
// dendrites are thinner than a pixel at small sizes, at 320×180 and
// 1280×720: the light of the whole picture, per unit of picture area, is
// about the same, as it is without widening (min-width 0). Widened without
// dimming, the small picture would be far brighter.
func TestThinBranchesLookAsBrightAtAnySize(t *testing.T) {
	light := func(w, h int, minWidth float64) float64 {
		o := DefaultOptions()
		o.Width, o.Height, o.Look.Bloom, o.Look.MinWidth = w, h, 0, minWidth
		img := renderFrame(t, "ca1_random_input", 249, o)
		var sum float64
		for _, v := range img.Pix {
			sum += srgbToLinear(v)
		}
		return sum / float64(w*h)
	}
	small, large := light(320, 180, 1), light(1280, 720, 1)
	trueSmall := light(320, 180, 0)
	if r := small / large; r < 0.9 || r > 1.1 {
		t.Errorf("light per pixel: %.5f at 320×180, %.5f at 1280×720 (ratio %.2f); want within 10%%", small, large, r)
	}
	if r := small / trueSmall; r < 0.9 || r > 1.1 {
		t.Errorf("light per pixel at 320×180: %.5f widened, %.5f at true widths (ratio %.2f)", small, trueSmall, r)
	}
}

func srgbToLinear(v uint8) float64 {
	c := float64(v) / 255
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// blenderLevels is how far, in 8-bit levels per channel on average, the
// colour along the simple_ap axon of --look blender may be from
// BlenderSpike's EEVEE frames, at rest and mid-spike.
//
// The colour is the axon's light averaged (in linear light) over an
// 8-pixel window across it. BlenderSpike's frames are 1280×720 renders
// downscaled to 640×360 with a sharpening filter, which brightens the
// 3-pixel axon's centre by up to 8 levels depending on its exact width and
// position; averaging across the axon cancels that, as any resampling
// keeps the light of the whole line. The centre pixels are logged.
const blenderLevels = 3

func TestBlenderLookMatchesBlenderSpike(t *testing.T) {
	for _, tc := range []struct {
		name, ref string
		frame     int
	}{
		{"at rest", "eevee_simple_ap_frame0.png", 0},
		{"mid-spike", "blenderspike_simple_ap_frame150.png", 150},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			if err := o.ApplyLook("blender"); err != nil {
				t.Fatal(err)
			}
			o.Geometry.Prepare.Segmentation = 5 // BlenderSpike's default
			o.Width, o.Height = 640, 360
			ours := axonSamples(t, renderFrame(t, "simple_ap", tc.frame, o))
			ref := axonSamples(t, loadPNG(t, "../docs/look/"+tc.ref))
			var diff [3]float64
			for i := range ours {
				for k := range 3 {
					diff[k] += math.Abs(ours[i].across[k]-ref[i].across[k]) / float64(len(ours))
				}
			}
			mid := len(ours) / 2
			t.Logf("across the axon, mean difference (R, G, B) %.2f %.2f %.2f levels; at its middle ours %.0f, BlenderSpike's %.0f; centre pixels ours %.0f, BlenderSpike's %.0f",
				diff[0], diff[1], diff[2], ours[mid].across, ref[mid].across, ours[mid].centre, ref[mid].centre)
			if max(diff[0], diff[1], diff[2]) > blenderLevels {
				t.Errorf("the axon's colour differs by %.2f %.2f %.2f levels on average; want at most %d", diff[0], diff[1], diff[2], blenderLevels)
			}
		})
	}
}

// axonSample is the colour of the axon at one point: its two brightest
// (centre) pixels, and its light averaged over 8 pixels across it.
type axonSample struct{ centre, across [3]float64 }

// axonSamples finds the simple_ap axon — the bright vertical line above
// the soma — and samples it at 21 points evenly spaced from 10% to 90% of
// its length.
func axonSamples(t *testing.T, img *render.Image) []axonSample {
	t.Helper()
	bright := func(x, y int) int { c := img.RGB(x, y); return int(c[0]) + int(c[1]) + int(c[2]) }
	// The axon's rows: from the first row with a bright pixel to the first
	// row where the bright run is wider than a thin line (the soma).
	top, somaTop := -1, -1
	for y := range img.Height {
		run := 0
		for x := range img.Width {
			if bright(x, y) > 200 {
				run++
			}
		}
		if run > 0 && top < 0 {
			top = y
		}
		if run > 12 {
			somaTop = y
			break
		}
	}
	if top < 0 || somaTop-top < 100 {
		t.Fatalf("no axon found (top %d, soma %d)", top, somaTop)
	}
	var out []axonSample
	for i := range 21 {
		y := top + (somaTop-top)*(10+4*i)/100
		best := 3
		for x := 3; x < img.Width-5; x++ {
			if bright(x, y)+bright(x+1, y) > bright(best, y)+bright(best+1, y) {
				best = x
			}
		}
		var s axonSample
		for k := range 3 {
			s.centre[k] = (float64(img.RGB(best, y)[k]) + float64(img.RGB(best+1, y)[k])) / 2
			var light float64
			for x := best - 3; x <= best+4; x++ {
				light += srgbToLinear(img.RGB(x, y)[k]) / 8
			}
			s.across[k] = 255 * (1.055*math.Pow(light, 1/2.4) - 0.055)
		}
		out = append(out, s)
	}
	return out
}

func loadPNG(t *testing.T, path string) *render.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	b := src.Bounds()
	img := render.NewImage(b.Dx(), b.Dy())
	for y := range img.Height {
		for x := range img.Width {
			r, g, bl, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
			copy(img.Pix[3*(y*img.Width+x):], []uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)})
		}
	}
	return img
}
