package main

import (
	"bufio"
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
// (SWC, Neurolucida ASC), told apart by their content, not their name.
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
	morphology := format == morphfile.SWC || format == morphfile.ASC
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
