package main

import (
	"bytes"
	"encoding/json"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestColormapHexSamples(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		// matplotlib: [to_hex(c) for c in viridis(np.linspace(0, 1, 11))]
		{[]string{"viridis"}, []string{"#440154", "#482475", "#414487", "#355f8d", "#2a788e",
			"#21918c", "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"}},
		// tab10's ten colours sit at k/9, one per bin.
		{[]string{"tab10", "--samples", "10"}, []string{"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728",
			"#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"}},
		{[]string{"--samples=2", "#000000,#ff3000,#ffff80"}, []string{"#000000", "#ffff80"}},
		{[]string{"gray", "--steps", "2", "--samples", "3"}, []string{"#000000", "#bcbcbc", "#ffffff"}},
		{[]string{"Set1", "--start", "0.5", "--stop", "0.5", "--samples", "2"}, []string{"#ff7f00", "#ff7f00"}},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		if status := run(append([]string{"colormap"}, tt.args...), &out, &errb); status != exitOK {
			t.Errorf("%q: status %d, stderr %q", tt.args, status, errb.String())
			continue
		}
		if got := strings.Fields(out.String()); strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("%q:\n got %q\nwant %q", tt.args, got, tt.want)
		}
	}
}

func TestColormapJSONSamples(t *testing.T) {
	var out, errb bytes.Buffer
	if status := run([]string{"colormap", "rocket_r", "--samples", "3", "--json"}, &out, &errb); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	var rgb [][3]float64
	if err := json.Unmarshal(out.Bytes(), &rgb); err != nil {
		t.Fatalf("not a JSON array of triples: %v", err)
	}
	// seaborn: rocket_r(np.linspace(0, 1, 3))
	want := [][3]float64{{0.98138, 0.92062, 0.86537}, {0.79086, 0.10185, 0.31339}, {0.01061, 0.01808, 0.10019}}
	if len(rgb) != len(want) {
		t.Fatalf("%d samples, want %d", len(rgb), len(want))
	}
	for i := range want {
		for c := range 3 {
			if d := rgb[i][c] - want[i][c]; d > 0.5/255+1e-5 || d < -0.5/255-1e-5 {
				t.Errorf("sample %d channel %d = %.5f, seaborn %.5f", i, c, rgb[i][c], want[i][c])
			}
		}
	}
}

func TestColormapUsageErrors(t *testing.T) {
	tests := []struct {
		args    []string
		inError string
	}{
		{[]string{}, "want one colormap"},
		{[]string{"viridis", "plasma"}, "want one colormap"},
		{[]string{"virdis"}, "did you mean viridis"},
		{[]string{"viridis", "--samples", "1"}, "--samples 1"},
		{[]string{"viridis", "--samples", "5000"}, "--samples 5000"},
		{[]string{"viridis", "--steps", "1"}, "steps"},
		{[]string{"viridis", "--steps", "33"}, "steps"},
		{[]string{"viridis", "--start", "-0.5"}, "[0, 1]"},
		{[]string{"viridis", "--start", "0.8", "--stop", "0.2"}, "no colour"},
		{[]string{"viridis", "--samples", "many"}, "invalid argument"},
		{[]string{"#000000"}, "at least two"},
	}
	for _, tt := range tests {
		var out, errb bytes.Buffer
		status := run(append([]string{"colormap"}, tt.args...), &out, &errb)
		if status != exitUsage {
			t.Errorf("%q: status %d, want %d", tt.args, status, exitUsage)
		}
		if !strings.Contains(errb.String(), tt.inError) {
			t.Errorf("%q: stderr %q lacks %q", tt.args, errb.String(), tt.inError)
		}
		if out.Len() != 0 {
			t.Errorf("%q: printed %q on a usage error", tt.args, out.String())
		}
	}
}

func TestColormapWritesSwatchPNG(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "swatch.png")
	var out, errb bytes.Buffer
	if status := run([]string{"colormap", "viridis", "-o", path}, &out, &errb); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != swatchWidth || b.Dy() != swatchHeight {
		t.Fatalf("swatch is %v, want %d×%d", b, swatchWidth, swatchHeight)
	}
	for _, px := range []struct {
		x, y    int
		r, g, b uint32
	}{
		{0, 0, 0x44, 0x01, 0x54},                              // viridis at 0
		{swatchWidth - 1, swatchHeight - 1, 0xfd, 0xe7, 0x25}, // viridis at 1
	} {
		r, g, b, a := img.At(px.x, px.y).RGBA()
		if r>>8 != px.r || g>>8 != px.g || b>>8 != px.b || a>>8 != 255 {
			t.Errorf("pixel (%d, %d) = %02x%02x%02x/%02x, want %02x%02x%02x", px.x, px.y, r>>8, g>>8, b>>8, a>>8, px.r, px.g, px.b)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the swatch", len(entries))
	}
	if !strings.HasPrefix(out.String(), "#440154\n") {
		t.Errorf("samples not printed with -o: %q", out.String())
	}
}

func TestColormapSwatchToMissingFolderIsOutputError(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no-such-folder", "swatch.png")
	var out, errb bytes.Buffer
	if status := run([]string{"colormap", "viridis", "--png", path}, &out, &errb); status != exitOutput {
		t.Errorf("status %d, want %d (stderr %q)", status, exitOutput, errb.String())
	}
	if out.Len() != 0 {
		t.Errorf("printed samples although the swatch failed: %q", out.String())
	}
}
