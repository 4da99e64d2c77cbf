package hdf5

import (
	"errors"
	"fmt"
	"math/bits"
)

// chunkLoc is where a chunk is stored.
type chunkLoc struct {
	addr     uint64
	size     uint64 // bytes stored, when filtered
	mask     uint32 // filters not applied to this chunk
	filtered bool   // size and mask come from the index
}

// chunkIndex finds chunks by their coordinates in the chunk grid.
type chunkIndex interface {
	// find returns the chunk at scaled, or false if it was never written.
	find(scaled []uint64) (chunkLoc, bool, error)
}

func (ds *Dataset) openIndex() (chunkIndex, error) {
	l := ds.layout
	if l.addr == undefined {
		return noChunks{}, nil
	}
	f := ds.f
	switch l.index {
	case indexBTree1:
		return &btree1Index{f: f, root: l.addr, chunk: l.chunk}, nil
	case indexSingle:
		loc := l.single
		loc.addr = l.addr
		return singleIndex{loc}, nil
	case indexImplicit:
		down, total, err := ds.maxDown()
		if err != nil {
			return nil, err
		}
		size, ok := mulOK(total, ds.chunkBytes)
		if !ok {
			return nil, fmt.Errorf("%d chunks of %d bytes", total, ds.chunkBytes)
		}
		if err := f.checkRange(l.addr, size); err != nil {
			return nil, fmt.Errorf("implicit chunk index: %w", err)
		}
		return &implicitIndex{addr: l.addr, chunkBytes: ds.chunkBytes, down: down}, nil
	case indexFixedArray:
		return ds.openFixedArray()
	case indexExtensible:
		return ds.openExtensibleArray()
	case indexBTree2:
		typ := uint8(btree2Chunk)
		if len(ds.filters) > 0 {
			typ = btree2FilteredChunk
		}
		tree, err := f.openBTree2(l.addr, typ)
		if err != nil {
			return nil, err
		}
		sizeLen := tree.recSize - f.offSize - 8*len(l.chunk)
		if typ == btree2FilteredChunk {
			sizeLen -= 4
			if sizeLen < 1 || sizeLen > 8 {
				return nil, fmt.Errorf("chunk records of %d bytes", tree.recSize)
			}
		} else if sizeLen != 0 {
			return nil, fmt.Errorf("chunk records of %d bytes", tree.recSize)
		}
		return &btree2Index{tree: tree, offSize: f.offSize, sizeLen: sizeLen}, nil
	}
	return nil, fmt.Errorf("chunk index type %d", l.index)
}

// maxDown is, for each dimension, how many chunks one step along it
// skips in the linear order of chunks over the dataset's maximum
// dimensions (the order of fixed-size indexes); and the number of chunks.
func (ds *Dataset) maxDown() ([]uint64, uint64, error) {
	chunk := ds.layout.chunk
	down := make([]uint64, len(chunk))
	total := uint64(1)
	for k := len(chunk) - 1; k >= 0; k-- {
		m := ds.space.maxDims[k]
		if m == undefined {
			return nil, 0, fmt.Errorf("unlimited dimension %d in a fixed-size chunk index", k)
		}
		down[k] = total
		var ok bool
		if total, ok = mulOK(total, (m+chunk[k]-1)/chunk[k]); !ok {
			return nil, 0, fmt.Errorf("maximum dimensions %v: too many chunks", ds.space.maxDims)
		}
	}
	return down, total, nil
}

func linear(scaled, down []uint64) uint64 {
	var i uint64
	for k, s := range scaled {
		i += s * down[k]
	}
	return i
}

// noChunks is the index of a dataset no chunk of which was ever written.
type noChunks struct{}

func (noChunks) find([]uint64) (chunkLoc, bool, error) { return chunkLoc{}, false, nil }

type btree1Index struct {
	f     *File
	root  uint64
	chunk []uint64
}

func (x *btree1Index) find(scaled []uint64) (chunkLoc, bool, error) {
	off := make([]uint64, len(scaled))
	for k, s := range scaled {
		off[k] = s * x.chunk[k]
	}
	return x.f.btree1Chunk(x.root, off)
}

type singleIndex struct{ loc chunkLoc }

func (x singleIndex) find([]uint64) (chunkLoc, bool, error) { return x.loc, true, nil }

type implicitIndex struct {
	addr, chunkBytes uint64
	down             []uint64
}

func (x *implicitIndex) find(scaled []uint64) (chunkLoc, bool, error) {
	return chunkLoc{addr: x.addr + linear(scaled, x.down)*x.chunkBytes}, true, nil
}

type btree2Index struct {
	tree    *btree2
	offSize int
	sizeLen int // bytes of a filtered chunk's size; 0 if unfiltered
}

func (x *btree2Index) find(scaled []uint64) (chunkLoc, bool, error) {
	at := x.offSize
	if x.sizeLen > 0 {
		at += x.sizeLen + 4
	}
	rec, err := x.tree.find(func(rec []byte) int {
		return -compareOffsets(rec[at:], scaled)
	})
	if rec == nil || err != nil {
		return chunkLoc{}, false, err
	}
	d := x.tree.f.decoder(rec)
	loc := chunkLoc{addr: d.addr()}
	if x.sizeLen > 0 {
		loc.size = d.uint(x.sizeLen)
		loc.mask = d.u32()
		loc.filtered = true
	}
	return loc, loc.addr != undefined, d.err
}

// decodeEntry decodes a fixed or extensible array entry: a chunk address
// and, for filtered chunks, the stored size and filter mask.
func decodeEntry(f *File, p []byte, filtered bool) chunkLoc {
	d := f.decoder(p)
	loc := chunkLoc{addr: d.addr()}
	if filtered {
		loc.size = d.uint(len(p) - f.offSize - 4)
		loc.mask = d.u32()
		loc.filtered = true
	}
	return loc
}

// checkEntrySize checks the size of array entries against the kind of
// chunks they index.
func checkEntrySize(f *File, size int, filtered bool) error {
	want := f.offSize
	if filtered {
		if size-f.offSize-4 < 1 || size-f.offSize-4 > 8 {
			return fmt.Errorf("filtered chunk entries of %d bytes", size)
		}
		return nil
	}
	if size != want {
		return fmt.Errorf("chunk entries of %d bytes", size)
	}
	return nil
}

// fixedArray is a fixed array chunk index: one entry per chunk, in a
// data block that may be split in pages.
type fixedArray struct {
	f          *File
	hdr        uint64
	filtered   bool
	esz        uint64
	n          uint64 // entries
	pageElems  uint64 // entries per page; 0 if not paged
	block      uint64
	bitmapSize uint64
	down       []uint64
}

func (ds *Dataset) openFixedArray() (chunkIndex, error) {
	f, addr := ds.f, ds.layout.addr
	p, err := f.readAt(addr, 4+4+uint64(f.lenSize+f.offSize)+4)
	if err != nil {
		return nil, fmt.Errorf("fixed array header: %w", err)
	}
	if err := verifyChecksum(p, "fixed array header"); err != nil {
		return nil, err
	}
	d := f.decoder(p)
	d.signature("FAHD")
	d.u8()
	x := &fixedArray{f: f, hdr: addr, filtered: d.u8() == 1}
	x.esz = uint64(d.u8())
	pageBits := d.u8()
	x.n = d.length()
	x.block = d.addr()
	if d.err != nil {
		return nil, fmt.Errorf("fixed array header: %w", d.err)
	}
	if err := checkEntrySize(f, int(x.esz), x.filtered); err != nil {
		return nil, err
	}
	if x.filtered != (len(ds.filters) > 0) {
		return nil, errors.New("fixed array of the wrong kind of chunks")
	}
	down, total, err := ds.maxDown()
	if err != nil {
		return nil, err
	}
	if x.n < total {
		return nil, fmt.Errorf("fixed array of %d entries for %d chunks", x.n, total)
	}
	x.down = down
	if pageBits < 32 && x.n > 1<<pageBits {
		x.pageElems = 1 << pageBits
		pages := (x.n + x.pageElems - 1) / x.pageElems
		x.bitmapSize = (pages + 7) / 8
	}
	return x, nil
}

func (x *fixedArray) find(scaled []uint64) (chunkLoc, bool, error) {
	if x.block == undefined {
		return chunkLoc{}, false, nil
	}
	i := linear(scaled, x.down)
	var entry []byte
	var err error
	if x.pageElems == 0 {
		entry, err = x.unpaged(i)
	} else {
		entry, err = x.paged(i)
	}
	if entry == nil || err != nil {
		return chunkLoc{}, false, err
	}
	loc := decodeEntry(x.f, entry, x.filtered)
	return loc, loc.addr != undefined, nil
}

// prefix is the size of the data block before its entries or pages.
func (x *fixedArray) prefix() uint64 {
	return 4 + 1 + 1 + uint64(x.f.offSize) + x.bitmapSize + 4
}

func (x *fixedArray) unpaged(i uint64) ([]byte, error) {
	size, ok := mulOK(x.n, x.esz)
	if !ok {
		return nil, fmt.Errorf("fixed array of %d entries", x.n)
	}
	block, err := cached(x.f, x.block, "fixed array data block", func() ([]byte, int64, error) {
		p, err := x.readBlock(x.block, x.prefix()+size)
		return p, int64(len(p)), err
	})
	if err != nil {
		return nil, err
	}
	at := x.prefix() - 4 + i*x.esz
	return block[at : at+x.esz], nil
}

func (x *fixedArray) paged(i uint64) ([]byte, error) {
	head, err := cached(x.f, x.block, "fixed array paged data block", func() ([]byte, int64, error) {
		p, err := x.readBlock(x.block, x.prefix())
		return p, int64(len(p)), err
	})
	if err != nil {
		return nil, err
	}
	page := i / x.pageElems
	bitmap := head[6+x.f.offSize:]
	if bitmap[page/8]&(0x80>>(page%8)) == 0 {
		return nil, nil
	}
	elems := min(x.pageElems, x.n-page*x.pageElems)
	pageAddr := x.block + x.prefix() + page*(x.pageElems*x.esz+4)
	data, err := cached(x.f, pageAddr, "fixed array page", func() ([]byte, int64, error) {
		p, err := x.f.readAt(pageAddr, elems*x.esz+4)
		if err == nil {
			err = verifyChecksum(p, "fixed array page")
		}
		return p, int64(len(p)), err
	})
	if err != nil {
		return nil, err
	}
	at := (i % x.pageElems) * x.esz
	return data[at : at+x.esz], nil
}

// readBlock reads a fixed array data block (or its head) and checks its
// signature, owner and checksum.
func (x *fixedArray) readBlock(addr, size uint64) ([]byte, error) {
	p, err := x.f.readAt(addr, size)
	if err != nil {
		return nil, fmt.Errorf("fixed array data block: %w", err)
	}
	d := x.f.decoder(p)
	d.signature("FADB")
	d.skip(2)
	if owner := d.addr(); owner != x.hdr && d.err == nil {
		d.err = fmt.Errorf("belongs to the array at %#x", owner)
	}
	if d.err == nil {
		d.err = verifyChecksum(p, "checksum")
	}
	if d.err != nil {
		return nil, fmt.Errorf("fixed array data block at %#x: %w", addr, d.err)
	}
	return p, nil
}

// extensibleArray is an extensible array chunk index, for datasets with
// one unlimited dimension: the first entries in an index block, the rest
// in data blocks of growing size, found through super blocks.
type extensibleArray struct {
	f           *File
	hdr         uint64
	filtered    bool
	esz         uint64
	idxElems    uint64 // entries in the index block
	minElems    uint64 // entries in the smallest data block
	pageElems   uint64
	arrOffSize  int
	iblock      uint64
	sblk        []superBlockInfo // those whose entries can be reached
	nsblks      int              // super blocks in all
	iblockSblks int              // super blocks whose data blocks the index block lists
	ndblkAddrs  int
	unlimDim    int
	down        []uint64 // in the order with the unlimited dimension first
}

type superBlockInfo struct {
	ndblks, dblkElems, startIdx, startDblk uint64
}

func (ds *Dataset) openExtensibleArray() (chunkIndex, error) {
	f, addr := ds.f, ds.layout.addr
	l := uint64(f.lenSize)
	p, err := f.readAt(addr, 4+1+1+6+6*l+uint64(f.offSize)+4)
	if err != nil {
		return nil, fmt.Errorf("extensible array header: %w", err)
	}
	if err := verifyChecksum(p, "extensible array header"); err != nil {
		return nil, err
	}
	d := f.decoder(p)
	d.signature("EAHD")
	d.u8()
	x := &extensibleArray{f: f, hdr: addr, filtered: d.u8() == 1}
	x.esz = uint64(d.u8())
	maxBits := int(d.u8())
	x.idxElems = uint64(d.u8())
	x.minElems = uint64(d.u8())
	minPtrs := uint64(d.u8())
	pageBits := d.u8()
	d.skip(6 * f.lenSize)
	x.iblock = d.addr()
	if d.err != nil {
		return nil, fmt.Errorf("extensible array header: %w", d.err)
	}
	if err := checkEntrySize(f, int(x.esz), x.filtered); err != nil {
		return nil, err
	}
	if x.filtered != (len(ds.filters) > 0) {
		return nil, errors.New("extensible array of the wrong kind of chunks")
	}
	if !isPow2(x.minElems) || !isPow2(minPtrs) || maxBits > 64 || maxBits < log2(x.minElems) || pageBits > 32 {
		return nil, fmt.Errorf("extensible array parameters %d, %d, %d, %d", maxBits, x.minElems, minPtrs, pageBits)
	}
	x.pageElems = 1 << pageBits
	x.arrOffSize = (maxBits + 7) / 8
	nsblks := 1 + maxBits - log2(x.minElems)
	var startIdx, startDblk uint64
	for u := range nsblks {
		info := superBlockInfo{ndblks: 1 << (u / 2), dblkElems: x.minElems << ((u + 1) / 2), startIdx: startIdx, startDblk: startDblk}
		x.sblk = append(x.sblk, info)
		n, ok := mulOK(info.ndblks, info.dblkElems)
		if ok {
			startIdx, ok = addOK(startIdx, n)
		}
		if !ok {
			break // entries past 2^63 cannot be reached
		}
		startDblk += info.ndblks
	}
	x.nsblks = nsblks
	x.iblockSblks = min(2*log2(minPtrs), nsblks)
	x.ndblkAddrs = int(2 * (minPtrs - 1))
	if err := x.swizzle(ds); err != nil {
		return nil, err
	}
	return x, nil
}

// swizzle finds the unlimited dimension and the linear order of chunks
// libhdf5 gives them: the unlimited dimension first, then the others.
func (x *extensibleArray) swizzle(ds *Dataset) error {
	x.unlimDim = -1
	for k, m := range ds.space.maxDims {
		if m == undefined {
			if x.unlimDim >= 0 {
				return errors.New("extensible array index with two unlimited dimensions")
			}
			x.unlimDim = k
		}
	}
	if x.unlimDim < 0 {
		return errors.New("extensible array index without an unlimited dimension")
	}
	chunk := ds.layout.chunk
	rank := len(chunk)
	x.down = make([]uint64, rank)
	total := uint64(1)
	for k := rank - 1; k >= 0; k-- {
		x.down[k] = total
		if k == 0 {
			break
		}
		dim := x.order(k)
		var ok bool
		if total, ok = mulOK(total, (ds.space.maxDims[dim]+chunk[dim]-1)/chunk[dim]); !ok {
			return fmt.Errorf("maximum dimensions %v: too many chunks", ds.space.maxDims)
		}
	}
	return nil
}

// order is the dataset dimension at position k of the swizzled order.
func (x *extensibleArray) order(k int) int {
	switch {
	case k == 0:
		return x.unlimDim
	case k <= x.unlimDim:
		return k - 1
	}
	return k
}

func (x *extensibleArray) find(scaled []uint64) (chunkLoc, bool, error) {
	if x.iblock == undefined {
		return chunkLoc{}, false, nil
	}
	var i uint64
	for k := range scaled {
		i += scaled[x.order(k)] * x.down[k]
	}
	entry, err := x.lookup(i)
	if entry == nil || err != nil {
		return chunkLoc{}, false, err
	}
	loc := decodeEntry(x.f, entry, x.filtered)
	return loc, loc.addr != undefined, nil
}

// indexBlock is an extensible array's index block: its own entries, then
// the addresses of the first data blocks and of the super blocks.
type indexBlock struct {
	entries []byte
	dblks   []uint64
	sblks   []uint64
}

func (x *extensibleArray) lookup(i uint64) ([]byte, error) {
	ib, err := cached(x.f, x.iblock, "extensible array index block", x.readIndexBlock)
	if err != nil {
		return nil, err
	}
	if i < x.idxElems {
		return ib.entries[i*x.esz : (i+1)*x.esz], nil
	}
	rel := i - x.idxElems
	s := bits.Len64(rel/x.minElems+1) - 1
	if s >= len(x.sblk) {
		return nil, nil
	}
	info := x.sblk[s]
	dblk, elem := (rel-info.startIdx)/info.dblkElems, (rel-info.startIdx)%info.dblkElems
	if s < x.iblockSblks {
		if info.dblkElems > x.pageElems {
			return nil, fmt.Errorf("paged data block listed in the index block: %w", ErrUnsupported)
		}
		if j := info.startDblk + dblk; j < uint64(len(ib.dblks)) {
			return x.fromDataBlock(ib.dblks[j], info.dblkElems, elem)
		}
		return nil, fmt.Errorf("data block %d of an index block listing %d", info.startDblk+dblk, len(ib.dblks))
	}
	sbAddr := ib.sblks[s-x.iblockSblks]
	if sbAddr == undefined {
		return nil, nil
	}
	sb, err := x.superBlock(sbAddr, info)
	if err != nil {
		return nil, err
	}
	addr := sb.dblks[dblk]
	if addr == undefined {
		return nil, nil
	}
	if info.dblkElems <= x.pageElems {
		return x.fromDataBlock(addr, info.dblkElems, elem)
	}
	npages := info.dblkElems / x.pageElems
	page := elem / x.pageElems
	bit := dblk*npages + page
	if sb.pageInit[bit/8]&(0x80>>(bit%8)) == 0 {
		return nil, nil
	}
	pageAddr := addr + x.dblkPrefix() + page*(x.pageElems*x.esz+4)
	data, err := cached(x.f, pageAddr, "extensible array page", func() ([]byte, int64, error) {
		p, err := x.f.readAt(pageAddr, x.pageElems*x.esz+4)
		if err == nil {
			err = verifyChecksum(p, "extensible array page")
		}
		return p, int64(len(p)), err
	})
	if err != nil {
		return nil, err
	}
	at := (elem % x.pageElems) * x.esz
	return data[at : at+x.esz], nil
}

func (x *extensibleArray) readIndexBlock() (*indexBlock, int64, error) {
	nsblkAddrs := x.nsblks - x.iblockSblks
	o := uint64(x.f.offSize)
	size := 6 + o + x.idxElems*x.esz + uint64(x.ndblkAddrs+nsblkAddrs)*o + 4
	p, err := x.readBlock(x.iblock, size, "EAIB")
	if err != nil {
		return nil, 0, err
	}
	d := x.f.decoder(p[6+o:])
	ib := &indexBlock{entries: d.take(int(x.idxElems * x.esz))}
	ib.dblks = make([]uint64, x.ndblkAddrs)
	for j := range ib.dblks {
		ib.dblks[j] = d.addr()
	}
	ib.sblks = make([]uint64, nsblkAddrs)
	for j := range ib.sblks {
		ib.sblks[j] = d.addr()
	}
	return ib, int64(size), d.err
}

// superBlock lists a super block's data blocks and which of their pages
// were written.
type superBlock struct {
	pageInit []byte
	dblks    []uint64
}

func (x *extensibleArray) superBlock(addr uint64, info superBlockInfo) (*superBlock, error) {
	return cached(x.f, addr, "extensible array super block", func() (*superBlock, int64, error) {
		var initSize uint64
		ok := true
		if info.dblkElems > x.pageElems {
			initSize, ok = mulOK((info.dblkElems/x.pageElems+7)/8, info.ndblks)
		}
		o := uint64(x.f.offSize)
		size := 6 + o + uint64(x.arrOffSize) + initSize + info.ndblks*o + 4
		if !ok || initSize > x.f.size {
			return nil, 0, fmt.Errorf("extensible array super block of %d data blocks", info.ndblks)
		}
		p, err := x.readBlock(addr, size, "EASB")
		if err != nil {
			return nil, 0, err
		}
		d := x.f.decoder(p[6+o+uint64(x.arrOffSize):])
		sb := &superBlock{pageInit: d.take(int(initSize)), dblks: make([]uint64, info.ndblks)}
		for j := range sb.dblks {
			sb.dblks[j] = d.addr()
		}
		return sb, int64(size), d.err
	})
}

// dblkPrefix is the size of a data block's header and checksum: where
// its first page starts.
func (x *extensibleArray) dblkPrefix() uint64 {
	return 6 + uint64(x.f.offSize) + uint64(x.arrOffSize) + 4
}

func (x *extensibleArray) fromDataBlock(addr, n, elem uint64) ([]byte, error) {
	if addr == undefined {
		return nil, nil
	}
	block, err := cached(x.f, addr, "extensible array data block", func() ([]byte, int64, error) {
		p, err := x.readBlock(addr, x.dblkPrefix()+n*x.esz, "EADB")
		return p, int64(len(p)), err
	})
	if err != nil {
		return nil, err
	}
	at := x.dblkPrefix() - 4 + elem*x.esz
	return block[at : at+x.esz], nil
}

// readBlock reads an extensible array block and checks its signature,
// owner and checksum.
func (x *extensibleArray) readBlock(addr, size uint64, sig string) ([]byte, error) {
	p, err := x.f.readAt(addr, size)
	if err != nil {
		return nil, fmt.Errorf("extensible array block %s: %w", sig, err)
	}
	d := x.f.decoder(p)
	d.signature(sig)
	d.skip(2)
	if owner := d.addr(); owner != x.hdr && d.err == nil {
		d.err = fmt.Errorf("belongs to the array at %#x", owner)
	}
	if d.err == nil {
		d.err = verifyChecksum(p, "checksum")
	}
	if d.err != nil {
		return nil, fmt.Errorf("extensible array block at %#x: %w", addr, d.err)
	}
	return p, nil
}
