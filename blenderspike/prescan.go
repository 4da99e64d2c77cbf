package blenderspike

import (
	"math"
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

// shadow is what the pre-scan knows of a stack value: the position and
// length in the file of a string, or notString for any other value.
type shadow uint64

const notString shadow = math.MaxUint64

// prescan walks every opcode of the pickle once, building nothing. It
// checks each length against the bytes left, each stack operation against
// the stack, and each global a GLOBAL or STACK_GLOBAL names against the
// allow-list, so that a hostile file is refused before the decoder builds
// anything.
func prescan(data []byte) (*plan, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	c := cursor{data: data, pos: 2}
	var (
		stack   []shadow
		marks   []int
		mm      memo
		strSlot = map[uint64]shadow{} // memo slots that hold a string
		pl      = &plan{}
	)
	floor := func() int {
		if len(marks) == 0 {
			return 0
		}
		return marks[len(marks)-1]
	}
	// pop removes the top n values.
	pop := func(n int) error {
		if len(stack)-floor() < n {
			return c.errorf("malformed pickle: stack underflow")
		}
		stack = stack[:len(stack)-n]
		return nil
	}
	push := func(s shadow) error {
		if len(stack) >= maxStack {
			return c.errorf("pickle stack deeper than %d values", maxStack)
		}
		stack = append(stack, s)
		pl.stackSize = max(pl.stackSize, len(stack))
		return nil
	}
	popMark := func() (int, error) {
		if len(marks) == 0 {
			return 0, c.errorf("malformed pickle: no MARK")
		}
		k := marks[len(marks)-1]
		marks = marks[:len(marks)-1]
		n := len(stack) - k
		stack = stack[:k]
		return n, nil
	}
	needTop := func() error {
		if len(stack) <= floor() {
			return c.errorf("malformed pickle: stack underflow")
		}
		return nil
	}
	str := func(s shadow) (string, bool) {
		if s == notString {
			return "", false
		}
		off, n := uint64(s)>>32, uint64(s)&math.MaxUint32
		return string(data[off : off+n]), true
	}

	for c.pos < len(data) {
		c.at = c.pos
		c.op = data[c.pos]
		c.pos++
		var err error
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
			var n uint64
			if n, err = c.uint(8); err == nil && n > uint64(len(data)-c.pos) {
				err = c.truncated(n)
			}
		case opMark:
			if len(marks) >= maxMarks {
				return nil, c.errorf("pickle nested deeper than %d MARKs", maxMarks)
			}
			marks = append(marks, len(stack))
			pl.markSize = max(pl.markSize, len(marks))
		case opEmptyList, opEmptyDict, opEmptyTuple, opNone, opNewTrue, opNewFalse:
			err = push(notString)
		case opBinInt, opBinInt1, opBinInt2, opBinFloat:
			if _, err = c.take(fixedWidth(c.op)); err == nil {
				err = push(notString)
			}
		case opLong1:
			if _, err = c.long1(); err == nil {
				err = push(notString)
			}
		case opShortBinUnicode, opBinUnicode, opBinUnicode8:
			var b []byte
			if b, err = c.sized(lengthBytes(c.op)); err == nil {
				err = push(shadow(uint64(c.pos-len(b))<<32 | uint64(len(b))))
			}
		case opShortBinBytes, opBinBytes, opBinBytes8, opByteArray8:
			if _, err = c.sized(lengthBytes(c.op)); err == nil {
				err = push(notString)
			}
		case opTuple:
			if _, err = popMark(); err == nil {
				err = push(notString)
			}
		case opTuple1, opTuple2, opTuple3:
			if err = pop(int(c.op-opTuple1) + 1); err == nil {
				err = push(notString)
			}
		case opPop:
			err = pop(1)
		case opPopMark:
			_, err = popMark()
		case opAppend:
			if err = pop(1); err == nil {
				err = needTop()
			}
		case opSetItem:
			if err = pop(2); err == nil {
				err = needTop()
			}
		case opAppends, opSetItems:
			var n int
			if n, err = popMark(); err == nil {
				if c.op == opSetItems && n%2 != 0 {
					err = c.errorf("malformed pickle: odd number of values (%d)", n)
				} else {
					err = needTop()
				}
			}
		case opGlobal:
			var module, name string
			if module, err = c.line(); err == nil {
				if name, err = c.line(); err == nil {
					if _, err = lookupGlobal(module, name); err != nil {
						err = c.errorf("%v", err)
					} else {
						err = push(notString)
					}
				}
			}
		case opStackGlobal:
			if len(stack)-floor() < 2 {
				err = c.errorf("malformed pickle: stack underflow")
			} else {
				module, ok1 := str(stack[len(stack)-2])
				name, ok2 := str(stack[len(stack)-1])
				stack = stack[:len(stack)-2]
				if !ok1 || !ok2 {
					err = c.errorf("module and name are not strings")
				} else if _, err = lookupGlobal(module, name); err != nil {
					err = c.errorf("%v", err)
				} else {
					err = push(notString)
				}
			}
		case opReduce:
			if err = pop(2); err == nil {
				err = push(notString)
			}
		case opBuild:
			if err = pop(1); err == nil {
				err = needTop()
			}
		case opMemoize, opBinPut, opLongBinPut:
			var i uint64
			var fresh bool
			if i, fresh, err = c.putIndex(&mm); err == nil {
				if err = needTop(); err == nil {
					if s := stack[len(stack)-1]; s != notString {
						strSlot[i] = s
					} else if !fresh {
						delete(strSlot, i)
					}
				}
			}
		case opBinGet, opLongBinGet:
			var i uint64
			if i, err = c.getIndex(&mm); err == nil {
				mm.read.set(i)
				s, ok := strSlot[i]
				if !ok {
					s = notString
				}
				err = push(s)
			}
		default:
			err = c.errorf("unsupported opcode")
		}
		if err != nil {
			return nil, err
		}
	}
	return nil, c.errorf("truncated: no STOP opcode (unexpected end of data)")
}

// fixedWidth is the argument size of the fixed-size number opcodes.
func fixedWidth(op byte) uint64 {
	switch op {
	case opBinInt1:
		return 1
	case opBinInt2:
		return 2
	case opBinInt:
		return 4
	default: // BINFLOAT
		return 8
	}
}
