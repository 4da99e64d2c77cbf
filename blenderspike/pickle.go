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
	// pyTuple is a Python tuple; shared as for pyList.
	pyTuple struct {
		items  []any
		shared bool
	}
	// pyBytes is a bytes or bytearray value; it points into the file's
	// buffer rather than copying it.
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
		return &pyList{}, nil
	case opEmptyDict:
		return &pyDict{}, nil
	case opEmptyTuple:
		return m.newTuple(nil), nil
	case opNone:
		return nil, nil
	case opNewTrue:
		return true, nil
	case opNewFalse:
		return false, nil
	case opBinInt:
		return int64(int32(uint32(n))), nil
	case opBinInt1, opBinInt2:
		return int64(n), nil
	case opLong1:
		return m.long1(arg)
	case opBinFloat:
		return math.Float64frombits(binary.BigEndian.Uint64(arg)), nil
	case opShortBinUnicode, opBinUnicode, opBinUnicode8:
		if !utf8.Valid(arg) {
			return nil, m.errorf("string is not valid UTF-8")
		}
		return string(arg), nil
	case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
		return pyBytes(arg), nil
	case opTuple:
		return m.newTuple(group), nil
	case opTuple1, opTuple2, opTuple3:
		return m.newTuple(in), nil
	case opAppend, opAppends:
		l, ok := in[0].(*pyList)
		if !ok {
			return nil, m.errorf("cannot append to %s", aType(in[0]))
		}
		if m.op == opAppend {
			l.items = append(l.items, in[1])
		} else {
			l.items = append(l.items, group...)
		}
		return l, nil
	case opSetItem, opSetItems:
		d, ok := in[0].(*pyDict)
		if !ok {
			return nil, m.errorf("cannot set items of %s", aType(in[0]))
		}
		items := group
		if m.op == opSetItem {
			items = in[1:]
		}
		// Python writes a dict in batches of up to 1000 items: room for the
		// batch at once, so that a dict of one batch is allocated once.
		d.keys = slices.Grow(d.keys, len(items)/2)
		d.vals = slices.Grow(d.vals, len(items)/2)
		for i := 0; i < len(items); i += 2 {
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
		v, err := call(in[0], in[1])
		if err != nil {
			return nil, m.errorf("%v", err)
		}
		m.recycle(in[1])
		return v, nil
	case opBuild:
		if err := build(in[0], in[1]); err != nil {
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

// newTuple returns a tuple of a copy of items, reusing a recycled tuple
// of that length if there is one.
func (m *machine) newTuple(items []any) *pyTuple {
	n := len(items)
	if n <= maxRecycled {
		if free := m.free[n]; len(free) > 0 {
			t := free[len(free)-1]
			m.free[n] = free[:len(free)-1]
			copy(t.items, items)
			return t
		}
	}
	t := &pyTuple{items: make([]any, n)}
	copy(t.items, items)
	return t
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

// bitset is a growable set of small non-negative integers.
type bitset []uint64

func (b *bitset) set(i uint64) {
	w := int(i / 64)
	if w >= len(*b) {
		*b = append(*b, make(bitset, w+1-len(*b))...)
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
