package movie

import (
	"errors"
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// meshOptions are the sweep options at full detail.
func (g Geometry) meshOptions() mesh.Options {
	return mesh.Options{Sides: g.Sides, Caps: g.Caps, SimplifySoma: g.SimplifySoma}
}

// BuildMesh prepares cell and sweeps it into tubes at true size and full
// detail, as the mesh command exports it. rec supplies each section's
// simulated segment count for auto segmentation and may be nil. A mesh too
// large to build is an *OptionError naming segmentation and sides.
func (g Geometry) BuildMesh(cell *morph.Cell, rec *voltage.Recording) (*mesh.Mesh, error) {
	prepared, err := g.prepare(cell, rec)
	if err != nil {
		return nil, err
	}
	m, err := mesh.Build(prepared, g.meshOptions())
	return m, g.sizeError(err)
}

// prepare centres, scales and resamples the cell for meshing; rec supplies
// each section's simulated segment count for auto segmentation and may be
// nil.
func (g Geometry) prepare(cell *morph.Cell, rec *voltage.Recording) (*morph.Prepared, error) {
	var nseg []int
	if rec != nil {
		if len(rec.Traces) != len(cell.Sections) {
			return nil, fmt.Errorf("recording has %d voltage traces for %d sections", len(rec.Traces), len(cell.Sections))
		}
		nseg = make([]int, len(rec.Traces))
		for i, t := range rec.Traces {
			nseg[i] = t.NSeg
		}
	}
	prepared, err := morph.Prepare(cell, nseg, g.Prepare)
	return prepared, g.sizeError(err)
}

// sizeError turns a cell too large for the geometry options into an
// *OptionError that names the options to change; other errors pass.
func (g Geometry) sizeError(err error) error {
	if !errors.Is(err, morph.ErrTooLarge) && !errors.Is(err, mesh.ErrTooLarge) {
		return err
	}
	seg := "auto"
	if g.Prepare.Segmentation > 0 {
		seg = fmt.Sprint(g.Prepare.Segmentation)
	}
	return &OptionError{
		err:    fmt.Errorf("segmentation %s: %w; lower segmentation (auto adds points for every simulated segment) or sides", seg, err),
		Others: []string{"sides"},
	}
}

// boxPixel is the size in mesh units of a pixel of a width × height
// picture whose shorter side spans the diagonal of the box that holds the
// prepared cell's centre lines, widened by its thickest radius: a cheap
// stand-in for the framing, to size the mesh that measures the framing.
func boxPixel(c *morph.Prepared, width, height int) float64 {
	lo, hi, diam := centreLineBox(c)
	reach := diagonal(lo, hi) + max(c.Thickness, mesh.SomaScale)*diam
	return reach / float64(min(width, height))
}

// centreLineBox is the box that holds the prepared cell's centre lines,
// and the largest diameter along them.
func centreLineBox(c *morph.Prepared) (lo, hi [3]float64, diam float64) {
	lo = [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi = [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for _, s := range c.Sections {
		for _, p := range s.Points {
			for a, v := range [3]float64{p.X, p.Y, p.Z} {
				lo[a], hi[a] = math.Min(lo[a], v), math.Max(hi[a], v)
			}
			diam = math.Max(diam, p.Diam)
		}
	}
	return lo, hi, diam
}

// diagonal is the length of the diagonal of the box from lo to hi.
func diagonal(lo, hi [3]float64) float64 {
	return math.Hypot(math.Hypot(hi[0]-lo[0], hi[1]-lo[1]), hi[2]-lo[2])
}
