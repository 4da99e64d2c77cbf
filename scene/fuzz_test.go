package scene

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzParse feeds arbitrary files to Parse. It must never panic, and a
// scene it accepts must print as a file that reads back to the same values.
func FuzzParse(f *testing.F) {
	var full bytes.Buffer
	if err := Write(&full, fullScene(), nil); err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		full.String(),
		"width = 3\n[[cells]]\nrecording = \"a\"\n[cells.colors]\nmap = \"viridis\"\n",
		"keys = [{frame = 1, time = 2.5}, {target = \"1:soma\"}]\n[[cells]]\nrecording = \"x\"\n",
		"[overlays]\ntext-color = \"#abc\"\ntraces = [\"soma\", \"1:2\"]\ntime-span = \"0:1e3\"\n",
		"[geometry]\nsegmentation = \"auto\"\n[colors]\nvmin = \"auto\"\nvmax = -1e400\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse(data, "f.toml")
		if err != nil {
			return
		}
		var buf bytes.Buffer
		if err := Write(&buf, s, nil); err != nil {
			t.Fatalf("Write: %v", err)
		}
		again, err := Parse(buf.Bytes(), "again.toml")
		if err != nil {
			t.Fatalf("a printed scene does not read: %v\n%s", err, buf.Bytes())
		}
		a, _ := Values(s)
		b, _ := Values(again)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("printed and read again, the scene differs:\n%v\n%v", a, b)
		}
	})
}
