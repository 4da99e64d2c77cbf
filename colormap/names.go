package colormap

//go:generate sh gen/generate.sh

import (
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/spikeframes/spikeframes/internal/closest"
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

// closestNames returns the k known names nearest to name.
func closestNames(name string, k int) []string {
	return closest.Names(name, Names(), k)
}
