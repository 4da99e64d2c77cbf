package scene

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/lucasb-eyer/go-colorful"

	"github.com/spikeframes/spikeframes/movie"
)

// codec reads a value of one Go type from what the TOML decoder gives
// (bool, int64, float64, string, []any) and writes it back as a TOML
// literal that reads back to the very same value.
type codec struct {
	read func(v any, dst reflect.Value) error
	// write returns the literal, or false for a value left out of the
	// file (an absent optional one).
	write func(v reflect.Value) (string, bool)
}

var (
	limitType  = reflect.TypeOf(movie.Limit{})
	spanType   = reflect.TypeOf(movie.TimeSpan{})
	colourType = reflect.TypeOf([3]uint8{})
)

// codecFor is the codec of a value of type t, or nil when t is a table.
// opts are the field's naming options (auto-count: an int whose 0 is
// written "auto").
func codecFor(t reflect.Type, opts map[string]bool) *codec {
	switch {
	case opts["auto-count"] && t.Kind() == reflect.Int:
		return autoCountCodec
	case t == limitType:
		return limitCodec
	case t == spanType:
		return spanCodec
	case t == colourType:
		return colourCodec
	case t.Kind() == reflect.Pointer && t.Elem() == colourType:
		return autoColourCodec
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Float64:
		return optionalNumberCodec
	case t.Kind() == reflect.Array && t.Elem().Kind() == reflect.Float64:
		return numbersCodec
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return stringsCodec
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolCodec
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intCodec
	case reflect.Float32, reflect.Float64:
		return numberCodec
	case reflect.String:
		return stringCodec
	}
	return nil
}

var boolCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		b, ok := v.(bool)
		if !ok {
			return wantErr("true or false", v)
		}
		dst.SetBool(b)
		return nil
	},
	write: func(v reflect.Value) (string, bool) { return strconv.FormatBool(v.Bool()), true },
}

var intCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		n, ok := v.(int64)
		if !ok || dst.OverflowInt(n) {
			return wantErr("a whole number", v)
		}
		dst.SetInt(n)
		return nil
	},
	write: func(v reflect.Value) (string, bool) { return strconv.FormatInt(v.Int(), 10), true },
}

var numberCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		x, ok := number(v)
		if !ok {
			return wantErr("a number", v)
		}
		dst.SetFloat(x)
		return nil
	},
	write: func(v reflect.Value) (string, bool) { return formatNumber(v.Float()), true },
}

var stringCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		s, ok := v.(string)
		if !ok {
			return wantErr("a string in quotes", v)
		}
		dst.SetString(s)
		return nil
	},
	write: func(v reflect.Value) (string, bool) { return quote(v.String()), true },
}

var stringsCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		list, ok := v.([]any)
		if !ok {
			return wantErr("a list of strings", v)
		}
		if len(list) == 0 {
			dst.Set(reflect.Zero(dst.Type()))
			return nil
		}
		out := make([]string, len(list))
		for i, x := range list {
			if out[i], ok = x.(string); !ok {
				return wantErr("a list of strings", v)
			}
		}
		dst.Set(reflect.ValueOf(out))
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = quote(v.Index(i).String())
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	},
}

var numbersCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		want := fmt.Sprintf("a list of %d numbers", dst.Len())
		list, ok := v.([]any)
		if !ok || len(list) != dst.Len() {
			return wantErr(want, v)
		}
		for i, x := range list {
			f, ok := number(x)
			if !ok {
				return wantErr(want, v)
			}
			dst.Index(i).SetFloat(f)
		}
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = formatNumber(v.Index(i).Float())
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	},
}

var optionalNumberCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		x, ok := number(v)
		if !ok {
			return wantErr("a number", v)
		}
		dst.Set(reflect.ValueOf(&x))
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		if v.IsNil() {
			return "", false
		}
		return formatNumber(v.Elem().Float()), true
	},
}

var autoCountCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		if v == "auto" {
			dst.SetInt(0)
			return nil
		}
		n, ok := v.(int64)
		if !ok || n < 1 || dst.OverflowInt(n) {
			return wantErr(`a whole number or "auto"`, v)
		}
		dst.SetInt(n)
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		if v.Int() == 0 {
			return quote("auto"), true
		}
		return strconv.FormatInt(v.Int(), 10), true
	},
}

var limitCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		if v == "auto" {
			dst.Set(reflect.ValueOf(movie.Limit{Auto: true}))
			return nil
		}
		x, ok := number(v)
		if !ok {
			return wantErr(`a voltage in mV or "auto"`, v)
		}
		dst.Set(reflect.ValueOf(movie.Limit{Value: x}))
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		l := v.Interface().(movie.Limit)
		if l.Auto {
			return quote("auto"), true
		}
		return formatNumber(l.Value), true
	},
}

var spanCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		s, ok := v.(string)
		if !ok {
			return wantErr(`"START:STOP" in ms, or "" for none`, v)
		}
		span, err := ParseTimeSpan(s)
		if err != nil {
			return err
		}
		dst.Set(reflect.ValueOf(span))
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		return quote(FormatTimeSpan(v.Interface().(movie.TimeSpan))), true
	},
}

var colourCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		c, err := parseColour(v)
		if err != nil {
			return err
		}
		dst.Set(reflect.ValueOf(c))
		return nil
	},
	write: func(v reflect.Value) (string, bool) { return quote(formatColour(v.Interface().([3]uint8))), true },
}

var autoColourCodec = &codec{
	read: func(v any, dst reflect.Value) error {
		if v == "auto" {
			dst.Set(reflect.Zero(dst.Type()))
			return nil
		}
		c, err := parseColour(v)
		if err != nil {
			return fmt.Errorf(`%w, or "auto"`, err)
		}
		dst.Set(reflect.ValueOf(&c))
		return nil
	},
	write: func(v reflect.Value) (string, bool) {
		if v.IsNil() {
			return quote("auto"), true
		}
		return quote(formatColour(*v.Interface().(*[3]uint8))), true
	},
}

// ParseTimeSpan reads a time span as "START:STOP" (ms); "" is none.
func ParseTimeSpan(s string) (movie.TimeSpan, error) {
	if s == "" {
		return movie.TimeSpan{}, nil
	}
	a, b, ok := strings.Cut(s, ":")
	start, errA := strconv.ParseFloat(strings.TrimSpace(a), 64)
	stop, errB := strconv.ParseFloat(strings.TrimSpace(b), 64)
	if !ok || errA != nil || errB != nil {
		return movie.TimeSpan{}, fmt.Errorf("%q: want START:STOP in ms, or nothing", s)
	}
	return movie.TimeSpan{Start: start, Stop: stop, Set: true}, nil
}

// FormatTimeSpan writes a time span as ParseTimeSpan reads it.
func FormatTimeSpan(s movie.TimeSpan) string {
	if !s.Set {
		return ""
	}
	return formatNumber(s.Start) + ":" + formatNumber(s.Stop)
}

func parseColour(v any) ([3]uint8, error) {
	s, ok := v.(string)
	c, err := colorful.Hex(s)
	if !ok || err != nil {
		return [3]uint8{}, wantErr(`a colour as "#rrggbb"`, v)
	}
	r, g, b := c.RGB255()
	return [3]uint8{r, g, b}, nil
}

func formatColour(c [3]uint8) string { return fmt.Sprintf("#%02x%02x%02x", c[0], c[1], c[2]) }

// number is a TOML integer or float as a float64.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// formatNumber writes a float as the shortest TOML number that reads back
// to it exactly.
func formatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// quote writes s as a TOML basic string.
func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// wantErr says what a key wants and what it got.
func wantErr(want string, got any) error {
	return fmt.Errorf("want %s, not %s", want, describe(got))
}

// describe names a TOML value for a message.
func describe(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatNumber(x)
	case []any:
		return "a list"
	case map[string]any:
		return "a table"
	}
	return fmt.Sprintf("%v", v)
}
