package movie

import (
	"fmt"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/voltage"
)

// Sizes of a table shared by cells coloured differently: each colouring
// gets a band of the table, at most maxBand entries long, and all bands
// together are at most maxBandTotal entries long, so that voltages mapped
// into the bands as float32 stay well within an entry of their place.
const (
	maxBand      = 4096
	maxBandTotal = 1 << 20
)

// band maps a cell's voltages into its band of a shared colour table: the
// voltage's place between the cell's limits, clamped, lands in the band's
// entries [base·n, base·n+n), half an entry inside either end so that
// interpolation across a triangle never strays into the next band.
type band struct {
	base, lo, inv, n float32
}

// apply maps voltages in place.
func (b *band) apply(v []float32) {
	for i, x := range v {
		u := (x - b.lo) * b.inv
		switch {
		case !(u >= 0):
			u = 0
		case u > 1:
			u = 1
		}
		v[i] = b.base + (0.5+u*(b.n-1))/b.n
	}
}

// colouring is one distinct way cells are coloured: the colours and their
// resolved limits.
type colouring struct {
	colors     Colors
	vmin, vmax float64
}

// buildPalette resolves every cell's colours and limits and makes the
// shader's colour table. Cells without colours of their own share the
// options' colours, and their automatic limits come from all their
// recordings together. When every cell ends up coloured alike, the table
// is that colormap's, taking voltages as they are, as for a single cell;
// otherwise each distinct colouring gets a band of one table and each
// cell's voltages are mapped into its band before shading. The colour bar
// shows the first cell's colours.
func (m *Movie) buildPalette() error {
	o := m.opts
	var shared []*voltage.Recording
	for i, c := range m.cells {
		colors := o.Colors
		if c.own != nil {
			colors = *c.own
		} else {
			shared = append(shared, c.rec)
		}
		if c.src != nil && (colors.VMin.Auto || colors.VMax.Auto) {
			return m.cellError(i, bad("vmin", "auto", "needs every value of the recording, and this one is read a frame at a time: give --vmin and --vmax as numbers"))
		}
	}
	var sharedMin, sharedMax float64
	if len(shared) > 0 {
		var err error
		if sharedMin, sharedMax, err = o.Colors.limits(joinRecordings(shared)); err != nil {
			return err
		}
	}
	var kinds []colouring
	kindOf := make([]int, len(m.cells))
	for i, c := range m.cells {
		k := colouring{colors: o.Colors, vmin: sharedMin, vmax: sharedMax}
		if c.own != nil {
			var err error
			k.colors = *c.own
			if k.vmin, k.vmax, err = c.own.limits(c.rec); err != nil {
				return &OptionError{err: fmt.Errorf("cell %d: %w", i, err)}
			}
		}
		c.vmin, c.vmax = k.vmin, k.vmax
		kindOf[i] = len(kinds)
		for j, seen := range kinds {
			if seen == k {
				kindOf[i] = j
			}
		}
		if kindOf[i] == len(kinds) {
			kinds = append(kinds, k)
		}
	}
	tables := make([][][3]uint8, len(kinds))
	for j, k := range kinds {
		lut, err := k.lut()
		if err != nil {
			return err
		}
		if j == kindOf[0] {
			m.barLUT = lut
		}
		tables[j] = lut.RGB
	}
	m.vmin, m.vmax = m.cells[0].vmin, m.cells[0].vmax
	if len(kinds) == 1 {
		m.lut = m.barLUT
		return nil
	}
	n := min(maxBand, maxBandTotal/len(kinds))
	longest := 0
	for _, t := range tables {
		longest = max(longest, len(t))
	}
	n = min(n, longest)
	joined := make([][3]uint8, 0, n*len(kinds))
	for _, t := range tables {
		joined = append(joined, resampleTable(t, n)...)
	}
	var err error
	if m.lut, err = colormap.NewLUTFromTable(joined, 0, float64(len(kinds))); err != nil {
		return err
	}
	for i, c := range m.cells {
		c.band = &band{base: float32(kindOf[i]), lo: float32(c.vmin), inv: float32(1 / (c.vmax - c.vmin)), n: float32(n)}
	}
	return nil
}

// lut is the colouring's own table.
func (k colouring) lut() (*colormap.LUT, error) {
	cmap, err := k.colors.colormap()
	if err != nil {
		return nil, err
	}
	lut, err := colormap.NewLUT(cmap, k.vmin, k.vmax)
	if err != nil {
		return nil, &OptionError{err: err}
	}
	return lut, nil
}

// resampleTable stretches or thins a colour table to n entries, each
// taking the entry of the original that covers its centre.
func resampleTable(t [][3]uint8, n int) [][3]uint8 {
	out := make([][3]uint8, n)
	for j := range out {
		out[j] = t[min(len(t)-1, (2*j+1)*len(t)/(2*n))]
	}
	return out
}

// joinRecordings is one recording holding the traces of all of recs, for
// limits taken over all of them (only its traces are meaningful).
func joinRecordings(recs []*voltage.Recording) *voltage.Recording {
	if len(recs) == 1 {
		return recs[0]
	}
	joined := &voltage.Recording{}
	for _, r := range recs {
		joined.Traces = append(joined.Traces, r.Traces...)
	}
	return joined
}
