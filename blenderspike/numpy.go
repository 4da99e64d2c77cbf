package blenderspike

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// pyGlobal is one of the few Python globals a recording may name. The
// reader never imports or runs anything: each maps to a Go function below.
type pyGlobal int

const (
	globReconstruct pyGlobal = iota + 1 // numpy…multiarray._reconstruct
	globNdarray                         // numpy.ndarray
	globDtype                           // numpy.dtype
	globFromBuffer                      // numpy…numeric._frombuffer
	globEncode                          // _codecs.encode
	globScalar                          // numpy…multiarray.scalar
)

// allowedGlobals is the complete allow-list, by module and name: what
// numpy 1.x and 2.x write for arrays and scalars, and protocol 2's way of
// storing raw bytes.
var allowedGlobals = map[[2]string]pyGlobal{
	{"numpy.core.multiarray", "_reconstruct"}:  globReconstruct,
	{"numpy._core.multiarray", "_reconstruct"}: globReconstruct,
	{"numpy", "ndarray"}:                       globNdarray,
	{"numpy", "dtype"}:                         globDtype,
	{"numpy.core.numeric", "_frombuffer"}:      globFromBuffer,
	{"numpy._core.numeric", "_frombuffer"}:     globFromBuffer,
	{"_codecs", "encode"}:                      globEncode,
	{"numpy.core.multiarray", "scalar"}:        globScalar,
	{"numpy._core.multiarray", "scalar"}:       globScalar,
}

func lookupGlobal(module, name string) (pyGlobal, error) {
	if g, ok := allowedGlobals[[2]string{module, name}]; ok {
		return g, nil
	}
	full := module + "." + name
	if len(full) > 80 || strings.ContainsFunc(full, func(r rune) bool { return !unicode.IsPrint(r) }) {
		full = fmt.Sprintf("%.80q", full)
	}
	return 0, fmt.Errorf("refusing global %s: a recording may only name numpy array and scalar reconstructors", full)
}

func (g pyGlobal) String() string {
	switch g {
	case globReconstruct:
		return "numpy _reconstruct"
	case globNdarray:
		return "numpy.ndarray"
	case globDtype:
		return "numpy.dtype"
	case globFromBuffer:
		return "numpy _frombuffer"
	case globEncode:
		return "_codecs.encode"
	case globScalar:
		return "numpy scalar"
	}
	return "global"
}

// dtype is a numpy scalar type: kind 'f' (float), 'i' (signed) or 'u'
// (unsigned integer), size in bytes, byte order.
type dtype struct {
	kind      byte
	size      uint8
	bigEndian bool
}

// ndarray is a one-dimensional numpy array whose raw bytes point into the
// file; it holds len(raw)/dt.size values. An array made by _reconstruct
// has built == false until its BUILD. It is kept small: a recording holds
// one per section and frame.
type ndarray struct {
	raw   []byte
	dt    dtype
	built bool
}

// parseDtype reads a numpy type string such as "f8", "<f4" or ">i2".
func parseDtype(s string) (*dtype, error) {
	dt := &dtype{}
	if len(s) == 3 {
		switch s[0] {
		case '<', '|':
		case '>':
			dt.bigEndian = true
		default:
			return nil, fmt.Errorf("unsupported numpy dtype %q", s)
		}
		s = s[1:]
	}
	if len(s) != 2 {
		return nil, fmt.Errorf("unsupported numpy dtype %q", s)
	}
	dt.kind, dt.size = s[0], s[1]-'0'
	switch {
	case dt.kind == 'f' && (dt.size == 2 || dt.size == 4 || dt.size == 8):
	case (dt.kind == 'i' || dt.kind == 'u') && (dt.size == 1 || dt.size == 2 || dt.size == 4 || dt.size == 8):
	default:
		return nil, fmt.Errorf("unsupported numpy dtype %q (want float or integer)", s)
	}
	return dt, nil
}

// call runs one of the allowed globals on args (REDUCE), taking any
// bytes stored as text from lc.
func call(f, args any, lc *latin1Cache) (any, error) {
	g, ok := f.(pyGlobal)
	if !ok {
		return nil, fmt.Errorf("cannot call %s", describe(f))
	}
	t, ok := args.(*pyTuple)
	if !ok {
		return nil, fmt.Errorf("%v: arguments are %s, not a tuple", g, describe(args))
	}
	a := t.items
	switch g {
	case globReconstruct:
		// _reconstruct(ndarray, (0,), b'b'): an empty array, filled by BUILD.
		if len(a) != 3 || a[0] != globNdarray {
			return nil, fmt.Errorf("%v: expected (numpy.ndarray, shape, typecode)", g)
		}
		return &ndarray{}, nil
	case globDtype:
		if len(a) < 1 || len(a) > 3 {
			return nil, fmt.Errorf("numpy.dtype: %d arguments", len(a))
		}
		s, ok := a[0].(string)
		if !ok {
			return nil, fmt.Errorf("numpy.dtype: type is %s, not a str", describe(a[0]))
		}
		return parseDtype(s)
	case globFromBuffer:
		return fromBuffer(a)
	case globEncode:
		return latin1(a, lc)
	case globScalar:
		return scalar(a, lc)
	}
	return nil, fmt.Errorf("cannot call %v", g)
}

// fromBuffer implements _frombuffer(buffer, dtype, shape, order).
func fromBuffer(a []any) (*ndarray, error) {
	if len(a) != 4 {
		return nil, fmt.Errorf("_frombuffer: %d arguments, want 4", len(a))
	}
	raw, ok := a[0].(pyBytes)
	if !ok {
		return nil, fmt.Errorf("_frombuffer: buffer is %s", describe(a[0]))
	}
	dt, ok := a[1].(*dtype)
	if !ok {
		return nil, fmt.Errorf("_frombuffer: dtype is %s", describe(a[1]))
	}
	if o, ok := a[3].(string); !ok || (o != "C" && o != "F") {
		return nil, fmt.Errorf("_frombuffer: order must be 'C' or 'F'")
	}
	arr := &ndarray{}
	return arr, arr.fill(a[2], dt, raw)
}

// fill sets a _reconstruct or _frombuffer array's contents: a shape of one
// dimension whose length times the item size is exactly len(raw).
func (arr *ndarray) fill(shape any, dt *dtype, raw []byte) error {
	s, ok := shape.(*pyTuple)
	if !ok || len(s.items) != 1 {
		if ok {
			return fmt.Errorf("array has %d dimensions, want 1", len(s.items))
		}
		return fmt.Errorf("array shape is %s, not a tuple", describe(shape))
	}
	n, ok := s.items[0].(int64)
	if !ok || n < 0 {
		return fmt.Errorf("array length %s is not a non-negative int", describe(s.items[0]))
	}
	if uint64(len(raw))/uint64(dt.size) != uint64(n) || len(raw)%int(dt.size) != 0 {
		return fmt.Errorf("array claims %d values of %d bytes but holds %d bytes", n, dt.size, len(raw))
	}
	*arr = ndarray{dt: *dt, raw: raw, built: true}
	return nil
}

// build applies a BUILD state to a dtype or a _reconstruct array, taking
// bytes stored as text from lc.
func build(obj, state any, lc *latin1Cache) error {
	t, ok := state.(*pyTuple)
	if !ok {
		return fmt.Errorf("BUILD state of %s is %s, not a tuple", describe(obj), describe(state))
	}
	st := t.items
	switch o := obj.(type) {
	case *dtype:
		// (version, byteorder, subarray, names, fields, elsize, alignment, flags)
		if len(st) < 2 {
			return fmt.Errorf("numpy.dtype state too short")
		}
		switch st[1] {
		case "<", "|":
			o.bigEndian = false
		case ">":
			o.bigEndian = true
		default:
			return fmt.Errorf("numpy.dtype byte order %s unsupported", show(st[1]))
		}
		for _, v := range st[2:min(5, len(st))] {
			if v != nil {
				return fmt.Errorf("structured numpy dtypes are not supported")
			}
		}
		return nil
	case *ndarray:
		if o.built {
			return fmt.Errorf("numpy array built twice")
		}
		if len(st) == 5 { // (version, shape, dtype, is_fortran, data)
			st = st[1:]
		}
		if len(st) != 4 {
			return fmt.Errorf("numpy array state has %d items, want 4 or 5", len(st))
		}
		dt, ok := st[1].(*dtype)
		if !ok {
			return fmt.Errorf("numpy array dtype is %s", describe(st[1]))
		}
		var raw []byte
		switch d := st[3].(type) {
		case pyBytes:
			raw = d
		case string: // Python 2 str
			b, err := lc.bytes(d)
			if err != nil {
				return err
			}
			raw = b
		default:
			return fmt.Errorf("numpy array data is %s (object arrays are not supported)", describe(st[3]))
		}
		return o.fill(st[0], dt, raw)
	}
	return fmt.Errorf("cannot BUILD %s", describe(obj))
}

// latin1 implements _codecs.encode(text, 'latin1'), protocol 2's way of
// storing bytes: each code point 0–255 of text is one byte.
func latin1(a []any, lc *latin1Cache) (pyBytes, error) {
	if len(a) != 2 {
		return nil, fmt.Errorf("_codecs.encode: %d arguments, want 2", len(a))
	}
	s, ok1 := a[0].(string)
	enc, ok2 := a[1].(string)
	if !ok1 || !ok2 || (enc != "latin1" && enc != "latin-1") {
		return nil, fmt.Errorf("_codecs.encode: only (str, 'latin1') is supported")
	}
	return lc.bytes(s)
}

// latin1Cache converts the str values that protocol 2 and Python 2 use
// for raw bytes, each code point 0–255 one byte, charging b. A string
// that the memo hands out again and again is converted once and its
// bytes shared, so that converting costs no more than the file's own
// text: a string is known by where its bytes are, since every string the
// decoder makes is a fresh copy and the memo hands out that same copy.
type latin1Cache struct {
	b    *budget
	done map[latin1Key]pyBytes
}

// costLatin1Entry is what an entry of latin1Cache.done costs, with the
// map's spare room and its growth.
const costLatin1Entry = 128

type latin1Key struct {
	p *byte
	n int
}

func (lc *latin1Cache) bytes(s string) (pyBytes, error) {
	if s == "" {
		return pyBytes{}, nil
	}
	key := latin1Key{unsafe.StringData(s), len(s)}
	if b, ok := lc.done[key]; ok {
		return b, nil
	}
	n := utf8.RuneCountInString(s)
	if err := lc.b.spend(allocCost(int64(n)) + costLatin1Entry); err != nil {
		return nil, err
	}
	b := make(pyBytes, 0, n)
	for _, r := range s {
		if r > 0xff {
			return nil, fmt.Errorf("latin1 text holds code point U+%04X", r)
		}
		b = append(b, byte(r))
	}
	if lc.done == nil {
		lc.done = map[latin1Key]pyBytes{}
	}
	lc.done[key] = b
	return b, nil
}

// scalar implements numpy's multiarray.scalar(dtype, raw bytes): one number.
func scalar(a []any, lc *latin1Cache) (any, error) {
	if len(a) != 2 {
		return nil, fmt.Errorf("numpy scalar: %d arguments, want 2", len(a))
	}
	dt, ok := a[0].(*dtype)
	if !ok {
		return nil, fmt.Errorf("numpy scalar: dtype is %s", describe(a[0]))
	}
	var raw []byte
	switch d := a[1].(type) {
	case pyBytes:
		raw = d
	case string:
		if n := utf8.RuneCountInString(d); n != int(dt.size) {
			return nil, fmt.Errorf("numpy scalar: %d bytes for a %d-byte type", n, dt.size)
		}
		b, err := lc.bytes(d)
		if err != nil {
			return nil, err
		}
		raw = b
	default:
		return nil, fmt.Errorf("numpy scalar: data is %s", describe(a[1]))
	}
	if len(raw) != int(dt.size) {
		return nil, fmt.Errorf("numpy scalar: %d bytes for a %d-byte type", len(raw), dt.size)
	}
	if dt.kind == 'f' {
		return dt.float(raw), nil
	}
	if dt.kind == 'u' && dt.size == 8 && dt.order().Uint64(raw) > math.MaxInt64 {
		return nil, fmt.Errorf("numpy scalar: integer too large")
	}
	return dt.int(raw), nil
}

func (dt dtype) order() binary.ByteOrder {
	if dt.bigEndian {
		return binary.BigEndian
	}
	return binary.LittleEndian
}

// float decodes one value of type dt from b (len(b) == dt.size).
func (dt dtype) float(b []byte) float64 {
	if dt.kind != 'f' {
		if dt.kind == 'u' && dt.size == 8 {
			return float64(dt.order().Uint64(b))
		}
		return float64(dt.int(b))
	}
	o := dt.order()
	switch dt.size {
	case 2:
		return half(o.Uint16(b))
	case 4:
		return float64(math.Float32frombits(o.Uint32(b)))
	default:
		return math.Float64frombits(o.Uint64(b))
	}
}

// int decodes one integer of type dt from b (kind 'i' or 'u').
func (dt dtype) int(b []byte) int64 {
	o := dt.order()
	signed := dt.kind == 'i'
	switch dt.size {
	case 1:
		if signed {
			return int64(int8(b[0]))
		}
		return int64(b[0])
	case 2:
		if signed {
			return int64(int16(o.Uint16(b)))
		}
		return int64(o.Uint16(b))
	case 4:
		if signed {
			return int64(int32(o.Uint32(b)))
		}
		return int64(o.Uint32(b))
	default:
		return int64(o.Uint64(b))
	}
}

// half converts an IEEE 754 binary16 value to float64.
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp := int(h>>10) & 0x1f
	frac := float64(h & 0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(frac, -24)
	case 0x1f:
		if frac != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+frac, exp-25)
}

// aType names v's Python type with an article, for error messages.
func aType(v any) string {
	switch v := v.(type) {
	case nil:
		return "None"
	case bool:
		return "a bool"
	case int64:
		return "an int"
	case float64:
		return "a float"
	case string:
		return "a str"
	case pyBytes:
		return "a bytes object"
	case *pyList:
		return "a list"
	case *pyDict, *voltageTable:
		return "a dict"
	case *pyTuple:
		return "a tuple"
	case *ndarray:
		return "a numpy array"
	case *dtype:
		return "a numpy dtype"
	case pyGlobal:
		return "the global " + v.String()
	}
	return fmt.Sprintf("a %T", v)
}
