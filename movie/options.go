package movie

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
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
	// simulated time when the recording stores its span, else the frame
	// number) or "frame".
	Label string
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
	}
	looks[Looks[0]].apply(&o)
	return o
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
	case !(o.Look.DepthCue >= 0 && o.Look.DepthCue <= 1):
		return bad("depth-cue", o.Look.DepthCue, "must be 0 (off) to 1")
	case o.Look.Tone != "none" && o.Look.Tone != "filmic":
		return bad("tone", o.Look.Tone, "want none or filmic")
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
	}
	if err := render.CheckSamples(o.Width, o.Height, o.Look.AA); err != nil {
		return &OptionError{err}
	}
	if err := o.Look.style().Validate(); err != nil {
		return &OptionError{err}
	}
	return o.Colors.Validate()
}

// style is the renderer's part of the look.
func (l Look) style() render.Style {
	return render.Style{Background: l.Background, Emission: l.Emission, Bloom: l.Bloom,
		BloomThreshold: l.BloomThreshold, Tone: render.Tone(l.Tone)}
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
