package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lucasb-eyer/go-colorful"
	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/network"
	"github.com/spikeframes/spikeframes/scene"
	"github.com/spikeframes/spikeframes/voltage"
)

// renderFlags are the render command's settings besides geometry.
type renderFlags struct {
	out, pattern  string
	width, height int
	morphology    string // --morphology: the file the recording's geometry comes from

	cmap                string
	vmin, vmax          string
	cmapStart, cmapStop float64
	cmapSteps           int

	view                     string
	target                   string
	azimuth, elevation, roll float64
	zoom, fov                float64
	orbit                    float64

	aa         int
	minWidth   float64
	shading    string
	emission   float64
	background string
	bloom      float64

	look                     string
	tone                     string
	bloomThreshold, depthCue float64
	// given reports whether a flag was on the command line.
	given func(name string) bool

	resample int
	label    string

	colorBy, color string

	annotate                   bool
	colorbar                   bool
	colorbarPos, colorbarLabel string
	scalebar                   string
	timeSpan, title, textColor string
	traces                     []string
	transparent                bool

	frames       string
	shard        string
	skipExisting bool
	overwrite    bool
	video        string
	fps          float64
	crf          int
	preset       string
	quiet        bool
	jobs         int

	arrange    string
	scene      string
	printScene bool

	nodes        string // --nodes: a SONATA simulation's nodes to draw
	somaOnlyFill bool
	spikeDecay   float64

	fs *pflag.FlagSet // the flags as parsed, to tell which were given
}

func addRenderFlags(fs *pflag.FlagSet) *renderFlags {
	f := &renderFlags{}
	sd := scene.Default()
	d := sd.Options
	fs.StringVar(&f.scene, "scene", "", "read every setting from this scene file (flags given too override it; recordings given replace its recordings in order)")
	fs.BoolVar(&f.printScene, "print-scene", false, "print the scene these arguments make, every value included, and exit without rendering")
	fs.StringVarP(&f.out, "out", "o", sd.Output.Out, "output folder (created if missing)")
	fs.StringVar(&f.pattern, "pattern", sd.Output.Pattern, "file name of each frame, with one frame-number verb: %d, or %0Nd zero-padded to N digits")
	fs.IntVar(&f.width, "width", d.Width, "picture width in pixels")
	fs.IntVar(&f.height, "height", d.Height, "picture height in pixels")
	fs.StringVar(&f.cmap, "cmap", d.Colors.Map, `colormap: any matplotlib or seaborn name, NAME_r reversed, or colours "#000000,#ff3000,…"`)
	fs.StringVar(&f.vmin, "vmin", "-70", `voltage (mV) at the colormap's start, or "auto" (0.5th percentile of the recording)`)
	fs.StringVar(&f.vmax, "vmax", "20", `voltage (mV) at the colormap's end, or "auto" (99.5th percentile of the recording)`)
	fs.Float64Var(&f.cmapStart, "cmap-start", 0, "use the colormap from this point (0…1)")
	fs.Float64Var(&f.cmapStop, "cmap-stop", 1, "use the colormap up to this point (0…1)")
	fs.IntVar(&f.cmapSteps, "cmap-steps", 0, "BlenderSpike's stepped colour ramp with this many stops (≥ 2); 0 = the exact colormap")
	fs.StringVar(&f.view, "view", "xy", "base view: xy (looking down −Z, +Y up), xz or yz")
	fs.Float64Var(&f.azimuth, "azimuth", 0, "turn the camera about the view's up axis (degrees)")
	fs.Float64Var(&f.elevation, "elevation", 0, "tilt the camera up over the view's right axis (degrees)")
	fs.Float64Var(&f.roll, "roll", 0, "turn the picture about the viewing axis (degrees; positive turns the cell counter-clockwise)")
	fs.StringVar(&f.target, "target", d.Target, `what the camera looks at and zooms and orbits about: soma, a section's index or recorded name, or X,Y,Z in µm, each after a cell's index ("1:soma") for a cell but the first ("" centres the whole scene)`)
	fs.Float64Var(&f.zoom, "zoom", d.View.Zoom, fmt.Sprintf("magnify the framing, %g to %g (1 fits the whole cell in about 90%% of the picture)", float64(movie.MinZoom), float64(movie.MaxZoom)))
	fs.Float64Var(&f.orbit, "orbit", 0, "turn the camera this many degrees about the view's up axis over the movie (360 loops seamlessly)")
	fs.Float64Var(&f.fov, "fov", d.View.FOV, fmt.Sprintf("vertical field of view in degrees (%g to %g) for a perspective camera; 0 = orthographic", float64(movie.MinFOV), float64(movie.MaxFOV)))
	fs.IntVar(&f.aa, "aa", d.Look.AA, "anti-aliasing: N×N samples per pixel (1 = off)")
	fs.Float64Var(&f.minWidth, "min-width", d.Look.MinWidth, "draw every branch at least this many pixels wide, so thin axons stay unbroken lines (0 = true widths)")
	fs.StringVar(&f.shading, "shading", d.Look.Shading, "emission (the colormap's colour, glowing) or lit (diffuse + ambient headlight)")
	fs.StringVar(&f.look, "look", movie.Looks[0], "a set of the look's options: exact (the colormap's colours, a faint glow) or blender (BlenderSpike's EEVEE look); options you give override it")
	fs.Float64Var(&f.emission, "emission", d.Look.Emission, "emission strength: multiplies the colour in linear light")
	fs.StringVar(&f.tone, "tone", d.Look.Tone, "how light becomes display colours: none clips at 1 (exact colours at emission 1), filmic is Blender's Filmic view transform")
	fs.StringVar(&f.background, "background", "#000000", "background colour (#rrggbb)")
	fs.Float64Var(&f.bloom, "bloom", d.Look.Bloom, "glow around the bright parts: its light as a share of the light above the threshold (0 = off)")
	fs.Float64Var(&f.bloomThreshold, "bloom-threshold", d.Look.BloomThreshold, "brightness of a pixel's brightest channel (linear light) from which parts glow; 0 lets everything glow")
	fs.Float64Var(&f.depthCue, "depth-cue", d.Look.DepthCue, "dim the farthest parts by this share, 0 to 1 (0 = off)")
	fs.IntVar(&f.resample, "resample", d.Resample, fmt.Sprintf("render N frames spread evenly over the recording, up to %d (0 = one per recorded frame)", movie.MaxFrames))
	fs.StringVar(&f.label, "label", d.Label, `text in the top-left corner: none, time (simulated ms; the frame number when the recording has no time span) or frame`)
	fs.StringVar(&f.colorBy, "color-by", d.ColorBy, `what the colours show: voltage (the recording), type (soma, axon, basal, apical), distance (path distance from the soma, µm, through --cmap), color (--color everywhere), or for a SONATA simulation population or mtype; a morphology file without a recording defaults to type`)
	fs.StringVar(&f.color, "color", "#e6e6e6", "the colour of --color-by color (#rrggbb)")
	fs.BoolVar(&f.annotate, "annotate", false, "the common annotations: colour bar, scale bar and --label time (unless --label is given)")
	fs.BoolVar(&f.colorbar, "colorbar", false, "draw the colormap between --vmin and --vmax with round ticks")
	fs.StringVar(&f.colorbarPos, "colorbar-pos", d.Overlays.ColorBarPos, "where the colour bar goes: right, left or bottom")
	fs.StringVar(&f.colorbarLabel, "colorbar-label", d.Overlays.ColorBarLabel, `the colour bar's unit label (default "mV")`)
	fs.StringVar(&f.scalebar, "scalebar", "", "draw a scale bar: alone a round length about a fifth of the width, or a length in µm (--scalebar 50)")
	fs.Lookup("scalebar").NoOptDefVal = "auto"
	fs.StringVar(&f.timeSpan, "time-span", "", "simulated time (ms) of the first and last recorded frames, as START:STOP, for recordings that store none")
	fs.StringVar(&f.title, "title", "", "a title centred at the top")
	fs.StringArrayVar(&f.traces, "trace", nil, "an inset plot of a section's voltage over the recording (soma, an index or a name); repeat for up to four lines")
	fs.StringVar(&f.textColor, "text-color", "auto", "colour of the annotations (#rrggbb), or auto: contrasting with --background")
	fs.BoolVar(&f.transparent, "transparent", false, "RGBA PNGs with a clear background (the glow as alpha), for compositing")
	fs.StringVar(&f.frames, "frames", "", "render only output frames A ≤ f < B, as A:B (either side may be left out)")
	fs.StringVar(&f.shard, "shard", "", `render the K-th of N contiguous blocks of the frames, as K/N (0-based), or "auto" from a Slurm array job`)
	fs.BoolVar(&f.skipExisting, "skip-existing", false, "skip frames already written whole (resume a killed job of the same scene)")
	fs.BoolVar(&f.overwrite, "overwrite", false, "replace the frames of another render in the output folder (removed first)")
	fs.StringVar(&f.video, "video", sd.Output.Video, "write an H.264 MP4 through ffmpeg instead of PNG files")
	fs.Float64Var(&f.fps, "fps", sd.Output.FPS, "frames per second of --video (0.001 to 1000)")
	fs.IntVar(&f.crf, "crf", sd.Output.CRF, "quality of --video (x264 CRF: 0 lossless … 51 worst)")
	fs.StringVar(&f.preset, "preset", sd.Output.Preset, "x264 speed of --video: "+strings.Join(scene.X264Presets, ", ")+" (faster: bigger files)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing but errors")
	fs.IntVarP(&f.jobs, "jobs", "j", 0, "frames rendered in parallel (0 = one per core; at most 4 per core)")
	fs.StringVar(&f.arrange, "arrange", d.Layout.Arrange, "how several recordings stand: recorded (where each recording puts its cell), row (side by side in order, each on its soma) or grid")
	f.addNetworkFlags(fs)
	return f
}

// Bounds of the batch flags' values (the engine bounds the picture's).
const (
	minFPS, maxFPS = 1e-3, 1e3
	maxCRF         = 51 // x264's worst quality
)

// options turns the flags that decide the picture into the engine's
// options (unchecked: see Options.Validate, and resolveSettings and
// resolveData for the defaults that depend on other settings and on the
// data); values that are not values at all come back as errors that begin
// with the flag.
func (f *renderFlags) options(geom *geometryFlags) (movie.Options, error) {
	o := movie.DefaultOptions()
	var err error
	if o.Geometry, err = geom.geometry(); err != nil {
		return o, err
	}
	o.Width, o.Height = f.width, f.height
	o.View.Plane, o.View.Azimuth, o.View.Elevation, o.View.Roll = f.view, f.azimuth, f.elevation, f.roll
	o.View.Zoom, o.View.FOV = f.zoom, f.fov
	o.Target, o.Orbit = f.target, f.orbit
	o.Colors.Map, o.Colors.Start, o.Colors.Stop, o.Colors.Steps = f.cmap, f.cmapStart, f.cmapStop, f.cmapSteps
	for _, l := range []struct {
		name, text string
		limit      *movie.Limit
	}{{"--vmin", f.vmin, &o.Colors.VMin}, {"--vmax", f.vmax, &o.Colors.VMax}} {
		if *l.limit, err = parseLimit(l.text); err != nil {
			return o, fmt.Errorf("%s: %w", l.name, err)
		}
	}
	o.Look.AA, o.Look.MinWidth, o.Look.Shading = f.aa, f.minWidth, f.shading
	if err := o.ApplyLook(f.look); err != nil {
		return o, flagError(err)
	}
	// A look sets these; the flags given override it.
	for _, v := range []struct {
		name string
		set  func()
	}{
		{"emission", func() { o.Look.Emission = f.emission }},
		{"tone", func() { o.Look.Tone = f.tone }},
		{"bloom", func() { o.Look.Bloom = f.bloom }},
		{"bloom-threshold", func() { o.Look.BloomThreshold = f.bloomThreshold }},
		{"cmap-steps", func() { o.Colors.Steps = f.cmapSteps }},
	} {
		if f.given(v.name) {
			v.set()
		}
	}
	o.Look.DepthCue = f.depthCue
	if o.Look.Background, err = parseBackground(f.background); err != nil {
		return o, err
	}
	o.Resample, o.Label = f.resample, f.label
	o.ColorBy = f.colorBy
	if f.colorBy == network.ByPopulation || f.colorBy == network.ByMType {
		o.ColorBy = movie.ByCategory
	}
	if o.Color, err = parseColour("--color", f.color); err != nil {
		return o, err
	}
	if err := f.overlays(&o); err != nil {
		return o, err
	}
	o.Layout.Arrange = f.arrange
	return o, nil
}

// overlays sets the annotation options from their flags (--annotate is
// put over the whole scene by resolveSettings).
func (f *renderFlags) overlays(o *movie.Options) error {
	v := &o.Overlays
	v.ColorBar, v.ColorBarPos, v.ColorBarLabel = f.colorbar, f.colorbarPos, f.colorbarLabel
	v.Title, v.Traces = f.title, f.traces
	switch f.scalebar {
	case "":
	case "auto":
		v.ScaleBar = true
	default:
		length, err := strconv.ParseFloat(f.scalebar, 64)
		if err != nil || !(length > 0) {
			return fmt.Errorf("--scalebar %q: want a length in µm, or nothing for a round one", f.scalebar)
		}
		v.ScaleBar, v.ScaleBarLength = true, length
	}
	if f.timeSpan != "" {
		span, err := scene.ParseTimeSpan(f.timeSpan)
		if err != nil {
			return fmt.Errorf("--time-span %q: want START:STOP in ms", f.timeSpan)
		}
		o.TimeSpan = span
	}
	if f.textColor != "auto" {
		c, err := colorful.Hex(f.textColor)
		if err != nil {
			return fmt.Errorf("--text-color %q: want a colour as #rrggbb, or auto", f.textColor)
		}
		r, g, b := c.RGB255()
		v.TextColor = &[3]uint8{r, g, b}
	}
	o.Look.Transparent = f.transparent
	return nil
}

// scalebarLength joins "--scalebar N" into "--scalebar=N" when N is a
// number, since a flag that may stand alone takes its value only after
// "=" otherwise.
func scalebarLength(args []string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		if args[i] == "--scalebar" && i+1 < len(args) {
			if _, err := strconv.ParseFloat(args[i+1], 64); err == nil {
				out = append(out, "--scalebar="+args[i+1])
				i++
				continue
			}
		}
		if args[i] == "--" {
			return append(out, args[i:]...)
		}
		out = append(out, args[i])
	}
	return out
}

// validateOutput checks where frames go and which: the file names, the
// frame selection, the movie and the workers.
func (f *renderFlags) validateOutput(out scene.Output, transparent bool) error {
	if _, err := parsePattern(out.Pattern); err != nil {
		return fmt.Errorf("--pattern: %w", err)
	}
	if _, err := parseFrameRange(out.Frames, maxInt); err != nil {
		return fmt.Errorf("--frames: %w", err)
	}
	if f.shard != "" {
		if _, err := parseShard(f.shard, os.Getenv); err != nil {
			return err
		}
	}
	switch {
	case f.jobs < 0:
		return fmt.Errorf("--jobs %d: must be ≥ 0", f.jobs)
	case out.CRF < 0 || out.CRF > maxCRF:
		return fmt.Errorf("--crf %d: must be 0 to %d", out.CRF, maxCRF)
	case !slices.Contains(scene.X264Presets, out.Preset):
		return fmt.Errorf("--preset %q: must be one of %s", out.Preset, strings.Join(scene.X264Presets, ", "))
	case out.Video != "" && f.shard != "":
		return fmt.Errorf("--video makes one movie: it cannot be split with --shard (render PNG shards, then stitch them)")
	case out.Video != "" && transparent:
		return fmt.Errorf("--transparent makes RGBA PNGs; a --video has no alpha (render PNGs and composite them)")
	case out.Video != "" && f.skipExisting:
		return fmt.Errorf("--skip-existing resumes PNG frames; a --video is always written whole")
	case out.Video != "" && f.overwrite:
		return fmt.Errorf("--overwrite replaces PNG frames in a folder; a --video is always written whole")
	case !(out.FPS >= minFPS && out.FPS <= maxFPS):
		return fmt.Errorf("--fps %v: must be a number from %g to %g", out.FPS, minFPS, maxFPS)
	}
	if out.Video != "" {
		if st, err := os.Stat(out.Video); err == nil && st.IsDir() {
			return fmt.Errorf("--video %s: is a folder; give the movie's file name", out.Video)
		}
	}
	return nil
}

// parseLimit reads a voltage limit: a number of mV, or "auto".
func parseLimit(s string) (movie.Limit, error) {
	if s == "auto" {
		return movie.Limit{Auto: true}, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(math.Abs(v) <= movie.MaxVoltage) {
		return movie.Limit{}, fmt.Errorf("%q is neither a voltage in mV (within ±%g) nor \"auto\"", s, float64(movie.MaxVoltage))
	}
	return movie.Limit{Value: v}, nil
}

func parseBackground(s string) ([3]uint8, error) { return parseColour("--background", s) }

// parseColour reads a #rrggbb colour given to flag.
func parseColour(flag, s string) ([3]uint8, error) {
	c, err := colorful.Hex(s)
	if err != nil {
		return [3]uint8{}, fmt.Errorf("%s %q: want a colour as #rrggbb", flag, s)
	}
	r, g, b := c.RGB255()
	return [3]uint8{r, g, b}, nil
}

// parseRenderArgs parses and validates the render command's arguments:
// the scene file, the flags over it and the recordings, turned into the
// run's scene. It returns done=true with the status to exit with after
// --help (0) or a usage error (2, after printing it).
func parseRenderArgs(args []string, stdout, stderr io.Writer) (f *renderFlags, sc scene.Scene, status int, done bool) {
	fs := newFlags("render", "RECORDING... [flags]", stdout, stderr)
	f = addRenderFlags(fs)
	geom := addGeometryFlags(fs)
	morphology := addMorphologyFlag(fs)
	if status, done := parseFlags(fs, scalebarLength(args)); done {
		return nil, sc, status, true
	}
	f.fs, f.morphology = fs, *morphology
	if fs.NArg() > movie.MaxCells {
		return nil, sc, usageErr(stderr, "render", "%d recordings: a scene holds at most %d", fs.NArg(), movie.MaxCells), true
	}
	f.given = fs.Changed
	sc, err := f.buildScene(fs, geom, fs.Args())
	if err == nil {
		f.resolveSettings(&sc)
		err = f.validate(sc)
	}
	if err != nil {
		return nil, sc, usageErr(stderr, "render", "%v", err), true
	}
	return f, sc, exitOK, false
}

// validate checks the scene's settings: the options, each cell's own, and
// where the frames go.
func (f *renderFlags) validate(sc scene.Scene) error {
	if err := sc.Options.Validate(); err != nil {
		return f.optionError(err)
	}
	for i, c := range sc.Cells {
		if err := (movie.Cell{Place: c.Place, Colors: c.Colors, TimeSpan: c.TimeSpan}).Validate(); err != nil {
			return f.optionError(&cellError{i, err})
		}
	}
	if err := f.validateNetwork(sc.Network); err != nil {
		return err
	}
	return f.validateOutput(sc.Output, sc.Options.Look.Transparent)
}

func cmdRender(args []string, stdout, stderr io.Writer) int {
	f, sc, status, done := parseRenderArgs(args, stdout, stderr)
	if done {
		return status
	}
	say := func(format string, a ...any) {
		if !f.quiet && !f.printScene {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	out := sc.Output
	var ffmpeg string
	if out.Video != "" && !f.printScene {
		var err error
		if ffmpeg, err = findFFmpeg(); err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
			return exitOutput
		}
	}
	stop := catchInterrupts("render", stderr, stopGrace, os.Exit)
	defer stop.release()
	stopped := func() int {
		fmt.Fprintf(stderr, "spikeframes render: stopped by %v before any frame was written\n", stop.sig)
		return stop.status()
	}

	var cells []movie.Cell
	var recs []*voltage.Recording
	var net *network.Scene // the cells of a SONATA simulation
	isNetwork := len(sc.Cells) == 1 && isSimulationConfig(sc.Cells[0].Recording)
	if isNetwork && sc.Cells[0].Morphology != "" {
		return usageErr(stderr, "render", "--morphology %s: gives a recording its geometry; a SONATA simulation's morphologies come from its circuit", sc.Cells[0].Morphology)
	}
	if isNetwork {
		start := time.Now()
		sim, s, err := readNetwork(sc.Cells[0].Recording, sc.Network)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
			return exitInput
		}
		defer sim.Close()
		defer s.Close()
		net = s
		say("%s (%.2f s)", describeNetwork(sc.Cells[0].Recording, s), time.Since(start).Seconds())
		cells, recs = s.Cells, []*voltage.Recording{s.Cells[0].Rec}
		if s.Reported == 0 && s.Spiking == 0 && !sc.Gives("color-by") {
			sc.Options.ColorBy = movie.ByCategory
		}
	} else if sc.Options.ColorBy == movie.ByCategory {
		return usageErr(stderr, "render", "--color-by %s colours the nodes of a SONATA simulation: give its simulation_config.json", f.colorBy)
	} else if name := networkSetting(sc.Network); name != "" {
		if f.scene != "" && !f.given(name) {
			return usageErr(stderr, "render", "--scene %s: network.%s is for a SONATA simulation: give its simulation_config.json", f.scene, name)
		}
		return usageErr(stderr, "render", "--%s is for a SONATA simulation: give its simulation_config.json", name)
	} else {
		cells = make([]movie.Cell, len(sc.Cells))
		recs = make([]*voltage.Recording, len(sc.Cells))
		for i, c := range sc.Cells {
			start := time.Now()
			cell, rec, _, status, ok := readCommandInput("render", c.Recording, c.Morphology, stderr)
			if !ok {
				return status
			}
			if err := needPoints(cell, c.Recording); err != nil {
				fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
				return exitInput
			}
			if stop.caught() {
				return stopped()
			}
			if rec == nil {
				say("read %s: %d sections, a morphology without voltage (%.2f s)", c.Recording, len(cell.Sections), time.Since(start).Seconds())
			} else {
				say("read %s: %d sections, %d frames (%.2f s)", c.Recording, len(cell.Sections), rec.Frames, time.Since(start).Seconds())
			}
			cells[i], recs[i] = movie.Cell{Morph: cell, Rec: rec}, rec
		}
	}
	if !isNetwork {
		resolveData(&sc, recs)
	}
	if err := f.validate(sc); err != nil {
		return usageErr(stderr, "render", "%v", err)
	}
	if f.printScene {
		if err := printScene(stdout, sc); err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
			return exitOutput
		}
		return exitOK
	}
	o := sc.Options
	for i, c := range sc.Cells {
		cells[i].Place, cells[i].Colors, cells[i].TimeSpan = c.Place, c.Colors, c.TimeSpan
	}
	if isNetwork {
		c := sc.Cells[0]
		if c.Place != (movie.Placement{}) {
			return usageErr(stderr, "render", "%s: a network's cells stand where its circuit puts them: they take no offset or rotation", c.Recording)
		}
		for i := range cells {
			cells[i].Colors, cells[i].TimeSpan = c.Colors, c.TimeSpan
		}
	}

	pattern, _ := parsePattern(out.Pattern) // validated above
	var man *manifest
	if out.Video == "" || hasPins(sc) {
		hashes := make([]string, len(sc.Cells))
		for i, c := range sc.Cells {
			var h string
			var err error
			if isNetwork {
				h, err = hashFiles(net.Files)
			} else {
				h, err = hashFile(c.Recording)
			}
			if err == nil && c.SHA256 != "" && c.SHA256 != h {
				err = fmt.Errorf("%s: its contents (SHA-256 %s) are not the recording the scene names (%s)", c.Recording, h, c.SHA256)
			}
			if err != nil {
				fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
				return exitInput
			}
			hashes[i] = h
		}
		var err error
		if man, err = newManifest(sc, hashes); err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
			return exitOutput
		}
	}
	if out.Video == "" {
		held, err := man.inspect(out.Out, pattern)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes render: output folder %s: %v\n", out.Out, err)
			return exitOutput
		}
		if held.clash() && !f.overwrite {
			return usageErr(stderr, "render", "%s (--overwrite replaces them)", held.describe(out.Out, man.scene, f.flagOf))
		}
	}

	start := time.Now()
	if out.Video != "" && (o.Width%2 != 0 || o.Height%2 != 0) {
		o.Width, o.Height = o.Width+o.Width%2, o.Height+o.Height%2
		say("warning: --video needs an even picture size for yuv420p: rendering %d×%d", o.Width, o.Height)
	}
	if net != nil && o.ColorBy == movie.ByVoltage {
		if err := networkLimits(net, &o.Colors, cells); err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", sc.Cells[0].Recording, err)
			return exitInput
		}
	}
	m, err := movie.NewScene(cells, o)
	var oe *movie.OptionError
	switch {
	case errors.As(err, &oe):
		return usageErr(stderr, "render", "%v", f.optionError(err))
	case err != nil && len(cells) == 1:
		fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", sc.Cells[0].Recording, err)
		return exitInput
	case err != nil:
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitInput
	}
	if stop.caught() {
		return stopped()
	}
	for _, w := range m.Warnings() {
		say("warning: %s", w)
	}
	f.sayLimits(say, sc, m, recs)
	msh := m.Mesh()
	say("mesh: %d vertices, %d triangles", len(msh.Positions), len(msh.Triangles))
	switch c := m.Coarser(); {
	case math.IsInf(c, 1):
		say("note: mesh at its coarsest detail to fit %d vertices", mesh.PictureMaxVertices)
	case c > 1:
		say("note: mesh detail lowered to fit %d vertices: ring edges %.3g times longer than asked", mesh.PictureMaxVertices, c)
	}
	if m.Moving() {
		say("coverage: worked out for every frame as the camera moves (%.2f s)", time.Since(start).Seconds())
	} else {
		say("coverage: %d of %d pixels touched (%.2f s)", m.Touched(), o.Width*o.Height, time.Since(start).Seconds())
	}
	if o.Label == "time" && o.ColorBy == movie.ByVoltage && !m.TimeKnown() {
		if len(sc.Cells) == 1 {
			say("note: %s records no time span; --label time shows frame numbers", sc.Cells[0].Recording)
		} else {
			say("note: the recordings' time spans are not known; --label time shows frame numbers")
		}
	}

	frames, err := parseFrameRange(out.Frames, m.Frames())
	if err != nil {
		return usageErr(stderr, "render", "--frames: %v", err)
	}
	if f.shard != "" {
		sh, _ := parseShard(f.shard, os.Getenv) // validated above
		frames = sh.of(frames)
		if frames.len() == 0 {
			say("shard %s: no frames to render (more shards than frames)", f.shard)
			return exitOK
		}
	}
	workers := workerCount(f.jobs)
	if f.jobs > workers {
		say("note: -j %d is more than %d per core: rendering %d frames at a time", f.jobs, maxWorkersPerCore, workers)
	}
	var sink movie.Sink
	if out.Video != "" {
		sink, err = newVideoSink(ffmpeg, out.Video, o.Width, o.Height, out.FPS, out.CRF, out.Preset, frames.first)
	} else {
		refusal, serr := man.settle(out.Out, pattern, f.overwrite, f.flagOf)
		if refusal != "" {
			return usageErr(stderr, "render", "%s", refusal)
		}
		err = serr
		if err == nil {
			sink, err = newPNGSink(out.Out, pattern, o.Width, o.Height, f.skipExisting, frames)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitOutput
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop.stopped():
			cancel()
		case <-ctx.Done():
		}
	}()
	progress := newProgress(stderr, frames.len(), f.quiet)
	err = m.Run(ctx, movie.Job{
		Frames:   movie.Range{First: frames.first, End: frames.end},
		Sink:     sink,
		Workers:  workers,
		Progress: progress.frameDone,
	})
	switch {
	case stop.caught() && err != nil:
		fmt.Fprintf(stderr, "spikeframes render: stopped by %v; frames written so far are complete\n", stop.sig)
		return stop.status()
	case err != nil:
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitOutput // every failure once frames are flowing is an output failure
	}
	if out.Video != "" {
		progress.finish("wrote " + out.Video)
		return exitOK
	}
	progress.finish("rendered into " + out.Out)
	if !f.quiet {
		fmt.Fprintln(stdout, "Make a movie with:")
		fmt.Fprintf(stdout, "  ffmpeg -framerate %g -start_number %d -i %s -c:v libx264 -pix_fmt yuv420p -crf %d%s movie.mp4\n",
			out.FPS, frames.first, shellQuote(filepath.Join(out.Out, out.Pattern)), out.CRF, evenSizeFilter(o.Width, o.Height))
	}
	return exitOK
}

// sayLimits reports automatic limits as resolved: for one cell as the
// flags that would give them, for several per recording.
func (f *renderFlags) sayLimits(say func(string, ...any), sc scene.Scene, m *movie.Movie, recs []*voltage.Recording) {
	o := sc.Options
	if o.ColorBy != movie.ByVoltage && o.ColorBy != movie.ByDistance {
		return
	}
	unit := m.Unit()
	if unit == "" && recs[0] != nil {
		unit = "of " + recs[0].Variable
	}
	for i, c := range sc.Cells {
		colors := o.Colors
		if c.Colors != nil {
			colors = *c.Colors
		}
		if !colors.VMin.Auto && !colors.VMax.Auto {
			continue
		}
		vmin, vmax := m.CellLimits(i)
		if len(sc.Cells) == 1 {
			say("limits: --vmin %g --vmax %g (%s)", vmin, vmax, unit)
		} else {
			say("limits of %s: %g to %g (%s)", c.Recording, vmin, vmax, unit)
		}
	}
}

// hasPins reports whether the scene names any recording by its contents.
func hasPins(sc scene.Scene) bool {
	for _, c := range sc.Cells {
		if c.SHA256 != "" {
			return true
		}
	}
	return false
}

// evenSizeFilter is the ffmpeg option that pads an odd-sized picture to
// the even size yuv420p needs, or "" when none is needed.
func evenSizeFilter(w, h int) string {
	if w%2 == 0 && h%2 == 0 {
		return ""
	}
	return ` -vf "pad=ceil(iw/2)*2:ceil(ih/2)*2"`
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	for _, r := range s {
		if !(r == '/' || r == '.' || r == '_' || r == '-' || r == '%' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
		}
	}
	return s
}
