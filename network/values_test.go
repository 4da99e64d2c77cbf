package network

import (
	"math"
	"slices"
	"testing"

	"github.com/spikeframes/spikeframes/hdf5"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/voltage"
)

// rawValues reads, straight from the report file, every value of the
// nodes ids of population pop, in every frame: the data's columns between
// each node's index pointers.
func rawValues(t *testing.T, file, pop string, ids []uint64) []float32 {
	t.Helper()
	f, err := hdf5.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	dataset := func(name string) *hdf5.Dataset {
		ds, err := f.Root().Dataset("report/" + pop + "/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	data := dataset("data")
	values, err := data.ReadFloat32()
	if err != nil {
		t.Fatal(err)
	}
	frames, columns := int(data.Shape()[0]), int(data.Shape()[1])
	nodes, err := dataset("mapping/node_ids").ReadInt64()
	if err != nil {
		t.Fatal(err)
	}
	pointers, err := f.Root().Dataset("report/" + pop + "/mapping/index_pointers")
	if err != nil {
		pointers = dataset("mapping/index_pointer")
	}
	ptr, err := pointers.ReadInt64()
	if err != nil {
		t.Fatal(err)
	}
	if len(ptr) == len(nodes) {
		ptr = append(ptr, int64(columns))
	}
	var out []float32
	for i, id := range nodes {
		if !slices.Contains(ids, uint64(id)) {
			continue
		}
		for k := range frames {
			out = append(out, values[k*columns+int(ptr[i]):k*columns+int(ptr[i+1])]...)
		}
	}
	return out
}

// TestValuesAreTheReportsOnTheCellsDrawn streams the report's values on
// the cells drawn and finds exactly the values the file holds for those
// nodes, in both flavours; the automatic limits taken from them are the
// 0.5th and 99.5th percentiles of those values, within a histogram bin,
// rounded outwards to 0.1 mV.
func TestValuesAreTheReportsOnTheCellsDrawn(t *testing.T) {
	for _, tc := range []struct {
		flavour, nodes string
		ids            []uint64
	}{
		{"bbp", "cortex", []uint64{0, 1, 2, 3, 4}},
		{"bbp", "cortex:1,3", []uint64{1, 3}},
		{"bbp", "DeepOrThalamus", []uint64{0, 2, 4}}, // the thalamus is not reported
		{"allen", "v1", []uint64{0, 2, 3}},           // node 1 is not reported
		{"allen", "v1:2", []uint64{2}},
	} {
		sim, want := open(t, tc.flavour)
		s := load(t, sim, Options{Nodes: tc.nodes})
		var got []float32
		if err := s.Values(func(chunk []float32) { got = append(got, chunk...) }); err != nil {
			t.Fatal(err)
		}
		raw := rawValues(t, s.reports[0].File, want.Report.Population, tc.ids)
		slices.Sort(got)
		slices.Sort(raw)
		if len(raw) == 0 || !slices.Equal(got, raw) {
			t.Errorf("%s --nodes %s: %d values streamed, the file holds %d for those nodes", tc.flavour, tc.nodes, len(got), len(raw))
			continue
		}
		auto := movie.DefaultOptions().Colors
		auto.VMin, auto.VMax = movie.Limit{Auto: true}, movie.Limit{Auto: true}
		c, err := auto.Resolve(s.Values)
		if err != nil {
			t.Fatal(err)
		}
		// The order statistics themselves, and a histogram bin.
		lo := float64(raw[int(math.Round(0.005*float64(len(raw)-1)))])
		hi := float64(raw[int(math.Round(0.995*float64(len(raw)-1)))])
		bin := float64(raw[len(raw)-1]-raw[0]) / 65536
		if !(c.VMin.Value <= lo+bin && c.VMin.Value > lo-bin-0.1) || !(c.VMax.Value >= hi-bin && c.VMax.Value < hi+bin+0.1) {
			t.Errorf("%s --nodes %s: automatic limits %v, %v; the percentiles are %v, %v", tc.flavour, tc.nodes, c.VMin.Value, c.VMax.Value, lo, hi)
		}
		// As for a recording held whole.
		whole := &voltage.Recording{Traces: []voltage.Trace{{Values: raw}}}
		wantLo, wantHi, err := whole.Percentiles(0.5, 99.5)
		if err != nil {
			t.Fatal(err)
		}
		if c.VMin.Value != math.Floor(wantLo*10)/10 || c.VMax.Value != math.Ceil(wantHi*10)/10 {
			t.Errorf("%s --nodes %s: automatic limits %v, %v; a recording of the same values has %v, %v", tc.flavour, tc.nodes, c.VMin.Value, c.VMax.Value, wantLo, wantHi)
		}
	}
}

// TestPiecesCoverTheCellsColumns: the reads of a pass cover every
// column of the cells once, none wider than allowed, close cells in one.
func TestPiecesCoverTheCellsColumns(t *testing.T) {
	cells := []span{{2000, 2005}, {0, 25}, {30, 32}, {40, 40}, {3100, 3102}}
	for _, chunkFrames := range []int{1, 64, valuesAtOnce / 10} {
		maxWidth := valuesAtOnce / chunkFrames
		var covered []int
		for _, p := range pieces(cells, chunkFrames) {
			if p.end-p.first > maxWidth {
				t.Errorf("chunk frames %d: a read of %d columns, more than %d", chunkFrames, p.end-p.first, maxWidth)
			}
			for _, c := range p.spans {
				if c.first < p.first || c.end > p.end {
					t.Errorf("chunk frames %d: cell columns %v outside their read [%d, %d)", chunkFrames, c, p.first, p.end)
				}
				for col := c.first; col < c.end; col++ {
					covered = append(covered, col)
				}
			}
		}
		var want []int
		for _, c := range cells {
			for col := c.first; col < c.end; col++ {
				want = append(want, col)
			}
		}
		slices.Sort(want)
		if !slices.Equal(covered, want) {
			t.Errorf("chunk frames %d: columns read %v, want %v", chunkFrames, covered, want)
		}
	}
	if n := len(pieces(cells, 1)); n != 3 {
		t.Errorf("%d reads, want 3: the cells within %d columns of each other in one", n, runGap)
	}
}
