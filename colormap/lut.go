package colormap

import "fmt"

// LUT maps a value to one of a fixed table of sRGB colours. The value range
// [vmin, vmax] is split into len(RGB) equal bins; values outside it clamp to
// the first or last entry. With the N entries of a matplotlib colormap this
// is exactly matplotlib's own lookup rule (entry ⌊t·N⌋, t = 1 → N−1).
type LUT struct {
	// RGB holds the table's sRGB colours, lowest value first.
	RGB [][3]uint8

	lo, scale float32
	last      int
}

// NewLUTFromTable makes a LUT that spreads the colours of table over
// [vmin, vmax]. It needs at least one colour and vmin < vmax.
func NewLUTFromTable(table [][3]uint8, vmin, vmax float64) (*LUT, error) {
	if len(table) == 0 {
		return nil, fmt.Errorf("empty colour table")
	}
	if !(vmin < vmax) {
		return nil, fmt.Errorf("vmin (%g) must be below vmax (%g)", vmin, vmax)
	}
	return &LUT{
		RGB:   table,
		lo:    float32(vmin),
		scale: float32(float64(len(table)) / (vmax - vmin)),
		last:  len(table) - 1,
	}, nil
}

// Index returns the table entry for value v. It allocates nothing and its
// only branches are the clamp (NaN clamps to the first entry).
func (l *LUT) Index(v float32) int {
	t := (v - l.lo) * l.scale
	if !(t >= 0) {
		return 0
	}
	if t >= float32(l.last) {
		return l.last
	}
	return int(t)
}
