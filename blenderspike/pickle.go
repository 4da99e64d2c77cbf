package blenderspike

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"unicode/utf8"
)

// The values the pickle machine builds. Python None is nil, bool is bool,
// int is int64, float is float64 and str is string; the rest are these.
type (
	// pyList is a Python list; it is shared by pointer, as in Python.
	// shared says a memo slot that is read back holds it.
	pyList struct {
		items  []any
		shared bool
	}
	// pyDict is a Python dict in insertion order; shared as for pyList.
	pyDict struct {
		keys, vals []any
		shared     bool
	}
	// pyTuple is a Python tuple.
	pyTuple []any
	// pyBytes is a bytes or bytearray value; it points into the file's
	// buffer rather than copying it.
	pyBytes []byte
)

// Pickle opcodes this reader understands: what pickle protocols 2 to 5
// write for lists, dicts, tuples, numbers, strings, bytes and numpy arrays.
// Every other opcode (persistent ids, object construction, out-of-band
// buffers, protocol 0/1 text forms) is refused.
const (
	opMark            = '('
	opPop             = '0'
	opPopMark         = '1'
	opStop            = '.'
	opBinInt          = 'J'
	opBinInt1         = 'K'
	opBinInt2         = 'M'
	opNone            = 'N'
	opBinUnicode      = 'X'
	opAppend          = 'a'
	opBuild           = 'b'
	opGlobal          = 'c'
	opEmptyDict       = '}'
	opAppends         = 'e'
	opBinGet          = 'h'
	opLongBinGet      = 'j'
	opEmptyList       = ']'
	opBinPut          = 'q'
	opLongBinPut      = 'r'
	opSetItem         = 's'
	opTuple           = 't'
	opEmptyTuple      = ')'
	opSetItems        = 'u'
	opBinFloat        = 'G'
	opReduce          = 'R'
	opBinBytes        = 'B'
	opShortBinBytes   = 'C'
	opProto           = 0x80
	opTuple1          = 0x85
	opTuple2          = 0x86
	opTuple3          = 0x87
	opNewTrue         = 0x88
	opNewFalse        = 0x89
	opLong1           = 0x8a
	opShortBinUnicode = 0x8c
	opBinUnicode8     = 0x8d
	opBinBytes8       = 0x8e
	opStackGlobal     = 0x93
	opMemoize         = 0x94
	opFrame           = 0x95
	opByteArray8      = 0x96
)

var opNames = map[byte]string{
	opMark: "MARK", opPop: "POP", opPopMark: "POP_MARK", opStop: "STOP", opBinInt: "BININT", opBinInt1: "BININT1",
	opBinInt2: "BININT2", opNone: "NONE", opBinUnicode: "BINUNICODE",
	opAppend: "APPEND", opBuild: "BUILD", opGlobal: "GLOBAL",
	opEmptyDict: "EMPTY_DICT", opAppends: "APPENDS", opBinGet: "BINGET",
	opLongBinGet: "LONG_BINGET", opEmptyList: "EMPTY_LIST", opBinPut: "BINPUT",
	opLongBinPut: "LONG_BINPUT", opSetItem: "SETITEM", opTuple: "TUPLE",
	opEmptyTuple: "EMPTY_TUPLE", opSetItems: "SETITEMS", opBinFloat: "BINFLOAT",
	opReduce: "REDUCE", opBinBytes: "BINBYTES", opShortBinBytes: "SHORT_BINBYTES",
	opProto: "PROTO", opTuple1: "TUPLE1", opTuple2: "TUPLE2", opTuple3: "TUPLE3",
	opNewTrue: "NEWTRUE", opNewFalse: "NEWFALSE", opLong1: "LONG1",
	opShortBinUnicode: "SHORT_BINUNICODE", opBinUnicode8: "BINUNICODE8",
	opBinBytes8: "BINBYTES8", opStackGlobal: "STACK_GLOBAL", opMemoize: "MEMOIZE",
	opFrame: "FRAME", opByteArray8: "BYTEARRAY8",
}

// opName names opcode op for error messages.
func opName(op byte) string {
	if n, ok := opNames[op]; ok {
		return n
	}
	return fmt.Sprintf("opcode 0x%02x", op)
}

// checkHeader refuses data that does not start like a protocol 2–5 pickle.
func checkHeader(data []byte) error {
	if len(data) == 0 {
		return fmt.Errorf("empty file")
	}
	if len(data) < 2 || data[0] != opProto {
		return fmt.Errorf("not a pickle of protocol 2 or newer (no PROTO header; first byte 0x%02x)", data[0])
	}
	if p := data[1]; p < 2 || p > 5 {
		return fmt.Errorf("unsupported pickle protocol %d (want 2 to 5)", p)
	}
	return nil
}

// cursor reads opcode arguments from a pickle held in memory; every read
// checks the length it is asked for against the bytes left.
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
	return c.errorf("truncated: needs %d more bytes, file has %d left (unexpected end of data)", need, len(c.data)-c.pos)
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

func (c *cursor) uint(n int) (uint64, error) {
	b, err := c.take(uint64(n))
	if err != nil {
		return 0, err
	}
	switch n {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	default:
		return binary.LittleEndian.Uint64(b), nil
	}
}

// sized reads a length of lenBytes bytes and then that many bytes.
func (c *cursor) sized(lenBytes int) ([]byte, error) {
	n, err := c.uint(lenBytes)
	if err != nil {
		return nil, err
	}
	return c.take(n)
}

// line reads text up to and excluding the next newline (GLOBAL's form).
func (c *cursor) line() (string, error) {
	for i := c.pos; i < len(c.data); i++ {
		if c.data[i] == '\n' {
			s := string(c.data[c.pos:i])
			c.pos = i + 1
			return s, nil
		}
	}
	return "", c.errorf("truncated: unterminated name (unexpected end of data)")
}

// text reads a length-prefixed UTF-8 string.
func (c *cursor) text(lenBytes int) (string, error) {
	b, err := c.sized(lenBytes)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", c.errorf("string is not valid UTF-8")
	}
	return string(b), nil
}

// long1 decodes LONG1's little-endian two's-complement integer; Python
// integers wider than 64 bits are refused.
func (c *cursor) long1() (int64, error) {
	b, err := c.sized(1)
	if err != nil {
		return 0, err
	}
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

// machine runs a pickle's opcodes and builds the values they describe.
// Nothing is ever imported or called: the few globals a recording needs
// map to the numpy reconstructors in numpy.go, all others are refused.
type machine struct {
	cursor
	stack []any
	marks []int // stack heights at each open MARK
	memo  memo
	// kept holds the memo slots that are read back later, numbered densely
	// by rank; the pre-scan marks them in memo.read, and values in other
	// slots are not kept, so that finished objects can be freed as soon
	// as they are consumed.
	kept []any
	rank []uint32
	// budget is how many more voltages settle may decode: every value
	// takes at least one byte of a legitimate file.
	budget int64
}

// decodePickle runs the pickle in data, which prescan has accepted with
// plan pl, and returns the value it holds.
func decodePickle(data []byte, pl *plan) (any, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	m := &machine{
		cursor: cursor{data: data, pos: 2},
		stack:  make([]any, 0, pl.stackSize),
		marks:  make([]int, 0, pl.markSize),
		memo:   memo{read: pl.read},
		budget: int64(len(data)),
	}
	m.rank, m.kept = pl.read.ranks()
	for m.pos < len(m.data) {
		m.at = m.pos
		m.op = m.data[m.pos]
		m.pos++
		if m.op == opStop {
			return m.stop()
		}
		if err := m.step(); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("pickle byte %d: truncated: no STOP opcode (unexpected end of data)", len(m.data))
}

// stop ends the pickle: exactly one value must be left, and nothing after.
func (m *machine) stop() (any, error) {
	if len(m.marks) > 0 || len(m.stack) != 1 {
		return nil, m.errorf("malformed pickle: %d values and %d open marks left at STOP", len(m.stack), len(m.marks))
	}
	if rest := len(m.data) - m.pos; rest > 0 {
		return nil, m.errorf("%d bytes of trailing data after STOP", rest)
	}
	return m.stack[0], nil
}

// push puts v on the stack; the pre-scan has bounded the stack's height.
func (m *machine) push(v any) { m.stack = append(m.stack, v) }

// floor is the lowest stack index the current opcode may touch: values
// below the innermost MARK belong to an enclosing container.
func (m *machine) floor() int {
	if len(m.marks) == 0 {
		return 0
	}
	return m.marks[len(m.marks)-1]
}

// pop removes the top value.
func (m *machine) pop() (any, error) {
	if len(m.stack) <= m.floor() {
		return nil, m.errorf("malformed pickle: stack underflow")
	}
	v := m.stack[len(m.stack)-1]
	m.stack[len(m.stack)-1] = nil
	m.stack = m.stack[:len(m.stack)-1]
	return v, nil
}

// top returns the top value, leaving it on the stack.
func (m *machine) top() (any, error) {
	if len(m.stack) <= m.floor() {
		return nil, m.errorf("malformed pickle: stack underflow")
	}
	return m.stack[len(m.stack)-1], nil
}

// popMark removes and returns the values pushed since the innermost MARK.
// The returned slice is only valid until the next push.
func (m *machine) popMark() ([]any, error) {
	if len(m.marks) == 0 {
		return nil, m.errorf("malformed pickle: no MARK")
	}
	k := m.marks[len(m.marks)-1]
	m.marks = m.marks[:len(m.marks)-1]
	items := m.stack[k:]
	m.stack = m.stack[:k]
	return items, nil
}

// pop2 removes the top two values; b was on top.
func (m *machine) pop2() (a, b any, err error) {
	if len(m.stack)-m.floor() < 2 {
		return nil, nil, m.errorf("malformed pickle: stack underflow")
	}
	k := len(m.stack) - 2
	a, b = m.stack[k], m.stack[k+1]
	m.stack[k], m.stack[k+1] = nil, nil
	m.stack = m.stack[:k]
	return a, b, nil
}

// popN removes the top n values and returns them as a new tuple.
func (m *machine) popN(n int) (pyTuple, error) {
	if len(m.stack)-m.floor() < n {
		return nil, m.errorf("malformed pickle: stack underflow")
	}
	k := len(m.stack) - n
	t := make(pyTuple, n)
	copy(t, m.stack[k:])
	clear(m.stack[k:])
	m.stack = m.stack[:k]
	return t, nil
}

// step runs opcode m.op, whose arguments start at m.pos.
func (m *machine) step() error {
	switch m.op {
	case opFrame:
		n, err := m.uint(8)
		if err != nil {
			return err
		}
		if n > uint64(len(m.data)-m.pos) {
			return m.truncated(n)
		}
	case opMark:
		m.marks = append(m.marks, len(m.stack))
	case opPop:
		_, err := m.pop()
		return err
	case opPopMark:
		items, err := m.popMark()
		clear(items)
		return err
	case opEmptyList:
		m.push(&pyList{})
	case opEmptyDict:
		m.push(&pyDict{})
	case opEmptyTuple:
		m.push(pyTuple{})
	case opNone:
		m.push(nil)
	case opNewTrue:
		m.push(true)
	case opNewFalse:
		m.push(false)
	case opBinInt:
		u, err := m.uint(4)
		if err != nil {
			return err
		}
		m.push(int64(int32(uint32(u))))
	case opBinInt1:
		u, err := m.uint(1)
		if err != nil {
			return err
		}
		m.push(int64(u))
	case opBinInt2:
		u, err := m.uint(2)
		if err != nil {
			return err
		}
		m.push(int64(u))
	case opLong1:
		v, err := m.long1()
		if err != nil {
			return err
		}
		m.push(v)
	case opBinFloat:
		b, err := m.take(8)
		if err != nil {
			return err
		}
		m.push(math.Float64frombits(binary.BigEndian.Uint64(b)))
	case opShortBinUnicode, opBinUnicode, opBinUnicode8:
		s, err := m.text(lengthBytes(m.op))
		if err != nil {
			return err
		}
		m.push(s)
	case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
		b, err := m.sized(lengthBytes(m.op))
		if err != nil {
			return err
		}
		m.push(pyBytes(b))
	case opTuple:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		t := make(pyTuple, len(items))
		copy(t, items)
		clear(items)
		m.push(t)
	case opTuple1, opTuple2, opTuple3:
		t, err := m.popN(int(m.op-opTuple1) + 1)
		if err != nil {
			return err
		}
		m.push(t)
	case opAppend:
		v, err := m.pop()
		if err != nil {
			return err
		}
		l, err := m.list()
		if err != nil {
			return err
		}
		l.items = append(l.items, v)
	case opAppends:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		l, err := m.list()
		if err != nil {
			return err
		}
		l.items = append(l.items, items...)
		clear(items)
	case opSetItem:
		k, v, err := m.pop2()
		if err != nil {
			return err
		}
		d, err := m.dict()
		if err != nil {
			return err
		}
		d.keys = append(d.keys, k)
		d.vals = append(d.vals, m.settle(k, v))
	case opSetItems:
		items, err := m.popMark()
		if err != nil {
			return err
		}
		if len(items)%2 != 0 {
			return m.errorf("malformed pickle: odd number of values (%d)", len(items))
		}
		d, err := m.dict()
		if err != nil {
			return err
		}
		// Python writes a dict in batches of up to 1000 items: room for the
		// batch at once, so that a dict of one batch is allocated once.
		d.keys = slices.Grow(d.keys, len(items)/2)
		d.vals = slices.Grow(d.vals, len(items)/2)
		for i := 0; i < len(items); i += 2 {
			d.keys = append(d.keys, items[i])
			d.vals = append(d.vals, m.settle(items[i], items[i+1]))
		}
		clear(items)
	case opGlobal:
		module, err := m.line()
		if err != nil {
			return err
		}
		name, err := m.line()
		if err != nil {
			return err
		}
		g, err := lookupGlobal(module, name)
		if err != nil {
			return m.errorf("%v", err)
		}
		m.push(g)
	case opStackGlobal:
		mv, nv, err := m.pop2()
		if err != nil {
			return err
		}
		module, ok1 := mv.(string)
		name, ok2 := nv.(string)
		if !ok1 || !ok2 {
			return m.errorf("module and name are not strings")
		}
		g, err := lookupGlobal(module, name)
		if err != nil {
			return m.errorf("%v", err)
		}
		m.push(g)
	case opReduce:
		f, args, err := m.pop2()
		if err != nil {
			return err
		}
		v, err := call(f, args)
		if err != nil {
			return m.errorf("%v", err)
		}
		m.push(v)
	case opBuild:
		state, err := m.pop()
		if err != nil {
			return err
		}
		obj, err := m.top()
		if err != nil {
			return err
		}
		if err := build(obj, state); err != nil {
			return m.errorf("%v", err)
		}
	case opMemoize, opBinPut, opLongBinPut:
		i, _, err := m.putIndex(&m.memo)
		if err != nil {
			return err
		}
		v, err := m.top()
		if err != nil {
			return err
		}
		if m.memo.read.has(i) {
			m.kept[m.dense(i)] = v
			switch v := v.(type) {
			case *pyList:
				v.shared = true
			case *pyDict:
				v.shared = true
			}
		}
	case opBinGet, opLongBinGet:
		i, err := m.getIndex(&m.memo)
		if err != nil {
			return err
		}
		if !m.memo.read.has(i) {
			return m.errorf("memo slot %d is read but was not kept", i)
		}
		m.push(m.kept[m.dense(i)])
	default:
		return m.errorf("unsupported opcode")
	}
	return nil
}

// settle returns what a dict stores as the value v of key k. A dict
// stored under "Voltage" is decoded there and then into a voltageTable if
// it can no longer change: no memo slot that is read back holds it or any
// list among its frames (a pickle has no opcode that reaches into a dict
// or list other than through the stack or the memo, and a built numpy
// array never changes). The dict and its per-frame arrays can then be
// freed long before the file ends. A dict that cannot be decoded yet, or
// whose values would exceed the budget, is kept as it is; convert decodes
// it later and reports what is wrong with it, in the same words.
func (m *machine) settle(k, v any) any {
	d, ok := v.(*pyDict)
	if !ok || d.shared || k != "Voltage" {
		return v
	}
	for _, f := range d.vals {
		if l, ok := f.(*pyList); ok && l.shared {
			return v
		}
	}
	frames, nseg, err := voltageShape(0, d)
	if err != nil || int64(nseg) > m.budget || int64(frames) > m.budget/int64(nseg) {
		return v
	}
	t, err := decodeVoltage(0, d)
	if err != nil {
		return v
	}
	m.budget -= int64(len(t.values))
	return t
}

// lengthBytes is the width of the length or index argument of op.
func lengthBytes(op byte) int {
	switch op {
	case opShortBinUnicode, opShortBinBytes, opBinPut, opBinGet:
		return 1
	case opBinUnicode, opBinBytes, opLongBinPut, opLongBinGet:
		return 4
	default: // BINUNICODE8, BINBYTES8, BYTEARRAY8
		return 8
	}
}

// memo tracks the numbering of the pickle memo's slots. Every Python
// pickler numbers slots 0, 1, 2 … in order of first use; a slot number
// beyond the next one is refused, so the memo never needs more room than
// the file has opcodes.
type memo struct {
	slots uint64 // slots defined so far
	read  bitset // slots that some BINGET reads
}

// putIndex reads the slot a MEMOIZE, BINPUT or LONG_BINPUT stores into;
// fresh says the slot is a new one rather than one being overwritten.
func (c *cursor) putIndex(mm *memo) (i uint64, fresh bool, err error) {
	i = mm.slots
	if c.op != opMemoize {
		if i, err = c.uint(lengthBytes(c.op)); err != nil {
			return 0, false, err
		}
	}
	if i > mm.slots {
		return 0, false, c.errorf("memo slot %d out of order (next free slot is %d)", i, mm.slots)
	}
	if i == mm.slots {
		mm.slots++
		return i, true, nil
	}
	return i, false, nil
}

// getIndex reads the slot a BINGET or LONG_BINGET reads.
func (c *cursor) getIndex(mm *memo) (uint64, error) {
	i, err := c.uint(lengthBytes(c.op))
	if err != nil {
		return 0, err
	}
	if i >= mm.slots {
		return 0, c.errorf("memo slot %d was never stored", i)
	}
	return i, nil
}

// bitset is a growable set of small non-negative integers.
type bitset []uint64

func (b *bitset) set(i uint64) {
	w := i / 64
	for uint64(len(*b)) <= w {
		*b = append(*b, 0)
	}
	(*b)[w] |= 1 << (i % 64)
}

func (b bitset) has(i uint64) bool {
	w := i / 64
	return w < uint64(len(b)) && b[w]&(1<<(i%64)) != 0
}

// ranks returns, for each word of b, how many members the words before it
// hold, and a slice with room for every member.
func (b bitset) ranks() ([]uint32, []any) {
	rank := make([]uint32, len(b))
	n := 0
	for w, word := range b {
		rank[w] = uint32(n)
		n += bits.OnesCount64(word)
	}
	return rank, make([]any, n)
}

// dense is the rank of kept memo slot i among all kept slots.
func (m *machine) dense(i uint64) int {
	w := i / 64
	below := m.memo.read[w] & (1<<(i%64) - 1)
	return int(m.rank[w]) + bits.OnesCount64(below)
}

// list returns the list on top of the stack (the target of APPEND[S]).
func (m *machine) list() (*pyList, error) {
	v, err := m.top()
	if err != nil {
		return nil, err
	}
	l, ok := v.(*pyList)
	if !ok {
		return nil, m.errorf("cannot append to %s", aType(v))
	}
	return l, nil
}

// dict returns the dict on top of the stack (the target of SETITEM[S]).
func (m *machine) dict() (*pyDict, error) {
	v, err := m.top()
	if err != nil {
		return nil, err
	}
	d, ok := v.(*pyDict)
	if !ok {
		return nil, m.errorf("cannot set items of %s", aType(v))
	}
	return d, nil
}
