package colormap

//go:generate /usr/bin/python3 gen/gen_tables.py

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
)

// reversedSuffix marks a colormap read backwards, as in matplotlib.
const reversedSuffix = "_r"

// namedTable is one generated colormap table: its name and its entries as
// hex digits, 6 per entry.
type namedTable struct {
	name string
	hex  string
}

// Names lists every known colormap name, sorted (with and without _r).
func Names() []string {
	names := make([]string, 0, 2*len(namedTables))
	for _, t := range namedTables {
		names = append(names, t.name, t.name+reversedSuffix)
	}
	sort.Strings(names)
	return names
}

// Get resolves a name ("viridis", "rocket_r") or a custom list of colours
// ("#000000,#ff3000,#ffff80") to a Map; unknown names fail with "did you
// mean" suggestions.
func Get(spec string) (*Map, error) {
	if strings.ContainsAny(spec, ",#") {
		return parseCustom(spec)
	}
	if strings.TrimSpace(spec) == "" {
		return nil, fmt.Errorf(`no colormap name given: want a name such as plasma (every name: spikeframes colormaps) or colours "#rrggbb,#rrggbb,…"`)
	}
	if t, ok := findTable(spec); ok {
		return tableMap(spec, t, false)
	}
	if base, ok := strings.CutSuffix(spec, reversedSuffix); ok {
		if t, ok := findTable(base); ok {
			return tableMap(spec, t, true)
		}
	}
	return nil, fmt.Errorf("unknown colormap %q (did you mean %s?)",
		spec, strings.Join(closestNames(spec, 3), ", "))
}

// findTable returns the generated table called name.
func findTable(name string) (namedTable, bool) {
	i := sort.Search(len(namedTables), func(i int) bool { return namedTables[i].name >= name })
	if i < len(namedTables) && namedTables[i].name == name {
		return namedTables[i], true
	}
	return namedTable{}, false
}

// tableMap decodes a generated table into a Map, reversed if asked.
func tableMap(name string, t namedTable, reversed bool) (*Map, error) {
	raw, err := hex.DecodeString(t.hex)
	if err != nil || len(raw) == 0 || len(raw)%3 != 0 {
		return nil, fmt.Errorf("table %q is corrupt", t.name)
	}
	n := len(raw) / 3
	table := make([][3]uint8, n)
	for i := range table {
		j := i
		if reversed {
			j = n - 1 - i
		}
		copy(table[j][:], raw[3*i:3*i+3])
	}
	return &Map{name: name, table: table}, nil
}

// closestNames returns the k known names nearest to name, by edit distance
// ignoring case (ties in name order).
func closestNames(name string, k int) []string {
	type scored struct {
		name string
		dist int
	}
	names := Names()
	all := make([]scored, len(names))
	want := strings.ToLower(name)
	for i, n := range names {
		all[i] = scored{n, editDistance(want, strings.ToLower(n))}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].dist < all[j].dist })
	out := make([]string, 0, k)
	for _, s := range all[:min(k, len(all))] {
		out = append(out, s.name)
	}
	return out
}

// editDistance counts the insertions, deletions, substitutions and swaps
// of neighbouring characters that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// Three rolling rows: two back, one back, current.
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
