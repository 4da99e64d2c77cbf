package movie

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// Bounds of a scene's values.
const (
	// MaxCells bounds the cells of one scene.
	MaxCells = 4096
	// MaxGap bounds Layout.Gap.
	MaxGap = 100
	// MaxOffset bounds a Placement's offsets (µm, either sign): a metre.
	MaxOffset = 1e6
)

// Cell is one recording in a scene: the cell, its voltages, where it
// stands and, when it differs from the rest, how it is coloured and when it
// was recorded.
type Cell struct {
	// Morph is the cell as recorded and Rec its voltages (nil for a
	// morphology alone, which only colourings other than ByVoltage show).
	Morph *morph.Cell
	Rec   *voltage.Recording
	// Place moves the cell in the scene.
	Place Placement
	// Colors, when set, colours this cell instead of Options.Colors
	// (automatic limits then come from this recording alone).
	Colors *Colors
	// TimeSpan, when set, is this recording's simulated time span; it takes
	// precedence over Options.TimeSpan and over a span the recording stores.
	TimeSpan TimeSpan
	// Source, when not nil, supplies Rec's values a frame at a time, as the
	// movie shows them: Rec then gives only the recording's shape (its
	// frames, each section's segment count, its time span, variable and
	// unit) and its values are not read. Automatic colour limits need every
	// value, so such a cell needs numbers for them (Colors.Resolve finds
	// them from a stream of the values).
	Source voltage.Source
	// Category is the cell's class, as ByCategory colours it (its
	// population in a network, its morphological type, …).
	Category string
}

// Placement moves a cell in the scene: it turns about its soma centre by
// Rotate, then stands where the layout puts it, then moves by Offset.
type Placement struct {
	// Offset is added to every point, in recorded µm.
	Offset [3]float64
	// Rotate turns the cell about its soma centre by these angles (degrees)
	// about the X, then the Y, then the Z axis.
	Rotate [3]float64
}

// Layout is how the cells of a scene stand.
type Layout struct {
	// Arrange is "recorded" (every cell where its recording puts it, as a
	// network simulated in one model already is), "row" (side by side from
	// left to right in the base view's plane, each centred on its soma, in
	// the order given) or "grid" (rows of ⌈√n⌉ such cells, top to bottom).
	Arrange string
	// Gap is the space between neighbouring cells of a row or a grid, as a
	// share of the largest cell's longer side in the base view's plane.
	Gap float64
}

// Validate reports a layout value that has no meaning.
func (l Layout) Validate() error {
	switch l.Arrange {
	case "recorded", "row", "grid":
	default:
		return bad("arrange", l.Arrange, "want recorded, row or grid")
	}
	return inRange("gap", l.Gap, 0, MaxGap)
}

// Validate reports a placement value that has no meaning.
func (p Placement) Validate() error {
	for a := range 3 {
		if err := inRange("offset", p.Offset[a], -MaxOffset, MaxOffset); err != nil {
			return err
		}
		if err := inRange("rotate", p.Rotate[a], -MaxAngle, MaxAngle); err != nil {
			return err
		}
	}
	return nil
}

// validateCells checks what NewScene is given besides the options; errors
// about a cell's own values are *OptionError naming the cell.
func validateCells(cells []Cell) error {
	if len(cells) == 0 || len(cells) > MaxCells {
		return fmt.Errorf("a scene holds 1 to %d cells, not %d", MaxCells, len(cells))
	}
	for i, c := range cells {
		if c.Morph == nil {
			return fmt.Errorf("cell %d: needs a cell", i)
		}
		if err := c.Validate(); err != nil {
			return &OptionError{err: fmt.Errorf("cell %d: %w", i, err)}
		}
	}
	return nil
}

// Validate reports the first of the cell's own values that has no meaning
// (its placement, colours or time span), as an *OptionError.
func (c Cell) Validate() error {
	err := c.Place.Validate()
	if err == nil && c.Colors != nil {
		err = c.Colors.Validate()
	}
	if err == nil && c.TimeSpan.Set {
		err = c.TimeSpan.validate()
	}
	return err
}

// validate reports a time span that has no meaning.
func (s TimeSpan) validate() error {
	if !(finite(s.Start) && finite(s.Stop) && s.Start < s.Stop) {
		return bad("time-span", fmt.Sprintf("%g:%g", s.Start, s.Stop), "want START:STOP in ms with START < STOP")
	}
	return nil
}

// sceneCell is a cell as the movie places, samples and colours it.
type sceneCell struct {
	morph *morph.Cell        // as recorded
	rec   *voltage.Recording // the values shaded: the recording, or made from the morphology
	// shape is what is meshed with geom: the recorded cell itself when it
	// stands where centring alone puts it, else a moved copy in scene
	// coordinates less the scene's origin (geom then centres nothing).
	shape *morph.Cell
	geom  Geometry
	move  func(morph.Point) morph.Point // recorded µm to shape's µm
	span  TimeSpan                      // its frames' times, if known
	own   *Colors                       // its own colours, or nil
	src   voltage.Source                // rec's values a frame at a time, or nil: rec holds them

	sampler      *voltage.Sampler
	first, count int // its probes in the movie's mesh
	vertices     int // its vertices in the movie's mesh
	vmin, vmax   float64
	band         *band // nil: the colour table takes its voltages as they are
}

// place maps a recorded point of the cell to mesh units.
func (c *sceneCell) place(p morph.Point) morph.Point {
	return c.geom.Prepare.Place(c.shape, c.move(p))
}

// placeCells stands every cell where its placement and the layout put it.
// With centring on, the scene's origin is the first cell's soma centre,
// where it stands; a single cell that is not moved is meshed as recorded,
// exactly as a movie of one cell always is.
func placeCells(cells []Cell, o Options) []*sceneCell {
	turns := make([]turn, len(cells))
	for i, c := range cells {
		turns[i] = newTurn(c.Place.Rotate, morph.SomaCenter(c.Morph))
	}
	shifts := arrange(cells, turns, o)
	var origin [3]float64
	if o.Geometry.Prepare.Center {
		soma := turns[0].about
		for a := range 3 {
			origin[a] = soma[a] + shifts[0][a]
		}
	}
	out := make([]*sceneCell, len(cells))
	for i, c := range cells {
		sc := &sceneCell{morph: c.Morph, rec: c.Rec, own: c.Colors, src: c.Source}
		var shift [3]float64
		for a := range 3 {
			shift[a] = shifts[i][a] - origin[a]
		}
		t := turns[i]
		unmoved := shift == [3]float64{}
		if o.Geometry.Prepare.Center {
			unmoved = shift == [3]float64{-t.about[0], -t.about[1], -t.about[2]}
		}
		if t.identity && unmoved {
			sc.shape, sc.geom = c.Morph, o.Geometry
			sc.move = func(p morph.Point) morph.Point { return p }
		} else {
			sc.move = func(p morph.Point) morph.Point {
				q := t.apply(p)
				return morph.Point{X: q.X + shift[0], Y: q.Y + shift[1], Z: q.Z + shift[2], Diam: q.Diam}
			}
			sc.shape = moveCell(c.Morph, sc.move)
			sc.geom = o.Geometry
			sc.geom.Prepare.Center = false
		}
		out[i] = sc
	}
	return out
}

// spanOf is the time span of a cell's frames, of the values rec shades,
// if known: the cell's own, else the options', else the one rec stores.
func spanOf(c Cell, rec *voltage.Recording, o Options) TimeSpan {
	switch {
	case c.TimeSpan.Set:
		return c.TimeSpan
	case o.TimeSpan.Set:
		return o.TimeSpan
	case rec.HasTime && rec.TStart < rec.TStop:
		return TimeSpan{Start: rec.TStart, Stop: rec.TStop, Set: true}
	}
	return TimeSpan{}
}

// moveCell copies cell with every point moved.
func moveCell(cell *morph.Cell, move func(morph.Point) morph.Point) *morph.Cell {
	out := &morph.Cell{Sections: make([]morph.Section, len(cell.Sections))}
	for i, s := range cell.Sections {
		pts := make([]morph.Point, len(s.Points))
		for j, p := range s.Points {
			pts[j] = move(p)
		}
		s.Points = pts
		out.Sections[i] = s
	}
	return out
}

// turn is a rotation about a point.
type turn struct {
	m        [3][3]float64
	about    [3]float64
	identity bool
}

// newTurn is the rotation by degrees about X, then Y, then Z, about the
// point c.
func newTurn(degrees [3]float64, c morph.Point) turn {
	t := turn{about: [3]float64{c.X, c.Y, c.Z}, identity: degrees == [3]float64{}}
	t.m = [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	for axis, deg := range degrees {
		if deg == 0 {
			continue
		}
		s, co := math.Sincos(deg * math.Pi / 180)
		var r [3][3]float64
		r[axis][axis] = 1
		i, j := (axis+1)%3, (axis+2)%3
		r[i][i], r[i][j], r[j][i], r[j][j] = co, -s, s, co
		t.m = mul3(r, t.m)
	}
	return t
}

func mul3(a, b [3][3]float64) [3][3]float64 {
	var c [3][3]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

// apply turns p (its diameter unchanged).
func (t turn) apply(p morph.Point) morph.Point {
	if t.identity {
		return p
	}
	d := [3]float64{p.X - t.about[0], p.Y - t.about[1], p.Z - t.about[2]}
	var q [3]float64
	for i := range 3 {
		q[i] = t.about[i] + t.m[i][0]*d[0] + t.m[i][1]*d[1] + t.m[i][2]*d[2]
	}
	return morph.Point{X: q[0], Y: q[1], Z: q[2], Diam: p.Diam}
}
