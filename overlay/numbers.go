package overlay

import (
	"math"
	"strconv"
	"strings"
)

// maxDecimals is the most decimals a number on an annotation shows.
const maxDecimals = 3

// formatNumber writes v with the given decimals and a real minus sign;
// a value that rounds to zero never shows as "−0".
func formatNumber(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if !strings.HasPrefix(s, "-") {
		return s
	}
	if strings.Trim(s[1:], "0.") == "" {
		return s[1:]
	}
	return string(minus) + s[1:]
}

// decimalsOf is the fewest decimals (up to maxDecimals) that write v
// exactly, or as closely as maxDecimals can.
func decimalsOf(v float64) int {
	for d := range maxDecimals {
		p := math.Pow(10, float64(d))
		if math.Abs(math.Round(v*p)/p-v) <= 1e-9*math.Max(1, math.Abs(v)) {
			return d
		}
	}
	return maxDecimals
}

// DecimalsFor is how many decimals tell values step apart (1 → 0, 0.5 → 1,
// 0.025 → 2, at most three). A movie's clock writes every frame's time with
// the decimals of its frame step, so the text does not jitter.
func DecimalsFor(step float64) int {
	if !(step > 0) || math.IsInf(step, 0) {
		return 0
	}
	return min(maxDecimals, max(0, int(math.Ceil(-math.Log10(step)-1e-9))))
}

// niceStep is the 1, 2 or 5 × 10ⁿ step nearest (in ratio) to splitting
// span into n parts.
func niceStep(span float64, n int) float64 {
	raw := span / float64(max(1, n))
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	return roundLength(raw, math.Inf(1))
}

// maxTicks bounds how many values ticks returns, whatever the numbers.
const maxTicks = 1000

// ticks returns the multiples of step within [lo, hi] (none if there would
// be more than maxTicks, or the numbers are too large to count in steps).
func ticks(lo, hi, step float64) []float64 {
	eps := step * 1e-9
	first, last := math.Ceil((lo-eps)/step), math.Floor((hi+eps)/step)
	if !(last-first < maxTicks) || math.Abs(first) > 1<<52 || math.Abs(last) > 1<<52 {
		return nil
	}
	var out []float64
	for k := first; k <= last; k++ {
		v := k * step
		if math.Abs(v) < eps {
			v = 0
		}
		out = append(out, v)
	}
	return out
}

// roundLength is the 1, 2 or 5 × 10ⁿ length nearest (in ratio) to want
// among those no longer than most (most ≥ want > 0).
func roundLength(want, most float64) float64 {
	best := 0.0
	top := math.Floor(math.Log10(math.Min(most, 10*want)))
	for e := top - 1; e <= top; e++ {
		for _, f := range []float64{1, 2, 5} {
			l := f * math.Pow(10, e)
			if l > most*(1+1e-12) {
				continue
			}
			if best == 0 || math.Abs(math.Log(l/want)) < math.Abs(math.Log(best/want)) {
				best = l
			}
		}
	}
	return best
}

// Quantity writes v with decimals decimals and a real minus sign, then a
// thin space and unit: "−12.50 ms".
func Quantity(v float64, decimals int, unit string) string {
	return formatNumber(v, decimals) + string(thinSpace) + unit
}
