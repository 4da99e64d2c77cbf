package sonata

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// configFile is one JSON config (simulation, circuit or a BMTK root
// config) with its manifest. String values are expanded when they are
// read, so the expansion of a hostile manifest is bounded by what is read.
type configFile struct {
	path string // absolute
	dir  string
	root map[string]any
	// vars are the manifest's values by name (without the "$"), and the
	// built-in variables BMTK defines; expanded holds those already
	// expanded.
	vars     map[string]string
	expanded map[string]string
	budget   int // bytes of expanded text still allowed
}

// readLimited reads a whole file of at most limit bytes.
func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than the %d-byte limit", path, limit)
	}
	return data, nil
}

// decodeJSON decodes one JSON value, numbers kept as json.Number, and
// refuses anything after it.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("empty file, not JSON")
		}
		return nil, fmt.Errorf("not valid JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("not valid JSON: more data after the top-level value")
	}
	return v, nil
}

// readConfig reads the JSON config at path and its manifest.
func readConfig(path string) (*configFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	data, err := readLimited(abs, MaxConfigSize)
	if err != nil {
		return nil, err
	}
	v, err := decodeJSON(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", abs, err)
	}
	root, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: a config is a JSON object, not %s", abs, jsonKind(v))
	}
	cf := &configFile{
		path:     abs,
		dir:      filepath.Dir(abs),
		root:     root,
		vars:     map[string]string{"configdir": filepath.Dir(abs), "configfname": abs},
		expanded: map[string]string{},
		budget:   MaxExpansion,
	}
	if wd, err := os.Getwd(); err == nil {
		cf.vars["workingdir"] = wd
	}
	if m, ok := root["manifest"]; ok {
		manifest, ok := m.(map[string]any)
		if !ok {
			return nil, cf.errorf("manifest", "want an object of variables, not %s", jsonKind(m))
		}
		for key, val := range manifest {
			name, ok := strings.CutPrefix(key, "$")
			if !ok || !isVarName(name) {
				return nil, cf.errorf("manifest", "variable %q: want $ and letters, digits or _", key)
			}
			s, ok := val.(string)
			if !ok {
				return nil, cf.errorf("manifest."+key, "want a string, not %s", jsonKind(val))
			}
			cf.vars[name] = s
		}
	}
	return cf, nil
}

// errorf makes an error naming the file and the key it is about.
func (cf *configFile) errorf(where, format string, args ...any) error {
	return fmt.Errorf("%s: %s: %s", cf.path, where, fmt.Sprintf(format, args...))
}

func isVarName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isVarByte(s[i]) {
			return false
		}
	}
	return true
}

func isVarByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// expand substitutes the manifest variables in s: $NAME takes the longest
// run of letters, digits and _ after the $, ${NAME} the name in braces; a
// $ followed by neither is kept as it is.
func (cf *configFile) expand(s, where string) (string, error) {
	var b strings.Builder
	if err := cf.expandInto(&b, s, where, nil); err != nil {
		return "", err
	}
	return b.String(), nil
}

func (cf *configFile) expandInto(b *strings.Builder, s, where string, stack []string) error {
	for len(s) > 0 {
		i := strings.IndexByte(s, '$')
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			if err := cf.spend(i, where); err != nil {
				return err
			}
			b.WriteString(s[:i])
			s = s[i:]
			continue
		}
		name, n := varRef(s)
		if name == "" {
			if err := cf.spend(1, where); err != nil {
				return err
			}
			b.WriteByte('$')
			s = s[1:]
			continue
		}
		val, err := cf.variable(name, where, stack)
		if err != nil {
			return err
		}
		if err := cf.spend(len(val), where); err != nil {
			return err
		}
		b.WriteString(val)
		s = s[n:]
	}
	return nil
}

// varRef reads a variable reference at the start of s (which starts with
// '$'): its name and its length in s, or "" if it is not one.
func varRef(s string) (string, int) {
	if strings.HasPrefix(s, "${") {
		end := strings.IndexByte(s, '}')
		if end < 0 || !isVarName(s[2:end]) {
			return "", 0
		}
		return s[2:end], end + 1
	}
	n := 1
	for n < len(s) && isVarByte(s[n]) {
		n++
	}
	return s[1:n], n
}

// variable returns the expanded value of a manifest variable.
func (cf *configFile) variable(name, where string, stack []string) (string, error) {
	if v, ok := cf.expanded[name]; ok {
		return v, nil
	}
	raw, ok := cf.vars[name]
	if !ok {
		return "", cf.errorf(where, "unknown manifest variable $%s", name)
	}
	for _, s := range stack {
		if s == name {
			return "", cf.errorf(where, "manifest variable $%s refers to itself (through $%s)", name, strings.Join(stack, ", $"))
		}
	}
	var b strings.Builder
	if err := cf.expandInto(&b, raw, where, append(stack, name)); err != nil {
		return "", err
	}
	cf.expanded[name] = b.String()
	return b.String(), nil
}

func (cf *configFile) spend(n int, where string) error {
	cf.budget -= n
	if cf.budget < 0 {
		return cf.errorf(where, "manifest variables expand to more than %d bytes", MaxExpansion)
	}
	return nil
}

// jsonKind names the kind of a decoded JSON value for error messages.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// object returns the object at key of m, or nil if m has no such key.
func (cf *configFile) object(m map[string]any, key, where string) (map[string]any, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return nil, nil
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, cf.errorf(where, "want an object, not %s", jsonKind(v))
	}
	return o, nil
}

// str returns the expanded string at key of m, or "" if m has no such key
// (or it is null).
func (cf *configFile) str(m map[string]any, key, where string) (string, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", cf.errorf(where, "want a string, not %s", jsonKind(v))
	}
	return cf.expand(s, where)
}

// file returns the path at key of m, relative paths taken from base (the
// config's own directory when base is ""), or "" if m has no such key.
func (cf *configFile) file(m map[string]any, key, where, base string) (string, error) {
	s, err := cf.str(m, key, where)
	if err != nil || s == "" {
		return "", err
	}
	if base == "" {
		base = cf.dir
	}
	if !filepath.IsAbs(s) {
		s = filepath.Join(base, s)
	}
	return filepath.Clean(s), nil
}

// number returns the number at key of m, or def if m has no such key.
func (cf *configFile) number(m map[string]any, key, where string, def float64) (float64, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return def, nil
	}
	n, ok := v.(json.Number)
	if !ok {
		return 0, cf.errorf(where, "want a number, not %s", jsonKind(v))
	}
	f, err := n.Float64()
	if err != nil {
		return 0, cf.errorf(where, "number %s out of range", n)
	}
	return f, nil
}

// boolean returns the boolean at key of m, or def if m has no such key.
func (cf *configFile) boolean(m map[string]any, key, where string, def bool) (bool, error) {
	v, ok := m[key]
	if !ok || v == nil {
		return def, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, cf.errorf(where, "want true or false, not %s", jsonKind(v))
	}
	return b, nil
}
