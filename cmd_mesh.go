package main

import (
	"fmt"
	"io"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/ply"
	"github.com/spikeframes/spikeframes/voltage"
)

// meshCommand writes a recording's cell as a PLY mesh coloured by the
// voltage of one frame.
func meshCommand() command {
	return command{name: "mesh", summary: "write the cell as a PLY mesh (positions, normals, voltage)", run: runMesh}
}

func runMesh(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("mesh", "FILE -o OUT.ply [flags]", stderr)
	out := fs.StringP("output", "o", "", "PLY file to write (required)")
	frame := fs.Int("frame", 0, "recorded frame whose voltage is stored per vertex")
	geom := addGeometryFlags(fs)
	if status, done := parseFlags(fs, args); done {
		return status
	}
	switch {
	case fs.NArg() != 1:
		return usageErr(stderr, "mesh", "want exactly one recording FILE, got %d arguments", fs.NArg())
	case *out == "":
		return usageErr(stderr, "mesh", "-o OUT.ply is required")
	case *frame < 0:
		return usageErr(stderr, "mesh", "--frame %d: must be 0 or more", *frame)
	}
	if err := geom.validate(); err != nil {
		return usageErr(stderr, "mesh", "%v", err)
	}

	cell, rec, err := blenderspike.ReadFile(fs.Arg(0))
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes mesh: %v\n", err)
		return exitInput
	}
	if *frame >= rec.Frames {
		return usageErr(stderr, "mesh", "--frame %d: the recording has frames 0…%d", *frame, rec.Frames-1)
	}
	m, err := geom.buildMesh(cell, rec)
	if err != nil {
		return meshStatus(stderr, "mesh", fs.Arg(0), err)
	}
	sampler, err := voltage.NewSampler(rec, m.Probes)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes mesh: %s: %v\n", fs.Arg(0), err)
		return exitInput
	}
	volts := make([]float32, sampler.Len())
	sampler.Sample(float64(*frame), volts)
	if err := atomicfile.Write(*out, func(w io.Writer) error { return ply.Write(w, m, volts) }); err != nil {
		fmt.Fprintf(stderr, "spikeframes mesh: %v\n", err)
		return exitOutput
	}
	fmt.Fprintf(stdout, "%s: %d vertices, %d triangles\n", *out, len(m.Positions), len(m.Triangles))
	return exitOK
}
