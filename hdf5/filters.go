package hdf5

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// chunkData returns the decoded bytes of the chunk at scaled, or nil if
// the chunk was never written (it holds the fill value).
func (ds *Dataset) chunkData(scaled []uint64) ([]byte, error) {
	loc, ok, err := ds.index.find(scaled)
	if err != nil || !ok {
		return nil, err
	}
	key := chunkKey{ds.hdr.addr, loc.addr}
	if data, ok := ds.f.chunks.get(key); ok {
		return data, nil
	}
	limit := ds.f.limit()
	if ds.chunkBytes > limit {
		return nil, fmt.Errorf("chunk of %d bytes: more than the read limit of %d", ds.chunkBytes, limit)
	}
	size := ds.chunkBytes
	if loc.filtered {
		size = loc.size
	}
	if size > limit {
		return nil, fmt.Errorf("chunk stored in %d bytes: more than the read limit of %d", size, limit)
	}
	stored, err := ds.f.readAt(loc.addr, size)
	if err != nil {
		return nil, err
	}
	data := stored
	if len(ds.filters) > 0 && !(ds.layout.edgeRaw && ds.isEdge(scaled)) {
		if data, err = ds.unfilter(stored, loc.mask); err != nil {
			return nil, fmt.Errorf("chunk at %#x: %w", loc.addr, err)
		}
	} else if uint64(len(data)) < ds.chunkBytes {
		return nil, fmt.Errorf("chunk at %#x: %d bytes for %d", loc.addr, len(data), ds.chunkBytes)
	}
	data = data[:ds.chunkBytes]
	ds.f.chunks.put(key, data, int64(cap(data)))
	return data, nil
}

// isEdge reports whether the chunk at scaled reaches past the dataset's
// current dimensions.
func (ds *Dataset) isEdge(scaled []uint64) bool {
	for k, s := range scaled {
		if (s+1)*ds.layout.chunk[k] > ds.space.dims[k] {
			return true
		}
	}
	return false
}

// unfilter undoes the filter pipeline, last filter first, skipping the
// filters the chunk's mask says were not applied. No stage may produce
// more than a chunk's bytes (plus the Fletcher32 checksums still to
// strip).
func (ds *Dataset) unfilter(p []byte, mask uint32) ([]byte, error) {
	limit := ds.chunkBytes
	for _, flt := range ds.filters {
		if flt.id == filterFletcher32 {
			limit += 4
		}
	}
	var err error
	for i := len(ds.filters) - 1; i >= 0; i-- {
		if i < 32 && mask&(1<<i) != 0 {
			continue
		}
		switch flt := ds.filters[i]; flt.id {
		case filterDeflate:
			p, err = inflate(p, limit)
		case filterShuffle:
			size := ds.dtype.Size
			if len(flt.params) > 0 {
				size = int(flt.params[0])
			}
			p = unshuffle(p, size)
		case filterFletcher32:
			p, err = checkFletcher32(p)
		}
		if err != nil {
			return nil, err
		}
	}
	if uint64(len(p)) != ds.chunkBytes {
		return nil, fmt.Errorf("%d bytes after the filters, expected %d", len(p), ds.chunkBytes)
	}
	return p, nil
}

var zlibReaders sync.Pool

// inflate decompresses a zlib stream that must not exceed limit bytes.
func inflate(p []byte, limit uint64) ([]byte, error) {
	src := bytes.NewReader(p)
	var zr io.ReadCloser
	if r, ok := zlibReaders.Get().(io.ReadCloser); ok {
		if err := r.(zlib.Resetter).Reset(src, nil); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
		zr = r
	} else {
		var err error
		if zr, err = zlib.NewReader(src); err != nil {
			return nil, fmt.Errorf("deflate: %w", err)
		}
	}
	defer zlibReaders.Put(zr)
	out := make([]byte, limit+1)
	n, err := io.ReadFull(zr, out)
	switch {
	case err == nil:
		return nil, fmt.Errorf("deflate: inflates to more than %d bytes", limit)
	case errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF:
		return out[:n], nil
	}
	return nil, fmt.Errorf("deflate: %w", err)
}

// unshuffle undoes the shuffle filter: the first bytes of every element,
// then the second bytes, and so on; leftover bytes stay at the end.
func unshuffle(p []byte, size int) []byte {
	if size <= 1 || len(p) < size {
		return p
	}
	n := len(p) / size
	out := make([]byte, len(p))
	for j := range size {
		src := p[j*n : (j+1)*n]
		for i, b := range src {
			out[i*size+j] = b
		}
	}
	copy(out[n*size:], p[n*size:])
	return out
}

// checkFletcher32 verifies and strips the checksum the Fletcher32 filter
// appends. Like libhdf5, it also accepts the checksum with the bytes of
// each half swapped, as libhdf5 before 1.6.3 wrote it on some machines.
func checkFletcher32(p []byte) ([]byte, error) {
	if len(p) < 4 {
		return nil, errors.New("fletcher32: no checksum")
	}
	n := len(p) - 4
	stored := le.Uint32(p[n:])
	sum := fletcher32(p[:n])
	swapped := sum&0x00ff00ff<<8 | sum>>8&0x00ff00ff
	if stored != sum && stored != swapped {
		return nil, fmt.Errorf("fletcher32: checksum %#08x, computed %#08x", stored, sum)
	}
	return p[:n], nil
}
