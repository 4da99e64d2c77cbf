package scene

import (
	"reflect"
	"strconv"
)

// Value is one value of a scene as its file writes it.
type Value struct {
	// Path is where it is, with array indices ("cells[1].offset"), and Key
	// the same without them ("cells.offset").
	Path, Key string
	// Text is its literal in the file.
	Text string
}

// Values are every value of the scene, in the order Write writes them
// (values left out of the file, such as an absent keyframe time, are left
// out here too).
func Values(s Scene) ([]Value, error) {
	fields, err := schema()
	if err != nil {
		return nil, err
	}
	var out []Value
	var walk func(fields []*field, v reflect.Value, path string)
	walk = func(fields []*field, v reflect.Value, path string) {
		for _, f := range fields {
			val := v.FieldByIndex(f.index)
			at := joinKey(path, f.key)
			switch {
			case !f.isTable():
				if lit, ok := f.codec.write(val); ok && !(f.omitEmpty && val.IsZero()) {
					out = append(out, Value{Path: at, Key: f.path, Text: lit})
				}
			case f.array:
				for i := range val.Len() {
					walk(f.fields, val.Index(i), at+"["+strconv.Itoa(i)+"]")
				}
			case f.optional && val.IsNil():
			case f.optional:
				walk(f.fields, val.Elem(), at)
			default:
				walk(f.fields, val, at)
			}
		}
	}
	walk(fields, reflect.ValueOf(s), "")
	return out, nil
}

// Change is a value that differs between two scenes; Was or Is is "" where
// one scene has no such value.
type Change struct {
	Value   Value
	Was, Is string
}

// Diff lists the values that differ from was to is, in is's order, then
// those only was has; keep, when not nil, says which keys to compare.
func Diff(was, is Scene, keep func(key string) bool) ([]Change, error) {
	a, err := Values(was)
	if err != nil {
		return nil, err
	}
	b, err := Values(is)
	if err != nil {
		return nil, err
	}
	old := map[string]Value{}
	for _, v := range a {
		if keep == nil || keep(v.Key) {
			old[v.Path] = v
		}
	}
	var out []Change
	for _, v := range b {
		if keep != nil && !keep(v.Key) {
			continue
		}
		o, ok := old[v.Path]
		delete(old, v.Path)
		if !ok || o.Text != v.Text {
			out = append(out, Change{Value: v, Was: o.Text, Is: v.Text})
		}
	}
	for _, v := range a {
		if _, ok := old[v.Path]; ok {
			out = append(out, Change{Value: v, Was: v.Text})
		}
	}
	return out, nil
}
