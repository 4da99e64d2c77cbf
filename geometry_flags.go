package main

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/movie"
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
	d := movie.DefaultOptions().Geometry
	fs.StringVar(&g.segmentation, "segmentation", "auto", `points per section, evenly spaced in arc length (N ≥ 2), or "auto": every 3-D point plus every simulated segment`)
	fs.Float64Var(&g.downscale, "downscale", d.Prepare.Downscale, fmt.Sprintf("divide coordinates and diameters by this factor (%g to %g)", float64(morph.MinDownscale), float64(morph.MaxDownscale)))
	fs.BoolVar(&g.center, "center", d.Prepare.Center, "move the soma centre to the origin")
	fs.Float64Var(&g.thickness, "thickness", d.Prepare.Thickness, fmt.Sprintf("branch thickness, %g to %g: tube radius = thickness × diameter/2", float64(morph.MinThickness), float64(morph.MaxThickness)))
	fs.Float64Var(&g.homogeneity, "homogeneity", d.Prepare.Homogeneity, "thickness homogeneity in [0,1]: pull every diameter towards the mean")
	fs.BoolVar(&g.simplifySoma, "simplify-soma", d.SimplifySoma, "draw the soma as a sphere coloured by its mean voltage")
	fs.BoolVar(&g.caps, "caps", d.Caps, "close the free tips with flat discs instead of rounding them")
	fs.IntVar(&g.sides, "sides", d.Sides, "vertices around each tube ring")
	return g
}

// geometry turns the flags into the engine's geometry options, or reports
// the first bad value (the message begins with the flag).
func (g *geometryFlags) geometry() (movie.Geometry, error) {
	geo := movie.Geometry{
		Prepare:      morph.Options{Downscale: g.downscale, Center: g.center, Thickness: g.thickness, Homogeneity: g.homogeneity},
		Sides:        g.sides,
		Caps:         g.caps,
		SimplifySoma: g.simplifySoma,
	}
	if g.segmentation != "auto" {
		n, err := strconv.Atoi(g.segmentation)
		if err != nil || n < 2 {
			return geo, fmt.Errorf(`--segmentation %q: want a whole number ≥ 2 or "auto"`, g.segmentation)
		}
		geo.Prepare.Segmentation = n
	}
	return geo, flagError(geo.Validate())
}

// flagError turns the engine's *movie.OptionError, whose message begins
// with the option's name, into one that begins with the flag ("--zoom 0:
// …") and names the other options it suggests as flags too; other errors
// pass unchanged.
func flagError(err error) error {
	var oe *movie.OptionError
	if !errors.As(err, &oe) {
		return err
	}
	msg := "--" + err.Error()
	for _, name := range oe.Others {
		msg = wordPattern(name).ReplaceAllString(msg, "${1}--"+name)
	}
	return errors.New(msg)
}

// wordPattern matches name as a whole word not already a flag.
func wordPattern(name string) *regexp.Regexp {
	return regexp.MustCompile(`(^|[^-\w])` + regexp.QuoteMeta(name) + `\b`)
}
