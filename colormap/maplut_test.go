package colormap

import (
	"math"
	"slices"
	"testing"
)

func TestNewLUTOfTableMapIsMatplotlibsTable(t *testing.T) {
	for _, name := range []string{"viridis", "tab10", "twilight_r", "Set1"} {
		m := mustGet(t, name)
		lut, err := NewLUT(m, -70, 20)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(lut.RGB, m.table) {
			t.Errorf("%s: LUT is not the map's %d entries", name, len(m.table))
		}
		n := len(lut.RGB)
		for i := range n {
			// The middle of entry i's voltage bin.
			v := -70 + 90*(float64(i)+0.5)/float64(n)
			if got := lut.Index(float32(v)); got != i {
				t.Errorf("%s: Index(%g) = %d, want %d", name, v, got, i)
			}
			r, g, b := m.At((float64(i) + 0.5) / float64(n))
			if c := lut.RGB[i]; float64(c[0]) != r*255 || float64(c[1]) != g*255 || float64(c[2]) != b*255 {
				t.Errorf("%s: entry %d = %v, At gives %g %g %g", name, i, c, r, g, b)
			}
		}
		for _, v := range []float32{-70, -100, float32(math.Inf(-1)), float32(math.NaN())} {
			if got := lut.Index(v); got != 0 {
				t.Errorf("%s: Index(%g) = %d, want 0", name, v, got)
			}
		}
		for _, v := range []float32{20, 25, float32(math.Inf(1))} {
			if got := lut.Index(v); got != n-1 {
				t.Errorf("%s: Index(%g) = %d, want %d", name, v, got, n-1)
			}
		}
	}
}

func TestNewLUTKeepsEveryStepOfContinuousMaps(t *testing.T) {
	var maps []*Map
	for _, name := range Names() {
		ramp, err := mustGet(t, name).Stepped(10)
		if err != nil {
			t.Fatal(err)
		}
		maps = append(maps, ramp)
	}
	for _, spec := range []string{"#000000,#ff3000,#ffff80", "#000,#fff", "#fff,#000,#fff,#000,#fff"} {
		maps = append(maps, mustGet(t, spec))
	}
	largest := 0
	for _, m := range maps {
		lut, err := NewLUT(m, -70, 20)
		if err != nil {
			t.Fatal(err)
		}
		n := len(lut.RGB)
		largest = max(largest, n)
		if step := maxNeighbourStep(lut.RGB); step > 1 {
			t.Errorf("%s: neighbouring LUT entries differ by %d steps", m.name, step)
		}
		// Every entry is the map's colour where it was sampled.
		for _, i := range []int{0, 1, n / 3, n / 2, n - 2, n - 1} {
			r, g, b := m.At(float64(i) / float64(n-1))
			c := lut.RGB[i]
			for ch, want := range []float64{r, g, b} {
				if d := math.Abs(float64(c[ch])/255 - want); d > 0.5/255+1e-12 {
					t.Errorf("%s: entry %d channel %d = %d, map gives %.4f", m.name, i, ch, c[ch], want*255)
				}
			}
		}
	}
	t.Logf("%d continuous maps: largest LUT %d entries", len(maps), largest)
}

func TestNewLUTRejectsBadLimits(t *testing.T) {
	m := mustGet(t, "viridis")
	ramp, err := m.Stepped(10)
	if err != nil {
		t.Fatal(err)
	}
	for _, lim := range [][2]float64{{20, -70}, {0, 0}, {math.NaN(), 1}, {0, math.Inf(1)}, {math.Inf(-1), 0}} {
		for _, mm := range []*Map{m, ramp} {
			if _, err := NewLUT(mm, lim[0], lim[1]); err == nil {
				t.Errorf("NewLUT(%s, %g, %g) succeeded", mm.name, lim[0], lim[1])
			}
		}
	}
}

func BenchmarkNewLUTStepped(b *testing.B) {
	ramp, err := mustGet(b, "plasma").Stepped(10)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := NewLUT(ramp, -70, 20); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLUTIndex(b *testing.B) {
	lut, err := NewLUT(mustGet(b, "viridis"), -70, 20)
	if err != nil {
		b.Fatal(err)
	}
	sum := 0
	v := float32(-80)
	for b.Loop() {
		sum += lut.Index(v)
		v += 0.37
		if v > 30 {
			v = -80
		}
	}
	if sum < 0 {
		b.Fatal("negative index")
	}
}
