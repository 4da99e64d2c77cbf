package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/lucasb-eyer/go-colorful"
	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/movie"
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
	video        string
	fps          float64
	crf          int
	quiet        bool
	jobs         int
}

func addRenderFlags(fs *pflag.FlagSet) *renderFlags {
	f := &renderFlags{}
	d := movie.DefaultOptions()
	fs.StringVarP(&f.out, "out", "o", "frames", "output folder (created if missing)")
	fs.StringVar(&f.pattern, "pattern", "frame_%05d.png", "file name of each frame, with one frame-number verb: %d, or %0Nd zero-padded to N digits")
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
	fs.StringVar(&f.target, "target", d.Target, `what the camera looks at and zooms and orbits about: soma, a section's index or recorded name, or X,Y,Z in µm ("" centres the whole cell)`)
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
	fs.StringVar(&f.colorBy, "color-by", d.ColorBy, `what the colours show: voltage (the recording), type (soma, axon, basal, apical), distance (path distance from the soma, µm, through --cmap) or color (--color everywhere); a morphology file without a recording defaults to type`)
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
	fs.BoolVar(&f.skipExisting, "skip-existing", false, "skip frames already written whole (resume a killed job)")
	fs.StringVar(&f.video, "video", "", "write an H.264 MP4 through ffmpeg instead of PNG files")
	fs.Float64Var(&f.fps, "fps", 30, "frames per second of --video (0.001 to 1000)")
	fs.IntVar(&f.crf, "crf", 18, "quality of --video (x264 CRF: 0 lossless … 51 worst)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing but errors")
	fs.IntVarP(&f.jobs, "jobs", "j", 0, "frames rendered in parallel (0 = one per core; at most 4 per core)")
	return f
}

// Bounds of the batch flags' values (the engine bounds the picture's).
const (
	minFPS, maxFPS = 1e-3, 1e3
	maxCRF         = 51 // x264's worst quality
)

// options turns the flags that decide the picture into the engine's
// options; values the engine cannot take come back as errors that begin
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
	if o.Color, err = parseColour("--color", f.color); err != nil {
		return o, err
	}
	if o.ColorBy == movie.ByDistance && !f.limitsGiven() {
		o.Colors.VMin, o.Colors.VMax = movie.Limit{Value: 0}, movie.Limit{Auto: true}
	}
	if err := f.overlays(&o); err != nil {
		return o, err
	}
	return o, flagError(o.Validate())
}

// fitAnnotations leaves the colour bar that --annotate asks for out when
// the colours come from no colormap (one --color).
func (f *renderFlags) fitAnnotations(o *movie.Options) {
	if f.annotate && !f.colorbar && o.ColorBy == movie.ByColor {
		o.Overlays.ColorBar = false
	}
}

// limitsGiven reports whether --vmin or --vmax was on the command line.
func (f *renderFlags) limitsGiven() bool { return f.given("vmin") || f.given("vmax") }

// overlays sets the annotation options from their flags.
func (f *renderFlags) overlays(o *movie.Options) error {
	v := &o.Overlays
	v.ColorBar, v.ColorBarPos, v.ColorBarLabel = f.colorbar, f.colorbarPos, f.colorbarLabel
	v.Title, v.Traces = f.title, f.traces
	if f.annotate {
		label := o.Label
		o.Annotate()
		if f.given("label") {
			o.Label = label
		}
		f.fitAnnotations(o)
	}
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
		a, b, ok := strings.Cut(f.timeSpan, ":")
		start, errA := strconv.ParseFloat(a, 64)
		stop, errB := strconv.ParseFloat(b, 64)
		if !ok || errA != nil || errB != nil {
			return fmt.Errorf("--time-span %q: want START:STOP in ms", f.timeSpan)
		}
		o.TimeSpan = movie.TimeSpan{Start: start, Stop: stop, Set: true}
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
func (f *renderFlags) validateOutput() error {
	if _, err := parsePattern(f.pattern); err != nil {
		return fmt.Errorf("--pattern: %w", err)
	}
	if _, err := parseFrameRange(f.frames, maxInt); err != nil {
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
	case f.crf < 0 || f.crf > maxCRF:
		return fmt.Errorf("--crf %d: must be 0 to %d", f.crf, maxCRF)
	case f.video != "" && f.shard != "":
		return fmt.Errorf("--video makes one movie: it cannot be split with --shard (render PNG shards, then stitch them)")
	case f.video != "" && f.transparent:
		return fmt.Errorf("--transparent makes RGBA PNGs; a --video has no alpha (render PNGs and composite them)")
	case f.video != "" && f.skipExisting:
		return fmt.Errorf("--skip-existing resumes PNG frames; a --video is always written whole")
	case !(f.fps >= minFPS && f.fps <= maxFPS):
		return fmt.Errorf("--fps %v: must be a number from %g to %g", f.fps, minFPS, maxFPS)
	}
	if f.video != "" {
		if st, err := os.Stat(f.video); err == nil && st.IsDir() {
			return fmt.Errorf("--video %s: is a folder; give the movie's file name", f.video)
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
// the flags, turned into the engine's options, and the one recording. It
// returns done=true with the status to exit with after --help (0) or a
// usage error (2, after printing it).
func parseRenderArgs(args []string, stdout, stderr io.Writer) (f *renderFlags, o movie.Options, path string, status int, done bool) {
	fs := newFlags("render", "RECORDING [flags]", stdout, stderr)
	f = addRenderFlags(fs)
	geom := addGeometryFlags(fs)
	morphology := addMorphologyFlag(fs)
	if status, done := parseFlags(fs, scalebarLength(args)); done {
		return nil, o, "", status, true
	}
	if fs.NArg() != 1 {
		return nil, o, "", usageErr(stderr, "render", "want exactly one recording file (see --help)"), true
	}
	f.morphology = *morphology
	f.given = fs.Changed
	o, err := f.options(geom)
	if err == nil {
		err = f.validateOutput()
	}
	if err != nil {
		return nil, o, "", usageErr(stderr, "render", "%v", err), true
	}
	return f, o, fs.Arg(0), exitOK, false
}

func cmdRender(args []string, stdout, stderr io.Writer) int {
	f, o, path, status, done := parseRenderArgs(args, stdout, stderr)
	if done {
		return status
	}
	say := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	var ffmpeg string
	if f.video != "" {
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

	start := time.Now()
	cell, rec, _, status, ok := readCommandInput("render", path, f.morphology, stderr)
	if !ok {
		return status
	}
	if err := needPoints(cell, path); err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitInput
	}
	if stop.caught() {
		return stopped()
	}
	if rec == nil {
		say("read %s: %d sections, a morphology without voltage (%.2f s)", path, len(cell.Sections), time.Since(start).Seconds())
		if !f.given("color-by") {
			o.ColorBy = movie.ByType
			f.fitAnnotations(&o)
		}
		if !f.given("label") {
			o.Label = "none" // a morphology has no time
		}
	} else {
		say("read %s: %d sections, %d frames (%.2f s)", path, len(cell.Sections), rec.Frames, time.Since(start).Seconds())
		if rec.Variable != "v" && o.ColorBy == movie.ByVoltage && !f.limitsGiven() {
			// The defaults are a membrane voltage's; other variables take
			// their limits from the recording.
			o.Colors.VMin, o.Colors.VMax = movie.Limit{Auto: true}, movie.Limit{Auto: true}
		}
	}

	start = time.Now()
	if f.video != "" && (o.Width%2 != 0 || o.Height%2 != 0) {
		o.Width, o.Height = o.Width+o.Width%2, o.Height+o.Height%2
		say("warning: --video needs an even picture size for yuv420p: rendering %d×%d", o.Width, o.Height)
	}
	m, err := movie.New(cell, rec, o)
	var oe *movie.OptionError
	switch {
	case errors.As(err, &oe):
		return usageErr(stderr, "render", "%v", flagError(err))
	case err != nil:
		fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", path, err)
		return exitInput
	}
	if stop.caught() {
		return stopped()
	}
	if (o.Colors.VMin.Auto || o.Colors.VMax.Auto) && (o.ColorBy == movie.ByVoltage || o.ColorBy == movie.ByDistance) {
		vmin, vmax := m.Limits()
		unit := m.Unit()
		if unit == "" && rec != nil {
			unit = "of " + rec.Variable
		}
		say("limits: --vmin %g --vmax %g (%s)", vmin, vmax, unit)
	}
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
	if o.Label == "time" && rec != nil && !rec.HasTime && !o.TimeSpan.Set {
		say("note: %s records no time span; --label time shows frame numbers", path)
	}

	frames, err := parseFrameRange(f.frames, m.Frames())
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
	if f.video != "" {
		sink, err = newVideoSink(ffmpeg, f.video, o.Width, o.Height, f.fps, f.crf, frames.first)
	} else {
		pattern, _ := parsePattern(f.pattern) // validated above
		sink, err = newPNGSink(f.out, pattern, o.Width, o.Height, f.skipExisting, frames)
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
	if f.video != "" {
		progress.finish("wrote " + f.video)
		return exitOK
	}
	progress.finish("rendered into " + f.out)
	if !f.quiet {
		fmt.Fprintln(stdout, "Make a movie with:")
		fmt.Fprintf(stdout, "  ffmpeg -framerate %g -start_number %d -i %s -c:v libx264 -pix_fmt yuv420p -crf %d%s movie.mp4\n",
			f.fps, frames.first, shellQuote(filepath.Join(f.out, f.pattern)), f.crf, evenSizeFilter(o.Width, o.Height))
	}
	return exitOK
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
