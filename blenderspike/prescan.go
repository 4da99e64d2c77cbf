package blenderspike

import (
	"cmp"
	"fmt"
	"math"
	"slices"
)

// Limits on the pickle machine's working stacks. Python's pickler never
// nests more than a handful of MARKs and pushes at most 1000 items per
// APPENDS/SETITEMS batch; these bounds leave wide room for other writers
// while keeping a hostile file from making the stacks large.
const (
	maxMarks = 1 << 12
	maxStack = 1 << 18
)

// plan is what the pre-scan learns for the decoder: which memo slots are
// read back, and how deep the stack and the MARKs go.
type plan struct {
	read                bitset
	stackSize, markSize int
}

// shadow is what the pre-scan knows of a stack value or memo slot: the
// offset in the file of the opcode that made a string, or notString for
// any other value.
type shadow uint32

const notString shadow = math.MaxUint32

// memoString is a memo slot that holds a string.
type memoString struct {
	slot uint32
	text shadow
}

// prescan walks every opcode of the pickle once, building nothing. It
// checks each length against the bytes left, each opcode's use of the
// stack and the MARKs against its description in ops, each memo use, and
// each global a GLOBAL or STACK_GLOBAL names against the allow-list, so
// that a hostile file is refused before the decoder builds anything. Its
// bookkeeping costs at most a few bytes per opcode, charged to b.
func prescan(data []byte, b *budget) (*plan, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	c := cursor{data: data, pos: 2}
	var (
		stack []shadow
		marks []int
		mm    memo
		strs  []memoString // the memo slots that hold a string, in order
		isStr bitset       // the same slots, for a quick test
		pl    = &plan{}
		// made says the last opcode other than FRAME pushed a value it
		// made, which a memo put may then store.
		made bool
	)
	// grow charges b for the larger array that appending an item of size
	// bytes to a slice of this length and capacity would allocate.
	grow := func(length, capacity int, size int64) error {
		if length < capacity {
			return nil
		}
		return b.spend(allocCost(2 * int64(max(capacity, 8)) * size))
	}
	str := func(s shadow) (string, bool) {
		if s == notString {
			return "", false
		}
		sc := cursor{data: data, pos: int(s)}
		spec, _ := sc.next()
		_, text, _ := sc.arg(spec)
		return clip(text), true
	}

	for c.pos < len(data) {
		spec, err := c.next()
		if err != nil {
			return nil, err
		}
		n, arg, err := c.arg(spec)
		if err != nil {
			return nil, err
		}
		switch c.op {
		case opStop:
			if len(marks) > 0 || len(stack) != 1 {
				return nil, c.errorf("malformed pickle: %d values and %d open marks left at STOP", len(stack), len(marks))
			}
			if rest := len(data) - c.pos; rest > 0 {
				return nil, c.errorf("%d bytes of trailing data after STOP", rest)
			}
			pl.read = mm.read
			return pl, nil
		case opFrame:
			if err := c.frame(n); err != nil {
				return nil, err
			}
			continue // FRAME is invisible to the memo rule below
		}
		switch spec.mark {
		case markPush:
			if len(marks) >= maxMarks {
				return nil, c.errorf("pickle nested deeper than %d MARKs", maxMarks)
			}
			if err := grow(len(marks), cap(marks), 8); err != nil {
				return nil, c.errorf("%v", err)
			}
			marks = append(marks, len(stack))
			pl.markSize = max(pl.markSize, len(marks))
		case markPop:
			if len(marks) == 0 {
				return nil, c.errorf("malformed pickle: no MARK")
			}
			k := marks[len(marks)-1]
			marks = marks[:len(marks)-1]
			if c.op == opSetItems && (len(stack)-k)%2 != 0 {
				return nil, c.errorf("malformed pickle: odd number of values (%d)", len(stack)-k)
			}
			stack = stack[:k]
		}
		floor := 0
		if len(marks) > 0 {
			floor = marks[len(marks)-1]
		}
		base := len(stack) - int(spec.pops)
		if base < floor {
			return nil, c.errorf("malformed pickle: stack underflow")
		}
		in := stack[base:]
		out := notString
		switch spec.memo {
		case memoPut:
			if !made {
				return nil, c.errorf("memo put of a value the previous opcode did not make (a pickler memoizes each value once, as it makes it)")
			}
			i, err := c.putIndex(&mm, n)
			if err != nil {
				return nil, err
			}
			if in[0] != notString {
				if err := grow(len(strs), cap(strs), 8); err != nil {
					return nil, c.errorf("%v", err)
				}
				if err := isStr.set(i, b); err != nil {
					return nil, c.errorf("%v", err)
				}
				strs = append(strs, memoString{uint32(i), in[0]})
			}
			out = in[0]
		case memoGet:
			i, err := c.getIndex(&mm, n)
			if err != nil {
				return nil, err
			}
			if err := mm.read.set(i, b); err != nil {
				return nil, c.errorf("%v", err)
			}
			if isStr.has(i) {
				k, _ := slices.BinarySearchFunc(strs, i, func(s memoString, i uint64) int { return cmp.Compare(uint64(s.slot), i) })
				out = strs[k].text
			}
		}
		switch c.op {
		case opShortBinUnicode, opBinUnicode, opBinUnicode8:
			out = shadow(c.at)
		case opLong1:
			if _, err := c.long1(arg); err != nil {
				return nil, err
			}
		case opGlobal:
			if _, err := lookupGlobal(clip(arg[:n]), clip(arg[n+1:])); err != nil {
				return nil, c.errorf("%v", err)
			}
		case opStackGlobal:
			module, ok1 := str(in[0])
			name, ok2 := str(in[1])
			if !ok1 || !ok2 {
				return nil, c.errorf("module and name are not strings")
			}
			if _, err := lookupGlobal(module, name); err != nil {
				return nil, c.errorf("%v", err)
			}
		}
		stack = stack[:base]
		if spec.pushes > 0 {
			if len(stack) >= maxStack {
				return nil, c.errorf("pickle stack deeper than %d values", maxStack)
			}
			if err := grow(len(stack), cap(stack), 4); err != nil {
				return nil, c.errorf("%v", err)
			}
			stack = append(stack, out)
			pl.stackSize = max(pl.stackSize, len(stack))
		}
		made = spec.fresh
	}
	return nil, fmt.Errorf("pickle byte %d: truncated: no STOP opcode (%w)", len(data), errTruncated)
}

// clip returns at most the first 128 bytes of b as a string: enough to
// name any allowed global, and to show the start of any other.
func clip(b []byte) string {
	return string(b[:min(len(b), 128)])
}
