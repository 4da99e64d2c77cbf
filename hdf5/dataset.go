package hdf5

import (
	"errors"
	"fmt"
	"slices"
)

// maxChunkBytes is libhdf5's limit on the size of one chunk.
const maxChunkBytes = 1<<32 - 1

// Dataset is an array of elements of one type.
type Dataset struct {
	object
	space   *dataspace
	dtype   *datatype
	layout  *layout
	filters []filter
	fill    []byte // one element's fill value, or nil for zeros

	// chunked datasets
	chunkBytes uint64   // bytes of one chunk, decoded
	grid       []uint64 // chunks along each dimension
	index      chunkIndex
}

func (f *File) newDataset(h *objectHeader, path string) (*Dataset, error) {
	ds := &Dataset{object: object{f, path, h}}
	if err := ds.init(); err != nil {
		return nil, err
	}
	return ds, nil
}

func (ds *Dataset) init() error {
	f, h := ds.f, ds.hdr
	get := func(typ uint16) ([]byte, error) {
		m := h.first(typ)
		if m == nil {
			return nil, nil
		}
		return f.body(m)
	}
	p, err := get(msgDataspace)
	if p == nil && err == nil {
		err = errors.New("dataset without a dataspace")
	}
	if err != nil {
		return err
	}
	if ds.space, err = f.parseDataspace(p); err != nil {
		return err
	}
	if p, err = get(msgDatatype); p == nil && err == nil {
		err = errors.New("dataset without a datatype")
	}
	if err != nil {
		return err
	}
	if ds.dtype, err = f.parseDatatype(p); err != nil {
		return err
	}
	if p, err = get(msgLayout); err != nil {
		return err
	}
	if ds.layout, err = f.parseLayout(p); err != nil {
		return err
	}
	if p, err = get(msgFilters); err != nil {
		return err
	}
	if p != nil {
		if ds.filters, err = f.parseFilters(p); err != nil {
			return err
		}
	}
	for _, typ := range []uint16{msgFill, msgFillOld} {
		if m := h.first(typ); m != nil {
			if ds.fill, err = f.parseFill(m); err != nil {
				return err
			}
			break
		}
	}
	if len(ds.fill) == 0 {
		ds.fill = nil
	} else if len(ds.fill) != ds.dtype.Size {
		return fmt.Errorf("fill value of %d bytes for elements of %d", len(ds.fill), ds.dtype.Size)
	}
	return ds.checkStorage()
}

// checkStorage checks the layout against the dataspace and the file, so
// that reads need not.
func (ds *Dataset) checkStorage() error {
	n, _ := ds.space.count()
	need, ok := mulOK(n, uint64(ds.dtype.Size))
	if !ok {
		return fmt.Errorf("%d elements of %d bytes", n, ds.dtype.Size)
	}
	l := ds.layout
	switch l.class {
	case layoutCompact:
		if uint64(len(l.data)) < need {
			return fmt.Errorf("compact data of %d bytes for %d", len(l.data), need)
		}
	case layoutContiguous:
		if l.addr == undefined {
			return nil
		}
		if l.size < need {
			return fmt.Errorf("contiguous data of %d bytes for %d", l.size, need)
		}
		return ds.f.checkRange(l.addr, need)
	case layoutChunked:
		return ds.initChunks()
	}
	return nil
}

func (ds *Dataset) initChunks() error {
	l, dims := ds.layout, ds.space.dims
	if len(l.chunk) != len(dims) {
		return fmt.Errorf("chunks of %d dimensions in a dataset of %d", len(l.chunk), len(dims))
	}
	ds.chunkBytes = uint64(ds.dtype.Size)
	ds.grid = make([]uint64, len(dims))
	for i, c := range l.chunk {
		var ok bool
		if ds.chunkBytes, ok = mulOK(ds.chunkBytes, c); c == 0 || !ok || ds.chunkBytes > maxChunkBytes {
			return fmt.Errorf("chunks of %v elements of %d bytes", l.chunk, ds.dtype.Size)
		}
		ds.grid[i] = (dims[i] + c - 1) / c
	}
	var err error
	ds.index, err = ds.openIndex()
	return err
}

// Shape is the dataset's dimensions: empty for a scalar, nil for an empty
// (null) dataset.
func (ds *Dataset) Shape() []uint64 { return ds.space.shape() }

// DType describes the dataset's elements.
func (ds *Dataset) DType() DType { return ds.dtype.DType }

// Chunks is the shape of the dataset's chunks, or nil if it is not
// chunked: reading whole chunks at a time is cheapest.
func (ds *Dataset) Chunks() []uint64 {
	if ds.layout.class != layoutChunked {
		return nil
	}
	return slices.Clone(ds.layout.chunk)
}

// ReadFloat64 reads the whole dataset in row-major order, integers
// converted to float64.
func (ds *Dataset) ReadFloat64() ([]float64, error) {
	return ds.ReadFloat64Slab(nil, nil)
}

// ReadFloat64Slab reads a box of the dataset, in row-major order, integers
// converted to float64: count elements along each dimension, from start
// (both nil: the whole dataset). Only the chunks that meet the box are
// read; rows [a, b) of a 2-D dataset are start {a, 0}, count {b-a, n}.
func (ds *Dataset) ReadFloat64Slab(start, count []uint64) ([]float64, error) {
	raw, n, err := ds.readRaw(start, count, 8)
	if err != nil {
		return nil, err
	}
	v, err := ds.dtype.float64s(raw, n)
	return v, ds.wrap(err)
}

// ReadFloat32 reads the whole dataset as float32 values.
func (ds *Dataset) ReadFloat32() ([]float32, error) {
	return ds.ReadFloat32Slab(nil, nil)
}

// ReadFloat32Slab reads a box of the dataset (see ReadFloat64Slab) as
// float32 values.
func (ds *Dataset) ReadFloat32Slab(start, count []uint64) ([]float32, error) {
	raw, n, err := ds.readRaw(start, count, 4)
	if err != nil {
		return nil, err
	}
	v, err := ds.dtype.float32s(raw, n)
	return v, ds.wrap(err)
}

// ReadInt64 reads the whole dataset of integers; unsigned values past
// the int64 range are an error (ReadFloat64 reads them).
func (ds *Dataset) ReadInt64() ([]int64, error) {
	return ds.ReadInt64Slab(nil, nil)
}

// ReadInt64Slab reads a box of a dataset of integers (see
// ReadFloat64Slab).
func (ds *Dataset) ReadInt64Slab(start, count []uint64) ([]int64, error) {
	raw, n, err := ds.readRaw(start, count, 8)
	if err != nil {
		return nil, err
	}
	v, err := ds.dtype.int64s(raw, n)
	return v, ds.wrap(err)
}

// ReadStrings reads the whole dataset of fixed- or variable-length
// strings.
func (ds *Dataset) ReadStrings() ([]string, error) {
	return ds.ReadStringsSlab(nil, nil)
}

// ReadStringsSlab reads a box of a dataset of strings (see
// ReadFloat64Slab).
func (ds *Dataset) ReadStringsSlab(start, count []uint64) ([]string, error) {
	raw, n, err := ds.readRaw(start, count, stringSize)
	if err != nil {
		return nil, err
	}
	v, err := ds.f.strings(ds.dtype, raw, n)
	return v, ds.wrap(err)
}

func (ds *Dataset) wrap(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("hdf5: %s: %w", ds.path, err)
}
