package hdf5

import (
	"bytes"
	"fmt"
)

// stringSize is what a string costs in a []string, besides its bytes.
const stringSize = 16

// readRaw reads a box of the dataset as stored bytes, row-major, and
// returns them with the number of elements. outSize is the size of an
// element once converted: the read limit bounds both.
func (ds *Dataset) readRaw(start, count []uint64, outSize int) ([]byte, int, error) {
	raw, n, err := ds.read(start, count, uint64(outSize))
	return raw, n, ds.wrap(err)
}

func (ds *Dataset) read(start, count []uint64, outSize uint64) ([]byte, int, error) {
	if ds.space.null {
		if start != nil || count != nil {
			return nil, 0, fmt.Errorf("a box of an empty dataspace")
		}
		return []byte{}, 0, nil
	}
	dims := ds.space.dims
	if start == nil && count == nil {
		start, count = make([]uint64, len(dims)), dims
	}
	if len(start) != len(dims) || len(count) != len(dims) {
		return nil, 0, fmt.Errorf("box of %d and %d dimensions in a dataset of %d", len(start), len(count), len(dims))
	}
	n := uint64(1)
	for k := range dims {
		if count[k] > dims[k] || start[k] > dims[k]-count[k] {
			return nil, 0, fmt.Errorf("box from %v of %v outside the dimensions %v", start, count, dims)
		}
		n *= count[k]
	}
	esz := uint64(ds.dtype.Size)
	size, ok := mulOK(n, max(esz, outSize))
	if limit := ds.f.limit(); !ok || size > limit {
		return nil, 0, fmt.Errorf("%d elements of %d bytes: more than the read limit of %d bytes", n, max(esz, outSize), limit)
	}
	size = n * esz
	out := make([]byte, size)
	if n == 0 {
		return out, 0, nil
	}
	var err error
	l := ds.layout
	switch l.class {
	case layoutCompact:
		err = copyBox(out, count, make([]uint64, len(dims)), l.data, dims, start, count, esz)
	case layoutContiguous:
		if l.addr == undefined {
			ds.fillWith(out)
			break
		}
		err = rows(count, dims, start, count, make([]uint64, len(dims)), func(src, dst, n uint64) error {
			return ds.f.readInto(out[dst*esz:(dst+n)*esz], l.addr+src*esz)
		})
	case layoutChunked:
		err = ds.readChunked(out, start, count)
	}
	if err != nil {
		return nil, 0, err
	}
	return out, int(n), nil
}

// fillWith sets every element of p to the fill value.
func (ds *Dataset) fillWith(p []byte) {
	if ds.fill == nil {
		clear(p)
		return
	}
	for i := 0; i < len(p); i += len(ds.fill) {
		copy(p[i:], ds.fill)
	}
}

// readChunked copies the box into out from each chunk that meets it.
func (ds *Dataset) readChunked(out []byte, start, count []uint64) error {
	rank := len(start)
	chunk := ds.layout.chunk
	esz := uint64(ds.dtype.Size)
	first, last := make([]uint64, rank), make([]uint64, rank)
	for k := range rank {
		first[k] = start[k] / chunk[k]
		last[k] = (start[k] + count[k] - 1) / chunk[k]
	}
	scaled := append([]uint64{}, first...)
	lo, ext, srcAt, dstAt := make([]uint64, rank), make([]uint64, rank), make([]uint64, rank), make([]uint64, rank)
	var fillRow []byte
	for {
		for k := range rank {
			origin := scaled[k] * chunk[k]
			lo[k] = max(start[k], origin)
			hi := min(start[k]+count[k], origin+chunk[k])
			ext[k] = hi - lo[k]
			srcAt[k] = lo[k] - origin
			dstAt[k] = lo[k] - start[k]
		}
		data, err := ds.chunkData(scaled)
		if err != nil {
			return fmt.Errorf("chunk %v: %w", scaled, err)
		}
		if data != nil {
			err = copyBox(out, count, dstAt, data, chunk, srcAt, ext, esz)
		} else if ds.fill != nil {
			if fillRow == nil {
				fillRow = bytes.Repeat(ds.fill, int(min(count[rank-1], 4096)))
			}
			err = rows(ext, ext, make([]uint64, rank), count, dstAt, func(_, dst, n uint64) error {
				for n > 0 {
					m := min(n, uint64(len(fillRow))/esz)
					copy(out[dst*esz:], fillRow[:m*esz])
					dst, n = dst+m, n-m
				}
				return nil
			})
		}
		if err != nil {
			return err
		}
		// The next chunk, last dimension fastest.
		k := rank - 1
		for ; k >= 0; k-- {
			if scaled[k]++; scaled[k] <= last[k] {
				break
			}
			scaled[k] = first[k]
		}
		if k < 0 {
			return nil
		}
	}
}

// copyBox copies a box of ext elements of esz bytes from src (an array of
// srcDims, the box at srcAt) to dst (an array of dstDims, the box at
// dstAt).
func copyBox(dst []byte, dstDims, dstAt []uint64, src []byte, srcDims, srcAt, ext []uint64, esz uint64) error {
	return rows(ext, srcDims, srcAt, dstDims, dstAt, func(s, d, n uint64) error {
		if (s+n)*esz > uint64(len(src)) || (d+n)*esz > uint64(len(dst)) {
			return fmt.Errorf("copy of %d elements from %d of %d bytes", n, s, len(src))
		}
		copy(dst[d*esz:(d+n)*esz], src[s*esz:(s+n)*esz])
		return nil
	})
}

// rows calls fn for each run of consecutive elements in a box of ext
// elements that sits at srcAt in a row-major array of srcDims and at
// dstAt in one of dstDims: fn gets the run's first element in each array
// and its length. Trailing dimensions the box covers whole in both
// arrays are merged into longer runs.
func rows(ext, srcDims, srcAt, dstDims, dstAt []uint64, fn func(src, dst, n uint64) error) error {
	rank := len(ext)
	if rank == 0 {
		return fn(0, 0, 1)
	}
	srcStride, dstStride := make([]uint64, rank), make([]uint64, rank)
	s, d := uint64(1), uint64(1)
	for k := rank - 1; k >= 0; k-- {
		srcStride[k], dstStride[k] = s, d
		s *= srcDims[k]
		d *= dstDims[k]
	}
	// m is the outermost dimension of a run.
	m, run := rank-1, ext[rank-1]
	for m > 0 && ext[m] == srcDims[m] && ext[m] == dstDims[m] {
		m--
		run *= ext[m]
	}
	idx := make([]uint64, m)
	for {
		src, dst := srcAt[m]*srcStride[m], dstAt[m]*dstStride[m]
		for k := range m {
			src += (srcAt[k] + idx[k]) * srcStride[k]
			dst += (dstAt[k] + idx[k]) * dstStride[k]
		}
		if err := fn(src, dst, run); err != nil {
			return err
		}
		k := m - 1
		for ; k >= 0; k-- {
			if idx[k]++; idx[k] < ext[k] {
				break
			}
			idx[k] = 0
		}
		if k < 0 {
			return nil
		}
	}
}
