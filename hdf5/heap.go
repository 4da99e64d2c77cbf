package hdf5

import (
	"bytes"
	"errors"
	"fmt"
)

// localHeap is a group's local heap: the names of its links.
type localHeap struct{ data []byte }

func (f *File) readLocalHeap(addr uint64) (*localHeap, error) {
	return cached(f, addr, "local heap", func() (*localHeap, int64, error) {
		p, err := f.readAt(addr, 8+2*uint64(f.lenSize)+uint64(f.offSize))
		if err != nil {
			return nil, 0, fmt.Errorf("local heap: %w", err)
		}
		d := f.decoder(p)
		d.signature("HEAP")
		if v := d.u8(); v != 0 && d.err == nil {
			return nil, 0, fmt.Errorf("local heap version %d", v)
		}
		d.skip(3)
		size := d.length()
		d.length() // free list
		dataAddr := d.addr()
		if d.err != nil {
			return nil, 0, fmt.Errorf("local heap at %#x: %w", addr, d.err)
		}
		data, err := f.readAt(dataAddr, size)
		if err != nil {
			return nil, 0, fmt.Errorf("local heap at %#x: %w", addr, err)
		}
		return &localHeap{data}, int64(size), nil
	})
}

// str is the NUL-terminated string at offset off.
func (h *localHeap) str(off uint64) (string, error) {
	if off >= uint64(len(h.data)) {
		return "", fmt.Errorf("local heap offset %d past its %d bytes", off, len(h.data))
	}
	s := h.data[off:]
	end := bytes.IndexByte(s, 0)
	if end < 0 {
		return "", fmt.Errorf("local heap string at %d: no terminating NUL", off)
	}
	return string(s[:end]), nil
}

// globalHeap is a global heap collection: the objects variable-length
// data point to, by index.
type globalHeap struct{ objects map[uint16][]byte }

func (f *File) readGlobalHeap(addr uint64) (*globalHeap, error) {
	return cached(f, addr, "global heap", func() (*globalHeap, int64, error) {
		h, size, err := f.decodeGlobalHeap(addr)
		if err != nil {
			return nil, 0, fmt.Errorf("global heap collection at %#x: %w", addr, err)
		}
		return h, size, nil
	})
}

func (f *File) decodeGlobalHeap(addr uint64) (*globalHeap, int64, error) {
	head, err := f.readAt(addr, 8+uint64(f.lenSize))
	if err != nil {
		return nil, 0, err
	}
	d := f.decoder(head)
	d.signature("GCOL")
	if v := d.u8(); v != 1 && d.err == nil {
		return nil, 0, fmt.Errorf("version %d", v)
	}
	d.skip(3)
	size := d.length()
	if d.err != nil {
		return nil, 0, d.err
	}
	if size < uint64(align8(len(head))) {
		return nil, 0, fmt.Errorf("collection of %d bytes", size)
	}
	p, err := f.readAt(addr, size)
	if err != nil {
		return nil, 0, err
	}
	// The collection's header and each object's are padded to 8 bytes.
	d = f.decoder(p[align8(len(head)):])
	objHead := align8(8 + f.lenSize)
	h := &globalHeap{objects: map[uint16][]byte{}}
	for d.left() >= objHead {
		index := d.u16()
		d.skip(6) // reference count, reserved
		n := d.length()
		d.skip(objHead - 8 - f.lenSize)
		if index == 0 { // free space: the rest of the collection
			break
		}
		if n > uint64(d.left()) {
			return nil, 0, fmt.Errorf("object %d of %d bytes past the collection's end", index, n)
		}
		h.objects[index] = d.take(int(n))
		d.skip(min(int(-n&7), d.left()))
	}
	if d.err != nil {
		return nil, 0, d.err
	}
	return h, int64(size), nil
}

func align8(n int) int { return (n + 7) &^ 7 }

// vlenStrings decodes n variable-length string references (length,
// collection address, object index) into strings.
func (f *File) vlenStrings(raw []byte, n int) ([]string, error) {
	out := make([]string, n)
	ref := 8 + f.offSize
	// Many references may name one long string: the read limit bounds
	// their total.
	total, limit := uint64(0), f.limit()
	for i := range out {
		d := f.decoder(raw[i*ref : (i+1)*ref])
		length := uint64(d.u32())
		addr := d.addr()
		index := d.u32()
		if length == 0 {
			continue
		}
		if addr == 0 || addr == undefined {
			return nil, fmt.Errorf("string %d: no heap address", i)
		}
		h, err := f.readGlobalHeap(addr)
		if err != nil {
			return nil, fmt.Errorf("string %d: %w", i, err)
		}
		obj, ok := h.objects[uint16(index)]
		if !ok || index > 0xffff {
			return nil, fmt.Errorf("string %d: object %d not in the collection at %#x", i, index, addr)
		}
		if length > uint64(len(obj)) {
			return nil, fmt.Errorf("string %d: %d bytes in an object of %d", i, length, len(obj))
		}
		if total += length; total > limit {
			return nil, fmt.Errorf("strings of more than the read limit of %d bytes", limit)
		}
		out[i] = string(obj[:length])
	}
	return out, nil
}

// fractalHeap is a fractal heap: where dense groups keep their links and
// dense attribute storage its attributes.
type fractalHeap struct {
	f          *File
	addr       uint64
	idLen      int
	maxManaged uint64
	width      uint64
	startBlock uint64
	maxDirect  uint64
	directRows int // rows of direct blocks in an indirect block
	rootAddr   uint64
	rootRows   int
	checksum   bool // direct blocks carry checksums
	offBytes   int  // bytes of a heap offset (block offsets, managed IDs)
	lenBytes   int  // bytes of a managed object's length in its ID
}

func (f *File) openFractalHeap(addr uint64) (*fractalHeap, error) {
	return cached(f, addr, "fractal heap", func() (*fractalHeap, int64, error) {
		h, err := f.decodeFractalHeap(addr)
		if err != nil {
			return nil, 0, fmt.Errorf("fractal heap at %#x: %w", addr, err)
		}
		return h, 256, nil
	})
}

func (f *File) decodeFractalHeap(addr uint64) (*fractalHeap, error) {
	o, l := uint64(f.offSize), uint64(f.lenSize)
	size := 4 + 1 + 2 + 2 + 1 + 4 + 12*l + 3*o + 2 + 2 + 2 + 2 + 4
	p, err := f.readAt(addr, size)
	if err != nil {
		return nil, err
	}
	d := f.decoder(p)
	d.signature("FRHP")
	if v := d.u8(); v != 0 && d.err == nil {
		return nil, fmt.Errorf("version %d", v)
	}
	h := &fractalHeap{f: f, addr: addr}
	h.idLen = int(d.u16())
	filterLen := d.u16()
	flags := d.u8()
	h.checksum = flags&2 != 0
	h.maxManaged = uint64(d.u32())
	d.length() // next huge object ID
	d.addr()   // huge objects' B-tree
	d.length() // free space in managed blocks
	d.addr()   // free-space manager
	for range 8 {
		d.length() // managed space, allocated, iterator, counts and sizes
	}
	h.width = uint64(d.u16())
	h.startBlock = d.length()
	h.maxDirect = d.length()
	maxHeapBits := int(d.u16())
	d.u16() // starting rows of the root indirect block
	h.rootAddr = d.addr()
	h.rootRows = int(d.u16())
	if d.err != nil {
		return nil, d.err
	}
	if filterLen != 0 {
		return nil, fmt.Errorf("filtered heap blocks: %w", ErrUnsupported)
	}
	if err := verifyChecksum(p[:d.off+4], "header"); err != nil {
		return nil, err
	}
	if !isPow2(h.width) || !isPow2(h.startBlock) || !isPow2(h.maxDirect) ||
		h.maxDirect < h.startBlock || maxHeapBits < 1 || maxHeapBits > 64 {
		return nil, fmt.Errorf("table of width %d, blocks of %d to %d bytes, %d-bit offsets",
			h.width, h.startBlock, h.maxDirect, maxHeapBits)
	}
	h.directRows = log2(h.maxDirect) - log2(h.startBlock) + 2
	h.offBytes = (maxHeapBits + 7) / 8
	h.lenBytes = min((log2(h.maxDirect)+7)/8, bytesFor(h.maxManaged))
	// The rows' spans must not overflow.
	if log2(h.startBlock)+log2(h.width)+h.rootRows > 62 {
		return nil, fmt.Errorf("root indirect block of %d rows", h.rootRows)
	}
	return h, nil
}

// blockSize is the size of the blocks in row r of the doubling table.
func (h *fractalHeap) blockSize(r int) uint64 {
	if r == 0 {
		return h.startBlock
	}
	return h.startBlock << (r - 1)
}

// get returns the object a heap ID names.
func (h *fractalHeap) get(id []byte) ([]byte, error) {
	if len(id) == 0 || len(id) != h.idLen {
		return nil, fmt.Errorf("heap ID of %d bytes, the heap's are %d", len(id), h.idLen)
	}
	if id[0]>>6 != 0 {
		return nil, fmt.Errorf("heap ID version %d", id[0]>>6)
	}
	switch typ := id[0] >> 4 & 3; typ {
	case 0:
		d := h.f.decoder(id[1:])
		off := d.uint(h.offBytes)
		n := d.uint(h.lenBytes)
		if d.err != nil {
			return nil, fmt.Errorf("heap ID: %w", d.err)
		}
		return h.managed(off, n)
	case 2:
		n, data := int(id[0]&0x0f)+1, id[1:]
		if h.idLen > 17 {
			n, data = int(id[0]&0x0f)<<8|int(id[1])+1, id[2:]
		}
		if n > len(data) {
			return nil, fmt.Errorf("tiny object of %d bytes in a %d-byte ID", n, h.idLen)
		}
		return data[:n], nil
	case 1:
		return nil, fmt.Errorf("huge heap objects: %w", ErrUnsupported)
	default:
		return nil, fmt.Errorf("heap ID type %d", typ)
	}
}

// managed returns n bytes at offset off of the heap's managed space,
// walking down from the root block.
func (h *fractalHeap) managed(off, n uint64) ([]byte, error) {
	if n == 0 || n > h.maxDirect {
		return nil, fmt.Errorf("managed object of %d bytes", n)
	}
	if h.rootRows == 0 {
		return h.fromDirect(h.rootAddr, h.startBlock, 0, off, n)
	}
	blockAddr, rows, blockOff := h.rootAddr, h.rootRows, uint64(0)
	// Every step down goes to a smaller indirect block, so this ends.
	for depth := 0; depth < 64; depth++ {
		ib, err := h.indirect(blockAddr, rows, blockOff)
		if err != nil {
			return nil, err
		}
		rel := off - blockOff
		row, rowStart := 0, uint64(0)
		for row < rows {
			next := rowStart + h.width*h.blockSize(row)
			if rel < next {
				break
			}
			row, rowStart = row+1, next
		}
		if row == rows {
			return nil, fmt.Errorf("heap offset %d past the indirect block at %#x", off, blockAddr)
		}
		size := h.blockSize(row)
		col := (rel - rowStart) / size
		child := ib.children[uint64(row)*h.width+col]
		childOff := blockOff + rowStart + col*size
		if child == undefined {
			return nil, fmt.Errorf("heap offset %d: in a block never allocated", off)
		}
		if row < h.directRows {
			return h.fromDirect(child, size, childOff, off, n)
		}
		blockAddr, blockOff = child, childOff
		if rows = log2(size) - log2(h.startBlock*h.width) + 1; rows < 1 {
			return nil, fmt.Errorf("indirect block of %d bytes in a table of width %d", size, h.width)
		}
	}
	return nil, errors.New("indirect blocks nested too deeply")
}

// fromDirect returns n bytes at heap offset off from the direct block of
// the given size at addr, which starts at heap offset blockOff.
func (h *fractalHeap) fromDirect(addr, size, blockOff, off, n uint64) ([]byte, error) {
	block, err := cached(h.f, addr, "fractal heap direct block", func() ([]byte, int64, error) {
		p, err := h.f.readAt(addr, size)
		if err != nil {
			return nil, 0, fmt.Errorf("fractal heap direct block: %w", err)
		}
		d := h.f.decoder(p)
		d.signature("FHDB")
		d.u8()
		if heap := d.addr(); heap != h.addr && d.err == nil {
			d.err = fmt.Errorf("belongs to the heap at %#x", heap)
		}
		d.uint(h.offBytes)
		if d.err == nil && h.checksum {
			sum := d.off
			stored := d.u32()
			buf := append([]byte{}, p...)
			copy(buf[sum:sum+4], []byte{0, 0, 0, 0})
			if got := lookup3(buf); got != stored && !ignoreChecksums {
				d.err = fmt.Errorf("checksum %#08x, computed %#08x", stored, got)
			}
		}
		if d.err != nil {
			return nil, 0, fmt.Errorf("fractal heap direct block at %#x: %w", addr, d.err)
		}
		return p, int64(size), nil
	})
	if err != nil {
		return nil, err
	}
	rel := off - blockOff
	if off < blockOff || rel >= uint64(len(block)) || n > uint64(len(block))-rel {
		return nil, fmt.Errorf("heap object of %d bytes at offset %d: outside its direct block", n, off)
	}
	return block[rel : rel+n], nil
}

// indirectBlock lists an indirect block's children: direct blocks, then
// indirect ones, row by row.
type indirectBlock struct{ children []uint64 }

func (h *fractalHeap) indirect(addr uint64, rows int, blockOff uint64) (*indirectBlock, error) {
	kind := fmt.Sprintf("fractal heap indirect block of %d rows at offset %d", rows, blockOff)
	return cached(h.f, addr, kind, func() (*indirectBlock, int64, error) {
		n := uint64(rows) * h.width
		size := 4 + 1 + uint64(h.f.offSize) + uint64(h.offBytes) + n*uint64(h.f.offSize) + 4
		p, err := h.f.readAt(addr, size)
		if err != nil {
			return nil, 0, fmt.Errorf("fractal heap indirect block: %w", err)
		}
		d := h.f.decoder(p)
		d.signature("FHIB")
		d.u8()
		if heap := d.addr(); heap != h.addr && d.err == nil {
			d.err = fmt.Errorf("belongs to the heap at %#x", heap)
		}
		if o := d.uint(h.offBytes); o != blockOff && d.err == nil {
			d.err = fmt.Errorf("block offset %d, expected %d", o, blockOff)
		}
		ib := &indirectBlock{children: make([]uint64, n)}
		for i := range ib.children {
			ib.children[i] = d.addr()
		}
		if d.err == nil {
			d.err = verifyChecksum(p, "checksum")
		}
		if d.err != nil {
			return nil, 0, fmt.Errorf("fractal heap indirect block at %#x: %w", addr, d.err)
		}
		return ib, int64(size), nil
	})
}
