package movie

import (
	"math"

	"github.com/spikeframes/spikeframes/voltage"
)

// Percentiles of a recording's values that automatic limits take.
const (
	autoLow, autoHigh = 0.5, 99.5
)

// limits resolves the voltage limits, taking Auto ones from the recording's
// 0.5th and 99.5th percentiles rounded outwards to 0.1 mV (so they can be
// reused as numbers).
func (c Colors) limits(rec *voltage.Recording) (vmin, vmax float64, err error) {
	return c.limitsOf(func() (float64, float64, error) { return rec.Percentiles(autoLow, autoHigh) })
}

// Resolve returns the colours with automatic limits made numbers, taken
// from values as a movie takes them from a recording that it holds whole:
// their 0.5th and 99.5th percentiles rounded outwards to 0.1 mV. It reads
// values only when a limit is automatic, in two passes; it is how a cell
// read a frame at a time (Cell.Source) gets automatic limits.
func (c Colors) Resolve(values voltage.Values) (Colors, error) {
	vmin, vmax, err := c.limitsOf(func() (float64, float64, error) { return voltage.PercentilesOf(values, autoLow, autoHigh) })
	if err != nil {
		return c, err
	}
	c.VMin, c.VMax = Limit{Value: vmin}, Limit{Value: vmax}
	return c, nil
}

// limitsOf resolves the voltage limits, taking Auto ones from the 0.5th
// and 99.5th percentiles that percentiles gives.
func (c Colors) limitsOf(percentiles func() (lo, hi float64, err error)) (vmin, vmax float64, err error) {
	vmin, vmax = c.VMin.Value, c.VMax.Value
	if c.VMin.Auto || c.VMax.Auto {
		lo, hi, err := percentiles()
		if err != nil {
			return 0, 0, err
		}
		if c.VMin.Auto {
			vmin = math.Floor(lo*10) / 10
		}
		if c.VMax.Auto {
			vmax = math.Ceil(hi*10) / 10
		}
		if vmin >= vmax && c.VMin.Auto && c.VMax.Auto {
			vmin, vmax = vmin-1, vmax+1 // a flat recording
		}
	}
	if !(vmin < vmax) {
		return 0, 0, bad("vmin", vmin, "must be below vmax %g", vmax)
	}
	return vmin, vmax, nil
}
