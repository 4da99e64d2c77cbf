package colormap

import (
	"math"
	"strings"
	"testing"
)

func mustGet(t testing.TB, spec string) *Map {
	t.Helper()
	m, err := Get(spec)
	if err != nil {
		t.Fatalf("Get(%q): %v", spec, err)
	}
	return m
}

func TestGetUnknownNameSuggestsClosest(t *testing.T) {
	tests := []struct {
		spec    string
		suggest []string // must all be among the suggestions
	}{
		{"virdis", []string{"viridis"}},
		{"viridsi", []string{"viridis"}},
		{"Viridis", []string{"viridis"}},
		{"rocekt", []string{"rocket"}},
		{"blues", []string{"Blues"}},
		{"magma_rr", []string{"magma_r"}},
		{"icefire_x", []string{"icefire"}},
	}
	for _, tt := range tests {
		_, err := Get(tt.spec)
		if err == nil {
			t.Errorf("Get(%q) succeeded", tt.spec)
			continue
		}
		msg := err.Error()
		i := strings.Index(msg, "did you mean ")
		if i < 0 {
			t.Errorf("Get(%q): %q has no suggestion", tt.spec, msg)
			continue
		}
		got := strings.Split(strings.TrimSuffix(msg[i+len("did you mean "):], "?)"), ", ")
		if len(got) != 3 {
			t.Errorf("Get(%q): suggestions %q, want three", tt.spec, got)
		}
		for _, want := range tt.suggest {
			if !strings.Contains(strings.Join(got, ","), want) {
				t.Errorf("Get(%q): suggestions %q lack %q", tt.spec, got, want)
			}
		}
	}
}

func TestGetRejectsBadSpecs(t *testing.T) {
	tests := []struct{ spec, inError string }{
		{"", "no colormap name given"},
		{" ", "no colormap name given"},
		{"#000000", "at least two"},
		{"#zzzzzz", `"#zzzzzz" is not a colour as #rrggbb`},
		{"#000000,", "colour 2"},
		{"#000000,#gggggg", "colour 2"},
		{"#000000,#12345", "colour 2"},
		{"000000,#ffffff", "colour 1"},
		{"red,blue", "colour 1"},
		{strings.Repeat("#000,", MaxCustomColours) + "#fff", "at most"},
	}
	for _, tt := range tests {
		_, err := Get(tt.spec)
		if err == nil || !strings.Contains(err.Error(), tt.inError) {
			t.Errorf("Get(%.40q) error %v, want one mentioning %q", tt.spec, err, tt.inError)
		}
	}
}

func TestAtClampsAndHandlesNaN(t *testing.T) {
	for _, spec := range []string{"viridis", "tab10", "#000000,#ff3000,#ffff80"} {
		m := mustGet(t, spec)
		r0, g0, b0 := m.At(0)
		r1, g1, b1 := m.At(1)
		for _, x := range []float64{math.Inf(-1), -1e300, -0.5, math.NaN()} {
			if r, g, b := m.At(x); r != r0 || g != g0 || b != b0 {
				t.Errorf("%s: At(%v) differs from At(0)", spec, x)
			}
		}
		for _, x := range []float64{1.5, 1e300, math.Inf(1)} {
			if r, g, b := m.At(x); r != r1 || g != g1 || b != b1 {
				t.Errorf("%s: At(%v) differs from At(1)", spec, x)
			}
		}
	}
}

func TestCustomEndsAreItsColours(t *testing.T) {
	m := mustGet(t, " #000000 , #FF3000,#ffff80 ")
	for _, tt := range []struct {
		x       float64
		r, g, b float64
	}{
		{0, 0, 0, 0},
		{0.5, 1, 0x30 / 255.0, 0},
		{1, 1, 1, 0x80 / 255.0},
		{0.25, 0.5, 0x18 / 255.0, 0},
	} {
		r, g, b := m.At(tt.x)
		if math.Abs(r-tt.r) > 1e-12 || math.Abs(g-tt.g) > 1e-12 || math.Abs(b-tt.b) > 1e-12 {
			t.Errorf("At(%g) = %.4f %.4f %.4f, want %.4f %.4f %.4f", tt.x, r, g, b, tt.r, tt.g, tt.b)
		}
	}
}

func TestSubRejectsBadRanges(t *testing.T) {
	tests := []struct {
		spec        string
		start, stop float64
	}{
		{"viridis", -0.1, 0.5},
		{"viridis", 0.5, 1.1},
		{"viridis", math.NaN(), 0.5},
		{"viridis", 0.5, math.NaN()},
		{"viridis", 0.5, 0.5}, // 128 … 127: nothing
		{"viridis", 0.8, 0.2},
		{"tab10", 0.3, 0.3},
		{"#000,#fff", 0.5, 0.5},
		{"#000,#fff", 0.6, 0.4},
	}
	for _, tt := range tests {
		if _, err := mustGet(t, tt.spec).Sub(tt.start, tt.stop); err == nil {
			t.Errorf("%s.Sub(%g, %g) succeeded", tt.spec, tt.start, tt.stop)
		}
	}
}

func TestSubOfSubNarrowsContinuousMaps(t *testing.T) {
	m := mustGet(t, "#000000,#ffffff")
	a, err := m.Sub(0.2, 0.6)
	if err != nil {
		t.Fatal(err)
	}
	b, err := a.Sub(0.5, 1)
	if err != nil {
		t.Fatal(err)
	}
	// b spans [0.4, 0.6] of the grey ramp.
	for _, x := range []float64{0, 0.5, 1} {
		r, _, _ := b.At(x)
		if want := 0.4 + 0.2*x; math.Abs(r-want) > 1e-12 {
			t.Errorf("At(%g) = %g, want %g", x, r, want)
		}
	}
}

func TestSteppedStopsAreTheMapsColours(t *testing.T) {
	m := mustGet(t, "plasma")
	ramp, err := m.Stepped(10)
	if err != nil {
		t.Fatal(err)
	}
	for k := 0; k < 10; k++ {
		x := float64(k) / 9
		r, g, b := ramp.At(x)
		wr, wg, wb := m.At(x)
		if math.Abs(r-wr) > 1e-9 || math.Abs(g-wg) > 1e-9 || math.Abs(b-wb) > 1e-9 {
			t.Errorf("stop %d: ramp %.4f %.4f %.4f, map %.4f %.4f %.4f", k, r, g, b, wr, wg, wb)
		}
	}
	// Half way between black and white in linear light is sRGB 0.735.
	grey, err := mustGet(t, "gray").Stepped(2)
	if err != nil {
		t.Fatal(err)
	}
	if r, _, _ := grey.At(0.5); math.Abs(r-0.7353569830524495) > 1e-9 {
		t.Errorf("gray ramp at 0.5 = %g, want 0.7354", r)
	}
}

func TestSteppedRejectsBadCounts(t *testing.T) {
	m := mustGet(t, "viridis")
	for _, n := range []int{-1, 0, 1, MaxSteps + 1} {
		if _, err := m.Stepped(n); err == nil {
			t.Errorf("Stepped(%d) succeeded", n)
		}
	}
}
