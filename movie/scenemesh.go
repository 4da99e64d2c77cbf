package movie

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/voltage"
)

// sweep builds every prepared cell's mesh with so and joins them into one,
// in the cells' order: the joined mesh's probes name sections counted over
// all the cells' sections in turn. The cells share so.MaxVertices in
// proportion to the meshes they would make, so that a crowded scene loses
// detail evenly. For framing (cam nil) only the positions are kept. For
// the picture, each cell takes the detail its size in cam's picture calls
// for (see detail), each cell's sampler reads its own probes, the cell
// learns where they lie in the joined mesh, Coarser learns how far detail
// was lowered, and the sampling learns the opacity of widened tubes. Every
// cell is swept on its own, so the cost grows with the cells, not with
// their square.
func (m *Movie) sweep(prepared []*morph.Prepared, so mesh.Options, cam *render.Camera) (*mesh.Mesh, error) {
	framing := cam == nil
	opts := make([]mesh.Options, len(prepared))
	for i, p := range prepared {
		opts[i] = so
		if !framing {
			opts[i] = m.detail(p, so, cam)
		}
	}
	budgets, err := m.budgets(prepared, opts, so.MaxVertices)
	if err != nil {
		return nil, err
	}
	// The meshes' sizes, to join them into arrays made once at their size.
	sizes := make([]mesh.Size, len(m.cells))
	var total mesh.Size
	for i, c := range m.cells {
		if framing && len(m.cells) == 1 {
			break
		}
		co := opts[i]
		co.MaxVertices = budgets[i]
		if sizes[i], err = mesh.Estimate(prepared[i], co); err != nil {
			return nil, m.cellError(i, c.geom.sizeError(err))
		}
		total.Vertices += sizes[i].Vertices
		total.Triangles += sizes[i].Triangles
		total.Probes += sizes[i].Probes
	}
	var joined *mesh.Mesh
	if len(m.cells) > 1 {
		joined = &mesh.Mesh{Positions: make([]mesh.Vec3, 0, total.Vertices)}
		if !framing {
			joined.Normals = make([]mesh.Vec3, 0, total.Vertices)
			joined.VertexProbe = make([]uint32, 0, total.Vertices)
			joined.Triangles = make([][3]uint32, 0, total.Triangles)
			joined.Probes = make([]morph.Probe, 0, total.Probes)
		}
	}
	var opacities [][]float32 // of each cell's vertices, nil where none is widened
	widened := false
	sections := 0
	for i, c := range m.cells {
		co := opts[i]
		co.MaxVertices = budgets[i]
		if !framing {
			m.coarser = max(m.coarser, sizes[i].Edge/co.MaxEdge)
		}
		cm, err := mesh.Build(prepared[i], co)
		if err != nil {
			return nil, m.cellError(i, c.geom.sizeError(err))
		}
		if !framing {
			if c.sampler, err = voltage.NewSampler(c.rec, cm.Probes, cm.Junctions...); err != nil {
				return nil, m.cellError(i, err)
			}
			c.first, c.count, c.vertices = m.probes, len(cm.Probes), len(cm.Positions)
			m.probes += len(cm.Probes)
			op := opacity(prepared[i], cm, m.opts.Geometry.SimplifySoma, so.MinRadius)
			opacities = append(opacities, op)
			widened = widened || op != nil
		}
		if len(m.cells) == 1 {
			if !framing {
				m.sampling.Opacity = opacities[0]
			}
			return cm, nil
		}
		appendMesh(joined, cm, sections, framing)
		sections += len(c.shape.Sections)
	}
	if widened {
		m.sampling.Opacity = make([]float32, 0, len(joined.Positions))
		for i, op := range opacities {
			if op == nil {
				op = make([]float32, m.cells[i].vertices)
				for v := range op {
					op[v] = 1
				}
			}
			m.sampling.Opacity = append(m.sampling.Opacity, op...)
		}
	}
	return joined, nil
}

// budgets shares limit vertices among the cells in proportion to the
// vertices each would take at the detail of its options; a single cell
// has them all.
func (m *Movie) budgets(prepared []*morph.Prepared, opts []mesh.Options, limit int) ([]int, error) {
	budgets := make([]int, len(prepared))
	if len(prepared) == 1 {
		budgets[0] = limit
		return budgets, nil
	}
	wants := make([]int64, len(prepared))
	var total int64
	for i, p := range prepared {
		full := opts[i]
		full.MaxVertices = mesh.MaxVertices
		size, err := mesh.Estimate(p, full)
		if err != nil {
			return nil, m.cellError(i, m.cells[i].geom.sizeError(err))
		}
		wants[i] = int64(size.Vertices)
		total += wants[i]
	}
	for i, w := range wants {
		budgets[i] = limit
		if total > int64(limit) {
			budgets[i] = max(1, int(int64(limit)*w/total))
		}
	}
	return budgets, nil
}

// joinCells is one prepared cell holding all of cells' sections, for
// measures over all of them.
func joinCells(cells []*morph.Prepared) *morph.Prepared {
	if len(cells) == 1 {
		return cells[0]
	}
	joined := &morph.Prepared{Thickness: cells[0].Thickness}
	for _, c := range cells {
		joined.Sections = append(joined.Sections, c.Sections...)
	}
	return joined
}

// cellError says which cell an error is about, in a scene of several: an
// *OptionError keeps the option's name first.
func (m *Movie) cellError(i int, err error) error {
	if len(m.cells) == 1 || err == nil {
		return err
	}
	var oe *OptionError
	if errors.As(err, &oe) {
		return &OptionError{err: fmt.Errorf("%w (cell %d)", err, i), Others: oe.Others}
	}
	return fmt.Errorf("cell %d: %w", i, err)
}

// appendMesh adds part to joined, the sections of its probes and junctions
// counted from sections; positionsOnly keeps nothing but the vertex
// positions.
func appendMesh(joined, part *mesh.Mesh, sections int, positionsOnly bool) {
	vertices, probes := uint32(len(joined.Positions)), uint32(len(joined.Probes))
	joined.Positions = append(joined.Positions, part.Positions...)
	if positionsOnly {
		return
	}
	joined.Normals = append(joined.Normals, part.Normals...)
	for _, t := range part.Triangles {
		joined.Triangles = append(joined.Triangles, [3]uint32{t[0] + vertices, t[1] + vertices, t[2] + vertices})
	}
	shift := int32(sections)
	for _, p := range part.Probes {
		joined.Probes = append(joined.Probes, morph.Probe{Section: p.Section + shift, Pos: p.Pos})
	}
	for _, j := range part.Junctions {
		moved := morph.Junction{Ends: make([]morph.End, len(j.Ends))}
		for k, e := range j.Ends {
			e.Section += shift
			moved.Ends[k] = e
		}
		if j.On != nil {
			on := *j.On
			on.Section += shift
			moved.On = &on
		}
		joined.Junctions = append(joined.Junctions, moved)
	}
	for _, p := range part.VertexProbe {
		joined.VertexProbe = append(joined.VertexProbe, p+probes)
	}
}

// sample reads every cell's probes at place b of the time base into the
// canvas's probe values, mapping them into the cells' colour bands where
// they have them; a cell read a frame at a time is read through the
// canvas's window on it.
func (m *Movie) sample(b float64, cv *Canvas) error {
	for i, c := range m.cells {
		v := cv.probeV[c.first : c.first+c.count]
		t := m.timeline.cellTime(c, b)
		if w := cv.windows[i]; w != nil {
			if err := w.Sample(t, v); err != nil {
				return m.cellError(i, err)
			}
		} else {
			c.sampler.Sample(t, v)
		}
		if c.band != nil {
			c.band.apply(v)
		}
	}
	return nil
}

// cellOf splits a target or a traced section into the cell it names and
// the rest: "2:soma" is cell 2's soma; without a cell index, the first
// cell's.
func cellOf(s string) (cell int, rest string) {
	if i := strings.IndexByte(s, ':'); i > 0 {
		if n, err := strconv.Atoi(s[:i]); err == nil && n >= 0 {
			return n, s[i+1:]
		}
	}
	return 0, s
}

// resolve returns the point in mesh units that a target names.
func (m *Movie) resolve(target string) ([3]float64, error) {
	i, rest := cellOf(target)
	if i >= len(m.cells) {
		return [3]float64{}, bad("target", fmt.Sprintf("%q", target), "no cell %d: the scene has cells 0…%d", i, len(m.cells)-1)
	}
	c := m.cells[i]
	p, err := resolveTarget(c.morph, rest)
	if err != nil {
		return [3]float64{}, err
	}
	q := c.place(p)
	return [3]float64{q.X, q.Y, q.Z}, nil
}

// Cells is the number of cells in the scene.
func (m *Movie) Cells() int { return len(m.cells) }

// CellLimits are the voltages (mV) at the ends of cell i's colormap, Auto
// ones resolved.
func (m *Movie) CellLimits(i int) (vmin, vmax float64) { return m.cells[i].vmin, m.cells[i].vmax }

// Warnings are what NewScene noticed and went on despite, such as
// recordings of different lengths aligned frame by frame.
func (m *Movie) Warnings() []string { return m.warnings }

// TimeKnown reports whether the frames' simulated times are known (a
// time span stored in the recordings or given), so that a time label
// shows times rather than frame numbers.
func (m *Movie) TimeKnown() bool { return m.timeline.span.Set }
