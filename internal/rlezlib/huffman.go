package rlezlib

import (
	"cmp"
	"math/bits"
	"slices"
)

// huffmanScratch is the memory codeLengths works in, kept between blocks.
type huffmanScratch struct {
	leaves []leaf
	levels [][]item
	clSyms []clSym
}

// leaf is a symbol that occurs, with its frequency.
type leaf struct{ sym, weight int }

// item is, in a package-merge list, a leaf (leaf ≥ 0) or a package of
// two items of the list before (a, b).
type item struct{ weight, leaf, a, b int }

// clSym is a symbol of the code-length code with its extra bits.
type clSym struct{ sym, extra uint8 }

// codeLengths sets lengths[s] to the length of symbol s's code in an
// optimal prefix code of at most maxBits bits for the frequencies freq
// (package-merge), 0 for symbols that never occur. With fewer than two
// symbols occurring, the lowest symbols that do not occur are given a code
// too until two have one, so the code is complete, as every decoder
// accepts.
func (h *huffmanScratch) codeLengths(freq []int, maxBits int, lengths []uint8) {
	clear(lengths)
	leaves := h.leaves[:0]
	for s, f := range freq {
		if f > 0 {
			leaves = append(leaves, leaf{s, f})
		}
	}
	for s := 0; len(leaves) < 2; s++ {
		if freq[s] == 0 {
			leaves = append(leaves, leaf{s, 1})
		}
	}
	slices.SortFunc(leaves, func(a, b leaf) int {
		return cmp.Or(cmp.Compare(a.weight, b.weight), cmp.Compare(a.sym, b.sym))
	})
	h.leaves = leaves
	// Each level's list merges the leaves with the packages of the level
	// before, lightest first.
	n := len(leaves)
	for len(h.levels) < maxBits {
		h.levels = append(h.levels, nil)
	}
	levels := h.levels[:maxBits]
	leafItems := levels[0][:0]
	for i, l := range leaves {
		leafItems = append(leafItems, item{weight: l.weight, leaf: i})
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
				merged = append(merged, item{weight: prev[j].weight + prev[j+1].weight, leaf: -1, a: j, b: j + 1})
				j += 2
			}
		}
		levels[l] = merged
	}
	// The first 2n−2 items of the last list: every leaf in them, counted
	// through the packages, adds one to its code length.
	var count func(level, i int)
	count = func(level, i int) {
		it := levels[level][i]
		if it.leaf >= 0 {
			lengths[leaves[it.leaf].sym]++
			return
		}
		count(level-1, it.a)
		count(level-1, it.b)
	}
	last := len(levels) - 1
	for i := range 2*n - 2 {
		count(last, i)
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
