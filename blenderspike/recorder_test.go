package blenderspike

import (
	"path/filepath"
	"testing"
)

// recorderSection is what one section of a recording should read as.
type recorderSection struct {
	typ, name     string
	parent        int
	parentX       float64
	nseg, npoints int
}

// TestRecorderTopologyAndTime reads a file written by the project's NEURON
// recorder (examples/neuron, with name/parent/parent_x/nseg/t_start/t_stop)
// and one written by BlenderSpike (without them): the extra keys fill in
// names, parents and the time span, and their absence leaves roots and no
// time.
func TestRecorderTopologyAndTime(t *testing.T) {
	for _, tc := range []struct {
		file          string
		frames        int
		sections      []recorderSection
		hasTime       bool
		tStart, tStop float64
		spots         []spot
		// variable and unit are the recorded variable ("" stands for
		// BlenderSpike's v in mV).
		variable, unit string
	}{
		{
			// examples/neuron/ball_and_stick.py --frames 40: the axon grows
			// from the middle of the soma; NEURON's t at the last sample.
			file: "recorder_ball_stick.pickle", frames: 40,
			sections: []recorderSection{
				{typ: "soma", name: "soma", parent: -1, parentX: 0, nseg: 1, npoints: 3},
				{typ: "axon", name: "axon", parent: 0, parentX: 0.5, nseg: 25, npoints: 27},
			},
			hasTime: true, tStart: 0, tStop: 10.000000000000075,
			spots: []spot{{0, 0, 0, -65}, {0, 10, 0, 38.28161761491087}, {1, 39, -1, -72.81514343199935}},
		},
		{
			// The same run recording the sodium gate m_hh, which has no unit.
			file: "recorder_ball_stick_m_hh.pickle", frames: 40,
			sections: []recorderSection{
				{typ: "soma", name: "soma", parent: -1, parentX: 0, nseg: 1, npoints: 3},
				{typ: "axon", name: "axon", parent: 0, parentX: 0.5, nseg: 25, npoints: 27},
			},
			hasTime: true, tStart: 0, tStop: 10.000000000000075,
			spots:    []spot{{0, 0, 0, 0.05293248525724958}, {0, 10, 0, 0.9717776770112984}, {1, 39, -1, 0.019913298691260743}},
			variable: "m_hh", unit: "",
		},
		{
			file: "simple_ap.pickle", frames: 300,
			sections: []recorderSection{
				{typ: "soma", name: "", parent: -1, parentX: 0, nseg: 1, npoints: 3},
				{typ: "axon", name: "", parent: -1, parentX: 0, nseg: 25, npoints: 27},
			},
			spots: simpleAP.spots,
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			cell, rec, err := ReadFile(filepath.Join("..", "testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if len(cell.Sections) != len(tc.sections) || len(rec.Traces) != len(tc.sections) {
				t.Fatalf("sections: cell %d, traces %d, want %d", len(cell.Sections), len(rec.Traces), len(tc.sections))
			}
			if rec.Frames != tc.frames {
				t.Errorf("frames = %d, want %d", rec.Frames, tc.frames)
			}
			for i, want := range tc.sections {
				s := cell.Sections[i]
				got := recorderSection{typ: s.Type, name: s.Name, parent: s.Parent, parentX: s.ParentX,
					nseg: rec.Traces[i].NSeg, npoints: len(s.Points)}
				if got != want || s.ID != i {
					t.Errorf("section %d: ID %d, %+v, want ID %d, %+v", i, s.ID, got, i, want)
				}
			}
			wantVar, wantUnit := tc.variable, tc.unit
			if wantVar == "" {
				wantVar, wantUnit = "v", "mV"
			}
			if rec.Variable != wantVar || rec.Unit != wantUnit {
				t.Errorf("variable %q in %q, want %q in %q", rec.Variable, rec.Unit, wantVar, wantUnit)
			}
			if rec.HasTime != tc.hasTime || rec.TStart != tc.tStart || rec.TStop != tc.tStop {
				t.Errorf("time: HasTime %v, %v..%v ms, want %v, %v..%v ms",
					rec.HasTime, rec.TStart, rec.TStop, tc.hasTime, tc.tStart, tc.tStop)
			}
			for _, sp := range tc.spots {
				v := rec.Frame(sp.sec, sp.frame)
				seg := sp.seg
				if seg < 0 {
					seg = len(v) - 1
				}
				if v[seg] != float32(sp.v) {
					t.Errorf("section %d frame %d segment %d = %v mV, want %v", sp.sec, sp.frame, seg, v[seg], float32(sp.v))
				}
			}
		})
	}
}
