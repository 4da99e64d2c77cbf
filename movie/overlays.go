package movie

import (
	"fmt"
	"strconv"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/overlay"
	"github.com/spikeframes/spikeframes/voltage"
)

// clock says when each frame is: the text in its corner and its place on
// the trace inset's time axis.
type clock struct {
	kind string // Options.Label
	// Simulated time of base frame 0 and per base frame (ms), when known;
	// else the axis counts output frames.
	known           bool
	start, perFrame float64
	outPerRecorded  float64 // output frames per base frame
	decimals        int     // of the time text, the same on every frame
	total, base     int
}

// newClock works out the time of a movie's total frames, spread over the
// timeline's base frames (a recording's own frames, for a single cell):
// the base is evenly spaced over the timeline's span, if known, and output
// frame k shows base frame frameTime(k, total, base).
func newClock(kind string, tl timeline, total int) *clock {
	c := &clock{kind: kind, total: total, base: tl.base}
	span := tl.span
	if tl.base > 1 {
		c.outPerRecorded = float64(total-1) / float64(tl.base-1)
	}
	if span.Set {
		c.known, c.start = true, span.Start
		if tl.base > 1 {
			c.perFrame = (span.Stop - span.Start) / float64(tl.base-1)
		}
		step := span.Stop - span.Start
		if total > 1 {
			step /= float64(total - 1)
		}
		c.decimals = overlay.DecimalsFor(step)
	}
	return c
}

// at is the place of base frame t (fractional) on the time axis: its
// simulated time in ms, or without one the output frame it falls on.
func (c *clock) at(t float64) float64 {
	if c.known {
		return c.start + t*c.perFrame
	}
	return t * c.outPerRecorded
}

// unit is the time axis's unit.
func (c *clock) unit() string {
	if c.known {
		return "ms"
	}
	return "frame"
}

// text is the label of output frame k, or "" for none.
func (c *clock) text(k int) string {
	switch {
	case c.kind == "time" && c.known:
		return overlay.Quantity(c.at(frameTime(k, c.total, c.base)), c.decimals, "ms")
	case c.kind == "time" || c.kind == "frame":
		return "frame " + strconv.Itoa(k)
	}
	return ""
}

// buildOverlays makes the annotation layer, if any annotation is on.
func (m *Movie) buildOverlays() error {
	o := m.opts
	if o.Label == "none" && !o.Overlays.on() {
		return nil
	}
	s := overlay.Spec{
		Width:   o.Width,
		Height:  o.Height,
		Colours: overlay.ContrastingColours(o.Look.Background),
		Title:   o.Overlays.Title,
		Clock:   o.Label != "none",
	}
	if c := o.Overlays.TextColor; c != nil {
		s.Colours = overlay.TextColours(*c)
	}
	switch {
	case o.Overlays.ColorBar && o.ColorBy == ByType:
		s.Legend = typeLegend(m.cells)
	case o.Overlays.ColorBar && o.ColorBy == ByCategory:
		s.Legend = categoryLegend(m.categories)
	case o.Overlays.ColorBar:
		s.ColorBar = &overlay.ColorBar{
			Place: o.Overlays.ColorBarPos,
			LUT:   m.barLUT, Look: m.style,
			VMin: m.vmin, VMax: m.vmax,
			Label: m.colorBarLabel(),
		}
	}
	if o.Overlays.ScaleBar {
		sb := overlay.ScaleBar{MicronsPerPixel: m.micronsPerPixel(), Length: o.Overlays.ScaleBarLength}
		if _, _, err := sb.Pixels(o.Width); err != nil {
			length := "auto"
			if sb.Length != 0 {
				length = strconv.FormatFloat(sb.Length, 'g', -1, 64)
			}
			return bad("scalebar", length, "%v", err)
		}
		s.ScaleBar = &sb
	}
	if len(o.Overlays.Traces) > 0 {
		t, err := m.traces()
		if err != nil {
			return err
		}
		s.Trace = t
	}
	var err error
	m.layer, err = overlay.New(s)
	return err
}

// micronsPerPixel is the recorded length a pixel spans in the plane
// through the framed centre of the cell, square to the view: the mesh is
// the recording's µm divided by Downscale. An orthographic camera, still
// or orbiting, has the same scale at every depth; a perspective one has it
// at that plane, which an orbit keeps at a fixed distance.
func (m *Movie) micronsPerPixel() float64 {
	return m.camera.UnitsPerPixel() * m.opts.Geometry.Prepare.Downscale
}

// traces samples the middle of each traced section at every base frame.
// A traced section may name its cell as a target does ("1:soma"); in a
// scene, the legend then names the cell too.
func (m *Movie) traces() (*overlay.Trace, error) {
	specs := m.opts.Overlays.Traces
	base := m.timeline.base
	t := &overlay.Trace{TimeUnit: m.clock.unit(), Lines: make([]overlay.Line, len(specs)), Time: make([]float64, base), Unit: m.colorBarLabel()}
	for b := range base {
		t.Time[b] = m.clock.at(float64(b))
	}
	v := make([]float32, 1)
	for i, spec := range specs {
		ci, rest := cellOf(spec)
		if ci >= len(m.cells) {
			return nil, bad("trace", spec, "no cell %d: the scene has cells 0…%d", ci, len(m.cells)-1)
		}
		c := m.cells[ci]
		sec, name, err := findSection(c.morph, rest)
		if err != nil {
			return nil, bad("trace", spec, "%v", err)
		}
		if len(m.cells) > 1 {
			name = fmt.Sprintf("%d: %s", ci, name)
		}
		sample, err := c.probe(morph.Probe{Section: int32(sec), Pos: 0.5})
		if err != nil {
			return nil, err
		}
		t.Lines[i] = overlay.Line{Name: name, V: make([]float64, base)}
		for b := range base {
			if err := sample(m.timeline.cellTime(c, float64(b)), v); err != nil {
				return nil, m.cellError(ci, fmt.Errorf("trace %s: %w", spec, err))
			}
			t.Lines[i].V[b] = float64(v[0])
		}
	}
	return t, nil
}

// findSection resolves a trace's section: "soma" (the first soma section),
// an index, a section's name, or a type only one section has. It returns
// the index and the name to show in the legend.
func findSection(cell *morph.Cell, spec string) (int, string, error) {
	secs := cell.Sections
	if i, err := strconv.Atoi(spec); err == nil {
		if i < 0 || i >= len(secs) {
			return 0, "", fmt.Errorf("no section %d: the cell has sections 0…%d", i, len(secs)-1)
		}
		if secs[i].Name != "" {
			return i, secs[i].Name, nil
		}
		return i, fmt.Sprintf("%s %d", secs[i].Type, i), nil
	}
	for i, s := range secs {
		if s.Name != "" && s.Name == spec {
			return i, spec, nil
		}
	}
	var typed []int
	for i, s := range secs {
		if s.Type == spec {
			typed = append(typed, i)
		}
	}
	switch {
	case len(typed) == 1 || (spec == "soma" && len(typed) > 0):
		return typed[0], spec, nil
	case len(typed) > 1:
		return 0, "", fmt.Errorf("%d sections are %s; give a section's index or name", len(typed), spec)
	}
	return 0, "", fmt.Errorf("no section has that name or type (use soma, an index 0…%d, or a name)", len(secs)-1)
}

// colorBarLabel is the colour bar's unit label: the one given, the unit of
// the shaded values, or the recorded variable's name when its unit is
// unknown.
func (m *Movie) colorBarLabel() string {
	switch {
	case m.opts.Overlays.ColorBarLabel != "":
		return m.opts.Overlays.ColorBarLabel
	case m.unit != "":
		return m.unit
	}
	return m.cells[0].rec.Variable
}

// typeLegend names the ByType colours of the section types the cells
// have.
func typeLegend(cells []*sceneCell) *overlay.Legend {
	have := make([]bool, len(TypeNames))
	for _, c := range cells {
		for _, s := range c.morph.Sections {
			have[typeClass(s.Type)] = true
		}
	}
	g := &overlay.Legend{}
	for i, name := range TypeNames {
		if have[i] {
			g.Entries = append(g.Entries, overlay.LegendEntry{Name: name, Colour: TypeColors[i]})
		}
	}
	return g
}

// categoryLegend names the ByCategory colours; past the legend's length,
// its last line says how many more categories there are.
func categoryLegend(names []string) *overlay.Legend {
	g := &overlay.Legend{}
	for i, name := range names {
		if i == overlay.MaxLegendEntries-1 && len(names) > overlay.MaxLegendEntries {
			g.Entries = append(g.Entries, overlay.LegendEntry{Name: fmt.Sprintf("%d more", len(names)-i), Colour: [3]uint8{128, 128, 128}})
			break
		}
		if name == "" {
			name = "(none)"
		}
		g.Entries = append(g.Entries, overlay.LegendEntry{Name: name, Colour: categoryColour(i)})
	}
	return g
}

// probe returns what samples one place of the cell's shaded values at a
// time in its frames, read a frame at a time if the cell's values are.
func (c *sceneCell) probe(p morph.Probe) (func(t float64, dst []float32) error, error) {
	sampler, err := voltage.NewSampler(c.rec, []morph.Probe{p})
	if err != nil {
		return nil, err
	}
	if c.src != nil {
		return voltage.NewWindow(c.rec, c.src, sampler).Sample, nil
	}
	return func(t float64, dst []float32) error { sampler.Sample(t, dst); return nil }, nil
}

// ValueAt returns the value that frame k shows at arc position pos (0…1)
// along section sec of cell i, as a trace plots it: between compartment
// centres the values are interpolated in space, between recorded frames in
// time (the ramps to branch points aside).
func (m *Movie) ValueAt(i, sec int, pos float64, k int) (float64, error) {
	if i < 0 || i >= len(m.cells) {
		return 0, fmt.Errorf("no cell %d: the scene has cells 0…%d", i, len(m.cells)-1)
	}
	if k < 0 || k >= m.frames {
		return 0, fmt.Errorf("frame %d: the movie has frames 0…%d", k, m.frames-1)
	}
	c := m.cells[i]
	sample, err := c.probe(morph.Probe{Section: int32(sec), Pos: float32(pos)})
	if err != nil {
		return 0, m.cellError(i, err)
	}
	v := make([]float32, 1)
	if err := sample(m.timeline.cellTime(c, frameTime(k, m.frames, m.timeline.base)), v); err != nil {
		return 0, m.cellError(i, err)
	}
	return float64(v[0]), nil
}
