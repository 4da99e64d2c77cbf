package scene

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/movie"
)

// fullScene is a scene that sets a value of every kind away from its default.
func fullScene() Scene {
	s := Default()
	s.SetRecordings([]string{"/data/a.pickle", "/data/b c \"q\".pickle", "/data/c.pickle"})
	s.Cells[0].SHA256 = "abc123"
	s.Cells[1].Place = movie.Placement{Offset: [3]float64{10.5, -3, 1e-7}, Rotate: [3]float64{0, 90, -45}}
	s.Cells[1].TimeSpan = movie.TimeSpan{Start: -2.5, Stop: 100, Set: true}
	own := s.Options.Colors
	own.Map, own.VMin, own.Steps = "viridis_r", movie.Limit{Auto: true}, 10
	s.Cells[2].Colors = &own
	s.Output = Output{Out: "/out", Pattern: "f_%d.png", Frames: "10:", Video: "", FPS: 29.97, CRF: 0}
	o := &s.Options
	o.Width, o.Height, o.Target, o.Orbit, o.Resample, o.Label = 640, 361, "1:soma", 0, 1234, "time"
	o.TimeSpan = movie.TimeSpan{Start: 0, Stop: 0.1 + 0.2, Set: true}
	o.Geometry.Prepare.Segmentation, o.Geometry.Prepare.Downscale, o.Geometry.Caps = 7, 1.0/3, true
	o.View.Plane, o.View.Azimuth, o.View.FOV, o.View.Zoom = "xz", -12.25, 35, 1e6
	five := 5.0
	o.Keys = []movie.Keyframe{{Frame: 0}, {Frame: 10.5, Target: "2:0,1,2", Zoom: 4, Roll: 3}, {Time: &five, FOV: 0}}
	o.Colors.VMax = movie.Limit{Value: -52.1}
	o.Look.Background, o.Look.Bloom, o.Look.Shading = [3]uint8{1, 128, 255}, 0, "lit"
	o.Overlays.Title, o.Overlays.Traces, o.Overlays.ColorBar = "Tab\tand \"quotes\" µ −70 mV", []string{"soma", "1:axon"}, true
	o.Overlays.TextColor = &[3]uint8{250, 240, 0}
	o.Layout = movie.Layout{Arrange: "grid", Gap: 0.25}
	s.Network = Network{Nodes: "cortex:0,5,10-19", Category: "mtype", SomaOnlyFill: true, SpikeDecay: 0.5}
	return s
}

func write(t *testing.T, s Scene) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, s, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestWriteThenParseGivesTheScene(t *testing.T) {
	defaults := Default()
	defaults.SetRecordings([]string{"x.pickle"})
	for name, s := range map[string]Scene{"defaults": defaults, "full": fullScene()} {
		text := write(t, s)
		got, err := Parse(text, "printed.toml")
		if err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		// The record of which keys the file gave is the reader's own
		// business.
		for i := range got.Cells {
			got.Cells[i].given = s.Cells[i].given
		}
		got.given = s.given
		if !reflect.DeepEqual(got, s) {
			t.Errorf("%s: the scene read back differs:\n got %+v\nwant %+v", name, got, s)
		}
		if again := write(t, got); !bytes.Equal(again, text) {
			t.Errorf("%s: written twice, the files differ", name)
		}
	}
}

func TestParseKeepsDefaultsAndSharesColours(t *testing.T) {
	s, err := Parse([]byte(`
width = 800
[[cells]]
recording = "a.pickle"
[[cells]]
recording = "b.pickle"
colors = { map = "viridis" }
[colors]
vmin = "auto"
`), "s.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	if s.Options.Width != 800 || s.Options.Height != d.Options.Height || s.Output != d.Output {
		t.Errorf("width %d, height %d, output %+v: want 800, the default height and output", s.Options.Width, s.Options.Height, s.Output)
	}
	if s.Cells[0].Colors != nil {
		t.Error("a cell without colours got some")
	}
	c := s.Cells[1].Colors
	if c == nil || c.Map != "viridis" || !c.VMin.Auto || c.VMax.Value != 20 || c.Stop != 1 {
		t.Fatalf("cell 1's colours %+v: want viridis with the scene's other colours", c)
	}
	// A flag that later changes the scene's colours reaches the keys the
	// cell left to the scene, not the ones it gave.
	s.Options.Colors.VMax, s.Options.Colors.Map = movie.Limit{Value: 50}, "magma"
	if err := s.ShareColors(); err != nil {
		t.Fatal(err)
	}
	if c.VMax.Value != 50 || c.Map != "viridis" {
		t.Errorf("after the scene's colours changed, cell 1 has map %s, vmax %v", c.Map, c.VMax)
	}
}

func TestParseRefusesWithLineNumbers(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"unknown top-level key", "widht = 3\n", "s.toml:1: unknown key widht; did you mean width?"},
		{"unknown key in a table", "[colors]\nmap = \"plasma\"\n\ncmapp = 1\n", "s.toml:4: unknown key colors.cmapp"},
		{"unknown table", "[looks]\naa = 2\n", "s.toml:1: unknown key looks; did you mean look?"},
		{"unknown key in a second cell", "[[cells]]\nrecording = \"a\"\n[[cells]]\nrecording = \"b\"\nofset = [1, 2, 3]\n", "s.toml:5: unknown key cells.ofset; did you mean offset?"},
		{"unknown key in a cell's colours", "[[cells]]\nrecording = \"a\"\n[cells.colors]\nmapp = \"x\"\n", "s.toml:4: unknown key cells.colors.mapp; did you mean map?"},
		{"two unknown keys", "a = 1\nb = 2\n", "s.toml:1: unknown key a\ns.toml:2: unknown key b"},
		{"a string for a number", "[view]\nzoom = \"4\"\n", `s.toml:2: view.zoom: want a number, not "4"`},
		{"a fraction for a count", "\n\nwidth = 10.5\n", "s.toml:3: width: want a whole number, not 10.5"},
		{"a bad limit", "[colors]\nvmin = \"low\"\n", `s.toml:2: colors.vmin: want a voltage in mV or "auto", not "low"`},
		{"a bad colour", "[look]\nbackground = \"black\"\n", `s.toml:2: look.background: want a colour as "#rrggbb", not "black"`},
		{"a bad segmentation", "[geometry]\nsegmentation = \"many\"\n", `s.toml:2: geometry.segmentation: want a whole number or "auto", not "many"`},
		{"offset of two numbers", "[[cells]]\nrecording = \"a\"\n[[cells]]\nrecording = \"b\"\noffset = [1, 2]\n", "s.toml:5: cells[1].offset: want a list of 3 numbers, not a list"},
		{"a keyframe's zoom", "[[keys]]\nframe = 0\n[[keys]]\nframe = 10\nzoom = true\n", "s.toml:5: keys[1].zoom: want a number, not true"},
		{"an inline keyframe", "keys = [{frame = 1}, {frame = \"x\"}]\n", `s.toml:1: keys[1].frame: want a number, not "x"`},
		{"a bad time span", "time-span = \"5\"\n", `s.toml:1: time-span: "5": want START:STOP in ms, or nothing`},
		{"a cell without a recording", "[[cells]]\noffset = [0, 0, 0]\n", "s.toml:1: cells[0]: gives no recording"},
		{"bad TOML", "width = \n", "s.toml:1:"},
		{"a key twice", "width = 1\nwidth = 2\n", "s.toml:2:"},
	} {
		_, err := Parse([]byte(tc.file), "s.toml")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: Parse = %v, want an error beginning %q", tc.name, err, tc.want)
		}
	}
}

func TestReadResolvesPathsFromTheFilesFolder(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "scene.toml")
	writeFile(t, path, "[[cells]]\nrecording = \"runs/a.pickle\"\n[[cells]]\nrecording = \"/abs/b.pickle\"\n[output]\nout = \"frames\"\n")
	s, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "runs", "a.pickle"); s.Cells[0].Recording != want {
		t.Errorf("recording %s, want %s", s.Cells[0].Recording, want)
	}
	if s.Cells[1].Recording != "/abs/b.pickle" || s.Output.Out != filepath.Join(dir, "frames") || s.Output.Video != "" {
		t.Errorf("recording %s, out %s, video %q", s.Cells[1].Recording, s.Output.Out, s.Output.Video)
	}
	if _, err := Read(filepath.Join(dir, "none.toml")); err == nil {
		t.Error("a missing file was read")
	}
	big := filepath.Join(dir, "big.toml")
	writeFile(t, big, strings.Repeat("#", MaxFileSize+1))
	if _, err := Read(big); err == nil || !strings.Contains(err.Error(), "not a scene file") {
		t.Errorf("a huge file: %v", err)
	}
}

func TestSetRecordingsKeepsPlacements(t *testing.T) {
	s := fullScene()
	s.SetRecordings([]string{"x", "y"})
	if len(s.Cells) != 2 || s.Cells[0].Recording != "x" || s.Cells[0].SHA256 != "" || s.Cells[1].Place.Rotate[1] != 90 {
		t.Errorf("cells %+v", s.Cells)
	}
	s.SetRecordings([]string{"x", "y", "z"})
	if len(s.Cells) != 3 || s.Cells[2].Recording != "z" || s.Cells[2].Colors != nil {
		t.Errorf("cells %+v", s.Cells)
	}
}

func TestKeysAndTake(t *testing.T) {
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"width", "colors.map", "colors.vmin", "geometry.segmentation", "view.plane", "output.pattern", "layout.arrange", "overlays.colorbar", "time-span",
		"network.nodes", "network.category", "network.soma-only-fill", "network.spike-decay"} {
		if !contains(keys, want) {
			t.Errorf("Keys lacks %s", want)
		}
	}
	for _, never := range []string{"cells.recording", "keys.zoom", "view.target", "cells", "colors"} {
		if contains(keys, never) {
			t.Errorf("Keys holds %s, which no flag can set", never)
		}
	}
	s, from := Default(), fullScene()
	for _, k := range []string{"colors.map", "view.fov", "output.fps", "width", "network.spike-decay"} {
		if err := s.Take(k, &from); err != nil {
			t.Fatal(err)
		}
	}
	if s.Options.Colors.Map != "plasma" || s.Options.View.FOV != 35 || s.Output.FPS != 29.97 || s.Options.Width != 640 || s.Options.Height != 1080 ||
		s.Network.SpikeDecay != 0.5 || s.Network.Nodes != "" {
		t.Errorf("after Take: %+v", s)
	}
	for _, bad := range []string{"keys.zoom", "cells.recording", "colours.map"} {
		if err := s.Take(bad, &from); err == nil {
			t.Errorf("Take(%s) succeeded", bad)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDiff(t *testing.T) {
	was, is := fullScene(), fullScene()
	is.Options.Colors.Map = "viridis"
	is.Cells[1].Place.Offset[0] = 11
	is.Cells = is.Cells[:2]
	is.Output.Out = "/elsewhere"
	changes, err := Diff(was, is, func(key string) bool { return key != "output.out" })
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"cells[1].offset: [10.5, -3, 1e-07] → [11, -3, 1e-07]",
		`colors.map: "plasma" → "viridis"`,
	}
	if len(changes) < len(want) {
		t.Fatalf("Diff: %v", changes)
	}
	for i, c := range changes {
		got := c.Value.Path + ": " + c.Was + " → " + c.Is
		switch {
		case i < len(want) && got != want[i]:
			t.Errorf("change %d: %s, want %s", i, got, want[i])
		case i >= len(want) && (!strings.HasPrefix(c.Value.Path, "cells[2].") || c.Is != ""):
			t.Errorf("change %d: %s, want a value of the dropped cell 2", i, got)
		}
	}
	if same, _ := Diff(was, fullScene(), nil); len(same) != 0 {
		t.Errorf("Diff of equal scenes: %v", same)
	}
}

// TestEveryKeyIsDocumented: the printed scene says what each key does, so
// a new option needs its line in docs.
func TestEveryKeyIsDocumented(t *testing.T) {
	fields, err := schema()
	if err != nil {
		t.Fatal(err)
	}
	var walk func(fs []*field)
	walk = func(fs []*field) {
		for _, f := range fs {
			if docOf(f.path) == "" {
				t.Errorf("key %s has no line in docs", f.path)
			}
			walk(f.fields)
		}
	}
	walk(fields)
	for path := range docs {
		if _, err := fieldAt(path); err != nil {
			t.Errorf("docs describe %s, which is no key", path)
		}
	}
}

func TestKeyName(t *testing.T) {
	for goName, want := range map[string]string{
		"MinWidth": "min-width", "VMin": "vmin", "FOV": "fov", "AA": "aa", "SimplifySoma": "simplify-soma",
		"TimeSpan": "time-span", "SHA256": "sha256", "Out": "out", "Level2Detail": "level2-detail",
	} {
		if got := keyName(goName); got != want {
			t.Errorf("keyName(%s) = %s, want %s", goName, got, want)
		}
	}
}
