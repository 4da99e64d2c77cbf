package movie

import (
	"errors"
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

// Bounds of the options' values: each keeps the picture, the camera and the
// arithmetic behind them finite and meaningful.
const (
	// MaxSide bounds the picture's width and height, so that a typo cannot
	// ask for terabytes.
	MaxSide = 16384
	// MinZoom and MaxZoom bound View.Zoom.
	MinZoom, MaxZoom = 1e-3, 1e3
	// MinFOV and MaxFOV bound a perspective camera's View.FOV (degrees).
	MinFOV, MaxFOV = 0.1, 179
	// MaxAngle bounds angles (degrees, either sign): beyond it turns lose
	// precision.
	MaxAngle = 1e6
	// MaxMinWidth bounds Look.MinWidth (pixels).
	MaxMinWidth = 100
	// MaxEmission and MaxBloom bound Look.Emission and Look.Bloom.
	MaxEmission, MaxBloom = 1000, 1000
	// MaxVoltage bounds the limits (mV, either sign).
	MaxVoltage = 1e9
	// MaxFrames bounds Resample: 93 hours at 30 frames per second.
	MaxFrames = 10_000_000
	// MaxTime bounds a keyframe's Time (ms, either sign).
	MaxTime = 1e12
)

// Options is everything that decides what a movie's frames look like.
// DefaultOptions gives the command line's defaults; Validate checks a value.
type Options struct {
	// Geometry is how the cell is turned into tubes.
	Geometry Geometry
	// Width and Height are the picture's size in pixels.
	Width, Height int
	// View is where the camera looks from.
	View render.View
	// Target is the point the camera looks at and zooms and orbits about:
	// "soma", a section's index or recorded name (its arc-length midpoint),
	// or "X,Y,Z" in recorded µm. "" centres the whole cell's bounding box.
	// At zoom 1 the whole cell fits the picture either way.
	Target string
	// Orbit turns the camera this many degrees about the view's up axis over
	// the movie (0: a still camera).
	Orbit float64
	// Keys move the camera through keyframes (see Keyframe); with keys, the
	// camera is theirs, and View gives only the base plane.
	Keys []Keyframe
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
	// ColorBy is what the cell's colours show: ByVoltage (the recording,
	// through the colormap), ByType (TypeColors), ByDistance (path distance
	// from the soma in µm, through the colormap and the limits, which are
	// then in µm), ByColor (Color everywhere) or ByCategory (each cell's
	// Category, CategoryColors; the colour bar is then a legend of them).
	// Only ByVoltage needs a recording.
	ColorBy string
	// Color is the colour of ByColor (sRGB).
	Color [3]uint8
	// Layout is how the cells of a scene of several recordings stand side
	// by side (see NewScene); a movie of one cell ignores it.
	Layout Layout
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
	// "left" or "bottom"); colouring by type, it draws a legend of the
	// types at the top-right corner instead.
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

// Keyframe is the camera at one frame of a moving-camera movie. Between
// keyframes every quantity follows a smooth curve whose speed never jumps
// (easing out of the first keyframe and into the last); before the first
// and after the last the camera holds still.
type Keyframe struct {
	// Frame is the output frame the keyframe holds at.
	Frame float64
	// Target is what the camera looks at, as Options.Target ("" is the
	// centre of the cell's bounding box).
	Target string
	// Zoom (0 means 1), Azimuth, Elevation, Roll and FOV are as in
	// render.View; either every keyframe is perspective (FOV > 0) or none.
	Zoom, Azimuth, Elevation, Roll, FOV float64
	// Time, when set, is the simulated time (ms) the keyframe holds at,
	// instead of Frame; the movie must know its frames' times (a time span
	// stored in the recordings or given as TimeSpan).
	Time *float64
}

// Geometry holds BlenderSpike's Neuron Builder controls.
type Geometry struct {
	// Prepare is centring, scaling, thickness and segmentation.
	Prepare morph.Options
	// Sides is the most vertices around a tube ring (rings of thin tubes
	// get fewer when the picture does not need them).
	Sides int
	// Caps closes the free tips with flat discs instead of rounding them.
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

// Look is how the coloured tubes are drawn. ApplyLook sets its fields (and
// the colour ramp's steps) to a named look.
type Look struct {
	// AA is the anti-aliasing: AA × AA samples per pixel, on a rotated grid.
	AA int
	// MinWidth draws every branch at least this many pixels wide (0: true
	// widths); a widened branch is dimmed in proportion, so it looks as
	// bright as its true width would at any picture size.
	MinWidth float64
	// Shading is "emission" (the colormap's colour itself) or "lit" (a key
	// and a fill light, so that the tubes' roundness reads).
	Shading string
	// DepthCue dims the farthest parts of the cell by this share (0 to 1;
	// 0 is off), the nearest not at all.
	DepthCue float64
	// Emission multiplies the colour in linear light.
	Emission float64
	// Tone is how light becomes display colours: "none" (sRGB, clipping
	// above 1: at emission 1 the colormap's colours exactly) or "filmic"
	// (Blender's Filmic view transform: light above 1 rolls off softly).
	Tone string
	// Background is the sRGB colour behind the cell.
	Background [3]uint8
	// Bloom is the strength of the glow around the cell's bright parts:
	// its total light as a share of the light above BloomThreshold; 0 is
	// off. The glow lights the background, never a pixel the cell covers.
	Bloom float64
	// Transparent leaves the background clear: frames are RGBA, opaque
	// where the cell is and with the glow as their alpha, for compositing.
	// Background must stay black.
	Transparent bool
	// BloomThreshold is the brightness (linear light of a pixel's brightest
	// channel, after emission) from which parts glow, easing in below it;
	// 0 lets everything glow.
	BloomThreshold float64
}

// Looks are the names ApplyLook knows, the default first.
var Looks = []string{"exact", "blender"}

// looks are the named looks' settings.
var looks = map[string]lookSettings{
	// The colormap's colours exactly, with a faint glow around the
	// brightest parts.
	"exact": {emission: 1, tone: "none", bloom: 0.3, bloomThreshold: 0.5, steps: 0},
	// BlenderSpike's EEVEE look: emission 2 seen through Filmic, the
	// 10-step colour ramp, and EEVEE's bloom at its defaults (threshold
	// 0.8, intensity 0.05) as far as ours matches it.
	"blender": {emission: 2, tone: "filmic", bloom: 0.36, bloomThreshold: 0.8, steps: 10},
}

// lookSettings are the options a named look sets.
type lookSettings struct {
	emission       float64
	tone           string
	bloom          float64
	bloomThreshold float64
	steps          int
}

func (l lookSettings) apply(o *Options) {
	o.Look.Emission, o.Look.Tone = l.emission, l.tone
	o.Look.Bloom, o.Look.BloomThreshold = l.bloom, l.bloomThreshold
	o.Colors.Steps = l.steps
}

// ApplyLook sets the options that make up a named look: "exact" (the
// default: the colormap's colours exactly, with a faint glow around the
// brightest parts) or "blender" (BlenderSpike's EEVEE look: emission 2
// through Filmic, the 10-step colour ramp and a thresholded bloom). It sets
// Look.Emission, Look.Tone, Look.Bloom, Look.BloomThreshold and
// Colors.Steps and leaves every other option as it is, so that a caller can
// apply a look first and then the options the user set.
func (o *Options) ApplyLook(name string) error {
	l, ok := looks[name]
	if !ok {
		return bad("look", name, "want exact or blender")
	}
	l.apply(o)
	return nil
}

// DefaultOptions are the command line's defaults: BlenderSpike's geometry
// and colours, a 1920×1080 picture of the whole cell seen down −Z.
func DefaultOptions() Options {
	so := mesh.DefaultOptions()
	o := Options{
		Geometry: Geometry{Prepare: morph.DefaultOptions(), Sides: so.Sides, Caps: so.Caps, SimplifySoma: so.SimplifySoma},
		Width:    1920,
		Height:   1080,
		View:     render.View{Plane: "xy", Zoom: 1},
		Colors:   Colors{Map: "plasma", Start: 0, Stop: 1, VMin: Limit{Value: -70}, VMax: Limit{Value: 20}},
		Look:     Look{AA: 2, MinWidth: 1, Shading: "emission"},
		Label:    "none",
		Overlays: Overlays{ColorBarPos: "right"},
		ColorBy:  ByVoltage,
		Color:    [3]uint8{230, 230, 230},
		Layout:   Layout{Arrange: "recorded", Gap: 0.1},
	}
	looks[Looks[0]].apply(&o)
	return o
}

// OptionError is an option value that has no meaning (or, with New, that
// cannot work with the recording). Its message begins with the option's
// name as the command line spells it without dashes ("aa 9: must be 1 (off)
// to 8"), so that a caller can point at the flag to change; Others names
// further options the message suggests changing, each of which it
// mentions by name.
type OptionError struct {
	err    error
	Others []string
}

func (e *OptionError) Error() string { return e.err.Error() }

// Unwrap returns the underlying error.
func (e *OptionError) Unwrap() error { return e.err }

// bad makes an OptionError for option set to value.
func bad(option string, value any, format string, a ...any) error {
	return &OptionError{err: fmt.Errorf("%s %v: %s", option, value, fmt.Sprintf(format, a...))}
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
	case o.Look.Shading != "emission" && o.Look.Shading != "lit":
		return bad("shading", o.Look.Shading, "want emission or lit")
	case !(o.Look.DepthCue >= 0 && o.Look.DepthCue <= 1):
		return bad("depth-cue", o.Look.DepthCue, "must be 0 (off) to 1")
	case o.Look.Tone != "none" && o.Look.Tone != "filmic":
		return bad("tone", o.Look.Tone, "want none or filmic")
	case o.Label != "none" && o.Label != "time" && o.Label != "frame":
		return bad("label", o.Label, "want none, time or frame")
	case o.Resample < 0 || o.Resample > MaxFrames:
		return bad("resample", o.Resample, "must be 0 (one frame per recorded frame) to %d", MaxFrames)
	case o.TimeSpan.Set && !(finite(o.TimeSpan.Start) && finite(o.TimeSpan.Stop) && o.TimeSpan.Start < o.TimeSpan.Stop):
		return bad("time-span", fmt.Sprintf("%g:%g", o.TimeSpan.Start, o.TimeSpan.Stop), "want START:STOP in ms with START < STOP")
	}
	if err := o.Overlays.Validate(); err != nil {
		return err
	}
	if err := o.validateColoring(); err != nil {
		return err
	}
	if o.Look.Transparent && o.Look.Background != [3]uint8{} {
		return bad("transparent", true, "a transparent frame has no background colour; leave background at #000000")
	}
	if err := render.CheckSamples(o.Width, o.Height, o.Look.AA); err != nil {
		return &OptionError{err: err}
	}
	checks := []error{
		inRange("min-width", o.Look.MinWidth, 0, MaxMinWidth),
		inRange("emission", o.Look.Emission, 0, MaxEmission),
		inRange("bloom", o.Look.Bloom, 0, MaxBloom),
		validateView(o.View),
		inRange("orbit", o.Orbit, -MaxAngle, MaxAngle),
		validateTarget(o.Target),
		o.Layout.Validate(),
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	if o.Overlays.ScaleBar && len(o.Keys) > 0 {
		return bad("scalebar", true, "the camera moves through keyframes, so lengths on screen change; leave the scale bar out")
	}
	if o.Orbit != 0 && len(o.Keys) > 0 {
		return bad("orbit", o.Orbit, "the camera moves through keyframes: turn it with their azimuths instead")
	}
	for i, k := range o.Keys {
		if err := k.validate(o.View.Plane); err != nil {
			return &OptionError{err: fmt.Errorf("keyframe %d: %w", i, err)}
		}
	}
	if err := o.Look.style().Validate(); err != nil {
		return &OptionError{err: err}
	}
	return o.Colors.Validate()
}

// inRange checks that an option's value is a number from lo to hi (NaN and
// infinities are not).
func inRange(option string, v, lo, hi float64) error {
	if !(v >= lo && v <= hi) {
		return bad(option, v, "must be a number from %g to %g", lo, hi)
	}
	return nil
}

// validateView checks a view's plane, angles, zoom and field of view.
func validateView(v render.View) error {
	if v.Plane != "xy" && v.Plane != "xz" && v.Plane != "yz" {
		return bad("view", v.Plane, "want xy, xz or yz")
	}
	for _, err := range []error{
		inRange("azimuth", v.Azimuth, -MaxAngle, MaxAngle),
		inRange("elevation", v.Elevation, -MaxAngle, MaxAngle),
		inRange("roll", v.Roll, -MaxAngle, MaxAngle),
		inRange("zoom", v.Zoom, MinZoom, MaxZoom),
	} {
		if err != nil {
			return err
		}
	}
	if v.FOV != 0 && !(v.FOV >= MinFOV && v.FOV <= MaxFOV) {
		return bad("fov", v.FOV, "must be %g to %g degrees, or 0 for orthographic", float64(MinFOV), float64(MaxFOV))
	}
	return nil
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
	return render.Style{Background: l.Background, Emission: l.Emission, Bloom: l.Bloom,
		BloomThreshold: l.BloomThreshold, Tone: render.Tone(l.Tone)}
}

// Validate reports the first geometry option that has no meaning.
func (g Geometry) Validate() error {
	if err := g.Prepare.Validate(); err != nil {
		return &OptionError{err: err}
	}
	if err := g.meshOptions().Validate(); err != nil {
		return &OptionError{err: err}
	}
	return nil
}

// Validate reports the first colour option that has no meaning.
func (c Colors) Validate() error {
	for _, l := range []struct {
		name string
		l    Limit
	}{{"vmin", c.VMin}, {"vmax", c.VMax}} {
		if !l.l.Auto && !(math.Abs(l.l.Value) <= MaxVoltage) {
			return bad(l.name, l.l.Value, "must be a voltage in mV within ±%g, or auto", float64(MaxVoltage))
		}
	}
	if !c.VMin.Auto && !c.VMax.Auto && !(c.VMin.Value < c.VMax.Value) {
		return bad("vmin", c.VMin.Value, "must be below vmax %g", c.VMax.Value)
	}
	_, err := c.colormap()
	return err
}

// colormap resolves the map with its sub-range and steps; errors name the
// option at fault.
func (c Colors) colormap() (*colormap.Map, error) {
	m, err := colormap.Build(c.Map, c.Start, c.Stop, c.Steps)
	var be *colormap.BuildError
	if errors.As(err, &be) {
		name := [...]string{colormap.PartName: "cmap", colormap.PartRange: "cmap-start", colormap.PartSteps: "cmap-steps"}[be.Part]
		if be.Part == colormap.PartRange && !(c.Stop >= 0 && c.Stop <= 1) {
			name = "cmap-stop"
		}
		return nil, &OptionError{err: fmt.Errorf("%s: %w", name, err)}
	}
	return m, err
}

// validate checks one keyframe's values for a movie in the base plane.
func (k Keyframe) validate(plane string) error {
	if !finite(k.Frame) {
		return bad("frame", k.Frame, "must be a frame number")
	}
	if k.Time != nil && !(math.Abs(*k.Time) <= MaxTime) {
		return bad("time", *k.Time, "must be a time in ms within ±%g", float64(MaxTime))
	}
	zoom := k.Zoom
	if zoom == 0 {
		zoom = 1
	}
	if err := validateView(render.View{Plane: plane, Azimuth: k.Azimuth, Elevation: k.Elevation, Roll: k.Roll, Zoom: zoom, FOV: k.FOV}); err != nil {
		return err
	}
	return validateTarget(k.Target)
}

// validateColoring checks ColorBy and the overlays that need a colormap or
// a recording.
func (o Options) validateColoring() error {
	switch o.ColorBy {
	case ByVoltage, ByDistance:
		if o.ColorBy == ByDistance && len(o.Overlays.Traces) > 0 {
			return bad("trace", o.Overlays.Traces[0], "plots voltage: colour by voltage")
		}
		return nil
	case ByType, ByColor, ByCategory:
		switch {
		case o.Overlays.ColorBar && o.ColorBy == ByColor:
			return bad("colorbar", true, "shows a colormap, and colouring by one colour uses none")
		case len(o.Overlays.Traces) > 0:
			return bad("trace", o.Overlays.Traces[0], "plots voltage: colour by voltage")
		}
		return nil
	}
	return bad("color-by", o.ColorBy, "want voltage, type, distance, color or category")
}
