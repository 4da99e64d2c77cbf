package hdf5

import (
	"errors"
	"fmt"
)

// maxRank is the most dimensions a dataspace may have (libhdf5's limit).
const maxRank = 32

// dataspace is the shape of a dataset or attribute.
type dataspace struct {
	dims    []uint64 // empty for a scalar
	maxDims []uint64 // undefined for an unlimited dimension
	null    bool     // no elements at all
}

// count is the number of elements, or an error if it would overflow.
func (s *dataspace) count() (uint64, error) {
	if s.null {
		return 0, nil
	}
	n := uint64(1)
	for _, d := range s.dims {
		var ok bool
		if n, ok = mulOK(n, d); !ok {
			return 0, fmt.Errorf("dimensions %v: too many elements", s.dims)
		}
	}
	return n, nil
}

// shape is the dimensions as the API gives them: empty for a scalar, nil
// for a null dataspace.
func (s *dataspace) shape() []uint64 {
	if s.null {
		return nil
	}
	return append([]uint64{}, s.dims...)
}

// parseDataspace decodes a dataspace message (versions 1 and 2).
func (f *File) parseDataspace(p []byte) (*dataspace, error) {
	d := f.decoder(p)
	version := d.u8()
	rank := int(d.u8())
	flags := d.u8()
	s := &dataspace{}
	switch version {
	case 1:
		d.skip(5)
	case 2:
		switch typ := d.u8(); typ {
		case 0:
			if rank != 0 {
				return nil, fmt.Errorf("dataspace: scalar of rank %d", rank)
			}
		case 1:
		case 2:
			s.null = true
		default:
			return nil, fmt.Errorf("dataspace type %d", typ)
		}
	default:
		if d.err == nil {
			return nil, fmt.Errorf("dataspace version %d: %w", version, ErrUnsupported)
		}
	}
	if rank > maxRank {
		return nil, fmt.Errorf("dataspace of rank %d (at most %d)", rank, maxRank)
	}
	s.dims = make([]uint64, rank)
	for i := range s.dims {
		s.dims[i] = d.length()
	}
	s.maxDims = append([]uint64{}, s.dims...)
	if flags&1 != 0 {
		for i := range s.maxDims {
			m := d.length()
			if m == allOnes(f.lenSize) {
				m = undefined
			} else if m < s.dims[i] {
				return nil, fmt.Errorf("dataspace: dimension %d of %d exceeds its maximum %d", i, s.dims[i], m)
			}
			s.maxDims[i] = m
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("dataspace: %w", d.err)
	}
	if _, err := s.count(); err != nil {
		return nil, err
	}
	if s.null && rank != 0 {
		return nil, errors.New("dataspace: null with dimensions")
	}
	return s, nil
}
