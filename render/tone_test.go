package render

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
)

// Tolerances of the fitted Filmic curve against Blender's measured
// transform, in 8-bit display levels: the worst channel of colours whose
// brightest channel is at most 8 (where Blender's transform acts on each
// channel alone, and where frames live), the worst of brighter colours
// (which Blender pulls towards white), and the mean over all samples.
const (
	filmicWorstLevels       = 0.5
	filmicWorstBrightLevels = 2.0
	filmicMeanLevels        = 0.1
)

func TestFilmicMatchesBlender(t *testing.T) {
	raw, err := os.ReadFile("testdata/filmic.json")
	if err != nil {
		t.Fatal(err)
	}
	var data struct {
		Samples []struct{ In, Out [3]float64 }
	}
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	if len(data.Samples) < 1000 {
		t.Fatalf("%d samples, want the whole measurement", len(data.Samples))
	}
	tm := newToneMap(ToneFilmic)
	var worst, worstBright, sum float64
	var worstIn, worstBrightIn [3]float64
	for _, s := range data.Samples {
		in := [3]float32{float32(s.In[0]), float32(s.In[1]), float32(s.In[2])}
		r, g, b := tm.fixed(in)
		bright := max(s.In[0], s.In[1], s.In[2]) > 8
		for k, v := range [3]uint32{r, g, b} {
			d := math.Abs(float64(v)/256 - s.Out[k]*255)
			sum += d
			switch {
			case bright && d > worstBright:
				worstBright, worstBrightIn = d, s.In
			case !bright && d > worst:
				worst, worstIn = d, s.In
			}
		}
	}
	mean := sum / float64(3*len(data.Samples))
	t.Logf("%d samples: worst %.3f levels (at %v), brighter than 8 %.3f (at %v), mean %.4f",
		len(data.Samples), worst, worstIn, worstBright, worstBrightIn, mean)
	if worst > filmicWorstLevels {
		t.Errorf("fitted Filmic is %.3f levels off at %v; want at most %g", worst, worstIn, filmicWorstLevels)
	}
	if worstBright > filmicWorstBrightLevels {
		t.Errorf("fitted Filmic is %.3f levels off at %v; want at most %g", worstBright, worstBrightIn, filmicWorstBrightLevels)
	}
	if mean > filmicMeanLevels {
		t.Errorf("fitted Filmic is %.4f levels off on average; want at most %g", mean, filmicMeanLevels)
	}
}

func TestFilmicIsMonotone(t *testing.T) {
	for i := 1; i < len(filmicTable); i++ {
		if filmicTable[i] < filmicTable[i-1] {
			t.Fatalf("Filmic table falls from %d to %d at entry %d (%g)", filmicTable[i-1], filmicTable[i], i, filmicEntryValue(i))
		}
	}
	if filmicFixed(0) != 0 || filmicFixed(1e-6) != 0 || filmicFixed(1e6) != fixedOne {
		t.Errorf("Filmic ends: 0 → %d, 1e-6 → %d, 1e6 → %d", filmicFixed(0), filmicFixed(1e-6), filmicFixed(1e6))
	}
}

// TestFilmicDoesNotClip pushes plasma at BlenderSpike's emission 2 (and
// brighter) through Filmic: no channel reaches 255, and colours that differ
// in linear light stay apart, where plain sRGB clips the top of the map to
// one flat colour.
func TestFilmicDoesNotClip(t *testing.T) {
	cm, err := colormap.Get("plasma")
	if err != nil {
		t.Fatal(err)
	}
	for _, emission := range []float32{2, 4} {
		seen := map[[3]uint8]bool{}
		clippedNone := 0
		for i := range 64 {
			r, g, b := cm.At(float64(i) / 63)
			lin := [3]float32{}
			for k, v := range [3]float64{r, g, b} {
				lin[k] = float32(srgbToLinear(v)) * emission
			}
			fr, fg, fb := newToneMap(ToneFilmic).encode(lin)
			c := [3]uint8{fr, fg, fb}
			if fr == 255 || fg == 255 || fb == 255 {
				t.Errorf("emission %g, plasma(%d/63) = %v through Filmic: a channel clips", emission, i, c)
			}
			seen[c] = true
			if nr, ng, nb := newToneMap(ToneNone).encode(lin); nr == 255 || ng == 255 || nb == 255 {
				clippedNone++
			}
		}
		if len(seen) != 64 {
			t.Errorf("emission %g: 64 plasma colours give %d Filmic colours", emission, len(seen))
		}
		if clippedNone == 0 {
			t.Errorf("emission %g: plain sRGB clips nothing, so the test shows nothing", emission)
		}
	}
}

func TestToneKeepsTheBackground(t *testing.T) {
	for _, tone := range []Tone{ToneNone, ToneFilmic} {
		tm := newToneMap(tone)
		for _, bg := range [][3]uint8{{0, 0, 0}, {5, 6, 7}, {40, 128, 255}, {255, 255, 255}} {
			r, g, b := tm.encode(tm.linear(bg))
			if got := [3]uint8{r, g, b}; got != bg {
				t.Errorf("%s: background %v comes back as %v", tone, bg, got)
			}
		}
	}
}

func TestToneValidate(t *testing.T) {
	for _, tone := range []Tone{"", ToneNone, ToneFilmic} {
		if err := tone.Validate(); err != nil {
			t.Errorf("%q: %v", tone, err)
		}
	}
	if err := Tone("aces").Validate(); err == nil || err.Error() != "tone aces: want none or filmic" {
		t.Errorf("aces: %v", err)
	}
}
