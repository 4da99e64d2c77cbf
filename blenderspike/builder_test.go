package blenderspike

import (
	"encoding/binary"
	"math"
)

// pk writes pickles opcode by opcode for the tests, the way Python's
// pickler does (protocol 4, no framing).
type pk struct{ b []byte }

func newPickle() *pk { return &pk{b: []byte{opProto, 4}} }

// op appends raw opcodes and bytes.
func (p *pk) op(b ...byte) *pk { p.b = append(p.b, b...); return p }

func (p *pk) u32(n uint32) *pk { p.b = binary.LittleEndian.AppendUint32(p.b, n); return p }
func (p *pk) u64(n uint64) *pk { p.b = binary.LittleEndian.AppendUint64(p.b, n); return p }

func (p *pk) str(s string) *pk {
	if len(s) < 256 {
		return p.op(opShortBinUnicode, byte(len(s))).op([]byte(s)...)
	}
	return p.op(opBinUnicode).u32(uint32(len(s))).op([]byte(s)...)
}

func (p *pk) int(i int64) *pk {
	if i >= math.MinInt32 && i <= math.MaxInt32 {
		return p.op(opBinInt).u32(uint32(int32(i)))
	}
	return p.op(opLong1, 8).u64(uint64(i))
}

func (p *pk) float(f float64) *pk {
	p.b = append(p.b, opBinFloat)
	p.b = binary.BigEndian.AppendUint64(p.b, math.Float64bits(f))
	return p
}

func (p *pk) bytes(b []byte) *pk { return p.op(opBinBytes).u32(uint32(len(b))).op(b...) }

func (p *pk) global(module, name string) *pk { return p.str(module).str(name).op(opStackGlobal) }

func (p *pk) stop() []byte { return append(p.b, opStop) }

// dtype writes numpy.dtype(typ, False, True) with its BUILD state.
func (p *pk) dtype(typ, order string) *pk {
	p.global("numpy", "dtype").str(typ).op(opNewFalse, opNewTrue, opTuple3, opReduce)
	return p.op(opMark).int(3).str(order).op(opNone, opNone, opNone).int(-1).int(-1).int(0).op(opTuple, opBuild)
}

// array writes a numpy 1.x _reconstruct array of n values.
func (p *pk) array(typ, order string, raw []byte, n int64) *pk {
	return p.reconstruct().arrayState(typ, order, raw, n)
}

// reconstruct writes numpy's _reconstruct(ndarray, (0,), b'b'): an empty
// array that a BUILD fills (arrayState).
func (p *pk) reconstruct() *pk {
	return p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").int(0).op(opTuple1).bytes([]byte("b")).op(opTuple3, opReduce)
}

// arrayState writes the BUILD that fills an array with n values.
func (p *pk) arrayState(typ, order string, raw []byte, n int64) *pk {
	return p.op(opMark).int(1).int(n).op(opTuple1).dtype(typ, order).op(opNewFalse).bytes(raw).op(opTuple, opBuild)
}

// val writes one value; the recording helpers below describe values as
// functions so that tests can put anything anywhere.
type val func(p *pk)

func f8(v ...float64) val {
	return func(p *pk) { p.array("f8", "<", f8raw(v...), int64(len(v))) }
}

func floatList(v ...float64) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark)
		for _, x := range v {
			p.float(x)
		}
		p.op(opAppends)
	}
}

func pyInt(i int64) val     { return func(p *pk) { p.int(i) } }
func pyFloat(f float64) val { return func(p *pk) { p.float(f) } }
func pyStr(s string) val    { return func(p *pk) { p.str(s) } }

// frames writes a Voltage dict {0: v[0], 1: v[1], …}.
func frames(v ...val) val {
	return func(p *pk) {
		p.op(opEmptyDict, opMark)
		for f, x := range v {
			p.int(int64(f))
			x(p)
		}
		p.op(opSetItems)
	}
}

// kv is one key of a section dict.
type kv struct {
	key string
	val val
}

// section is a section dict's keys in order.
type section []kv

// set returns s with key set to v (replaced in place, or appended).
func (s section) set(key string, v val) section {
	out := append(section{}, s...)
	for i := range out {
		if out[i].key == key {
			out[i].val = v
			return out
		}
	}
	return append(out, kv{key, v})
}

// without returns s lacking key.
func (s section) without(key string) section {
	var out section
	for _, e := range s {
		if e.key != key {
			out = append(out, e)
		}
	}
	return out
}

// ballAndStick is a two-section recording of two frames: a soma of one
// point and one segment, an axon of two points and three segments.
func ballAndStick() []section {
	return []section{
		{
			{"ID", pyInt(0)}, {"type", pyStr("soma")},
			{"X", f8(1)}, {"Y", f8(2)}, {"Z", f8(3)}, {"DIAM", f8(10)},
			{"Voltage", frames(f8(-65), f8(-60))},
		},
		{
			{"ID", pyInt(1)}, {"type", pyStr("axon")},
			{"X", f8(1, 1)}, {"Y", f8(2, 102)}, {"Z", f8(3, 3)}, {"DIAM", f8(1, 1)},
			{"Voltage", frames(f8(-65, -64, -63), f8(-30, -40, -50))},
		},
	}
}

// encode writes a recording: a list of section dicts.
func encode(secs []section) []byte {
	p := newPickle().op(opEmptyList, opMark)
	for _, s := range secs {
		p.op(opEmptyDict, opMark)
		for _, e := range s {
			p.str(e.key)
			e.val(p)
		}
		p.op(opSetItems)
	}
	return p.op(opAppends).stop()
}

func f8raw(v ...float64) []byte {
	raw := make([]byte, 0, 8*len(v))
	for _, x := range v {
		raw = binary.LittleEndian.AppendUint64(raw, math.Float64bits(x))
	}
	return raw
}

// fromBufferF4BE writes a protocol 5 _frombuffer array of big-endian float32.
func fromBufferF4BE(v ...float64) val {
	return func(p *pk) {
		raw := make([]byte, 0, 4*len(v))
		for _, x := range v {
			raw = binary.BigEndian.AppendUint32(raw, math.Float32bits(float32(x)))
		}
		p.global("numpy._core.numeric", "_frombuffer").op(opMark, opByteArray8).u64(uint64(len(raw))).op(raw...)
		p.dtype("f4", ">").int(int64(len(v))).op(opTuple1).str("C").op(opTuple, opReduce)
	}
}

// latin1Array writes a protocol 2 array whose bytes are
// _codecs.encode(text, 'latin1').
func latin1Array(v ...float64) val {
	return func(p *pk) {
		text := []rune{}
		for _, b := range f8raw(v...) {
			text = append(text, rune(b))
		}
		p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").int(0).op(opTuple1).bytes([]byte("b")).op(opTuple3, opReduce)
		p.op(opMark).int(1).int(int64(len(v))).op(opTuple1).dtype("f8", "<").op(opNewFalse)
		p.global("_codecs", "encode").str(string(text)).str("latin1").op(opTuple2, opReduce)
		p.op(opTuple, opBuild)
	}
}

// py2StrArray writes an array whose BUILD data is a str (Python 2 style)
// in the old four-item state form.
func py2StrArray(v ...float64) val {
	return func(p *pk) {
		text := []rune{}
		for _, b := range f8raw(v...) {
			text = append(text, rune(b))
		}
		p.global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").int(0).op(opTuple1).bytes([]byte("b")).op(opTuple3, opReduce)
		p.op(opMark).int(int64(len(v))).op(opTuple1).dtype("f8", "<").op(opNewFalse).str(string(text)).op(opTuple, opBuild)
	}
}

// scalarList writes a list of numpy float64 scalars.
func scalarList(v ...float64) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark)
		for _, x := range v {
			p.global("numpy._core.multiarray", "scalar").dtype("f8", "<").bytes(f8raw(x)).op(opTuple2, opReduce)
		}
		p.op(opAppends)
	}
}

// intList writes a list of Python ints.
func intList(v ...int64) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark)
		for _, x := range v {
			p.int(x)
		}
		p.op(opAppends)
	}
}
