package scene

import (
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
)

// keyLines maps every key of a TOML document that parses to the line it
// is on, by its dotted path with array indices ("cells[1].colors.map");
// a table's header line is its own path's.
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	arrays := map[string]int{} // elements of each array of tables so far
	var p unstable.Parser
	p.Reset(data)
	table := ""
	// resolve turns a header's key into a path, indexing the arrays of
	// tables it passes through at their latest element.
	resolve := func(parts []string) string {
		path := ""
		for _, part := range parts {
			path = joinKey(path, part)
			if n, ok := arrays[path]; ok {
				path += "[" + strconv.Itoa(n-1) + "]"
			}
		}
		return path
	}
	for p.NextExpression() {
		e := p.Expression()
		switch e.Kind {
		case unstable.Table, unstable.ArrayTable:
			parts, line := keyParts(&p, e)
			if e.Kind == unstable.Table {
				table = resolve(parts)
			} else {
				path := joinKey(resolve(parts[:len(parts)-1]), parts[len(parts)-1])
				arrays[path]++
				table = path + "[" + strconv.Itoa(arrays[path]-1) + "]"
			}
			lines[table] = line
		case unstable.KeyValue:
			parts, line := keyParts(&p, e)
			path := joinKey(table, strings.Join(parts, "."))
			lines[path] = line
			valueLines(&p, e.Value(), path, lines)
		}
	}
	return lines
}

// valueLines adds the keys of inline tables within a value.
func valueLines(p *unstable.Parser, v *unstable.Node, path string, lines map[string]int) {
	switch v.Kind {
	case unstable.InlineTable:
		it := v.Children()
		for it.Next() {
			kv := it.Node()
			parts, line := keyParts(p, kv)
			sub := joinKey(path, strings.Join(parts, "."))
			lines[sub] = line
			valueLines(p, kv.Value(), sub, lines)
		}
	case unstable.Array:
		it := v.Children()
		for i := 0; it.Next(); i++ {
			valueLines(p, it.Node(), path+"["+strconv.Itoa(i)+"]", lines)
		}
	}
}

// keyParts is a key's parts and the line it starts on.
func keyParts(p *unstable.Parser, n *unstable.Node) ([]string, int) {
	var parts []string
	line := 0
	it := n.Key()
	for it.Next() {
		k := it.Node()
		parts = append(parts, string(k.Data))
		if line == 0 && k.Raw.Length > 0 {
			line = p.Shape(k.Raw).Start.Line
		}
	}
	return parts, line
}
