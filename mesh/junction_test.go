package mesh

import (
	"fmt"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// describe writes junctions compactly: each end as section and "s" (start)
// or "e" (end), then "@section:position" for the place it attaches to.
func describe(js []morph.Junction) []string {
	var out []string
	for _, j := range js {
		s := ""
		for _, e := range j.Ends {
			end := "s"
			if e.Last {
				end = "e"
			}
			s += fmt.Sprintf("%d%s ", e.Section, end)
		}
		if j.On != nil {
			s += fmt.Sprintf("@%d:%v", j.On.Section, j.On.Pos)
		}
		out = append(out, s)
	}
	return out
}

func TestJunctions(t *testing.T) {
	// y is a parent with two branches at its end and a third half-way
	// along; parent < 0 gives no topology (the geometric search decides).
	y := func(parent int) *morph.Prepared {
		return &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 2}, {X: 10, Diam: 2}}},
			{Type: "dend", Parent: parent, ParentX: 1, Points: []morph.Point{{X: 10, Diam: 1}, {X: 20, Y: 10, Diam: 1}}},
			{Type: "dend", Parent: parent, ParentX: 1, Points: []morph.Point{{X: 10, Diam: 1}, {X: 20, Y: -10, Diam: 1}}},
			{Type: "dend", Parent: parent, ParentX: 0.5, Points: []morph.Point{{X: 5, Diam: 1}, {X: 5, Y: 10, Diam: 1}}},
		}}
	}
	// soma is a soma with a dendrite at its end and an axon at its start.
	soma := func(parent int) *morph.Prepared {
		return &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "soma", Parent: -1, Points: []morph.Point{{X: -5, Diam: 10}, {X: 5, Diam: 10}}},
			{Type: "dend", Parent: parent, ParentX: 1, Points: []morph.Point{{X: 5, Diam: 2}, {X: 30, Diam: 2}}},
			{Type: "axon", Parent: parent, ParentX: 0, Points: []morph.Point{{X: -5, Diam: 1}, {X: -40, Diam: 1}}},
		}}
	}
	tubeSoma := DefaultOptions()
	tubeSoma.SimplifySoma = false
	tests := []struct {
		name string
		cell *morph.Prepared
		o    Options
		want []string
	}{
		{"recorded tree", y(0), DefaultOptions(), []string{"0e 1s 2s ", "3s @0:0.5"}},
		{"found by touch", y(-1), DefaultOptions(), []string{"0e 1s 2s ", "3s @0:0.5"}},
		{"recorded, on a simplified soma", soma(0), DefaultOptions(), []string{"1s @0:-1", "2s @0:-1"}},
		{"found, on a simplified soma", soma(-1), DefaultOptions(), []string{"1s @0:-1", "2s @0:-1"}},
		{"recorded, on a soma tube", soma(0), tubeSoma, []string{"0s 2s ", "0e 1s "}},
		{"found, on a soma tube", soma(-1), tubeSoma, []string{"0s 2s ", "0e 1s "}},
		{"a branch beside its parent's end", &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 4}, {X: 10, Diam: 4}}},
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 9, Y: 1.5, Diam: 1}, {X: 9, Y: 20, Diam: 1}}},
		}}, DefaultOptions(), []string{"0e 1s "}},
		{"a ball at a tube's end", &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 1}, {X: 10, Diam: 1}}},
			{Type: "dend", Parent: 0, ParentX: 1, Points: []morph.Point{{X: 10, Diam: 3}}},
		}}, DefaultOptions(), []string{"0e @1:0.5"}},
		{"nothing touches", &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 1}, {X: 10, Diam: 1}}},
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 20, Diam: 1}, {X: 30, Diam: 1}}},
		}}, DefaultOptions(), nil},
	}
	for _, tc := range tests {
		m := build(t, tc.cell, tc.o)
		got := describe(m.Junctions)
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s: junctions %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestJunctionConductance(t *testing.T) {
	c := &morph.Prepared{Thickness: 1, Sections: []morph.Section{
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 4}, {X: 10, Diam: 2}}},
		{Type: "dend", Parent: 0, ParentX: 1, Points: []morph.Point{{X: 10, Diam: 1}, {X: 10, Y: 20, Diam: 3}}},
	}}
	m := build(t, c, DefaultOptions())
	if len(m.Junctions) != 1 || len(m.Junctions[0].Ends) != 2 {
		t.Fatalf("junctions %q", describe(m.Junctions))
	}
	// d²/L with the diameter at the end that meets the junction
	for i, want := range []float64{2 * 2 / 10.0, 1 * 1 / 20.0} {
		if got := m.Junctions[0].Ends[i].Conductance; got != want {
			t.Errorf("end %d: conductance %v, want %v", i, got, want)
		}
	}
	// an absurd diameter gives the largest finite conductance, which the
	// sampler takes
	c.Sections[0].Points[1].Diam = 1e200
	l, err := lay(c, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	js := l.joins.junctions(c, l.lines)
	if got := js[0].Ends[0].Conductance; got != math.MaxFloat64 {
		t.Errorf("conductance %v, want the largest float64", got)
	}
	rec := &voltage.Recording{Frames: 1, Traces: []voltage.Trace{{NSeg: 1, Values: []float32{-70}}, {NSeg: 1, Values: []float32{-60}}}}
	if _, err := voltage.NewSampler(rec, nil, js...); err != nil {
		t.Error(err)
	}
}

// TestJointsAreJunctions checks on the bundled recordings that every end
// closed as a joint is at a junction, and that the sampler takes the
// junctions.
func TestJointsAreJunctions(t *testing.T) {
	for _, name := range []string{"l5_bap", "ca1_random_input", "recorder_ball_stick"} {
		cell, rec, err := blenderspike.ReadFile("../testdata/" + name + ".pickle")
		if err != nil {
			t.Fatal(err)
		}
		nseg := make([]int, len(rec.Traces))
		for i, tr := range rec.Traces {
			nseg[i] = tr.NSeg
		}
		p, err := morph.Prepare(cell, nseg, morph.DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		l, err := lay(p, DefaultOptions())
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range l.lines {
			for e, joint := range line.joint {
				if joint && !l.joins.member[2*i+e] {
					t.Errorf("%s: section %d end %d is a joint at no junction", name, i, e)
				}
			}
		}
		m := build(t, p, DefaultOptions())
		if len(m.Junctions) == 0 {
			t.Errorf("%s: no junctions", name)
		}
		if _, err := voltage.NewSampler(rec, m.Probes, m.Junctions...); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
