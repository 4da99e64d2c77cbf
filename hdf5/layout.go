package hdf5

import (
	"fmt"
)

// Storage layouts.
const (
	layoutCompact    = 0
	layoutContiguous = 1
	layoutChunked    = 2
)

// Chunk indexes: the version 1 B-tree of layout version 3, and those of
// layout version 4.
const (
	indexBTree1     = 0
	indexSingle     = 1
	indexImplicit   = 2
	indexFixedArray = 3
	indexExtensible = 4
	indexBTree2     = 5
)

// layout is a decoded data layout message.
type layout struct {
	class int
	// compact
	data []byte
	// contiguous: where and how many bytes; chunked: the index's address
	addr, size uint64
	// chunked
	chunk   []uint64 // chunk dimensions, one per dataset dimension
	index   int      // chunk index type
	edgeRaw bool     // partial edge chunks are not filtered
	single  chunkLoc // a filtered single chunk's size and filter mask
}

// parseLayout decodes a data layout message (versions 3 and 4).
func (f *File) parseLayout(p []byte) (*layout, error) {
	d := f.decoder(p)
	version := d.u8()
	l := &layout{class: int(d.u8())}
	if d.err == nil && (version < 3 || version > 4) {
		return nil, fmt.Errorf("data layout version %d: %w", version, ErrUnsupported)
	}
	switch l.class {
	case layoutCompact:
		l.data = d.take(int(d.u16()))
	case layoutContiguous:
		l.addr = d.addr()
		l.size = d.length()
	case layoutChunked:
		if version == 3 {
			f.chunkedV3(d, l)
		} else if err := f.chunkedV4(d, l); err != nil {
			return nil, err
		}
	case 3:
		return nil, fmt.Errorf("virtual dataset: %w", ErrUnsupported)
	default:
		return nil, fmt.Errorf("data layout class %d", l.class)
	}
	if d.err != nil {
		return nil, fmt.Errorf("data layout: %w", d.err)
	}
	return l, nil
}

// chunkedV3 reads a version 3 chunked layout: a v1 B-tree address and
// the chunk's dimensions, the last being the element size.
func (f *File) chunkedV3(d *decoder, l *layout) {
	ndims := int(d.u8())
	l.addr = d.addr()
	l.index = indexBTree1
	if ndims < 2 || ndims > maxRank+1 {
		if d.err == nil {
			d.err = fmt.Errorf("chunks of %d dimensions", ndims)
		}
		return
	}
	l.chunk = make([]uint64, ndims)
	for i := range l.chunk {
		l.chunk[i] = uint64(d.u32())
	}
	l.chunk = l.chunk[:ndims-1] // the last is the element size
}

// chunkedV4 reads a version 4 chunked layout: flags, chunk dimensions,
// then the chunk index type, its parameters and its address.
func (f *File) chunkedV4(d *decoder, l *layout) error {
	flags := d.u8()
	ndims := int(d.u8())
	width := int(d.u8())
	if d.err != nil {
		return fmt.Errorf("data layout: %w", d.err)
	}
	if ndims < 2 || ndims > maxRank+1 || width < 1 || width > 8 {
		return fmt.Errorf("data layout: chunks of %d dimensions encoded in %d bytes", ndims, width)
	}
	l.edgeRaw = flags&1 != 0
	l.chunk = make([]uint64, ndims)
	for i := range l.chunk {
		l.chunk[i] = d.uint(width)
	}
	l.chunk = l.chunk[:ndims-1]
	l.index = int(d.u8())
	switch l.index {
	case indexSingle:
		if flags&2 != 0 {
			l.single.size = d.length()
			l.single.mask = d.u32()
			l.single.filtered = true
		}
	case indexImplicit:
	// The parameters of the other indexes are in their headers too.
	case indexFixedArray:
		d.skip(1) // page size
	case indexExtensible:
		d.skip(5) // element counts and page size
	case indexBTree2:
		d.skip(6) // node size, split and merge percentages
	default:
		if d.err == nil {
			return fmt.Errorf("data layout: chunk index type %d", l.index)
		}
	}
	l.addr = d.addr()
	return nil
}

// filter is one filter of a pipeline.
type filter struct {
	id       uint16
	optional bool
	params   []uint32
}

// Filters this package applies.
const (
	filterDeflate    = 1
	filterShuffle    = 2
	filterFletcher32 = 3
)

var filterNames = map[uint16]string{4: "szip", 5: "nbit", 6: "scale-offset", 32001: "blosc", 32004: "lz4", 32008: "bitshuffle", 32015: "zstd"}

// parseFilters decodes a filter pipeline message (versions 1 and 2).
func (f *File) parseFilters(p []byte) ([]filter, error) {
	d := f.decoder(p)
	version := d.u8()
	n := int(d.u8())
	if version == 1 {
		d.skip(6)
	} else if version != 2 && d.err == nil {
		return nil, fmt.Errorf("filter pipeline version %d: %w", version, ErrUnsupported)
	}
	if n > 32 {
		return nil, fmt.Errorf("filter pipeline of %d filters", n)
	}
	out := make([]filter, n)
	for i := range out {
		flt := &out[i]
		flt.id = d.u16()
		nameLen := 0
		if version == 1 || flt.id >= 256 {
			nameLen = int(d.u16())
		}
		flt.optional = d.u16()&1 != 0
		nparams := int(d.u16())
		if version == 1 {
			nameLen = (nameLen + 7) &^ 7
		}
		d.skip(nameLen)
		if nparams > d.left()/4 {
			return nil, fmt.Errorf("filter %d: %d parameters in %d bytes", flt.id, nparams, d.left())
		}
		flt.params = make([]uint32, nparams)
		for j := range flt.params {
			flt.params[j] = d.u32()
		}
		if version == 1 && nparams%2 == 1 {
			d.skip(4)
		}
	}
	if d.err != nil {
		return nil, fmt.Errorf("filter pipeline: %w", d.err)
	}
	for _, flt := range out {
		switch flt.id {
		case filterDeflate, filterShuffle, filterFletcher32:
		default:
			name := filterNames[flt.id]
			if name == "" {
				name = fmt.Sprintf("number %d", flt.id)
			}
			return nil, fmt.Errorf("filter %s: %w", name, ErrUnsupported)
		}
	}
	return out, nil
}

// parseFill decodes a fill value message (old, or versions 1 to 3) and
// returns the fill value's bytes, or nil when none is defined.
func (f *File) parseFill(m *message) ([]byte, error) {
	d := f.decoder(m.data)
	if m.typ == msgFillOld {
		n := int(d.u32())
		return d.take(n), d.err
	}
	version := d.u8()
	defined := false
	switch version {
	case 1, 2:
		d.u8() // allocation time
		d.u8() // fill write time
		defined = d.u8() != 0
	case 3:
		defined = d.u8()&0x20 != 0
	default:
		if d.err == nil {
			return nil, fmt.Errorf("fill value version %d: %w", version, ErrUnsupported)
		}
	}
	if !defined || d.err != nil {
		return nil, d.err
	}
	n := int(d.u32())
	return d.take(n), d.err
}
