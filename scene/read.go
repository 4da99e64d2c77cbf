package scene

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/pelletier/go-toml/v2"

	"github.com/spikeframes/spikeframes/internal/closest"
)

// MaxFileSize bounds a scene file, in bytes: a scene is settings, not data.
const MaxFileSize = 4 << 20

// Read reads the scene file at path; relative paths in it are taken from
// the file's folder. Every error names the file and, where it can, the
// line.
func Read(path string) (Scene, error) {
	f, err := os.Open(path)
	if err != nil {
		return Scene{}, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return Scene{}, fmt.Errorf("%s: %w", path, err)
	}
	if len(data) > MaxFileSize {
		return Scene{}, fmt.Errorf("%s: larger than %d bytes: not a scene file", path, MaxFileSize)
	}
	s, err := Parse(data, path)
	if err != nil {
		return Scene{}, err
	}
	if err := s.Absolute(filepath.Dir(path)); err != nil {
		return Scene{}, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// Parse reads a scene from data, named name in messages. Keys the file
// leaves out keep the defaults (Default); a cell's colours left out are
// the scene's. Paths stay as the file writes them.
func Parse(data []byte, name string) (Scene, error) {
	fields, err := schema()
	if err != nil {
		return Scene{}, err
	}
	shadow := reflect.New(shadowOf(fields))
	dec := toml.NewDecoder(bytes.NewReader(data)).DisallowUnknownFields()
	if err := dec.Decode(shadow.Interface()); err != nil {
		return Scene{}, decodeError(name, err, fields)
	}
	s := Default()
	r := reader{name: name, lines: keyLines(data), give: s.give}
	if err := r.table(fields, shadow.Elem(), reflect.ValueOf(&s).Elem(), ""); err != nil {
		return Scene{}, err
	}
	for i, c := range s.Cells {
		if c.Recording == "" {
			return Scene{}, r.errorf(fmt.Sprintf("cells[%d]", i), "gives no recording")
		}
	}
	if err := s.ShareColors(); err != nil {
		return Scene{}, err
	}
	return s, nil
}

// reader applies a decoded file to a scene.
type reader struct {
	name  string
	lines map[string]int
	give  func(key string) // records a key the file gave, outside arrays
}

// errorf is an error about the key at path, with its line when known.
func (r reader) errorf(path, format string, a ...any) error {
	if line := r.lines[path]; line > 0 {
		return fmt.Errorf("%s:%d: %s: %s", r.name, line, path, fmt.Sprintf(format, a...))
	}
	return fmt.Errorf("%s: %s: %s", r.name, path, fmt.Sprintf(format, a...))
}

// table applies a table's decoded keys (shadow, of shadowOf(fields)) to
// dst, at path. A cell's own colours remember which keys the file gave.
func (r reader) table(fields []*field, shadow, dst reflect.Value, path string) error {
	for i, f := range fields {
		sv := shadow.Field(i)
		at := joinKey(path, f.key)
		switch {
		case !f.isTable():
			if sv.IsNil() {
				continue
			}
			if err := f.codec.read(sv.Elem().Interface(), dst.FieldByIndex(f.index)); err != nil {
				return r.errorf(at, "%v", err)
			}
			if at == f.path {
				r.give(at)
			}
		case f.array:
			elems := reflect.MakeSlice(reflect.SliceOf(f.elem), sv.Len(), sv.Len())
			for j := range sv.Len() {
				if err := r.table(f.fields, sv.Index(j), elems.Index(j), at+"["+strconv.Itoa(j)+"]"); err != nil {
					return err
				}
			}
			if sv.Len() > 0 {
				dst.FieldByIndex(f.index).Set(elems)
			}
		case sv.IsNil():
		case f.optional:
			v := reflect.New(f.elem)
			if err := r.table(f.fields, sv.Elem(), v.Elem(), at); err != nil {
				return err
			}
			dst.FieldByIndex(f.index).Set(v)
			if c, ok := dst.Addr().Interface().(*Cell); ok {
				c.given = givenKeys(f.fields, sv.Elem())
			}
		default:
			if err := r.table(f.fields, sv.Elem(), dst.FieldByIndex(f.index), at); err != nil {
				return err
			}
		}
	}
	return nil
}

// givenKeys are the keys a decoded table holds.
func givenKeys(fields []*field, shadow reflect.Value) map[string]bool {
	given := map[string]bool{}
	for i, f := range fields {
		if !shadow.Field(i).IsNil() {
			given[f.key] = true
		}
	}
	return given
}

var (
	anyType   = reflect.TypeOf((*any)(nil)).Elem()
	shadowMux sync.Mutex
	shadows   = map[*field]reflect.Type{} // by a table's first key
)

// shadowOf is the struct type the TOML decoder fills for a table of
// fields: every value an `any` (nil when absent), every table a pointer,
// every array of tables a slice, each tagged with its key, so that the
// decoder refuses unknown keys and says where they are.
func shadowOf(fields []*field) reflect.Type {
	shadowMux.Lock()
	defer shadowMux.Unlock()
	return shadowLocked(fields)
}

func shadowLocked(fields []*field) reflect.Type {
	if len(fields) > 0 {
		if t, ok := shadows[fields[0]]; ok {
			return t
		}
	}
	sfs := make([]reflect.StructField, len(fields))
	for i, f := range fields {
		t := anyType
		switch {
		case f.array:
			t = reflect.SliceOf(shadowLocked(f.fields))
		case f.isTable():
			t = reflect.PointerTo(shadowLocked(f.fields))
		}
		sfs[i] = reflect.StructField{Name: "F" + strconv.Itoa(i), Type: t, Tag: reflect.StructTag(`toml:"` + f.key + `"`)}
	}
	t := reflect.StructOf(sfs)
	if len(fields) > 0 {
		shadows[fields[0]] = t
	}
	return t
}

// decodeError says what the TOML decoder found wrong, with the file's
// name and the line: for unknown keys, every one of them, with the nearest
// known key of its table.
func decodeError(name string, err error, fields []*field) error {
	var strict *toml.StrictMissingError
	if errors.As(err, &strict) {
		msgs := make([]string, len(strict.Errors))
		for i, e := range strict.Errors {
			row, _ := e.Position()
			key := e.Key()
			msgs[i] = fmt.Sprintf("%s:%d: unknown key %s%s", name, row, strings.Join(key, "."), nearestKey(fields, key))
		}
		return errors.New(strings.Join(msgs, "\n"))
	}
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return fmt.Errorf("%s:%d: %s", name, row, strings.TrimPrefix(de.Error(), "toml: "))
	}
	return fmt.Errorf("%s: %w", name, err)
}

// nearestKey suggests the known key nearest to an unknown one, or "".
func nearestKey(fields []*field, key []string) string {
	for _, part := range key[:len(key)-1] {
		var next []*field
		for _, f := range fields {
			if f.key == part {
				next = f.fields
			}
		}
		fields = next
	}
	var known []string
	for _, f := range fields {
		known = append(known, f.key)
	}
	last := key[len(key)-1]
	best := closest.Names(last, known, 1)
	if len(best) == 0 || closest.Distance(last, best[0]) > max(2, len(last)/3) {
		return ""
	}
	return "; did you mean " + best[0] + "?"
}
