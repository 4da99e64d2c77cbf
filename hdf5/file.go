package hdf5

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync/atomic"
)

// ErrNotFound is returned (wrapped) for a member or attribute that does
// not exist, or a soft link that points nowhere.
var ErrNotFound = errors.New("not found")

// ErrUnsupported is returned (wrapped) for a valid HDF5 feature this
// package does not read, such as external links or the szip filter.
var ErrUnsupported = errors.New("not supported")

const (
	defaultReadLimit  = 1 << 30
	defaultChunkCache = 64 << 20
	defaultMetaCache  = 16 << 20
	// The superblock is at 0, 512, 1024, 2048, ...: after a user block.
	firstSuperblockPos = 512
)

// File is an open HDF5 file.
type File struct {
	r      io.ReaderAt
	closer io.Closer
	size   uint64 // bytes readable from r
	base   uint64 // where address 0 is, in r

	superblock int // superblock version
	offSize    int // bytes in an address
	lenSize    int // bytes in a length
	rootAddr   uint64

	readLimit atomic.Uint64
	chunks    *chunkCache
	meta      *metaCache // decoded heaps, B-tree nodes and index blocks
	root      *Group
}

// Open opens the HDF5 file at path.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, err
	}
	f, err := NewFile(fh, st.Size())
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	f.closer = fh
	return f, nil
}

// NewFile reads an HDF5 file of size bytes from r. Close does not close r.
func NewFile(r io.ReaderAt, size int64) (*File, error) {
	if size < 0 {
		return nil, fmt.Errorf("hdf5: negative size %d", size)
	}
	f := &File{
		r:      r,
		size:   uint64(size),
		chunks: newChunkCache(defaultChunkCache),
		meta:   newMetaCache(defaultMetaCache),
	}
	f.readLimit.Store(defaultReadLimit)
	if err := f.readSuperblock(); err != nil {
		return nil, fmt.Errorf("hdf5: %w", err)
	}
	root, err := f.openGroup(f.rootAddr, "/")
	if err != nil {
		return nil, fmt.Errorf("hdf5: root group: %w", err)
	}
	f.root = root
	return f, nil
}

// Close closes the file opened by Open.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// Root is the root group, "/".
func (f *File) Root() *Group { return f.root }

// SetReadLimit sets the largest buffer one read may allocate, in bytes:
// the values it returns (or the stored bytes behind them, if larger), or
// one decompressed chunk. Reads that would need more are refused. The
// default is 1 GiB.
func (f *File) SetReadLimit(bytes int64) {
	f.readLimit.Store(uint64(max(bytes, 0)))
}

// SetChunkCache sets how many bytes of decompressed chunks are kept for
// later reads; 0 keeps none. The default is 64 MiB.
func (f *File) SetChunkCache(bytes int64) {
	f.chunks.resize(max(bytes, 0))
}

func (f *File) limit() uint64 { return f.readLimit.Load() }

// checkRange reports whether n bytes at address addr lie inside the file.
func (f *File) checkRange(addr, n uint64) error {
	if addr == undefined {
		return errors.New("undefined address")
	}
	end, ok := addOK(addr, n)
	if !ok || end > f.size-f.base {
		return fmt.Errorf("%d bytes at %#x: past the end of the file (%d bytes)", n, addr, f.size-f.base)
	}
	return nil
}

// readAt reads n bytes at address addr, checked against the file's size
// before anything is allocated.
func (f *File) readAt(addr, n uint64) ([]byte, error) {
	if err := f.checkRange(addr, n); err != nil {
		return nil, err
	}
	p := make([]byte, n)
	return p, f.readInto(p, addr)
}

// readInto fills p from address addr.
func (f *File) readInto(p []byte, addr uint64) error {
	if err := f.checkRange(addr, uint64(len(p))); err != nil {
		return err
	}
	if n, err := f.r.ReadAt(p, int64(f.base+addr)); n < len(p) {
		return fmt.Errorf("reading %d bytes at %#x: %w", len(p), addr, err)
	}
	return nil
}

// readUpTo reads at most n bytes at addr, fewer if the file ends first:
// for structures whose size is known only once their start is decoded.
func (f *File) readUpTo(addr, n uint64) ([]byte, error) {
	if addr == undefined || addr >= f.size-f.base {
		return nil, fmt.Errorf("address %#x: past the end of the file (%d bytes)", addr, f.size-f.base)
	}
	return f.readAt(addr, min(n, f.size-f.base-addr))
}

var signature = []byte("\x89HDF\r\n\x1a\n")

// readSuperblock finds the superblock (at 0, 512, 1024, 2048, ...) and
// decodes it.
func (f *File) readSuperblock() error {
	var sig [8]byte
	pos := uint64(0)
	for {
		if pos+8 > f.size {
			return errors.New("not an HDF5 file (no superblock signature)")
		}
		if _, err := f.r.ReadAt(sig[:], int64(pos)); err != nil && err != io.EOF {
			return err
		}
		if string(sig[:]) == string(signature) {
			break
		}
		if pos == 0 {
			pos = firstSuperblockPos
		} else {
			pos *= 2
		}
	}
	head := make([]byte, min(f.size-pos, 256))
	if _, err := f.r.ReadAt(head, int64(pos)); err != nil && err != io.EOF {
		return err
	}
	if len(head) < 11 {
		return fmt.Errorf("superblock at %d: %w", pos, errShort)
	}
	f.superblock = int(head[8])
	// Addresses count from the superblock. Like libhdf5, this ignores the
	// base address the superblock claims: the two differ only when bytes
	// were prepended to the file.
	f.base = pos
	var err error
	switch f.superblock {
	case 0, 1:
		err = f.superblockV0(head, pos)
	case 2, 3:
		err = f.superblockV2(head, pos)
	default:
		err = fmt.Errorf("superblock version %d: %w", f.superblock, ErrUnsupported)
	}
	if err != nil {
		return fmt.Errorf("superblock at %d: %w", pos, err)
	}
	return nil
}

func (f *File) setSizes(offSize, lenSize int) error {
	for _, s := range [2]int{offSize, lenSize} {
		if s != 2 && s != 4 && s != 8 {
			return fmt.Errorf("addresses of %d bytes and lengths of %d: %w", offSize, lenSize, ErrUnsupported)
		}
	}
	f.offSize, f.lenSize = offSize, lenSize
	return nil
}

func (f *File) superblockV0(head []byte, pos uint64) error {
	if len(head) < 24 {
		return errShort
	}
	if err := f.setSizes(int(head[13]), int(head[14])); err != nil {
		return err
	}
	d := f.decoder(head[24:])
	if f.superblock == 1 {
		d.skip(4) // indexed storage internal node K, reserved
	}
	d.addr() // base address
	d.addr() // free-space info
	eof := d.addr()
	d.addr() // driver information block
	// The root group's symbol table entry.
	d.length() // link name offset
	f.rootAddr = d.addr()
	if d.err != nil {
		return d.err
	}
	return f.checkEOF(eof)
}

// checkEOF refuses a file shorter than its superblock says (the end of
// file address counts a user block too): a truncated file, refused as
// libhdf5 refuses it.
func (f *File) checkEOF(eof uint64) error {
	if eof != undefined && eof > f.size {
		return fmt.Errorf("truncated file: %d bytes, the superblock says %d", f.size, eof)
	}
	return nil
}

func (f *File) superblockV2(head []byte, pos uint64) error {
	if err := f.setSizes(int(head[9]), int(head[10])); err != nil {
		return err
	}
	d := f.decoder(head)
	d.skip(12)
	d.addr() // base address
	d.addr() // superblock extension
	eof := d.addr()
	f.rootAddr = d.addr()
	d.u32()
	if d.err != nil {
		return d.err
	}
	if err := verifyChecksum(head[:d.off], "superblock"); err != nil {
		return err
	}
	return f.checkEOF(eof)
}
