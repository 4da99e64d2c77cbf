package movie

import (
	"testing"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
)

// preparedCells prepares every cell of m as its mesh is built, and the
// picture's mesh options.
func preparedCells(t *testing.T, m *Movie) ([]*morph.Prepared, mesh.Options) {
	t.Helper()
	prepared := make([]*morph.Prepared, len(m.cells))
	for i, c := range m.cells {
		var err error
		if prepared[i], err = c.geom.prepare(c.shape, c.rec); err != nil {
			t.Fatal(err)
		}
	}
	so := m.opts.Geometry.meshOptions()
	so.MaxEdge = ringEdgePixels * m.camera.UnitsPerPixel()
	return prepared, so
}

// TestDetailFollowsTheCellsSize: a cell at the usual framing keeps the
// picture's detail (so its frames are what they always were); a cell that
// is a small part of the picture gets as few as three ring vertices on
// thin tubes and rings further apart, and one a few pixels across its
// soma alone; a camera that zooms through keyframes keeps full detail.
func TestDetailFollowsTheCellsSize(t *testing.T) {
	cells := cellsOf(t, "l5_bap")
	for _, tc := range []struct {
		zoom     float64
		keys     bool
		lowered  bool
		somaOnly bool
	}{
		{zoom: 1},
		{zoom: 0.3},
		{zoom: 0.1, lowered: true},
		{zoom: 0.002, lowered: true, somaOnly: true},
		{zoom: 0.01, keys: true},
	} {
		o := wide()
		o.View.Zoom = tc.zoom
		if tc.keys {
			o.Keys = []Keyframe{{Frame: 0, Zoom: tc.zoom}, {Frame: 10, Zoom: 1}}
		}
		m := newScene(t, cells, o)
		prepared, so := preparedCells(t, m)
		got := m.detail(prepared[0], so, m.camera)
		if !tc.lowered {
			if got != so {
				t.Errorf("zoom %g (keys %v): detail %+v, want the picture's %+v", tc.zoom, tc.keys, got, so)
			}
			continue
		}
		if got.FewestSides != mesh.MinSides || got.MaxEdge < so.MaxEdge || got.MaxEdge > coarsestEdgeFactor*so.MaxEdge*1.0001 || got.SomaOnly != tc.somaOnly {
			t.Errorf("zoom %g: detail %+v from the picture's %+v", tc.zoom, got, so)
		}
	}
}

// TestSmallCellsTakeFewerTriangles: a grid of many copies, each a small
// part of the picture, takes fewer triangles than the same cells meshed
// at the picture's detail, and still draws every cell.
func TestSmallCellsTakeFewerTriangles(t *testing.T) {
	var cells []Cell
	for range 36 {
		cells = append(cells, cellsOf(t, "l5_bap")...)
	}
	o := wide()
	o.Layout.Arrange = "grid"
	m := newScene(t, cells, o)
	prepared, so := preparedCells(t, m)
	full := 0
	for _, p := range prepared {
		msh, err := mesh.Build(p, so)
		if err != nil {
			t.Fatal(err)
		}
		full += len(msh.Triangles)
	}
	got := len(m.Mesh().Triangles)
	if got >= full*3/4 {
		t.Errorf("%d triangles, %d at the picture's detail: want fewer", got, full)
	}
	img, err := m.Render(0, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	for i := range cells {
		x, y := m.LocateIn(i, morph.SomaCenter(cells[i].Morph), 0)
		if img.RGB(int(x), int(y)) == [3]uint8{} {
			t.Errorf("cell %d's soma at (%.0f, %.0f) is not drawn", i, x, y)
		}
	}
	t.Logf("%d triangles, %d at the picture's detail", got, full)
}
