// Package rlezlib writes zlib streams (RFC 1950 around RFC 1951 deflate)
// whose only matches are runs: a byte repeated from the byte before it
// (distance 1), each block with Huffman codes fitted to its symbols. This is
// zlib's Z_RLE strategy, with runs taken from eight bytes on (found by one
// comparison; shorter ones code as small as literals). On PNG scanlines of
// a picture that is mostly a flat background, filtered against the row
// above, nearly every byte is in a long run of zeros, which costs a
// comparison per eight bytes here; a general deflate encoder hashes its
// way through them. Measured on rendered frames, the streams also come out
// a little smaller than zlib's fastest level.
package rlezlib

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

// Deflate's limits (RFC 1951, section 3.2.5).
const (
	minMatch = 3
	maxMatch = 258
	eob      = 256 // end-of-block symbol
	// blockTokens is how many tokens a block holds before it is written,
	// so that its codes follow the data's statistics as they change.
	blockTokens = 1 << 18
	adlerMod    = 65521
	// adlerBlock is how many bytes the Adler sums take before they are
	// reduced: from below 65521, after n bytes A is below 65521 + 255n
	// and B below 65521(n+1) + 255n(n+1)/2, which fits 64 bits for n up
	// to 2²⁶ and more.
	adlerBlock = 1 << 24
)

// Writer compresses one stream at a time; Reset starts the next. It keeps
// its buffers from stream to stream, so a worker compressing frame after
// frame allocates nothing once warm. It is not safe for concurrent use.
type Writer struct {
	out    []byte
	acc    uint64 // bits not yet in out, lowest first
	nacc   uint
	tokens []uint16 // literals (< 256) and runs (256 + length)
	huff   huffmanScratch
	prev   int // the last byte of the stream, or −1 before the first
	// Adler-32 of the data so far: sums reduced at least every adlerBlock
	// bytes.
	adlerA, adlerB uint64
	unreduced      int
}

// NewWriter returns a Writer ready for its first stream.
func NewWriter() *Writer {
	w := &Writer{tokens: make([]uint16, 0, blockTokens)}
	w.Reset()
	return w
}

// Reset begins a new stream, dropping anything written since the last.
func (w *Writer) Reset() {
	// The zlib header: deflate with a 32 KiB window, the fastest level.
	w.out = append(w.out[:0], 0x78, 0x01)
	w.acc, w.nacc = 0, 0
	w.tokens = w.tokens[:0]
	w.prev = -1
	w.adlerA, w.adlerB, w.unreduced = 1, 0, 0
}

// Write appends p to the stream.
func (w *Writer) Write(p []byte) {
	// One loop for runs and literals, which alternate byte by byte in a
	// dithered glow, with the stream's state in registers.
	a, b, prev, tokens, unreduced := w.adlerA, w.adlerB, w.prev, w.tokens, w.unreduced
	for i := 0; i < len(p); {
		if len(tokens) == blockTokens {
			w.tokens = tokens
			w.flushBlock(false)
			tokens = w.tokens
		}
		c := p[i]
		// A run of at least eight copies of the byte before, found by one
		// comparison; shorter ones cost no more as literals.
		if i+8 <= len(p) && binary.LittleEndian.Uint64(p[i:]) == uint64(prev)*0x0101010101010101 && prev >= 0 {
			n := runLength(p[i:], c)
			tokens = append(tokens, eob+uint16(n))
			a, b = adlerRun(a, b, c, n)
			unreduced += n
			i += n
		} else {
			// Byte i is a literal, and so is every byte before the next
			// run of eight, which literalsAhead finds a word at a time.
			n := 1
			if i+17 <= len(p) {
				n = min(literalsAhead(p[i:]), blockTokens-len(tokens))
			}
			for _, c := range p[i : i+n] {
				tokens = append(tokens, uint16(c))
				a += uint64(c)
				b += a
			}
			prev = int(p[i+n-1])
			unreduced += n
			i += n
		}
		if unreduced >= adlerBlock {
			a, b, unreduced = a%adlerMod, b%adlerMod, 0
		}
	}
	w.adlerA, w.adlerB, w.prev, w.tokens, w.unreduced = a, b, prev, tokens, unreduced
}

// literalsAhead is how many of the first bytes of p (at least 17, the
// first a literal) are literals: the bytes before the first j in 1…8 where
// p[j−1 : j+8] are all the same byte (a run of eight begins), or 9 when
// there is none.
func literalsAhead(p []byte) int {
	le := binary.LittleEndian
	// Byte k of lo and hi is zero where p[k+1] == p[k], for k up to 15.
	lo := le.Uint64(p) ^ le.Uint64(p[1:])
	hi := le.Uint64(p[8:]) ^ le.Uint64(p[9:])
	lo, hi = zeroBytes(lo), zeroBytes(hi)
	// Keep a byte's mark only where the 7 after it are marked too: the
	// 16-byte mark sequence shifted by 1, 2 and 4 bytes and and-ed.
	for _, k := range [...]uint{8, 16, 32} {
		lo &= lo>>k | hi<<(64-k)
		hi &= hi >> k
	}
	if lo == 0 {
		return 9
	}
	// A mark at byte k: a run of eight begins at j = k + 1.
	return bits.TrailingZeros64(lo)/8 + 1
}

// zeroBytes marks the zero bytes of x: their top bit set, every other bit
// clear.
func zeroBytes(x uint64) uint64 {
	const low7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&low7 + low7) | x | low7)
}

// WriteRun appends n copies of c to the stream: unlike Write, it codes
// runs from three bytes on (minMatch), and ends on a whole run rather than
// literals.
func (w *Writer) WriteRun(c byte, n int) {
	if n <= 0 {
		return
	}
	if w.prev != int(c) {
		w.literal(c)
		n--
	}
	for n >= minMatch {
		m := min(n, maxMatch)
		if n-m > 0 && n-m < minMatch {
			m = n - minMatch // leave a whole run for the end
		}
		w.run(c, m)
		n -= m
	}
	for range n {
		w.literal(c)
	}
}

// Close finishes the stream and returns it, valid until the next Reset.
func (w *Writer) Close() []byte {
	w.flushBlock(true)
	w.alignToByte()
	a, b := w.adlerA%adlerMod, w.adlerB%adlerMod
	return binary.BigEndian.AppendUint32(w.out, uint32(b<<16|a))
}

// runLength is how many of the first bytes of p, at most maxMatch, are c.
func runLength(p []byte, c byte) int {
	p = p[:min(len(p), maxMatch)]
	word := uint64(c) * 0x0101010101010101
	n := 0
	// Long runs a 32-byte stretch at a time, then the word that ends it.
	for ; n+32 <= len(p); n += 32 {
		le := binary.LittleEndian
		if (le.Uint64(p[n:])^word)|(le.Uint64(p[n+8:])^word)|(le.Uint64(p[n+16:])^word)|(le.Uint64(p[n+24:])^word) != 0 {
			break
		}
	}
	for ; n+8 <= len(p); n += 8 {
		if x := binary.LittleEndian.Uint64(p[n:]) ^ word; x != 0 {
			return n + bits.TrailingZeros64(x)/8
		}
	}
	for n < len(p) && p[n] == c {
		n++
	}
	return n
}

// literal adds byte c.
func (w *Writer) literal(c byte) {
	w.token(uint16(c))
	w.adlerA += uint64(c)
	w.adlerB += w.adlerA
	w.prev = int(c)
	if w.unreduced++; w.unreduced >= adlerBlock {
		w.reduceAdler()
	}
}

// run adds n (minMatch to maxMatch) more copies of c, the last byte.
func (w *Writer) run(c byte, n int) {
	w.token(eob + uint16(n))
	w.adlerA, w.adlerB = adlerRun(w.adlerA, w.adlerB, c, n)
	if w.unreduced += n; w.unreduced >= adlerBlock {
		w.reduceAdler()
	}
}

// adlerRun is the Adler sums a, b after n more bytes c: A grows by n·c,
// B by n·A + c·n(n+1)/2.
func adlerRun(a, b uint64, c byte, n int) (uint64, uint64) {
	return a + uint64(n)*uint64(c), b + uint64(n)*a + uint64(c)*uint64(n*(n+1)/2)
}

// reduceAdler takes the Adler sums modulo 65521.
func (w *Writer) reduceAdler() {
	w.adlerA %= adlerMod
	w.adlerB %= adlerMod
	w.unreduced = 0
}

// token adds a token, first writing the block out when it is full.
func (w *Writer) token(t uint16) {
	if len(w.tokens) == blockTokens {
		w.flushBlock(false)
	}
	w.tokens = append(w.tokens, t)
}

// lengthCode[n] is the length symbol of a run of n bytes, lengthExtra[n]
// its extra bits and their count (RFC 1951, section 3.2.5).
var lengthCode, lengthExtra, lengthExtraBits = func() (code [maxMatch + 1]uint16, extra [maxMatch + 1]uint16, nbits [maxMatch + 1]uint8) {
	base := [...]int{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	eb := [...]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	for s := range base {
		end := maxMatch + 1
		if s+1 < len(base) {
			end = base[s+1]
		}
		for n := base[s]; n < end; n++ {
			code[n], extra[n], nbits[n] = uint16(257+s), uint16(n-base[s]), eb[s]
		}
	}
	return code, extra, nbits
}()

// flushBlock writes the tokens so far as one block with dynamic Huffman
// codes, the stream's last when final.
func (w *Writer) flushBlock(final bool) {
	// Counted in four tables, so that a symbol repeated in a row does
	// not make each count wait for the last.
	var counts [4][maxMatch + 1 + eob]int32
	tokens := w.tokens
	for len(tokens) >= 4 {
		counts[0][tokens[0]]++
		counts[1][tokens[1]]++
		counts[2][tokens[2]]++
		counts[3][tokens[3]]++
		tokens = tokens[4:]
	}
	for _, t := range tokens {
		counts[0][t]++
	}
	var freq [286]int
	for t := range counts[0] {
		n := int(counts[0][t] + counts[1][t] + counts[2][t] + counts[3][t])
		if t < eob {
			freq[t] += n
		} else if t >= eob+minMatch {
			freq[lengthCode[t-eob]] += n
		}
	}
	freq[eob] = 1
	var litLen [286]uint8
	w.huff.codeLengths(freq[:], 15, litLen[:])
	nlit := 286
	for litLen[nlit-1] == 0 {
		nlit--
	}
	// Runs are all at distance 1, distance code 0; a second code of the
	// same length makes the distance code complete, as every decoder
	// accepts.
	distLen := [2]uint8{1, 1}
	var litCode [286]uint16
	canonical(litLen[:nlit], litCode[:])
	var distCode [2]uint16
	canonical(distLen[:], distCode[:])

	w.bits(b2u(final), 1)
	w.bits(2, 2) // dynamic Huffman codes
	w.writeCodeLengths(litLen[:nlit], distLen[:])
	// Each token as its bits (a literal's code; a run's length code, extra
	// bits and distance code), their count in the top byte.
	const sizeShift = 56
	var code [maxMatch + 1 + eob]uint64
	for t := range eob {
		code[t] = uint64(litCode[t]) | uint64(litLen[t])<<sizeShift
	}
	for n := minMatch; n <= maxMatch; n++ {
		s := lengthCode[n]
		c := uint64(litCode[s]) | uint64(lengthExtra[n])<<litLen[s]
		bits := litLen[s] + lengthExtraBits[n]
		code[eob+n] = c | uint64(distCode[0])<<bits | uint64(bits+distLen[0])<<sizeShift
	}
	// At most 15 + 5 + 1 bits a token: reserve room and write 32 bits at
	// a time.
	out := slices.Grow(w.out, 3*len(w.tokens)+8)
	acc, nacc := w.acc, w.nacc
	for _, t := range w.tokens {
		c := code[t]
		acc |= (c &^ (0xff << sizeShift)) << nacc
		nacc += uint(c >> sizeShift)
		if nacc >= 32 {
			out = binary.LittleEndian.AppendUint32(out, uint32(acc))
			acc >>= 32
			nacc -= 32
		}
	}
	w.out, w.acc, w.nacc = out, acc, nacc
	w.bits(uint64(litCode[eob]), uint(litLen[eob]))
	w.tokens = w.tokens[:0]
}

// clOrder is the order code-length code lengths are sent in.
var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// writeCodeLengths writes a dynamic block's header after its type: the
// counts, the code-length code and the literal/length and distance code
// lengths, run-length coded with symbols 16 (repeat the last length 3–6
// times), 17 (3–10 zeros) and 18 (11–138 zeros).
func (w *Writer) writeCodeLengths(lit, dist []uint8) {
	var buf [286 + 2]uint8
	all := append(append(buf[:0], lit...), dist...)
	syms := w.huff.clSyms[:0]
	for i := 0; i < len(all); {
		l := all[i]
		n := 1
		for i+n < len(all) && all[i+n] == l {
			n++
		}
		i += n
		if l == 0 {
			for n >= 11 {
				m := min(n, 138)
				syms = append(syms, clSym{18, uint8(m - 11)})
				n -= m
			}
			if n >= 3 {
				syms = append(syms, clSym{17, uint8(n - 3)})
				n = 0
			}
		} else {
			syms = append(syms, clSym{l, 0})
			n--
			for n >= 3 {
				m := min(n, 6)
				syms = append(syms, clSym{16, uint8(m - 3)})
				n -= m
			}
		}
		for range n {
			syms = append(syms, clSym{l, 0})
		}
	}
	w.huff.clSyms = syms
	var freq [19]int
	for _, s := range syms {
		freq[s.sym]++
	}
	var clLen [19]uint8
	w.huff.codeLengths(freq[:], 7, clLen[:])
	var clCode [19]uint16
	canonical(clLen[:], clCode[:])
	ncl := 19
	for ncl > 4 && clLen[clOrder[ncl-1]] == 0 {
		ncl--
	}
	w.bits(uint64(len(lit)-257), 5)
	w.bits(uint64(len(dist)-1), 5)
	w.bits(uint64(ncl-4), 4)
	for _, s := range clOrder[:ncl] {
		w.bits(uint64(clLen[s]), 3)
	}
	extraBits := [19]uint{16: 2, 17: 3, 18: 7}
	for _, s := range syms {
		w.bits(uint64(clCode[s.sym])|uint64(s.extra)<<clLen[s.sym], uint(clLen[s.sym])+extraBits[s.sym])
	}
}

// bits appends the n (at most 32) lowest bits of v.
func (w *Writer) bits(v uint64, n uint) {
	w.acc |= v << w.nacc
	w.nacc += n
	if w.nacc >= 32 {
		w.out = binary.LittleEndian.AppendUint32(w.out, uint32(w.acc))
		w.acc >>= 32
		w.nacc -= 32
	}
}

// alignToByte writes out the bits left, padded with zeros to a byte.
func (w *Writer) alignToByte() {
	for w.nacc > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nacc = max(w.nacc, 8) - 8
	}
	w.acc = 0
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
