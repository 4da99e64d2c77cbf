package scene

import (
	"fmt"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// field is one key of a scene file: a value, a table, or an array of
// tables.
type field struct {
	key  string // its name in its table
	path string // dotted from the file's root, without array indices ("cells.colors.map")
	// index is where it sits in its table's Go struct (through inlined
	// structs).
	index     []int
	codec     *codec   // a value's
	fields    []*field // a table's or an array element's keys
	elem      reflect.Type
	array     bool // an array of tables ([[keys]])
	optional  bool // a table that may be absent: a pointer
	omitEmpty bool // a value left out of the file when it is the zero value
}

// names are the keys, and how they are laid out, of fields whose types
// are not this package's own (its own say so in `scene` struct tags):
// "-" leaves a field out, ",inline" puts a struct's keys into its parent's
// table. Other fields are named after the Go field (see keyName).
var names = map[string]string{
	"scene.Scene.Options":           ",inline",
	"movie.Geometry.Prepare":        ",inline",
	"render.View.Target":            "-", // the engine's: Options.Target is the file's
	"movie.Overlays.ColorBar":       "colorbar",
	"movie.Overlays.ColorBarPos":    "colorbar-pos",
	"movie.Overlays.ColorBarLabel":  "colorbar-label",
	"movie.Overlays.ScaleBar":       "scalebar",
	"movie.Overlays.ScaleBarLength": "scalebar-length",
	"morph.Options.Segmentation":    ",auto-count",
}

// keyName is the key of a Go field: its name in lower case, words joined
// by dashes where a lower-case letter or a digit meets an upper-case one
// (MinWidth is min-width, VMin is vmin, FOV is fov).
func keyName(goName string) string {
	var b strings.Builder
	rs := []rune(goName)
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1])) {
			b.WriteByte('-')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// naming is a field's key and options (inline, omitempty, auto-count).
func naming(t reflect.Type, sf reflect.StructField) (string, map[string]bool) {
	spec, ok := sf.Tag.Lookup("scene")
	if !ok {
		spec, ok = names[t.String()+"."+sf.Name]
	}
	if !ok {
		return keyName(sf.Name), nil
	}
	name, rest, _ := strings.Cut(spec, ",")
	opts := map[string]bool{}
	for _, o := range strings.Split(rest, ",") {
		if o != "" {
			opts[o] = true
		}
	}
	if name == "" && !opts["inline"] {
		name = keyName(sf.Name)
	}
	return name, opts
}

var (
	schemaOnce sync.Once
	rootFields []*field
	schemaErr  error
)

// schema is the file's keys, worked out once from the Scene type.
func schema() ([]*field, error) {
	schemaOnce.Do(func() { rootFields, schemaErr = fieldsOf(reflect.TypeOf(Scene{}), "") })
	return rootFields, schemaErr
}

// fieldsOf lays out struct type t as a table at path prefix.
func fieldsOf(t reflect.Type, prefix string) ([]*field, error) {
	var out []*field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		name, opts := naming(t, sf)
		if name == "-" {
			continue
		}
		if opts["inline"] {
			if sf.Type.Kind() != reflect.Struct {
				return nil, fmt.Errorf("%s.%s: only a struct can be inlined", t, sf.Name)
			}
			sub, err := fieldsOf(sf.Type, prefix)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				s.index = append([]int{i}, s.index...)
			}
			out = append(out, sub...)
			continue
		}
		f := &field{key: name, path: joinKey(prefix, name), index: []int{i}, omitEmpty: opts["omitempty"]}
		if f.codec = codecFor(sf.Type, opts); f.codec != nil {
			out = append(out, f)
			continue
		}
		var err error
		switch k := sf.Type.Kind(); {
		case k == reflect.Struct:
			f.fields, err = fieldsOf(sf.Type, f.path)
		case k == reflect.Pointer && sf.Type.Elem().Kind() == reflect.Struct:
			f.optional, f.elem = true, sf.Type.Elem()
			f.fields, err = fieldsOf(f.elem, f.path)
		case k == reflect.Slice && sf.Type.Elem().Kind() == reflect.Struct:
			f.array, f.elem = true, sf.Type.Elem()
			f.fields, err = fieldsOf(f.elem, f.path)
		default:
			err = fmt.Errorf("%s.%s: a %s has no form in a scene file", t, sf.Name, sf.Type)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	seen := map[string]bool{}
	for _, f := range out {
		if seen[f.key] {
			return nil, fmt.Errorf("%s: two fields are named %q in the scene file", t, f.key)
		}
		seen[f.key] = true
	}
	return out, nil
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// isTable reports whether f holds keys of its own.
func (f *field) isTable() bool { return f.codec == nil }

// fieldAt is the field at a dotted path without array indices.
func fieldAt(path string) (*field, error) {
	fields, err := schema()
	if err != nil {
		return nil, err
	}
	var f *field
	for _, part := range strings.Split(path, ".") {
		f = nil
		for _, c := range fields {
			if c.key == part {
				f = c
			}
		}
		if f == nil {
			return nil, fmt.Errorf("no key %s in a scene file", path)
		}
		fields = f.fields
	}
	return f, nil
}

// set copies leaf's value from the struct src points to into dst's.
func set(leaf *field, dst, src any) {
	reflect.ValueOf(dst).Elem().FieldByIndex(leaf.index).Set(reflect.ValueOf(src).Elem().FieldByIndex(leaf.index))
}

// Keys are the dotted paths of the scene's values outside arrays of
// tables and optional tables: those one command-line flag can set.
func Keys() ([]string, error) {
	fields, err := schema()
	if err != nil {
		return nil, err
	}
	var keys []string
	var walk func(fs []*field)
	walk = func(fs []*field) {
		for _, f := range fs {
			switch {
			case !f.isTable():
				keys = append(keys, f.path)
			case !f.array && !f.optional:
				walk(f.fields)
			}
		}
	}
	walk(fields)
	return keys, nil
}

// Take sets the value at key (one of Keys) to from's.
func (s *Scene) Take(key string, from *Scene) error {
	fields, err := schema()
	if err != nil {
		return err
	}
	dst, src := reflect.ValueOf(s).Elem(), reflect.ValueOf(from).Elem()
	for _, part := range strings.Split(key, ".") {
		var f *field
		for _, c := range fields {
			if c.key == part {
				f = c
			}
		}
		if f == nil || f.array || f.optional {
			return fmt.Errorf("no key %s that a flag can set", key)
		}
		dst, src = dst.FieldByIndex(f.index), src.FieldByIndex(f.index)
		fields = f.fields
	}
	dst.Set(src)
	s.give(key)
	return nil
}
