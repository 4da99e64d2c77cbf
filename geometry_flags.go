package main

import (
	"errors"
	"fmt"
	"io"
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
	fs.Float64Var(&g.downscale, "downscale", mo.Downscale, "divide coordinates and diameters by this factor")
	fs.BoolVar(&g.center, "center", mo.Center, "move the soma centre to the origin")
	fs.Float64Var(&g.thickness, "thickness", mo.Thickness, "branch thickness: tube radius = thickness × diameter/2")
	fs.Float64Var(&g.homogeneity, "homogeneity", mo.Homogeneity, "thickness homogeneity in [0,1]: pull every diameter towards the mean")
	fs.BoolVar(&g.simplifySoma, "simplify-soma", so.SimplifySoma, "draw the soma as a sphere coloured by its mean voltage")
	fs.BoolVar(&g.caps, "caps", so.Caps, "close the free tube ends")
	fs.IntVar(&g.sides, "sides", so.Sides, "vertices around each tube ring")
	return g
}

// options turns the flags into preparation and meshing options, or reports
// the first bad value.
func (g *geometryFlags) options() (morph.Options, mesh.Options, error) {
	mo := morph.Options{Downscale: g.downscale, Center: g.center, Thickness: g.thickness, Homogeneity: g.homogeneity}
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

// buildMesh prepares the cell and sweeps it at the flags' full detail; rec
// supplies each section's simulated segment count for auto segmentation
// and may be nil.
func (g *geometryFlags) buildMesh(cell *morph.Cell, rec *voltage.Recording) (*mesh.Mesh, error) {
	prepared, so, err := g.prepare(cell, rec)
	if err != nil {
		return nil, err
	}
	return mesh.Build(prepared, so)
}

// prepare turns the flags into meshing options and prepares the cell for
// them; rec supplies each section's simulated segment count for auto
// segmentation and may be nil. See meshStatus for what its errors mean.
func (g *geometryFlags) prepare(cell *morph.Cell, rec *voltage.Recording) (*morph.Cell, mesh.Options, error) {
	mo, so, err := g.options()
	if err != nil {
		return nil, so, err
	}
	var nseg []int
	if rec != nil {
		if len(rec.Traces) != len(cell.Sections) {
			return nil, so, fmt.Errorf("recording has %d voltage traces for %d sections", len(rec.Traces), len(cell.Sections))
		}
		nseg = make([]int, len(rec.Traces))
		for i, t := range rec.Traces {
			nseg[i] = t.NSeg
		}
	}
	prepared, err := morph.Prepare(cell, nseg, mo)
	return prepared, so, err
}

// meshStatus reports an error from preparing or meshing the recording at
// path and returns the exit status: a cell too large for the geometry
// flags is a usage error (2) that names the flags to change, anything
// else an input error (1).
func meshStatus(stderr io.Writer, cmd, path string, err error) int {
	if errors.Is(err, morph.ErrTooLarge) || errors.Is(err, mesh.ErrTooLarge) {
		return usageErr(stderr, cmd, "%s: %v; lower --segmentation (auto adds points for every simulated segment) or --sides", path, err)
	}
	fmt.Fprintf(stderr, "spikeframes %s: %s: %v\n", cmd, path, err)
	return exitInput
}
