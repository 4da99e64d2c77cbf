package render

import (
	"bytes"
	"image/color"
	"image/png"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
)

// TestTransparentOverBlackIsTheFrame renders a glowing tube, makes the
// picture transparent and checks that the background is clear, the tube
// opaque in its colour, the glow partly opaque, and that the picture laid
// over black is the frame it came from.
func TestTransparentOverBlackIsTheFrame(t *testing.T) {
	m := tube(100, 10, 5, 16)
	// Zoomed out so that the glow's tail fades before the corners.
	cam, err := FitCamera(m, View{Zoom: 0.3}, 200, 100)
	if err != nil {
		t.Fatal(err)
	}
	cov, err := Cover(m, cam, Sampling{AA: 2, Lit: false}, 1)
	if err != nil {
		t.Fatal(err)
	}
	lut, err := colormap.NewLUTFromTable(fourColours, -70, 20)
	if err != nil {
		t.Fatal(err)
	}
	sh, err := NewShader(m, cov, lut, Style{Emission: 1, Bloom: 1})
	if err != nil {
		t.Fatal(err)
	}
	f := sh.NewFrame()
	sh.Render(f, constant(len(m.Probes), 20))
	opaque := append([]uint8(nil), f.Image.Pix...)
	if err := sh.Transparent(f); err != nil {
		t.Fatal(err)
	}
	img := f.Image
	if a := img.Alpha[0]; a != 0 || img.RGB(0, 0) != [3]uint8{} {
		t.Errorf("corner: alpha %d, colour %v; want clear", a, img.RGB(0, 0))
	}
	if a := img.Alpha[50*200+100]; a != 255 {
		t.Errorf("tube: alpha %d, want opaque", a)
	}
	glow := 0
	worst := 0
	for i, a := range img.Alpha {
		if a > 0 && a < 255 {
			glow++
		}
		for k := range 3 {
			over := encode8(decode8(img.Pix[3*i+k]) * float32(a) / 255)
			worst = max(worst, int(over)-int(opaque[3*i+k]), int(opaque[3*i+k])-int(over))
		}
	}
	if glow < 500 {
		t.Errorf("%d partly opaque pixels, want the glow as alpha", glow)
	}
	if worst > 1 {
		t.Errorf("laid over black, the picture is up to %d levels off the frame", worst)
	}

	sh, err = NewShader(m, cov, lut, Style{Background: [3]uint8{255, 255, 255}, Emission: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := sh.Transparent(sh.NewFrame()); err == nil {
		t.Error("Transparent accepted a white background")
	}
}

func TestRGBAPNGRoundTrip(t *testing.T) {
	img := NewImage(37, 5)
	img.Alpha = make([]uint8, 37*5)
	for i := range img.Alpha {
		img.Alpha[i] = uint8(i * 7)
		img.Pix[3*i], img.Pix[3*i+1], img.Pix[3*i+2] = uint8(i), uint8(255-i), uint8(i*3)
	}
	var buf bytes.Buffer
	if err := NewPNGEncoder().Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	got, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for y := range 5 {
		for x := range 37 {
			want := img.At(x, y).(color.NRGBA)
			if c := color.NRGBAModel.Convert(got.At(x, y)).(color.NRGBA); c != want {
				t.Fatalf("pixel (%d, %d): %v, want %v", x, y, c, want)
			}
		}
	}
}
