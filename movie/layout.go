package movie

import (
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// planeAxes are the right and up directions of a base view, in recorded
// coordinates (as render.View's planes have them).
func planeAxes(plane string) (right, up [3]float64) {
	switch plane {
	case "xz":
		return [3]float64{1, 0, 0}, [3]float64{0, 0, 1}
	case "yz":
		return [3]float64{0, 1, 0}, [3]float64{0, 0, 1}
	}
	return [3]float64{1, 0, 0}, [3]float64{0, 1, 0}
}

// extent is how far a cell reaches from its soma centre along the base
// view's right and up directions (all four ≥ 0), tube radii included.
type extent struct{ left, right, down, up float64 }

// extentOf measures cell, turned by t, about its soma centre.
func extentOf(cell *morph.Cell, t turn, thickness float64, plane string) extent {
	r, u := planeAxes(plane)
	var e extent
	for _, s := range cell.Sections {
		for _, p := range s.Points {
			q := t.apply(p)
			d := [3]float64{q.X - t.about[0], q.Y - t.about[1], q.Z - t.about[2]}
			x := d[0]*r[0] + d[1]*r[1] + d[2]*r[2]
			y := d[0]*u[0] + d[1]*u[1] + d[2]*u[2]
			rad := thickness * p.Diam / 2
			e.left, e.right = math.Max(e.left, rad-x), math.Max(e.right, x+rad)
			e.down, e.up = math.Max(e.down, rad-y), math.Max(e.up, y+rad)
		}
	}
	return e
}

// arrange returns how far each cell moves once turned: to its place in
// the layout, then by its offset. A row or grid puts each soma centre at
// its place, in the base view's plane through the origin.
func arrange(cells []Cell, turns []turn, o Options) [][3]float64 {
	shifts := make([][3]float64, len(cells))
	if o.Layout.Arrange == "row" || o.Layout.Arrange == "grid" {
		slots := layoutSlots(cells, turns, o)
		for i := range cells {
			for a := range 3 {
				shifts[i][a] = slots[i][a] - turns[i].about[a]
			}
		}
	}
	for i, c := range cells {
		for a := range 3 {
			shifts[i][a] += c.Place.Offset[a]
		}
	}
	return shifts
}

// layoutSlots places the soma centres of a row or a grid. A row packs
// each cell against the one before it; a grid spaces its columns and rows
// evenly, wide enough for the cells that reach farthest.
func layoutSlots(cells []Cell, turns []turn, o Options) [][3]float64 {
	plane := o.View.Plane
	ext := make([]extent, len(cells))
	longest := 0.0
	for i, c := range cells {
		ext[i] = extentOf(c.Morph, turns[i], o.Geometry.Prepare.Thickness, plane)
		longest = math.Max(longest, math.Max(ext[i].left+ext[i].right, ext[i].down+ext[i].up))
	}
	gap := o.Layout.Gap * longest
	r, u := planeAxes(plane)
	at := func(x, y float64) [3]float64 {
		return [3]float64{x*r[0] + y*u[0], x*r[1] + y*u[1], x*r[2] + y*u[2]}
	}
	slots := make([][3]float64, len(cells))
	if o.Layout.Arrange == "row" {
		x := 0.0
		for i := range cells {
			if i > 0 {
				x += ext[i-1].right + gap + ext[i].left
			}
			slots[i] = at(x, 0)
		}
		return slots
	}
	cols := int(math.Ceil(math.Sqrt(float64(len(cells)))))
	var most extent
	for _, e := range ext {
		most = extent{math.Max(most.left, e.left), math.Max(most.right, e.right), math.Max(most.down, e.down), math.Max(most.up, e.up)}
	}
	dx, dy := most.left+most.right+gap, most.down+most.up+gap
	for i := range cells {
		slots[i] = at(float64(i%cols)*dx, -float64(i/cols)*dy)
	}
	return slots
}
