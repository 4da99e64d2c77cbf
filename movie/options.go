package movie

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/overlay"
	"github.com/spikeframes/spikeframes/render"
)

// MaxSide bounds the picture's width and height, so that a typo cannot ask
// for terabytes.
const MaxSide = 16384

// Options is everything that decides what a movie's frames look like.
// DefaultOptions gives the command line's defaults; Validate checks a value.
type Options struct {
	// Geometry is how the cell is turned into tubes.
	Geometry Geometry
	// Width and Height are the picture's size in pixels.
	Width, Height int
	// View is where the camera looks from.
	View render.View
	// Orbit turns the camera this many degrees about the view's up axis over
	// the movie (0: a still camera).
	Orbit float64
	// Colors is how voltages become colours.
	Colors Colors
	// Look is how the coloured tubes are drawn.
	Look Look
	// Resample renders this many frames spread evenly over the recording,
	// interpolating voltages linearly in time; 0 renders one frame per
	// recorded frame.
	Resample int
	// Label is the text drawn in the top-left corner: "none", "time" (the
	// simulated time when TimeSpan or the recording gives it, else the
	// frame number) or "frame".
	Label string
	// TimeSpan is the simulated time of the recording's first and last
	// frames, for recordings that do not store it (BlenderSpike's); it
	// takes precedence over a span the recording stores.
	TimeSpan TimeSpan
	// Overlays are the annotations drawn over every frame.
	Overlays Overlays
}

// TimeSpan is the simulated time (ms) of a recording's first and last
// frames; the frames between are evenly spaced, as BlenderSpike resamples
// the whole run to its frames.
type TimeSpan struct {
	Start, Stop float64
	// Set says whether the span is given.
	Set bool
}

// Overlays are the annotations drawn over the frames, after shading and
// glow (see package overlay).
type Overlays struct {
	// ColorBar draws the colormap between the limits with round ticks, in
	// exactly the colours the frames show, at ColorBarPos ("right",
	// "left" or "bottom").
	ColorBar    bool
	ColorBarPos string
	// ColorBarLabel is the colour bar's unit label; "" is "mV".
	ColorBarLabel string
	// ScaleBar draws a bar of ScaleBarLength µm (0: a round length of
	// about a fifth of the picture's width) in the bottom-left corner. It
	// is exact in the plane through the framed centre of the cell, square
	// to the view: everywhere with an orthographic camera, at that depth
	// with a perspective one.
	ScaleBar       bool
	ScaleBarLength float64
	// Title is drawn centred at the top ("" draws none).
	Title string
	// Traces plots the voltage at the middle of these sections over the
	// whole recording in an inset, with a cursor at each frame's time:
	// "soma", a section index, or a section's name (or its type, when one
	// section has it). At most overlay.MaxLines.
	Traces []string
	// TextColor is the colour of the annotations' type and marks; nil
	// takes near-white or near-black, whichever contrasts more with the
	// background.
	TextColor *[3]uint8
}

// on reports whether an overlay other than the label is on.
func (v Overlays) on() bool {
	return v.ColorBar || v.ScaleBar || v.Title != "" || len(v.Traces) > 0
}

// Annotate turns on the common annotations: the colour bar, the scale bar
// and the time in the corner (unless a label is already chosen).
func (o *Options) Annotate() {
	o.Overlays.ColorBar, o.Overlays.ScaleBar = true, true
	if o.Label == "none" {
		o.Label = "time"
	}
}

// Geometry holds BlenderSpike's Neuron Builder controls.
type Geometry struct {
	// Prepare is centring, scaling, thickness and segmentation.
	Prepare morph.Options
	// Sides is the most vertices around a tube ring (rings of thin tubes
	// get fewer when the picture does not need them).
	Sides int
	// Caps closes the free tube ends with flat discs.
	Caps bool
	// SimplifySoma draws soma sections as spheres.
	SimplifySoma bool
}

// Colors says how a voltage becomes a colour.
type Colors struct {
	// Map is a colormap name ("plasma", "rocket_r") or a list of colours
	// ("#000000,#ff3000,#ffff80").
	Map string
	// Start and Stop cut out part of the map (0 and 1 keep all of it).
	Start, Stop float64
	// Steps rebuilds BlenderSpike's stepped colour ramp with this many stops;
	// 0 uses the map exactly.
	Steps int
	// VMin and VMax are the voltages (mV) at the map's two ends.
	VMin, VMax Limit
}

// Limit is a voltage limit: a value in mV, or Auto to take it from the
// recording's 0.5th (VMin) or 99.5th (VMax) percentile.
type Limit struct {
	Value float64
	Auto  bool
}

// Look is how the coloured tubes are drawn.
type Look struct {
	// AA is the anti-aliasing: AA × AA samples per pixel.
	AA int
	// MinWidth draws every branch at least this many pixels wide (0: true
	// widths).
	MinWidth float64
	// Shading is "emission" (the colormap's colour itself) or "lit" (a
	// diffuse headlight).
	Shading string
	// Emission multiplies the colour in linear light.
	Emission float64
	// Background is the sRGB colour behind the cell.
	Background [3]uint8
	// Bloom is the strength of the glow around the cell; 0 is off.
	Bloom float64
	// Transparent leaves the background clear: frames are RGBA, opaque
	// where the cell is and with the glow as their alpha, for compositing.
	// Background must stay black.
	Transparent bool
}

// DefaultOptions are the command line's defaults: BlenderSpike's geometry
// and colours, a 1920×1080 picture of the whole cell seen down −Z.
func DefaultOptions() Options {
	so := mesh.DefaultOptions()
	return Options{
		Geometry: Geometry{Prepare: morph.DefaultOptions(), Sides: so.Sides, Caps: so.Caps, SimplifySoma: so.SimplifySoma},
		Width:    1920,
		Height:   1080,
		View:     render.View{Plane: "xy", Zoom: 1},
		Colors:   Colors{Map: "plasma", Start: 0, Stop: 1, VMin: Limit{Value: -70}, VMax: Limit{Value: 20}},
		Look:     Look{AA: 2, MinWidth: 1, Shading: "emission", Emission: 1, Bloom: 0.6},
		Label:    "none",
		Overlays: Overlays{ColorBarPos: "right"},
	}
}

// OptionError is an option value that has no meaning (or, with New, that
// cannot work with the recording). Its message begins with the option's
// name as the command line spells it without dashes ("aa 9: must be 1 (off)
// to 8"), so that a caller can point at the flag to change.
type OptionError struct{ err error }

func (e *OptionError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.err }

// bad makes an OptionError for option set to value.
func bad(option string, value any, format string, a ...any) error {
	return &OptionError{fmt.Errorf("%s %v: %s", option, value, fmt.Sprintf(format, a...))}
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// Validate reports the first option that has no meaning, as an
// *OptionError. Limits are checked against each other only when neither is
// Auto; New checks them again once the recording is known.
func (o Options) Validate() error {
	if err := o.Geometry.Validate(); err != nil {
		return err
	}
	switch {
	case o.Width < 1 || o.Width > MaxSide:
		return bad("width", o.Width, "must be 1 to %d pixels", MaxSide)
	case o.Height < 1 || o.Height > MaxSide:
		return bad("height", o.Height, "must be 1 to %d pixels", MaxSide)
	case !(o.Look.MinWidth >= 0 && o.Look.MinWidth <= 100):
		return bad("min-width", o.Look.MinWidth, "must be 0 to 100 pixels")
	case o.Look.Shading != "emission" && o.Look.Shading != "lit":
		return bad("shading", o.Look.Shading, "want emission or lit")
	case o.Label != "none" && o.Label != "time" && o.Label != "frame":
		return bad("label", o.Label, "want none, time or frame")
	case o.View.Plane != "xy" && o.View.Plane != "xz" && o.View.Plane != "yz":
		return bad("view", o.View.Plane, "want xy, xz or yz")
	case !finite(o.View.Azimuth):
		return bad("azimuth", o.View.Azimuth, "must be a number of degrees")
	case !finite(o.View.Elevation):
		return bad("elevation", o.View.Elevation, "must be a number of degrees")
	case !finite(o.View.Roll):
		return bad("roll", o.View.Roll, "must be a number of degrees")
	case !(o.View.Zoom > 0) || math.IsInf(o.View.Zoom, 0):
		return bad("zoom", o.View.Zoom, "must be a positive number")
	case !(o.View.FOV >= 0 && o.View.FOV < 180):
		return bad("fov", o.View.FOV, "must be in (0, 180) degrees, or 0 for orthographic")
	case !finite(o.Orbit):
		return bad("orbit", o.Orbit, "must be a number of degrees")
	case o.Resample < 0:
		return bad("resample", o.Resample, "must be ≥ 0")
	case o.TimeSpan.Set && !(finite(o.TimeSpan.Start) && finite(o.TimeSpan.Stop) && o.TimeSpan.Start < o.TimeSpan.Stop):
		return bad("time-span", fmt.Sprintf("%g:%g", o.TimeSpan.Start, o.TimeSpan.Stop), "want START:STOP in ms with START < STOP")
	}
	if err := o.Overlays.Validate(); err != nil {
		return err
	}
	if o.Look.Transparent && o.Look.Background != [3]uint8{} {
		return bad("transparent", true, "a transparent frame has no background colour; leave background at #000000")
	}
	if err := render.CheckSamples(o.Width, o.Height, o.Look.AA); err != nil {
		return &OptionError{err}
	}
	if err := o.Look.style().Validate(); err != nil {
		return &OptionError{err}
	}
	return o.Colors.Validate()
}

// Longest texts an overlay takes, in characters.
const (
	maxTitle     = 200
	maxUnitLabel = 32
	maxTraceName = 200
)

// Validate reports the first overlay option that has no meaning.
func (v Overlays) Validate() error {
	if !slices.Contains(overlay.Places, v.ColorBarPos) {
		return bad("colorbar-pos", v.ColorBarPos, "want right, left or bottom")
	}
	if !(v.ScaleBarLength >= 0) || math.IsInf(v.ScaleBarLength, 0) {
		return bad("scalebar", v.ScaleBarLength, "must be a length in µm, or 0 for a round one")
	}
	if len(v.Traces) > overlay.MaxLines {
		return bad("trace", strings.Join(v.Traces, ","), "at most %d sections in the inset", overlay.MaxLines)
	}
	type text struct {
		option, text string
		most         int
	}
	texts := []text{{"title", v.Title, maxTitle}, {"colorbar-label", v.ColorBarLabel, maxUnitLabel}}
	for _, t := range v.Traces {
		texts = append(texts, text{"trace", t, maxTraceName})
	}
	for _, t := range texts {
		if n := utf8.RuneCountInString(t.text); n > t.most {
			return bad(t.option, fmt.Sprintf("%.20q…", t.text), "%d characters; at most %d", n, t.most)
		}
		if err := overlay.CheckText(t.text); err != nil {
			return bad(t.option, fmt.Sprintf("%q", t.text), "%v", err)
		}
	}
	return nil
}

// style is the renderer's part of the look.
func (l Look) style() render.Style {
	return render.Style{Background: l.Background, Emission: l.Emission, Bloom: l.Bloom}
}

// Validate reports the first geometry option that has no meaning.
func (g Geometry) Validate() error {
	if err := g.Prepare.Validate(); err != nil {
		return &OptionError{err}
	}
	if err := g.meshOptions(0, 0).Validate(); err != nil {
		return &OptionError{err}
	}
	return nil
}

// Validate reports the first colour option that has no meaning.
func (c Colors) Validate() error {
	for _, l := range []struct {
		name string
		l    Limit
	}{{"vmin", c.VMin}, {"vmax", c.VMax}} {
		if !l.l.Auto && !finite(l.l.Value) {
			return bad(l.name, l.l.Value, "must be a voltage in mV or auto")
		}
	}
	if !c.VMin.Auto && !c.VMax.Auto && !(c.VMin.Value < c.VMax.Value) {
		return bad("vmin", c.VMin.Value, "must be below vmax %g", c.VMax.Value)
	}
	_, err := c.colormap()
	return err
}

// colormap resolves the map with its sub-range and steps, in BlenderSpike's
// order: the sub-range first, then the stepped ramp.
func (c Colors) colormap() (*colormap.Map, error) {
	m, err := colormap.Get(c.Map)
	if err != nil {
		return nil, &OptionError{fmt.Errorf("cmap: %w", err)}
	}
	if m, err = m.Sub(c.Start, c.Stop); err != nil {
		return nil, &OptionError{fmt.Errorf("cmap-start/cmap-stop: %w", err)}
	}
	if c.Steps != 0 {
		if m, err = m.Stepped(c.Steps); err != nil {
			return nil, &OptionError{fmt.Errorf("cmap-steps: %w", err)}
		}
	}
	return m, nil
}
