package hdf5

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
)

// Kind is the kind of values a dataset or attribute holds.
type Kind int

const (
	// Other is a type this package does not read: compound, array,
	// reference, opaque, bit field, time, or a non-IEEE float.
	Other Kind = iota
	// Integer is a signed or unsigned integer of 1, 2, 4 or 8 bytes
	// (enumerations and booleans read as their integer values).
	Integer
	// Float is an IEEE float of 2, 4 or 8 bytes.
	Float
	// String is a fixed-length string.
	String
	// VarString is a variable-length string.
	VarString
)

// DType describes the elements of a dataset or attribute.
type DType struct {
	Kind Kind
	// Size is the bytes per element as stored; for a variable-length
	// string, the size of its reference to the string.
	Size int
	// Signed tells signed from unsigned integers.
	Signed bool
	// BigEndian is the byte order of integers and floats.
	BigEndian bool
}

// String names the type: int32, uint8, float64 (">float64" when
// big-endian), S12 for a fixed-length string of 12 bytes, str for a
// variable-length string.
func (t DType) String() string {
	order := ""
	if t.BigEndian {
		order = ">"
	}
	switch t.Kind {
	case Integer:
		name := "int"
		if !t.Signed {
			name = "uint"
		}
		return order + name + strconv.Itoa(8*t.Size)
	case Float:
		return order + "float" + strconv.Itoa(8*t.Size)
	case String:
		return "S" + strconv.Itoa(t.Size)
	case VarString:
		return "str"
	}
	return "unsupported(" + strconv.Itoa(t.Size) + " bytes)"
}

// Datatype classes.
const (
	classFixed    = 0
	classFloat    = 1
	classString   = 3
	classEnum     = 8
	classVariable = 9
)

var classNames = map[int]string{
	2: "time", 4: "bit field", 5: "opaque", 6: "compound", 7: "reference", 10: "array",
}

// datatype is a decoded datatype message.
type datatype struct {
	DType
	pad        int   // string padding: 0 null-terminated, 1 null-padded, 2 space-padded
	unreadable error // why values of an Other type cannot be read
}

// maxTypeNesting bounds how deeply enumerations and variable-length types
// may nest.
const maxTypeNesting = 8

// parseDatatype decodes a datatype message.
func (f *File) parseDatatype(p []byte) (*datatype, error) {
	t, err := f.parseType(p, 0)
	if err != nil {
		return nil, fmt.Errorf("datatype: %w", err)
	}
	return t, nil
}

func (f *File) parseType(p []byte, depth int) (*datatype, error) {
	if depth > maxTypeNesting {
		return nil, fmt.Errorf("types nested more than %d deep", maxTypeNesting)
	}
	d := f.decoder(p)
	head := d.u8()
	class, version := int(head&0x0f), head>>4
	b0, b1 := d.u8(), d.u8()
	d.u8()
	size := d.u32()
	if d.err != nil {
		return nil, d.err
	}
	if version < 1 || version > 5 {
		return nil, fmt.Errorf("version %d: %w", version, ErrUnsupported)
	}
	if size == 0 || size > 1<<20 {
		return nil, fmt.Errorf("element size %d", size)
	}
	t := &datatype{DType: DType{Size: int(size)}}
	switch class {
	case classFixed:
		t.Kind = Integer
		t.BigEndian = b0&1 != 0
		t.Signed = b0&8 != 0
		offset, precision := d.u16(), d.u16()
		if d.err != nil {
			return nil, d.err
		}
		if offset != 0 || int(precision) != 8*t.Size || !validIntSize(t.Size) {
			t.unsupported(fmt.Sprintf("integer of %d bits at bit %d in %d bytes", precision, offset, t.Size))
		}
	case classFloat:
		t.Kind = Float
		t.BigEndian = b0&1 != 0
		if b0&0x40 != 0 {
			t.unsupported("VAX float")
			break
		}
		t.checkIEEE(d, b0, b1)
	case classString:
		t.Kind = String
		t.pad = int(b0 & 0x0f)
	case classEnum:
		base, err := f.parseType(p[8:], depth+1)
		if err != nil {
			return nil, fmt.Errorf("enumeration: %w", err)
		}
		if base.Kind != Integer || base.Size != t.Size {
			t.unsupported("enumeration of " + base.String())
			break
		}
		t.DType, t.unreadable = base.DType, base.unreadable
	case classVariable:
		base, err := f.parseType(p[8:], depth+1)
		if err != nil {
			return nil, fmt.Errorf("variable-length type: %w", err)
		}
		switch {
		case b0&0x0f != 1:
			t.unsupported("variable-length sequence of " + base.String())
		case t.Size != 8+f.offSize:
			return nil, fmt.Errorf("variable-length string of %d bytes", t.Size)
		default:
			t.Kind = VarString
		}
	default:
		name := classNames[class]
		if name == "" {
			return nil, fmt.Errorf("datatype class %d", class)
		}
		t.unsupported(name)
	}
	return t, nil
}

func validIntSize(n int) bool { return n == 1 || n == 2 || n == 4 || n == 8 }

func (t *datatype) unsupported(what string) {
	t.Kind = Other
	t.unreadable = fmt.Errorf("values of type %s: %w", what, ErrUnsupported)
}

// ieee lists the float layouts this package reads: for each size, the
// exponent's position and width, the mantissa's width and the bias.
var ieee = map[int][4]int{
	2: {10, 5, 10, 15},
	4: {23, 8, 23, 127},
	8: {52, 11, 52, 1023},
}

// checkIEEE accepts only IEEE binary16/32/64 layouts.
func (t *datatype) checkIEEE(d *decoder, b0, b1 uint8) {
	offset, precision := d.u16(), d.u16()
	expLoc, expSize, mantLoc, mantSize := d.u8(), d.u8(), d.u8(), d.u8()
	bias := d.u32()
	want, ok := ieee[t.Size]
	got := [4]int{int(expLoc), int(expSize), int(mantSize), int(bias)}
	if d.err != nil || !ok || got != want || offset != 0 || int(precision) != 8*t.Size ||
		mantLoc != 0 || int(b1) != 8*t.Size-1 || b0>>4&3 != 2 {
		t.unsupported(fmt.Sprintf("non-IEEE float of %d bytes", t.Size))
	}
}

// uintAt decodes element i of raw, an Integer or a Float (of 1, 2, 4 or
// 8 bytes), as an unsigned integer.
func (t *datatype) uintAt(raw []byte, i int) uint64 {
	var order binary.ByteOrder = binary.LittleEndian
	if t.BigEndian {
		order = binary.BigEndian
	}
	switch p := raw[i*t.Size:]; t.Size {
	case 1:
		return uint64(p[0])
	case 2:
		return uint64(order.Uint16(p))
	case 4:
		return uint64(order.Uint32(p))
	default:
		return order.Uint64(p)
	}
}

// intAt decodes element i of an Integer as int64 and, for unsigned
// values above the int64 range, reports !ok.
func (t *datatype) intAt(raw []byte, i int) (v int64, ok bool) {
	u := t.uintAt(raw, i)
	bits := uint(8 * t.Size)
	if t.Signed {
		return int64(u<<(64-bits)) >> (64 - bits), true
	}
	return int64(u), u <= math.MaxInt64
}

// floatAt decodes element i of a Float as float64.
func (t *datatype) floatAt(raw []byte, i int) float64 {
	u := t.uintAt(raw, i)
	switch t.Size {
	case 2:
		return half(uint16(u))
	case 4:
		return float64(math.Float32frombits(uint32(u)))
	}
	return math.Float64frombits(u)
}

// half converts an IEEE binary16 value.
func half(h uint16) float64 {
	sign := 1.0
	if h&0x8000 != 0 {
		sign = -1
	}
	exp, mant := int(h>>10&0x1f), float64(h&0x3ff)
	switch exp {
	case 0:
		return sign * math.Ldexp(mant, -24)
	case 0x1f:
		if mant != 0 {
			return math.NaN()
		}
		return math.Inf(int(sign))
	}
	return sign * math.Ldexp(1024+mant, exp-25)
}

// checkNumeric refuses types that are not numbers.
func (t *datatype) checkNumeric() error {
	switch t.Kind {
	case Integer, Float:
		return nil
	case Other:
		return t.unreadable
	}
	return fmt.Errorf("%s values are not numbers", t.DType)
}

// float64s decodes n numbers.
func (t *datatype) float64s(raw []byte, n int) ([]float64, error) {
	if err := t.checkNumeric(); err != nil {
		return nil, err
	}
	out := make([]float64, n)
	for i := range out {
		if t.Kind == Float {
			out[i] = t.floatAt(raw, i)
		} else if t.Signed {
			v, _ := t.intAt(raw, i)
			out[i] = float64(v)
		} else {
			out[i] = float64(t.uintAt(raw, i))
		}
	}
	return out, nil
}

// float32s decodes n numbers, rounded to float32.
func (t *datatype) float32s(raw []byte, n int) ([]float32, error) {
	if t.Kind == Float && t.Size == 4 {
		out := make([]float32, n)
		var order binary.ByteOrder = binary.LittleEndian
		if t.BigEndian {
			order = binary.BigEndian
		}
		for i := range out {
			out[i] = math.Float32frombits(order.Uint32(raw[4*i:]))
		}
		return out, nil
	}
	wide, err := t.float64s(raw, n)
	if err != nil {
		return nil, err
	}
	out := make([]float32, n)
	for i, v := range wide {
		out[i] = float32(v)
	}
	return out, nil
}

// int64s decodes n integers.
func (t *datatype) int64s(raw []byte, n int) ([]int64, error) {
	if err := t.checkNumeric(); err != nil {
		return nil, err
	}
	if t.Kind != Integer {
		return nil, fmt.Errorf("%s values are not integers", t.DType)
	}
	out := make([]int64, n)
	for i := range out {
		v, ok := t.intAt(raw, i)
		if !ok {
			return nil, fmt.Errorf("element %d: %d does not fit in an int64", i, t.uintAt(raw, i))
		}
		out[i] = v
	}
	return out, nil
}

// fixedStrings decodes n fixed-length strings, without their padding.
func (t *datatype) fixedStrings(raw []byte, n int) []string {
	out := make([]string, n)
	for i := range out {
		s := raw[i*t.Size : (i+1)*t.Size]
		switch t.pad {
		case 0:
			if j := bytes.IndexByte(s, 0); j >= 0 {
				s = s[:j]
			}
		case 1:
			s = bytes.TrimRight(s, "\x00")
		case 2:
			s = bytes.TrimRight(s, " ")
		}
		out[i] = string(s)
	}
	return out
}
