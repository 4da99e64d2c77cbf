package colormap

import (
	"fmt"
	"math"

	"github.com/lucasb-eyer/go-colorful"
)

// MaxSteps is the most stops a stepped ramp may have: Blender's colour ramp
// holds at most 32 (BlenderSpike's panel allows 2 to 30).
const MaxSteps = 32

// Map is a colormap: x in [0,1] → sRGB colour.
//
// A map is either a table (a matplotlib or seaborn colormap, or a cut of
// one), looked up exactly as matplotlib does, or continuous (a stepped ramp
// or a custom list of colours): evenly spaced stops blended linearly, in
// linear RGB or in sRGB.
type Map struct {
	// name is what the map was made from, for error messages.
	name string

	// table holds a table map's entries, lowest value first.
	table [][3]uint8

	// stops holds a continuous map's colours at x = 0, 1/(len−1), …, 1:
	// linear RGB components when linear is set, sRGB otherwise.
	stops  []colorful.Color
	linear bool
	// lo and hi are the part of the stops' [0,1] domain the map spans
	// (a sub-range of a continuous map narrows them).
	lo, hi float64
}

// At returns the sRGB colour (components in [0,1]) the map gives at x, x
// clamped to [0,1], by matplotlib's own rule for its N-entry table: entry
// ⌊x·N⌋, computed in float64, with x = 1 giving the last entry. NaN gives
// the colour at 0.
func (m *Map) At(x float64) (r, g, b float64) {
	if !(x >= 0) {
		x = 0
	}
	if x > 1 {
		x = 1
	}
	if m.table != nil {
		n := len(m.table)
		i := int(x * float64(n))
		if i >= n {
			i = n - 1
		}
		c := m.table[i]
		return float64(c[0]) / 255, float64(c[1]) / 255, float64(c[2]) / 255
	}
	return m.continuousAt(m.lo + x*(m.hi-m.lo))
}

// continuousAt blends the two stops around x in [0,1].
func (m *Map) continuousAt(x float64) (r, g, b float64) {
	segments := len(m.stops) - 1
	pos := x * float64(segments)
	k := int(pos)
	if k >= segments {
		k = segments - 1
	}
	t := pos - float64(k)
	c := m.stops[k].BlendRgb(m.stops[k+1], t)
	if m.linear {
		c = colorful.LinearRgb(c.R, c.G, c.B)
	}
	return c.R, c.G, c.B
}

// Sub cuts out [start, stop] as cmasher's get_sub_cmap does: a table map
// keeps its entries ⌊start·N⌋ to ⌈stop·N⌉−1 as a new table; a continuous
// map keeps the part of its domain between start and stop. Both must lie
// in [0,1], and the cut must keep at least one entry (for a continuous map:
// start < stop).
func (m *Map) Sub(start, stop float64) (*Map, error) {
	if !(start >= 0 && start <= 1) || !(stop >= 0 && stop <= 1) {
		return nil, fmt.Errorf("start %g and stop %g must lie in [0, 1]", start, stop)
	}
	name := fmt.Sprintf("%s[%g:%g]", m.name, start, stop)
	if m.table != nil {
		n := float64(len(m.table))
		first, end := int(math.Floor(start*n)), int(math.Ceil(stop*n))
		if end <= first {
			return nil, fmt.Errorf("cutting %s from %g to %g leaves no colour", m.name, start, stop)
		}
		table := make([][3]uint8, end-first)
		copy(table, m.table[first:end])
		return &Map{name: name, table: table}, nil
	}
	if !(start < stop) {
		return nil, fmt.Errorf("start %g must be below stop %g", start, stop)
	}
	sub := *m
	sub.name = name
	sub.lo, sub.hi = m.lo+start*(m.hi-m.lo), m.lo+stop*(m.hi-m.lo)
	return &sub, nil
}

// Samples returns the map's sRGB colours at n ≥ 2 evenly spaced x from 0
// to 1, placed as numpy's linspace places them (the last exactly at 1).
func (m *Map) Samples(n int) [][3]float64 {
	out := make([][3]float64, n)
	step := 1 / float64(n-1)
	for i := range out {
		x := float64(i) * step
		if i == n-1 {
			x = 1
		}
		r, g, b := m.At(x)
		out[i] = [3]float64{r, g, b}
	}
	return out
}

// Stepped returns the BlenderSpike colour ramp of n stops (n ≥ 2): the
// map's colours at x = 0, 1/(n−1), …, 1 (placed as numpy's linspace places
// them), blended linearly in linear RGB and shown back in sRGB, as
// Blender's colour ramp does with the linear colours BlenderSpike gives it.
func (m *Map) Stepped(n int) (*Map, error) {
	if n < 2 || n > MaxSteps {
		return nil, fmt.Errorf("%d steps: a ramp needs 2 to %d stops", n, MaxSteps)
	}
	stops := make([]colorful.Color, n)
	for k, c := range m.Samples(n) {
		lr, lg, lb := colorful.Color{R: c[0], G: c[1], B: c[2]}.LinearRgb()
		stops[k] = colorful.Color{R: lr, G: lg, B: lb}
	}
	return &Map{
		name:   fmt.Sprintf("%s/%d steps", m.name, n),
		stops:  stops,
		linear: true,
		lo:     0,
		hi:     1,
	}, nil
}
