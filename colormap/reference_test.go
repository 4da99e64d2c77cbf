package colormap

import (
	"encoding/json"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"testing"
)

// reference is testdata/reference.json, written by gen/gen_tables.py from
// what matplotlib and seaborn themselves answer.
type reference struct {
	Matplotlib string               `json:"matplotlib"`
	Seaborn    string               `json:"seaborn"`
	Xs         map[string][]float64 `json:"xs"`
	Maps       map[string]struct {
		N   int       `json:"n"`
		RGB []float64 `json:"rgb"`
	} `json:"maps"`
	Sub []struct {
		Name  string    `json:"name"`
		Start float64   `json:"start"`
		Stop  float64   `json:"stop"`
		N     int       `json:"n"`
		Xs    []float64 `json:"xs"`
		RGB   []float64 `json:"rgb"`
	} `json:"sub"`
	Stepped []struct {
		Name  string    `json:"name"`
		Start float64   `json:"start"`
		Stop  float64   `json:"stop"`
		Steps int       `json:"steps"`
		Xs    []float64 `json:"xs"`
		RGB   []float64 `json:"rgb"`
	} `json:"stepped"`
	Custom []struct {
		Spec  string    `json:"spec"`
		Start float64   `json:"start"`
		Stop  float64   `json:"stop"`
		Xs    []float64 `json:"xs"`
		RGB   []float64 `json:"rgb"`
	} `json:"custom"`
}

func loadReference(t testing.TB) *reference {
	t.Helper()
	raw, err := os.ReadFile("testdata/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref reference
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatalf("reference.json: %v", err)
	}
	return &ref
}

// The reference holds colours to 5 decimals.
const referenceRounding = 0.5e-5

// Tolerances: a table map stores matplotlib's float colours rounded to 8
// bits, so it is within half a step (any wrong entry would show as more);
// continuous maps must be within one 8-bit step.
const (
	halfStep = 0.5/255 + referenceRounding + 1e-12
	oneStep  = 1.0/255 + referenceRounding + 1e-12
)

// compareSamples checks m.At against reference colours and returns the
// largest difference seen.
func compareSamples(t *testing.T, what string, m *Map, xs, rgb []float64, tol float64) float64 {
	t.Helper()
	if len(rgb) != 3*len(xs) {
		t.Fatalf("%s: %d colours for %d samples", what, len(rgb), len(xs))
	}
	worst := 0.0
	for i, x := range xs {
		r, g, b := m.At(x)
		for c, got := range []float64{r, g, b} {
			want := rgb[3*i+c]
			d := math.Abs(got - want)
			worst = max(worst, d)
			if d > tol {
				t.Errorf("%s: At(%v) channel %d = %.6f, matplotlib %.6f (off by %.2f steps)",
					what, x, c, got, want, d*255)
			}
		}
	}
	return worst
}

func TestReferenceVersions(t *testing.T) {
	ref := loadReference(t)
	if ref.Matplotlib != matplotlibVersion || ref.Seaborn != seabornVersion {
		t.Errorf("reference from matplotlib %s / seaborn %s, tables from %s / %s: rerun go generate",
			ref.Matplotlib, ref.Seaborn, matplotlibVersion, seabornVersion)
	}
}

func TestNamesAreEveryReferenceName(t *testing.T) {
	ref := loadReference(t)
	want := make([]string, 0, len(ref.Maps))
	for name := range ref.Maps {
		want = append(want, name)
	}
	sort.Strings(want)
	got := Names()
	if !slices.Equal(got, want) {
		t.Fatalf("Names() = %d names, matplotlib and seaborn have %d", len(got), len(want))
	}
	if !sort.StringsAreSorted(got) {
		t.Error("Names() is not sorted")
	}
	for _, name := range []string{"viridis", "plasma", "jet", "tab10", "twilight", "rocket", "mako",
		"flare", "crest", "vlag", "icefire", "rocket_r", "icefire_r", "Set1_r"} {
		if _, found := slices.BinarySearch(got, name); !found {
			t.Errorf("Names() lacks %q", name)
		}
	}
}

func TestEveryNameMatchesMatplotlib(t *testing.T) {
	ref := loadReference(t)
	worst := 0.0
	for name, want := range ref.Maps {
		m, err := Get(name)
		if err != nil {
			t.Errorf("Get(%q): %v", name, err)
			continue
		}
		if len(m.table) != want.N {
			t.Errorf("%s: %d entries, matplotlib has %d", name, len(m.table), want.N)
		}
		xs := ref.Xs[strconv.Itoa(want.N)]
		worst = max(worst, compareSamples(t, name, m, xs, want.RGB, halfStep))
	}
	t.Logf("%d maps: largest difference from matplotlib %.3f of an 8-bit step", len(ref.Maps), worst*255)
}

func TestReversedIsTableBackwards(t *testing.T) {
	for _, name := range []string{"viridis", "tab10", "twilight", "rocket", "Paired"} {
		m, err := Get(name)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Get(name + "_r")
		if err != nil {
			t.Fatal(err)
		}
		back := slices.Clone(m.table)
		slices.Reverse(back)
		if !slices.Equal(r.table, back) {
			t.Errorf("%s_r is not %s's table backwards", name, name)
		}
	}
}

func TestSubMatchesCmasher(t *testing.T) {
	ref := loadReference(t)
	for _, c := range ref.Sub {
		m, err := Get(c.Name)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := m.Sub(c.Start, c.Stop)
		if err != nil {
			t.Errorf("%s.Sub(%g, %g): %v", c.Name, c.Start, c.Stop, err)
			continue
		}
		if len(sub.table) != c.N {
			t.Errorf("%s.Sub(%g, %g): %d entries, cmasher keeps %d", c.Name, c.Start, c.Stop, len(sub.table), c.N)
		}
		compareSamples(t, c.Name+" cut", sub, c.Xs, c.RGB, halfStep)
	}
}

func TestSteppedMatchesBlenderSpikeRamp(t *testing.T) {
	ref := loadReference(t)
	for _, c := range ref.Stepped {
		m, err := Get(c.Name)
		if err != nil {
			t.Fatal(err)
		}
		if m, err = m.Sub(c.Start, c.Stop); err != nil {
			t.Fatal(err)
		}
		ramp, err := m.Stepped(c.Steps)
		if err != nil {
			t.Fatalf("%s.Stepped(%d): %v", c.Name, c.Steps, err)
		}
		worst := compareSamples(t, c.Name+" ramp", ramp, c.Xs, c.RGB, oneStep)
		t.Logf("%s [%g, %g] %d steps: largest difference %.3f of an 8-bit step", c.Name, c.Start, c.Stop, c.Steps, worst*255)
	}
}

func TestCustomMatchesFromList(t *testing.T) {
	ref := loadReference(t)
	for _, c := range ref.Custom {
		m, err := Get(c.Spec)
		if err != nil {
			t.Fatalf("Get(%q): %v", c.Spec, err)
		}
		if m, err = m.Sub(c.Start, c.Stop); err != nil {
			t.Fatal(err)
		}
		worst := compareSamples(t, c.Spec, m, c.Xs, c.RGB, oneStep)
		t.Logf("%q [%g, %g]: largest difference %.3f of an 8-bit step", c.Spec, c.Start, c.Stop, worst*255)
	}
}
