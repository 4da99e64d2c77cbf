package render

//go:generate go run gen/fit_filmic.go

import (
	"fmt"
	"math"
)

// Tone is how linear light becomes display values.
type Tone string

// Tones.
const (
	// ToneNone encodes linear light as sRGB and clips it at 1, so that at
	// emission 1 every colour is exactly the colormap's.
	ToneNone Tone = "none"
	// ToneFilmic rolls light above 1 off softly and pulls very bright
	// colours towards white, as Blender's Filmic view transform (base
	// contrast, Blender 3.x's default) does: a curve fitted to Blender's
	// measured transform (see gen/fit_filmic.go).
	ToneFilmic Tone = "filmic"
)

// Validate reports a tone that has no meaning; "" is ToneNone.
func (t Tone) Validate() error {
	switch t {
	case "", ToneNone, ToneFilmic:
		return nil
	}
	return fmt.Errorf("tone %s: want none or filmic", string(t))
}

// Display values are kept in 8.8 fixed point (256 × an 8-bit level), so
// that an output byte is either rounded ((v + 128) >> 8) or dithered
// ((v + d) >> 8 with d in [0, 256)).
const (
	fixedOne  = 255 << 8
	fixedHalf = 128
)

// toneMap turns a pixel's linear light into 8-bit display values.
type toneMap struct {
	filmic bool
}

func newToneMap(t Tone) toneMap { return toneMap{filmic: t == ToneFilmic} }

// fixed converts linear light to display values in 8.8 fixed point.
func (tm toneMap) fixed(c [3]float32) (r, g, b uint32) {
	if !tm.filmic {
		return uint32(encodeFixed(c[0])), uint32(encodeFixed(c[1])), uint32(encodeFixed(c[2]))
	}
	if m := max(c[0], c[1], c[2]); m > filmicDesatM0 {
		c = desaturate(c, m)
	}
	return uint32(filmicFixed(c[0])), uint32(filmicFixed(c[1])), uint32(filmicFixed(c[2]))
}

// encode converts linear light to rounded 8-bit display values.
func (tm toneMap) encode(c [3]float32) (r, g, b uint8) {
	fr, fg, fb := tm.fixed(c)
	return uint8((fr + fixedHalf) >> 8), uint8((fg + fixedHalf) >> 8), uint8((fb + fixedHalf) >> 8)
}

// linear returns the linear light that this tone shows as the 8-bit
// display colour c, so that a background given as a display colour stays
// exactly that colour where nothing is added to it: the least light whose
// display value reaches c's level whole, so that dithering a faint glow
// over it never shows a level below c.
func (tm toneMap) linear(c [3]uint8) [3]float32 {
	if !tm.filmic {
		return [3]float32{decode8(c[0]), decode8(c[1]), decode8(c[2])}
	}
	// Bisect each channel, brightest first: desaturation depends only on
	// the brightest channel, which it leaves alone, and moves every other
	// channel monotonically.
	order := [3]int{0, 1, 2}
	for i := range 3 {
		for j := i + 1; j < 3; j++ {
			if c[order[j]] > c[order[i]] {
				order[i], order[j] = order[j], order[i]
			}
		}
	}
	var out [3]float32
	hi := float32(math.Exp2(filmicTableHi))
	for _, k := range order {
		lo, top := float32(0), hi
		for range 48 {
			mid := (lo + top) / 2
			out[k] = mid
			if got := tm.fixedChannel(out, k); got < uint32(c[k])<<8 {
				lo = mid
			} else {
				top = mid
			}
		}
		out[k] = top
		hi = top
	}
	return out
}

// fixedChannel is channel k of fixed(c).
func (tm toneMap) fixedChannel(c [3]float32, k int) uint32 {
	r, g, b := tm.fixed(c)
	return [3]uint32{r, g, b}[k]
}

// desaturate pulls colour c, whose brightest channel is m, towards white
// as Blender's Filmic does above filmicDesatM0.
func desaturate(c [3]float32, m float32) [3]float32 {
	k := float32(min(1, filmicDesatA*math.Pow(float64(m-filmicDesatM0), filmicDesatBeta)))
	return [3]float32{c[0] + k*(m-c[0]), c[1] + k*(m-c[1]), c[2] + k*(m-c[2])}
}

// The Filmic curve is tabulated over log2 of linear light, filmicPerStop
// entries per stop from 2^filmicTableLo to 2^filmicTableHi, indexed straight
// from a float32's exponent and top mantissa bits.
const (
	filmicMantissaBits = 9
	filmicPerStop      = 1 << filmicMantissaBits
	filmicTableLo      = -13 // below filmicLo: shown as 0
	filmicTableHi      = 5   // above filmicHi: shown as 1
	filmicShift        = 23 - filmicMantissaBits
	filmicBase         = uint32(127+filmicTableLo) << filmicMantissaBits
)

// filmicTable holds the display value (8.8 fixed point) of each bucket's
// centre.
var filmicTable = func() []uint16 {
	t := make([]uint16, (filmicTableHi-filmicTableLo)*filmicPerStop)
	for i := range t {
		v := filmicCurveAt(math.Log2(float64(filmicEntryValue(i))))
		t[i] = uint16(math.Round(v * fixedOne))
		if i > 0 {
			// The fitted spline wobbles by a hair where it meets 1.
			t[i] = max(t[i], t[i-1])
		}
	}
	return t
}()

// filmicEntryValue is the linear value at the centre of table entry i.
func filmicEntryValue(i int) float32 {
	lo := math.Float32frombits((filmicBase + uint32(i)) << filmicShift)
	hi := math.Float32frombits((filmicBase + uint32(i) + 1) << filmicShift)
	return (lo + hi) / 2
}

// filmicFixed is the Filmic display value of one channel of linear light,
// in 8.8 fixed point.
func filmicFixed(c float32) uint16 {
	bits := math.Float32bits(c)
	switch {
	case !(c > 0) || bits>>filmicShift < filmicBase:
		return 0
	case bits>>filmicShift >= filmicBase+uint32(len(filmicTable)):
		return fixedOne
	}
	return filmicTable[bits>>filmicShift-filmicBase]
}

// filmicCurveAt evaluates the fitted curve (a uniform cubic B-spline over
// [filmicLo, filmicHi]) at lx = log2 of linear light, clamped to [0, 1].
func filmicCurveAt(lx float64) float64 {
	if lx < filmicLo {
		return 0
	}
	n := len(filmicCurve)
	seg := n - 3
	t := (min(lx, filmicHi) - filmicLo) / (filmicHi - filmicLo) * float64(seg)
	i := min(int(t), seg-1)
	u := t - float64(i)
	w0 := (1 - u) * (1 - u) * (1 - u) / 6
	w1 := (3*u*u*u - 6*u*u + 4) / 6
	w2 := (-3*u*u*u + 3*u*u + 3*u + 1) / 6
	w3 := u * u * u / 6
	v := w0*filmicCurve[i] + w1*filmicCurve[i+1] + w2*filmicCurve[i+2] + w3*filmicCurve[i+3]
	return min(1, max(0, v))
}
