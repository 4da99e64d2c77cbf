package hdf5

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/bits"
)

// undefined is the address HDF5 writes for "nowhere" (all bits set),
// whatever the size of addresses in the file.
const undefined = ^uint64(0)

// errShort is returned when a structure ends before its fields do.
var errShort = errors.New("truncated structure")

// decoder reads little-endian fields from a byte slice. Reading past the
// end sets err and returns zeros, so a parser can read a whole structure
// and check err once.
type decoder struct {
	b       []byte
	off     int
	err     error
	offSize int // bytes in an address
	lenSize int // bytes in a length
}

func (f *File) decoder(b []byte) *decoder {
	return &decoder{b: b, offSize: f.offSize, lenSize: f.lenSize}
}

func (d *decoder) take(n int) []byte {
	if d.err != nil {
		return nil
	}
	if n < 0 || n > len(d.b)-d.off {
		d.err = errShort
		return nil
	}
	p := d.b[d.off : d.off+n]
	d.off += n
	return p
}

func (d *decoder) skip(n int) { d.take(n) }

func (d *decoder) left() int { return len(d.b) - d.off }

func (d *decoder) u8() uint8 {
	p := d.take(1)
	if p == nil {
		return 0
	}
	return p[0]
}

func (d *decoder) u16() uint16 { return uint16(d.uint(2)) }

func (d *decoder) u32() uint32 { return uint32(d.uint(4)) }

func (d *decoder) u64() uint64 { return d.uint(8) }

// uint reads an unsigned little-endian integer of n bytes (1 to 8).
func (d *decoder) uint(n int) uint64 {
	if n < 1 || n > 8 {
		if d.err == nil {
			d.err = fmt.Errorf("integer field of %d bytes", n)
		}
		return 0
	}
	p := d.take(n)
	if p == nil {
		return 0
	}
	return leUint(p)
}

// addr reads a file address; an all-ones address becomes undefined.
func (d *decoder) addr() uint64 {
	v := d.uint(d.offSize)
	if v == allOnes(d.offSize) {
		return undefined
	}
	return v
}

// length reads a length field.
func (d *decoder) length() uint64 { return d.uint(d.lenSize) }

// signature checks that the next four bytes are sig.
func (d *decoder) signature(sig string) {
	p := d.take(4)
	if d.err == nil && string(p) != sig {
		d.err = fmt.Errorf("signature %q, expected %q", p, sig)
	}
}

// allOnes is the largest value n bytes hold.
func allOnes(n int) uint64 { return uint64(1)<<(8*uint(n)) - 1 }

// leUint decodes up to 8 little-endian bytes.
func leUint(p []byte) uint64 {
	var v uint64
	for i := len(p) - 1; i >= 0; i-- {
		v = v<<8 | uint64(p[i])
	}
	return v
}

// bytesFor is how many bytes hold values up to n: the width libhdf5 gives
// variable-size counters in B-trees and heap identifiers.
func bytesFor(n uint64) int {
	return (bits.Len64(n)-1)/8 + 1
}

// log2 is the base-2 logarithm of a power of two.
func log2(n uint64) int { return bits.Len64(n) - 1 }

func isPow2(n uint64) bool { return n != 0 && n&(n-1) == 0 }

// mulOK multiplies, reporting whether the product fits in 63 bits.
func mulOK(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0 && lo < 1<<63
}

// addOK adds, reporting whether the sum fits in 63 bits.
func addOK(a, b uint64) (uint64, bool) {
	s := a + b
	return s, s >= a && s < 1<<63
}

var le = binary.LittleEndian
