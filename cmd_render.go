package main

import (
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

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

// maxSide bounds the picture size so that a typo cannot ask for terabytes.
const maxSide = 16384

// renderFlags are the render command's settings besides geometry.
type renderFlags struct {
	out, pattern  string
	width, height int

	cmap                string
	vmin, vmax          string
	cmapStart, cmapStop float64
	cmapSteps           int

	view                     string
	azimuth, elevation, roll float64
	zoom, fov                float64
	orbit                    float64

	aa         int
	minWidth   float64
	shading    string
	emission   float64
	background string
	bloom      float64

	resample     int
	label        string
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
	fs.StringVarP(&f.out, "out", "o", "frames", "output folder (created if missing)")
	fs.StringVar(&f.pattern, "pattern", "frame_%05d.png", "file name of each frame, with one frame-number verb: %d, or %0Nd zero-padded to N digits")
	fs.IntVar(&f.width, "width", 1920, "picture width in pixels")
	fs.IntVar(&f.height, "height", 1080, "picture height in pixels")
	fs.StringVar(&f.cmap, "cmap", "plasma", `colormap: any matplotlib or seaborn name, NAME_r reversed, or colours "#000000,#ff3000,…"`)
	fs.StringVar(&f.vmin, "vmin", "-70", `voltage (mV) at the colormap's start, or "auto" (0.5th percentile of the recording)`)
	fs.StringVar(&f.vmax, "vmax", "20", `voltage (mV) at the colormap's end, or "auto" (99.5th percentile of the recording)`)
	fs.Float64Var(&f.cmapStart, "cmap-start", 0, "use the colormap from this point (0…1)")
	fs.Float64Var(&f.cmapStop, "cmap-stop", 1, "use the colormap up to this point (0…1)")
	fs.IntVar(&f.cmapSteps, "cmap-steps", 0, "BlenderSpike's stepped colour ramp with this many stops (≥ 2); 0 = the exact colormap")
	fs.StringVar(&f.view, "view", "xy", "base view: xy (looking down −Z, +Y up), xz or yz")
	fs.Float64Var(&f.azimuth, "azimuth", 0, "turn the camera about the view's up axis (degrees)")
	fs.Float64Var(&f.elevation, "elevation", 0, "tilt the camera up over the view's right axis (degrees)")
	fs.Float64Var(&f.roll, "roll", 0, "turn the picture about the viewing axis (degrees; positive turns the cell counter-clockwise)")
	fs.Float64Var(&f.zoom, "zoom", 1, "magnify the framing, 0.001 to 1000 (1 fits the whole cell in about 90% of the picture)")
	fs.Float64Var(&f.orbit, "orbit", 0, "turn the camera this many degrees about the view's up axis over the movie (360 loops seamlessly)")
	fs.Float64Var(&f.fov, "fov", 0, "vertical field of view in degrees (0.1 to 179) for a perspective camera; 0 = orthographic")
	fs.IntVar(&f.aa, "aa", 2, "anti-aliasing: N×N samples per pixel (1 = off)")
	fs.Float64Var(&f.minWidth, "min-width", 1, "draw every branch at least this many pixels wide, so thin axons stay unbroken lines (0 = true widths)")
	fs.StringVar(&f.shading, "shading", "emission", "emission (the colormap's colour, glowing) or lit (diffuse + ambient headlight)")
	fs.Float64Var(&f.emission, "emission", 1, "emission strength: multiplies the colour in linear light")
	fs.StringVar(&f.background, "background", "#000000", "background colour (#rrggbb)")
	fs.Float64Var(&f.bloom, "bloom", 0.6, "glow around bright parts (0 = off)")
	fs.IntVar(&f.resample, "resample", 0, "render N frames spread evenly over the recording, up to 10 million (0 = one per recorded frame)")
	fs.StringVar(&f.label, "label", "none", `text in the top-left corner: none, time (simulated ms; the frame number when the recording has no time span) or frame`)
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

// Bounds of the render flags' values.
const (
	minZoom, maxZoom = 1e-3, 1e3
	minFOV, maxFOV   = 0.1, 179 // degrees; 0 is orthographic
	maxMinWidth      = 100      // pixels
	maxEmission      = 1000
	maxBloom         = 1000
	maxVoltage       = 1e9 // mV, either sign
	minFPS, maxFPS   = 1e-3, 1e3
	maxFrames        = 1e7 // --resample: a movie of 93 hours at 30 fps
	maxCRF           = 51  // x264's worst quality
	maxAntiAliasing  = 8   // samples per pixel side
	maxAngle         = 1e6 // degrees, either sign: beyond, turns lose precision
)

// validate checks every setting that does not depend on the recording,
// one group of settings at a time: each value for what it means, so that
// nothing the flags can ask for makes a picture, a file name or a job
// that cannot be.
func (f *renderFlags) validate() error {
	for _, check := range []func() error{f.validatePicture, f.validateCamera, f.validateLook, f.validateOutput} {
		if err := check(); err != nil {
			return err
		}
	}
	return nil
}

// validatePicture checks the picture's size, anti-aliasing and minimum
// line width.
func (f *renderFlags) validatePicture() error {
	switch {
	case f.width < 1 || f.width > maxSide || f.height < 1 || f.height > maxSide:
		return fmt.Errorf("--width/--height %d×%d: each must be 1 to %d", f.width, f.height, maxSide)
	case f.aa < 1 || f.aa > maxAntiAliasing:
		return fmt.Errorf("--aa %d: must be 1 (off) to %d", f.aa, maxAntiAliasing)
	case int64(f.width)*int64(f.height)*int64(f.aa*f.aa) > render.MaxSamples:
		return fmt.Errorf("--width %d --height %d --aa %d: %d samples per frame, more than %d; lower the size or --aa",
			f.width, f.height, f.aa, int64(f.width)*int64(f.height)*int64(f.aa*f.aa), render.MaxSamples)
	}
	return inRange("--min-width", f.minWidth, 0, maxMinWidth)
}

// validateCamera checks the view, its angles, zoom and field of view.
func (f *renderFlags) validateCamera() error {
	if f.view != "xy" && f.view != "xz" && f.view != "yz" {
		return fmt.Errorf("--view %q: want xy, xz or yz", f.view)
	}
	for _, a := range []struct {
		name string
		v    float64
	}{{"--azimuth", f.azimuth}, {"--elevation", f.elevation}, {"--roll", f.roll}, {"--orbit", f.orbit}} {
		if err := inRange(a.name, a.v, -maxAngle, maxAngle); err != nil {
			return err
		}
	}
	if err := inRange("--zoom", f.zoom, minZoom, maxZoom); err != nil {
		return err
	}
	if f.fov != 0 && !(f.fov >= minFOV && f.fov <= maxFOV) {
		return fmt.Errorf("--fov %v: must be %g to %g degrees, or 0 for orthographic", f.fov, float64(minFOV), float64(maxFOV))
	}
	return nil
}

// validateLook checks the colormap, the voltage limits and the shading.
func (f *renderFlags) validateLook() error {
	if _, err := f.colormap(); err != nil {
		return err
	}
	var v [2]float64
	var auto [2]bool
	for i, l := range []struct{ name, v string }{{"--vmin", f.vmin}, {"--vmax", f.vmax}} {
		var err error
		if v[i], auto[i], err = parseLimit(l.v); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	if !auto[0] && !auto[1] && !(v[0] < v[1]) {
		return fmt.Errorf("--vmin %g must be below --vmax %g", v[0], v[1])
	}
	switch {
	case f.shading != "emission" && f.shading != "lit":
		return fmt.Errorf("--shading %q: want emission or lit", f.shading)
	case f.label != "none" && f.label != "time" && f.label != "frame":
		return fmt.Errorf("--label %q: want none, time or frame", f.label)
	}
	if err := inRange("--emission", f.emission, 0, maxEmission); err != nil {
		return err
	}
	if err := inRange("--bloom", f.bloom, 0, maxBloom); err != nil {
		return err
	}
	_, err := parseBackground(f.background)
	return err
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
	case f.resample < 0 || f.resample > maxFrames:
		return fmt.Errorf("--resample %d: must be 0 (one frame per recorded frame) to %d", f.resample, int(maxFrames))
	case f.jobs < 0:
		return fmt.Errorf("--jobs %d: must be ≥ 0", f.jobs)
	case f.crf < 0 || f.crf > maxCRF:
		return fmt.Errorf("--crf %d: must be 0 to %d", f.crf, maxCRF)
	case f.video != "" && f.shard != "":
		return fmt.Errorf("--video makes one movie: it cannot be split with --shard (render PNG shards, then stitch them)")
	case f.video != "" && f.skipExisting:
		return fmt.Errorf("--skip-existing resumes PNG frames; a --video is always written whole")
	}
	if err := inRange("--fps", f.fps, minFPS, maxFPS); err != nil {
		return err
	}
	if f.video != "" {
		if st, err := os.Stat(f.video); err == nil && st.IsDir() {
			return fmt.Errorf("--video %s: is a folder; give the movie's file name", f.video)
		}
	}
	return nil
}

// inRange checks that a flag's value is a number from lo to hi (NaN and
// infinities are not).
func inRange(name string, v, lo, hi float64) error {
	if !(v >= lo && v <= hi) {
		return fmt.Errorf("%s %v: must be a number from %g to %g", name, v, lo, hi)
	}
	return nil
}

// parseLimit reads a voltage limit: a number of mV, or "auto".
func parseLimit(s string) (v float64, auto bool, err error) {
	if s == "auto" {
		return 0, true, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || !(math.Abs(v) <= maxVoltage) {
		return 0, false, fmt.Errorf("%q is neither a voltage in mV (within ±%g) nor \"auto\"", s, float64(maxVoltage))
	}
	return v, false, nil
}

func parseBackground(s string) ([3]uint8, error) {
	c, err := colorful.Hex(s)
	if err != nil {
		return [3]uint8{}, fmt.Errorf("--background %q: want a colour as #rrggbb", s)
	}
	r, g, b := c.RGB255()
	return [3]uint8{r, g, b}, nil
}

// colormap resolves --cmap with --cmap-start, --cmap-stop and --cmap-steps.
func (f *renderFlags) colormap() (*colormap.Map, error) {
	return buildColormap(f.cmap, f.cmapStart, f.cmapStop, f.cmapSteps, colormapFlagNames{"--cmap", "--cmap-start/--cmap-stop", "--cmap-steps"})
}

// limits resolves --vmin/--vmax, taking "auto" from the recording's 0.5th
// and 99.5th percentiles (rounded outwards to 0.1 mV so they can be reused).
func (f *renderFlags) limits(rec *voltage.Recording) (vmin, vmax float64, err error) {
	vmin, autoMin, _ := parseLimit(f.vmin)
	vmax, autoMax, _ := parseLimit(f.vmax)
	if autoMin || autoMax {
		lo, hi, err := rec.Percentiles(0.5, 99.5)
		if err != nil {
			return 0, 0, err
		}
		if autoMin {
			vmin = math.Floor(lo*10) / 10
		}
		if autoMax {
			vmax = math.Ceil(hi*10) / 10
		}
		if vmin >= vmax && autoMin && autoMax {
			vmin, vmax = vmin-1, vmax+1 // a flat recording
		}
	}
	if !(vmin < vmax) {
		return 0, 0, fmt.Errorf("--vmin %g must be below --vmax %g", vmin, vmax)
	}
	return vmin, vmax, nil
}

// parseRenderArgs parses and validates the render command's arguments:
// the flags and the one recording. It returns done=true with the status to
// exit with after --help (0) or a usage error (2, after printing it).
func parseRenderArgs(args []string, stdout, stderr io.Writer) (f *renderFlags, geom *geometryFlags, path string, status int, done bool) {
	fs := newFlags("render", "RECORDING [flags]", stdout, stderr)
	f = addRenderFlags(fs)
	geom = addGeometryFlags(fs)
	if status, done := parseFlags(fs, args); done {
		return nil, nil, "", status, true
	}
	if fs.NArg() != 1 {
		return nil, nil, "", usageErr(stderr, "render", "want exactly one recording file (see --help)"), true
	}
	for _, err := range []error{f.validate(), geom.validate()} {
		if err != nil {
			return nil, nil, "", usageErr(stderr, "render", "%v", err), true
		}
	}
	return f, geom, fs.Arg(0), exitOK, false
}

func cmdRender(args []string, stdout, stderr io.Writer) int {
	f, geom, path, status, done := parseRenderArgs(args, stdout, stderr)
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
	cell, rec, err := blenderspike.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitInput
	}
	if stop.caught() {
		return stopped()
	}
	total := rec.Frames
	if f.resample > 0 {
		total = f.resample
	}
	frames, err := parseFrameRange(f.frames, total)
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
	vmin, vmax, err := f.limits(rec)
	if err != nil {
		return usageErr(stderr, "render", "%v", err)
	}
	if f.vmin == "auto" || f.vmax == "auto" {
		say("limits: --vmin %g --vmax %g (mV)", vmin, vmax)
	}
	say("read %s: %d sections, %d frames (%.2f s)", path, len(cell.Sections), rec.Frames, time.Since(start).Seconds())

	start = time.Now()
	width, height := f.width, f.height
	if f.video != "" && (width%2 != 0 || height%2 != 0) {
		width, height = width+width%2, height+height%2
		say("warning: --video needs an even picture size for yuv420p: rendering %d×%d", width, height)
	}
	workers := workerCount(f.jobs)
	if f.jobs > workers {
		say("note: -j %d is more than %d per core: rendering %d frames at a time", f.jobs, maxWorkersPerCore, workers)
	}
	view := render.View{Plane: f.view, Azimuth: f.azimuth, Elevation: f.elevation, Roll: f.roll, Zoom: f.zoom, FOV: f.fov}
	m, cams, err := meshAndCameras(cell, rec, geom, view, f.orbit, width, height, f.minWidth)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", path, err)
		return exitInput
	}
	say("mesh: %d vertices, %d triangles (%.2f s)", len(m.Positions), len(m.Triangles), time.Since(start).Seconds())

	start = time.Now()
	cmap, _ := f.colormap() // validated above
	lut, err := colormap.NewLUT(cmap, vmin, vmax)
	if err != nil {
		return usageErr(stderr, "render", "%v", err)
	}
	bg, _ := parseBackground(f.background) // validated above
	scene := &scene{
		mesh:  m,
		aa:    f.aa,
		lit:   f.shading == "lit",
		lut:   lut,
		style: render.Style{Background: bg, Emission: f.emission, Bloom: f.bloom},
	}
	if cams.orbit != nil {
		scene.orbit = cams.orbit
		say("coverage: worked out for every frame as the camera turns")
	} else {
		if err := scene.fix(cams.static, workers); err != nil {
			fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", path, err)
			return exitInput
		}
		say("coverage: %d of %d pixels touched (%.2f s)", scene.shader.Coverage().Touched(), width*height, time.Since(start).Seconds())
	}
	sampler, err := voltage.NewSampler(rec, m.Probes)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %s: %v\n", path, err)
		return exitInput
	}
	if stop.caught() {
		return stopped()
	}

	var sink frameSink
	if f.video != "" {
		sink, err = newVideoSink(ffmpeg, f.video, width, height, f.fps, f.crf, frames.first)
	} else {
		pattern, _ := parsePattern(f.pattern) // validated above
		sink, err = newPNGSink(f.out, pattern, width, height, f.skipExisting, frames)
	}
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitOutput
	}
	job := &frameJob{
		scene:    scene,
		sampler:  sampler,
		rec:      rec,
		total:    total,
		frames:   frames,
		sink:     sink,
		workers:  workers,
		stop:     stop.stopped(),
		progress: newProgress(stderr, frames.len(), f.quiet),
	}
	job.label = frameLabel(f.label, rec, total)
	if f.label == "time" && !rec.HasTime {
		say("note: %s records no time span; --label time shows frame numbers", path)
	}
	switch err := job.run(); {
	case errors.Is(err, errStopped):
		fmt.Fprintf(stderr, "spikeframes render: stopped by %v; frames written so far are complete\n", stop.sig)
		return stop.status()
	case err != nil:
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitOutput // every failure once frames are flowing is an output failure
	}
	if f.video != "" {
		job.progress.finish("wrote " + f.video)
		return exitOK
	}
	job.progress.finish("rendered into " + f.out)
	if !f.quiet {
		fmt.Fprintln(stdout, "Make a movie with:")
		fmt.Fprintf(stdout, "  ffmpeg -framerate %g -start_number %d -i %s -c:v libx264 -pix_fmt yuv420p -crf %d%s movie.mp4\n",
			f.fps, frames.first, shellQuote(filepath.Join(f.out, f.pattern)), f.crf, evenSizeFilter(width, height))
	}
	return exitOK
}

// frameLabel returns the text for output frame k of total, or nil for no
// label. Times come from the recording's span: recorded frames are spread
// evenly from its start to its end.
func frameLabel(kind string, rec *voltage.Recording, total int) func(int) string {
	switch {
	case kind == "time" && rec.HasTime:
		return func(k int) string {
			t := rec.TStart
			if rec.Frames > 1 {
				t += (rec.TStop - rec.TStart) * rec.FrameTime(k, total) / float64(rec.Frames-1)
			}
			return fmt.Sprintf("%.2f ms", t)
		}
	case kind == "time" || kind == "frame":
		return func(k int) string { return fmt.Sprintf("frame %d", k) }
	}
	return nil
}

// ringEdgePixels is the longest ring edge, in pixels, that the renderer
// asks the mesh for: a tube a few pixels across needs no more ring
// vertices than that, and fewer triangles make coverage cheaper.
const ringEdgePixels = 1.5

// cameras is how the picture is framed: one static camera, or an orbit.
type cameras struct {
	static *render.Camera
	orbit  *render.Orbit
}

// frameCameras fits the cameras for m; first is the camera at the movie's
// start.
func frameCameras(m *mesh.Mesh, view render.View, orbit float64, width, height int) (c cameras, first *render.Camera, err error) {
	if orbit == 0 {
		c.static, err = render.FitCamera(m, view, width, height)
		return c, c.static, err
	}
	if c.orbit, err = render.FitOrbit(m, view, orbit, width, height); err != nil {
		return c, nil, err
	}
	return c, c.orbit.At(0), nil
}

// meshAndCameras builds the mesh and the cameras that frame it. The mesh
// is built a second time for the picture scale the first framing measured:
// with every tube at least minWidth pixels wide (0: true widths) and thin
// tubes swept with fewer ring vertices. The framing hardly moves, since
// only sub-pixel radii grow.
func meshAndCameras(cell *morph.Cell, rec *voltage.Recording, geom *geometryFlags, view render.View, orbit float64, width, height int, minWidth float64) (*mesh.Mesh, cameras, error) {
	m, err := geom.buildMesh(cell, rec)
	if err != nil {
		return nil, cameras{}, err
	}
	_, first, err := frameCameras(m, view, orbit, width, height)
	if err != nil {
		return nil, cameras{}, err
	}
	px := first.UnitsPerPixel()
	if m, err = geom.buildMeshFor(cell, rec, minWidth/2*px, ringEdgePixels*px); err != nil {
		return nil, cameras{}, err
	}
	c, _, err := frameCameras(m, view, orbit, width, height)
	return m, c, err
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
