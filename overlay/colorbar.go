package overlay

import (
	"fmt"
	"image"
	"math"
	"slices"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/render"
)

// ColorBar is the colormap between the voltage limits, with ticks.
type ColorBar struct {
	// Place is "right" or "left" (a vertical bar) or "bottom" (a
	// horizontal one).
	Place string
	// LUT is the colour table frames are shaded with and Look the frames'
	// look: the bar shows every value in the colour a frame shows it.
	LUT  *colormap.LUT
	Look render.Style
	// VMin and VMax are the LUT's limits in mV.
	VMin, VMax float64
	// Label is the unit label; "" means "mV".
	Label string
}

// Places are the colour bar's places.
var Places = []string{"right", "left", "bottom"}

// Colour bar proportions, in hundredths of the picture's shorter side:
// the bar's thickness, the longest a vertical bar gets, tick length and
// outline width. A horizontal bar spans at most barShare of the width.
const (
	barUnits     = 2.2
	minBarPx     = 4
	maxBarUnits  = 50
	tickUnits    = 0.8
	minTickPx    = 2
	outlineUnits = 0.12
	barShare     = 0.36
	minBarLength = 8
)

// tick is a labelled value on a bar or axis at pixel position pos along it.
type tick struct {
	v     float64
	pos   float64
	label string
}

// colorBarLayout is where a colour bar's parts go.
type colorBarLayout struct {
	bar      image.Rectangle // the coloured pixels
	column   image.Rectangle // a vertical bar with its ticks and labels
	vertical bool
	ticks    []tick
	unit     string
	unitAt   image.Point // the unit label's pen start on its baseline
}

// colourAt is the colour a frame shows for voltage v.
func (c ColorBar) colourAt(v float64) [3]uint8 {
	return c.Look.Shown(c.LUT.RGB[c.LUT.Index(float32(v))])
}

// valueAt is the voltage the bar shows at pixel i along it (top to bottom
// for a vertical bar, left to right for a horizontal one).
func (b *colorBarLayout) valueAt(c ColorBar, i int) float64 {
	n := float64(b.bar.Dx())
	if b.vertical {
		n = float64(b.bar.Dy())
		return c.VMax - (float64(i)+0.5)/n*(c.VMax-c.VMin)
	}
	return c.VMin + (float64(i)+0.5)/n*(c.VMax-c.VMin)
}

// barTicks labels both limits and the round values between them that are
// at least minGap pixels from them, about one every spacing pixels along a
// bar length pixels long; pos maps a value to its pixel position.
func barTicks(vmin, vmax, length, spacing, minGap float64, pos func(float64) float64) []tick {
	lo := tick{v: vmin, pos: pos(vmin), label: formatNumber(vmin, decimalsOf(vmin))}
	hi := tick{v: vmax, pos: pos(vmax), label: formatNumber(vmax, decimalsOf(vmax))}
	out := []tick{lo}
	step := niceStep(vmax-vmin, max(1, int(math.Round(length/spacing))))
	for _, v := range ticks(vmin, vmax, step) {
		p := pos(v)
		if math.Abs(p-lo.pos) >= minGap && math.Abs(p-hi.pos) >= minGap {
			out = append(out, tick{v: v, pos: p, label: formatNumber(v, DecimalsFor(step))})
		}
	}
	return append(out, hi)
}

// layoutColorBar places the bar below top and clear of the bottom
// corners' annotations.
func (l *Layer) layoutColorBar(c ColorBar, top int, bottomLeft, bottomRight image.Rectangle) (*colorBarLayout, error) {
	if !slices.Contains(Places, c.Place) {
		return nil, fmt.Errorf("colour bar place %q: want right, left or bottom", c.Place)
	}
	if c.LUT == nil || !(c.VMin < c.VMax) {
		return nil, fmt.Errorf("colour bar: needs a colour table and limits vmin < vmax (%g, %g)", c.VMin, c.VMax)
	}
	b := &colorBarLayout{vertical: c.Place != "bottom", unit: c.Label}
	if b.unit == "" {
		b.unit = "mV"
	}
	if err := CheckText(b.unit); err != nil {
		return nil, fmt.Errorf("colour bar label: %w", err)
	}
	f, u, m, gap := l.small, l.unit, l.margin, l.gap
	W, H := l.spec.Width, l.spec.Height
	lh := f.lineHeight()
	thick := max(minBarPx, int(math.Round(barUnits*u)))
	tickLen := l.tickLen + int(l.line)
	unitW := f.width(b.unit)
	span := c.VMax - c.VMin
	if b.vertical {
		colTop, colBottom := top+gap, H-m
		below := bottomRight
		if c.Place == "left" {
			below = bottomLeft
		}
		if !below.Empty() {
			colBottom = below.Min.Y - m
		}
		avail := colBottom - colTop - 2*lh - gap
		length := max(minBarLength, min(int(math.Round(maxBarUnits*u)), avail))
		y0 := colTop + lh + gap + lh/2 + max(0, avail-length)/2
		pos := func(v float64) float64 { return float64(y0) + (c.VMax-v)/span*float64(length) }
		b.ticks = barTicks(c.VMin, c.VMax, float64(length), 3*float64(lh), 1.3*float64(lh), pos)
		labelW := 0
		for _, t := range b.ticks {
			labelW = max(labelW, f.width(t.label))
		}
		x0 := m
		if c.Place == "right" {
			x0 = W - m - labelW - gap - tickLen - thick
		}
		b.bar = image.Rect(x0, y0, x0+thick, y0+length)
		b.column = image.Rect(x0, colTop, x0+thick+tickLen+gap+labelW, colBottom)
		ux := min(max(m, x0+thick/2-unitW/2), W-m-unitW)
		b.unitAt = image.Pt(ux, y0-lh/2-gap-f.descent)
		return b, nil
	}
	loW := f.width(formatNumber(c.VMin, decimalsOf(c.VMin)))
	hiW := f.width(formatNumber(c.VMax, decimalsOf(c.VMax)))
	left, right := m, W-m
	if !bottomLeft.Empty() {
		left = bottomLeft.Max.X + 2*m
	}
	if !bottomRight.Empty() {
		right = bottomRight.Min.X - 2*m
	}
	left += loW / 2
	right -= hiW/2 + gap + unitW
	length := max(minBarLength, min(int(math.Round(barShare*float64(W))), right-left))
	x0 := min(max(left, W/2-length/2), right-length)
	y0 := H - m - lh - gap - tickLen - thick
	pos := func(v float64) float64 { return float64(x0) + (v-c.VMin)/span*float64(length) }
	widest := float64(max(loW, hiW))
	b.ticks = barTicks(c.VMin, c.VMax, float64(length), 3*widest, widest+2*float64(gap), pos)
	b.bar = image.Rect(x0, y0, x0+length, y0+thick)
	b.unitAt = image.Pt(x0+length+hiW/2+gap, y0+thick/2+int(math.Round(f.capHeight/2)))
	return b, nil
}

// drawColorBar draws a laid-out colour bar: outline, ticks and labels in
// ink around the bar's own pixels.
func (l *Layer) drawColorBar(c ColorBar, b *colorBarLayout) *image.RGBA {
	f, gap, line, tickLen := l.small, l.gap, l.line, float64(l.tickLen)
	bar := b.bar
	r := bar.Inset(-int(line)).Union(image.Rectangle{Min: b.unitAt.Add(image.Pt(0, -f.ascent)), Max: b.unitAt.Add(image.Pt(f.width(b.unit), f.descent))})
	if b.vertical {
		r = r.Union(image.Rect(bar.Max.X, bar.Min.Y-f.lineHeight(), l.spec.Width, bar.Max.Y+f.lineHeight()))
	} else {
		r = r.Union(image.Rect(0, bar.Max.Y, l.spec.Width, bar.Max.Y+int(tickLen)+gap+f.lineHeight()))
	}
	r = r.Intersect(image.Rect(0, 0, l.spec.Width, l.spec.Height))
	ink := newInk(r)
	x0, y0, x1, y1 := float64(bar.Min.X), float64(bar.Min.Y), float64(bar.Max.X), float64(bar.Max.Y)
	box(ink, x0-line, y0-line, x1+line, y0)
	box(ink, x0-line, y1, x1+line, y1+line)
	box(ink, x0-line, y0, x0, y1)
	box(ink, x1, y0, x1+line, y1)
	for _, t := range b.ticks {
		w := f.width(t.label)
		if b.vertical {
			box(ink, x1, t.pos-line/2, x1+line+tickLen, t.pos+line/2)
			f.draw(ink, t.label, bar.Max.X+int(line+tickLen)+gap, int(math.Round(t.pos+f.capHeight/2)))
		} else {
			box(ink, t.pos-line/2, y1, t.pos+line/2, y1+line+tickLen)
			f.draw(ink, t.label, int(math.Round(t.pos))-w/2, bar.Max.Y+int(line+tickLen)+gap+f.ascent)
		}
	}
	f.draw(ink, b.unit, b.unitAt.X, b.unitAt.Y)
	return l.marks(ink, haloRadius(f.size), func(p *image.RGBA) {
		shown := bar.Intersect(p.Rect)
		for y := shown.Min.Y; y < shown.Max.Y; y++ {
			for x := shown.Min.X; x < shown.Max.X; x++ {
				i := x - bar.Min.X
				if b.vertical {
					i = y - bar.Min.Y
				}
				col := c.colourAt(b.valueAt(c, i))
				copy(p.Pix[p.PixOffset(x, y):], []uint8{col[0], col[1], col[2], 255})
			}
		}
	})
}
