package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/colormap"
)

// Size of the swatch "colormap --png" writes, and the most samples it prints.
const (
	swatchWidth  = 512
	swatchHeight = 48
	maxSamples   = 4096
)

// colormapCommand prints samples of one colormap.
func colormapCommand() command {
	return command{
		name:    "colormap",
		summary: "print samples of a colormap (hex or JSON) or write a swatch PNG",
		run:     runColormap,
	}
}

func runColormap(args []string, stdout, stderr io.Writer) int {
	const name = "colormap"
	fs := newFlags(name, "NAME|#rrggbb,#rrggbb,... [flags]", stdout, stderr)
	samples := fs.Int("samples", 11, "number of samples K, taken at x = 0, 1/(K-1), ..., 1")
	start := fs.Float64("start", 0, "start of the sub-range to cut out, in [0, 1]")
	stop := fs.Float64("stop", 1, "stop of the sub-range to cut out, in [0, 1]")
	steps := fs.Int("steps", 0, fmt.Sprintf("stops of a BlenderSpike colour ramp, 2 to %d (0: the exact map)", colormap.MaxSteps))
	asJSON := fs.Bool("json", false, "print a JSON array of [r, g, b] floats in [0, 1] instead of hex lines")
	pngPath := fs.StringP("out", "o", "", fmt.Sprintf("also write a %d×%d swatch of the map to this PNG file", swatchWidth, swatchHeight))
	fs.SetNormalizeFunc(alias("png", "out"))
	if status, done := parseFlags(fs, args); done {
		return status
	}
	if fs.NArg() != 1 {
		return usageErr(stderr, name, "want one colormap name or colour list, got %d arguments (run 'spikeframes colormaps' for the names)", fs.NArg())
	}
	if *samples < 2 || *samples > maxSamples {
		return usageErr(stderr, name, "--samples %d: want 2 to %d", *samples, maxSamples)
	}
	m, err := buildColormap(fs.Arg(0), *start, *stop, *steps, colormapFlagNames{"", "--start/--stop", "--steps"})
	if err != nil {
		return usageErr(stderr, name, "%v", err)
	}

	if *pngPath != "" {
		if err := writeSwatchPNG(*pngPath, m); err != nil {
			fmt.Fprintf(stderr, "spikeframes %s: %v\n", name, err)
			return exitOutput
		}
	}
	rgb := m.Samples(*samples)
	var out bytes.Buffer
	if *asJSON {
		raw, err := json.Marshal(rgb)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes %s: %v\n", name, err)
			return exitOutput
		}
		out.Write(raw)
		out.WriteByte('\n')
	} else {
		for _, c := range rgb {
			fmt.Fprintf(&out, "#%02x%02x%02x\n", to8bit(c[0]), to8bit(c[1]), to8bit(c[2]))
		}
	}
	if _, err := stdout.Write(out.Bytes()); err != nil {
		fmt.Fprintf(stderr, "spikeframes %s: %v\n", name, err)
		return exitOutput
	}
	return exitOK
}

// colormapFlagNames names what set each part of a colormap, for messages:
// the map itself ("" for a command's argument), its sub-range and its
// steps.
type colormapFlagNames struct{ spec, sub, steps string }

// buildColormap is colormap.Build with errors that begin with the name of
// the flag at fault.
func buildColormap(spec string, start, stop float64, steps int, names colormapFlagNames) (*colormap.Map, error) {
	m, err := colormap.Build(spec, start, stop, steps)
	var be *colormap.BuildError
	if err == nil || !errors.As(err, &be) {
		return m, err
	}
	name := [...]string{colormap.PartName: names.spec, colormap.PartRange: names.sub, colormap.PartSteps: names.steps}[be.Part]
	if name == "" {
		return nil, err
	}
	return nil, fmt.Errorf("%s: %w", name, err)
}

// to8bit rounds a colour component in [0, 1] to 8 bits.
func to8bit(v float64) uint8 {
	return uint8(math.Round(math.Max(0, math.Min(1, v)) * 255))
}

// writeSwatchPNG writes a swatch of the map, x = 0 in the left column to
// x = 1 in the right one, to path atomically: a temporary file in the same
// folder, renamed into place once complete.
func writeSwatchPNG(path string, m *colormap.Map) (err error) {
	img := image.NewNRGBA(image.Rect(0, 0, swatchWidth, swatchHeight))
	for x := range swatchWidth {
		r, g, b := m.At(float64(x) / (swatchWidth - 1))
		c := color.NRGBA{R: to8bit(r), G: to8bit(g), B: to8bit(b), A: 255}
		for y := range swatchHeight {
			img.SetNRGBA(x, y, c)
		}
	}
	return atomicfile.Write(path, func(w io.Writer) error { return png.Encode(w, img) })
}
