package blenderspike

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// FuzzRead feeds arbitrary bytes to the reader: it must return a
// recording or an error, never panic or hang, never allocate beyond the
// budget for a file of the input's size nor beyond what it counted, and
// whatever it returns must be consistent.
//
// The seeds are the test recordings, each cut to its first few kilobytes
// (which hold every opcode and reconstructor form the file uses), and
// small instances of every kind of input that once cost far more than
// its size: the fuzzer minimises every input that finds new coverage,
// and minimising an 80 kB input takes minutes.
func FuzzRead(f *testing.F) {
	const maxSeed = 4 << 10
	var seeds []string
	for _, pattern := range []string{"../testdata/variants/*.pickle", "../testdata/bad/*.pickle", "../testdata/simple_ap.pickle"} {
		files, err := filepath.Glob(pattern)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data[:min(len(data), maxSeed)])
	}
	secs := ballAndStick()
	f.Add(encode(secs))
	f.Add(encode(setAll(setAll(secs, "parent", pyInt(-1)), "t_start", pyFloat(0))))
	f.Add(encode(setAll(setAll(secs, "variable", pyStr("cai")), "unit", pyStr("mM"))))
	f.Add(encode(setAll(secs, "X", f8(1e40))))
	secs[1] = secs[1].set("Voltage", frames(fromBufferF4BE(1, 2, 3), latin1Array(4, 5, 6)))
	f.Add(encode(secs))
	f.Add(sharedFrames(50, 20))
	f.Add(nested([]byte{opShortBinUnicode, 1, 'x'}, []byte{opMemoize}, 64, opStop))
	f.Add(withJunk(sharedLatin1(256, 20)))
	f.Add(withJunk(sharedPy2Str(16, 20)))
	f.Add(withJunk(failingVoltages(10, 20, 10)))

	f.Fuzz(func(t *testing.T, data []byte) {
		var (
			cell any
			err  error
		)
		b := newBudget(int64(len(data)))
		n := allocated(func() {
			c, rec, e := decodeWith(data, b)
			err = e
			if e == nil {
				checkConsistent(t, c.Sections, rec.Frames, rec.Traces)
				cell = c
			}
		})
		checkBudget(t, len(data), n, b)
		if (cell == nil) == (err == nil) {
			t.Errorf("cell %v with error %v", cell, err)
		}
		// The decoder applies the stack discipline that the pre-scan
		// checked, from the same table: it may not find a fault there.
		b = newBudget(int64(len(data)))
		if pl, err := prescan(data, b); err == nil {
			if _, err := decodePickle(data, pl, b); err != nil && strings.Contains(err.Error(), "malformed pickle") {
				t.Errorf("the pre-scan accepted a pickle the decoder calls malformed: %v", err)
			}
		}
	})
}

// checkConsistent checks what a successful read promises.
func checkConsistent(t *testing.T, sections []morph.Section, frames int, traces []voltage.Trace) {
	if len(sections) == 0 || len(sections) != len(traces) || frames < 1 {
		t.Fatalf("%d sections, %d traces, %d frames", len(sections), len(traces), frames)
	}
	for i, s := range sections {
		if len(s.Points) == 0 || s.Parent < -1 || s.Parent >= len(sections) || s.Parent == i {
			t.Errorf("section %d: %d points, parent %d", i, len(s.Points), s.Parent)
		}
		for _, p := range s.Points {
			for _, x := range [4]float64{p.X, p.Y, p.Z, p.Diam} {
				if math.IsNaN(x) || math.IsInf(x, 0) {
					t.Errorf("section %d: point %v", i, p)
				}
			}
		}
		tr := traces[i]
		if tr.NSeg < 1 || len(tr.Values) != tr.NSeg*frames {
			t.Errorf("section %d: %d values, nseg %d, %d frames", i, len(tr.Values), tr.NSeg, frames)
		}
		for _, v := range tr.Values {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Errorf("section %d: voltage %v", i, v)
			}
		}
	}
}
