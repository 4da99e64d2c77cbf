package blenderspike

import (
	"encoding/binary"
	"math"
	"reflect"
	"testing"
)

// TestDtypes decodes one array of every supported dtype and byte order.
func TestDtypes(t *testing.T) {
	be, le := binary.BigEndian, binary.LittleEndian
	for _, tc := range []struct {
		typ, order string
		raw        []byte
		want       []float64
	}{
		{"f8", "<", le.AppendUint64(nil, math.Float64bits(-65.25)), []float64{-65.25}},
		{"f8", ">", be.AppendUint64(nil, math.Float64bits(-65.25)), []float64{-65.25}},
		{"f4", "<", le.AppendUint32(le.AppendUint32(nil, math.Float32bits(1.5)), math.Float32bits(-2)), []float64{1.5, -2}},
		{"f4", ">", be.AppendUint32(nil, math.Float32bits(-70.125)), []float64{-70.125}},
		{"f2", "<", []byte{0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x38}, []float64{1, -2, 65504, math.Ldexp(1, -24), 0.5}},
		{"f2", ">", []byte{0xd4, 0x10}, []float64{-65}},
		{"i1", "|", []byte{0xbf, 0x7f}, []float64{-65, 127}},
		{"u1", "|", []byte{0xff, 0}, []float64{255, 0}},
		{"i2", "<", []byte{0xbf, 0xff}, []float64{-65}},
		{"i2", ">", []byte{0xff, 0xbf}, []float64{-65}},
		{"u2", ">", []byte{0xff, 0xbf}, []float64{65471}},
		{"i4", "<", le.AppendUint32(nil, uint32(0xffffffbf)), []float64{-65}},
		{"u4", "<", le.AppendUint32(nil, math.MaxUint32), []float64{math.MaxUint32}},
		{"i8", ">", be.AppendUint64(nil, uint64(0xffffffffffffffbf)), []float64{-65}},
		{"u8", "<", le.AppendUint64(nil, math.MaxUint64), []float64{math.MaxUint64}},
		{"<f8", "<", le.AppendUint64(nil, math.Float64bits(3)), []float64{3}},
	} {
		t.Run(tc.typ+tc.order, func(t *testing.T) {
			size := len(tc.raw) / len(tc.want)
			data := newPickle().array(tc.typ, tc.order, tc.raw, int64(len(tc.raw)/size)).stop()
			b := newBudget(int64(len(data)))
			pl, err := prescan(data, b)
			if err != nil {
				t.Fatal(err)
			}
			v, err := decodePickle(data, pl, b)
			if err != nil {
				t.Fatal(err)
			}
			nums, err := asNumbers(v)
			if err != nil {
				t.Fatal(err)
			}
			got := make([]float64, nums.len())
			if err := nums.decode(got); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestHalf(t *testing.T) {
	for h, want := range map[uint16]float64{
		0x0000: 0, 0x8000: math.Copysign(0, -1), 0x3c00: 1, 0x3555: 0.333251953125,
		0x0400: math.Ldexp(1, -14), 0x03ff: math.Ldexp(1023, -24), 0x7c00: math.Inf(1), 0xfc00: math.Inf(-1),
	} {
		if got := half(h); got != want || math.Signbit(got) != math.Signbit(want) {
			t.Errorf("half(%#04x) = %v, want %v", h, got, want)
		}
	}
	if !math.IsNaN(half(0x7e00)) {
		t.Errorf("half(0x7e00) is not NaN")
	}
}

// TestEncodingsAgree writes the same recording with every array encoding
// and checks that all decode to the same numbers.
func TestEncodingsAgree(t *testing.T) {
	want, wantRec, err := decode(encode(ballAndStick()))
	if err != nil {
		t.Fatal(err)
	}
	secs := ballAndStick()
	secs[0] = secs[0].set("X", scalarList(1)).set("Y", intList(2)).set("Z", floatList(3)).set("DIAM", py2StrArray(10)).
		set("ID", func(p *pk) {
			p.global("numpy.core.multiarray", "scalar").dtype("i8", "<").bytes(make([]byte, 8)).op(opTuple2, opReduce)
		})
	secs[1] = secs[1].set("Voltage", frames(fromBufferF4BE(-65, -64, -63), latin1Array(-30, -40, -50)))
	cell, rec, err := decode(encode(secs))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cell, want) || !reflect.DeepEqual(rec, wantRec) {
		t.Errorf("got %+v %+v, want %+v %+v", cell, rec, want, wantRec)
	}
}
