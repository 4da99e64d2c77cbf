package morph

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// ballAndStick is a soma of three points along X (diameter 10) with a
// dendrite of diameter 2 leaving its end along +Y with a bend, away from
// the origin so that centring has work to do.
func ballAndStick() *Cell {
	return &Cell{Sections: []Section{
		{ID: 0, Type: "soma", Parent: -1, Points: []Point{
			{X: 100, Y: 50, Z: 20, Diam: 10}, {X: 105, Y: 50, Z: 20, Diam: 12}, {X: 110, Y: 50, Z: 20, Diam: 10},
		}},
		{ID: 1, Type: "dend", Parent: -1, Points: []Point{
			{X: 110, Y: 50, Z: 20, Diam: 2}, {X: 110, Y: 80, Z: 20, Diam: 2}, {X: 150, Y: 110, Z: 20, Diam: 1},
		}},
	}}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*(1+math.Abs(a)+math.Abs(b)) }

func TestValidate(t *testing.T) {
	ok := DefaultOptions()
	cases := []struct {
		name   string
		change func(*Options)
		want   string // "" = valid
	}{
		{"defaults", func(*Options) {}, ""},
		{"segmentation 2", func(o *Options) { o.Segmentation = 2 }, ""},
		{"segmentation 1", func(o *Options) { o.Segmentation = 1 }, "segmentation"},
		{"segmentation -3", func(o *Options) { o.Segmentation = -3 }, "segmentation"},
		{"segmentation huge", func(o *Options) { o.Segmentation = MaxSegmentation + 1 }, "segmentation"},
		{"downscale 0", func(o *Options) { o.Downscale = 0 }, "downscale"},
		{"downscale NaN", func(o *Options) { o.Downscale = math.NaN() }, "downscale"},
		{"thickness negative", func(o *Options) { o.Thickness = -1 }, "thickness"},
		{"thickness inf", func(o *Options) { o.Thickness = math.Inf(1) }, "thickness"},
		{"homogeneity 1", func(o *Options) { o.Homogeneity = 1 }, ""},
		{"homogeneity 1.5", func(o *Options) { o.Homogeneity = 1.5 }, "homogeneity"},
		{"homogeneity -0.1", func(o *Options) { o.Homogeneity = -0.1 }, "homogeneity"},
		{"homogeneity NaN", func(o *Options) { o.Homogeneity = math.NaN() }, "homogeneity"},
	}
	for _, c := range cases {
		o := ok
		c.change(&o)
		err := o.Validate()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: unexpected error %v", c.name, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: error %v, want one naming %q", c.name, err, c.want)
		}
	}
}

func TestDefaultsAreBlenderSpikes(t *testing.T) {
	o := DefaultOptions()
	if o.Downscale != 25 || !o.Center || o.Thickness != 2 || o.Homogeneity != 0 || o.Segmentation != 0 {
		t.Fatalf("defaults %+v", o)
	}
}

func TestPrepareCentresAndScales(t *testing.T) {
	c := ballAndStick()
	p, err := Prepare(c, []int{1, 3}, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	centre := SomaCenter(&Cell{Sections: p.Sections})
	if math.Abs(centre.X)+math.Abs(centre.Y)+math.Abs(centre.Z) > 1e-12 {
		t.Errorf("soma centre at %+v, want origin", centre)
	}
	// the dendrite's last point (150,110,20) minus the soma centre (105,50,20), over 25
	last := p.Sections[1].Points[len(p.Sections[1].Points)-1]
	if !near(last.X, 45.0/25) || !near(last.Y, 60.0/25) || !near(last.Z, 0) || !near(last.Diam, 1.0/25) {
		t.Errorf("dendrite end %+v", last)
	}
	if p.Thickness != 2 {
		t.Errorf("thickness %v", p.Thickness)
	}
	if c.Sections[1].Points[2].X != 150 {
		t.Error("Prepare modified its input")
	}

	o := DefaultOptions()
	o.Center = false
	p, err = Prepare(c, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if first := p.Sections[0].Points[0]; !near(first.X, 4) || !near(first.Y, 2) || !near(first.Z, 0.8) {
		t.Errorf("uncentred first point %+v, want the recording's divided by 25", first)
	}
}

func TestCentreWithoutSoma(t *testing.T) {
	c := ballAndStick()
	c.Sections[0].Type = "dend"
	p, err := Prepare(c, nil, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	if first := p.Sections[0].Points[0]; first.X != 0 || first.Y != 0 || first.Z != 0 {
		t.Errorf("first point %+v, want origin", first)
	}
}

func TestHomogeneity(t *testing.T) {
	c := ballAndStick()
	mean := (10 + 12 + 10 + 2 + 2 + 1) / 6.0
	for _, h := range []float64{0, 0.25, 1} {
		o := DefaultOptions()
		o.Homogeneity = h
		p, err := Prepare(c, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		for i, s := range c.Sections {
			for j, q := range s.Points {
				// auto segmentation keeps the 3-D points first in their order
				got := findPoint(p.Sections[i].Points, q, o.Downscale, SomaCenter(c))
				want := (h*mean + (1-h)*q.Diam) / 25
				if got == nil || !near(got.Diam, want) {
					t.Errorf("h=%v section %d point %d: diameter %v, want %v", h, i, j, got, want)
				}
			}
		}
		if h == 1 {
			for _, s := range p.Sections {
				for _, q := range s.Points {
					if !near(q.Diam, mean/25) {
						t.Errorf("homogeneity 1 left diameter %v, want %v", q.Diam, mean/25)
					}
				}
			}
		}
	}
}

// findPoint returns the prepared point that recorded point q became.
func findPoint(pts []Point, q Point, downscale float64, origin Point) *Point {
	for i, p := range pts {
		if near(p.X, (q.X-origin.X)/downscale) && near(p.Y, (q.Y-origin.Y)/downscale) && near(p.Z, (q.Z-origin.Z)/downscale) {
			return &pts[i]
		}
	}
	return nil
}

func TestResampleEvenArcLength(t *testing.T) {
	c := ballAndStick()
	for _, n := range []int{2, 3, 5, 17} {
		o := DefaultOptions()
		o.Segmentation = n
		p, err := Prepare(c, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		origin := SomaCenter(c)
		for i, s := range p.Sections {
			if len(s.Points) != n {
				t.Fatalf("n=%d section %d: %d points", n, i, len(s.Points))
			}
			// point k is the recorded polyline's point at arc fraction k/(n−1)
			for k, q := range s.Points {
				want := c.Sections[i].At(float64(k) / float64(n-1))
				if findPoint([]Point{q}, want, 25, origin) == nil || !near(q.Diam, want.Diam/25) {
					t.Errorf("n=%d section %d point %d: %+v, want %+v scaled", n, i, k, q, want)
				}
			}
		}
		// the dendrite's ends are kept
		d := p.Sections[1].Points
		if !near(d[0].X, 5.0/25) || !near(d[n-1].X, 45.0/25) || !near(d[n-1].Y, 60.0/25) {
			t.Errorf("n=%d: ends %+v %+v", n, d[0], d[n-1])
		}
	}
	// on a straight line the resampled points are exactly evenly spaced
	line := []Point{{X: 0, Diam: 1}, {X: 1, Diam: 1}, {X: 10, Diam: 3}}
	r := Resample(line, 11)
	for k, q := range r {
		if !near(q.X, float64(k)) {
			t.Errorf("resampled point %d at %v", k, q.X)
		}
	}
	if !near(r[5].Diam, 1+2*4.0/9) {
		t.Errorf("diameter at x=5: %v", r[5].Diam)
	}
}

func TestAutoSegmentationCoversSegments(t *testing.T) {
	c := ballAndStick()
	nseg := []int{1, 7}
	p, err := Prepare(c, nseg, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	origin := SomaCenter(c)
	for i, s := range p.Sections {
		// every recorded point is kept, in order
		at := 0
		for _, q := range c.Sections[i].Points {
			found := false
			for ; at < len(s.Points); at++ {
				if findPoint(s.Points[at:at+1], q, 25, origin) != nil {
					found = true
					break
				}
			}
			if !found {
				t.Fatalf("section %d: recorded point %+v lost", i, q)
			}
		}
		// every segment [k/n, (k+1)/n] holds at least two rings
		pos := arcFractions(s.Points)
		for k := range nseg[i] {
			lo, hi := float64(k)/float64(nseg[i]), float64(k+1)/float64(nseg[i])
			count := 0
			for _, x := range pos {
				if x >= lo-1e-9 && x <= hi+1e-9 {
					count++
				}
			}
			if count < 2 {
				t.Errorf("section %d segment %d: %d rings", i, k, count)
			}
		}
		// the shape is exactly the reconstruction: the length is unchanged
		if want := c.Sections[i].Length() / 25; !near(s.Length(), want) {
			t.Errorf("section %d: length %v, want %v", i, s.Length(), want)
		}
	}
	// soma (3 points, 1 segment: boundaries 0 and 1 are its ends, centre its middle point)
	if n := len(p.Sections[0].Points); n != 3 {
		t.Errorf("soma has %d points, want its 3", n)
	}
	// dendrite: 3 points + 13 interior segment boundaries and centres, none on a 3-D point
	// (the bend at 30 of 80 µm is not a multiple of 80/14)
	if n := len(p.Sections[1].Points); n != 3+13 {
		t.Errorf("dendrite has %d points, want 16", n)
	}
}

func arcFractions(pts []Point) []float64 {
	cum := cumulative(pts)
	out := make([]float64, len(pts))
	for i := range cum {
		out[i] = cum[i] / cum[len(cum)-1]
	}
	return out
}

func TestDegenerateSections(t *testing.T) {
	c := &Cell{Sections: []Section{
		{Type: "soma", Points: []Point{{X: 1, Y: 1, Z: 1, Diam: 0}}},                                        // one point, zero diameter
		{Type: "dend", Points: []Point{{X: 1, Y: 1, Z: 1, Diam: 1}, {X: 1, Y: 1, Z: 1, Diam: 1}}},           // zero length
		{Type: "dend", Points: []Point{{X: 1, Diam: 1}, {X: 1, Diam: 1}, {X: 2, Diam: 0}, {X: 2, Diam: 0}}}, // repeated points
	}}
	for _, seg := range []int{0, 2, 5} {
		o := DefaultOptions()
		o.Segmentation = seg
		p, err := Prepare(c, []int{1, 3, 2}, o)
		if err != nil {
			t.Fatalf("segmentation %d: %v", seg, err)
		}
		for i, s := range p.Sections {
			if len(s.Points) == 0 {
				t.Fatalf("segmentation %d section %d: no points", seg, i)
			}
			for _, q := range s.Points {
				if !finite(q.X) || !finite(q.Y) || !finite(q.Z) || !finite(q.Diam) {
					t.Fatalf("segmentation %d section %d: %+v", seg, i, q)
				}
				if q.Diam < MinDiameter/25-1e-15 {
					t.Errorf("segmentation %d section %d: diameter %v below the minimum", seg, i, q.Diam)
				}
			}
		}
		if got := p.Sections[0].Points[0].Diam; !near(got, MinDiameter/25) {
			t.Errorf("zero diameter became %v, want %v", got, MinDiameter/25)
		}
	}
}

func TestPrepareRejects(t *testing.T) {
	good := ballAndStick()
	nan := ballAndStick()
	nan.Sections[1].Points[1].Y = math.NaN()
	empty := ballAndStick()
	empty.Sections[1].Points = nil
	cases := []struct {
		name string
		cell *Cell
		nseg []int
		opt  func(*Options)
		want string
	}{
		{"no cell", &Cell{}, nil, nil, "no sections"},
		{"NaN", nan, nil, nil, "section 1, point 1"},
		{"no points", empty, nil, nil, "section 1"},
		{"nseg count", good, []int{1}, nil, "1 segment counts for 2 sections"},
		{"nseg zero", good, []int{1, 0}, nil, "section 1"},
		{"nseg huge", good, []int{1, MaxNSeg + 1}, nil, "section 1"},
		{"bad option", good, nil, func(o *Options) { o.Thickness = -2 }, "thickness"},
		{"too many points", &Cell{Sections: make([]Section, 500)}, nil, func(o *Options) { o.Segmentation = MaxSegmentation }, "more than"},
	}
	for i := range cases[len(cases)-1].cell.Sections {
		cases[len(cases)-1].cell.Sections[i].Points = []Point{{Diam: 1}}
	}
	for _, c := range cases {
		o := DefaultOptions()
		if c.opt != nil {
			c.opt(&o)
		}
		_, err := Prepare(c.cell, c.nseg, o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if tooLarge := c.name == "too many points"; errors.Is(err, ErrTooLarge) != tooLarge {
			t.Errorf("%s: error %v wraps ErrTooLarge: %v, want %v", c.name, err, !tooLarge, tooLarge)
		}
	}
}

func TestSectionAt(t *testing.T) {
	s := Section{Points: []Point{{X: 0, Diam: 2}, {X: 0, Diam: 2}, {X: 3, Diam: 2}, {X: 3, Y: 1, Diam: 4}}}
	for _, c := range []struct{ x, wantX, wantY, wantD float64 }{
		{0, 0, 0, 2}, {0.5, 2, 0, 2}, {0.875, 3, 0.5, 3}, {1, 3, 1, 4},
	} {
		p := s.At(c.x)
		if !near(p.X, c.wantX) || !near(p.Y, c.wantY) || !near(p.Diam, c.wantD) {
			t.Errorf("At(%v) = %+v", c.x, p)
		}
	}
}
