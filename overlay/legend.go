package overlay

import (
	"fmt"
	"image"
	"math"
)

// Legend names the colours of a picture coloured by category (section
// types, populations): a swatch and a name per entry, in a column at the
// top-right corner.
type Legend struct {
	Entries []LegendEntry
}

// LegendEntry is one colour of a Legend and what it stands for.
type LegendEntry struct {
	Name   string
	Colour [3]uint8
}

// MaxLegendEntries bounds a legend's length.
const MaxLegendEntries = 16

// drawLegend draws the legend's column, its top at top, against the right
// margin.
func (l *Layer) drawLegend(g Legend, top int) (*image.RGBA, error) {
	if len(g.Entries) == 0 || len(g.Entries) > MaxLegendEntries {
		return nil, fmt.Errorf("legend: %d entries, want 1 to %d", len(g.Entries), MaxLegendEntries)
	}
	f := l.small
	swatch := int(math.Round(f.capHeight * 1.4))
	widest := 0
	for _, e := range g.Entries {
		if err := CheckText(e.Name); err != nil {
			return nil, fmt.Errorf("legend: %w", err)
		}
		widest = max(widest, f.width(e.Name))
	}
	space := l.gap + swatch/2 // between a swatch and its name
	x0 := l.spec.Width - l.margin - widest - space - swatch
	step := f.lineHeight() + l.gap/2
	r := image.Rect(x0-int(l.line), top, l.spec.Width-l.margin, top+len(g.Entries)*step).Intersect(image.Rect(0, 0, l.spec.Width, l.spec.Height))
	ink := newInk(r)
	swatches := make([]image.Rectangle, len(g.Entries))
	for i, e := range g.Entries {
		baseline := top + i*step + f.ascent
		mid := float64(baseline) - f.capHeight/2
		s := image.Rect(x0, int(math.Round(mid))-swatch/2, x0+swatch, int(math.Round(mid))-swatch/2+swatch)
		swatches[i] = s
		lw := l.line
		box(ink, float64(s.Min.X)-lw, float64(s.Min.Y)-lw, float64(s.Max.X)+lw, float64(s.Min.Y))
		box(ink, float64(s.Min.X)-lw, float64(s.Max.Y), float64(s.Max.X)+lw, float64(s.Max.Y)+lw)
		box(ink, float64(s.Min.X)-lw, float64(s.Min.Y), float64(s.Min.X), float64(s.Max.Y))
		box(ink, float64(s.Max.X), float64(s.Min.Y), float64(s.Max.X)+lw, float64(s.Max.Y))
		f.draw(ink, e.Name, x0+swatch+space, baseline)
	}
	return l.marks(ink, haloRadius(f.size), func(p *image.RGBA) {
		for i, e := range g.Entries {
			s := swatches[i].Intersect(p.Rect)
			for y := s.Min.Y; y < s.Max.Y; y++ {
				for x := s.Min.X; x < s.Max.X; x++ {
					copy(p.Pix[p.PixOffset(x, y):], []uint8{e.Colour[0], e.Colour[1], e.Colour[2], 255})
				}
			}
		}
	}), nil
}
