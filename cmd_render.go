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
	"syscall"
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
	fs.StringVar(&f.pattern, "pattern", "frame_%05d.png", "file name of each frame, with one frame-number verb")
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
	fs.Float64Var(&f.zoom, "zoom", 1, "magnify the framing (1 fits the whole cell in about 90% of the picture)")
	fs.Float64Var(&f.orbit, "orbit", 0, "turn the camera this many degrees about the view's up axis over the movie (360 loops seamlessly)")
	fs.Float64Var(&f.fov, "fov", 0, "vertical field of view in degrees for a perspective camera; 0 = orthographic")
	fs.IntVar(&f.aa, "aa", 2, "anti-aliasing: N×N samples per pixel (1 = off)")
	fs.Float64Var(&f.minWidth, "min-width", 1, "draw every branch at least this many pixels wide, so thin axons stay unbroken lines (0 = true widths)")
	fs.StringVar(&f.shading, "shading", "emission", "emission (the colormap's colour, glowing) or lit (diffuse + ambient headlight)")
	fs.Float64Var(&f.emission, "emission", 1, "emission strength: multiplies the colour in linear light")
	fs.StringVar(&f.background, "background", "#000000", "background colour (#rrggbb)")
	fs.Float64Var(&f.bloom, "bloom", 0.6, "glow around bright parts (0 = off)")
	fs.IntVar(&f.resample, "resample", 0, "render N frames spread evenly over the recording (0 = one per recorded frame)")
	fs.StringVar(&f.label, "label", "none", `text in the top-left corner: none, time (simulated ms; the frame number when the recording has no time span) or frame`)
	fs.StringVar(&f.frames, "frames", "", "render only output frames A ≤ f < B, as A:B (either side may be left out)")
	fs.StringVar(&f.shard, "shard", "", `render the K-th of N contiguous blocks of the frames, as K/N (0-based), or "auto" from a Slurm array job`)
	fs.BoolVar(&f.skipExisting, "skip-existing", false, "skip frames whose file already exists (resume a killed job)")
	fs.StringVar(&f.video, "video", "", "write an H.264 MP4 through ffmpeg instead of PNG files")
	fs.Float64Var(&f.fps, "fps", 30, "frames per second of --video")
	fs.IntVar(&f.crf, "crf", 18, "quality of --video (x264 CRF: 0 lossless … 51 worst)")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "print nothing but errors")
	fs.IntVarP(&f.jobs, "jobs", "j", 0, "frames rendered in parallel (0 = one per core)")
	return f
}

// validate checks the settings that do not depend on the recording.
func (f *renderFlags) validate() error {
	switch {
	case f.width < 1 || f.width > maxSide || f.height < 1 || f.height > maxSide:
		return fmt.Errorf("--width/--height %d×%d: each must be 1 to %d", f.width, f.height, maxSide)
	case f.aa < 1 || f.aa > 8:
		return fmt.Errorf("--aa %d: must be 1 (off) to 8", f.aa)
	case int64(f.width)*int64(f.height)*int64(f.aa*f.aa) > render.MaxSamples:
		return fmt.Errorf("--width %d --height %d --aa %d: %d samples per frame, more than %d; lower the size or --aa",
			f.width, f.height, f.aa, int64(f.width)*int64(f.height)*int64(f.aa*f.aa), render.MaxSamples)
	case !(f.minWidth >= 0 && f.minWidth <= 100):
		return fmt.Errorf("--min-width %v: must be 0 to 100 pixels", f.minWidth)
	case f.shading != "emission" && f.shading != "lit":
		return fmt.Errorf("--shading %q: want emission or lit", f.shading)
	case f.label != "none" && f.label != "time" && f.label != "frame":
		return fmt.Errorf("--label %q: want none, time or frame", f.label)
	case f.view != "xy" && f.view != "xz" && f.view != "yz":
		return fmt.Errorf("--view %q: want xy, xz or yz", f.view)
	case !(f.zoom > 0) || math.IsInf(f.zoom, 0):
		return fmt.Errorf("--zoom %v: must be a positive number", f.zoom)
	case math.IsNaN(f.orbit) || math.IsInf(f.orbit, 0):
		return fmt.Errorf("--orbit %v: must be a number of degrees", f.orbit)
	case !(f.fov >= 0 && f.fov < 180):
		return fmt.Errorf("--fov %v: must be in (0, 180) degrees, or 0 for orthographic", f.fov)
	case !(f.emission >= 0) || math.IsInf(f.emission, 0):
		return fmt.Errorf("--emission %v: must be a number ≥ 0", f.emission)
	case !(f.bloom >= 0) || math.IsInf(f.bloom, 0):
		return fmt.Errorf("--bloom %v: must be a number ≥ 0", f.bloom)
	case f.resample < 0:
		return fmt.Errorf("--resample %d: must be ≥ 0", f.resample)
	case f.jobs < 0:
		return fmt.Errorf("--jobs %d: must be ≥ 0", f.jobs)
	case !(f.fps > 0) || math.IsInf(f.fps, 0):
		return fmt.Errorf("--fps %v: must be a positive number", f.fps)
	case f.crf < 0 || f.crf > 51:
		return fmt.Errorf("--crf %d: must be 0 to 51", f.crf)
	case f.video != "" && f.shard != "":
		return fmt.Errorf("--video makes one movie: it cannot be split with --shard (render PNG shards, then stitch them)")
	case f.video != "" && f.skipExisting:
		return fmt.Errorf("--skip-existing resumes PNG frames; a --video is always written whole")
	}
	if f.shard != "" {
		if _, err := parseShard(f.shard, os.Getenv); err != nil {
			return err
		}
	}
	if _, err := parseBackground(f.background); err != nil {
		return err
	}
	for _, l := range []struct{ name, v string }{{"--vmin", f.vmin}, {"--vmax", f.vmax}} {
		if _, _, err := parseLimit(l.v); err != nil {
			return fmt.Errorf("%s: %w", l.name, err)
		}
	}
	if err := checkPattern(f.pattern); err != nil {
		return fmt.Errorf("--pattern: %w", err)
	}
	if _, err := f.colormap(); err != nil {
		return err
	}
	return nil
}

// parseLimit reads a voltage limit: a number of mV, or "auto".
func parseLimit(s string) (v float64, auto bool, err error) {
	if s == "auto" {
		return 0, true, nil
	}
	v, err = strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false, fmt.Errorf("%q is neither a voltage in mV nor \"auto\"", s)
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
	return buildColormap(f.cmap, f.cmapStart, f.cmapStop, f.cmapSteps)
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

func cmdRender(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("render", "RECORDING [flags]", stderr)
	f := addRenderFlags(fs)
	geom := addGeometryFlags(fs)
	if status, done := parseFlags(fs, args); done {
		return status
	}
	if fs.NArg() != 1 {
		return usageErr(stderr, "render", "want exactly one recording file (see --help)")
	}
	if err := f.validate(); err != nil {
		return usageErr(stderr, "render", "%v", err)
	}
	if err := geom.validate(); err != nil {
		return usageErr(stderr, "render", "%v", err)
	}
	say := func(format string, a ...any) {
		if !f.quiet {
			fmt.Fprintf(stderr, format+"\n", a...)
		}
	}
	path := fs.Arg(0)

	start := time.Now()
	cell, rec, err := blenderspike.ReadFile(path)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes render: %v\n", err)
		return exitInput
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
	view := render.View{Plane: f.view, Azimuth: f.azimuth, Elevation: f.elevation, Roll: f.roll, Zoom: f.zoom, FOV: f.fov}
	m, cams, coarser, err := meshAndCameras(cell, rec, geom, view, f.orbit, width, height, f.minWidth)
	if err != nil {
		return meshStatus(stderr, "render", path, err)
	}
	say("mesh: %d vertices, %d triangles (%.2f s)", len(m.Positions), len(m.Triangles), time.Since(start).Seconds())
	switch {
	case math.IsInf(coarser, 1):
		say("note: mesh at its coarsest detail to fit %d vertices", mesh.PictureMaxVertices)
	case coarser > 1:
		say("note: mesh detail lowered to fit %d vertices: ring edges up to %.3g pixels instead of %g", mesh.PictureMaxVertices, coarser*ringEdgePixels, ringEdgePixels)
	}
	if err := checkCoverage(m, cams, f.aa); err != nil {
		return usageErr(stderr, "render", "%s: %v; lower --aa, --zoom or --width/--height", path, err)
	}

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
		if err := scene.fix(cams.static, f.jobs); err != nil {
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

	var sink frameSink
	if f.video != "" {
		sink, err = newVideoSink(f.video, width, height, f.fps, f.crf, frames.first)
	} else {
		sink, err = newPNGSink(f.out, f.pattern, f.skipExisting, frames)
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
		workers:  f.jobs,
		stop:     make(chan struct{}),
		progress: newProgress(stderr, frames.len(), f.quiet),
	}
	job.label = frameLabel(f.label, rec, total)
	if f.label == "time" && !rec.HasTime {
		say("note: %s records no time span; --label time shows frame numbers", path)
	}
	caught, err := job.runUntilSignalled()
	switch {
	case errors.Is(err, errStopped):
		fmt.Fprintf(stderr, "spikeframes render: stopped by %v; frames written so far are complete\n", caught)
		if caught == syscall.SIGTERM {
			return exitTerminated
		}
		return exitInterrupted
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

// meshAndCameras builds the mesh and the cameras that frame it. A first
// mesh, sized to a picture of the whole cell's bounding box, only measures
// the picture scale that the framing gives; the mesh is then built for
// that scale: every tube at least minWidth pixels wide (0: true widths),
// rings sized to ringEdgePixels, and within mesh.PictureMaxVertices,
// coarser when it would not fit: coarser is how many times longer than
// ringEdgePixels its ring edges may be (1: as asked, +Inf: the coarsest).
// The framing hardly moves, since only sub-pixel details change.
func meshAndCameras(cell *morph.Cell, rec *voltage.Recording, geom *geometryFlags, view render.View, orbit float64, width, height int, minWidth float64) (m *mesh.Mesh, c cameras, coarser float64, err error) {
	prepared, so, err := geom.prepare(cell, rec)
	if err != nil {
		return nil, c, 0, err
	}
	so.MaxVertices = mesh.PictureMaxVertices
	so.MaxEdge = ringEdgePixels * boxPixel(prepared, width, height)
	if m, err = mesh.Build(prepared, so); err != nil {
		return nil, c, 0, err
	}
	_, first, err := frameCameras(m, view, orbit, width, height)
	if err != nil {
		return nil, c, 0, err
	}
	px := first.UnitsPerPixel()
	so.MinRadius, so.MaxEdge = minWidth/2*px, ringEdgePixels*px
	m = nil // the first mesh may go before the second is built
	size, err := mesh.Estimate(prepared, so)
	if err != nil {
		return nil, c, 0, err
	}
	if m, err = mesh.Build(prepared, so); err != nil {
		return nil, c, 0, err
	}
	c, _, err = frameCameras(m, view, orbit, width, height)
	return m, c, size.Edge / so.MaxEdge, err
}

// checkCoverage refuses, before any coverage is worked out, a mesh whose
// coverage passes would cost too much: seen by the static camera, or from
// eight points of the orbit.
func checkCoverage(m *mesh.Mesh, c cameras, aa int) error {
	if c.orbit == nil {
		return render.CheckCoverage(m, c.static, aa)
	}
	for k := range 8 {
		if err := render.CheckCoverage(m, c.orbit.At(float64(k)/8), aa); err != nil {
			return err
		}
	}
	return nil
}

// boxPixel is the size in mesh units of a pixel of a width × height
// picture whose shorter side spans the diagonal of the box that holds the
// prepared cell's centre lines, widened by its thickest radius.
func boxPixel(c *morph.Cell, width, height int) float64 {
	lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	var diam float64
	for _, s := range c.Sections {
		for _, p := range s.Points {
			for a, v := range [3]float64{p.X, p.Y, p.Z} {
				lo[a], hi[a] = math.Min(lo[a], v), math.Max(hi[a], v)
			}
			diam = math.Max(diam, p.Diam)
		}
	}
	reach := math.Hypot(math.Hypot(hi[0]-lo[0], hi[1]-lo[1]), hi[2]-lo[2]) + max(c.Thickness, mesh.SomaScale)*diam
	return reach / float64(min(width, height))
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
