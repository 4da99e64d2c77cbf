package render

import (
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
)

// TestGlowLeavesCoveredPixelsAlone renders a tube with a strong glow: every
// pixel the tube covers whole shows exactly the table's colour, while the
// background beside it glows.
func TestGlowLeavesCoveredPixelsAlone(t *testing.T) {
	m := tube(100, 10, 5, 32)
	style := Style{Emission: 1, Bloom: 2}
	img := renderOnce(t, m, constant(len(m.Probes), 20), 200, 100, 2, style, false)
	plain := renderOnce(t, m, constant(len(m.Probes), 20), 200, 100, 2, Style{Emission: 1}, false)
	interior := 0
	for y := range img.Height {
		for x := range img.Width {
			if plain.RGB(x, y) != fourColours[3] {
				continue
			}
			interior++
			if got := img.RGB(x, y); got != fourColours[3] {
				t.Fatalf("covered pixel (%d,%d) = %v under the glow, want the table's %v", x, y, got, fourColours[3])
			}
		}
	}
	if interior < 1000 {
		t.Fatalf("only %d covered pixels", interior)
	}
	// The tube spans rows 10…90 of 100 (radius 10 of a 100-wide tube
	// framed at 90%): just outside it the background glows.
	if got := img.RGB(100, 4); got == ([3]uint8{}) {
		t.Errorf("background beside the tube is black; want glow")
	}
}

func TestBloomThresholdKeepsDimPartsDark(t *testing.T) {
	m := tube(100, 10, 5, 32)
	for _, tc := range []struct {
		v     float32 // voltage: table colour 0 is dim, 3 bright
		glows bool
	}{{-70, false}, {20, true}} {
		img := renderOnce(t, m, constant(len(m.Probes), tc.v), 200, 100, 2, Style{Emission: 1, Bloom: 1, BloomThreshold: 0.8}, false)
		if got := img.RGB(100, 4) != ([3]uint8{}); got != tc.glows {
			t.Errorf("%v mV: glow beside the tube %v, want %v", tc.v, got, tc.glows)
		}
	}
}

func TestGlowKnee(t *testing.T) {
	k := newGlowKnee(0.8)
	for _, tc := range []struct{ br, want float32 }{
		{0.3, 0},                     // below threshold − knee
		{0.4, 0},                     // knee starts
		{0.8, 0.4 * 0.4 / 1.6 / 0.8}, // soft part at the threshold
		{2, 1.2 / 2},                 // well above: br − t of br
	} {
		if got := k.share(tc.br); math.Abs(float64(got-tc.want)) > 1e-6 {
			t.Errorf("share(%v) = %v, want %v", tc.br, got, tc.want)
		}
	}
	if got := newGlowKnee(0).share(0.01); got != 1 {
		t.Errorf("no threshold: share %v, want 1", got)
	}
}

func TestSamplesHaveTheirOwnRowsAndColumns(t *testing.T) {
	for aa := 1; aa <= MaxAA; aa++ {
		xs, ys := map[float64]bool{}, map[float64]bool{}
		sx, sy := 0.0, 0.0
		for r := range aa * aa {
			dx, dy := samplePos(aa, r)
			if !(dx > 0 && dx < 1 && dy > 0 && dy < 1) {
				t.Fatalf("aa %d sample %d at (%v, %v), outside the pixel", aa, r, dx, dy)
			}
			xs[dx], ys[dy] = true, true
			sx, sy = sx+dx, sy+dy
		}
		if len(xs) != aa*aa || len(ys) != aa*aa {
			t.Errorf("aa %d: %d columns and %d rows for %d samples", aa, len(xs), len(ys), aa*aa)
		}
		if n := float64(aa * aa); math.Abs(sx/n-0.5) > 1e-9 || math.Abs(sy/n-0.5) > 1e-9 {
			t.Errorf("aa %d: samples centred on (%v, %v), want the pixel's centre", aa, sx/n, sy/n)
		}
	}
}

// slab is a flat rectangle facing +Z from (0,0) to (w,h) with its left
// edge tilted: the top-left corner is shifted right by tilt.
func slab(w, h, tilt float32) *mesh.Mesh {
	m := &mesh.Mesh{
		Positions:   []mesh.Vec3{{0, 0, 0}, {w, 0, 0}, {w, h, 0}, {tilt, h, 0}},
		Normals:     []mesh.Vec3{{0, 0, 1}, {0, 0, 1}, {0, 0, 1}, {0, 0, 1}},
		Triangles:   [][3]uint32{{0, 1, 2}, {0, 2, 3}},
		VertexProbe: []uint32{0, 0, 0, 0},
	}
	m.Probes = append(m.Probes, tube(1, 1, 2, 3).Probes[0])
	return m
}

// TestNearlyVerticalEdgesGetEveryLevel: along a nearly vertical edge a
// square aa×aa grid gives aa+1 coverage levels; the rotated grid gives all
// aa²+1.
func TestNearlyVerticalEdgesGetEveryLevel(t *testing.T) {
	m := slab(100, 100, 3)
	for _, aa := range []int{2, 3, 4} {
		cam, err := FitCamera(m, View{}, 120, 120)
		if err != nil {
			t.Fatal(err)
		}
		cov, err := Cover(m, cam, Sampling{AA: aa, Lit: false}, 1)
		if err != nil {
			t.Fatal(err)
		}
		levels := map[uint16]bool{}
		for _, c := range cov.cover {
			levels[c] = true
		}
		if want := aa * aa; len(levels) != want { // 1/n … n/n; uncovered pixels are not listed
			t.Errorf("aa %d: %d coverage levels along the edge, want %d", aa, len(levels), want)
		}
	}
}

func TestOpacityLetsTheBackgroundThrough(t *testing.T) {
	m := tube(100, 10, 5, 16)
	cam, err := FitCamera(m, View{}, 200, 100)
	if err != nil {
		t.Fatal(err)
	}
	op := make([]float32, len(m.Positions))
	for i := range op {
		op[i] = 0.25
	}
	bg := [3]uint8{0, 0, 200}
	cov, err := Cover(m, cam, Sampling{AA: 1, Opacity: op}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewShader(m, cov, testLUT(t), Style{Emission: 1, Background: bg})
	if err != nil {
		t.Fatal(err)
	}
	f := sh.NewFrame()
	sh.Render(f, constant(len(m.Probes), 20))
	c := fourColours[3]
	var want [3]uint8
	for k := range 3 {
		want[k] = encode8(0.25*decode8(c[k]) + 0.75*decode8(bg[k]))
	}
	if got := f.Image.RGB(100, 50); got != want {
		t.Errorf("tube at opacity 0.25: %v, want a quarter of %v over %v = %v", got, c, bg, want)
	}
	bad := Sampling{AA: 1, Opacity: op[1:]}
	if _, err := Cover(m, cam, bad, 1); err == nil {
		t.Error("Cover accepted opacity for the wrong number of vertices")
	}
}

// TestDepthCueDimsTheFarTube puts two tubes of one colour one behind the
// other's side: with depth cue 0.5 the far one shows half the light.
func TestDepthCueDimsTheFarTube(t *testing.T) {
	near := tube(100, 5, 2, 24)
	far := tube(100, 5, 2, 24)
	m := join(near, far, mesh.Vec3{0, 30, -200})
	cam, err := FitCamera(m, View{}, 200, 200)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := Cover(m, cam, Sampling{AA: 1, DepthCue: 0.5}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewShader(m, cov, testLUT(t), Style{Emission: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := sh.NewFrame()
	sh.Render(f, constant(len(m.Probes), 20))
	// Tube centres: y 0 (near) and 30 (far) of a 40-unit span framed at
	// 90% of 200 rows (1.8 pixels a unit): rows 127 and 73, column 100.
	nearC, farC := f.Image.RGB(100, 127), f.Image.RGB(100, 73)
	if nearC[0] < 200 {
		t.Fatalf("near tube %v: not where expected", nearC)
	}
	// The tubes' own depth spans the range too: the near tube's front is
	// nearest, the far tube's front at 200/210 of the range.
	wantFar := encode8(decode8(fourColours[3][0]) * (1 - 0.5*200/210.0))
	if d := int(farC[0]) - int(wantFar); d < -2 || d > 2 {
		t.Errorf("far tube %v, want red %d (dimmed by the depth cue)", farC, wantFar)
	}
	if _, err := Cover(m, cam, Sampling{AA: 1, DepthCue: 1.5}, 1); err == nil {
		t.Error("Cover accepted depth cue 1.5")
	}
}

// TestLitTubeKeepsItsColourAndShowsItsShape: the key light from the upper
// left makes the tube's upper half brighter than its lower half, and no
// pixel is brighter than the colour itself.
func TestLitTubeKeepsItsColourAndShowsItsShape(t *testing.T) {
	m := tube(10, 10, 2, 64)
	img := renderOnce(t, m, constant(len(m.Probes), 20), 200, 200, 2, plain, true)
	c := fourColours[3]
	upper, lower := 0, 0
	for y := range img.Height {
		p := img.RGB(100, y)
		if p[0] > c[0] || p[1] > c[1] || p[2] > c[2] {
			t.Fatalf("lit pixel (100,%d) = %v brighter than the colour %v", y, p, c)
		}
		if y < 100 {
			upper += int(p[0])
		} else {
			lower += int(p[0])
		}
	}
	if upper <= lower {
		t.Errorf("lit tube: upper half %d, lower half %d; want the key light above", upper, lower)
	}
}

// TestDitherAveragesToTheExactValue spreads a constant faint glow over a
// picture: pixels take only the two levels around the exact value, in
// proportion, and the same input gives the same bytes.
func TestDitherAveragesToTheExactValue(t *testing.T) {
	g := newGlowGeometry(64, 32)
	bu := g.newBuffers()
	glow := float32(0.0009) // 3.0 levels of 8-bit sRGB on black (12.92 × 0.0009 × 255)
	for i := range bu.glow {
		bu.glow[i] = [3]float32{glow, glow, glow}
	}
	for y := range bu.litTo {
		bu.litTo[y] = int32(g.levels[0].w)
	}
	bu.reach = box{0, 0, g.levels[0].w, g.levels[0].h}
	want := float64(encodeFixed(glow)) / 256
	render := func() *Image {
		img := NewImage(64, 32)
		g.addToBackground(bu, img, [3]float32{}, newToneMap(ToneNone))
		return img
	}
	img := render()
	sum := 0.0
	for y := range 16 {
		for x := range 16 {
			v := float64(img.RGB(x, y)[0])
			if v != math.Floor(want) && v != math.Ceil(want) {
				t.Fatalf("pixel (%d,%d) = %v, want %v or %v", x, y, v, math.Floor(want), math.Ceil(want))
			}
			sum += v
		}
	}
	if mean := sum / 256; math.Abs(mean-want) > 1.0/256+1e-9 {
		t.Errorf("16×16 block averages %.4f, want %.4f", mean, want)
	}
	again := render()
	for i := range img.Pix {
		if img.Pix[i] != again.Pix[i] {
			t.Fatal("the same glow dithers differently twice")
		}
	}
}

// TestGlowDrawsOnlyWhereItShows lights two bands of the glow grid, one
// rising from the dark by a few levels a cell, one from a fraction of a
// level, over black and over backgrounds that the Filmic tone shows
// between its table's steps: no pixel is darker than the background (the
// faintest glow only adds light), every run of pixels between the centres
// of two cells, one of them a few levels bright, shows the glow in each
// row, and between dark cells the picture is exactly the background.
func TestGlowDrawsOnlyWhereItShows(t *testing.T) {
	const w, h = 96, 1080 // four pixels a cell
	g := newGlowGeometry(w, h)
	gw, gh := g.levels[0].w, g.levels[0].h
	// Each cell's glow in steps of about three levels.
	ramp := []float32{0, 0, 0, 1, 2, 3, 3, 2, 1, 0, 0, 0, 0, 0.05, 1, 2, 1, 0.05, 0, 0, 0, 0, 0, 0}
	if len(ramp) != gw {
		t.Fatalf("the grid is %d cells wide, the ramp %d", gw, len(ramp))
	}
	tests := []struct {
		tone Tone
		bg8  [3]uint8
		step float32 // the glow of a step
	}{
		{ToneNone, [3]uint8{0, 0, 0}, 0.001},
		{ToneFilmic, [3]uint8{0, 0, 0}, 0.0008},
		{ToneFilmic, [3]uint8{64, 64, 64}, 0.004},
		{ToneFilmic, [3]uint8{22, 40, 90}, 0.003},
	}
	for _, tc := range tests {
		tm := newToneMap(tc.tone)
		bg := tm.linear(tc.bg8)
		bu := g.newBuffers()
		for y := range gh {
			for i, r := range ramp {
				bu.glow[y*gw+i] = [3]float32{tc.step * r, tc.step * r, tc.step * r}
			}
			bu.litFrom[y], bu.litTo[y] = 0, int32(gw)
		}
		bu.reach = box{0, 0, gw, gh}
		img := NewImage(w, h)
		for i := range img.Pix {
			img.Pix[i] = tc.bg8[i%3]
		}
		g.addToBackground(bu, img, bg, tm)
		for y := range h {
			for i := range gw - 1 {
				xs, xe := int(g.runFrom[i]), int(g.runFrom[i+1])
				dark, bright := ramp[i] == 0 && ramp[i+1] == 0, ramp[i] >= 1 || ramp[i+1] >= 1
				glows := false
				for x := xs; x < xe; x++ {
					px := img.RGB(x, y)
					for k := range 3 {
						glows = glows || px[k] > tc.bg8[k]+1
						if px[k] < tc.bg8[k] || (dark && px[k] != tc.bg8[k]) {
							t.Fatalf("%s over %v: pixel (%d,%d) between cells %d and %d (glow %g and %g steps) = %v", tc.tone, tc.bg8, x, y, i, i+1, ramp[i], ramp[i+1], px)
						}
					}
				}
				if bright && xe > xs && !glows {
					t.Fatalf("%s over %v: row %d shows no glow between cells %d and %d (pixels %d…%d, glow %g and %g steps)", tc.tone, tc.bg8, y, i, i+1, xs, xe-1, ramp[i], ramp[i+1])
				}
			}
		}
	}
}

// testLUT is fourColours over −70…20 mV.
func testLUT(t *testing.T) *colormap.LUT {
	t.Helper()
	lut, err := colormap.NewLUTFromTable(fourColours, -70, 20)
	if err != nil {
		t.Fatal(err)
	}
	return lut
}
