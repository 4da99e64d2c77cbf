package voltage

import (
	"fmt"
	"math"
)

// limitBins is the histogram resolution used to find percentiles: the
// result is within (max−min)/limitBins of the exact order statistic.
const limitBins = 1 << 16

// Percentiles returns the p-th and q-th percentiles (0 ≤ p < q ≤ 100) of
// every voltage in the recording, all sections and frames alike (see
// PercentilesOf).
func (r *Recording) Percentiles(p, q float64) (float64, float64, error) {
	return PercentilesOf(r.values, p, q)
}

// values gives every trace's values.
func (r *Recording) values(yield func([]float32)) error {
	for _, t := range r.Traces {
		yield(t.Values)
	}
	return nil
}

// Values gives a stream of values: it calls yield with one chunk of them
// after another (yield keeps no chunk), and returns the first error met
// in reading them. Each call gives the same values anew.
type Values func(yield func(chunk []float32)) error

// PercentilesOf returns the p-th and q-th percentiles (0 ≤ p < q ≤ 100) of
// the values. It works from a histogram in two passes over them, so
// memory does not grow with the values, however many there are.
func PercentilesOf(values Values, p, q float64) (float64, float64, error) {
	if !(p >= 0 && p < q && q <= 100) {
		return 0, 0, fmt.Errorf("percentiles %v, %v: want 0 ≤ p < q ≤ 100", p, q)
	}
	lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
	err := values(func(chunk []float32) {
		for _, v := range chunk {
			lo, hi = min(lo, v), max(hi, v)
		}
	})
	switch {
	case err != nil:
		return 0, 0, err
	case lo > hi:
		return 0, 0, fmt.Errorf("recording holds no voltages")
	case lo == hi:
		return float64(lo), float64(hi), nil
	}
	counts := make([]uint64, limitBins)
	scale := float64(limitBins) / (float64(hi) - float64(lo))
	var n uint64
	err = values(func(chunk []float32) {
		for _, v := range chunk {
			counts[max(0, min(limitBins-1, int((float64(v)-float64(lo))*scale)))]++
		}
		n += uint64(len(chunk))
	})
	if err != nil {
		return 0, 0, err
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
