// Package morphfile reads neuron morphology files — SWC (NeuroMorpho.org),
// Neurolucida ASC and the Blue Brain Project's HDF5 (.h5) — into
// morph.Cell values, with exactly the sections NEURON makes when it loads
// the file with its Import3d tool (Import3d_SWC_read or
// Import3d_Neurolucida3, then Import3d_GUI.instantiate): the geometry a
// simulation of the file uses. NEURON 8.2 reads no HDF5; those files are
// read as BBP's NEURON-based tools instantiate them (MorphIO in NEURON
// order, Import3d's soma conversion), which is what Import3d makes of the
// same cell written as ASC, each child section keeping its own first
// diameter. ApplyGeometry gives a recording the 3-D points of the file its
// model was built from.
//
// What Import3d does, and this package with it:
//
//   - a section is an unbranched stretch of one type; every section but a
//     root starts with a copy of its parent's point where it attaches;
//   - sections are created type by type in increasing type code — soma
//     (1), axon (2), dend (3), apic (4), other codes n as dend_n (minus_n
//     below zero) in their place — each in file order, and named like
//     NEURON's: soma[0], dend[3], dend_7[0];
//   - a soma given as one point (SWC), or as NeuroMorpho.org's three
//     points, becomes a cylinder as long as it is wide, along x; a soma
//     outline (ASC "CellBody" contour) becomes a 21-point centre line
//     along the outline's major axis; a stack of outlines a line through
//     their centres;
//   - neurites attached to the middle of a soma attach at 0.5, and the
//     point that joins them there is a logical connection, not part of
//     the neurite's 3-D points;
//   - one-point and zero-length two-point sections are dropped, their
//     children moved to the dropped section's parent.
//
// Files are recognised by their content (Detect). Input is bounded
// (MaxFileSize, MaxSections) and every structure grows only with the
// input it is built from; malformed input gives an error naming the line
// (the dataset row in an HDF5 file), never a panic.
//
// Formats stored as a tree of points, each naming its parent, share one
// builder, treeSections (SWC uses it); BBP HDF5 files store sections, not
// points, and have a builder of their own; all formats share the
// instantiation step. A BBP HDF5 file:
//
//   - a soma outline (3 points or more) becomes the same centre line as an
//     ASC soma outline, a one-point soma a cylinder as long as it is
//     wide, and a 2-point soma is refused;
//   - neurite sections keep their points as stored, trees attach to the
//     middle of the soma, children to the end of their parent, and none is
//     dropped;
//   - within each type, sections come tree by tree in file order and
//     depth first through each tree.
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
