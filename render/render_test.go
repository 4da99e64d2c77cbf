package render

import (
	"bytes"
	"image/png"
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
)

// tube builds a straight closed-sided tube along +X from x=0 to x=length
// with one ring (and one probe on section 0) every length/(rings−1).
func tube(length, radius float32, rings, sides int) *mesh.Mesh {
	m := &mesh.Mesh{}
	for i := range rings {
		x := length * float32(i) / float32(rings-1)
		m.Probes = append(m.Probes, morph.Probe{Section: 0, Pos: float32(i) / float32(rings-1)})
		for k := range sides {
			th := 2 * math.Pi * float64(k) / float64(sides)
			c, s := float32(math.Cos(th)), float32(math.Sin(th))
			m.Positions = append(m.Positions, mesh.Vec3{x, radius * c, radius * s})
			m.Normals = append(m.Normals, mesh.Vec3{0, c, s})
			m.VertexProbe = append(m.VertexProbe, uint32(i))
		}
	}
	for i := 0; i+1 < rings; i++ {
		for k := range sides {
			a := uint32(i*sides + k)
			b := uint32((i+1)*sides + k)
			c := uint32((i+1)*sides + (k+1)%sides)
			d := uint32(i*sides + (k+1)%sides)
			m.Triangles = append(m.Triangles, [3]uint32{a, c, b}, [3]uint32{a, d, c})
		}
	}
	return m
}

// fourColours is a small table: four bins over [vmin, vmax].
var fourColours = [][3]uint8{{10, 20, 200}, {30, 160, 60}, {200, 180, 20}, {250, 40, 30}}

func renderOnce(t *testing.T, m *mesh.Mesh, probeV []float32, w, h, aa int, style Style, lit bool) *Image {
	t.Helper()
	cam, err := FitCamera(m, View{}, w, h)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := Cover(m, cam, Sampling{AA: aa, Lit: lit}, 2)
	if err != nil {
		t.Fatal(err)
	}
	lut, err := colormap.NewLUTFromTable(fourColours, -70, 20)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewShader(m, cov, lut, style)
	if err != nil {
		t.Fatal(err)
	}
	f := sh.NewFrame()
	sh.Render(f, probeV)
	return f.Image
}

func constant(n int, v float32) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = v
	}
	return s
}

var plain = Style{Background: [3]uint8{0, 0, 0}, Emission: 1}

func TestConstantVoltageShowsTheTableColour(t *testing.T) {
	tests := []struct {
		v    float32
		want [3]uint8
	}{
		{-70, fourColours[0]},
		{-100, fourColours[0]},
		{-40, fourColours[1]},
		{-10, fourColours[2]},
		{20, fourColours[3]},
		{50, fourColours[3]},
	}
	m := tube(100, 10, 5, 16)
	for _, tc := range tests {
		img := renderOnce(t, m, constant(len(m.Probes), tc.v), 200, 100, 1, plain, false)
		if got := img.RGB(100, 50); got != tc.want {
			t.Errorf("v=%v: middle pixel %v, want %v", tc.v, got, tc.want)
		}
	}
}

// TestShownIsWhatTheFrameShows checks that Style.Shown, which colour bars
// use, gives the colour the middle of a tube shows, also where emission
// makes colours brighter than the table's or clips them.
func TestShownIsWhatTheFrameShows(t *testing.T) {
	m := tube(100, 10, 5, 16)
	for _, tc := range []struct {
		emission float64
		tone     Tone
	}{{0.4, ToneNone}, {1, ToneNone}, {1.7, ToneNone}, {4, ToneNone}, {1, ToneFilmic}, {2, ToneFilmic}} {
		emission := tc.emission
		style := Style{Background: [3]uint8{30, 30, 30}, Emission: emission, Tone: tc.tone}
		for i, v := range []float32{-70, -40, -10, 20} {
			img := renderOnce(t, m, constant(len(m.Probes), v), 200, 100, 2, style, false)
			if got, want := img.RGB(100, 50), style.Shown(fourColours[i]); got != want {
				t.Errorf("emission %g, tone %v, %v mV: middle pixel %v, Shown %v", emission, tc.tone, v, got, want)
			}
		}
	}
}

func TestOnlyTableColoursAndBackground(t *testing.T) {
	m := tube(100, 10, 5, 16)
	bg := [3]uint8{5, 6, 7}
	img := renderOnce(t, m, constant(len(m.Probes), -70), 160, 90, 1, Style{Background: bg, Emission: 1}, false)
	counts := map[[3]uint8]int{}
	for y := range img.Height {
		for x := range img.Width {
			counts[img.RGB(x, y)]++
		}
	}
	if len(counts) != 2 || counts[bg] == 0 || counts[fourColours[0]] == 0 {
		t.Errorf("colours in picture: %v, want only background %v and %v", counts, bg, fourColours[0])
	}
	for _, p := range [][2]int{{0, 0}, {159, 0}, {0, 89}, {159, 89}} {
		if got := img.RGB(p[0], p[1]); got != bg {
			t.Errorf("corner %v = %v, want background %v", p, got, bg)
		}
	}
}

func TestGradientRunsInOrderAlongTheSection(t *testing.T) {
	m := tube(100, 5, 5, 12)
	// One probe per ring: −80 mV at the left end rising to +30 mV.
	probeV := []float32{-80, -50, -20, 5, 30}
	img := renderOnce(t, m, probeV, 400, 100, 1, plain, false)
	var seen []int
	for x := range img.Width {
		c := img.RGB(x, 50)
		for i, tc := range fourColours {
			if c == tc && (len(seen) == 0 || seen[len(seen)-1] != i) {
				seen = append(seen, i)
			}
		}
	}
	if len(seen) != 4 || seen[0] != 0 || seen[1] != 1 || seen[2] != 2 || seen[3] != 3 {
		t.Errorf("colour bins left to right %v, want [0 1 2 3]", seen)
	}
}

// join appends b to a, moving b by offset and giving it its own probes.
func join(a, b *mesh.Mesh, offset mesh.Vec3) *mesh.Mesh {
	m := &mesh.Mesh{
		Positions:   append([]mesh.Vec3{}, a.Positions...),
		Normals:     append(append([]mesh.Vec3{}, a.Normals...), b.Normals...),
		Triangles:   append([][3]uint32{}, a.Triangles...),
		Probes:      append(append([]morph.Probe{}, a.Probes...), b.Probes...),
		VertexProbe: append([]uint32{}, a.VertexProbe...),
	}
	nv, np := uint32(len(a.Positions)), uint32(len(a.Probes))
	for _, p := range b.Positions {
		m.Positions = append(m.Positions, mesh.Vec3{p[0] + offset[0], p[1] + offset[1], p[2] + offset[2]})
	}
	for _, t := range b.Triangles {
		m.Triangles = append(m.Triangles, [3]uint32{t[0] + nv, t[1] + nv, t[2] + nv})
	}
	for _, p := range b.VertexProbe {
		m.VertexProbe = append(m.VertexProbe, p+np)
	}
	return m
}

func TestNearSurfaceHidesFarOne(t *testing.T) {
	far := tube(100, 20, 2, 24)
	near := tube(100, 5, 2, 24)
	for _, order := range []string{"near first", "far first"} {
		var m *mesh.Mesh
		var v []float32
		if order == "near first" {
			m, v = join(near, far, mesh.Vec3{0, 0, -50}), []float32{-40, -40, 15, 15}
		} else {
			m, v = join(far, near, mesh.Vec3{0, 0, 50}), []float32{15, 15, -40, -40}
		}
		img := renderOnce(t, m, v, 200, 100, 1, plain, false)
		if got := img.RGB(100, 50); got != fourColours[1] {
			t.Errorf("%s: centre %v, want the near tube's %v", order, got, fourColours[1])
		}
	}
}

func TestLitShadingShowsTheFrontOfTheTube(t *testing.T) {
	// A fat tube along X seen from +Z spans rows 10…190 of 200; the
	// headlight makes the middle, which faces the viewer, brighter than
	// the rim. Showing back faces instead would darken the middle.
	m := tube(10, 10, 2, 32)
	img := renderOnce(t, m, constant(len(m.Probes), -40), 200, 200, 1, plain, true)
	centre, rim := img.RGB(100, 100), img.RGB(100, 14)
	if rim == [3]uint8{} || centre[1] <= rim[1] {
		t.Errorf("lit centre %v, rim %v: want a lit rim and a brighter centre", centre, rim)
	}
}

func TestWorkerCountDoesNotChangeCoverage(t *testing.T) {
	m := tube(100, 10, 9, 16)
	cam, err := FitCamera(m, View{Azimuth: 30, Elevation: 20}, 320, 180)
	if err != nil {
		t.Fatal(err)
	}
	a, err := Cover(m, cam, Sampling{AA: 3, Lit: true}, 1)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Cover(m, cam, Sampling{AA: 3, Lit: true}, 7)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.pixels) == 0 {
		t.Fatal("nothing covered")
	}
	if !equalSlices(a.pixels, b.pixels) || !equalSlices(a.tri, b.tri) || !equalSlices(a.bary, b.bary) || !equalSlices(a.weight, b.weight) || !equalSlices(a.cover, b.cover) {
		t.Error("coverage differs between 1 and 7 workers")
	}
}

func equalSlices[T comparable](a, b []T) bool {
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

func TestPNGRoundTrip(t *testing.T) {
	m := tube(100, 10, 5, 16)
	img := renderOnce(t, m, []float32{-80, -50, -20, 5, 30}, 97, 61, 2, Style{Emission: 1.5, Bloom: 0.6}, false)
	var buf bytes.Buffer
	if err := NewPNGEncoder().Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	dec, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for y := range img.Height {
		for x := range img.Width {
			r, g, b, a := dec.At(x, y).RGBA()
			want := img.RGB(x, y)
			if [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)} != want || a != 0xffff {
				t.Fatalf("pixel (%d,%d) decodes to %d,%d,%d,%d, want %v", x, y, r>>8, g>>8, b>>8, a>>8, want)
			}
		}
	}
}

// TestStraightSectionShowsThePlasmaColour meshes a one-section cell the
// way the render command does and checks the middle of the tube shows
// exactly the colour plasma gives its voltage (emission 1, no bloom, aa 1).
func TestStraightSectionShowsThePlasmaColour(t *testing.T) {
	cell := &morph.Cell{Sections: []morph.Section{{
		Type: "dend", Parent: -1,
		Points: []morph.Point{{X: 0, Diam: 20}, {X: 100, Diam: 20}},
	}}}
	prepared, err := morph.Prepare(cell, []int{5}, morph.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	m, err := mesh.Build(prepared, mesh.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	cm, err := colormap.Get("plasma")
	if err != nil {
		t.Fatal(err)
	}
	lut, err := colormap.NewLUT(cm, -70, 20)
	if err != nil {
		t.Fatal(err)
	}
	cam, err := FitCamera(m, View{}, 200, 60)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := Cover(m, cam, Sampling{AA: 1, Lit: false}, 1)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewShader(m, cov, lut, plain)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []float32{-70, -25, 0, 20} {
		f := sh.NewFrame()
		sh.Render(f, constant(len(m.Probes), v))
		r, g, b := cm.At(float64(v+70) / 90)
		want := [3]uint8{uint8(math.Round(r * 255)), uint8(math.Round(g * 255)), uint8(math.Round(b * 255))}
		if got := f.Image.RGB(100, 30); got != want {
			t.Errorf("%v mV: middle pixel %v, want plasma's %v", v, got, want)
		}
	}
}

// TestShadeTellsARepeat shades a glowing tube frame after frame in one
// Frame: Shade reports a repeat exactly when the light is the last frame's
// with the same coverage, and whatever the order of Shade and Draw, every
// picture is byte for byte the one a fresh frame renders.
func TestShadeTellsARepeat(t *testing.T) {
	m := tube(100, 10, 5, 32)
	cam, err := FitCamera(m, View{}, 200, 100)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := Cover(m, cam, Sampling{AA: 2}, 1)
	if err != nil {
		t.Fatal(err)
	}
	moved, err := Cover(m, cam, Sampling{AA: 2}, 1) // another coverage of the same view
	if err != nil {
		t.Fatal(err)
	}
	style := Style{Emission: 1, Bloom: 0.5}
	sh, err := NewShader(m, cov, testLUT(t), style)
	if err != nil {
		t.Fatal(err)
	}
	rest, rest2, spike := constant(len(m.Probes), -65), constant(len(m.Probes), -65.00001), constant(len(m.Probes), 15)
	fresh := func(probeV []float32) []uint8 {
		sh2, err := NewShader(m, cov, testLUT(t), style)
		if err != nil {
			t.Fatal(err)
		}
		f := sh2.NewFrame()
		sh2.Render(f, probeV)
		return f.Image.Pix
	}
	f := sh.NewFrame()
	steps := []struct {
		name  string
		probe []float32
		use   *Coverage // given to the shader before the step
		draw  bool
		same  bool
	}{
		{"first", rest, nil, true, false},
		{"again", rest, nil, true, true},
		{"drift below a colour step", rest2, nil, true, true},
		{"spike", spike, nil, true, false},
		{"rest, not drawn", rest, nil, false, false},
		{"rest again", rest, nil, true, true},
		{"new coverage", rest, moved, true, false},
		{"spike, not drawn", spike, nil, false, false},
		{"spike again", spike, nil, true, true},
	}
	for _, st := range steps {
		if st.use != nil {
			if err := sh.Use(st.use); err != nil {
				t.Fatal(err)
			}
		}
		if same := sh.Shade(f, st.probe); same != st.same {
			t.Errorf("%s: Shade says same %v, want %v", st.name, same, st.same)
		}
		if !st.draw {
			continue
		}
		sh.Draw(f)
		if !bytes.Equal(f.Image.Pix, fresh(st.probe)) {
			t.Errorf("%s: picture differs from a fresh frame's", st.name)
		}
	}
}
