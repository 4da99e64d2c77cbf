package main

import (
	"bytes"
	"fmt"
	"io"
	"os"

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
// message starts with the path.
func readInput(path string) (cell *morph.Cell, rec *voltage.Recording, format morphfile.Format, err error) {
	format, data, err := detectFile(path)
	if err != nil {
		return nil, nil, format, fmt.Errorf("%s: %w", path, err)
	}
	morphology := format == morphfile.SWC || format == morphfile.ASC || format == morphfile.H5
	switch {
	case data == nil && morphology:
		cell, err = morphfile.ReadFile(path)
		return cell, nil, format, err
	case data == nil: // a pickle, or nothing known: the recording reader says what is wrong
		cell, rec, err = blenderspike.ReadFile(path)
		return cell, rec, format, err
	case morphology: // a pipe, read whole
		cell, err = morphfile.Read(bytes.NewReader(data))
	default:
		cell, rec, err = blenderspike.Read(bytes.NewReader(data))
	}
	if err != nil {
		return nil, nil, format, fmt.Errorf("%s: %w", path, err)
	}
	return cell, rec, format, nil
}

// detectFile tells the format of the file at path from its first bytes.
// A pipe or device cannot be read twice, so it is read whole and its
// bytes returned; for a regular file data is nil.
func detectFile(path string) (format morphfile.Format, data []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		if pe, ok := err.(*os.PathError); ok {
			err = fmt.Errorf("%s: %w", pe.Op, pe.Err)
		}
		return morphfile.Unknown, nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return morphfile.Unknown, nil, err
	}
	if !info.Mode().IsRegular() {
		data, err := io.ReadAll(io.LimitReader(f, blenderspike.MaxFileSize+1))
		if err != nil {
			return morphfile.Unknown, nil, fmt.Errorf("reading: %w", err)
		}
		return morphfile.Detect(data), data, nil
	}
	head := make([]byte, detectBytes)
	n, err := io.ReadFull(f, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return morphfile.Unknown, nil, fmt.Errorf("reading: %w", err)
	}
	return morphfile.Detect(head[:n]), nil, nil
}
