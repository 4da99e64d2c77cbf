package movie

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/voltage"
)

// sweep builds every cell's mesh at a picture scale (see
// Geometry.meshOptions) and joins them into one, in the cells' order: the
// joined mesh's probes name sections counted over all the cells' sections
// in turn. For framing only the positions are kept. For the picture, each
// cell's sampler reads its own probes and the cell learns where they lie
// in the joined mesh. Every cell is swept on its own, so the cost grows
// with the cells, not with their square.
func (m *Movie) sweep(minRadius, maxEdge float64, framing bool) (*mesh.Mesh, error) {
	var joined *mesh.Mesh
	sections := 0
	for i, c := range m.cells {
		cm, err := c.geom.buildMesh(c.shape, c.rec, minRadius, maxEdge)
		if err != nil {
			if len(m.cells) > 1 {
				err = fmt.Errorf("cell %d: %w", i, err)
			}
			return nil, err
		}
		if !framing {
			if c.sampler, err = voltage.NewSampler(c.rec, cm.Probes); err != nil {
				return nil, err
			}
			c.first, c.count = m.probes, len(cm.Probes)
			m.probes += len(cm.Probes)
		}
		if len(m.cells) == 1 {
			return cm, nil
		}
		if joined == nil {
			joined = &mesh.Mesh{}
		}
		if len(joined.Positions)+len(cm.Positions) > mesh.MaxVertices {
			return nil, fmt.Errorf("the scene's mesh would have more than %d vertices; lower the segmentation or the sides, or render fewer cells", mesh.MaxVertices)
		}
		appendMesh(joined, cm, sections, framing)
		sections += len(c.shape.Sections)
	}
	return joined, nil
}

// appendMesh adds part to joined, its probes' sections counted from
// sections; positionsOnly keeps nothing but the vertex positions.
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
	for _, p := range part.Probes {
		joined.Probes = append(joined.Probes, voltage.Probe{Section: p.Section + int32(sections), Pos: p.Pos})
	}
	for _, p := range part.VertexProbe {
		joined.VertexProbe = append(joined.VertexProbe, p+probes)
	}
}

// sample reads every cell's probes at place b of the time base into
// probeV, mapping them into the cells' colour bands where they have them.
func (m *Movie) sample(b float64, probeV []float32) {
	for _, c := range m.cells {
		v := probeV[c.first : c.first+c.count]
		c.sampler.Sample(m.timeline.cellTime(c, b), v)
		if c.band != nil {
			c.band.apply(v)
		}
	}
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
