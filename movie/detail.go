package movie

import (
	"math"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
)

// Level of detail by screen size. A network is many cells each a few
// pixels wide: their meshes follow their size in the picture, so that
// triangles grow with the picture rather than with the circuit. A cell
// that spans a good part of the picture (a single cell at any usual
// framing) keeps the full detail the picture asks for.
const (
	// detailShare is the share of the picture's shorter side below which
	// a cell's projection gets a level of detail of its own.
	detailShare = 0.25
	// dotPixels is the projected size (pixels) below which a cell is drawn
	// as its soma alone.
	dotPixels = 4
	// smallPixels is the projected size (pixels) below which a cell's
	// rings are spaced further apart, in proportion, up to
	// coarsestEdgeFactor times the picture's ring edge.
	smallPixels        = 64
	coarsestEdgeFactor = 4
)

// projectedSize is how many pixels the prepared cell spans as cam shows
// it (its bounding box's diagonal at its centre's scale), and the mesh
// units of one pixel there; ok is false when it cannot be told (a cell
// behind a perspective camera).
func projectedSize(c *morph.Prepared, cam *render.Camera) (pixels, unitsPerPixel float64, ok bool) {
	lo, hi, _ := centreLineBox(c)
	var centre [3]float64
	for a := range 3 {
		centre[a] = (lo[a] + hi[a]) / 2
	}
	diag := diagonal(lo, hi)
	// A small step along each axis: the sum of the squares of the three
	// steps' pictures is twice the square of a step across the view.
	step := 1e-3 * max(diag, cam.UnitsPerPixel())
	x0, y0, _ := cam.Project(centre)
	var sum float64
	for a := range 3 {
		q := centre
		q[a] += step
		x, y, _ := cam.Project(q)
		sum += (x-x0)*(x-x0) + (y-y0)*(y-y0)
	}
	perUnit := math.Sqrt(sum/2) / step
	if !(perUnit > 0) || math.IsInf(perUnit, 0) {
		return 0, 0, false
	}
	return diag * perUnit, 1 / perUnit, true
}

// detailed reports whether the movie's cells get a level of detail of
// their own: with a still camera, or one that orbits without perspective,
// the first frame's scale holds for the whole movie.
func (m *Movie) detailed() bool {
	o := m.opts
	return len(o.Keys) == 0 && (o.Orbit == 0 || o.View.FOV == 0)
}

// detail is the mesh options of a cell as cam shows it, from so, the
// picture's: a cell whose projection spans less than detailShare of the
// picture's shorter side gets rings sized to its own scale, its thinnest
// tubes as few as three ring vertices, rings further apart the smaller it
// is below smallPixels, and below dotPixels its soma alone.
func (m *Movie) detail(c *morph.Prepared, so mesh.Options, cam *render.Camera) mesh.Options {
	if so.MaxEdge <= 0 || !m.detailed() {
		return so
	}
	size, unit, ok := projectedSize(c, cam)
	if !ok || size >= detailShare*float64(min(m.opts.Width, m.opts.Height)) {
		return so
	}
	so.FewestSides = mesh.MinSides
	// so.MaxEdge is the picture's ring edge at the framed centre's scale.
	so.MaxEdge *= unit / cam.UnitsPerPixel() * min(coarsestEdgeFactor, max(1, smallPixels/size))
	so.SomaOnly = size < dotPixels
	return so
}
