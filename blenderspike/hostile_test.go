package blenderspike

import (
	"bytes"
	"math"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

func TestDecodeBallAndStick(t *testing.T) {
	cell, rec, err := decode(encode(ballAndStick()))
	if err != nil {
		t.Fatal(err)
	}
	wantCell := &morph.Cell{Sections: []morph.Section{
		{ID: 0, Type: "soma", Parent: -1, Points: []morph.Point{{X: 1, Y: 2, Z: 3, Diam: 10}}},
		{ID: 1, Type: "axon", Parent: -1, Points: []morph.Point{{X: 1, Y: 2, Z: 3, Diam: 1}, {X: 1, Y: 102, Z: 3, Diam: 1}}},
	}}
	wantRec := &voltage.Recording{Frames: 2, Traces: []voltage.Trace{
		{NSeg: 1, Values: []float32{-65, -60}},
		{NSeg: 3, Values: []float32{-65, -64, -63, -30, -40, -50}},
	}, Variable: "v", Unit: "mV"}
	if !reflect.DeepEqual(cell, wantCell) {
		t.Errorf("cell = %+v", cell)
	}
	if !reflect.DeepEqual(rec, wantRec) {
		t.Errorf("recording = %+v", rec)
	}
}

func TestOptionalKeys(t *testing.T) {
	secs := ballAndStick()
	for i, s := range secs {
		secs[i] = s.set("name", pyStr([]string{"soma[0]", "axon[0]"}[i])).
			set("parent", pyInt([]int64{-1, 0}[i])).
			set("parent_x", pyFloat([]float64{0, 0.5}[i])).
			set("nseg", pyInt([]int64{1, 3}[i])).
			set("t_start", pyFloat(0)).
			set("t_stop", pyInt(10)).
			set("variable", pyStr("cai")).
			set("unit", pyStr("mM")).
			set("colour", pyStr("ignored"))
	}
	cell, rec, err := decode(encode(secs))
	if err != nil {
		t.Fatal(err)
	}
	s0, s1 := cell.Sections[0], cell.Sections[1]
	if s0.Name != "soma[0]" || s0.Parent != -1 || s1.Name != "axon[0]" || s1.Parent != 0 || s1.ParentX != 0.5 {
		t.Errorf("sections %+v %+v", s0, s1)
	}
	if !rec.HasTime || rec.TStart != 0 || rec.TStop != 10 {
		t.Errorf("time %v %v..%v", rec.HasTime, rec.TStart, rec.TStop)
	}
	if rec.Variable != "cai" || rec.Unit != "mM" {
		t.Errorf("variable %q in %q, want \"cai\" in \"mM\"", rec.Variable, rec.Unit)
	}
}

// TestVariableWithoutUnit reads a recording of a variable without a unit.
func TestVariableWithoutUnit(t *testing.T) {
	secs := setAll(setAll(ballAndStick(), "variable", pyStr("m_hh")), "unit", pyStr(""))
	_, rec, err := decode(encode(secs))
	if err != nil {
		t.Fatal(err)
	}
	if rec.Variable != "m_hh" || rec.Unit != "" {
		t.Errorf("variable %q in %q, want \"m_hh\" in \"\"", rec.Variable, rec.Unit)
	}
}

// TestNoGeometry reads a recording of a model without 3-D points, which
// BlenderSpike saves with X, Y, Z and DIAM empty: its sections have no
// points, for a morphology file to supply.
func TestNoGeometry(t *testing.T) {
	secs := setAll(setAll(setAll(setAll(ballAndStick(), "X", f8()), "Y", f8()), "Z", f8()), "DIAM", f8())
	cell, rec, err := decode(encode(secs))
	if err != nil {
		t.Fatal(err)
	}
	if len(cell.Sections) != 2 || len(cell.Sections[0].Points) != 0 || len(cell.Sections[1].Points) != 0 || rec.Frames != 2 {
		t.Errorf("cell %+v, %d frames", cell, rec.Frames)
	}
}

// TestRefusedRecordings covers wrong structure and wrong optional keys in
// otherwise valid pickles.
func TestRefusedRecordings(t *testing.T) {
	with := func(i int, key string, v val) []section {
		secs := ballAndStick()
		secs[i] = secs[i].set(key, v)
		return secs
	}
	without := func(i int, key string) []section {
		secs := ballAndStick()
		secs[i] = secs[i].without(key)
		return secs
	}
	allWith := func(key string, v ...val) []section {
		secs := ballAndStick()
		for i := range secs {
			secs[i] = secs[i].set(key, v[i])
		}
		return secs
	}
	for _, tc := range []struct {
		name string
		secs []section
		want string
	}{
		{"no sections", nil, "list of sections is empty"},
		{"missing ID", without(0, "ID"), `section 0: missing key "ID"`},
		{"missing type", without(1, "type"), `section 1: missing key "type"`},
		{"missing DIAM", without(1, "DIAM"), `section 1: missing key "DIAM"`},
		{"ID not int", with(1, "ID", pyStr("1")), `section 1: ID is a str "1", expected an int`},
		{"type not str", with(0, "type", pyInt(3)), "section 0: type is an int 3, expected a str"},
		{"X not array", with(1, "X", pyStr("x")), `section 1: X is a str "x", expected a numpy array`},
		{"Z shorter", with(1, "Z", f8(3)), "section 1: X, Y, Z and DIAM have different lengths (2, 2, 1, 2 points)"},
		{"NaN point", with(1, "Y", f8(0, math.NaN())), "section 1: Y[1] is NaN"},
		{"Inf diameter", with(0, "DIAM", f8(math.Inf(1))), "section 0: DIAM[0] is +Inf"},
		{"coordinate beyond float32", with(1, "Y", f8(1, 1e40)), "section 1: Y[1] is 1e+40, beyond float32 range"},
		{"largest float64 coordinate", with(1, "X", f8(1, 1e308)), "section 1: X[1] is 1e+308, beyond float32 range"},
		{"negative coordinate beyond float32", with(0, "Z", floatList(-3.5e38)), "section 0: Z[0] is -3.5e+38, beyond float32 range"},
		{"diameter beyond float32", with(0, "DIAM", f8(1e39)), "section 0: DIAM[0] is 1e+39, beyond float32 range"},
		{"point list holds a str", with(1, "X", func(p *pk) { p.op(opEmptyList, opMark).float(1).str("2").op(opAppends) }), `section 1: X item 1 is a str "2", not a number`},
		{"Voltage not dict", with(0, "Voltage", f8(1)), "section 0: Voltage is a numpy array, expected a dict"},
		{"no frames", with(0, "Voltage", frames()), "section 0: Voltage has no frames"},
		{"frame count differs", with(1, "Voltage", frames(f8(1, 2, 3))), "section 1: 1 frames, section 0 has 2"},
		{"frame length changes", with(1, "Voltage", frames(f8(1, 2, 3), f8(1, 2))), "section 1 frame 1: Voltage has 2 values, frame 0 has 3"},
		{"empty frame", with(1, "Voltage", frames(f8(), f8())), "section 1: Voltage entry 0 is empty"},
		{"frame key str", with(0, "Voltage", func(p *pk) { p.op(opEmptyDict).str("0").apply(f8(1)).op(opSetItem).int(1).apply(f8(1)).op(opSetItem) }), `section 0: Voltage key 0 is a str "0", expected an int frame number`},
		{"frame key twice", with(0, "Voltage", func(p *pk) { p.op(opEmptyDict).int(1).apply(f8(1)).op(opSetItem).int(1).apply(f8(1)).op(opSetItem) }), "section 0: Voltage frame 1 appears twice"},
		{"frames 1 and 2", with(0, "Voltage", func(p *pk) { p.op(opEmptyDict).int(1).apply(f8(1)).op(opSetItem).int(2).apply(f8(1)).op(opSetItem) }), "section 0: Voltage frames are not 0…1: frame 0 is missing (found frame 2)"},
		{"NaN voltage", with(1, "Voltage", frames(f8(1, 2, 3), f8(1, math.NaN(), 3))), "section 1 frame 1: Voltage segment 1 is NaN"},
		{"-Inf voltage", with(0, "Voltage", frames(f8(math.Inf(-1)), f8(1))), "section 0 frame 0: Voltage segment 0 is -Inf"},
		{"voltage beyond float32", with(0, "Voltage", frames(f8(1), f8(1e39))), "section 0 frame 1: Voltage segment 0 is 1e+39, beyond float32 range"},
		{"optional key on one section", with(0, "name", pyStr("soma")), `section 1: missing key "name" that section 0 has`},
		{"optional key on a later section", with(1, "nseg", pyInt(3)), `section 1: has key "nseg" but section 0 has not`},
		{"parent out of range", allWith("parent", pyInt(-1), pyInt(2)), "section 1: parent must be -1 or the index of another of the 2 sections, not 2"},
		{"parent is itself", allWith("parent", pyInt(-1), pyInt(1)), "section 1: parent must be -1 or the index of another"},
		{"parent not int", allWith("parent", pyInt(-1), pyFloat(0)), "section 1: parent must be -1 or the index of another of the 2 sections, not 0"},
		{"parent cycle", allWith("parent", pyInt(1), pyInt(0)), "parent links form a cycle"},
		{"parent_x above 1", allWith("parent_x", pyFloat(0), pyFloat(1.5)), "section 1: parent_x must be a number in [0, 1], not 1.5"},
		{"parent_x NaN", allWith("parent_x", pyFloat(0), pyFloat(math.NaN())), "section 1: parent_x must be a number in [0, 1]"},
		{"nseg wrong", allWith("nseg", pyInt(1), pyInt(4)), "section 1: nseg is 4 but Voltage holds 3 values per frame"},
		{"t_start alone", allWith("t_start", pyFloat(0), pyFloat(0)), "t_start and t_stop must be given together"},
		{"t_stop before t_start", setAll(allWith("t_stop", pyFloat(5), pyFloat(5)), "t_start", pyFloat(5)), "t_start 5 and t_stop 5 must be finite numbers with t_start < t_stop"},
		{"time differs", setAll(allWith("t_stop", pyFloat(10), pyFloat(20)), "t_start", pyFloat(0)), "section 1: t_start/t_stop 0/20 differ from section 0's 0/10"},
		{"variable alone", allWith("variable", pyStr("v"), pyStr("v")), "section 0: variable and unit must be given together"},
		{"unit alone", allWith("unit", pyStr("mV"), pyStr("mV")), "section 0: variable and unit must be given together"},
		{"variable on one section", setAll(with(0, "variable", pyStr("cai")), "unit", pyStr("mM")), `section 1: missing key "variable" that section 0 has`},
		{"variable differs", setAll(allWith("variable", pyStr("cai"), pyStr("v")), "unit", pyStr("mM")), `section 1: variable "v" in "mM" differs from section 0's "cai" in "mM"`},
		{"unit differs", setAll(allWith("unit", pyStr("mV"), pyStr("V")), "variable", pyStr("v")), `section 1: variable "v" in "V" differs from section 0's "v" in "mV"`},
		{"variable empty", setAll(allWith("variable", pyStr(""), pyStr("")), "unit", pyStr("mV")), `section 0: variable must be a str naming the recorded range variable, not a str ""`},
		{"variable not str", setAll(allWith("variable", pyInt(1), pyInt(1)), "unit", pyStr("mV")), "section 0: variable must be a str naming the recorded range variable, not an int 1"},
		{"variable with a newline", setAll(allWith("variable", pyStr("v"), pyStr("v\nx")), "unit", pyStr("mV")), `section 1: variable must be a str naming the recorded range variable, not a str "v\nx"`},
		{"unit not str", setAll(allWith("unit", pyStr("mV"), pyFloat(1)), "variable", pyStr("v")), "section 1: unit must be a str, not a float 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := decode(encode(tc.secs))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestFloat32Limits reads values at the very ends of float32's range,
// which fit what the reader stores.
func TestFloat32Limits(t *testing.T) {
	secs := ballAndStick()
	secs[1] = secs[1].set("X", f8(math.MaxFloat32, -math.MaxFloat32)).set("Voltage", frames(f8(-math.MaxFloat32, 0, 1), f8(math.MaxFloat32, 0, 1)))
	cell, rec, err := decode(encode(secs))
	if err != nil {
		t.Fatal(err)
	}
	if p := cell.Sections[1].Points; p[0].X != math.MaxFloat32 || p[1].X != -math.MaxFloat32 {
		t.Errorf("points %v", p)
	}
	if v := rec.Traces[1].Values; v[0] != -math.MaxFloat32 || v[3] != math.MaxFloat32 {
		t.Errorf("voltages %v", v)
	}
}

// setAll sets key to v on every section.
func setAll(secs []section, key string, v val) []section {
	out := make([]section, len(secs))
	for i, s := range secs {
		out[i] = s.set(key, v)
	}
	return out
}

func (p *pk) apply(v val) *pk { v(p); return p }

func TestRefusesSharedSection(t *testing.T) {
	_, _, err := decode(sectionTwice())
	if want := "section 1 is the same dict as section 0"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// sectionTwice is a list whose two items are the same section dict.
func sectionTwice() []byte {
	p := newPickle().op(opEmptyList, opMark, opEmptyDict, opMemoize, opMark)
	for _, e := range ballAndStick()[0] {
		p.str(e.key)
		e.val(p)
	}
	return p.op(opSetItems, opBinGet, 0, opAppends).stop()
}

// unbuiltArray is a numpy array made by _reconstruct and never given its
// BUILD state.
func unbuiltArray(p *pk) { p.reconstruct() }

// allocated reports the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// sharedFrames is a recording whose one section has n frames that all
// refer to the same memoized array of m values: n×m values claimed by a
// file of about 10n + 8m bytes.
func sharedFrames(n, m int) []byte {
	p := newPickle().op(opEmptyList, opEmptyDict, opMark)
	for _, e := range ballAndStick()[0].without("Voltage") {
		p.str(e.key)
		e.val(p)
	}
	vals := make([]float64, m)
	p.str("Voltage").op(opEmptyDict).int(0).reconstruct().op(opMemoize).arrayState("f8", "<", f8raw(vals...), int64(m)).op(opSetItem)
	for f := 1; f < n; f++ {
		p.op(opMark).int(int64(f)).op(opLongBinGet).u32(0).op(opSetItems)
	}
	return p.op(opSetItems, opAppend).stop()
}

// nested repeats unit n times between head and tail.
func nested(head []byte, unit []byte, n int, tail ...byte) []byte {
	b := append([]byte{opProto, 4}, head...)
	b = append(b, bytes.Repeat(unit, n)...)
	return append(b, tail...)
}

// TestRefusedPickles covers hostile and malformed pickles: each is refused
// with the error named, without allocating much more than its own size.
func TestRefusedPickles(t *testing.T) {
	huge := func(op byte, lenBytes int) []byte {
		p := newPickle().op(op)
		switch lenBytes {
		case 4:
			p.u32(math.MaxUint32)
		case 8:
			p.u64(math.MaxUint64)
		}
		return p.op(1, 2, 3).b
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"eval via STACK_GLOBAL", newPickle().global("builtins", "eval").str("1").op(opTuple1, opReduce).stop(), "refusing global builtins.eval"},
		{"subprocess via GLOBAL", newPickle().op(opGlobal).op([]byte("subprocess\nPopen\n")...).stop(), "refusing global subprocess.Popen"},
		{"global name with a newline", newPickle().global("os", "sys\ntem").stop(), `refusing global "os.sys\ntem"`},
		{"numpy.load", newPickle().global("numpy", "load").stop(), "refusing global numpy.load"},
		{"global after data", newPickle().op(opEmptyList).global("os", "system").op(opAppend).stop(), "refusing global os.system"},
		{"global name from memo", newPickle().str("posix").op(opMemoize, 0x30).op(opBinGet, 0).str("system").op(opStackGlobal).stop(), "refusing global posix.system"},
		{"global name not a str", newPickle().int(1).str("x").op(opStackGlobal).stop(), "module and name are not strings"},
		{"unterminated GLOBAL", newPickle().op(opGlobal).op([]byte("numpy dtype")...).b, "unterminated"},
		{"protocol 0", []byte("(lp0\n."), "no PROTO header"},
		{"protocol 6", []byte{opProto, 6, opNone, opStop}, "unsupported pickle protocol 6"},
		{"persistent id", newPickle().op('Q').stop(), "unsupported opcode"},
		{"NEWOBJ", newPickle().op(0x81).stop(), "unsupported opcode"},
		{"out-of-band buffer", newPickle().op(0x97).stop(), "unsupported opcode"},
		{"BINBYTES of 4 GiB", huge(opBinBytes, 4), "truncated"},
		{"BINUNICODE of 4 GiB", huge(opBinUnicode, 4), "truncated"},
		{"BYTEARRAY8 of 2^64", huge(opByteArray8, 8), "truncated"},
		{"BINBYTES8 of 2^64", huge(opBinBytes8, 8), "truncated"},
		{"FRAME of 2^64", huge(opFrame, 8), "truncated"},
		{"LONG1 of 255 bytes", append(newPickle().op(opLong1, 255).b, make([]byte, 255)...), "integer of 255 bytes is too large"},
		{"no STOP", newPickle().op(opNone).b, "no STOP"},
		{"trailing data", append(newPickle().op(opNone).stop(), 'N'), "trailing data after STOP"},
		{"two values at STOP", newPickle().op(opNone, opNone).stop(), "2 values"},
		{"open MARK at STOP", newPickle().op(opNone, opMark).stop(), "open marks"},
		{"empty stack", newPickle().op(opAppend).stop(), "stack underflow"},
		{"APPEND below MARK", newPickle().op(opEmptyList, opMark, opNone, opAppend, opAppend).stop(), "stack underflow"},
		{"APPENDS without MARK", newPickle().op(opEmptyList, opAppends).stop(), "no MARK"},
		{"odd SETITEMS", newPickle().op(opEmptyDict, opMark, opNone, opSetItems).stop(), "odd number of values"},
		{"APPEND to a dict", newPickle().op(opEmptyDict, opNone, opAppend).stop(), "cannot append to a dict"},
		{"SETITEM on a list", newPickle().op(opEmptyList, opNone, opNone, opSetItem).stop(), "cannot set items of a list"},
		{"memo slot skipped", newPickle().op(opNone, opBinPut, 5).stop(), "memo slot 5 out of order"},
		{"memo slot stored twice", newPickle().op(opEmptyList, opBinPut, 0, opNone, opBinPut, 0, opAppend).stop(), "memo slot 0 stored twice"},
		{"MEMOIZE twice", newPickle().str("x").op(opMemoize, opMemoize).stop(), "memo put of a value the previous opcode did not make"},
		{"MEMOIZE after BINGET", newPickle().op(opEmptyList, opMemoize, opBinGet, 0, opMemoize).stop(), "memo put of a value the previous opcode did not make"},
		{"MEMOIZE after APPEND", newPickle().op(opEmptyList, opNone, opAppend, opMemoize).stop(), "memo put of a value the previous opcode did not make"},
		{"MEMOIZE after POP", newPickle().op(opNone, opNone, opPop, opMemoize).stop(), "memo put of a value the previous opcode did not make"},
		{"PROTO after the header", newPickle().op(opProto, 4, opNone).stop(), "(PROTO): unsupported opcode"},
		{"memo slot unset", newPickle().op(opBinGet, 0).stop(), "memo slot 0 was never stored"},
		{"invalid UTF-8", newPickle().op(opShortBinUnicode, 1, 0xff).stop(), "not valid UTF-8"},
		{"call a list", newPickle().op(opEmptyList, opEmptyTuple, opReduce).stop(), "cannot call a list"},
		{"call ndarray", newPickle().global("numpy", "ndarray").op(opEmptyTuple, opReduce).stop(), "cannot call numpy.ndarray"},
		{"reconstruct a list", newPickle().global("numpy.core.multiarray", "_reconstruct").op(opEmptyList).int(0).op(opTuple1).bytes([]byte("b")).op(opTuple3, opReduce).stop(), "expected (numpy.ndarray, shape, typecode)"},
		{"BUILD an int", newPickle().int(1).op(opEmptyTuple, opBuild).stop(), "cannot BUILD an int"},
		{"object dtype", newPickle().dtype("O8", "|").stop(), `unsupported numpy dtype "O8"`},
		{"complex dtype", newPickle().dtype("c16", "<").stop(), `unsupported numpy dtype "c16"`},
		{"native byte order", newPickle().dtype("f8", "=").stop(), `byte order "=" unsupported`},
		{"structured dtype", newPickle().global("numpy", "dtype").str("V8").op(opNewFalse, opNewTrue, opTuple3, opReduce).stop(), `unsupported numpy dtype "V8"`},
		{"array claims more than it holds", newPickle().array("f8", "<", make([]byte, 8), 1<<40).stop(), "array claims 1099511627776 values of 8 bytes but holds 8 bytes"},
		{"array of two dimensions", newPickle().global("numpy.core.numeric", "_frombuffer").op(opMark).bytes(make([]byte, 32)).dtype("f8", "<").int(2).int(2).op(opTuple2).str("C").op(opTuple, opReduce).stop(), "array has 2 dimensions, want 1"},
		{"array built twice", newPickle().array("f8", "<", make([]byte, 8), 1).op(opMark).int(1).int(1).op(opTuple1).dtype("f8", "<").op(opNewFalse).bytes(make([]byte, 8)).op(opTuple, opBuild).stop(), "numpy array built twice"},
		{"array without BUILD", encode(setAll(ballAndStick(), "X", unbuiltArray)), "section 0: X numpy array has no data"},
		{"object array data", newPickle().global("numpy.core.multiarray", "_reconstruct").global("numpy", "ndarray").int(0).op(opTuple1).bytes([]byte("b")).op(opTuple3, opReduce).op(opMark).int(1).int(1).op(opTuple1).dtype("f8", "<").op(opNewFalse, opEmptyList, opTuple, opBuild).stop(), "object arrays are not supported"},
		{"latin1 beyond U+00FF", newPickle().global("_codecs", "encode").str("€").str("latin1").op(opTuple2, opReduce).stop(), "latin1 text holds code point U+20AC"},
		{"other codec", newPickle().global("_codecs", "encode").str("a").str("rot13").op(opTuple2, opReduce).stop(), "only (str, 'latin1')"},
		{"top level int", newPickle().int(7).stop(), "top level is an int 7, expected a list of sections"},
		{"top level None", newPickle().op(opNone).stop(), "top level is None"},
		{"section is a list", newPickle().op(opEmptyList, opEmptyList, opAppend).stop(), "section 0 is a list, expected a dict"},
		{"MARKs nested deep", nested(nil, []byte{opMark}, 1<<20, opStop), "nested deeper than 4096 MARKs"},
		{"stack very deep", nested(nil, []byte{opNone}, 1<<21, opStop), "stack deeper than 262144 values"},
		{"lists nested", nested(bytes.Repeat([]byte{opEmptyList}, 1<<12), []byte{opAppend}, 1<<12-1, opStop), "section 0 is a list, expected a dict"},
		{"tuples nested", nested([]byte{opEmptyTuple}, []byte{opTuple1}, 1<<12, opStop), "top level is a tuple"},
		// Each empty list or tuple costs far more than its one byte.
		{"lists nested deep", nested(bytes.Repeat([]byte{opEmptyList}, 1<<18), []byte{opAppend}, 1<<18-1, opStop), "decoding needs more than"},
		{"tuples nested deep", nested([]byte{opEmptyTuple}, []byte{opTuple1}, 1<<20, opStop), "decoding needs more than"},
		{"shared frames", sharedFrames(20000, 1000), "claims more values than a file of its size can hold"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, _, err = decode(tc.data) })
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			if limit := 64*uint64(len(tc.data)) + 1<<16; n > limit {
				t.Errorf("allocated %d bytes for a %d-byte input", n, len(tc.data))
			}
		})
	}
}
