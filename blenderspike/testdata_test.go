package blenderspike

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/spikeframes/spikeframes/atomicfile"
)

var update = flag.Bool("update", false, "rewrite testdata/variants and testdata/bad from simple_ap.pickle")

// TestTestdataCurrent checks that testdata/variants and testdata/bad hold
// exactly what testdataFiles makes from simple_ap.pickle; with -update
// (go run gen_testdata.go) it writes them.
func TestTestdataCurrent(t *testing.T) {
	orig, err := os.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	files, err := testdataFiles(orig)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		path := filepath.Join("..", "testdata", name)
		if *update {
			if err := atomicfile.Write(path, func(w io.Writer) error { _, err := w.Write(files[name]); return err }); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, files[name]) {
			t.Errorf("%s (%d bytes) is not what the generator writes (%d bytes): regenerate with go run gen_testdata.go", name, len(got), len(files[name]))
		}
	}
	// Every file is generated but a PNG that Python's zlib compressed:
	// Go's deflate compresses the same pixels to other bytes.
	for _, dir := range []string{"variants", "bad"} {
		found, err := filepath.Glob(filepath.Join("..", "testdata", dir, "*.pickle"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range found {
			if name := dir + "/" + filepath.Base(path); files[name] == nil && name != "bad/png_bytes.pickle" {
				t.Errorf("the generator does not write %s", name)
			}
		}
	}
}

// testdataFiles makes the files of testdata/variants and testdata/bad,
// by name, from orig (simple_ap.pickle): each is what Python 3.11 and
// numpy 1.24 write after loading orig and changing what its name says
// (the variants listed in testdata/README.md).
func testdataFiles(orig []byte) (map[string][]byte, error) {
	if _, err := loadPickle(newWorld(), orig); err != nil {
		return nil, err
	}
	// load returns a fresh copy of the recording, as pickle.load makes it.
	load := func() (*pyWorld, []*wDict) {
		w := newWorld()
		v, _ := loadPickle(w, orig)
		var secs []*wDict
		for _, s := range v.(*wList).items {
			secs = append(secs, s.(*wDict))
		}
		return w, secs
	}
	list := func(secs []*wDict) *wList {
		l := &wList{}
		for _, s := range secs {
			l.items = append(l.items, s)
		}
		return l
	}
	files := map[string][]byte{}
	w, secs := load()
	for _, p := range []int{2, 3, 4, 5} {
		files[fmt.Sprintf("variants/simple_ap_p%d.pickle", p)] = dumps(w, list(secs), p, false)
	}
	files["variants/simple_ap_numpy2_p4.pickle"] = dumps(w, list(secs), 4, true)
	files["variants/simple_ap_numpy2_p5.pickle"] = dumps(w, list(secs), 5, true)

	// The axon's voltages as save_pickle stores them: column views of
	// one frames × nseg array, which protocol 5 cannot take as a buffer.
	w, secs = load()
	for _, a := range voltages(secs[1]).vals {
		a.(*wArray).contiguous = false
	}
	files["variants/simple_ap_p5_py314.pickle"] = dumps(w, list(secs), 5, false)

	w, secs = load()
	for _, s := range secs {
		mapArrays(s, func(a *wArray) any {
			l := &wList{}
			for _, x := range floats(a) {
				l.items = append(l.items, x)
			}
			return l
		})
	}
	files["variants/simple_ap_lists.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	for _, s := range secs {
		mapArrays(s, func(a *wArray) any { return w.array("f4", floats(a)...) })
	}
	files["variants/simple_ap_float32.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	for k, v := range map[string][]float64{"X": {6.308}, "Y": {0}, "Z": {0}, "DIAM": {12.616}} {
		set(secs[0], k, w.array("f8", v...))
	}
	for k, v := range map[string][]float64{"X": {6.308, 6.308}, "Y": {0, 200}, "Z": {0, 0}, "DIAM": {1, 1}} {
		set(secs[1], k, w.array("f8", v...))
	}
	files["variants/simple_ap_n3d_1_2.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	for _, s := range secs {
		set(s, "Voltage", &wDict{keys: []any{int64(0)}, vals: []any{frame(s, 98)}})
	}
	files["variants/simple_ap_single_frame.pickle"] = dumps(w, list(secs), 4, false)

	files["bad/truncated.pickle"] = orig[:len(orig)/2]
	files["bad/empty.pickle"] = []byte{}

	w, secs = load()
	files["bad/toplevel_dict.pickle"] = dumps(w, &wDict{keys: []any{int64(0), int64(1)}, vals: []any{secs[0], secs[1]}}, 4, false)

	w, secs = load()
	i := slices.IndexFunc(secs[1].keys, func(k any) bool { return k.(*wStr).s == "Voltage" })
	secs[1].keys = slices.Delete(secs[1].keys, i, i+1)
	secs[1].vals = slices.Delete(secs[1].vals, i, i+1)
	files["bad/missing_voltage.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	v := voltages(secs[1])
	v.vals[10] = view(frame(secs[1], 10), 24)
	files["bad/voltage_len_mismatch.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	set(secs[1], "Y", view(get(secs[1], "Y").(*wArray), 26))
	files["bad/xyz_len_mismatch.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	setFloat(frame(secs[1], 100), 3, math.Float64frombits(0x7ff8000000000000)) // numpy.nan, not Go's NaN
	files["bad/nan_voltage.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	v = voltages(secs[0])
	v.vals[50] = w.array("f8", math.Inf(1))
	setFloat(frame(secs[1], 51), 0, math.Inf(-1))
	files["bad/inf_voltage.pickle"] = dumps(w, list(secs), 4, false)

	w, secs = load()
	for _, s := range secs {
		gap := &wDict{}
		for _, f := range []int64{0, 1, 3} {
			gap.keys = append(gap.keys, f)
			gap.vals = append(gap.vals, frame(s, f))
		}
		set(s, "Voltage", gap)
	}
	files["bad/frame_gap.pickle"] = dumps(w, list(secs), 4, false)

	// An object whose __reduce__ is (os.system, (command,)), which Python
	// pickles under os.system's home, posix.
	w, secs = load()
	set(secs[0], "type", &wReduce{w.global("posix", "system"), &wTuple{[]any{w.str("echo pwned > /tmp/pwned")}}})
	files["bad/malicious_posix_system.pickle"] = dumps(w, list(secs), 4, false)

	// The classic payload, written by hand: no memo.
	command := "echo pwned > /tmp/pwned"
	p := (&pk{b: []byte{opProto, 2}}).op(opGlobal).op([]byte("os\nsystem\n")...).op(opMark, opBinUnicode).u32(uint32(len(command))).op([]byte(command)...).op(opTuple, opReduce)
	files["bad/malicious_os_system.pickle"] = p.stop()
	return files, nil
}

// get returns the value of key in section s.
func get(s *wDict, key string) any {
	for i, k := range s.keys {
		if k.(*wStr).s == key {
			return s.vals[i]
		}
	}
	return nil
}

// set replaces the value of key in section s, where it stands.
func set(s *wDict, key string, v any) {
	for i, k := range s.keys {
		if k.(*wStr).s == key {
			s.vals[i] = v
		}
	}
}

func voltages(s *wDict) *wDict { return get(s, "Voltage").(*wDict) }

// frame returns the array of frame f of section s.
func frame(s *wDict, f int64) *wArray {
	v := voltages(s)
	return v.vals[slices.Index(v.keys, any(f))].(*wArray)
}

// mapArrays replaces every array of section s (its points and voltages)
// by what f makes of it.
func mapArrays(s *wDict, f func(*wArray) any) {
	for _, k := range []string{"X", "Y", "Z", "DIAM"} {
		set(s, k, f(get(s, k).(*wArray)))
	}
	v := voltages(s)
	nv := &wDict{keys: v.keys}
	for _, a := range v.vals {
		nv.vals = append(nv.vals, f(a.(*wArray)))
	}
	set(s, "Voltage", nv)
}

// view is a[:n], a view that shares a's dtype.
func view(a *wArray, n int) *wArray {
	return &wArray{dtype: a.dtype, raw: a.raw[:8*n], n: n, contiguous: true}
}

// floats returns the values of a float64 array.
func floats(a *wArray) []float64 {
	v := make([]float64, a.n)
	for i := range v {
		v[i] = math.Float64frombits(binary.LittleEndian.Uint64(a.raw[8*i:]))
	}
	return v
}

// setFloat sets value i of a float64 array in place.
func setFloat(a *wArray, i int, x float64) {
	binary.LittleEndian.PutUint64(a.raw[8*i:], math.Float64bits(x))
}

// loadPickle unpickles data as Python's pickle.load would with numpy
// 1.24, into the objects pickler writes: what the memo hands out again
// is one object, an unpickled dtype is a new one (numpy copies it), and
// strings and bytes are shared where CPython shares them. It takes the
// trusted test recordings only, and trusts their structure.
func loadPickle(w *pyWorld, data []byte) (any, error) {
	if err := checkHeader(data); err != nil {
		return nil, err
	}
	c := cursor{data: data, pos: 2}
	var stack, memo []any
	var marks []int
	for c.pos < len(data) {
		spec, err := c.next()
		if err != nil {
			return nil, err
		}
		n, arg, err := c.arg(spec)
		if err != nil {
			return nil, err
		}
		if c.op == opStop {
			return stack[0], nil
		}
		var group []any
		switch spec.mark {
		case markPush:
			marks = append(marks, len(stack))
			continue
		case markPop:
			k := marks[len(marks)-1]
			marks = marks[:len(marks)-1]
			group = slices.Clone(stack[k:])
			stack = stack[:k]
		}
		base := len(stack) - int(spec.pops)
		in := slices.Clone(stack[base:])
		stack = stack[:base]
		var out any
		switch c.op {
		case opFrame:
		case opEmptyList:
			out = &wList{}
		case opEmptyDict:
			out = &wDict{}
		case opEmptyTuple:
			out = &wTuple{}
		case opNone:
		case opNewTrue, opNewFalse:
			out = c.op == opNewTrue
		case opBinInt:
			out = int64(int32(uint32(n)))
		case opBinInt1, opBinInt2:
			out = int64(n)
		case opBinFloat:
			out = math.Float64frombits(binary.BigEndian.Uint64(arg))
		case opShortBinUnicode, opBinUnicode:
			out = w.str(string(arg))
		case opShortBinBytes, opBinBytes:
			out = w.bytes(arg)
		case opTuple:
			out = &wTuple{group}
		case opTuple1, opTuple2, opTuple3:
			out = &wTuple{in}
		case opAppends:
			l := in[0].(*wList)
			l.items = append(l.items, group...)
			out = l
		case opSetItems:
			d := in[0].(*wDict)
			for i := 0; i < len(group); i += 2 {
				d.keys = append(d.keys, group[i])
				d.vals = append(d.vals, group[i+1])
			}
			out = d
		case opStackGlobal:
			out = w.global(in[0].(*wStr).s, in[1].(*wStr).s)
		case opReduce:
			switch g := in[0].(*wGlobal); *g {
			case wGlobal{"numpy.core.multiarray", "_reconstruct"}:
				out = &wArray{contiguous: true}
			case wGlobal{"numpy", "dtype"}:
				out = &wDtype{in[1].(*wTuple).items[0].(*wStr).s}
			default:
				return nil, c.errorf("cannot load %s.%s", g.module, g.name)
			}
		case opBuild:
			if a, ok := in[0].(*wArray); ok {
				st := in[1].(*wTuple).items // (1, (n,), dtype, is_fortran, bytes)
				a.n = int(st[1].(*wTuple).items[0].(int64))
				a.dtype = st[2].(*wDtype)
				a.raw = st[4].(*wBytes).b
			}
			out = in[0]
		case opMemoize:
			memo = append(memo, in[0])
			out = in[0]
		case opBinGet, opLongBinGet:
			out = memo[n]
		default:
			return nil, c.errorf("cannot load this opcode")
		}
		if spec.pushes > 0 {
			stack = append(stack, out)
		}
	}
	return nil, fmt.Errorf("no STOP")
}
