package blenderspike

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"unicode/utf8"
	"unsafe"
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
	// pyTuple is a Python tuple; shared as for pyList.
	pyTuple struct {
		items  []any
		shared bool
	}
	// pyBytes is a bytes or bytearray value; it points into the file's
	// buffer, or into bytes that latin1Cache converted once, rather than
	// copying them.
	pyBytes []byte
)

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
	// free holds tuples that recycle kept for reuse, by length.
	free [maxRecycled + 1][]*pyTuple
	// b is charged for everything the machine allocates, before it does.
	b  *budget
	lc latin1Cache
}

// decodePickle runs the pickle in data, which prescan has accepted with
// plan pl, and returns the value it holds, charging b for it.
func decodePickle(data []byte, pl *plan, b *budget) (any, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	if err := b.spend(allocCost(costSlot*int64(pl.stackSize)) + allocCost(8*int64(pl.markSize)) +
		allocCost(4*int64(len(pl.read))) + allocCost(costSlot*int64(pl.read.count()))); err != nil {
		return nil, err
	}
	m := &machine{
		cursor: cursor{data: data, pos: 2},
		stack:  make([]any, 0, pl.stackSize),
		marks:  make([]int, 0, pl.markSize),
		memo:   memo{read: pl.read},
		b:      b,
		lc:     latin1Cache{b: b},
	}
	m.rank, m.kept = pl.read.ranks()
	for m.pos < len(m.data) {
		spec, err := m.next()
		if err != nil {
			return nil, err
		}
		if m.op == opStop {
			return m.stop()
		}
		if err := m.step(spec); err != nil {
			return nil, err
		}
	}
	return nil, fmt.Errorf("pickle byte %d: truncated: no STOP opcode (%w)", len(m.data), errTruncated)
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

// step runs the opcode spec describes, whose argument starts at m.pos.
// The stack discipline is the table's, the same the pre-scan checked: the
// MARK group and the popped values go to apply, which returns the value
// to push.
func (m *machine) step(spec *opSpec) error {
	n, arg, err := m.arg(spec)
	if err != nil {
		return err
	}
	var group []any
	switch spec.mark {
	case markPush:
		m.marks = append(m.marks, len(m.stack))
		return nil
	case markPop:
		if len(m.marks) == 0 {
			return m.errorf("malformed pickle: no MARK")
		}
		k := m.marks[len(m.marks)-1]
		m.marks = m.marks[:len(m.marks)-1]
		group = m.stack[k:]
		m.stack = m.stack[:k]
	}
	floor := 0
	if len(m.marks) > 0 {
		floor = m.marks[len(m.marks)-1]
	}
	base := len(m.stack) - int(spec.pops)
	if base < floor {
		return m.errorf("malformed pickle: stack underflow")
	}
	in := m.stack[base:]
	out, err := m.apply(n, arg, group, in)
	clear(group)
	if err != nil {
		return err
	}
	if spec.pushes > 0 && len(in) > 0 {
		in[0] = out // the pushed value takes the first popped one's place
		clear(in[1:])
		m.stack = m.stack[:base+1]
		return nil
	}
	clear(in)
	m.stack = m.stack[:base]
	if spec.pushes > 0 {
		m.stack = append(m.stack, out)
	}
	return nil
}

// apply carries out opcode m.op on its argument (n and arg, as cursor.arg
// reads them), its MARK group and its popped values in, and returns the
// value it pushes, if any.
func (m *machine) apply(n uint64, arg []byte, group, in []any) (any, error) {
	switch m.op {
	case opFrame:
		return nil, m.frame(n)
	case opPop, opPopMark:
		return nil, nil
	case opEmptyList:
		return &pyList{}, m.spend(allocCost(int64(unsafe.Sizeof(pyList{}))))
	case opEmptyDict:
		return &pyDict{}, m.spend(allocCost(int64(unsafe.Sizeof(pyDict{}))))
	case opEmptyTuple:
		return m.newTuple(nil)
	case opNone:
		return nil, nil
	case opNewTrue:
		return true, nil
	case opNewFalse:
		return false, nil
	case opBinInt:
		return m.int(int64(int32(uint32(n))))
	case opBinInt1, opBinInt2:
		return m.int(int64(n))
	case opLong1:
		v, err := m.long1(arg)
		if err != nil {
			return nil, err
		}
		return m.int(v)
	case opBinFloat:
		return math.Float64frombits(binary.BigEndian.Uint64(arg)), m.spend(costBox)
	case opShortBinUnicode, opBinUnicode, opBinUnicode8:
		if !utf8.Valid(arg) {
			return nil, m.errorf("string is not valid UTF-8")
		}
		if err := m.spend(allocCost(int64(len(arg))) + allocCost(int64(unsafe.Sizeof("")))); err != nil {
			return nil, err
		}
		return string(arg), nil
	case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
		return pyBytes(arg), m.spend(allocCost(int64(unsafe.Sizeof(arg))))
	case opTuple:
		return m.newTuple(group)
	case opTuple1, opTuple2, opTuple3:
		return m.newTuple(in)
	case opAppend, opAppends:
		l, ok := in[0].(*pyList)
		if !ok {
			return nil, m.errorf("cannot append to %s", describe(in[0]))
		}
		items := group
		if m.op == opAppend {
			items = in[1:]
		}
		var err error
		if l.items, err = m.room(l.items, len(items)); err != nil {
			return nil, err
		}
		l.items = append(l.items, items...)
		return l, nil
	case opSetItem, opSetItems:
		d, ok := in[0].(*pyDict)
		if !ok {
			return nil, m.errorf("cannot set items of %s", describe(in[0]))
		}
		items := group
		if m.op == opSetItem {
			items = in[1:]
		}
		var err error
		if d.keys, err = m.room(d.keys, len(items)/2); err != nil {
			return nil, err
		}
		if d.vals, err = m.room(d.vals, len(items)/2); err != nil {
			return nil, err
		}
		for i := 0; i+1 < len(items); i += 2 {
			d.keys = append(d.keys, items[i])
			d.vals = append(d.vals, m.settle(items[i], items[i+1]))
		}
		return d, nil
	case opGlobal:
		g, err := lookupGlobal(string(arg[:n]), string(arg[n+1:]))
		if err != nil {
			return nil, m.errorf("%v", err)
		}
		return g, nil
	case opStackGlobal:
		module, ok1 := in[0].(string)
		name, ok2 := in[1].(string)
		if !ok1 || !ok2 {
			return nil, m.errorf("module and name are not strings")
		}
		g, err := lookupGlobal(module, name)
		if err != nil {
			return nil, m.errorf("%v", err)
		}
		return g, nil
	case opReduce:
		// Every reconstructor makes one small object: an array, a dtype,
		// a number, or the header of bytes that lc charges for.
		if err := m.spend(allocCost(int64(unsafe.Sizeof(ndarray{})))); err != nil {
			return nil, err
		}
		v, err := call(in[0], in[1], &m.lc)
		if err != nil {
			return nil, m.errorf("%v", err)
		}
		m.recycle(in[1])
		return v, nil
	case opBuild:
		if err := build(in[0], in[1], &m.lc); err != nil {
			return nil, m.errorf("%v", err)
		}
		m.recycle(in[1])
		return in[0], nil
	case opMemoize, opBinPut, opLongBinPut:
		i, err := m.putIndex(&m.memo, n)
		if err != nil {
			return nil, err
		}
		v := in[0]
		if m.memo.read.has(i) {
			m.kept[m.dense(i)] = v
			switch v := v.(type) {
			case *pyList:
				v.shared = true
			case *pyDict:
				v.shared = true
			case *pyTuple:
				v.shared = true
			}
		}
		return v, nil
	case opBinGet, opLongBinGet:
		i, err := m.getIndex(&m.memo, n)
		if err != nil {
			return nil, err
		}
		if !m.memo.read.has(i) {
			return nil, m.errorf("memo slot %d is read but was not kept", i)
		}
		return m.kept[m.dense(i)], nil
	}
	return nil, m.errorf("unsupported opcode")
}

// maxRecycled is the longest tuple that recycle keeps for reuse: long
// enough for every argument and state tuple of numpy's reconstructors.
const maxRecycled = 8

// int returns v, charging for the eight bytes Go takes to box it in an
// interface value unless it is one of the small ones Go keeps ready.
func (m *machine) int(v int64) (any, error) {
	if v >= 0 && v < 256 {
		return v, nil
	}
	return v, m.spend(costBox)
}

// spend charges n bytes to the budget, naming the opcode if it refuses.
func (m *machine) spend(n int64) error {
	if err := m.b.spend(n); err != nil {
		return m.errorf("%v", err)
	}
	return nil
}

// room makes room for n more items in s, charging for a new array if it
// needs one; the array at least doubles, so that a list built an item at
// a time costs at most four times its items.
func (m *machine) room(s []any, n int) ([]any, error) {
	if cap(s)-len(s) >= n {
		return s, nil
	}
	c := max(len(s)+n, 2*cap(s))
	if err := m.spend(allocCost(costSlot * int64(c))); err != nil {
		return nil, err
	}
	grown := make([]any, len(s), c)
	copy(grown, s)
	return grown, nil
}

// newTuple returns a tuple of a copy of items, reusing a recycled tuple
// of that length if there is one.
func (m *machine) newTuple(items []any) (*pyTuple, error) {
	n := len(items)
	if n <= maxRecycled {
		if free := m.free[n]; len(free) > 0 {
			t := free[len(free)-1]
			m.free[n] = free[:len(free)-1]
			copy(t.items, items)
			return t, nil
		}
	}
	// The tuple, its items, and its place in a free list once recycled.
	if err := m.spend(allocCost(int64(unsafe.Sizeof(pyTuple{}))+2*8) + allocCost(costSlot*int64(n))); err != nil {
		return nil, err
	}
	t := &pyTuple{items: make([]any, n)}
	copy(t.items, items)
	return t, nil
}

// recycle keeps the arguments tuple of a REDUCE or the state tuple of a
// BUILD, and the tuples directly inside it, for newTuple to reuse: a
// numpy array's reconstruction makes five of them. Only tuples that no
// memo slot holds are recycled: nothing else can refer to them once the
// call has consumed them, and no reconstructor keeps its arguments.
func (m *machine) recycle(v any) {
	t, ok := v.(*pyTuple)
	if !ok || t.shared || len(t.items) > maxRecycled {
		return
	}
	for i, item := range t.items {
		if u, ok := item.(*pyTuple); ok && !u.shared && len(u.items) <= maxRecycled {
			clear(u.items)
			m.free[len(u.items)] = append(m.free[len(u.items)], u)
		}
		t.items[i] = nil
	}
	m.free[len(t.items)] = append(m.free[len(t.items)], t)
}

// settle returns what a dict stores as the value v of key k. A dict
// stored under "Voltage" is decoded there and then into a voltageTable if
// it can no longer change: no memo slot that is read back holds it or any
// list among its frames (a pickle has no opcode that reaches into a dict
// or list other than through the stack or the memo, and a built numpy
// array never changes). The dict and its per-frame arrays can then be
// freed long before the file ends. A dict that cannot be decoded yet, or
// whose values would exceed the budget, is kept as it is; convert decodes
// it later and reports what is wrong with it, in the same words. A failed
// attempt stays charged, so that attempts cannot add up unseen.
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
	t, err := decodeVoltage(0, d, m.b)
	if err != nil {
		return v
	}
	return t
}

// bitset is a growable set of small non-negative integers.
type bitset []uint64

// set adds i to b, charging bud if b needs a larger array: it at least
// doubles, so that a set filled in increasing order costs at most four
// times its words.
func (b *bitset) set(i uint64, bud *budget) error {
	w := int(i / 64)
	if w >= cap(*b) {
		c := max(w+1, 2*cap(*b))
		if err := bud.spend(allocCost(8 * int64(c))); err != nil {
			return err
		}
		grown := make(bitset, len(*b), c)
		copy(grown, *b)
		*b = grown
	}
	if w >= len(*b) {
		*b = (*b)[:w+1]
	}
	(*b)[w] |= 1 << (i % 64)
	return nil
}

func (b bitset) has(i uint64) bool {
	w := i / 64
	return w < uint64(len(b)) && b[w]&(1<<(i%64)) != 0
}

// count returns the number of members of b.
func (b bitset) count() int {
	n := 0
	for _, word := range b {
		n += bits.OnesCount64(word)
	}
	return n
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
