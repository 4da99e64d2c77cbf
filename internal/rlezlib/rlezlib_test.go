package rlezlib

import (
	"bytes"
	"compress/zlib"
	"io"
	"math/rand/v2"
	"testing"
)

// piece is a part of a stream: bytes given to Write, or a run given to
// WriteRun.
type piece struct {
	data []byte
	run  byte
	n    int
}

// roundTrip compresses the pieces as one stream and checks that zlib
// decompresses it (checksum included) to their bytes.
func roundTrip(t *testing.T, w *Writer, name string, pieces []piece) {
	t.Helper()
	w.Reset()
	var want []byte
	for _, p := range pieces {
		if p.data != nil {
			w.Write(p.data)
			want = append(want, p.data...)
			continue
		}
		w.WriteRun(p.run, p.n)
		want = append(want, bytes.Repeat([]byte{p.run}, p.n)...)
	}
	z, err := zlib.NewReader(bytes.NewReader(w.Close()))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	got, err := io.ReadAll(z)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s: decompressed %d bytes, want %d (first difference at %d)", name, len(got), len(want), firstDiff(got, want))
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func TestRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	random := func(n, values int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.IntN(values))
		}
		return b
	}
	// Scanline-like: long runs of zeros with bursts of small values.
	scanlines := make([]byte, 0, 300000)
	for len(scanlines) < 300000 {
		scanlines = append(scanlines, make([]byte, rng.IntN(3000))...)
		scanlines = append(scanlines, random(rng.IntN(200), 5)...)
	}
	tests := []struct {
		name   string
		pieces []piece
	}{
		{"empty", nil},
		{"one byte", []piece{{data: []byte{7}}}},
		{"one zero", []piece{{data: []byte{0}}}},
		{"every byte value", []piece{{data: func() []byte {
			b := make([]byte, 256)
			for i := range b {
				b[i] = byte(i)
			}
			return b
		}()}}},
		{"random", []piece{{data: random(100000, 256)}}},
		{"few values", []piece{{data: random(100000, 3)}}},
		{"scanlines", []piece{{data: scanlines}}},
		{"long zero run", []piece{{data: make([]byte, 1<<20)}}},
		{"runs of every length", func() []piece {
			var p []piece
			for n := range 600 {
				p = append(p, piece{data: []byte{byte(n)}}, piece{run: byte(n), n: n})
			}
			return p
		}()},
		{"runs across writes", []piece{{data: []byte{1, 1}}, {data: []byte{1}}, {run: 1, n: 2}, {data: []byte{1, 1, 1, 1, 2}}, {run: 0, n: 259}, {run: 0, n: 1}}},
		{"more tokens than a block", []piece{{data: random(3*blockTokens+17, 256)}}},
		{"Adler sums past their reduction", func() []piece {
			// Bytes of 255 grow the sums fastest; the literals between
			// keep the writer off its run path part of the time.
			chunk := bytes.Repeat([]byte{255, 255, 255, 255, 254}, 1<<18)
			var p []piece
			for range adlerBlock/len(chunk) + 2 {
				p = append(p, piece{data: chunk}, piece{run: 255, n: 1000})
			}
			return p
		}()},
		{"many blocks of runs", func() []piece {
			var p []piece
			for i := range 2*blockTokens + 5 {
				p = append(p, piece{data: []byte{byte(i % 7)}}, piece{run: byte(i % 7), n: 3 + i%300})
			}
			return p
		}()},
	}
	w := NewWriter()
	for _, tc := range tests {
		roundTrip(t, w, tc.name, tc.pieces)
	}
}

// TestCodeLengthsAreLimitedAndComplete checks package-merge on skewed
// frequencies that an unlimited Huffman code would give codes longer than
// the limit.
func TestCodeLengthsAreLimitedAndComplete(t *testing.T) {
	freq := make([]int, 286)
	f := 1
	for i := range 40 {
		freq[i] = f
		f = f*3/2 + 1
	}
	for _, limit := range []int{7, 9, 15} {
		lengths := make([]uint8, len(freq))
		var h huffmanScratch
		h.codeLengths(freq, limit, lengths)
		kraft := 0.0
		for s, l := range lengths {
			if (freq[s] > 0) != (l > 0) || int(l) > limit {
				t.Fatalf("limit %d: symbol %d (frequency %d) has length %d", limit, s, freq[s], l)
			}
			if l > 0 {
				kraft += 1 / float64(uint(1)<<l)
			}
		}
		if kraft != 1 {
			t.Errorf("limit %d: Kraft sum %v, want 1 (a complete code)", limit, kraft)
		}
	}
}

// TestCodeLengthsAreOptimal checks package-merge against the cheapest
// complete code found by trying every code length up to the limit, on
// small alphabets where that is quick, limits that bind among them.
func TestCodeLengthsAreOptimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var h huffmanScratch
	for trial := range 300 {
		n := 2 + rng.IntN(6)
		limit := 3 + rng.IntN(3)
		freq := make([]int, n)
		for i := range freq {
			freq[i] = 1 + rng.IntN(1<<rng.IntN(12))
		}
		lengths := make([]uint8, n)
		h.codeLengths(freq, limit, lengths)
		got := 0
		for s, l := range lengths {
			got += freq[s] * int(l)
		}
		if want := cheapestCode(freq, limit); got != want {
			t.Fatalf("trial %d: frequencies %v, limit %d: lengths %v cost %d, the cheapest code costs %d", trial, freq, limit, lengths, got, want)
		}
	}
}

// cheapestCode is the least Σ freq·length over code lengths 1…limit that
// satisfy Kraft's inequality, found by trying them all.
func cheapestCode(freq []int, limit int) int {
	best := -1
	lengths := make([]int, len(freq))
	var try func(i int, kraft float64)
	try = func(i int, kraft float64) {
		if kraft > 1 {
			return
		}
		if i == len(freq) {
			cost := 0
			for s, l := range lengths {
				cost += freq[s] * l
			}
			if best < 0 || cost < best {
				best = cost
			}
			return
		}
		for l := 1; l <= limit; l++ {
			lengths[i] = l
			try(i+1, kraft+1/float64(uint(1)<<l))
		}
	}
	try(0, 0)
	return best
}

func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{}, uint16(0))
	f.Add([]byte{0, 0, 0, 0, 1, 1, 1, 2}, uint16(300))
	w := NewWriter()
	f.Fuzz(func(t *testing.T, data []byte, run uint16) {
		roundTrip(t, w, "fuzz", []piece{{data: data}, {run: byte(run), n: int(run)}, {data: data}})
	})
}

func BenchmarkScanlines(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 0, 1<<22)
	for len(data) < 1<<22 {
		data = append(data, make([]byte, rng.IntN(20000))...)
		for range rng.IntN(2000) {
			data = append(data, byte(rng.IntN(5)))
		}
	}
	w := NewWriter()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		w.Reset()
		w.Write(data)
		w.Close()
	}
}

// writeByteByByte is Write deciding one byte at a time: a run where the
// eight bytes from it repeat the byte before, otherwise a literal.
func (w *Writer) writeByteByByte(p []byte) {
	for i := 0; i < len(p); {
		c := p[i]
		if i+8 <= len(p) && w.prev >= 0 && bytes.Count(p[i:i+8], []byte{byte(w.prev)}) == 8 {
			n := 1
			for n < min(len(p)-i, maxMatch) && p[i+n] == c {
				n++
			}
			w.run(c, n)
			i += n
			continue
		}
		w.literal(c)
		i++
	}
}

// TestWriteTokensLikeByteByByte checks that Write, which takes literals
// several at a time, makes the same stream as deciding byte by byte: on
// data from noise to long runs, in pieces, and across a block's end.
func TestWriteTokensLikeByteByByte(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	fast, slow := NewWriter(), NewWriter()
	for trial := range 400 {
		fast.Reset()
		slow.Reset()
		values, runny := 1+rng.IntN(256), rng.IntN(4)
		n := rng.IntN(4000)
		if trial%100 == 0 { // more literals than a block holds
			values, runny, n = 256-trial/100, trial/100, blockTokens+rng.IntN(50000)
		}
		data := make([]byte, 0, n)
		for len(data) < n {
			c := byte(rng.IntN(values))
			k := 1
			if rng.IntN(4) < runny {
				k = 1 + rng.IntN(20)
			}
			for range k {
				data = append(data, c)
			}
		}
		for len(data) > 0 {
			k := min(len(data), rng.IntN(300))
			fast.Write(data[:k])
			slow.writeByteByByte(data[:k])
			data = data[k:]
		}
		if got, want := fast.Close(), slow.Close(); !bytes.Equal(got, want) {
			t.Fatalf("trial %d: %d bytes from Write, %d deciding byte by byte (first difference at %d)", trial, len(got), len(want), firstDiff(got, want))
		}
	}
}
