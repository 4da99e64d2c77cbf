package blenderspike

import (
	"encoding/binary"
	"math"
	"math/bits"
	"unicode/utf8"
)

// The Python objects that pickler writes. An object Python would share
// is one pointer: the pickler memoizes objects by identity, so whether
// two places hold one object or two equal ones changes the bytes.
// Numbers, bools and None (int64, float64, bool, nil) are not memoized.
type (
	wStr   struct{ s string }
	wBytes struct{ b []byte }
	// wPickleBuffer is the PickleBuffer over a writable numpy array that
	// numpy hands to protocol 5.
	wPickleBuffer struct{ b []byte }
	wTuple        struct{ items []any }
	wList         struct{ items []any }
	wDict         struct{ keys, vals []any }
	// wGlobal is a module-level function or class, pickled by name.
	wGlobal struct{ module, name string }
	// wReduce is an object whose __reduce__ returns (fn, args).
	wReduce struct {
		fn   *wGlobal
		args *wTuple
	}
	// wDtype is a numpy dtype such as "f8" or "f4".
	wDtype struct{ typ string }
	// wArray is a one-dimensional numpy array of n values of dtype,
	// raw little-endian; a non-contiguous view reduces as a copy.
	wArray struct {
		dtype      *wDtype
		raw        []byte
		n          int
		contiguous bool
	}
)

// pyWorld holds the objects CPython makes once and shares: interned
// names, one-character strings and one-byte bytes, module globals, and
// numpy's built-in dtypes.
type pyWorld struct {
	interned map[string]*wStr
	bytes1   map[byte]*wBytes
	globals  map[[2]string]*wGlobal
	dtypes   map[string]*wDtype
}

func newWorld() *pyWorld {
	return &pyWorld{interned: map[string]*wStr{}, bytes1: map[byte]*wBytes{},
		globals: map[[2]string]*wGlobal{}, dtypes: map[string]*wDtype{}}
}

// intern returns the one shared str s: a name, or a one-character string.
func (w *pyWorld) intern(s string) *wStr {
	if o, ok := w.interned[s]; ok {
		return o
	}
	o := &wStr{s}
	w.interned[s] = o
	return o
}

// str returns a new str s, or the shared one if s is one character in
// Latin-1, as CPython does.
func (w *pyWorld) str(s string) *wStr {
	if r, n := utf8.DecodeRuneInString(s); n == len(s) && n > 0 && r < 256 {
		return w.intern(s)
	}
	return &wStr{s}
}

// bytes returns new bytes b, or the shared object for a single byte.
func (w *pyWorld) bytes(b []byte) *wBytes {
	if len(b) == 1 {
		if o, ok := w.bytes1[b[0]]; ok {
			return o
		}
		o := &wBytes{[]byte{b[0]}}
		w.bytes1[b[0]] = o
		return o
	}
	return &wBytes{append([]byte{}, b...)}
}

func (w *pyWorld) global(module, name string) *wGlobal {
	k := [2]string{module, name}
	if g, ok := w.globals[k]; ok {
		return g
	}
	g := &wGlobal{module, name}
	w.globals[k] = g
	return g
}

// dtype returns numpy's built-in dtype typ, which every new array of
// that type shares. (An unpickled dtype is a copy: a new object.)
func (w *pyWorld) dtype(typ string) *wDtype {
	if d, ok := w.dtypes[typ]; ok {
		return d
	}
	d := &wDtype{typ}
	w.dtypes[typ] = d
	return d
}

// array returns a new contiguous float64 or float32 array of values.
func (w *pyWorld) array(typ string, values ...float64) *wArray {
	a := &wArray{dtype: w.dtype(typ), n: len(values), contiguous: true}
	for _, v := range values {
		if typ == "f4" {
			a.raw = binary.LittleEndian.AppendUint32(a.raw, math.Float32bits(float32(v)))
		} else {
			a.raw = binary.LittleEndian.AppendUint64(a.raw, math.Float64bits(v))
		}
	}
	return a
}

// frameTarget is the size at which CPython's pickler ends a frame.
const frameTarget = 64 << 10

// pickler writes objects as CPython's pickle.dump does at protocol 2 to
// 5, byte for byte, with numpy 1.x's reductions of arrays and dtypes (or
// numpy 2.x's, whose reconstructors live in numpy._core). It follows the
// reference implementation, pickle.py, which the C one matches: each
// save first ends the current frame if it has reached 64 KiB, then
// writes a memoized object as a memo get, and memoizes every other
// object but numbers, bools and None right after making it.
type pickler struct {
	w      *pyWorld
	proto  int
	numpy2 bool
	out    []byte
	frame  *pk // the frame being written, when framing (protocol 4+)
	memo   map[any]int
}

// dumps pickles v at protocol proto.
func dumps(w *pyWorld, v any, proto int, numpy2 bool) []byte {
	p := &pickler{w: w, proto: proto, numpy2: numpy2, memo: map[any]int{}}
	if proto >= 2 {
		p.out = append(p.out, opProto, byte(proto))
	}
	if proto >= 4 {
		p.frame = &pk{}
	}
	p.save(v)
	p.write(opStop)
	if p.frame != nil && len(p.frame.b) > 0 {
		p.commit(true)
	}
	return p.out
}

// write appends opcodes and arguments to the frame, or the file.
func (p *pickler) write(b ...byte) {
	if p.frame != nil {
		p.frame.op(b...)
	} else {
		p.out = append(p.out, b...)
	}
}

// w32 and w64 write little-endian numbers.
func (p *pickler) w32(n uint32) { p.write(binary.LittleEndian.AppendUint32(nil, n)...) }
func (p *pickler) w64(n uint64) { p.write(binary.LittleEndian.AppendUint64(nil, n)...) }

// commit ends the current frame once it has reached the target size, or
// at once if force; a frame of under four bytes has no FRAME header.
func (p *pickler) commit(force bool) {
	if p.frame == nil || (len(p.frame.b) < frameTarget && !force) {
		return
	}
	if n := len(p.frame.b); n >= 4 {
		p.out = append(p.out, opFrame)
		p.out = binary.LittleEndian.AppendUint64(p.out, uint64(n))
	}
	p.out = append(p.out, p.frame.b...)
	p.frame = &pk{}
}

// large writes a header and a payload of 64 KiB or more outside any
// frame, as CPython does to avoid copying them.
func (p *pickler) large(header, payload []byte) {
	if p.frame != nil {
		p.commit(true)
	}
	p.out = append(append(p.out, header...), payload...)
}

func (p *pickler) memoize(obj any) {
	i := len(p.memo)
	p.memo[obj] = i
	switch {
	case p.proto >= 4:
		p.write(opMemoize)
	case i < 256:
		p.write(opBinPut, byte(i))
	default:
		p.write(opLongBinPut)
		p.w32(uint32(i))
	}
}

func (p *pickler) save(v any) {
	p.commit(false)
	if i, ok := p.memo[v]; ok {
		if i < 256 {
			p.write(opBinGet, byte(i))
		} else {
			p.write(opLongBinGet)
			p.w32(uint32(i))
		}
		return
	}
	switch v := v.(type) {
	case nil:
		p.write(opNone)
	case bool:
		if v {
			p.write(opNewTrue)
		} else {
			p.write(opNewFalse)
		}
	case int64:
		p.saveInt(v)
	case float64:
		p.write(opBinFloat)
		p.write(binary.BigEndian.AppendUint64(nil, math.Float64bits(v))...)
	case *wStr:
		p.saveStr(v)
	case *wBytes:
		p.saveBytes(v)
	case *wPickleBuffer:
		// save_picklebuffer: the buffer's bytes in-band as a bytearray.
		if n := len(v.b); n >= frameTarget {
			p.large(binary.LittleEndian.AppendUint64([]byte{opByteArray8}, uint64(n)), v.b)
		} else {
			p.write(opByteArray8)
			p.w64(uint64(n))
			p.write(v.b...)
		}
		p.memoize(v)
	case *wTuple:
		p.saveTuple(v)
	case *wList:
		p.write(opEmptyList)
		p.memoize(v)
		p.batches(v.items, 1, opAppend, opAppends)
	case *wDict:
		p.write(opEmptyDict)
		p.memoize(v)
		items := make([]any, 0, 2*len(v.keys))
		for i := range v.keys {
			items = append(items, v.keys[i], v.vals[i])
		}
		p.batches(items, 2, opSetItem, opSetItems)
	case *wGlobal:
		p.saveGlobal(v)
	case *wReduce:
		p.saveReduce(v.fn, v.args, nil, v)
	case *wDtype:
		// numpy's dtype.__reduce__: a new type string and a new state.
		args := &wTuple{[]any{p.w.str(v.typ), false, true}}
		state := &wTuple{[]any{int64(3), p.w.str("<"), nil, nil, nil, int64(-1), int64(-1), int64(0)}}
		p.saveReduce(p.w.global("numpy", "dtype"), args, state, v)
	case *wArray:
		p.saveArray(v)
	default:
		panic("pickler: cannot pickle this value")
	}
}

func (p *pickler) saveInt(v int64) {
	switch {
	case v >= 0 && v <= 0xff:
		p.write(opBinInt1, byte(v))
	case v >= 0 && v <= 0xffff:
		p.write(opBinInt2)
		p.write(binary.LittleEndian.AppendUint16(nil, uint16(v))...)
	case v >= math.MinInt32 && v <= math.MaxInt32:
		p.write(opBinInt)
		p.w32(uint32(int32(v)))
	default:
		b := longBytes(v)
		p.write(opLong1, byte(len(b)))
		p.write(b...)
	}
}

// longBytes is pickle.py's encode_long for v beyond 32 bits: its little-
// endian two's complement in bit_length/8 + 1 bytes, less a redundant
// sign byte of a negative number.
func longBytes(v int64) []byte {
	magnitude := uint64(v)
	if v < 0 {
		magnitude = -magnitude
	}
	b := make([]byte, bits.Len64(magnitude)/8+1)
	for i := range b {
		if i < 8 {
			b[i] = byte(uint64(v) >> (8 * i))
		} else if v < 0 {
			b[i] = 0xff
		}
	}
	if n := len(b); v < 0 && n > 1 && b[n-1] == 0xff && b[n-2]&0x80 != 0 {
		b = b[:n-1]
	}
	return b
}

func (p *pickler) saveStr(v *wStr) {
	n := len(v.s)
	switch {
	case n <= 0xff && p.proto >= 4:
		p.write(opShortBinUnicode, byte(n))
		p.write([]byte(v.s)...)
	case n >= frameTarget:
		p.large(binary.LittleEndian.AppendUint32([]byte{opBinUnicode}, uint32(n)), []byte(v.s))
	default:
		p.write(opBinUnicode)
		p.w32(uint32(n))
		p.write([]byte(v.s)...)
	}
	p.memoize(v)
}

func (p *pickler) saveBytes(v *wBytes) {
	if p.proto < 3 {
		// Protocol 2 has no bytes: _codecs.encode(text, 'latin1').
		text := make([]rune, len(v.b))
		for i, c := range v.b {
			text[i] = rune(c)
		}
		args := &wTuple{[]any{p.w.str(string(text)), p.w.intern("latin1")}}
		p.saveReduce(p.w.global("_codecs", "encode"), args, nil, v)
		return
	}
	n := len(v.b)
	switch {
	case n <= 0xff:
		p.write(opShortBinBytes, byte(n))
		p.write(v.b...)
	case n >= frameTarget:
		p.large(binary.LittleEndian.AppendUint32([]byte{opBinBytes}, uint32(n)), v.b)
	default:
		p.write(opBinBytes)
		p.w32(uint32(n))
		p.write(v.b...)
	}
	p.memoize(v)
}

func (p *pickler) saveTuple(v *wTuple) {
	n := len(v.items)
	if n == 0 {
		p.write(opEmptyTuple)
		return
	}
	if n <= 3 {
		for _, item := range v.items {
			p.save(item)
		}
		p.write(opTuple1 + byte(n-1))
		p.memoize(v)
		return
	}
	p.write(opMark)
	for _, item := range v.items {
		p.save(item)
	}
	p.write(opTuple)
	p.memoize(v)
}

// batches writes the items of a list (per 1) or the key-value pairs of a
// dict (per 2) in batches of up to 1000 entries: a batch of one with
// single, a longer one between MARK and many.
func (p *pickler) batches(items []any, per int, single, many byte) {
	const batch = 1000
	for len(items) > 0 {
		k := min(len(items), batch*per)
		if k == per {
			for _, item := range items[:k] {
				p.save(item)
			}
			p.write(single)
		} else {
			p.write(opMark)
			for _, item := range items[:k] {
				p.save(item)
			}
			p.write(many)
		}
		items = items[k:]
	}
}

func (p *pickler) saveGlobal(g *wGlobal) {
	if p.proto >= 4 {
		p.save(p.w.intern(g.module))
		p.save(p.w.intern(g.name))
		p.write(opStackGlobal)
	} else {
		p.write(opGlobal)
		p.write([]byte(g.module + "\n" + g.name + "\n")...)
	}
	p.memoize(g)
}

// saveReduce writes fn(*args), memoizes obj, and applies state if any.
func (p *pickler) saveReduce(fn *wGlobal, args *wTuple, state any, obj any) {
	p.save(fn)
	p.save(args)
	p.write(opReduce)
	p.memoize(obj)
	if state != nil {
		p.save(state)
		p.write(opBuild)
	}
}

// saveArray writes numpy's reduction of a: from protocol 5 on, a
// contiguous array is _frombuffer over its bytes; otherwise it is
// _reconstruct(ndarray, (0,), b'b') filled by a BUILD of (1, shape,
// dtype, is_fortran, bytes).
func (p *pickler) saveArray(a *wArray) {
	core := "numpy.core"
	if p.numpy2 {
		core = "numpy._core"
	}
	shape := &wTuple{[]any{int64(a.n)}}
	if p.proto >= 5 && a.contiguous {
		args := &wTuple{[]any{&wPickleBuffer{a.raw}, a.dtype, shape, p.w.str("C")}}
		p.saveReduce(p.w.global(core+".numeric", "_frombuffer"), args, nil, a)
		return
	}
	args := &wTuple{[]any{p.w.global("numpy", "ndarray"), &wTuple{[]any{int64(0)}}, p.w.bytes([]byte("b"))}}
	state := &wTuple{[]any{int64(1), shape, a.dtype, false, &wBytes{a.raw}}}
	p.saveReduce(p.w.global(core+".multiarray", "_reconstruct"), args, state, a)
}
