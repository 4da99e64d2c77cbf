package blenderspike

import (
	"strings"
	"testing"
)

// withJunk is ballAndStick with an extra key on section 0, which the
// reader ignores but must still decode.
func withJunk(junk val) []byte {
	secs := ballAndStick()
	secs[0] = secs[0].set("junk", junk)
	return encode(secs)
}

// getSlot reads memo slot i back.
func (p *pk) getSlot(i uint32) *pk {
	if i < 256 {
		return p.op(opBinGet, byte(i))
	}
	return p.op(opLongBinGet).u32(i)
}

// sharedLatin1 is a list of n results of _codecs.encode on one memoized
// str of size characters: each call a few bytes of the file.
func sharedLatin1(size, n int) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark)
		// Memo slots 0, 1 and 2: the function, the text and the encoding.
		p.global("_codecs", "encode").op(opMemoize).str(strings.Repeat("x", size)).op(opMemoize).str("latin1").op(opMemoize)
		p.op(opTuple2, opReduce)
		for range n - 1 {
			p.getSlot(0).getSlot(1).getSlot(2).op(opTuple2, opReduce)
		}
		p.op(opAppends)
	}
}

// sharedPy2Str is a list of n arrays whose BUILD data is one memoized
// Python 2 str of 8·values characters.
func sharedPy2Str(values, n int) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark).str(strings.Repeat("x", 8*values)).op(opMemoize, opPop)
		for range n {
			p.reconstruct().op(opMark).int(int64(values)).op(opTuple1).dtype("f8", "<").op(opNewFalse).getSlot(0).op(opTuple, opBuild)
		}
		p.op(opAppends)
	}
}

// failingVoltages is a list of n dicts {"Voltage": {…}} of frames frames
// that all refer to one memoized array of values values but the last,
// which is shorter: each dict is decoded in vain when it is stored.
func failingVoltages(frames, values, n int) val {
	return func(p *pk) {
		p.op(opEmptyList, opMark)
		// Memo slots 0 and 1: the long array and the short one.
		p.reconstruct().op(opMemoize).arrayState("f8", "<", make([]byte, 8*values), int64(values)).op(opPop)
		p.reconstruct().op(opMemoize).arrayState("f8", "<", make([]byte, 8), 1).op(opPop)
		for range n {
			p.op(opEmptyDict).str("Voltage").op(opEmptyDict, opMark)
			for f := range frames - 1 {
				p.int(int64(f)).getSlot(0)
			}
			p.int(int64(frames-1)).getSlot(1).op(opSetItems, opSetItem)
		}
		p.op(opAppends)
	}
}

// TestAmplifiers covers inputs that once cost far more memory than their
// size: each must be read or refused within the budget of a file its
// size, and the decoder's own count of what it allocated must hold.
func TestAmplifiers(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		want string // the error, or "" for a recording that reads
	}{
		{
			// One string memoized a million times: the pre-scan kept a
			// map entry per MEMOIZE.
			name: "MEMOIZE flood",
			data: nested([]byte{opShortBinUnicode, 1, 'x'}, []byte{opMemoize}, 1<<20, opStop),
			want: "memo put of a value the previous opcode did not make",
		},
		{
			// Each call copied the 32 KiB text again.
			name: "_codecs.encode of one memoized str",
			data: withJunk(sharedLatin1(32<<10, 1000)),
		},
		{
			name: "arrays sharing one Python 2 str",
			data: withJunk(sharedPy2Str(4<<10, 1000)),
		},
		{
			// Each failed decoding of a Voltage dict was forgotten, so
			// that the next could allocate as much again.
			name: "Voltage dicts decoded in vain",
			data: withJunk(failingVoltages(100, 1000, 300)),
			want: "decoding needs more than",
		},
		{
			name: "frames sharing one array",
			data: sharedFrames(20000, 1000),
			want: "claims more values than a file of its size can hold",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := newBudget(int64(len(tc.data)))
			var err error
			n := allocated(func() { _, _, err = decodeWith(tc.data, b) })
			if tc.want == "" && err != nil {
				t.Errorf("error %v", err)
			}
			if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			checkBudget(t, len(tc.data), n, b)
		})
	}
}

// countSlack is what the decoder may allocate beyond what it counts: a
// few fixed structures and an error message.
const countSlack = 64 << 10

// checkBudget checks that decoding size bytes allocated n bytes within
// the budget for a file of that size, and no more than b counted.
func checkBudget(t *testing.T, size int, n uint64, b *budget) {
	t.Helper()
	if limit := budgetPerByte*uint64(size) + budgetBase; n > limit {
		t.Errorf("allocated %d bytes for %d bytes of input, more than its budget of %d", n, size, limit)
	}
	if n > uint64(b.used)+countSlack+raceSlack {
		t.Errorf("allocated %d bytes but counted %d", n, b.used)
	}
}

func TestBudgetLimit(t *testing.T) {
	for _, tc := range []struct{ size, limit int64 }{
		{0, budgetBase},
		{1000, 16*1000 + budgetBase},
		{10 << 20, 16*10<<20 + budgetBase},
		{28 << 20, MaxMemory},
		{MaxFileSize, MaxMemory},
	} {
		if got := newBudget(tc.size).limit; got != tc.limit {
			t.Errorf("budget for %d bytes: %d, want %d", tc.size, got, tc.limit)
		}
	}
	// What inspect adds to the reader's own memory (the Go runtime, the
	// summary) fits in what MaxMemory leaves of 512 MB.
	if inspectLimit := int64(512e6); MaxMemory > inspectLimit-32<<20 {
		t.Errorf("MaxMemory of %d bytes leaves less than 32 MiB of 512 MB", int64(MaxMemory))
	}
	if got := newBudget(-1).limit; got != MaxMemory {
		t.Errorf("budget for a stream: %d, want %d", got, MaxMemory)
	}
	b := newBudget(1000)
	if err := b.spend(b.limit); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int64{1, -1} {
		if err := b.spend(n); err == nil || !strings.Contains(err.Error(), "more than a 1000-byte recording can") {
			t.Errorf("spending %d past the limit: %v", n, err)
		}
	}
	if err := b.spendTable(1<<40, 1<<40, 4); err == nil {
		t.Errorf("a table of 2^80 values was allowed")
	}
}
