package overlay

import (
	"fmt"
	"image"
	"math"
	"sort"
)

// Trace is an inset plot of voltage traces in the bottom-right corner, with
// a cursor at each frame's time.
type Trace struct {
	// Time holds the samples' times, ascending, in TimeUnit.
	Time []float64
	// TimeUnit labels the time axis ("ms", or "frame").
	TimeUnit string
	// Lines are the traces, each with a value per time sample.
	Lines []Line
	// Unit labels the value axis ("mV" when empty).
	Unit string
}

// unit is the value axis's label.
func (t Trace) unit() string {
	if t.Unit == "" {
		return "mV"
	}
	return t.Unit
}

// Line is one trace of the inset.
type Line struct {
	// Name is the trace's name in the legend.
	Name string
	// V holds the value (in Trace.Unit) at each time sample.
	V []float64
}

// MaxLines is the most lines an inset plots: each gets a dash pattern of
// its own.
const MaxLines = 4

// dashes are the lines' patterns, in line widths: solid, dashed, dotted,
// dash-dot. A near-zero dash drawn with round ends is a dot.
var dashes = [MaxLines][]float64{nil, {4, 2.5}, {0.01, 2.2}, {4, 2.2, 0.01, 2.2}}

// Inset proportions: its share of the picture's width and height, and in
// hundredths of the picture's shorter side its padding, line width and the
// cursor's dot radius. The backing behind it is the halo colour at
// backingAlpha.
const (
	insetWidthShare  = 0.34
	insetHeightShare = 0.27
	paddingUnits     = 1.2
	lineUnits        = 0.3
	minLinePx        = 1.2
	dotLines         = 1.6 // the cursor dot's radius in line widths
	backingAlpha     = 0.55
	legendDashEms    = 2.2
	minPlotLines     = 3
)

// tracePlot is a laid-out inset: where it is and how times and voltages
// map to pixels, for the per-frame cursor.
type tracePlot struct {
	inset            image.Rectangle
	left, top, right float64 // the plot area
	bottom           float64
	t0, t1, v0, v1   float64 // the axes' ranges
	lineWidth        float64
	time             []float64
	lines            []Line
}

func (p *tracePlot) x(t float64) float64 { return p.left + (t-p.t0)/(p.t1-p.t0)*(p.right-p.left) }
func (p *tracePlot) y(v float64) float64 { return p.bottom - (v-p.v0)/(p.v1-p.v0)*(p.bottom-p.top) }

// check reports a trace that cannot be plotted.
func (t Trace) check() error {
	n := len(t.Time)
	if n == 0 || len(t.Lines) == 0 || len(t.Lines) > MaxLines {
		return fmt.Errorf("trace: needs time samples and 1 to %d lines (has %d samples, %d lines)", MaxLines, n, len(t.Lines))
	}
	for i, v := range t.Time {
		if math.IsNaN(v) || math.IsInf(v, 0) || (i > 0 && v < t.Time[i-1]) {
			return fmt.Errorf("trace: times must be finite and ascending (sample %d is %v)", i, v)
		}
	}
	if err := CheckText(t.TimeUnit); err != nil {
		return fmt.Errorf("trace time unit: %w", err)
	}
	for _, l := range t.Lines {
		if len(l.V) != n {
			return fmt.Errorf("trace %s: %d values for %d time samples", l.Name, len(l.V), n)
		}
		for i, v := range l.V {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("trace %s: sample %d is %v", l.Name, i, v)
			}
		}
		if err := CheckText(l.Name); err != nil {
			return fmt.Errorf("trace %s: %w", l.Name, err)
		}
	}
	return nil
}

// padding is the space inside the inset's edges.
func (l *Layer) padding() int { return max(3, int(math.Round(paddingUnits*l.unit))) }

// legendSample is the length of a legend's line sample.
func (l *Layer) legendSample() float64 { return legendDashEms * l.small.size }

// layoutTrace sizes the inset and places it in the bottom-right corner.
// The voltage unit heads it, with the legend to its right, running on to
// further lines (rows of line indices) when it does not fit.
func (l *Layer) layoutTrace(t Trace) (inset image.Rectangle, rows [][]int, err error) {
	if err := t.check(); err != nil {
		return image.Rectangle{}, nil, err
	}
	f, m, gap, pad := l.small, l.margin, l.gap, l.padding()
	W, H := l.spec.Width, l.spec.Height
	lh := f.lineHeight()
	w := max(8*lh, int(math.Round(insetWidthShare*float64(W))))
	entryW := make([]int, len(t.Lines))
	for i, line := range t.Lines {
		entryW[i] = int(math.Ceil(l.legendSample())) + gap + f.width(line.Name)
	}
	rows = legendRows(entryW, w-2*pad-f.width(t.unit())-2*gap, w-2*pad, 2*gap)
	// At least minPlotLines lines of type tall inside, however small the
	// picture.
	need := 2*pad + len(rows)*lh + gap + lh/2 + minPlotLines*lh + l.tickLen + gap + lh
	h := max(need, int(math.Round(insetHeightShare*float64(H))))
	return image.Rect(W-m-w, H-m-h, W-m, H-m), rows, nil
}

// traceInset draws the inset's unchanging parts in its place: backing,
// axes with ticks, units, legend and the lines.
func (l *Layer) traceInset(t Trace, inset image.Rectangle, rows [][]int) (*image.RGBA, *tracePlot) {
	f, gap, pad, axis := l.small, l.gap, l.padding(), l.line
	tickLen := float64(l.tickLen)
	w, lh := inset.Dx(), f.lineHeight()
	sample := l.legendSample()
	p := &tracePlot{inset: inset, time: t.Time, lines: t.Lines, lineWidth: math.Max(minLinePx, lineUnits*l.unit)}
	p.t0, p.t1 = t.Time[0], t.Time[len(t.Time)-1]
	if p.t1 == p.t0 {
		p.t0, p.t1 = p.t0-0.5, p.t1+0.5
	}
	p.top = float64(inset.Min.Y + pad + len(rows)*lh + gap + lh/2)
	p.bottom = float64(inset.Max.Y-pad-lh-gap) - tickLen

	// Voltage ticks about every two lines of type.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, line := range t.Lines {
		for _, v := range line.V {
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	vstep := niceStep(hi-lo, max(1, int((p.bottom-p.top)/float64(2*lh))))
	p.v0, p.v1 = math.Floor(lo/vstep)*vstep, math.Ceil(hi/vstep)*vstep
	if p.v1-p.v0 < vstep/2 {
		p.v0, p.v1 = p.v0-vstep, p.v1+vstep
	}
	vticks := ticks(p.v0, p.v1, vstep)
	vlabels := make([]string, len(vticks))
	labelW := 0
	for i, v := range vticks {
		vlabels[i] = formatNumber(v, DecimalsFor(vstep))
		labelW = max(labelW, f.width(vlabels[i]))
	}
	// Time ticks about every three label widths, judged on the inset's
	// width before the plot area is known. The time unit follows the
	// tick labels, whose last may be centred on the axis's end.
	unitW := f.width(t.TimeUnit)
	tstep := niceStep(p.t1-p.t0, 1)
	for range 2 {
		tlabelW := max(f.width(formatNumber(p.t0, DecimalsFor(tstep))), f.width(formatNumber(p.t1, DecimalsFor(tstep))))
		tstep = niceStep(p.t1-p.t0, max(1, w/(3*tlabelW+3*gap)))
	}
	endLabelW := f.width(formatNumber(p.t1, DecimalsFor(tstep)))
	p.left = float64(inset.Min.X+pad+labelW+gap) + tickLen
	p.right = float64(inset.Max.X - pad - unitW - gap - endLabelW/2)

	ink := newInk(inset)
	// Axes, ticks and their labels.
	box(ink, p.left-axis, p.top, p.left, p.bottom+axis)
	box(ink, p.left-axis, p.bottom, p.right, p.bottom+axis)
	for i, v := range vticks {
		y := p.y(v)
		box(ink, p.left-axis-tickLen, y-axis/2, p.left-axis, y+axis/2)
		f.draw(ink, vlabels[i], int(p.left-axis-tickLen)-gap-f.width(vlabels[i]), int(math.Round(y+f.capHeight/2)))
	}
	for _, tv := range ticks(p.t0, p.t1, tstep) {
		x := p.x(tv)
		label := formatNumber(tv, DecimalsFor(tstep))
		box(ink, x-axis/2, p.bottom+axis, x+axis/2, p.bottom+axis+tickLen)
		f.draw(ink, label, int(math.Round(x))-f.width(label)/2, int(p.bottom+axis+tickLen)+gap+f.ascent)
	}
	f.draw(ink, t.TimeUnit, inset.Max.X-pad-unitW, inset.Max.Y-pad-f.descent)
	f.draw(ink, t.unit(), inset.Min.X+pad, inset.Min.Y+pad+f.ascent)
	// The legend, each line right-aligned.
	for r, row := range rows {
		head := inset.Min.Y + pad + r*lh + f.ascent
		x := inset.Max.X - pad
		for k := len(row) - 1; k >= 0; k-- {
			i := row[k]
			name := t.Lines[i].Name
			x -= f.width(name)
			f.draw(ink, name, x, head)
			x -= gap
			y := float64(head) - f.capHeight/2
			polyline(ink, [][2]float64{{float64(x) - sample, y}, {float64(x), y}}, p.lineWidth, p.pattern(i))
			x -= int(math.Ceil(sample)) + 2*gap
		}
	}
	// The lines.
	pts := make([][2]float64, len(t.Time))
	for i, line := range t.Lines {
		for k, tv := range t.Time {
			pts[k] = [2]float64{p.x(tv), p.y(line.V[k])}
		}
		polyline(ink, pts, p.lineWidth, p.pattern(i))
	}
	patch := image.NewRGBA(inset)
	back := newInk(inset)
	box(back, float64(inset.Min.X), float64(inset.Min.Y), float64(inset.Max.X), float64(inset.Max.Y))
	paintRGBA(patch, back, l.spec.Colours.Halo, backingAlpha)
	paintRGBA(patch, ink, l.spec.Colours.Text, 1)
	return patch, p
}

// legendRows splits legend entries of the given widths into lines: the
// first first pixels wide, the others rest wide, entries apart by space.
// An entry wider than its line gets a line of its own.
func legendRows(widths []int, first, rest, space int) [][]int {
	rows := [][]int{nil}
	room := first
	for i, w := range widths {
		row := rows[len(rows)-1]
		need := w
		if len(row) > 0 {
			need += space
		}
		if need > room && (len(row) > 0 || len(rows) == 1 && first < rest) {
			rows = append(rows, nil)
			row, room, need = nil, rest, w
		}
		rows[len(rows)-1] = append(row, i)
		room -= need
	}
	return rows
}

// pattern is line i's dash pattern in pixels.
func (p *tracePlot) pattern(i int) []float64 {
	d := dashes[i%MaxLines]
	if d == nil {
		return nil
	}
	out := make([]float64, len(d))
	for k, v := range d {
		out[k] = v * p.lineWidth
	}
	return out
}

// cursorRect is what the cursor can cover: the plot area and the dots'
// reach beyond it.
func (p *tracePlot) cursorRect() image.Rectangle {
	r := dotLines*p.lineWidth + 1
	return image.Rect(int(math.Floor(p.left-r)), int(math.Floor(p.top-r)), int(math.Ceil(p.right+r)), int(math.Ceil(p.bottom+r)))
}

// drawCursor marks time t: a line across the plot and a dot on each trace.
func (p *tracePlot) drawCursor(ink *image.Alpha, t float64) {
	t = math.Max(p.time[0], math.Min(p.time[len(p.time)-1], t))
	x := p.x(t)
	box(ink, x-p.lineWidth/3, p.top, x+p.lineWidth/3, p.bottom)
	k := sort.SearchFloat64s(p.time, t) // first sample at or after t
	for _, line := range p.lines {
		v := line.V[min(k, len(line.V)-1)]
		if k > 0 && k < len(p.time) && p.time[k] > t {
			w := (t - p.time[k-1]) / (p.time[k] - p.time[k-1])
			v = line.V[k-1] + w*(line.V[k]-line.V[k-1])
		}
		disc(ink, x, p.y(v), dotLines*p.lineWidth)
	}
}
