package morphfile

import (
	"bytes"
	"fmt"
	"io"
	"os"

	"github.com/spikeframes/spikeframes/morph"
)

// MaxFileSize is the largest morphology file the reader accepts, in
// bytes; real reconstructions are a few megabytes at most.
const MaxFileSize = 256 << 20

// MaxSections is the most sections a file may make: far more than any
// single cell has, and it bounds memory, since a section can take a few
// hundred bytes where a file needs only a few.
const MaxSections = 1 << 20

// Format is a kind of file, as Detect recognises it.
type Format int

// The formats Detect tells apart.
const (
	Unknown Format = iota
	SWC            // SWC: lines of seven numbers, '#' comments
	ASC            // Neurolucida ASC: parenthesised lists, ';' comments
	Pickle         // a Python pickle (a BlenderSpike recording), not a morphology
	H5             // BBP HDF5 morphology: an HDF5 file
)

// String names the format.
func (f Format) String() string {
	switch f {
	case SWC:
		return "SWC"
	case ASC:
		return "Neurolucida ASC"
	case Pickle:
		return "pickle"
	case H5:
		return "BBP HDF5"
	}
	return "unknown"
}

// Detect tells a file's format from its first bytes: a pickle starts
// with byte 0x80, an HDF5 file with the HDF5 signature (at byte 0, or 512,
// 1024, … after a user block); after white space and comment lines, an
// ASC file starts with '(' and an SWC file with a number. A file of
// comments only is SWC if its comments start with '#', ASC if with ';'.
func Detect(head []byte) Format {
	if len(head) > 0 && head[0] == 0x80 {
		return Pickle
	}
	if isHDF5(head) {
		return H5
	}
	head = bytes.TrimPrefix(head, utf8BOM)
	comment := Unknown
	for len(head) > 0 {
		head = bytes.TrimLeft(head, spaces+"\n")
		if len(head) == 0 {
			break
		}
		switch c := head[0]; {
		case c == '#' || c == ';':
			if comment == Unknown && c == '#' {
				comment = SWC
			} else if comment == Unknown {
				comment = ASC
			}
			_, head, _ = bytes.Cut(head, []byte{'\n'})
		case c == '(':
			return ASC
		case numberLen(head) > 0:
			return SWC
		default:
			return Unknown
		}
	}
	return comment
}

// Read reads a morphology file of any of the formats from r.
func Read(r io.Reader) (*morph.Cell, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("morphology larger than %d bytes", MaxFileSize)
	}
	return decode(data)
}

// ReadFile reads the morphology file at path; every error message starts
// with the path.
func ReadFile(path string) (*morph.Cell, error) {
	cell, err := readFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cell, nil
}

func readFile(path string) (*morph.Cell, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, unwrapPath(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, unwrapPath(err)
	}
	if !info.Mode().IsRegular() { // a pipe or device: its size is unknown
		cell, err := Read(f)
		return cell, unwrapPath(err)
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("file of %d bytes is larger than the %d-byte limit", info.Size(), MaxFileSize)
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("reading: %w", unwrapPath(err))
	}
	return decode(data)
}

// unwrapPath drops the path from an *os.PathError, which ReadFile adds.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// decode reads a whole morphology file held in data.
func decode(data []byte) (*morph.Cell, error) {
	switch f := Detect(data); f {
	case SWC:
		return readSWC(data)
	case ASC:
		return readASC(data)
	case H5:
		return readH5(data)
	case Pickle:
		return nil, fmt.Errorf("a pickle (a recording), not a morphology file")
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("empty file")
	}
	return nil, fmt.Errorf("neither SWC (lines of numbers), Neurolucida ASC (parenthesised lists) nor HDF5")
}
