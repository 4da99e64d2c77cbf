package blenderspike

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// errTruncated marks the errors that more data could cure: a pickle that
// ends inside an opcode or before its STOP.
var errTruncated = errors.New("unexpected end of data")

// checkHeader refuses data that does not start like a protocol 2–5 pickle.
func checkHeader(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("empty file")
	}
	if data[0] != opProto {
		return fmt.Errorf("not a pickle of protocol 2 or newer (no PROTO header; first byte 0x%02x)", data[0])
	}
	if len(data) < 2 {
		return fmt.Errorf("pickle byte 1: truncated: no protocol number (%w)", errTruncated)
	}
	if p := data[1]; p < 2 || p > 5 {
		return fmt.Errorf("unsupported pickle protocol %d (want 2 to 5)", p)
	}
	return nil
}

// cursor reads opcodes and their arguments from a pickle held in memory;
// every read checks the length it is asked for against the bytes left.
type cursor struct {
	data []byte
	pos  int
	op   byte // the opcode being decoded, for error messages
	at   int  // its offset
}

func (c *cursor) errorf(format string, a ...any) error {
	return fmt.Errorf("pickle byte %d (%s): %s", c.at, opName(c.op), fmt.Sprintf(format, a...))
}

func (c *cursor) truncated(need uint64) error {
	return fmt.Errorf("pickle byte %d (%s): truncated: needs %d more bytes, file has %d left (%w)",
		c.at, opName(c.op), need, len(c.data)-c.pos, errTruncated)
}

// next starts the next opcode and returns its description, refusing an
// opcode the reader does not support.
func (c *cursor) next() (*opSpec, error) {
	c.at = c.pos
	c.op = c.data[c.pos]
	c.pos++
	if !supported(c.op) {
		return nil, c.errorf("unsupported opcode")
	}
	return &ops[c.op], nil
}

// take returns the next n bytes, refusing n beyond the end of the data.
func (c *cursor) take(n uint64) ([]byte, error) {
	if n > uint64(len(c.data)-c.pos) {
		return nil, c.truncated(n)
	}
	b := c.data[c.pos : c.pos+int(n)]
	c.pos += int(n)
	return b, nil
}

// arg reads the argument of an opcode described by s. For argFixed, n is
// its value read as a little-endian unsigned number and b its bytes; for
// argCounted, b is the counted bytes and n their length; for argLines, b
// is both lines without the final newline and n the offset in b of the
// newline between them.
func (c *cursor) arg(s *opSpec) (n uint64, b []byte, err error) {
	switch s.arg {
	case argFixed:
		if b, err = c.take(uint64(s.width)); err != nil {
			return 0, nil, err
		}
		return littleEndian(b), b, nil
	case argCounted:
		lb, err := c.take(uint64(s.width))
		if err != nil {
			return 0, nil, err
		}
		n = littleEndian(lb)
		if b, err = c.take(n); err != nil {
			return 0, nil, err
		}
		return n, b, nil
	case argLines:
		start, first := c.pos, -1
		for i := c.pos; i < len(c.data); i++ {
			if c.data[i] != '\n' {
				continue
			}
			if first >= 0 {
				c.pos = i + 1
				return uint64(first - start), c.data[start:i], nil
			}
			first = i
		}
		return 0, nil, fmt.Errorf("pickle byte %d (%s): truncated: unterminated name (%w)", c.at, opName(c.op), errTruncated)
	}
	return 0, nil, nil
}

// littleEndian reads b, of 1, 2, 4 or 8 bytes, as an unsigned number.
func littleEndian(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.LittleEndian.Uint16(b))
	case 4:
		return uint64(binary.LittleEndian.Uint32(b))
	}
	return binary.LittleEndian.Uint64(b)
}

// long1 decodes LONG1's little-endian two's-complement integer b; Python
// integers wider than 64 bits are refused.
func (c *cursor) long1(b []byte) (int64, error) {
	if len(b) > 8 {
		return 0, c.errorf("integer of %d bytes is too large", len(b))
	}
	var u uint64
	for i := len(b) - 1; i >= 0; i-- {
		u = u<<8 | uint64(b[i])
	}
	if n := len(b); n > 0 && n < 8 && b[n-1]&0x80 != 0 {
		u |= math.MaxUint64 << (8 * n) // sign-extend
	}
	return int64(u), nil
}

// frame checks a FRAME's length n against the bytes left.
func (c *cursor) frame(n uint64) error {
	if n > uint64(len(c.data)-c.pos) {
		return c.truncated(n)
	}
	return nil
}

// memo tracks the numbering of the pickle memo's slots. Every Python
// pickler numbers slots 0, 1, 2 … in the order it stores them and never
// stores a slot twice; any other numbering is refused, so the memo never
// needs more room than the file has opcodes.
type memo struct {
	slots uint64 // slots defined so far
	read  bitset // slots that some BINGET reads
}

// putIndex returns the slot a MEMOIZE, BINPUT or LONG_BINPUT whose
// argument is n stores into: the next one.
func (c *cursor) putIndex(mm *memo, n uint64) (uint64, error) {
	i := n
	if c.op == opMemoize {
		i = mm.slots
	}
	switch {
	case i < mm.slots:
		return 0, c.errorf("memo slot %d stored twice", i)
	case i > mm.slots:
		return 0, c.errorf("memo slot %d out of order (next free slot is %d)", i, mm.slots)
	}
	mm.slots++
	return i, nil
}

// getIndex checks the slot n that a BINGET or LONG_BINGET reads.
func (c *cursor) getIndex(mm *memo, n uint64) (uint64, error) {
	if n >= mm.slots {
		return 0, c.errorf("memo slot %d was never stored", n)
	}
	return n, nil
}
