package sonata

import (
	"slices"
	"testing"
)

// Values at element_pos are moved to the compartment centres: kept where
// they are at the centres (in any column order), interpolated between
// neighbours elsewhere, held beyond the first and last.
func TestLayoutPositions(t *testing.T) {
	for _, c := range []struct {
		name string
		pos  []float64 // nil: in order along the section
		vals []float32
		want []float32
	}{
		{"in order", nil, []float32{1, 2, 3}, []float32{1, 2, 3}},
		{"at the centres", []float64{1.0 / 6, 0.5, 5.0 / 6}, []float32{1, 2, 3}, []float32{1, 2, 3}},
		{"at the centres, shuffled", []float64{5.0 / 6, 1.0 / 6, 0.5}, []float32{3, 1, 2}, []float32{1, 2, 3}},
		{"float32 centres", []float64{float64(float32(1.0 / 6)), 0.5, float64(float32(5.0 / 6))}, []float32{1, 2, 3}, []float32{1, 2, 3}},
		{"one value off centre", []float64{0.1}, []float32{7}, []float32{7}},
		{"ends", []float64{0, 1}, []float32{0, 4}, []float32{1, 3}},
		{"held beyond", []float64{0.4, 0.6}, []float32{1, 2}, []float32{1, 2}},
		{"same place twice", []float64{0.5, 0.5}, []float32{1, 1}, []float32{1, 1}},
	} {
		cols := make([]int, len(c.vals))
		for i := range cols {
			cols[i] = i
		}
		l := &Layout{End: len(c.vals), sections: []sectionLayout{layoutSection(cols, c.pos)}}
		v, err := l.Voltages(Frame{Values: c.vals}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(v[0], c.want) {
			t.Errorf("%s: %v, want %v", c.name, v[0], c.want)
		}
	}
}

// Voltages reuses the slices it is given.
func TestVoltagesReuse(t *testing.T) {
	l := &Layout{First: 2, End: 5, sections: []sectionLayout{
		layoutSection([]int{0, 1}, nil), {}, layoutSection([]int{2}, nil),
	}}
	dst := [][]float32{make([]float32, 0, 4), nil, make([]float32, 0, 1)}
	v, err := l.Voltages(Frame{First: 1, Values: []float32{0, 1, 2, 3, 4}}, dst)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(v[0], []float32{1, 2}) || v[1] != nil || !slices.Equal(v[2], []float32{3}) {
		t.Fatalf("voltages %v", v)
	}
	if &v[0][0] != &dst[0][:1][0] {
		t.Error("a slice with room was not reused")
	}
}
