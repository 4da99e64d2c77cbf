package movie

import (
	"fmt"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/overlay"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

// ringEdgePixels is the longest ring edge, in pixels, that the engine asks
// the mesh for: a tube a few pixels across needs no more ring vertices than
// that, and fewer triangles make coverage cheaper.
const ringEdgePixels = 1.5

// Movie is a scene ready to render: the mesh sized to the picture, the
// camera, the colour table and, for a still camera, the coverage. It is
// safe for concurrent use; each goroutine renders into its own Canvas.
type Movie struct {
	opts       Options
	cells      []*sceneCell
	timeline   timeline
	warnings   []string
	mesh       *mesh.Mesh
	lut        *colormap.LUT // the shader's colour table
	barLUT     *colormap.LUT // the first cell's own table, for the colour bar
	style      render.Style
	camera     *render.Camera // the first frame's camera, a still camera's only one
	still      *render.Shader // a still camera's shader: coverage worked out once
	orbit      *render.Orbit  // a turning camera: coverage per frame
	path       *render.Path   // a camera moving through keyframes: coverage per frame
	probes     int            // values sampled per frame
	sampling   render.Sampling
	frames     int
	vmin, vmax float64
	unit       string  // of the shaded values: mV, or µm for path distance
	coarser    float64 // see Coarser
	clock      *clock
	layer      *overlay.Layer // nil without annotations
	categories []string       // the cells' categories, sorted
}

// New builds the scene of rec on cell as o says. Errors about o (also
// those only the recording reveals, such as automatic limits that meet) are
// *OptionError; any other error is about the cell or the recording.
func New(cell *morph.Cell, rec *voltage.Recording, o Options) (*Movie, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if cell == nil {
		return nil, fmt.Errorf("movie needs a cell")
	}
	return NewScene([]Cell{{Morph: cell, Rec: rec}}, o)
}

// NewScene builds the scene of several cells as o says: they stand as
// their placements and o.Layout put them, in one mesh that the camera
// frames as a whole; each is coloured by its own colours or o.Colors; and
// their recordings are aligned in time (see Warnings). A target or a
// keyframe's target names a cell by its index, "2:soma" ("soma" is the
// first cell's); a point "X,Y,Z" is in that cell's recorded µm. A scene of
// one unmoved cell is exactly New's movie. Errors are as New's.
func NewScene(cells []Cell, o Options) (*Movie, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if err := validateCells(cells); err != nil {
		return nil, err
	}
	m := &Movie{opts: o, cells: placeCells(cells, o)}
	var category []int
	m.categories, category = categoriesOf(cells)
	for i, c := range m.cells {
		shaded, err := o.coloring(c.morph, c.rec, category[i])
		if err != nil {
			return nil, m.cellError(i, err)
		}
		if shaded != c.rec {
			c.src = nil // the values shaded are made here, whole
		}
		c.rec, c.span = shaded, spanOf(cells[i], shaded, o)
	}
	m.unit = m.cells[0].rec.Unit
	switch o.ColorBy {
	case ByDistance:
		m.unit = "µm"
	case ByType, ByColor, ByCategory:
		m.unit = ""
	}
	var err error
	m.timeline, err = newTimeline(m.cells, func(w string) { m.warnings = append(m.warnings, w) })
	if err != nil {
		return nil, err
	}
	m.frames = m.timeline.base
	if o.Resample > 0 {
		m.frames = o.Resample
	}
	if err := m.colourTable(); err != nil {
		return nil, err
	}
	if o.Target != "" {
		q, err := m.resolve(o.Target)
		if err != nil {
			return nil, err
		}
		m.opts.View.Target = &q
	}
	if err := m.buildMesh(); err != nil {
		return nil, err
	}
	m.style = o.Look.style()
	m.sampling.AA, m.sampling.Lit, m.sampling.DepthCue = o.Look.AA, o.Look.Shading == "lit", o.Look.DepthCue
	if m.Moving() {
		m.camera = m.cameraAt(0)
	} else if m.camera, err = render.FitCamera(m.mesh, m.opts.View, o.Width, o.Height); err != nil {
		return nil, err
	}
	if err := m.checkCoverage(); err != nil {
		return nil, err
	}
	if !m.Moving() {
		cov, err := render.Cover(m.mesh, m.camera, m.sampling, 0)
		if err != nil {
			return nil, err
		}
		if m.still, err = render.NewShader(m.mesh, cov, m.lut, m.style); err != nil {
			return nil, err
		}
	}
	m.clock = newClock(o.Label, m.timeline, m.frames)
	if err := m.buildOverlays(); err != nil {
		return nil, err
	}
	return m, nil
}

// colourTable sets the table that colours the shaded values, and the
// limits it spans: a fixed table when the colours come from no colormap,
// else the cells' colormaps (see buildPalette).
func (m *Movie) colourTable() error {
	lut, fixed, err := m.opts.fixedTable(len(m.categories))
	if fixed {
		m.lut, m.barLUT = lut, lut
		return err
	}
	return m.buildPalette()
}

// buildMesh sweeps the cells for the picture. The mesh is built twice:
// once sized to a cheap stand-in for the framing (the box of the cells'
// centre lines) to measure the framing, then for the picture scale that
// framing measured, with every tube at least Look.MinWidth pixels wide and
// thin tubes swept with fewer ring vertices. The framing hardly moves,
// since only sub-pixel radii grow and small cells lose detail; the orbit,
// if any, is fitted to the final mesh. Widened tubes get an opacity below
// 1 in proportion.
func (m *Movie) buildMesh() error {
	o := m.opts
	prepared := make([]*morph.Prepared, len(m.cells))
	for i, c := range m.cells {
		var err error
		if prepared[i], err = c.geom.prepare(c.shape, c.rec); err != nil {
			return m.cellError(i, err)
		}
	}
	so := o.Geometry.meshOptions()
	so.MaxVertices = mesh.PictureMaxVertices
	so.MaxEdge = ringEdgePixels * boxPixel(joinCells(prepared), o.Width, o.Height)
	first, err := m.sweep(prepared, so, nil)
	if err != nil {
		return err
	}
	cam, err := m.fitCamera(first)
	if err != nil {
		return err
	}
	px := cam.UnitsPerPixel()
	minRadius := o.Look.MinWidth / 2 * px
	so.MinRadius, so.MaxEdge = minRadius, ringEdgePixels*px
	first = nil // the first mesh may go before the second is built
	if m.mesh, err = m.sweep(prepared, so, cam); err != nil {
		return err
	}
	switch {
	case o.Orbit != 0:
		m.orbit, err = render.FitOrbit(m.mesh, o.View, o.Orbit, o.Width, o.Height)
	case len(o.Keys) > 0:
		m.path, err = m.fitPath(m.mesh)
	}
	return err
}

// coverageChecks is how many frames of a moving camera's movie are checked
// for the cost of their coverage before any is rendered.
const coverageChecks = 8

// checkCoverage refuses, before any coverage is worked out, a picture whose
// coverage passes would cost too much (render.MaxCoverageTests): the still
// camera's, or coverageChecks frames spread over a moving camera's movie.
// The error is an *OptionError naming the options that lower the cost.
func (m *Movie) checkCoverage() error {
	cams := []*render.Camera{m.camera}
	if m.Moving() {
		for k := 1; k < coverageChecks; k++ {
			cams = append(cams, m.cameraAt(k*m.frames/coverageChecks))
		}
	}
	aa := m.opts.Look.AA
	for _, cam := range cams {
		if err := render.CheckCoverage(m.mesh, cam, aa); err != nil {
			return &OptionError{
				err:    fmt.Errorf("aa %d: %w; lower aa, zoom or the picture's width and height", aa, err),
				Others: []string{"zoom", "width", "height"},
			}
		}
	}
	return nil
}

// fitPath resolves the keyframes' targets and times and fits the camera
// path to msh.
func (m *Movie) fitPath(msh *mesh.Mesh) (*render.Path, error) {
	keys := make([]render.Key, len(m.opts.Keys))
	for i, k := range m.opts.Keys {
		v := render.View{Plane: m.opts.View.Plane, Zoom: k.Zoom, Azimuth: k.Azimuth, Elevation: k.Elevation, Roll: k.Roll, FOV: k.FOV}
		if k.Target != "" {
			q, err := m.resolve(k.Target)
			if err != nil {
				return nil, fmt.Errorf("keyframe %d: %w", i, err)
			}
			v.Target = &q
		}
		frame := k.Frame
		if k.Time != nil {
			var err error
			if frame, err = m.timeline.frameAt(*k.Time, m.frames); err != nil {
				return nil, &OptionError{err: fmt.Errorf("keyframe %d: time %g: %w", i, *k.Time, err)}
			}
		}
		keys[i] = render.Key{Frame: frame, View: v}
	}
	p, err := render.FitPath(msh, keys, m.opts.Width, m.opts.Height)
	if err != nil {
		return nil, &OptionError{err: err}
	}
	return p, nil
}

// fitCamera frames msh as the movie's first frame shows it.
func (m *Movie) fitCamera(msh *mesh.Mesh) (*render.Camera, error) {
	o := m.opts
	switch {
	case o.Orbit != 0:
		orbit, err := render.FitOrbit(msh, o.View, o.Orbit, o.Width, o.Height)
		if err != nil {
			return nil, err
		}
		return orbit.At(0), nil
	case len(o.Keys) > 0:
		path, err := m.fitPath(msh)
		if err != nil {
			return nil, err
		}
		return path.At(0), nil
	}
	return render.FitCamera(msh, o.View, o.Width, o.Height)
}

// Locate returns where the recorded point p (µm) of the first cell
// appears in frame k, in pixels (x to the right, y down; pixel centres at
// +0.5).
func (m *Movie) Locate(p morph.Point, k int) (x, y float64) {
	return m.LocateIn(0, p, k)
}

// LocateIn returns where the recorded point p (µm) of cell i appears in
// frame k, as Locate.
func (m *Movie) LocateIn(i int, p morph.Point, k int) (x, y float64) {
	q := m.cells[i].place(p)
	cam := m.cameraAt(k)
	x, y, _ = cam.Project([3]float64{q.X, q.Y, q.Z})
	return x, y
}

// Unit is the unit of the values the colours show: the recording's
// (mV for membrane voltage; "" when the recorder could not tell), or µm
// when colouring by path distance.
func (m *Movie) Unit() string { return m.unit }

// Coarser says how far the mesh's detail was lowered to fit
// mesh.PictureMaxVertices: 1 not at all, otherwise how many times longer
// than asked its ring edges may be (+Inf: at its coarsest).
func (m *Movie) Coarser() float64 { return m.coarser }

// Frames is the number of frames in the whole movie.
func (m *Movie) Frames() int { return m.frames }

// Limits are the voltages (mV) at the colormap's ends, Auto ones resolved
// (the first cell's, when cells are coloured differently).
func (m *Movie) Limits() (vmin, vmax float64) { return m.vmin, m.vmax }

// Mesh is the mesh as the picture shows it.
func (m *Movie) Mesh() *mesh.Mesh { return m.mesh }

// Moving reports whether the camera moves, so that coverage is worked out
// for every frame.
func (m *Movie) Moving() bool { return m.orbit != nil || m.path != nil }

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
	frame    *render.Frame
	moving   *movingCamera   // nil with a still camera
	overlays *overlay.Drawer // nil without annotations
	probeV   []float32
	windows  []*voltage.Window // by cell: the frames it holds of a cell read a frame at a time
	// drawn says the frame's picture is that of the last frame rendered;
	// unchanged, that the picture of that frame is byte for byte that of
	// the frame before it.
	drawn, unchanged bool
}

// NewCanvas makes a canvas for this movie's frames.
func (m *Movie) NewCanvas() *Canvas {
	c := &Canvas{probeV: make([]float32, m.probes), windows: make([]*voltage.Window, len(m.cells))}
	for i, sc := range m.cells {
		if sc.src != nil {
			c.windows[i] = voltage.NewWindow(sc.rec, sc.src, sc.sampler)
		}
	}
	if m.layer != nil {
		c.overlays = m.layer.NewDrawer()
	}
	return c
}

// Render draws frame k (0 ≤ k < Frames) into c and returns the picture,
// which stays valid until c renders again and must not be changed: when
// frame k looks exactly like the last frame c rendered, Render hands back
// that picture without drawing it again (see Canvas.Unchanged).
func (m *Movie) Render(k int, c *Canvas) (*render.Image, error) {
	if k < 0 || k >= m.frames {
		return nil, fmt.Errorf("frame %d: the movie has frames 0…%d", k, m.frames-1)
	}
	c.unchanged = false
	shader, err := m.shaderAt(k, c)
	if err != nil {
		return nil, fmt.Errorf("frame %d: %w", k, err)
	}
	if c.frame == nil {
		c.frame = shader.NewFrame()
	}
	b := frameTime(k, m.frames, m.timeline.base)
	if err := m.sample(b, c); err != nil {
		return nil, fmt.Errorf("frame %d: %w", k, err)
	}
	same := shader.Shade(c.frame, c.probeV)
	// Annotations change from frame to frame (the time, at least).
	if c.unchanged = same && c.drawn && c.overlays == nil; c.unchanged {
		return c.frame.Image, nil
	}
	c.drawn = false
	shader.Draw(c.frame)
	if m.opts.Look.Transparent {
		if err := shader.Transparent(c.frame); err != nil {
			return nil, fmt.Errorf("frame %d: %w", k, err)
		}
	}
	if c.overlays != nil {
		c.overlays.Draw(c.frame.Image, overlay.Frame{Clock: m.clock.text(k), Time: m.clock.at(b)})
	}
	c.drawn = true
	return c.frame.Image, nil
}

// Unchanged reports whether the picture of the last frame c rendered is
// byte for byte that of the frame c rendered before it: the cell's light
// the same in every pixel (as at rest, when voltages drift less than a
// colour step), the same camera, and no annotations. A writer that stored
// the frame before can store the same file again instead of encoding it.
func (c *Canvas) Unchanged() bool { return c.unchanged }

// shaderAt returns the shader for frame k. A moving camera's coverage is
// worked out on the calling goroutine (frames are already rendered in
// parallel), into the canvas's own coverage and shader of its last frame.
func (m *Movie) shaderAt(k int, c *Canvas) (*render.Shader, error) {
	if !m.Moving() {
		return m.still, nil
	}
	mc := c.moving
	if mc == nil {
		coverer, err := render.NewCoverer(m.mesh, m.sampling, 1)
		if err != nil {
			return nil, err
		}
		mc = &movingCamera{coverer: coverer}
		c.moving = mc
	}
	cam := m.cameraAt(k)
	if mc.shader != nil && *cam == mc.cam {
		return mc.shader, nil // the camera holds still: the same coverage
	}
	cov, err := mc.coverer.Cover(cam, mc.cov)
	if err != nil {
		return nil, err
	}
	mc.cov, mc.cam = cov, *cam
	if mc.shader == nil {
		mc.shader, err = render.NewShader(m.mesh, cov, m.lut, m.style)
		return mc.shader, err
	}
	return mc.shader, mc.shader.Use(cov)
}

// movingCamera is a canvas's coverage and shader for a moving camera,
// redone for every frame in the same memory.
type movingCamera struct {
	coverer *render.Coverer
	cov     *render.Coverage
	cam     render.Camera // the camera cov was worked out for
	shader  *render.Shader
}

// cameraAt is the camera of frame k.
func (m *Movie) cameraAt(k int) *render.Camera {
	switch {
	case m.orbit != nil:
		return m.orbit.At(float64(k) / float64(m.frames))
	case m.path != nil:
		return m.path.At(float64(k))
	}
	return m.camera
}
