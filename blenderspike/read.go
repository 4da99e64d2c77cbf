package blenderspike

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// Read decodes a recording from r, which may be a pipe or any stream. It
// checks the PROTO header as soon as it has two bytes and the opcodes as
// they arrive, so that a stream that is not a recording is refused after
// its first bytes; a stream longer than MaxFileSize is refused there.
func Read(r io.Reader) (*morph.Cell, *voltage.Recording, error) {
	b := newBudget(-1)
	data, err := readAll(r, -1, MaxFileSize, b)
	if err != nil {
		return nil, nil, err
	}
	return decodeWith(data, b)
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
	size := int64(-1) // a pipe or device: its size is unknown
	if info.Mode().IsRegular() {
		if size = info.Size(); size > MaxFileSize {
			return nil, nil, fmt.Errorf("file of %d bytes is larger than the %d-byte limit", size, int64(MaxFileSize))
		}
	}
	b := newBudget(-1)
	data, err := readAll(f, size, MaxFileSize, b)
	if err != nil {
		return nil, nil, err
	}
	return decodeWith(data, b)
}

// firstCheck is how many bytes of a recording readAll reads before it
// first runs the pre-scan over them.
const firstCheck = 64 << 10

// readAll reads a recording of size bytes, or of unknown size if size is
// negative, from r, charging b for the buffer and refusing more than
// limit bytes; it sets b's size once the length is known. It checks the
// header as soon as it has two bytes and runs the pre-scan over the first
// 64 KiB before reading on. For a stream of unknown size it runs the
// pre-scan again over every prefix twice as long as the last, so that a
// fault more data cannot cure is reported after at most twice the bytes
// that hold it, for at most two more pre-scans in all.
func readAll(r io.Reader, size, limit int64, b *budget) ([]byte, error) {
	capacity := int64(firstCheck)
	if size >= 0 {
		capacity = min(size, limit) + 1 // one more, to meet the end of the file
	}
	if err := b.spend(allocCost(capacity)); err != nil {
		return nil, err
	}
	data := make([]byte, 0, capacity)
	nextCheck := int64(firstCheck)
	header := false
	for {
		n, err := r.Read(data[len(data):min(int64(cap(data)), nextCheck)])
		data = data[:len(data)+n]
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("reading: %w", unwrapPath(err))
		}
		if !header && (len(data) >= 2 || err == io.EOF) {
			if err := checkHeader(data); err != nil {
				return nil, err
			}
			header = true
		}
		if int64(len(data)) > limit {
			return nil, fmt.Errorf("recording larger than %d bytes", limit)
		}
		if err == io.EOF {
			b.setSize(int64(len(data)))
			return data, nil
		}
		if int64(len(data)) == nextCheck {
			if err := checkPrefix(data, b); err != nil {
				return nil, err
			}
			nextCheck *= 2
			if size >= 0 {
				nextCheck = limit + 1 // a file of known size is read at once
			}
		}
		if len(data) == cap(data) {
			grown := min(2*int64(cap(data)), limit+1)
			if err := b.spend(allocCost(grown)); err != nil {
				return nil, err
			}
			data = append(make([]byte, 0, grown), data...)
		}
	}
}

// checkPrefix runs the pre-scan over the first bytes of a recording,
// refusing any fault but running out of data.
func checkPrefix(data []byte, b *budget) error {
	if _, err := prescan(data, b); err != nil && !errors.Is(err, errTruncated) {
		return err
	}
	return nil
}

// unwrapPath drops the path from an *os.PathError, which ReadFile adds.
func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// decode reads a whole recording held in data, as readAll would have
// read it.
func decode(data []byte) (*morph.Cell, *voltage.Recording, error) {
	b := newBudget(int64(len(data)))
	if err := b.spend(allocCost(int64(len(data)))); err != nil {
		return nil, nil, err
	}
	return decodeWith(data, b)
}

// decodeWith reads a whole recording held in data, charging b for
// everything it decodes.
func decodeWith(data []byte, b *budget) (*morph.Cell, *voltage.Recording, error) {
	pl, err := prescan(data, b)
	if err != nil {
		return nil, nil, err
	}
	root, err := decodePickle(data, pl, b)
	if err != nil {
		return nil, nil, err
	}
	return convert(root, int64(len(data)), b)
}
