package movie

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

// ringEdgePixels is the longest ring edge, in pixels, that the engine asks
// the mesh for: a tube a few pixels across needs no more ring vertices than
// that, and fewer triangles make coverage cheaper.
const ringEdgePixels = 1.5

// labelColour is the label's text colour.
var labelColour = [3]uint8{230, 230, 230}

// Movie is a scene ready to render: the mesh sized to the picture, the
// camera, the colour table and, for a still camera, the coverage. It is
// safe for concurrent use; each goroutine renders into its own Canvas.
type Movie struct {
	opts       Options
	rec        *voltage.Recording
	mesh       *mesh.Mesh
	lut        *colormap.LUT
	style      render.Style
	sampling   render.Sampling
	still      *render.Shader // a still camera: coverage worked out once
	orbit      *render.Orbit  // a moving camera: coverage per frame
	sampler    *voltage.Sampler
	frames     int
	vmin, vmax float64
	label      func(k int) string
}

// New builds the scene of rec on cell as o says. Errors about o (also
// those only the recording reveals, such as automatic limits that meet) are
// *OptionError; any other error is about the cell or the recording.
func New(cell *morph.Cell, rec *voltage.Recording, o Options) (*Movie, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if cell == nil || rec == nil {
		return nil, fmt.Errorf("movie needs a cell and its recording")
	}
	m := &Movie{opts: o, rec: rec, frames: rec.Frames}
	if o.Resample > 0 {
		m.frames = o.Resample
	}
	var err error
	if m.vmin, m.vmax, err = o.Colors.limits(rec); err != nil {
		return nil, err
	}
	cmap, err := o.Colors.colormap()
	if err != nil {
		return nil, err
	}
	if m.lut, err = colormap.NewLUT(cmap, m.vmin, m.vmax); err != nil {
		return nil, &OptionError{err}
	}
	if err := m.buildMesh(cell); err != nil {
		return nil, err
	}
	m.style = o.Look.style()
	m.sampling.AA, m.sampling.Lit, m.sampling.DepthCue = o.Look.AA, o.Look.Shading == "lit", o.Look.DepthCue
	if m.orbit == nil {
		cam, err := render.FitCamera(m.mesh, o.View, o.Width, o.Height)
		if err != nil {
			return nil, err
		}
		cov, err := render.Cover(m.mesh, cam, m.sampling, 0)
		if err != nil {
			return nil, err
		}
		if m.still, err = render.NewShader(m.mesh, cov, m.lut, m.style); err != nil {
			return nil, err
		}
	}
	if m.sampler, err = voltage.NewSampler(rec, m.mesh.Probes); err != nil {
		return nil, err
	}
	m.label = frameLabel(o.Label, rec, m.frames)
	return m, nil
}

// buildMesh sweeps the cell for the picture. The mesh is built twice: once
// at true size to frame it, then for the picture scale that framing
// measured, with every tube at least Look.MinWidth pixels wide and thin
// tubes swept with fewer ring vertices. The framing hardly moves, since only
// sub-pixel radii grow; the orbit, if any, is fitted to the final mesh.
// Widened tubes get an opacity below 1 in proportion.
func (m *Movie) buildMesh(cell *morph.Cell) error {
	o := m.opts
	prepared, err := o.Geometry.prepare(cell, m.rec)
	if err != nil {
		return err
	}
	first, err := mesh.Build(prepared, o.Geometry.meshOptions(0, 0))
	if err != nil {
		return err
	}
	cam, err := m.fitCamera(first)
	if err != nil {
		return err
	}
	px := cam.UnitsPerPixel()
	minRadius := o.Look.MinWidth / 2 * px
	if m.mesh, err = mesh.Build(prepared, o.Geometry.meshOptions(minRadius, ringEdgePixels*px)); err != nil {
		return err
	}
	m.sampling.Opacity = opacity(prepared, m.mesh, o.Geometry.SimplifySoma, minRadius)
	if o.Orbit != 0 {
		m.orbit, err = render.FitOrbit(m.mesh, o.View, o.Orbit, o.Width, o.Height)
	}
	return err
}

// fitCamera frames msh as the movie's first frame shows it.
func (m *Movie) fitCamera(msh *mesh.Mesh) (*render.Camera, error) {
	o := m.opts
	if o.Orbit == 0 {
		return render.FitCamera(msh, o.View, o.Width, o.Height)
	}
	orbit, err := render.FitOrbit(msh, o.View, o.Orbit, o.Width, o.Height)
	if err != nil {
		return nil, err
	}
	return orbit.At(0), nil
}

// limits resolves the voltage limits, taking Auto ones from the recording's
// 0.5th and 99.5th percentiles rounded outwards to 0.1 mV (so they can be
// reused as numbers).
func (c Colors) limits(rec *voltage.Recording) (vmin, vmax float64, err error) {
	vmin, vmax = c.VMin.Value, c.VMax.Value
	if c.VMin.Auto || c.VMax.Auto {
		lo, hi, err := rec.Percentiles(0.5, 99.5)
		if err != nil {
			return 0, 0, err
		}
		if c.VMin.Auto {
			vmin = math.Floor(lo*10) / 10
		}
		if c.VMax.Auto {
			vmax = math.Ceil(hi*10) / 10
		}
		if vmin >= vmax && c.VMin.Auto && c.VMax.Auto {
			vmin, vmax = vmin-1, vmax+1 // a flat recording
		}
	}
	if !(vmin < vmax) {
		return 0, 0, bad("vmin", vmin, "must be below vmax %g", vmax)
	}
	return vmin, vmax, nil
}

// Frames is the number of frames in the whole movie.
func (m *Movie) Frames() int { return m.frames }

// Limits are the voltages (mV) at the colormap's ends, Auto ones resolved.
func (m *Movie) Limits() (vmin, vmax float64) { return m.vmin, m.vmax }

// Mesh is the mesh as the picture shows it.
func (m *Movie) Mesh() *mesh.Mesh { return m.mesh }

// Moving reports whether the camera moves, so that coverage is worked out
// for every frame.
func (m *Movie) Moving() bool { return m.orbit != nil }

// Touched is the number of pixels the cell covers with a still camera
// (0 with a moving one).
func (m *Movie) Touched() int {
	if m.still == nil {
		return 0
	}
	return m.still.Coverage().Touched()
}

// Canvas is one goroutine's picture and scratch space, reused frame after
// frame. Make it with NewCanvas; it is not safe for concurrent use.
type Canvas struct {
	frame   *render.Frame
	labeler *render.Labeler
	probeV  []float32
}

// NewCanvas makes a canvas for this movie's frames.
func (m *Movie) NewCanvas() *Canvas {
	return &Canvas{probeV: make([]float32, m.sampler.Len())}
}

// Render draws frame k (0 ≤ k < Frames) into c and returns the picture,
// which stays valid until c renders again.
func (m *Movie) Render(k int, c *Canvas) (*render.Image, error) {
	if k < 0 || k >= m.frames {
		return nil, fmt.Errorf("frame %d: the movie has frames 0…%d", k, m.frames-1)
	}
	shader, err := m.shaderAt(k)
	if err != nil {
		return nil, fmt.Errorf("frame %d: %w", k, err)
	}
	if c.frame == nil {
		c.frame = shader.NewFrame()
		c.labeler = render.NewLabeler(m.opts.Height, labelColour)
	}
	m.sampler.Sample(m.rec.FrameTime(k, m.frames), c.probeV)
	shader.Render(c.frame, c.probeV)
	if m.label != nil {
		c.labeler.Draw(c.frame.Image, m.label(k))
	}
	return c.frame.Image, nil
}

// shaderAt returns the shader for frame k. A moving camera's coverage is
// worked out on the calling goroutine: frames are already rendered in
// parallel.
func (m *Movie) shaderAt(k int) (*render.Shader, error) {
	if m.orbit == nil {
		return m.still, nil
	}
	cov, err := render.Cover(m.mesh, m.orbit.At(float64(k)/float64(m.frames)), m.sampling, 1)
	if err != nil {
		return nil, err
	}
	return render.NewShader(m.mesh, cov, m.lut, m.style)
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
