package mesh

import (
	"github.com/spikeframes/spikeframes/geom"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// branchedCell is a soma (3 points along X, 40 µm long) with a dendrite leaving its end
// that forks into two children, plus a free-standing straight axon that
// touches nothing: in recorded µm, not centred.
func branchedCell() *morph.Cell {
	return &morph.Cell{Sections: []morph.Section{
		{Type: "soma", Parent: -1, Points: []morph.Point{{X: -20, Diam: 20}, {X: 0, Diam: 22}, {X: 20, Diam: 20}}},
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 20, Diam: 4}, {X: 60, Y: 10, Diam: 3}, {X: 100, Y: 10, Diam: 3}}},
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 100, Y: 10, Diam: 2}, {X: 150, Y: 60, Diam: 1.5}, {X: 160, Y: 120, Diam: 1}}},
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 100, Y: 10, Diam: 2}, {X: 150, Y: -40, Z: 20, Diam: 1.5}, {X: 200, Y: -40, Z: 40, Diam: 1}}},
		{Type: "axon", Parent: -1, Points: []morph.Point{{X: -300, Y: -300, Diam: 1}, {X: -300, Y: -500, Diam: 1}}},
	}}
}

func prepared(t *testing.T, c *morph.Cell, seg int) *morph.Prepared {
	t.Helper()
	o := morph.DefaultOptions()
	o.Segmentation = seg
	p, err := morph.Prepare(c, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// unprepared takes c's sections as they are, as if prepared with a
// thickness of 1 and no other change.
func unprepared(c *morph.Cell) *morph.Prepared {
	return &morph.Prepared{Sections: c.Sections, Thickness: 1}
}

func build(t *testing.T, c *morph.Prepared, o Options) *Mesh {
	t.Helper()
	m, err := Build(c, o)
	if err != nil {
		t.Fatal(err)
	}
	checkConsistent(t, m)
	return m
}

// checkConsistent asserts the facts every mesh must hold: matching slice
// lengths, indices in range, finite positions, unit normals.
func checkConsistent(t *testing.T, m *Mesh) {
	t.Helper()
	n := len(m.Positions)
	if len(m.Normals) != n || len(m.VertexProbe) != n {
		t.Fatalf("%d positions, %d normals, %d vertex probes", n, len(m.Normals), len(m.VertexProbe))
	}
	for v := range n {
		for a := range 3 {
			if !finiteF(m.Positions[v][a]) || !finiteF(m.Normals[v][a]) {
				t.Fatalf("vertex %d: position %v normal %v", v, m.Positions[v], m.Normals[v])
			}
		}
		if l := length(m.Normals[v]); math.Abs(l-1) > 1e-5 {
			t.Fatalf("vertex %d: normal length %v", v, l)
		}
		if int(m.VertexProbe[v]) >= len(m.Probes) {
			t.Fatalf("vertex %d: probe %d of %d", v, m.VertexProbe[v], len(m.Probes))
		}
	}
	for i, tr := range m.Triangles {
		for _, v := range tr {
			if int(v) >= n {
				t.Fatalf("triangle %d: vertex %d of %d", i, v, n)
			}
		}
	}
	for i, p := range m.Probes {
		if p.Pos != morph.SectionMean && !(p.Pos >= 0 && p.Pos <= 1) {
			t.Fatalf("probe %d: position %v", i, p.Pos)
		}
	}
}

func finiteF(x float32) bool { return !math.IsNaN(float64(x)) && !math.IsInf(float64(x), 0) }

func length(v Vec3) float64 {
	return math.Sqrt(float64(v[0])*float64(v[0]) + float64(v[1])*float64(v[1]) + float64(v[2])*float64(v[2]))
}

func sub(a, b Vec3) geom.Vec {
	return geom.Vec{float64(a[0] - b[0]), float64(a[1] - b[1]), float64(a[2] - b[2])}
}
func toVec(a Vec3) geom.Vec { return geom.Vec{float64(a[0]), float64(a[1]), float64(a[2])} }

func TestRingRadii(t *testing.T) {
	// a straight dendrite along (1,2,2) whose diameter falls from 5 to 1 µm
	dir := geom.Vec{1, 2, 2}.Scale(1.0 / 3)
	c := &morph.Cell{Sections: []morph.Section{{Type: "dend", Points: []morph.Point{
		{X: 7, Y: 8, Z: 9, Diam: 5},
		{X: 7 + 30*dir[0], Y: 8 + 30*dir[1], Z: 9 + 30*dir[2], Diam: 3},
		{X: 7 + 90*dir[0], Y: 8 + 90*dir[1], Z: 9 + 90*dir[2], Diam: 1},
	}}}}
	for _, thickness := range []float64{0.5, 2, 3} {
		o := morph.DefaultOptions()
		o.Thickness = thickness
		o.Segmentation = 7
		p, err := morph.Prepare(c, nil, o)
		if err != nil {
			t.Fatal(err)
		}
		// no soma: centring puts the first point, and so the axis, at the origin
		m := build(t, p, DefaultOptions())
		for v, pos := range m.Positions[:7*16] { // the rings; the rounded ends follow
			probe := m.Probes[m.VertexProbe[v]]
			// diameter at the ring's arc position, by the recorded profile
			s := float64(probe.Pos) * 90
			d := 5 - 2*s/30
			if s > 30 {
				d = 3 - 2*(s-30)/60
			}
			want := thickness * d / 2 / 25
			p := toVec(pos)
			axial := p.Dot(dir)
			radial := p.Sub(dir.Scale(axial)).Norm()
			if math.Abs(radial-want) > 1e-5 {
				t.Fatalf("thickness %v vertex %d at arc %v: radius %v, want %v", thickness, v, probe.Pos, radial, want)
			}
			if math.Abs(axial-s/25) > 1e-5 {
				t.Fatalf("vertex %d: ring at %v along the axis, want %v", v, axial, s/25)
			}
		}
	}
}

func TestVertexCountFormula(t *testing.T) {
	c := branchedCell()
	for _, seg := range []int{2, 5, 9} {
		for _, sides := range []int{3, 7, 16} {
			for _, caps := range []bool{false, true} {
				for _, soma := range []bool{true, false} {
					o := Options{Sides: sides, Caps: caps, SimplifySoma: soma}
					m := build(t, prepared(t, c, seg), o)
					hemi := (HemisphereRings(sides)-1)*sides + 1
					sphere := (SphereRings(sides)-1)*sides + 2
					// joints: dendrite start (on the soma) and end (fork),
					// both children's starts; the soma tube's end when drawn.
					joints, free := 4, 3 // free: two child tips, axon ends
					free++
					tubes := 4
					want := 0
					if soma {
						want += sphere
					} else {
						tubes++
						joints++ // soma end (where the dendrite starts)
						free++   // soma start
					}
					// free tips are rounded too, or closed flat with caps
					want += tubes*seg*sides + joints*hemi
					if caps {
						want += free
					} else {
						want += free * hemi
					}
					if got := len(m.Positions); got != want {
						t.Errorf("segmentation %d sides %d caps %v soma %v: %d vertices, want %d", seg, sides, caps, soma, got, want)
					}
					// one probe per ring, one per sphere
					wantProbes := tubes * seg
					if soma {
						wantProbes++
					}
					if len(m.Probes) != wantProbes {
						t.Errorf("segmentation %d sides %d: %d probes, want %d", seg, sides, len(m.Probes), wantProbes)
					}
				}
			}
		}
	}
}

// edgeUse counts each undirected edge's triangles and each directed edge.
func edgeUse(m *Mesh) (map[[2]uint32]int, map[[2]uint32]int) {
	undirected := map[[2]uint32]int{}
	directed := map[[2]uint32]int{}
	for _, tr := range m.Triangles {
		for k := range 3 {
			a, b := tr[k], tr[(k+1)%3]
			directed[[2]uint32{a, b}]++
			if a > b {
				a, b = b, a
			}
			undirected[[2]uint32{a, b}]++
		}
	}
	return undirected, directed
}

// TestEveryTubeClosed checks that every tube is closed, its tips rounded
// or, with caps, flat: every edge is shared by two triangles, each using
// it once in each direction, so no hole or inside shows from any angle.
func TestEveryTubeClosed(t *testing.T) {
	for _, seg := range []int{0, 4} {
		for _, soma := range []bool{true, false} {
			for _, caps := range []bool{true, false} {
				m := build(t, prepared(t, branchedCell(), seg), Options{Sides: 12, Caps: caps, SimplifySoma: soma})
				undirected, directed := edgeUse(m)
				for e, n := range undirected {
					if n != 2 {
						t.Fatalf("segmentation %d soma %v caps %v: edge %v shared by %d triangles", seg, soma, caps, e, n)
					}
				}
				for e, n := range directed {
					if n != 1 {
						t.Fatalf("segmentation %d caps %v: directed edge %v used %d times: inconsistent winding", seg, caps, e, n)
					}
				}
			}
		}
	}
}

// TestTips checks how a free tip is closed: rounded by a hemisphere that
// reaches a radius past the last point, or with caps a flat disc there.
func TestTips(t *testing.T) {
	c := &morph.Prepared{Thickness: 1, Sections: []morph.Section{
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 4}, {X: 10, Diam: 2}}},
	}}
	for _, caps := range []bool{false, true} {
		m := build(t, c, Options{Sides: 8, Caps: caps})
		lo, hi := math.Inf(1), math.Inf(-1)
		for _, p := range m.Positions {
			lo, hi = math.Min(lo, float64(p[0])), math.Max(hi, float64(p[0]))
		}
		want := [2]float64{-2, 11}
		if caps {
			want = [2]float64{0, 10}
		}
		if math.Abs(lo-want[0]) > 1e-5 || math.Abs(hi-want[1]) > 1e-5 {
			t.Errorf("caps %v: tube spans x %v…%v, want %v…%v", caps, lo, hi, want[0], want[1])
		}
	}
}

// TestNormalsOutward checks that every normal points away from its
// section's centre line (or the soma sphere's centre) and that every
// triangle is wound counter-clockwise seen from outside.
func TestNormalsOutward(t *testing.T) {
	for _, seg := range []int{0, 3} {
		for _, soma := range []bool{true, false} {
			c := prepared(t, branchedCell(), seg)
			m := build(t, c, Options{Sides: 16, Caps: true, SimplifySoma: soma})
			for v, pos := range m.Positions {
				pr := m.Probes[m.VertexProbe[v]]
				s := &c.Sections[pr.Section]
				var centre geom.Vec
				if pr.Pos == morph.SectionMean {
					mid := s.At(0.5)
					centre = geom.Vec{mid.X, mid.Y, mid.Z}
				} else {
					centre = nearestOnLine(toVec(pos), s)
				}
				out := toVec(pos).Sub(centre)
				if out.Norm() < 1e-6 {
					continue // a cap's centre vertex lies on the centre line
				}
				if n := toVec(m.Normals[v]); n.Dot(out) <= 0 {
					t.Fatalf("segmentation %d soma %v: vertex %d normal %v points inward (outward %v)", seg, soma, v, n, out)
				}
			}
			for i, tr := range m.Triangles {
				a, b, cc := m.Positions[tr[0]], m.Positions[tr[1]], m.Positions[tr[2]]
				face := sub(b, a).Cross(sub(cc, a))
				if face.Norm() < 1e-12 {
					continue
				}
				avg := toVec(m.Normals[tr[0]]).Add(toVec(m.Normals[tr[1]])).Add(toVec(m.Normals[tr[2]]))
				if face.Dot(avg) <= 0 {
					t.Fatalf("segmentation %d soma %v: triangle %d wound inward", seg, soma, i)
				}
			}
		}
	}
}

func nearestOnLine(p geom.Vec, s *morph.Section) geom.Vec {
	best, bestD := geom.Vec{}, math.Inf(1)
	for j := range s.Points {
		a := geom.Vec{s.Points[j].X, s.Points[j].Y, s.Points[j].Z}
		b := a
		if j+1 < len(s.Points) {
			b = geom.Vec{s.Points[j+1].X, s.Points[j+1].Y, s.Points[j+1].Z}
		}
		d, t := segmentDistance(p, a, b)
		if d < bestD {
			best, bestD = a.AddScaled(b.Sub(a), t), d
		}
	}
	return best
}

// TestNoTwist sweeps a planar curve that bends smoothly by 90°, then
// sharply by 153°, reverses and turns again by 117°: rotation-minimising
// frames, and the rounding of sharp bends (turns in the plane), keep every
// ring vertex at the same height above the plane, so the tube never
// twists or flips.
func TestNoTwist(t *testing.T) {
	var pts []morph.Point
	for k := range 50 { // a quarter circle in the XY plane
		a := math.Pi / 2 * float64(k) / 49
		pts = append(pts, morph.Point{X: 100 * math.Cos(a), Y: 100 * math.Sin(a), Diam: 4})
	}
	pts = append(pts,
		morph.Point{X: -20, Y: 100, Diam: 4}, // a turn of 153°
		morph.Point{X: 60, Y: 140, Diam: 4},  // a full reversal
		morph.Point{X: -60, Y: 80, Diam: 4},  // 117°
		morph.Point{X: -60, Y: 300, Diam: 4})
	c := &morph.Prepared{Sections: []morph.Section{{Type: "dend", Points: pts}}, Thickness: 1}
	m := build(t, c, Options{Sides: 8, Caps: true})
	// the curve lies in z = 0: a vertex's z is its height above the plane
	r := float32(2)
	if z := m.Positions[2][2]; math.Abs(math.Abs(float64(z))-float64(r)) > 1e-4 {
		t.Fatalf("ring 0's third vertex at height %v, want ±%v", z, r)
	}
	// the rings come first, 8 vertices each; the two flat caps add one
	rings := (len(m.Positions) - 2) / 8
	if want := len(pts) + 4 + 4 + 3; rings != want { // rounded in 45° steps
		t.Errorf("%d rings, want %d", rings, want)
	}
	for ring := range rings {
		for _, k := range []int{0, 2, 5} {
			z, z0 := m.Positions[ring*8+k][2], m.Positions[k][2]
			if math.Abs(float64(z-z0)) > 1e-4 {
				t.Errorf("ring %d vertex %d at height %v, ring 0's at %v: the frame turned", ring, k, z, z0)
			}
		}
	}
	undirected, directed := edgeUse(m)
	for e, n := range undirected {
		if n != 2 || directed[e] > 1 {
			t.Fatalf("edge %v shared by %d triangles", e, n)
		}
	}
}

// TestBendsKeepTheWidth sweeps bends from gentle to a hairpin. A bend up
// to a right angle gets one ring where the straight pieces meet, whose
// outer corner lies 1/cos(turn/2) radii from the bend point; a sharper one
// is rounded (a ring every 22.5° of the turn, with 16 sides), and no
// vertex lies further from the centre line than the tube's radius, so a
// hairpin keeps its width instead of ending in a spike. Every ring at a
// bend reads the bend point's voltage.
func TestBendsKeepTheWidth(t *testing.T) {
	for _, turn := range []float64{30, 89, 91, 120, 150, 179, 180} {
		a := turn * math.Pi / 180
		c := &morph.Prepared{Thickness: 1, Sections: []morph.Section{{Type: "dend", Points: []morph.Point{
			{X: -50, Diam: 4}, {X: 0, Diam: 4}, {X: 50 * math.Cos(a), Y: 50 * math.Sin(a), Diam: 4},
		}}}}
		m := build(t, c, Options{Sides: 16})
		reach, rings := 2.0, 1+int(math.Ceil(turn/22.5))
		if turn <= 90 {
			reach, rings = 2/math.Cos(a/2), 1
		}
		s := &c.Sections[0]
		for v, p := range m.Positions {
			if d := toVec(p).Sub(nearestOnLine(toVec(p), s)).Norm(); d > reach+1e-4 {
				t.Fatalf("turn %v°: vertex %d lies %v from the centre line, want at most %v", turn, v, d, reach)
			}
		}
		atBend := 0
		for _, pr := range m.VertexProbe {
			if m.Probes[pr].Pos == 0.5 {
				atBend++
			}
		}
		if atBend != rings*16 {
			t.Errorf("turn %v°: %d vertices read the bend point, want %d rings", turn, atBend, rings)
		}
		undirected, directed := edgeUse(m)
		for e, n := range undirected {
			if n != 2 || directed[e] > 1 {
				t.Fatalf("turn %v°: edge %v shared by %d triangles", turn, e, n)
			}
		}
	}
}

func TestSimplifiedSoma(t *testing.T) {
	c := prepared(t, branchedCell(), 0)
	m := build(t, c, DefaultOptions())
	// soma: diameter 22 µm at its midpoint, at the origin after centring
	want := SomaScale * 22.0 / 2 / 25
	sphereVertices := (SphereRings(16)-1)*16 + 2
	for v := range sphereVertices {
		if r := length(m.Positions[v]); math.Abs(r-want) > 1e-5 {
			t.Fatalf("soma vertex %d at radius %v, want %v", v, r, want)
		}
		if p := m.Probes[m.VertexProbe[v]]; p.Section != 0 || p.Pos != morph.SectionMean {
			t.Fatalf("soma vertex %d probe %+v", v, p)
		}
	}
	for v := sphereVertices; v < len(m.Positions); v++ {
		if m.Probes[m.VertexProbe[v]].Section == 0 {
			t.Fatalf("vertex %d outside the sphere belongs to the soma", v)
		}
	}
}

func TestProbesPerRing(t *testing.T) {
	c := prepared(t, branchedCell(), 0)
	m := build(t, c, Options{Sides: 16, SimplifySoma: false})
	// rings are 16 consecutive vertices with one probe; positions rise along each section
	last := map[int32]float32{}
	for v := 0; v < len(m.Positions); {
		p := m.VertexProbe[v]
		pr := m.Probes[p]
		if prev, ok := last[pr.Section]; ok && pr.Pos < prev {
			// a rounded end repeats its end ring's probe; others must rise
			if pr.Pos != 0 && pr.Pos != 1 {
				t.Fatalf("section %d: probe position %v after %v", pr.Section, pr.Pos, prev)
			}
		}
		last[pr.Section] = pr.Pos
		n := 1
		for v+n < len(m.Positions) && m.VertexProbe[v+n] == p {
			n++
		}
		v += n
	}
	// the rings of each section start at 0 and end at 1
	for i := range c.Sections {
		lo, hi := float32(2), float32(-1)
		for _, pr := range m.Probes {
			if int(pr.Section) == i {
				lo, hi = min(lo, pr.Pos), max(hi, pr.Pos)
			}
		}
		if lo != 0 || hi != 1 {
			t.Errorf("section %d: probes span %v…%v", i, lo, hi)
		}
	}
	rec := &voltage.Recording{Frames: 1}
	for range c.Sections {
		rec.Traces = append(rec.Traces, voltage.Trace{NSeg: 3, Values: []float32{-70, 0, 30}})
	}
	if _, err := voltage.NewSampler(rec, m.Probes); err != nil {
		t.Fatalf("probes rejected by the sampler: %v", err)
	}
}

func TestDegenerateSections(t *testing.T) {
	c := &morph.Cell{Sections: []morph.Section{
		{Type: "soma", Points: []morph.Point{{X: 5, Y: 5, Z: 5, Diam: 0}}},
		{Type: "dend", Points: []morph.Point{{X: 1, Diam: 1}, {X: 1, Diam: 1}, {X: 1, Diam: 1}}},                        // zero length
		{Type: "dend", Points: []morph.Point{{X: 1, Diam: 1}, {X: 1, Diam: 1}, {X: 9, Diam: 0}, {X: 9, Diam: 0}}},       // repeats
		{Type: "axon", Points: []morph.Point{{Y: 3, Diam: 2}}},                                                          // one point
		{Type: "dend", Points: []morph.Point{{X: 0, Diam: 1}, {X: 1, Diam: 1}, {X: 0, Diam: 1}, {X: 0, Y: 1, Diam: 1}}}, // reversal
	}}
	for _, seg := range []int{0, 2, 6} {
		for _, soma := range []bool{true, false} {
			for _, caps := range []bool{true, false} {
				o := morph.DefaultOptions()
				o.Segmentation = seg
				p, err := morph.Prepare(c, []int{1, 2, 3, 1, 2}, o)
				if err != nil {
					t.Fatal(err)
				}
				m := build(t, p, Options{Sides: 6, Caps: caps, SimplifySoma: soma})
				if len(m.Triangles) == 0 {
					t.Fatal("no triangles")
				}
				drawn := map[int32]bool{}
				for _, pr := range m.Probes {
					drawn[pr.Section] = true
				}
				if len(drawn) != len(c.Sections) {
					t.Errorf("segmentation %d: %d of %d sections drawn", seg, len(drawn), len(c.Sections))
				}
			}
		}
	}
}

func TestBuildRejects(t *testing.T) {
	nan := branchedCell()
	nan.Sections[2].Points[1].Z = math.Inf(1)
	empty := branchedCell()
	empty.Sections[3].Points = nil
	cases := []struct {
		name string
		cell *morph.Prepared
		o    Options
		want string
	}{
		{"sides 2", unprepared(branchedCell()), Options{Sides: 2}, "sides"},
		{"sides 1000", unprepared(branchedCell()), Options{Sides: 1000}, "sides"},
		{"no sections", &morph.Prepared{}, DefaultOptions(), "no sections"},
		{"infinite", unprepared(nan), DefaultOptions(), "section 2: point 1"},
		{"no points", unprepared(empty), DefaultOptions(), "section 3"},
		{"negative thickness", &morph.Prepared{Sections: branchedCell().Sections, Thickness: -1}, DefaultOptions(), "thickness"},
	}
	for _, c := range cases {
		_, err := Build(c.cell, c.o)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
	huge := &morph.Prepared{Sections: []morph.Section{{Type: "dend", Points: make([]morph.Point, MaxVertices/MaxSides+1)}}}
	for i := range huge.Sections[0].Points {
		huge.Sections[0].Points[i] = morph.Point{X: float64(i), Diam: 1}
	}
	if _, err := Build(huge, Options{Sides: MaxSides}); err == nil || !strings.Contains(err.Error(), "vertices") {
		t.Errorf("oversized mesh: error %v", err)
	}
}

func TestDeterministic(t *testing.T) {
	c := prepared(t, branchedCell(), 0)
	a := build(t, c, DefaultOptions())
	b := build(t, c, DefaultOptions())
	if len(a.Positions) != len(b.Positions) || len(a.Triangles) != len(b.Triangles) {
		t.Fatal("two builds differ in size")
	}
	for i := range a.Positions {
		if a.Positions[i] != b.Positions[i] || a.Normals[i] != b.Normals[i] {
			t.Fatalf("vertex %d differs", i)
		}
	}
}

func TestMinRadiusRaisesThinTubes(t *testing.T) {
	cell := &morph.Prepared{Thickness: 1, Sections: []morph.Section{{
		Type:   "dend",
		Points: []morph.Point{{X: 0, Diam: 0.2}, {X: 10, Diam: 4}},
		Parent: -1,
	}}}
	o := DefaultOptions()
	o.MinRadius = 0.5
	m, err := Build(cell, o)
	if err != nil {
		t.Fatal(err)
	}
	// First ring: radius 0.1 raised to 0.5; last ring: radius 2 kept.
	for v, p := range m.Positions {
		r := math.Hypot(float64(p[1]), float64(p[2]))
		switch {
		case p[0] == 0 && math.Abs(r-0.5) > 1e-5:
			t.Errorf("vertex %d at the thin end: radius %v, want 0.5", v, r)
		case p[0] == 10 && math.Abs(r-2) > 1e-5:
			t.Errorf("vertex %d at the thick end: radius %v, want 2", v, r)
		}
	}
	o.MinRadius = -1
	if _, err := Build(cell, o); err == nil {
		t.Error("negative minimum radius accepted")
	}
}

// TestJointsFollowRecordedTopology builds a Y of three sections whose ends
// do not touch: without topology no end is a joint, with "parent" keys the
// branches' starts and the parent's end are rounded.
func TestJointsFollowRecordedTopology(t *testing.T) {
	y := func(parent int) *morph.Prepared {
		return &morph.Prepared{Thickness: 1, Sections: []morph.Section{
			{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 1}, {X: 10, Diam: 1}}},
			{Type: "dend", Parent: parent, ParentX: 1, Points: []morph.Point{{X: 13, Y: 3, Diam: 1}, {X: 20, Y: 10, Diam: 1}}},
			{Type: "dend", Parent: parent, ParentX: 1, Points: []morph.Point{{X: 13, Y: -3, Diam: 1}, {X: 20, Y: -10, Diam: 1}}},
		}}
	}
	o := DefaultOptions()
	o.Sides, o.Caps = 8, true
	plain, err := Build(y(-1), o)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := Build(y(0), o)
	if err != nil {
		t.Fatal(err)
	}
	// Each rounded end adds (HemisphereRings−1)·sides + 1 vertices, a flat
	// cap 1.
	perJoint := (HemisphereRings(o.Sides)-1)*o.Sides + 1 - 1
	if got := len(tree.Positions) - len(plain.Positions); got != 3*perJoint {
		t.Errorf("topology added %d vertices, want 3 rounded ends instead of flat caps × %d", got, perJoint)
	}
}

func TestMaxEdgeThinsOnlyThinTubes(t *testing.T) {
	cell := &morph.Prepared{Thickness: 1, Sections: []morph.Section{
		{Type: "dend", Parent: -1, Points: []morph.Point{{X: 0, Diam: 1}, {X: 10, Diam: 1}}},
		{Type: "dend", Parent: -1, Points: []morph.Point{{Y: 100, Diam: 40}, {X: 10, Y: 100, Diam: 40}}},
	}}
	o := DefaultOptions()
	o.MaxEdge, o.Caps = 1, true
	m, err := Build(cell, o)
	if err != nil {
		t.Fatal(err)
	}
	ring := map[int32]map[uint32]int{} // section → probe → vertices
	for _, p := range m.VertexProbe {
		s := m.Probes[p].Section
		if ring[s] == nil {
			ring[s] = map[uint32]int{}
		}
		ring[s][p]++
	}
	for sec, want := range map[int32]int{0: MinAdaptiveSides, 1: o.Sides} {
		for p, n := range ring[sec] {
			if n != want+1 { // a ring and its flat cap's centre
				t.Errorf("section %d probe %d: %d vertices, want %d and a cap", sec, p, n, want)
			}
		}
	}
	// A thin tube of radius 0.5 has ring edges 2·0.5·sin(π/6) = 0.5 ≤ 1.
	if got := o.sidesFor(0.5, o.Sides, o.MaxEdge); got != MinAdaptiveSides {
		t.Errorf("sidesFor(0.5) = %d", got)
	}
	if got := o.sidesFor(2, o.Sides, o.MaxEdge); got != 13 { // first n with 4·sin(π/n) ≤ 1
		t.Errorf("sidesFor(2) = %d, want 13", got)
	}
	// A large sphere may go past Sides to stay round, up to MaxSides.
	if got := o.sidesFor(10, MaxSides, o.MaxEdge); got != 63 { // first n with 20·sin(π/n) ≤ 1
		t.Errorf("sidesFor(10, MaxSides) = %d, want 63", got)
	}
	if got := o.sidesFor(1000, MaxSides, o.MaxEdge); got != MaxSides {
		t.Errorf("sidesFor(1000, MaxSides) = %d, want %d", got, MaxSides)
	}
}

// TestFewestSides: with FewestSides a tube thinner than the ring edge
// takes as few ring vertices as that, a thicker one as many as it needs,
// and the mesh stays closed and consistent.
func TestFewestSides(t *testing.T) {
	o := DefaultOptions()
	o.MaxEdge, o.FewestSides = 1, MinSides
	for _, tc := range []struct {
		r    float64
		want int
	}{{0.5, 3}, {0.6, 4}, {2, 13}} { // the first n with 2r·sin(π/n) ≤ 1
		if got := o.sidesFor(tc.r, o.Sides, o.MaxEdge); got != tc.want {
			t.Errorf("sidesFor(%g) = %d, want %d", tc.r, got, tc.want)
		}
	}
	m := build(t, unprepared(branchedCell()), o)
	fewer := build(t, unprepared(branchedCell()), Options{Sides: 16, SimplifySoma: true, MaxEdge: 1})
	if len(m.Triangles) >= len(fewer.Triangles) {
		t.Errorf("%d triangles with FewestSides, %d without", len(m.Triangles), len(fewer.Triangles))
	}
	undirected, _ := edgeUse(m)
	for e, n := range undirected {
		if n != 2 {
			t.Fatalf("edge %v shared by %d triangles: a tube is open", e, n)
		}
	}
	for _, bad := range []int{1, 2, 7} {
		o.FewestSides = bad
		if _, err := Build(unprepared(branchedCell()), o); err == nil {
			t.Errorf("FewestSides %d built", bad)
		}
	}
}

// TestSomaOnly draws a cell's soma alone, and a cell without a soma
// whole.
func TestSomaOnly(t *testing.T) {
	o := DefaultOptions()
	o.SomaOnly = true
	m := build(t, unprepared(branchedCell()), o)
	for _, p := range m.Probes {
		if p.Section != 0 {
			t.Fatalf("a probe on section %d: only the soma is drawn", p.Section)
		}
	}
	whole := build(t, unprepared(branchedCell()), DefaultOptions())
	sphere := (SphereRings(o.Sides)-1)*o.Sides + 2
	if len(m.Positions) != sphere || len(whole.Positions) <= sphere {
		t.Errorf("%d vertices alone, %d whole; the soma's sphere has %d", len(m.Positions), len(whole.Positions), sphere)
	}
	noSoma := branchedCell()
	noSoma.Sections = noSoma.Sections[1:]
	if a, b := build(t, unprepared(noSoma), o), build(t, unprepared(noSoma), DefaultOptions()); len(a.Positions) != len(b.Positions) {
		t.Errorf("a cell without a soma: %d vertices with SomaOnly, %d without", len(a.Positions), len(b.Positions))
	}
}
