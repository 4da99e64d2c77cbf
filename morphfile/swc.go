package morphfile

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/spikeframes/spikeframes/morph"
)

// maxID bounds sample ids and type codes, so that they convert to
// integers exactly.
const maxID = 1 << 53

// readSWC reads an SWC file: one sample per line as seven numbers — id,
// type, x, y, z, radius, parent id — with '#' comments and blank lines.
// Numbers after the seventh are ignored, as Import3d ignores them.
func readSWC(data []byte) (*morph.Cell, error) {
	samples, err := parseSWC(data)
	if err != nil {
		return nil, err
	}
	secs, err := treeSections(samples, lineName)
	if err != nil {
		return nil, err
	}
	return instantiate(secs)
}

func lineName(line int) string { return fmt.Sprintf("line %d", line) }

// parseSWC reads the samples of an SWC file.
func parseSWC(data []byte) ([]sample, error) {
	data = bytes.TrimPrefix(data, utf8BOM)
	// One sample a line at most, and a sample line takes at least 14
	// bytes ("1 1 0 0 0 0 -1").
	samples := make([]sample, 0, min(bytes.Count(data, []byte{'\n'})+1, len(data)/14+1))
	var fields [7][]byte
	for line := 1; len(data) > 0; line++ {
		var text []byte
		text, data, _ = bytes.Cut(data, []byte{'\n'})
		text = bytes.TrimLeft(text, spaces)
		if len(text) == 0 || text[0] == '#' {
			continue
		}
		nf := 0
		for rest := text; nf < len(fields); nf++ {
			rest = bytes.TrimLeft(rest, spaces)
			if len(rest) == 0 {
				break
			}
			end := bytes.IndexAny(rest, spaces)
			if end < 0 {
				end = len(rest)
			}
			fields[nf], rest = rest[:end], rest[end:]
		}
		if nf < len(fields) {
			return nil, fmt.Errorf("line %d: %d fields, want 7 (id type x y z radius parent)", line, nf)
		}
		var v [7]float64
		for k, f := range fields {
			x, ok := parseDecimal(f)
			if !ok {
				return nil, fmt.Errorf("line %d: field %d %q is not a number", line, k+1, truncate(f))
			}
			v[k] = x
		}
		s := sample{p: rawPoint{v[2], v[3], v[4], 2 * v[5]}, line: line}
		switch {
		case v[0] < 0 || v[0] != math.Trunc(v[0]) || v[0] > maxID:
			return nil, fmt.Errorf("line %d: id %s is not a whole number from 0 to 2^53", line, fields[0])
		case v[1] != math.Trunc(v[1]) || math.Abs(v[1]) > maxID:
			return nil, fmt.Errorf("line %d: type %s is not a whole number", line, fields[1])
		case v[6] != math.Trunc(v[6]) || math.Abs(v[6]) > maxID:
			return nil, fmt.Errorf("line %d: parent %s is not a whole number", line, fields[6])
		case v[5] < 0:
			return nil, fmt.Errorf("line %d: negative radius %s", line, fields[5])
		}
		s.id, s.typ, s.parent = int64(v[0]), int(v[1]), int64(v[6])
		samples = append(samples, s)
	}
	return samples, nil
}

// spaces are the bytes that separate fields; '\r' makes CRLF files read
// like LF ones.
const spaces = " \t\r\v\f"

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// parseDecimal parses a plain decimal number — optional sign, digits with
// an optional point, optional exponent — and refuses anything else
// (hexadecimal, "inf", "nan", digit separators) and non-finite results.
func parseDecimal(b []byte) (float64, bool) {
	if numberLen(b) != len(b) {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// numberLen is the length of the decimal number that starts b, 0 if none.
func numberLen(b []byte) int {
	i := 0
	if i < len(b) && (b[i] == '+' || b[i] == '-') {
		i++
	}
	digits := 0
	for ; i < len(b) && isDigit(b[i]); i++ {
		digits++
	}
	if i < len(b) && b[i] == '.' {
		i++
		for ; i < len(b) && isDigit(b[i]); i++ {
			digits++
		}
	}
	if digits == 0 {
		return 0
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		j := i + 1
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if j < len(b) && isDigit(b[j]) {
			for j < len(b) && isDigit(b[j]) {
				j++
			}
			i = j
		}
	}
	return i
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// truncate shortens a field quoted in an error message.
func truncate(b []byte) []byte {
	const n = 40
	if len(b) > n {
		return append(b[:n:n], "…"...)
	}
	return b
}
