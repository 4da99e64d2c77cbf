package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/morphfile"
	"github.com/spikeframes/spikeframes/voltage"
)

// detectBytes is how much of a file is read to tell its format.
const detectBytes = 64 << 10

// readInput reads a recording (a BlenderSpike pickle) or a morphology file
// (SWC, Neurolucida ASC, BBP HDF5), told apart by their content, not their
// name.
// rec is nil for a morphology file, which records no voltage. Every error
// message starts with the path. A pipe or device is told apart by its
// first bytes and then read as a stream by the reader of its format, which
// checks what it reads as it goes.
func readInput(path string) (cell *morph.Cell, rec *voltage.Recording, format morphfile.Format, err error) {
	format, stream, closeStream, err := detectFile(path)
	if err != nil {
		return nil, nil, format, fmt.Errorf("%s: %w", path, err)
	}
	defer closeStream()
	morphology := format == morphfile.SWC || format == morphfile.ASC || format == morphfile.H5
	switch {
	case stream == nil && morphology:
		cell, err = morphfile.ReadFile(path)
		return cell, nil, format, err
	case stream == nil: // a pickle, or nothing known: the recording reader says what is wrong
		cell, rec, err = blenderspike.ReadFile(path)
		return cell, rec, format, err
	case morphology:
		cell, err = morphfile.Read(stream)
	default:
		cell, rec, err = blenderspike.Read(stream)
	}
	if err != nil {
		return nil, nil, format, fmt.Errorf("%s: %w", path, err)
	}
	return cell, rec, format, nil
}

// detectFile tells the format of the file at path from its first bytes.
// A pipe or device cannot be read twice, so for one it returns a stream
// that still holds those bytes, and the function that closes it; for a
// regular file stream is nil.
func detectFile(path string) (format morphfile.Format, stream io.Reader, closeStream func(), err error) {
	closeStream = func() {}
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return morphfile.Unknown, nil, closeStream, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return morphfile.Unknown, nil, closeStream, err
	}
	if !info.Mode().IsRegular() {
		r := bufio.NewReaderSize(f, detectBytes)
		head, err := r.Peek(detectBytes)
		if err != nil && err != io.EOF {
			f.Close()
			return morphfile.Unknown, nil, closeStream, fmt.Errorf("reading: %w", err)
		}
		return morphfile.Detect(head), r, func() { f.Close() }, nil
	}
	defer f.Close()
	head := make([]byte, detectBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return morphfile.Unknown, nil, closeStream, fmt.Errorf("reading: %w", err)
	}
	return morphfile.Detect(head[:n]), nil, closeStream, nil
}

// addMorphologyFlag registers --morphology, with which inspect, mesh and
// render give a recording the geometry of a morphology file.
func addMorphologyFlag(fs *pflag.FlagSet) *string {
	return fs.String("morphology", "", "take the recording's 3-D points from this morphology file (SWC, ASC or BBP HDF5) whose sections are the recording's")
}

// readCommandInput reads the input file of a command (cmd) as readInput
// does; when morphology is not "", the input must be a recording, and its
// cell takes its 3-D points from that morphology file (see
// morphfile.ApplyGeometry). On failure it prints the error and returns
// ok=false with the status to exit with: 2 for --morphology with a
// morphology file, 1 for unreadable input or sections that do not agree.
func readCommandInput(cmd, path, morphology string, stderr io.Writer) (cell *morph.Cell, rec *voltage.Recording, format morphfile.Format, status int, ok bool) {
	cell, rec, format, err := readInput(path)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes %s: %v\n", cmd, err)
		return nil, nil, format, exitInput, false
	}
	if morphology == "" {
		return cell, rec, format, exitOK, true
	}
	if rec == nil {
		return nil, nil, format, usageErr(stderr, cmd, "--morphology %s: %s is a morphology file itself; --morphology gives a recording its geometry", morphology, path), false
	}
	file, err := morphfile.ReadFile(morphology)
	if err != nil {
		fmt.Fprintf(stderr, "spikeframes %s: --morphology %v\n", cmd, err)
		return nil, nil, format, exitInput, false
	}
	if cell, err = morphfile.ApplyGeometry(cell, file); err != nil {
		fmt.Fprintf(stderr, "spikeframes %s: %s does not fit %s: %v\n", cmd, morphology, path, err)
		return nil, nil, format, exitInput, false
	}
	return cell, rec, format, exitOK, true
}

// needPoints refuses a recording with a section that has no 3-D points
// (BlenderSpike saves a model without them so), pointing to --morphology.
func needPoints(cell *morph.Cell, path string) error {
	for i, s := range cell.Sections {
		if len(s.Points) == 0 {
			name := s.Name
			if name == "" {
				name = s.Type
			}
			return fmt.Errorf("%s: section %d (%s) has no 3-D points: give the cell's morphology file with --morphology FILE", path, i, name)
		}
	}
	return nil
}
