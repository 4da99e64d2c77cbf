package blenderspike

import "fmt"

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

// argKind is the form of what follows an opcode in the file.
type argKind uint8

const (
	argNone    argKind = iota
	argFixed           // width bytes (a number, or BINFLOAT's eight)
	argCounted         // a little-endian length of width bytes, then that many bytes
	argLines           // two newline-terminated lines (GLOBAL's module and name)
)

// markEffect is what an opcode does with the MARK stack.
type markEffect uint8

const (
	markNone markEffect = iota
	markPush            // opens a MARK at the current stack height
	markPop             // takes every value above the innermost MARK, and the MARK
)

// opSpec describes one opcode for both passes over a pickle: the argument
// it reads, and its effect on the stack. An opcode first takes its MARK
// group (if mark is markPop), then pops values, then pushes values; the
// pre-scan checks this discipline and the decoder applies it, both from
// this one description, so that the two cannot disagree.
type opSpec struct {
	name   string
	arg    argKind
	width  uint8 // of the argument (argFixed) or of its length (argCounted)
	mark   markEffect
	pops   int8 // values popped, after the MARK group if any
	pushes int8 // values pushed (0 or 1)
	// fresh says the value pushed is one this opcode made, as opposed to
	// a value that already existed (BINGET) or a container that was
	// added to (APPEND, SETITEM, BUILD). Only a fresh value may be stored
	// in the memo: every pickler memoizes an object once, right after
	// making it, which bounds the memo by the opcodes that do real work.
	fresh bool
	// memo is memoPut or memoGet for the opcodes that use the memo.
	memo memoUse
}

// memoUse says how an opcode uses the memo.
type memoUse uint8

const (
	memoNone memoUse = iota
	memoPut          // stores the top value in a slot (MEMOIZE: the next one)
	memoGet          // pushes the value a slot holds
)

// ops describes every opcode the reader accepts; the others have no name
// (PROTO, accepted only as the file's first opcode, has only its name).
var ops = [256]opSpec{
	opProto: {name: "PROTO"},
	opFrame: {name: "FRAME", arg: argFixed, width: 8},
	opStop:  {name: "STOP", pops: 1},

	opMark:    {name: "MARK", mark: markPush},
	opPop:     {name: "POP", pops: 1},
	opPopMark: {name: "POP_MARK", mark: markPop},

	opEmptyList:  {name: "EMPTY_LIST", pushes: 1, fresh: true},
	opEmptyDict:  {name: "EMPTY_DICT", pushes: 1, fresh: true},
	opEmptyTuple: {name: "EMPTY_TUPLE", pushes: 1, fresh: true},
	opNone:       {name: "NONE", pushes: 1, fresh: true},
	opNewTrue:    {name: "NEWTRUE", pushes: 1, fresh: true},
	opNewFalse:   {name: "NEWFALSE", pushes: 1, fresh: true},

	opBinInt:   {name: "BININT", arg: argFixed, width: 4, pushes: 1, fresh: true},
	opBinInt1:  {name: "BININT1", arg: argFixed, width: 1, pushes: 1, fresh: true},
	opBinInt2:  {name: "BININT2", arg: argFixed, width: 2, pushes: 1, fresh: true},
	opLong1:    {name: "LONG1", arg: argCounted, width: 1, pushes: 1, fresh: true},
	opBinFloat: {name: "BINFLOAT", arg: argFixed, width: 8, pushes: 1, fresh: true},

	opShortBinUnicode: {name: "SHORT_BINUNICODE", arg: argCounted, width: 1, pushes: 1, fresh: true},
	opBinUnicode:      {name: "BINUNICODE", arg: argCounted, width: 4, pushes: 1, fresh: true},
	opBinUnicode8:     {name: "BINUNICODE8", arg: argCounted, width: 8, pushes: 1, fresh: true},
	opShortBinBytes:   {name: "SHORT_BINBYTES", arg: argCounted, width: 1, pushes: 1, fresh: true},
	opBinBytes:        {name: "BINBYTES", arg: argCounted, width: 4, pushes: 1, fresh: true},
	opBinBytes8:       {name: "BINBYTES8", arg: argCounted, width: 8, pushes: 1, fresh: true},
	opByteArray8:      {name: "BYTEARRAY8", arg: argCounted, width: 8, pushes: 1, fresh: true},

	opTuple:  {name: "TUPLE", mark: markPop, pushes: 1, fresh: true},
	opTuple1: {name: "TUPLE1", pops: 1, pushes: 1, fresh: true},
	opTuple2: {name: "TUPLE2", pops: 2, pushes: 1, fresh: true},
	opTuple3: {name: "TUPLE3", pops: 3, pushes: 1, fresh: true},

	opAppend:   {name: "APPEND", pops: 2, pushes: 1},
	opAppends:  {name: "APPENDS", mark: markPop, pops: 1, pushes: 1},
	opSetItem:  {name: "SETITEM", pops: 3, pushes: 1},
	opSetItems: {name: "SETITEMS", mark: markPop, pops: 1, pushes: 1},

	opGlobal:      {name: "GLOBAL", arg: argLines, pushes: 1, fresh: true},
	opStackGlobal: {name: "STACK_GLOBAL", pops: 2, pushes: 1, fresh: true},
	opReduce:      {name: "REDUCE", pops: 2, pushes: 1, fresh: true},
	opBuild:       {name: "BUILD", pops: 2, pushes: 1},

	opMemoize:    {name: "MEMOIZE", pops: 1, pushes: 1, memo: memoPut},
	opBinPut:     {name: "BINPUT", arg: argFixed, width: 1, pops: 1, pushes: 1, memo: memoPut},
	opLongBinPut: {name: "LONG_BINPUT", arg: argFixed, width: 4, pops: 1, pushes: 1, memo: memoPut},
	opBinGet:     {name: "BINGET", arg: argFixed, width: 1, pushes: 1, memo: memoGet},
	opLongBinGet: {name: "LONG_BINGET", arg: argFixed, width: 4, pushes: 1, memo: memoGet},
}

// supported says op may appear after the PROTO header.
func supported(op byte) bool {
	return ops[op].name != "" && op != opProto
}

// opName names opcode op for error messages.
func opName(op byte) string {
	if n := ops[op].name; n != "" {
		return n
	}
	return fmt.Sprintf("opcode 0x%02x", op)
}
