package voltage

import (
	"math"
	"testing"
)

// twoSections is a recording of two frames: a one-segment section and a
// four-segment one whose voltages rise along it.
func twoSections() *Recording {
	return &Recording{
		Frames: 2,
		Traces: []Trace{
			{NSeg: 1, Values: []float32{-70, 10}},
			{NSeg: 4, Values: []float32{0, 10, 20, 30, 100, 110, 120, 130}},
		},
	}
}

func TestSampleAlongSection(t *testing.T) {
	rec := twoSections()
	tests := []struct {
		name  string
		probe Probe
		frame float64
		want  float32
	}{
		{"single segment is uniform", Probe{0, 0.9}, 0, -70},
		{"single segment mean", Probe{0, SectionMean}, 1, 10},
		{"before first centre holds", Probe{1, 0}, 0, 0},
		{"at first centre", Probe{1, 0.125}, 0, 0},
		{"between centres", Probe{1, 0.25}, 0, 5},
		{"at last centre", Probe{1, 0.875}, 0, 30},
		{"beyond last centre holds", Probe{1, 1}, 0, 30},
		{"mean of segments", Probe{1, SectionMean}, 0, 15},
		{"second frame", Probe{1, 0.5}, 1, 115},
		{"halfway in time", Probe{1, 0.5}, 0.5, 65},
		{"time clamps past the end", Probe{1, 0.5}, 7, 115},
	}
	for _, tc := range tests {
		s, err := NewSampler(rec, []Probe{tc.probe})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := make([]float32, 1)
		s.Sample(tc.frame, got)
		if math.Abs(float64(got[0]-tc.want)) > 1e-5 {
			t.Errorf("%s: got %v, want %v", tc.name, got[0], tc.want)
		}
	}
}

func TestSamplerRejectsBadProbes(t *testing.T) {
	for _, p := range []Probe{{2, 0.5}, {-1, 0.5}, {0, 1.5}, {0, float32(math.NaN())}} {
		if _, err := NewSampler(twoSections(), []Probe{p}); err == nil {
			t.Errorf("probe %+v accepted", p)
		}
	}
}

func TestFrameTime(t *testing.T) {
	rec := &Recording{Frames: 11}
	tests := []struct {
		k, n int
		want float64
	}{
		{0, 11, 0}, {10, 11, 10}, {5, 11, 5}, {1, 21, 0.5}, {2, 3, 10}, {0, 1, 0},
	}
	for _, tc := range tests {
		if got := rec.FrameTime(tc.k, tc.n); got != tc.want {
			t.Errorf("FrameTime(%d, %d) = %v, want %v", tc.k, tc.n, got, tc.want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	// 1000 values −70 … 29.9 in steps of 0.1 mV in one section.
	vals := make([]float32, 1000)
	for i := range vals {
		vals[i] = -70 + float32(i)*0.1
	}
	rec := &Recording{Frames: 1000, Traces: []Trace{{NSeg: 1, Values: vals}}}
	lo, hi, err := rec.Percentiles(0.5, 99.5)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(lo-(-69.5)) > 0.01 || math.Abs(hi-29.4) > 0.01 {
		t.Errorf("percentiles %v, %v; want about −69.5 and 29.4", lo, hi)
	}
	if _, _, err := rec.Percentiles(50, 50); err == nil {
		t.Error("empty percentile range accepted")
	}
	flat := &Recording{Frames: 2, Traces: []Trace{{NSeg: 1, Values: []float32{-65, -65}}}}
	if lo, hi, _ := flat.Percentiles(0.5, 99.5); lo != -65 || hi != -65 {
		t.Errorf("flat recording: %v, %v", lo, hi)
	}
}
