package overlay

import (
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/render"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		v        float64
		decimals int
		want     string
	}{
		{12.5, 2, "12.50"},
		{-70, 0, "−70"},
		{-0.004, 2, "0.00"}, // never "−0.00"
		{-67.65, 1, "−67.7"},
		{0, 0, "0"},
	}
	for _, tc := range tests {
		if got := formatNumber(tc.v, tc.decimals); got != tc.want {
			t.Errorf("formatNumber(%v, %d) = %q, want %q", tc.v, tc.decimals, got, tc.want)
		}
	}
	if got, want := Quantity(-12.5, 2, "ms"), "−12.50\u2009ms"; got != want {
		t.Errorf("Quantity = %q, want %q", got, want)
	}
}

func TestDecimals(t *testing.T) {
	for _, tc := range []struct {
		step float64
		want int
	}{{1, 0}, {10, 0}, {0.5, 1}, {0.1, 1}, {0.0334, 2}, {0.025, 2}, {0.0001, 3}, {0, 0}} {
		if got := DecimalsFor(tc.step); got != tc.want {
			t.Errorf("DecimalsFor(%v) = %d, want %d", tc.step, got, tc.want)
		}
	}
	for _, tc := range []struct {
		v    float64
		want int
	}{{20, 0}, {-67.7, 1}, {-52.25, 2}, {1.0 / 3, 3}} {
		if got := decimalsOf(tc.v); got != tc.want {
			t.Errorf("decimalsOf(%v) = %d, want %d", tc.v, got, tc.want)
		}
	}
}

func TestTicks(t *testing.T) {
	tests := []struct {
		lo, hi float64
		n      int
		step   float64
		ticks  []float64
	}{
		{-70, 20, 4, 20, []float64{-60, -40, -20, 0, 20}},
		{-67.7, -52.1, 3, 5, []float64{-65, -60, -55}},
		{-67.7, -52.1, 5, 2, []float64{-66, -64, -62, -60, -58, -56, -54}},
		{0, 10, 2, 5, []float64{0, 5, 10}},
		{0, 0.3, 3, 0.1, []float64{0, 0.1, 0.2, 0.3}},
	}
	for _, tc := range tests {
		step := niceStep(tc.hi-tc.lo, tc.n)
		if step != tc.step {
			t.Errorf("niceStep(%v, %d) = %v, want %v", tc.hi-tc.lo, tc.n, step, tc.step)
			continue
		}
		got := ticks(tc.lo, tc.hi, step)
		if len(got) != len(tc.ticks) {
			t.Errorf("ticks(%v, %v, %v) = %v, want %v", tc.lo, tc.hi, step, got, tc.ticks)
			continue
		}
		for i := range got {
			if d := got[i] - tc.ticks[i]; d > 1e-9 || d < -1e-9 {
				t.Errorf("ticks(%v, %v, %v) = %v, want %v", tc.lo, tc.hi, step, got, tc.ticks)
				break
			}
		}
	}
}

func TestTicksOfHugeNumbersEnd(t *testing.T) {
	for _, r := range [][3]float64{{1e300, 2e300, 1e284}, {0, 1e6, 1e-3}, {1, 0, 1}} {
		if got := ticks(r[0], r[1], r[2]); len(got) > maxTicks {
			t.Errorf("ticks(%v, %v, %v): %d values", r[0], r[1], r[2], len(got))
		}
	}
	l, err := New(Spec{Width: 640, Height: 360, ColorBar: &ColorBar{Place: "right", LUT: testLUT(t), VMin: 1e300, VMax: 1.5e300}})
	if err != nil {
		t.Fatal(err)
	}
	l.NewDrawer().Draw(render.NewImage(640, 360), Frame{})
}

func TestRoundLength(t *testing.T) {
	tests := []struct{ want, most, got float64 }{
		{307, 384, 200},   // 500 is too long
		{837, 1046, 1000}, // nearer than 500 in ratio
		{80, 100, 100},
		{3.1, 3.9, 2},
		{0.7, 0.9, 0.5},
		{22.5, math.Inf(1), 20},
	}
	for _, tc := range tests {
		if got := roundLength(tc.want, tc.most); got != tc.got {
			t.Errorf("roundLength(%v, %v) = %v, want %v", tc.want, tc.most, got, tc.got)
		}
	}
}
