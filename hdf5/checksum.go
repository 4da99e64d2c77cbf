package hdf5

import (
	"fmt"
	"math/bits"
)

// lookup3 is Bob Jenkins' lookup3 hash ("hashlittle") with an initial
// value of 0: the checksum of every metadata block in format version 2
// and later.
func lookup3(k []byte) uint32 {
	a := 0xdeadbeef + uint32(len(k))
	b, c := a, a
	for len(k) > 12 {
		a += le.Uint32(k[0:])
		b += le.Uint32(k[4:])
		c += le.Uint32(k[8:])
		a -= c
		a ^= bits.RotateLeft32(c, 4)
		c += b
		b -= a
		b ^= bits.RotateLeft32(a, 6)
		a += c
		c -= b
		c ^= bits.RotateLeft32(b, 8)
		b += a
		a -= c
		a ^= bits.RotateLeft32(c, 16)
		c += b
		b -= a
		b ^= bits.RotateLeft32(a, 19)
		a += c
		c -= b
		c ^= bits.RotateLeft32(b, 4)
		b += a
		k = k[12:]
	}
	if len(k) == 0 {
		return c
	}
	var tail [12]byte
	copy(tail[:], k)
	a += le.Uint32(tail[0:])
	b += le.Uint32(tail[4:])
	c += le.Uint32(tail[8:])
	c ^= b
	c -= bits.RotateLeft32(b, 14)
	a ^= c
	a -= bits.RotateLeft32(c, 11)
	b ^= a
	b -= bits.RotateLeft32(a, 25)
	c ^= b
	c -= bits.RotateLeft32(b, 16)
	a ^= c
	a -= bits.RotateLeft32(c, 4)
	b ^= a
	b -= bits.RotateLeft32(a, 14)
	c ^= b
	c -= bits.RotateLeft32(b, 24)
	return c
}

// ignoreChecksums makes verifyChecksum accept any checksum: the fuzz
// tests set it to reach the structures that checksums guard.
var ignoreChecksums = false

// verifyChecksum checks a block whose last four bytes are the lookup3
// checksum of everything before them.
func verifyChecksum(block []byte, what string) error {
	if len(block) < 4 {
		return fmt.Errorf("%s: %w", what, errShort)
	}
	n := len(block) - 4
	if got, want := lookup3(block[:n]), le.Uint32(block[n:]); got != want && !ignoreChecksums {
		return fmt.Errorf("%s: checksum %#08x, computed %#08x", what, want, got)
	}
	return nil
}

// fletcher32 is the checksum of HDF5's Fletcher32 filter: Fletcher's
// algorithm over big-endian 16-bit words, an odd last byte taken as the
// high half of a word.
func fletcher32(p []byte) uint32 {
	var sum1, sum2 uint32
	for len(p) >= 2 {
		n := min(len(p)/2, 360)
		for i := 0; i < n; i++ {
			sum1 += uint32(p[0])<<8 | uint32(p[1])
			sum2 += sum1
			p = p[2:]
		}
		sum1 = sum1&0xffff + sum1>>16
		sum2 = sum2&0xffff + sum2>>16
	}
	if len(p) == 1 {
		sum1 += uint32(p[0]) << 8
		sum2 += sum1
		sum1 = sum1&0xffff + sum1>>16
		sum2 = sum2&0xffff + sum2>>16
	}
	sum1 = sum1&0xffff + sum1>>16
	sum2 = sum2&0xffff + sum2>>16
	return sum2<<16 | sum1
}
