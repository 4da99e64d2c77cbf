package colormap

import (
	"fmt"
	"math"
)

// Sizes of the tables NewLUT makes for continuous maps.
const (
	minContinuousLUT = 256
	maxContinuousLUT = 1 << 16
)

// NewLUT makes the renderer's table for the map over [vmin, vmax]; for a
// plain matplotlib map the table is its N entries (so the lookup is exactly
// matplotlib's), for continuous maps (stepped ramps, custom lists) a table
// fine enough that no 8-bit step is lost: the smallest power of two from
// 256 up to 65536 entries whose neighbouring entries differ by at most one
// step in every channel (65536 if none does).
func NewLUT(m *Map, vmin, vmax float64) (*LUT, error) {
	if math.IsNaN(vmin) || math.IsNaN(vmax) || math.IsInf(vmin, 0) || math.IsInf(vmax, 0) {
		return nil, fmt.Errorf("limits %g and %g must be finite numbers", vmin, vmax)
	}
	if !(vmin < vmax) {
		return nil, fmt.Errorf("vmin (%g) must be below vmax (%g)", vmin, vmax)
	}
	if m.table != nil {
		table := make([][3]uint8, len(m.table))
		copy(table, m.table)
		return NewLUTFromTable(table, vmin, vmax)
	}
	var table [][3]uint8
	for n := minContinuousLUT; n <= maxContinuousLUT; n *= 2 {
		table = m.sampleTable(n)
		if maxNeighbourStep(table) <= 1 {
			break
		}
	}
	return NewLUTFromTable(table, vmin, vmax)
}

// sampleTable samples the map at n evenly spaced x from 0 to 1, rounded to
// 8-bit sRGB.
func (m *Map) sampleTable(n int) [][3]uint8 {
	table := make([][3]uint8, n)
	for i := range table {
		r, g, b := m.At(float64(i) / float64(n-1))
		table[i] = [3]uint8{to8bit(r), to8bit(g), to8bit(b)}
	}
	return table
}

// to8bit rounds a component in [0,1] to the nearest 8-bit value.
func to8bit(v float64) uint8 {
	return uint8(math.Round(math.Max(0, math.Min(1, v)) * 255))
}

// maxNeighbourStep returns the largest difference of any channel between
// neighbouring entries.
func maxNeighbourStep(table [][3]uint8) int {
	most := 0
	for i := 1; i < len(table); i++ {
		for c := range 3 {
			d := int(table[i][c]) - int(table[i-1][c])
			most = max(most, d, -d)
		}
	}
	return most
}
