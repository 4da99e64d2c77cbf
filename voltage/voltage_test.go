package voltage

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
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
		probe morph.Probe
		frame float64
		want  float32
	}{
		{"single segment is uniform", morph.Probe{Section: 0, Pos: 0.9}, 0, -70},
		{"single segment mean", morph.Probe{Section: 0, Pos: morph.SectionMean}, 1, 10},
		{"before first centre holds", morph.Probe{Section: 1, Pos: 0}, 0, 0},
		{"at first centre", morph.Probe{Section: 1, Pos: 0.125}, 0, 0},
		{"between centres", morph.Probe{Section: 1, Pos: 0.25}, 0, 5},
		{"at last centre", morph.Probe{Section: 1, Pos: 0.875}, 0, 30},
		{"beyond last centre holds", morph.Probe{Section: 1, Pos: 1}, 0, 30},
		{"mean of segments", morph.Probe{Section: 1, Pos: morph.SectionMean}, 0, 15},
		{"second frame", morph.Probe{Section: 1, Pos: 0.5}, 1, 115},
		{"halfway in time", morph.Probe{Section: 1, Pos: 0.5}, 0.5, 65},
		{"time clamps past the end", morph.Probe{Section: 1, Pos: 0.5}, 7, 115},
	}
	for _, tc := range tests {
		s, err := NewSampler(rec, []morph.Probe{tc.probe})
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
	for _, p := range []morph.Probe{{Section: 2, Pos: 0.5}, {Section: -1, Pos: 0.5}, {Section: 0, Pos: 1.5}, {Section: 0, Pos: float32(math.NaN())}} {
		if _, err := NewSampler(twoSections(), []morph.Probe{p}); err == nil {
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

// branch is a recording of one frame: a parent of 4 segments (diameter 2,
// length 100) whose end meets two children of 2 segments (diameter 1,
// length 50), and a third child attached half-way along the parent.
func branch() (*Recording, []morph.Junction) {
	rec := &Recording{Frames: 2, Traces: []Trace{
		{NSeg: 4, Values: []float32{0, 10, 20, 30, 0, 0, 0, 0}},
		{NSeg: 2, Values: []float32{40, 50, 0, 0}},
		{NSeg: 2, Values: []float32{60, 70, 0, 0}},
		{NSeg: 1, Values: []float32{-70, 0}},
	}}
	junctions := []morph.Junction{
		{Ends: []morph.End{{Section: 0, Last: true, Conductance: 4.0 / 100}, {Section: 1, Conductance: 1.0 / 50}, {Section: 2, Conductance: 1.0 / 50}}},
		{Ends: []morph.End{{Section: 3}}, On: &morph.Probe{Section: 0, Pos: 0.5}},
	}
	return rec, junctions
}

func TestSampleJunctions(t *testing.T) {
	rec, junctions := branch()
	// Half-segment conductances g = d²/L · nseg: parent 0.04·4 = 0.16,
	// children 0.02·2 = 0.04 each: v = (0.16·30 + 0.04·40 + 0.04·60)/0.24.
	node := float32((0.16*30 + 0.04*40 + 0.04*60) / 0.24)
	tests := []struct {
		name  string
		probe morph.Probe
		frame float64
		want  float32
	}{
		{"parent's end is the node", morph.Probe{Section: 0, Pos: 1}, 0, node},
		{"children's starts are the node", morph.Probe{Section: 1, Pos: 0}, 0, node},
		{"second child too", morph.Probe{Section: 2, Pos: 0}, 0, node},
		{"parent ramps to its last centre", morph.Probe{Section: 0, Pos: 0.9375}, 0, (node + 30) / 2},
		{"child ramps to its first centre", morph.Probe{Section: 1, Pos: 0.125}, 0, (node + 40) / 2},
		{"between centres unchanged", morph.Probe{Section: 1, Pos: 0.5}, 0, 45},
		{"free start holds", morph.Probe{Section: 0, Pos: 0}, 0, 0},
		{"free tip holds", morph.Probe{Section: 1, Pos: 1}, 0, 50},
		{"attached child starts at its parent's voltage there", morph.Probe{Section: 3, Pos: 0}, 0, 15},
		{"and ramps to its only centre", morph.Probe{Section: 3, Pos: 0.25}, 0, (15.0 - 70) / 2},
		{"its free tip holds", morph.Probe{Section: 3, Pos: 1}, 0, -70},
		{"mean ignores junctions", morph.Probe{Section: 1, Pos: morph.SectionMean}, 0, 45},
		{"second frame", morph.Probe{Section: 0, Pos: 1}, 1, 0},
		{"between frames", morph.Probe{Section: 0, Pos: 1}, 0.5, node / 2},
	}
	for _, tc := range tests {
		s, err := NewSampler(rec, []morph.Probe{tc.probe}, junctions...)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		got := make([]float32, 1)
		s.Sample(tc.frame, got)
		if math.Abs(float64(got[0]-tc.want)) > 1e-4 {
			t.Errorf("%s: got %v, want %v", tc.name, got[0], tc.want)
		}
	}
}

func TestJunctionOnSectionMeanAndWithoutConductance(t *testing.T) {
	rec := &Recording{Frames: 1, Traces: []Trace{
		{NSeg: 3, Values: []float32{-60, -50, -40}},
		{NSeg: 2, Values: []float32{0, 10}},
		{NSeg: 2, Values: []float32{20, 30}},
	}}
	junctions := []morph.Junction{
		{Ends: []morph.End{{Section: 1}}, On: &morph.Probe{Section: 0, Pos: morph.SectionMean}},
		{Ends: []morph.End{{Section: 1, Last: true}, {Section: 2, Last: true}}}, // no conductances: the plain mean
	}
	s, err := NewSampler(rec, []morph.Probe{{Section: 1, Pos: 0}, {Section: 1, Pos: 1}, {Section: 2, Pos: 1}}, junctions...)
	if err != nil {
		t.Fatal(err)
	}
	got := make([]float32, 3)
	s.Sample(0, got)
	if want := []float32{-50, 20, 20}; got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSamplerRejectsBadJunctions(t *testing.T) {
	rec, _ := branch()
	nan := math.NaN()
	for _, tc := range []struct {
		name string
		j    []morph.Junction
		want string
	}{
		{"no ends", []morph.Junction{{}}, "junction 0: no section ends"},
		{"section", []morph.Junction{{Ends: []morph.End{{Section: 4}}}}, "junction 0: section 4 out of range"},
		{"negative section", []morph.Junction{{Ends: []morph.End{{Section: -1}}}}, "junction 0: section -1 out of range"},
		{"conductance", []morph.Junction{{Ends: []morph.End{{Section: 0, Conductance: -1}}}}, "conductance -1"},
		{"NaN conductance", []morph.Junction{{Ends: []morph.End{{Section: 0, Conductance: nan}}}}, "conductance NaN"},
		{"end twice", []morph.Junction{{Ends: []morph.End{{Section: 1}}}, {Ends: []morph.End{{Section: 2}, {Section: 1}}}}, "junction 1: section 1's start is also in junction 0"},
		{"place", []morph.Junction{{Ends: []morph.End{{Section: 1}}, On: &morph.Probe{Section: 0, Pos: 2}}}, "junction 0: position 2 outside [0,1]"},
		{"place's section", []morph.Junction{{Ends: []morph.End{{Section: 1}}, On: &morph.Probe{Section: 9, Pos: 0}}}, "junction 0: section 9 out of range"},
	} {
		_, err := NewSampler(rec, nil, tc.j...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.name, err, tc.want)
		}
	}
}

// TestPercentilesOfAStream: values given in chunks have the percentiles
// of a recording holding them whole, and an error in reading them stops
// the pass.
func TestPercentilesOfAStream(t *testing.T) {
	vals := make([]float32, 5000)
	for i := range vals {
		vals[i] = float32(math.Sin(float64(i)*0.37))*40 - 50
	}
	rec := &Recording{Frames: 1, Traces: []Trace{{NSeg: len(vals), Values: vals}}}
	wantLo, wantHi, err := rec.Percentiles(0.5, 99.5)
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int{1, 7, 1000, 5000} {
		chunks := func(yield func([]float32)) error {
			for i := 0; i < len(vals); i += size {
				yield(vals[i:min(i+size, len(vals))])
			}
			return nil
		}
		lo, hi, err := PercentilesOf(chunks, 0.5, 99.5)
		if err != nil || lo != wantLo || hi != wantHi {
			t.Errorf("chunks of %d: %v, %v (%v); want %v, %v", size, lo, hi, err, wantLo, wantHi)
		}
	}
	broken := errors.New("the file went away")
	if _, _, err := PercentilesOf(func(func([]float32)) error { return broken }, 0.5, 99.5); !errors.Is(err, broken) {
		t.Errorf("a stream that fails: %v", err)
	}
	if _, _, err := PercentilesOf(func(func([]float32)) error { return nil }, 0.5, 99.5); err == nil {
		t.Error("no values: no error")
	}
}
