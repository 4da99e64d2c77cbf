package rlezlib

import (
	"math/bits"
	"slices"
)

// huffmanScratch is the memory codeLengths works in, kept between blocks.
type huffmanScratch struct {
	leaves []uint64 // symbols that occur, see leafSymBits
	levels [][]item
	clSyms []clSym
}

// leafSymBits is how many low bits of a leaf hold its symbol: a leaf is
// its frequency above them, so that leaves sort by frequency, then symbol.
const leafSymBits = 16

// item is, in a package-merge list, a leaf or a package of two items of
// the list before.
type item struct {
	weight int
	leaf   bool
}

// clSym is a symbol of the code-length code with its extra bits.
type clSym struct{ sym, extra uint8 }

// codeLengths sets lengths[s] to the length of symbol s's code in an
// optimal prefix code of at most maxBits bits for the frequencies freq
// (package-merge), 0 for symbols that never occur. With fewer than two
// symbols occurring, the lowest symbols that do not occur are given a code
// too until two have one, so the code is complete, as every decoder
// accepts. Frequencies are below 2⁴⁸, symbols below 2¹⁶.
func (h *huffmanScratch) codeLengths(freq []int, maxBits int, lengths []uint8) {
	clear(lengths)
	leaves := h.leaves[:0]
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, uint64(f)<<leafSymBits|uint64(s))
		}
	}
	for s := 0; len(leaves) < 2; s++ {
		if freq[s] == 0 {
			leaves = append(leaves, 1<<leafSymBits|uint64(s))
		}
	}
	slices.Sort(leaves)
	h.leaves = leaves
	// Each level's list merges the leaves with the packages of the level
	// before, lightest first.
	n := len(leaves)
	for len(h.levels) < maxBits {
		h.levels = append(h.levels, nil)
	}
	levels := h.levels[:maxBits]
	leafItems := levels[0][:0]
	for _, l := range leaves {
		leafItems = append(leafItems, item{weight: int(l >> leafSymBits), leaf: true})
	}
	levels[0] = leafItems
	for l := 1; l < maxBits; l++ {
		prev, merged := levels[l-1], levels[l][:0]
		i, j := 0, 0 // the next leaf, the next package (pair of prev)
		for i < n || j+1 < len(prev) {
			if j+1 >= len(prev) || (i < n && leafItems[i].weight <= prev[j].weight+prev[j+1].weight) {
				merged = append(merged, leafItems[i])
				i++
			} else {
				merged = append(merged, item{weight: prev[j].weight + prev[j+1].weight})
				j += 2
			}
		}
		levels[l] = merged
	}
	// The first 2n−2 items of the last list: every leaf in them, counted
	// through the packages, adds one to its code length. A list's leaves
	// come in weight order and its packages pair the list before's items
	// in order, so the first m items of a list hold its first k leaves and
	// packages of the list before's first 2(m − k) items.
	m := 2*n - 2
	for l := len(levels) - 1; m > 0; l-- {
		k := 0
		for _, it := range levels[l][:m] {
			if it.leaf {
				k++
			}
		}
		for _, lf := range leaves[:k] {
			lengths[lf&(1<<leafSymBits-1)]++
		}
		m = 2 * (m - k)
	}
}

// canonical sets codes[s] to the canonical Huffman code of the symbols
// with code lengths lengths (RFC 1951, section 3.2.2), bit-reversed, as
// deflate sends codes lowest bit first.
func canonical(lengths []uint8, codes []uint16) {
	var count [16]int
	for _, l := range lengths {
		count[l]++
	}
	count[0] = 0
	var next [16]int
	code := 0
	for b := 1; b < 16; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for s, l := range lengths {
		if l == 0 {
			continue
		}
		c := next[l]
		next[l]++
		codes[s] = bits.Reverse16(uint16(c)) >> (16 - l) // sent first bit first
	}
}
