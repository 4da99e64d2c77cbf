package movie

import (
	"fmt"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// meshOptions are the sweep options for a picture scale: tube radii raised
// to at least minRadius mesh units, ring edges kept within maxEdge (0: no
// limit).
func (g Geometry) meshOptions(minRadius, maxEdge float64) mesh.Options {
	return mesh.Options{Sides: g.Sides, Caps: g.Caps, SimplifySoma: g.SimplifySoma, MinRadius: minRadius, MaxEdge: maxEdge}
}

// BuildMesh prepares cell and sweeps it into tubes at true size, as the
// mesh command exports it. rec supplies each section's simulated segment
// count for auto segmentation and may be nil.
func (g Geometry) BuildMesh(cell *morph.Cell, rec *voltage.Recording) (*mesh.Mesh, error) {
	prepared, err := g.prepare(cell, rec)
	if err != nil {
		return nil, err
	}
	return mesh.Build(prepared, g.meshOptions(0, 0))
}

// prepare centres, scales, thickens and segments cell as BlenderSpike's
// Neuron Builder does.
func (g Geometry) prepare(cell *morph.Cell, rec *voltage.Recording) (*morph.Cell, error) {
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
	return morph.Prepare(cell, nseg, g.Prepare)
}
