package movie

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/voltage"
)

// shapeOnly is rec without its values, as a cell read a frame at a time
// gives it.
func shapeOnly(rec *voltage.Recording) *voltage.Recording {
	out := *rec
	out.Traces = make([]voltage.Trace, len(rec.Traces))
	for i, t := range rec.Traces {
		out.Traces[i].NSeg = t.NSeg
	}
	return &out
}

// TestCellsReadAFrameAtATime renders a scene whose second cell's values
// come from a Source a frame at a time, and finds every frame it renders
// (resampled, so between recorded frames too) identical to the scene with
// the values held whole; the traced section's plot included.
func TestCellsReadAFrameAtATime(t *testing.T) {
	whole := cellsOf(t, "simple_ap", "l5_bap")
	streamed := cellsOf(t, "simple_ap", "l5_bap")
	streamed[1].Source, streamed[1].Rec = streamed[1].Rec, shapeOnly(streamed[1].Rec)
	o := wide()
	o.Layout.Arrange = "row"
	o.Resample = 7
	o.Overlays.Traces = []string{"1:soma"}
	a, b := newScene(t, whole, o), newScene(t, streamed, o)
	ca, cb := a.NewCanvas(), b.NewCanvas()
	for _, k := range []int{0, 3, 4, 6, 1} {
		ia, err := a.Render(k, ca)
		if err != nil {
			t.Fatal(err)
		}
		ib, err := b.Render(k, cb)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(ia.Pix, ib.Pix) {
			t.Errorf("frame %d differs when the second cell is read a frame at a time", k)
		}
	}
}

// TestCellsReadAFrameAtATimeNeedLimits refuses automatic limits, which
// would need every value, naming the cell.
func TestCellsReadAFrameAtATimeNeedLimits(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "l5_bap")
	cells[1].Source, cells[1].Rec = cells[1].Rec, shapeOnly(cells[1].Rec)
	o := wide()
	o.Colors.VMax = Limit{Auto: true}
	_, err := NewScene(cells, o)
	if err == nil || !strings.Contains(err.Error(), "read a frame at a time") || !strings.Contains(err.Error(), "cell 1") {
		t.Fatalf("error %v, want automatic limits refused for cell 1", err)
	}
	o.ColorBy = ByType // no values needed
	newScene(t, cells, o)
}

// TestColorByCategory gives each cell the colour of its category, in the
// categories' sorted order, and names them in the legend.
func TestColorByCategory(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "simple_ap", "simple_ap")
	cells[0].Category, cells[1].Category, cells[2].Category = "L5_TPC", "L23_PC", "L5_TPC"
	o := wide()
	o.Layout.Arrange = "row"
	o.ColorBy = ByCategory
	o.Overlays.ColorBar = true
	m := newScene(t, cells, o)
	cv := m.NewCanvas()
	if err := m.sample(0, cv); err != nil {
		t.Fatal(err)
	}
	for i, want := range []float32{1, 0, 1} {
		c := m.cells[i]
		for _, v := range cv.probeV[c.first : c.first+c.count] {
			if v != want {
				t.Fatalf("cell %d shades %v, want its category's index %v", i, v, want)
			}
		}
	}
	g := categoryLegend(m.categories)
	if len(g.Entries) != 2 || g.Entries[0].Name != "L23_PC" || g.Entries[1].Colour != CategoryColors[1] {
		t.Errorf("legend %+v", g.Entries)
	}
	if _, err := m.Render(0, cv); err != nil {
		t.Fatal(err)
	}
}
