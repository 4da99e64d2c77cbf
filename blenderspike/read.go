// Package blenderspike reads the voltage recordings that BlenderSpike's
// CellRecorder.save_pickle writes: a pickled Python list with one dict per
// NEURON section holding its 3-D points (X, Y, Z, DIAM) and its voltages
// per frame (Voltage: {frame: values}), as numpy arrays or plain lists.
//
// The reader decodes the pickle itself rather than through a general
// unpickler such as github.com/nlpodyssey/gopickle: a recording needs
// about forty opcodes and seven numpy reconstructors, and owning them
// lets every length be checked against the file before anything is
// allocated, lets numpy's raw bytes be decoded in place without copying,
// and keeps no object the file does not read back. Decoding runs in two
// passes over the file, held whole in memory, both driven by one table
// of the opcodes (ops.go: each one's argument and effect on the stack):
//
//   - prescan walks every opcode and builds nothing. It checks each
//     length against the bytes left, the stack discipline, and each
//     global a GLOBAL or STACK_GLOBAL names against a fixed allow-list
//     (numpy's _reconstruct, ndarray, dtype, _frombuffer and scalar in
//     their numpy 1 and 2 homes, and _codecs.encode), so a pickle naming
//     os.system or anything else is refused before any value exists. It
//     records which memo slots are read back, and refuses a memo that
//     stores a value twice or one the previous opcode did not make.
//   - decodePickle then builds the values; numpy arrays point into the
//     file's bytes, and only memo slots that are read back are kept.
//
// convert finally checks the structure and decodes the numbers into a
// morph.Cell and a voltage.Recording. Before allocating them it bounds
// the number of values the recording claims (frames × nseg per section
// plus four per 3-D point) by the file's size, since every value takes
// at least one byte of a legitimate file; shared references to one list
// or array can therefore never multiply the work or the memory.
// Nothing in the reader recurses over the decoded values, so deep
// nesting cannot exhaust the goroutine stack.
package blenderspike

import (
	"fmt"
	"io"
	"os"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// Read decodes a recording from r.
func Read(r io.Reader) (*morph.Cell, *voltage.Recording, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > MaxFileSize {
		return nil, nil, fmt.Errorf("recording larger than %d bytes", int64(MaxFileSize))
	}
	return decode(data)
}

// ReadFile opens and decodes path; every error message starts with the path.
func ReadFile(path string) (*morph.Cell, *voltage.Recording, error) {
	cell, rec, err := readFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return cell, rec, nil
}

func readFile(path string) (*morph.Cell, *voltage.Recording, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, unwrapPath(err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, unwrapPath(err)
	}
	if !info.Mode().IsRegular() { // a pipe or device: its size is unknown
		cell, rec, err := Read(f)
		return cell, rec, unwrapPath(err)
	}
	if info.Size() > MaxFileSize {
		return nil, nil, fmt.Errorf("file of %d bytes is larger than the %d-byte limit", info.Size(), int64(MaxFileSize))
	}
	data := make([]byte, info.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, nil, fmt.Errorf("reading: %w", unwrapPath(err))
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

// decode reads a whole recording held in data.
func decode(data []byte) (*morph.Cell, *voltage.Recording, error) {
	pl, err := prescan(data, newBudget(int64(len(data))))
	if err != nil {
		return nil, nil, err
	}
	root, err := decodePickle(data, pl)
	if err != nil {
		return nil, nil, err
	}
	return convert(root, int64(len(data)))
}
