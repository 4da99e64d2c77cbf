package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/ply"
	"github.com/spikeframes/spikeframes/voltage"
)

// meshCommand writes a recording's cell as a PLY mesh coloured by the
// voltage of one frame, or a morphology file's cell with voltage 0.
func meshCommand() command {
	return command{name: "mesh", summary: "write the cell of a recording or morphology file as a PLY mesh (positions, normals, voltage)", run: runMesh}
}

// meshArgs are the mesh command's validated arguments.
type meshArgs struct {
	recording, out string
	morphology     string // --morphology: the file the recording's geometry comes from
	frame          int
	geometry       movie.Geometry
}

// parseMeshArgs parses and validates the mesh command's arguments. It
// returns done=true with the status to exit with after --help (0) or a
// usage error (2, after printing it).
func parseMeshArgs(args []string, stdout, stderr io.Writer) (a meshArgs, status int, done bool) {
	fs := newFlags("mesh", "FILE -o OUT.ply [flags]", stdout, stderr)
	out := fs.StringP("out", "o", "", "PLY file to write (required)")
	fs.SetNormalizeFunc(alias("output", "out"))
	frame := fs.Int("frame", 0, "recorded frame whose voltage is stored per vertex")
	geom := addGeometryFlags(fs)
	morphology := addMorphologyFlag(fs)
	if status, done := parseFlags(fs, args); done {
		return a, status, true
	}
	switch {
	case fs.NArg() != 1:
		return a, usageErr(stderr, "mesh", "want exactly one recording or morphology FILE, got %d arguments", fs.NArg()), true
	case *out == "":
		return a, usageErr(stderr, "mesh", "-o OUT.ply is required"), true
	case *frame < 0:
		return a, usageErr(stderr, "mesh", "--frame %d: must be 0 or more", *frame), true
	}
	geometry, err := geom.geometry()
	if err != nil {
		return a, usageErr(stderr, "mesh", "%v", err), true
	}
	return meshArgs{recording: fs.Arg(0), out: *out, frame: *frame, geometry: geometry, morphology: *morphology}, exitOK, false
}

func runMesh(args []string, stdout, stderr io.Writer) int {
	a, status, done := parseMeshArgs(args, stdout, stderr)
	if done {
		return status
	}

	cell, rec, _, status, ok := readCommandInput("mesh", a.recording, a.morphology, stderr)
	if !ok {
		return status
	}
	if err := needPoints(cell, a.recording); err != nil {
		fmt.Fprintf(stderr, "spikeframes mesh: %v\n", err)
		return exitInput
	}
	switch {
	case rec == nil && a.frame > 0:
		return usageErr(stderr, "mesh", "--frame %d: a morphology file has no frames", a.frame)
	case rec != nil && a.frame >= rec.Frames:
		return usageErr(stderr, "mesh", "--frame %d: the recording has frames 0…%d", a.frame, rec.Frames-1)
	}
	m, err := a.geometry.BuildMesh(cell, rec)
	var oe *movie.OptionError
	switch {
	case errors.As(err, &oe):
		return usageErr(stderr, "mesh", "%s: %v", a.recording, flagError(err))
	case err != nil:
		fmt.Fprintf(stderr, "spikeframes mesh: %s: %v\n", a.recording, err)
		return exitInput
	}
	// A morphology file records no voltage: every vertex gets 0 mV.
	volts := make([]float32, len(m.Probes))
	if rec != nil {
		sampler, err := voltage.NewSampler(rec, m.Probes, m.Junctions...)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes mesh: %s: %v\n", a.recording, err)
			return exitInput
		}
		sampler.Sample(float64(a.frame), volts)
	}
	if err := atomicfile.Write(a.out, func(w io.Writer) error { return ply.Write(w, m, volts) }); err != nil {
		fmt.Fprintf(stderr, "spikeframes mesh: %v\n", err)
		return exitOutput
	}
	fmt.Fprintf(stdout, "%s: %d vertices, %d triangles\n", a.out, len(m.Positions), len(m.Triangles))
	return exitOK
}
