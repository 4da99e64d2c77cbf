package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// geometryFlags are the Neuron Builder controls shared by every command
// that meshes a cell, with BlenderSpike's defaults.
type geometryFlags struct {
	segmentation string
	downscale    float64
	center       bool
	thickness    float64
	homogeneity  float64
	simplifySoma bool
	caps         bool
	sides        int
}

// addGeometryFlags registers --segmentation (N or "auto"), --downscale,
// --center, --thickness, --homogeneity, --simplify-soma, --caps and --sides.
func addGeometryFlags(fs *pflag.FlagSet) *geometryFlags {
	g := &geometryFlags{}
	mo, so := morph.DefaultOptions(), mesh.DefaultOptions()
	fs.StringVar(&g.segmentation, "segmentation", "auto", `points per section, evenly spaced in arc length (N ≥ 2), or "auto": every 3-D point plus every simulated segment`)
	fs.Float64Var(&g.downscale, "downscale", mo.Downscale, "divide coordinates and diameters by this factor (0.001 to 1e6)")
	fs.BoolVar(&g.center, "center", mo.Center, "move the soma centre to the origin")
	fs.Float64Var(&g.thickness, "thickness", mo.Thickness, "branch thickness, 0.001 to 1000: tube radius = thickness × diameter/2")
	fs.Float64Var(&g.homogeneity, "homogeneity", mo.Homogeneity, "thickness homogeneity in [0,1]: pull every diameter towards the mean")
	fs.BoolVar(&g.simplifySoma, "simplify-soma", so.SimplifySoma, "draw the soma as a sphere coloured by its mean voltage")
	fs.BoolVar(&g.caps, "caps", so.Caps, "close the free tube ends")
	fs.IntVar(&g.sides, "sides", so.Sides, "vertices around each tube ring")
	return g
}

// Bounds of the scale flags. Within them a cell of any real size (up to
// metres, in µm) keeps every mesh coordinate and radius finite, in float32.
const (
	minDownscale, maxDownscale = 1e-3, 1e6
	minThickness, maxThickness = 1e-3, 1e3
)

// options turns the flags into preparation and meshing options, or reports
// the first bad value.
func (g *geometryFlags) options() (morph.Options, mesh.Options, error) {
	mo := morph.Options{Downscale: g.downscale, Center: g.center, Thickness: g.thickness, Homogeneity: g.homogeneity}
	if err := inRange("--downscale", g.downscale, minDownscale, maxDownscale); err != nil {
		return mo, mesh.Options{}, err
	}
	if err := inRange("--thickness", g.thickness, minThickness, maxThickness); err != nil {
		return mo, mesh.Options{}, err
	}
	if g.segmentation != "auto" {
		n, err := strconv.Atoi(g.segmentation)
		if err != nil || n < 2 {
			return mo, mesh.Options{}, fmt.Errorf(`--segmentation %q: want a whole number ≥ 2 or "auto"`, g.segmentation)
		}
		mo.Segmentation = n
	}
	if err := mo.Validate(); err != nil {
		return mo, mesh.Options{}, fmt.Errorf("--%w", err)
	}
	so := mesh.Options{Sides: g.sides, Caps: g.caps, SimplifySoma: g.simplifySoma}
	if err := so.Validate(); err != nil {
		return mo, so, fmt.Errorf("--%w", err)
	}
	return mo, so, nil
}

// validate reports a bad flag value (the caller exits with status 2).
func (g *geometryFlags) validate() error {
	_, _, err := g.options()
	return err
}

// buildMesh prepares the cell and sweeps it; rec supplies each section's
// simulated segment count for auto segmentation and may be nil. Errors are
// input errors (status 1).
func (g *geometryFlags) buildMesh(cell *morph.Cell, rec *voltage.Recording) (*mesh.Mesh, error) {
	return g.buildMeshFor(cell, rec, 0, 0)
}

// buildMeshFor is buildMesh for a known picture scale: tube radii are
// raised to at least minRadius mesh units, and thin tubes get just enough
// ring vertices to keep ring edges within maxEdge (0: no limit, no change).
func (g *geometryFlags) buildMeshFor(cell *morph.Cell, rec *voltage.Recording, minRadius, maxEdge float64) (*mesh.Mesh, error) {
	mo, so, err := g.options()
	if err != nil {
		return nil, err
	}
	so.MinRadius, so.MaxEdge = minRadius, maxEdge
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
	prepared, err := morph.Prepare(cell, nseg, mo)
	if err != nil {
		return nil, err
	}
	return mesh.Build(prepared, so)
}
