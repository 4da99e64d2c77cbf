package movie

import (
	"bytes"
	"errors"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// bundled caches the bundled recordings the scene tests share (a scene
// never changes its cells).
var bundled = map[string]Cell{}

// cellOfRecording returns a scene cell of the bundled recording name.
func cellOfRecording(t testing.TB, name string) Cell {
	t.Helper()
	if c, ok := bundled[name]; ok {
		return c
	}
	cell, rec, err := blenderspike.ReadFile(filepath.Join("..", "testdata", name+".pickle"))
	if err != nil {
		t.Fatal(err)
	}
	bundled[name] = Cell{Morph: cell, Rec: rec}
	return bundled[name]
}

func cellsOf(t testing.TB, names ...string) []Cell {
	cells := make([]Cell, len(names))
	for i, n := range names {
		cells[i] = cellOfRecording(t, n)
	}
	return cells
}

func newScene(t testing.TB, cells []Cell, o Options) *Movie {
	t.Helper()
	m, err := NewScene(cells, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// wide is a small picture wide enough for a row of cells.
func wide() Options {
	o := DefaultOptions()
	o.Width, o.Height = 320, 180
	return o
}

// near reports whether two pixel positions are within a hundredth of a
// pixel.
func near(x0, y0, x1, y1 float64) bool { return math.Abs(x0-x1) < 0.01 && math.Abs(y0-y1) < 0.01 }

func TestSceneArrangements(t *testing.T) {
	for _, names := range [][]string{
		{"simple_ap", "simple_ap"},
		{"simple_ap", "recorder_ball_stick", "ca1_random_input"},
	} {
		for _, arrange := range []string{"recorded", "row", "grid"} {
			t.Run(arrange+"/"+strings.Join(names, "+"), func(t *testing.T) {
				cells := cellsOf(t, names...)
				cells[1].Place.Offset = [3]float64{30, -20, 5}
				o := wide()
				o.Layout.Arrange = arrange
				m := newScene(t, cells, o)
				if m.Cells() != len(cells) {
					t.Fatalf("Cells = %d, want %d", m.Cells(), len(cells))
				}
				perPixel := m.micronsPerPixel()
				somas := make([][2]float64, len(cells))
				for i, c := range cells {
					somas[i][0], somas[i][1] = m.LocateIn(i, morph.SomaCenter(c.Morph), 0)
				}
				switch arrange {
				case "recorded":
					// Each cell stands where it was recorded, moved by its offset.
					for i, c := range cells {
						s, s0 := morph.SomaCenter(c.Morph), morph.SomaCenter(cells[0].Morph)
						dx := (s.X + c.Place.Offset[0] - s0.X) / perPixel
						dy := -(s.Y + c.Place.Offset[1] - s0.Y) / perPixel
						if !near(somas[i][0]-somas[0][0], somas[i][1]-somas[0][1], dx, dy) {
							t.Errorf("cell %d: soma %.2f, %.2f pixels from the first, want %.2f, %.2f", i,
								somas[i][0]-somas[0][0], somas[i][1]-somas[0][1], dx, dy)
						}
					}
				case "row", "grid":
					checkLayout(t, m, cells, somas, arrange)
				}
				img, err := m.Render(m.Frames()-1, m.NewCanvas())
				if err != nil {
					t.Fatal(err)
				}
				for i, s := range somas {
					if c := img.RGB(int(s[0]), int(s[1])); c == [3]uint8{} {
						t.Errorf("cell %d: its soma at (%.0f, %.0f) is not drawn", i, s[0], s[1])
					}
				}
			})
		}
	}
}

// checkLayout checks that a row or grid puts each soma where the cells'
// extents and the gap say, the offsets added.
func checkLayout(t *testing.T, m *Movie, cells []Cell, somas [][2]float64, arrange string) {
	t.Helper()
	o := m.opts
	ext := make([]extent, len(cells))
	longest := 0.0
	var most extent
	for i, c := range cells {
		ext[i] = extentOf(c.Morph, newTurn(c.Place.Rotate, morph.SomaCenter(c.Morph)), o.Geometry.Prepare.Thickness, "xy")
		e := ext[i]
		longest = max(longest, e.left+e.right, e.down+e.up)
		most = extent{max(most.left, e.left), max(most.right, e.right), max(most.down, e.down), max(most.up, e.up)}
	}
	gap := o.Layout.Gap * longest
	perPixel := m.micronsPerPixel()
	x := 0.0
	for i, c := range cells {
		var wx, wy float64 // µm from the first soma's place
		switch {
		case arrange == "row":
			if i > 0 {
				x += ext[i-1].right + gap + ext[i].left
			}
			wx = x
		default:
			cols := int(math.Ceil(math.Sqrt(float64(len(cells)))))
			wx = float64(i%cols) * (most.left + most.right + gap)
			wy = -float64(i/cols) * (most.down + most.up + gap)
		}
		off := c.Place.Offset
		dx, dy := (wx+off[0]-cells[0].Place.Offset[0])/perPixel, -(wy+off[1]-cells[0].Place.Offset[1])/perPixel
		if !near(somas[i][0]-somas[0][0], somas[i][1]-somas[0][1], dx, dy) {
			t.Errorf("%s: cell %d: soma %.2f, %.2f pixels from the first, want %.2f, %.2f", arrange, i,
				somas[i][0]-somas[0][0], somas[i][1]-somas[0][1], dx, dy)
		}
	}
	if len(cells) == 3 && arrange == "grid" && !(somas[2][1] > somas[0][1]+10) {
		t.Errorf("grid of 3: the third cell (y %.1f) is not on a row below the first (y %.1f)", somas[2][1], somas[0][1])
	}
}

func TestSceneRotatesAboutTheSoma(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "simple_ap")
	cells[1].Place.Rotate = [3]float64{0, 0, 90}
	m := newScene(t, cells, wide())
	soma := morph.SomaCenter(cells[0].Morph)
	axon := cells[0].Morph.Sections[1]
	tip := axon.Points[len(axon.Points)-1] // 200 µm up the Y axis
	sx0, sy0 := m.LocateIn(0, soma, 0)
	sx1, sy1 := m.LocateIn(1, soma, 0)
	if !near(sx0, sy0, sx1, sy1) {
		t.Errorf("the turned copy's soma moved: (%.2f, %.2f), want (%.2f, %.2f)", sx1, sy1, sx0, sy0)
	}
	tx0, ty0 := m.LocateIn(0, tip, 0)
	tx1, ty1 := m.LocateIn(1, tip, 0)
	// Upwards in the picture, and turned a quarter counter-clockwise: left.
	if !(ty0 < sy0-20 && math.Abs(tx0-sx0) < 5) || !(tx1 < sx1-20 && math.Abs(ty1-sy1) < 5) {
		t.Errorf("axon tips: (%.1f, %.1f) and turned (%.1f, %.1f), soma (%.1f, %.1f)", tx0, ty0, tx1, ty1, sx0, sy0)
	}
}

// TestSceneOfOneMovedCellIsTheCell: a cell that a row puts on its soma,
// without centring (a copy in scene coordinates), gives the same bytes as
// the movie of the cell itself centred.
func TestSceneOfOneMovedCellIsTheCell(t *testing.T) {
	c := cellOfRecording(t, "ca1_random_input")
	o := small()
	o.Layout.Arrange, o.Geometry.Prepare.Center = "row", false
	moved := newScene(t, []Cell{c}, o)
	if moved.cells[0].shape == c.Morph {
		t.Fatal("the row layout did not move the cell (the test would compare a movie with itself)")
	}
	plain := newMovie(t, "ca1_random_input", small())
	a, err := moved.Render(250, moved.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	b, err := plain.Render(250, plain.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("the moved cell's frame differs from the cell's own")
	}
}

func TestSceneJoinsMeshes(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "ca1_random_input")
	o := small()
	o.Layout.Arrange = "row"
	m := newScene(t, cells, o)
	msh := m.Mesh()
	if len(msh.Normals) != len(msh.Positions) || len(msh.VertexProbe) != len(msh.Positions) || m.probes != len(msh.Probes) {
		t.Fatalf("joined mesh: %d positions, %d normals, %d vertex probes; %d probes, %d sampled",
			len(msh.Positions), len(msh.Normals), len(msh.VertexProbe), len(msh.Probes), m.probes)
	}
	if c := m.cells[1]; c.first != m.cells[0].count || c.first+c.count != len(msh.Probes) {
		t.Fatalf("the cells' probes lie at %d+%d and %d+%d of %d", m.cells[0].first, m.cells[0].count, c.first, c.count, len(msh.Probes))
	}
	sections := len(cells[0].Morph.Sections) + len(cells[1].Morph.Sections)
	for i, p := range msh.Probes {
		second := i >= m.cells[1].first
		if int(p.Section) >= sections || second != (int(p.Section) >= len(cells[0].Morph.Sections)) {
			t.Fatalf("probe %d names section %d", i, p.Section)
		}
	}
	for _, tr := range msh.Triangles {
		for _, v := range tr {
			if int(v) >= len(msh.Positions) {
				t.Fatalf("triangle %v beyond the %d vertices", tr, len(msh.Positions))
			}
		}
	}
	// A junction joins sections of one cell.
	first := int32(len(cells[0].Morph.Sections))
	for i, j := range msh.Junctions {
		second := j.Ends[0].Section >= first
		for _, e := range j.Ends {
			if e.Section >= int32(sections) || (e.Section >= first) != second {
				t.Fatalf("junction %d joins sections %v", i, j.Ends)
			}
		}
		if j.On != nil && (j.On.Section >= first) != second {
			t.Fatalf("junction %d lies on section %d, its ends on %v", i, j.On.Section, j.Ends)
		}
	}
}

func TestSceneAlignsFramesByIndex(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "l5_bap") // 300 and 200 frames, no time spans
	o := small()
	o.Layout.Arrange = "row"
	m := newScene(t, cells, o)
	if m.Frames() != 300 {
		t.Errorf("Frames = %d, want the longer recording's 300", m.Frames())
	}
	if w := m.Warnings(); len(w) != 1 || !strings.Contains(w[0], "300, 200 frames") || !strings.Contains(w[0], "by index") {
		t.Errorf("Warnings = %q, want one about 300 and 200 frames aligned by index", w)
	}
	// The shorter recording holds its last frame.
	cv := m.NewCanvas()
	if err := m.sample(frameTime(299, m.frames, m.timeline.base), cv); err != nil {
		t.Fatal(err)
	}
	probeV := cv.probeV
	c := m.cells[1]
	want := make([]float32, c.count)
	c.sampler.Sample(199, want)
	if got := probeV[c.first : c.first+c.count]; !equalFloats(got, want) {
		t.Error("at frame 299 the 200-frame recording does not show its last frame")
	}
	if m := newScene(t, cellsOf(t, "simple_ap", "simple_ap"), o); len(m.Warnings()) != 0 {
		t.Errorf("recordings of one length: warnings %q", m.Warnings())
	}
}

func equalFloats(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestSceneAlignsFramesByTime(t *testing.T) {
	// The recorder's cell spans 0–10 ms in 40 frames; simple_ap is given
	// 0–5 ms over its 300 frames, the finer rate: 10 ms at 5/299 ms a
	// frame is 599 frames.
	cells := cellsOf(t, "recorder_ball_stick", "simple_ap")
	cells[1].TimeSpan = TimeSpan{Start: 0, Stop: 5, Set: true}
	o := small()
	o.Layout.Arrange, o.Label = "row", "time"
	m := newScene(t, cells, o)
	if m.Frames() != 599 || len(m.Warnings()) != 0 || !m.TimeKnown() {
		t.Fatalf("Frames %d, warnings %q, time known %v; want 599 frames aligned by time", m.Frames(), m.Warnings(), m.TimeKnown())
	}
	// Frame 299 is at 5 ms: the end of simple_ap, the middle of the other.
	b := frameTime(299, m.frames, m.timeline.base)
	if got := m.timeline.cellTime(m.cells[0], b); math.Abs(got-19.5) > 1e-9 {
		t.Errorf("recorder cell at 5 ms: recorded frame %v, want 19.5", got)
	}
	if got := m.timeline.cellTime(m.cells[1], b); math.Abs(got-299) > 1e-9 {
		t.Errorf("simple_ap at 5 ms: recorded frame %v, want 299", got)
	}
	if got := m.clock.text(299); got != "5.00\u2009ms" {
		t.Errorf("label of frame 299: %q, want 5.00 ms", got)
	}
	// Resampling spreads fewer frames over the same span.
	o.Resample = 11
	if m := newScene(t, cells, o); m.Frames() != 11 || m.clock.text(5) != "5\u2009ms" {
		t.Errorf("resampled to 11: %d frames, frame 5 says %q", m.Frames(), m.clock.text(5))
	}
}

func TestSceneColoursEachCell(t *testing.T) {
	render := func(own0, own1 *Colors, shared string) []uint8 {
		cells := cellsOf(t, "simple_ap", "simple_ap")
		cells[0].Colors, cells[1].Colors = own0, own1
		o := wide()
		o.Layout.Arrange, o.Look.Bloom, o.Colors.Map = "row", 0, shared
		m := newScene(t, cells, o)
		img, err := m.Render(150, m.NewCanvas())
		if err != nil {
			t.Fatal(err)
		}
		return img.Pix
	}
	viridis := DefaultOptions().Colors
	viridis.Map = "viridis"
	plasma, mixed, green := render(nil, nil, "plasma"), render(nil, &viridis, "plasma"), render(nil, nil, "viridis")
	// The left cell keeps plasma, the right one is viridis, each within a
	// colour-table entry of the cells coloured alike.
	half := 3 * 320 / 2
	for y := range 180 {
		row := y * 3 * 320
		for x := range 3 * 320 {
			want := plasma
			if x >= half {
				want = green
			}
			if d := int(mixed[row+x]) - int(want[row+x]); d > 3 || d < -3 {
				t.Fatalf("pixel (%d, %d) channel %d: %d, want %d", x/3, y, x%3, mixed[row+x], want[row+x])
			}
		}
	}
	if bytes.Equal(plasma, green) {
		t.Fatal("plasma and viridis frames are alike")
	}
	// Cells with their own colours that are all alike share a plain table.
	cells := cellsOf(t, "simple_ap", "simple_ap")
	cells[0].Colors, cells[1].Colors = &viridis, &viridis
	m := newScene(t, cells, wide())
	if m.cells[0].band != nil || m.cells[1].band != nil {
		t.Error("cells coloured alike were given bands of a shared table")
	}
}

func TestSceneLimits(t *testing.T) {
	auto := DefaultOptions().Colors
	auto.VMin, auto.VMax = Limit{Auto: true}, Limit{Auto: true}
	o := small()
	o.Colors = auto
	alone := newMovie(t, "simple_ap", o)
	cells := cellsOf(t, "simple_ap", "ca1_random_input")
	shared := newScene(t, cells, o)
	lo, hi := alone.Limits()
	slo, shi := shared.Limits()
	if slo == lo && shi == hi {
		t.Errorf("shared automatic limits %g…%g are the first recording's alone: the second one is left out", slo, shi)
	}
	if a, b := shared.CellLimits(1); a != slo || b != shi {
		t.Errorf("cell 1 shares %g…%g, has %g…%g", slo, shi, a, b)
	}
	// A cell with colours of its own takes automatic limits from its own
	// recording.
	o.Colors = DefaultOptions().Colors
	cells[1].Colors = &auto
	m := newScene(t, cells, o)
	wantLo, wantHi, err := auto.limits(cellOfRecording(t, "ca1_random_input").Rec)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := m.CellLimits(1); a != wantLo || b != wantHi {
		t.Errorf("cell 1's own automatic limits %g…%g, want its recording's %g…%g", a, b, wantLo, wantHi)
	}
	if a, b := m.Limits(); a != -70 || b != 20 {
		t.Errorf("Limits = %g…%g, want the first cell's −70…20", a, b)
	}
}

func TestSceneTargetsNameCells(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "ca1_random_input")
	for _, fov := range []float64{0, 30} {
		o := wide()
		o.Layout.Arrange, o.Target, o.View.Zoom, o.View.FOV = "row", "1:soma", 3, fov
		m := newScene(t, cells, o)
		if x, y := m.LocateIn(1, morph.SomaCenter(cells[1].Morph), 0); !near(x, y, 160, 90) {
			t.Errorf("fov %g: target 1:soma lands at (%.2f, %.2f), want the centre", fov, x, y)
		}
	}
	o := wide()
	o.Target = "1:10,20,30"
	m := newScene(t, cells, o)
	if x, y := m.LocateIn(1, morph.Point{X: 10, Y: 20, Z: 30}, 0); !near(x, y, 160, 90) {
		t.Errorf("target 1:10,20,30 lands at (%.2f, %.2f), want the centre", x, y)
	}
	for _, target := range []string{"2:soma", "1:999", "1:1,2"} {
		o.Target = target
		_, err := NewScene(cells, o)
		var oe *OptionError
		if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), "target") {
			t.Errorf("target %q: NewScene = %v, want an OptionError about the target", target, err)
		}
	}
}

func TestSceneTraces(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "recorder_ball_stick")
	o := wide()
	o.Overlays.Traces = []string{"0:soma", "1:axon"}
	m := newScene(t, cells, o)
	if _, err := m.Render(10, m.NewCanvas()); err != nil {
		t.Fatal(err)
	}
	o.Overlays.Traces = []string{"2:soma"}
	if _, err := NewScene(cells, o); err == nil || !strings.Contains(err.Error(), "no cell 2") {
		t.Errorf("a trace of cell 2 of 2: %v", err)
	}
}

func TestKeyframeTimes(t *testing.T) {
	// The recorder's 40 frames span 0–10 ms: 5 ms is frame 19.5.
	c := cellOfRecording(t, "recorder_ball_stick")
	five := 5.0
	o := small()
	o.Keys = []Keyframe{{Frame: 0}, {Time: &five, Target: "soma", Zoom: 4}}
	m, err := New(c.Morph, c.Rec, o)
	if err != nil {
		t.Fatal(err)
	}
	soma := morph.SomaCenter(c.Morph)
	if x, y := m.Locate(soma, 20); !near(x, y, 48, 32) {
		t.Errorf("after the keyframe at 5 ms the soma is at (%.2f, %.2f), want the centre", x, y)
	}
	if x, y := m.Locate(soma, 19); near(x, y, 48, 32) {
		t.Error("before the keyframe at 5 ms (frame 19.5) the camera has already arrived")
	}
	s := cellOfRecording(t, "simple_ap")
	_, err = New(s.Morph, s.Rec, o)
	var oe *OptionError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "keyframe 1: time 5") {
		t.Errorf("a keyframe time without a time span: %v", err)
	}
}

func TestSceneValidation(t *testing.T) {
	nan := math.NaN()
	good := cellOfRecording(t, "simple_ap")
	badColors := DefaultOptions().Colors
	badColors.Map = "plasm"
	tests := []struct {
		name  string
		cells []Cell
		set   func(o *Options)
		want  string
	}{
		{"arrange", []Cell{good}, func(o *Options) { o.Layout.Arrange = "diagonal" }, "arrange diagonal"},
		{"gap", []Cell{good}, func(o *Options) { o.Layout.Gap = -1 }, "gap -1"},
		{"offset", []Cell{good, {Morph: good.Morph, Rec: good.Rec, Place: Placement{Offset: [3]float64{0, nan, 0}}}}, nil, "cell 1: offset NaN"},
		{"rotate", []Cell{{Morph: good.Morph, Rec: good.Rec, Place: Placement{Rotate: [3]float64{2e6, 0, 0}}}}, nil, "cell 0: rotate"},
		{"colours", []Cell{good, {Morph: good.Morph, Rec: good.Rec, Colors: &badColors}}, nil, "cell 1: cmap"},
		{"time span", []Cell{{Morph: good.Morph, Rec: good.Rec, TimeSpan: TimeSpan{Start: 3, Stop: 1, Set: true}}}, nil, "cell 0: time-span 3:1"},
		{"no cells", nil, nil, "a scene holds 1 to 4096 cells, not 0"},
		{"too many cells", make([]Cell, MaxCells+1), nil, "a scene holds 1 to 4096 cells, not 4097"},
		{"no recording", []Cell{good, {Morph: good.Morph}}, nil, "color-by voltage: a morphology without a recording"},
		{"no cell", []Cell{good, {Rec: good.Rec}}, nil, "cell 1: needs a cell"},
		{"traces", []Cell{good, good}, func(o *Options) { o.Overlays.Traces = []string{"1:apic"} }, "trace 1:apic"},
	}
	for _, tc := range tests {
		o := small()
		if tc.set != nil {
			tc.set(&o)
		}
		_, err := NewScene(tc.cells, o)
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: NewScene = %v, want an error beginning %q", tc.name, err, tc.want)
		}
	}
	if _, err := NewScene([]Cell{{Morph: good.Morph, Rec: &voltage.Recording{Frames: 1}}}, small()); err == nil {
		t.Error("a recording without the cell's traces was accepted")
	}
}

// TestSceneSharesTheVertexBudget: cells share a vertex limit in proportion
// to the meshes they would make, so that a crowded scene loses detail
// evenly and the joined mesh stays within the limit.
func TestSceneSharesTheVertexBudget(t *testing.T) {
	m := newScene(t, cellsOf(t, "simple_ap", "ca1_random_input"), small())
	prepared, so := preparedCells(t, m)
	so.MaxEdge = 0.05
	for _, limit := range []int{1 << 22, 5000} {
		so.MaxVertices = limit
		budgets, err := m.budgets(prepared, []mesh.Options{so, so}, limit)
		if err != nil {
			t.Fatal(err)
		}
		if limit == 1<<22 {
			if budgets[0] != limit || budgets[1] != limit {
				t.Errorf("room for all: budgets %v, want the limit for each", budgets)
			}
			continue
		}
		if budgets[0]+budgets[1] > limit || budgets[0] >= budgets[1] {
			t.Errorf("limit %d: budgets %v, want them to share it, the larger CA1 cell taking more", limit, budgets)
		}
		msh, err := m.sweep(prepared, so, m.camera)
		if err != nil {
			t.Fatal(err)
		}
		if len(msh.Positions) > limit {
			t.Errorf("limit %d: the joined mesh has %d vertices", limit, len(msh.Positions))
		}
	}
}

func TestSceneOfMorphologiesByType(t *testing.T) {
	cells := cellsOf(t, "simple_ap", "l5_bap")
	for i := range cells {
		cells[i].Rec = nil
	}
	o := wide()
	o.ColorBy, o.Overlays.ColorBar, o.Layout.Arrange = ByType, true, "row"
	m := newScene(t, cells, o)
	if m.Frames() != 1 {
		t.Errorf("a scene of morphologies has %d frames, want 1", m.Frames())
	}
	img, err := m.Render(0, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	soma := TypeColors[0]
	x, y := m.LocateIn(1, morph.SomaCenter(cells[1].Morph), 0)
	if c := img.RGB(int(x), int(y)); c == [3]uint8{} {
		t.Errorf("the L5 soma at (%.0f, %.0f) is not drawn (want near %v)", x, y, soma)
	}
	if got := typeLegend(m.cells).Entries; len(got) != 4 {
		t.Errorf("the legend of a ball and stick and an L5 cell names %d types, want soma, axon, basal and apical", len(got))
	}
}
