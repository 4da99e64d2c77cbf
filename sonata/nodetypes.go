package sonata

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// nodeTypes is a node types CSV file: the attributes every node of a type
// inherits.
type nodeTypes struct {
	path    string
	columns []string             // every column but node_type_id and population
	rows    map[typeKey][]string // values in the order of columns
	byPop   bool                 // the file has a population column
}

type typeKey struct {
	pop string
	id  int64
}

// parseNodeTypes reads a node types file: the SONATA CSV dialect, columns
// separated by one or more spaces (or tabs), fields with spaces in double
// quotes ("" for a quote inside), a header naming the columns, one of them
// node_type_id.
func parseNodeTypes(path string, data []byte) (*nodeTypes, error) {
	nt := &nodeTypes{path: path, rows: map[typeKey][]string{}}
	idCol, popCol := -1, -1
	var header []string
	for n, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		fields, err := splitFields(line)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n+1, err)
		}
		if len(fields) == 0 {
			continue
		}
		if header == nil {
			header = fields
			for i, name := range fields {
				switch name {
				case "node_type_id":
					idCol = i
				case "population":
					popCol = i
					nt.byPop = true
				default:
					nt.columns = append(nt.columns, name)
				}
			}
			if idCol < 0 {
				return nil, fmt.Errorf("%s:%d: the header names no node_type_id column", path, n+1)
			}
			continue
		}
		if len(fields) != len(header) {
			return nil, fmt.Errorf("%s:%d: %d fields, the header has %d", path, n+1, len(fields), len(header))
		}
		id, err := strconv.ParseInt(fields[idCol], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: node_type_id %q is not an integer", path, n+1, fields[idCol])
		}
		key := typeKey{id: id}
		if popCol >= 0 {
			key.pop = fields[popCol]
		}
		if _, dup := nt.rows[key]; dup {
			return nil, fmt.Errorf("%s:%d: node_type_id %d listed twice", path, n+1, id)
		}
		row := make([]string, 0, len(nt.columns))
		for i, f := range fields {
			if i != idCol && i != popCol {
				row = append(row, f)
			}
		}
		nt.rows[key] = row
	}
	if header == nil {
		return nil, fmt.Errorf("%s: empty, no header", path)
	}
	return nt, nil
}

// splitFields splits a CSV line into its fields.
func splitFields(line string) ([]string, error) {
	var out []string
	i := 0
	for {
		for i < len(line) && isBlank(line[i]) {
			i++
		}
		if i == len(line) {
			return out, nil
		}
		if line[i] != '"' {
			j := i
			for j < len(line) && !isBlank(line[j]) {
				j++
			}
			out = append(out, line[i:j])
			i = j
			continue
		}
		var b strings.Builder
		for i++; ; i++ {
			if i >= len(line) {
				return nil, fmt.Errorf("field %d: quote not closed", len(out)+1)
			}
			if line[i] != '"' {
				b.WriteByte(line[i])
				continue
			}
			if i+1 < len(line) && line[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			i++
			break
		}
		if i < len(line) && !isBlank(line[i]) {
			return nil, fmt.Errorf("field %d: text after the closing quote", len(out)+1)
		}
		out = append(out, b.String())
	}
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// row returns the values of a node type of population pop: the row
// for the population, or one for every population.
func (nt *nodeTypes) row(pop string, id int64) ([]string, bool) {
	if r, ok := nt.rows[typeKey{pop, id}]; ok {
		return r, true
	}
	r, ok := nt.rows[typeKey{id: id}]
	return r, ok
}

// value returns one attribute of a node type; "NULL" (what BMTK writes
// for a missing value) and absent columns are not values.
func (nt *nodeTypes) value(row []string, name string) (Value, bool) {
	for i, c := range nt.columns {
		if c == name {
			if row[i] == "NULL" {
				return Value{}, false
			}
			return textValue(row[i]), true
		}
	}
	return Value{}, false
}

// Value is a node attribute: text, or a number (then Text is the number
// written out). Values from a node types CSV file are text, and numbers
// too when they read as one.
type Value struct {
	Text     string
	Number   float64
	IsNumber bool
}

// String returns the value as text.
func (v Value) String() string { return v.Text }

func numberValue(f float64) Value {
	return Value{Text: strconv.FormatFloat(f, 'g', -1, 64), Number: f, IsNumber: true}
}

// textValue is a CSV field's value: a number when it reads as a finite one.
func textValue(s string) Value {
	if f, err := strconv.ParseFloat(s, 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) {
		return Value{Text: s, Number: f, IsNumber: true}
	}
	return Value{Text: s}
}
