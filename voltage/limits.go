package voltage

import (
	"fmt"
	"math"
)

// limitBins is the histogram resolution used to find percentiles: the
// result is within (max−min)/limitBins of the exact order statistic.
const limitBins = 1 << 16

// Range returns the smallest and largest voltage in the recording.
func (r *Recording) Range() (lo, hi float32) {
	lo, hi = float32(math.Inf(1)), float32(math.Inf(-1))
	for _, t := range r.Traces {
		for _, v := range t.Values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	return lo, hi
}

// Percentiles returns the p-th and q-th percentiles (0 ≤ p < q ≤ 100) of
// every voltage in the recording, all sections and frames alike. It works
// from a histogram in two passes, so memory does not grow with the
// recording.
func (r *Recording) Percentiles(p, q float64) (float64, float64, error) {
	if !(p >= 0 && p < q && q <= 100) {
		return 0, 0, fmt.Errorf("percentiles %v, %v: want 0 ≤ p < q ≤ 100", p, q)
	}
	lo, hi := r.Range()
	if lo > hi {
		return 0, 0, fmt.Errorf("recording holds no voltages")
	}
	if lo == hi {
		return float64(lo), float64(hi), nil
	}
	var counts [limitBins]uint64
	scale := float64(limitBins) / (float64(hi) - float64(lo))
	var n uint64
	for _, t := range r.Traces {
		for _, v := range t.Values {
			counts[min(limitBins-1, int((float64(v)-float64(lo))*scale))]++
		}
		n += uint64(len(t.Values))
	}
	at := func(pc float64) float64 {
		rank := uint64(math.Round(pc / 100 * float64(n-1)))
		var seen uint64
		for i, c := range counts {
			if seen+c > rank {
				return float64(lo) + (float64(i)+0.5)/scale
			}
			seen += c
		}
		return float64(hi)
	}
	return math.Max(float64(lo), at(p)), math.Min(float64(hi), at(q)), nil
}
