package overlay

import (
	"fmt"
	"image"
	"math"

	"github.com/spikeframes/spikeframes/render"
)

// Spec is what a Layer draws on pictures of one size. Nil parts are not
// drawn.
type Spec struct {
	// Width and Height are the picture's size in pixels.
	Width, Height int
	// Colours are the annotations' colours (see ContrastingColours).
	Colours Colours
	// Title is drawn centred at the top; "" draws none.
	Title string
	// Clock keeps the top-left corner for the text each Frame brings (the
	// time or the frame number).
	Clock bool
	// ColorBar is the colour bar, ScaleBar the scale bar and Trace the
	// inset plot of voltage traces.
	ColorBar *ColorBar
	ScaleBar *ScaleBar
	Trace    *Trace
	// Legend names categorical colours at the top-right corner; it takes
	// the place of a colour bar on the right.
	Legend *Legend
}

// Frame is what changes from one frame to the next.
type Frame struct {
	// Clock is the text in the top-left corner (Spec.Clock).
	Clock string
	// Time is where the trace inset's cursor stands, in the units of
	// Trace.Time.
	Time float64
}

// Layer is the annotations of a movie, with everything that does not
// change drawn once. It is safe for concurrent use; each goroutine draws
// with its own Drawer.
type Layer struct {
	spec      Spec
	unit      float64 // a hundredth of the picture's shorter side, in pixels
	margin    int
	gap       int     // between a mark and its label
	tickLen   int     // ticks' length
	line      float64 // outlines', axes' and ticks' width
	clockFace *face
	small     *face
	// static holds the pre-drawn parts, in premultiplied RGBA at their
	// places in the picture.
	static []*image.RGBA
	trace  *tracePlot
}

// Sizes of the annotations, in hundredths of the picture's shorter side
// (with a floor in pixels so that small pictures stay legible).
const (
	marginUnits = 2.5
	clockUnits  = 3.6
	titleUnits  = 4.4
	smallUnits  = 2.7
	minClockPx  = 11
	minTitlePx  = 12
	minSmallPx  = 10
	// minStackedLines is the shortest a vertical colour bar may be, in
	// lines of its type, above the scale bar or the trace inset.
	minStackedLines = 6
)

// New checks s and draws its unchanging parts.
func New(s Spec) (*Layer, error) {
	if s.Width < 1 || s.Height < 1 {
		return nil, fmt.Errorf("picture size %d×%d: both sides must be positive", s.Width, s.Height)
	}
	if err := CheckText(s.Title); err != nil {
		return nil, fmt.Errorf("title: %w", err)
	}
	u := float64(min(s.Width, s.Height)) / 100
	l := &Layer{
		spec:    s,
		unit:    u,
		margin:  max(4, int(math.Round(marginUnits*u))),
		gap:     max(minLabelGapPx, int(math.Round(labelGapUnits*u))),
		tickLen: max(minTickPx, int(math.Round(tickUnits*u))),
		line:    math.Max(1, math.Round(outlineUnits*u)),
	}
	var err error
	if l.clockFace, err = newFace(math.Max(minClockPx, clockUnits*u)); err != nil {
		return nil, err
	}
	if l.small, err = newFace(math.Max(minSmallPx, smallUnits*u)); err != nil {
		return nil, err
	}
	top := l.margin // where the picture below the top line begins
	if s.Clock {
		top = max(top, l.margin+l.clockFace.lineHeight())
	}
	if s.Title != "" {
		p, bottom, err := l.title()
		if err != nil {
			return nil, err
		}
		l.static = append(l.static, p)
		top = max(top, bottom)
	}
	// The bottom corners: the scale bar on the left, the trace inset on
	// the right. A vertical colour bar stands above the one on its side,
	// or, where that leaves it too short, beside it at full height.
	var sb *scaleBarLayout
	var inset image.Rectangle
	var rows [][]int
	if s.ScaleBar != nil {
		if sb, err = l.layoutScaleBar(*s.ScaleBar); err != nil {
			return nil, err
		}
	}
	if s.Trace != nil {
		if inset, rows, err = l.layoutTrace(*s.Trace); err != nil {
			return nil, err
		}
	}
	if s.ColorBar != nil {
		var sbRect image.Rectangle
		if sb != nil {
			sbRect = sb.rect
		}
		b, err := l.layoutColorBar(*s.ColorBar, top, sbRect, inset)
		if err != nil {
			return nil, err
		}
		if b.vertical && b.bar.Dy() < minStackedLines*l.small.lineHeight() {
			if b, err = l.layoutColorBar(*s.ColorBar, top, image.Rectangle{}, image.Rectangle{}); err != nil {
				return nil, err
			}
			switch {
			case s.ColorBar.Place == "right" && !inset.Empty():
				inset = inset.Add(image.Pt(b.column.Min.X-l.margin-inset.Max.X, 0))
			case s.ColorBar.Place == "left" && sb != nil:
				sb.rect = sb.rect.Add(image.Pt(b.column.Max.X+l.margin-sb.rect.Min.X, 0))
			}
		}
		l.static = append(l.static, l.drawColorBar(*s.ColorBar, b))
	}
	if s.Legend != nil {
		if s.ColorBar != nil && s.ColorBar.Place == "right" {
			return nil, fmt.Errorf("a legend and a colour bar on the right would overlap")
		}
		p, err := l.drawLegend(*s.Legend, top)
		if err != nil {
			return nil, err
		}
		l.static = append(l.static, p)
	}
	if sb != nil {
		l.static = append(l.static, l.drawScaleBar(sb))
	}
	if s.Trace != nil {
		var p *image.RGBA
		p, l.trace = l.traceInset(*s.Trace, inset, rows)
		l.static = append(l.static, p)
	}
	return l, nil
}

// title draws the title centred at the top and returns where the line
// ends. A title wider than the picture is set smaller, down to the
// smallest type annotations use, and cut at the edges beyond that.
func (l *Layer) title() (*image.RGBA, int, error) {
	size := math.Max(minTitlePx, titleUnits*l.unit)
	f, err := newFace(size)
	if err != nil {
		return nil, 0, err
	}
	if w, room := f.width(l.spec.Title), l.spec.Width-2*l.margin; w > room {
		smaller := math.Max(l.small.size, size*float64(room)/float64(w))
		if f, err = newFace(math.Floor(smaller*4) / 4); err != nil {
			return nil, 0, err
		}
	}
	w := f.width(l.spec.Title)
	x := (l.spec.Width - w) / 2
	ink := newInk(image.Rect(x, l.margin, x+w, l.margin+f.lineHeight()))
	f.draw(ink, l.spec.Title, x, l.margin+f.ascent)
	return l.marks(ink, haloRadius(f.size), nil), l.margin + f.lineHeight(), nil
}

// marks turns ink into a layer patch: the halo, then whatever fill draws
// (may be nil) over it, then the ink in the text colour.
func (l *Layer) marks(ink *image.Alpha, haloR int, fill func(*image.RGBA)) *image.RGBA {
	h := halo(ink, haloR)
	p := image.NewRGBA(h.Rect)
	paintRGBA(p, h, l.spec.Colours.Halo, haloAlpha)
	if fill != nil {
		fill(p)
	}
	paintRGBA(p, ink, l.spec.Colours.Text, 1)
	return p
}

// Drawer draws a Layer onto frames, with scratch space of its own; it is
// not safe for concurrent use.
type Drawer struct {
	l                *Layer
	clock, clockHalo image.Alpha
	cursor           *image.Alpha
}

// NewDrawer returns a drawer for this layer's frames.
func (l *Layer) NewDrawer() *Drawer {
	d := &Drawer{l: l}
	if l.trace != nil {
		d.cursor = newInk(l.trace.cursorRect())
	}
	return d
}

// Draw lays the annotations over img, a frame of the layer's size.
func (d *Drawer) Draw(img *render.Image, f Frame) {
	l := d.l
	for _, p := range l.static {
		composite(img, p)
	}
	if l.spec.Clock && f.Clock != "" {
		d.drawClock(img, f.Clock)
	}
	if l.trace != nil {
		clear(d.cursor.Pix)
		l.trace.drawCursor(d.cursor, f.Time)
		paintImage(img, d.cursor, l.spec.Colours.Text, 1)
	}
}

// drawClock draws the clock text in the top-left corner.
func (d *Drawer) drawClock(img *render.Image, text string) {
	l, f := d.l, d.l.clockFace
	r := image.Rect(l.margin, l.margin, l.margin+f.width(text), l.margin+f.lineHeight())
	reuse(&d.clock, r)
	reuse(&d.clockHalo, r.Inset(-f.haloReach()))
	f.drawHalo(&d.clockHalo, text, l.margin, l.margin+f.ascent)
	f.draw(&d.clock, text, l.margin, l.margin+f.ascent)
	paintImage(img, &d.clockHalo, l.spec.Colours.Halo, haloAlpha)
	paintImage(img, &d.clock, l.spec.Colours.Text, 1)
}

// reuse makes m an empty mask over r, in m's memory when it is big enough.
func reuse(m *image.Alpha, r image.Rectangle) {
	n := r.Dx() * r.Dy()
	if cap(m.Pix) < n {
		m.Pix = make([]uint8, n)
	}
	m.Pix = m.Pix[:n]
	clear(m.Pix)
	m.Rect, m.Stride = r, r.Dx()
}
