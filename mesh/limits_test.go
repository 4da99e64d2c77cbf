package mesh

import (
	"errors"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

// balls is n one-point sections of diameter diam µm, section k at
// (k·step, 0, 0) µm.
func balls(n int, step, diam float64) *morph.Cell {
	c := &morph.Cell{}
	for k := range n {
		c.Sections = append(c.Sections, morph.Section{Type: "dend", Parent: -1, Points: []morph.Point{{X: float64(k) * step, Diam: diam}}})
	}
	return c
}

// line is one straight section along X of n points spaced step apart,
// diameter diam.
func line(n int, step, diam float64) morph.Section {
	s := morph.Section{Type: "dend", Parent: -1}
	for k := range n {
		s.Points = append(s.Points, morph.Point{X: float64(k) * step, Diam: diam})
	}
	return s
}

// zigzag is a dendrite that runs back and forth: legs of four points
// 0.5 µm to 20 µm apart in a straight line (which rings sized to a picture
// thin out), turning by 60° to 180° between legs.
func zigzag() *morph.Cell {
	var pts []morph.Point
	x, y, dir := 0.0, 0.0, 0.0
	for k := range 60 {
		step := 0.5 + float64(k%7)*3
		x, y = x+step*math.Cos(dir), y+step*math.Sin(dir)
		pts = append(pts, morph.Point{X: x, Y: y, Diam: 3})
		if k%4 == 3 {
			dir += math.Pi / 3 * float64(1+k%3)
		}
	}
	return &morph.Cell{Sections: []morph.Section{{Type: "dend", Parent: -1, Points: pts}}}
}

// pixelsFilling is the mesh units per pixel of a 1080-pixel-high picture
// that a sphere of radius r fills at 90%.
func pixelsFilling(r float64) float64 { return 2 * r / (0.9 * 1080) }

func TestEstimateMatchesBuild(t *testing.T) {
	many := balls(300, 10, 40) // 300 balls of radius 40×2/2/25 = 1.6 in a row 120 long
	cases := []struct {
		name string
		cell *morph.Cell
		seg  int
		o    Options
	}{
		{"defaults", branchedCell(), 0, DefaultOptions()},
		{"caps, tube soma", branchedCell(), 5, Options{Sides: 7, Caps: true}},
		{"sized to a picture", branchedCell(), 0, Options{Sides: 16, SimplifySoma: true, MaxEdge: 0.05, MinRadius: 0.02}},
		{"dense rings", &morph.Cell{Sections: []morph.Section{line(5000, 0.01, 2)}}, 0, Options{Sides: 16, MaxEdge: 0.04}},
		{"coarsened", many, 0, Options{Sides: 16, MaxEdge: 0.001, MaxVertices: 100000}},
		{"coarsest", many, 0, Options{Sides: 16, MaxEdge: 0.001, MaxVertices: 300 * 14}},
		{"sharp bends", zigzag(), 0, Options{Sides: 11}},
		{"sharp bends sized to a picture", zigzag(), 0, Options{Sides: 16, MaxEdge: 0.3}},
	}
	for _, c := range cases {
		p := prepared(t, c.cell, c.seg)
		size, err := Estimate(p, c.o)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		m := build(t, p, c.o)
		if size.Vertices != len(m.Positions) || size.Triangles != len(m.Triangles) || size.Probes != len(m.Probes) {
			t.Errorf("%s: estimated %d vertices, %d triangles, %d probes; built %d, %d, %d", c.name,
				size.Vertices, size.Triangles, size.Probes, len(m.Positions), len(m.Triangles), len(m.Probes))
		}
		if size.Edge < c.o.MaxEdge {
			t.Errorf("%s: edge %v below MaxEdge %v", c.name, size.Edge, c.o.MaxEdge)
		}
		if c.o.MaxVertices > 0 && size.Vertices > c.o.MaxVertices {
			t.Errorf("%s: %d vertices, more than the limit %d", c.name, size.Vertices, c.o.MaxVertices)
		}
	}
}

// TestCoincidentBallsAddNothing is a thousand one-point sections at one
// place, each a ball filling a 1080p picture: sized to that picture, only
// the first is drawn.
func TestCoincidentBallsAddNothing(t *testing.T) {
	p := prepared(t, balls(1000, 0, 20), 0)
	r := p.Thickness * p.Sections[0].Points[0].Diam / 2
	o := DefaultOptions()
	o.MaxEdge, o.MaxVertices = 1.5*pixelsFilling(r), PictureMaxVertices
	m := build(t, p, o)
	if want := (SphereRings(MaxSides)-1)*MaxSides + 2; len(m.Positions) != want {
		t.Errorf("%d vertices, want one ball of %d", len(m.Positions), want)
	}
	if len(m.Probes) != 1 || m.Probes[0].Section != 0 {
		t.Errorf("%d probes, want the first section's only", len(m.Probes))
	}
	// Without a picture every ball is drawn, at Sides.
	m = build(t, p, DefaultOptions())
	if want := 1000 * ((SphereRings(16)-1)*16 + 2); len(m.Positions) != want {
		t.Errorf("unsized: %d vertices, want %d", len(m.Positions), want)
	}
}

// TestPictureLimitCoarsens is a row of overlapping balls drawn large:
// their mesh sized to the picture has too many vertices, so it is made
// just coarse enough to fit.
func TestPictureLimitCoarsens(t *testing.T) {
	p := prepared(t, balls(1000, 5, 20), 0) // 1000 balls of radius 0.8, 0.2 apart
	o := DefaultOptions()
	o.MaxEdge, o.MaxVertices = 0.001, PictureMaxVertices
	size, err := Estimate(p, o)
	if err != nil {
		t.Fatal(err)
	}
	if size.Vertices > PictureMaxVertices || !(size.Edge > o.MaxEdge) || math.IsInf(size.Edge, 0) {
		t.Fatalf("%d vertices at edge %v (asked %v): want at most %d, coarser than asked", size.Vertices, size.Edge, o.MaxEdge, PictureMaxVertices)
	}
	// One step finer would not fit.
	finer := o
	finer.MaxEdge, finer.MaxVertices = size.Edge/math.Exp2(0.25), MaxVertices
	if s, err := Estimate(p, finer); err != nil || s.Vertices <= PictureMaxVertices {
		t.Errorf("one step finer: %d vertices (error %v), want more than %d", s.Vertices, err, PictureMaxVertices)
	}
}

func TestTooLarge(t *testing.T) {
	p := prepared(t, balls(100, 10, 40), 0)
	cases := []struct {
		name string
		o    Options
	}{
		{"no picture", Options{Sides: 16, MaxVertices: 1000}},
		{"too many even at the coarsest", Options{Sides: 16, MaxEdge: 0.01, MaxVertices: 1000}},
	}
	for _, c := range cases {
		if _, err := Estimate(p, c.o); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Estimate error %v, want ErrTooLarge", c.name, err)
		}
		if _, err := Build(p, c.o); !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: Build error %v, want ErrTooLarge", c.name, err)
		}
	}
}

// TestDenseRingsFollowThePicture samples straight and bent tubes every
// hundredth of a pixel: sized to the picture, rings come about a ring
// edge apart, except where the radius steps or the tube bends.
func TestDenseRingsFollowThePicture(t *testing.T) {
	const edge = 1.0
	rings := func(c *morph.Prepared) int {
		m := build(t, c, Options{Sides: 8, MaxEdge: edge})
		return len(m.Probes)
	}
	straight := &morph.Prepared{Thickness: 1, Sections: []morph.Section{line(10001, 0.01, 2)}}
	if n := rings(straight); n < 100 || n > 102 {
		t.Errorf("straight tube 100 long: %d rings, want about 100", n)
	}
	full := build(t, straight, Options{Sides: 8})
	if len(full.Probes) != 10001 {
		t.Errorf("unsized: %d rings, want every point's", len(full.Probes))
	}

	step := &morph.Prepared{Thickness: 1, Sections: []morph.Section{line(10001, 0.01, 2)}}
	for k := 5000; k < len(step.Sections[0].Points); k++ {
		step.Sections[0].Points[k].Diam = 6
	}
	m := build(t, step, Options{Sides: 8, MaxEdge: edge})
	if ringAt(m, 0.5) < 0 || ringAt(m, 0.4999) < 0 {
		t.Errorf("the rings on either side of the radius step at the middle were left out")
	}

	zigzag := &morph.Prepared{Thickness: 1, Sections: []morph.Section{line(1001, 0.01, 2)}}
	for k := range zigzag.Sections[0].Points {
		zigzag.Sections[0].Points[k].Y = 0.3 * float64(k%2)
	}
	if n := rings(zigzag); n != 1001 {
		t.Errorf("zigzag of 0.3 across: %d rings, want all 1001", n)
	}
}

// ringAt is the index of the probe at arc position pos, or −1.
func ringAt(m *Mesh, pos float32) int {
	for i, p := range m.Probes {
		if math.Abs(float64(p.Pos-pos)) < 1e-6 {
			return i
		}
	}
	return -1
}
