package overlay

import (
	"image"
	"testing"

	"golang.org/x/image/math/fixed"

	"github.com/spikeframes/spikeframes/render"
)

// TestClockIsTypesetAndContrasts draws the clock on black and on white
// pictures and checks that it is the typeface's anti-aliased type (many
// grey levels, the typeface's width for the text, a real minus sign and a
// thin space), in a colour that contrasts strongly with the background,
// with a halo of the other colour around it.
func TestClockIsTypesetAndContrasts(t *testing.T) {
	const text = "−12.50\u2009ms"
	for _, bg := range [][3]uint8{{0, 0, 0}, {255, 255, 255}} {
		for _, size := range [][2]int{{640, 360}, {3840, 2160}} {
			w, h := size[0], size[1]
			cols := ContrastingColours(bg)
			if c := Contrast(cols.Text, bg); c < 15 {
				t.Errorf("background %v: text %v contrasts %.1f:1, want at least 15:1", bg, cols.Text, c)
			}
			l, err := New(Spec{Width: w, Height: h, Colours: cols, Clock: true})
			if err != nil {
				t.Fatal(err)
			}
			img := render.NewImage(w, h)
			for i := 0; i < len(img.Pix); i += 3 {
				copy(img.Pix[i:], bg[:])
			}
			l.NewDrawer().Draw(img, Frame{Clock: text})

			// Where the text is, and how many grey levels it has.
			f := l.clockFace
			ink := image.Rectangle{}
			levels := map[uint8]bool{}
			textPixels := 0
			for y := range h / 3 {
				for x := range w / 2 {
					c := img.RGB(x, y)
					if c == bg {
						continue
					}
					levels[c[0]] = true
					if c == cols.Text {
						textPixels++
					}
					if absDiff(c, cols.Text) < absDiff(c, bg) {
						ink = ink.Union(image.Rect(x, y, x+1, y+1))
					}
				}
			}
			if len(levels) < 24 {
				t.Errorf("%v on %dx%d: %d grey levels, want anti-aliased type (a bitmap font has 2)", bg, w, h, len(levels))
			}
			if textPixels == 0 {
				t.Errorf("%v on %dx%d: no pixel in the text colour", bg, w, h)
			}
			// The ink spans the typeface's advance of the text, less the
			// side bearings of its first and last glyphs.
			var adv fixed.Int26_6
			for _, r := range text {
				adv += f.glyph(r, 0).advance
			}
			if got, want := ink.Dx(), adv.Round(); got < want*85/100 || got > want {
				t.Errorf("%v on %dx%d: text %d pixels wide, want about the typeface's %d", bg, w, h, got, want)
			}
			if got, want := float64(ink.Dy()), f.capHeight; got < want-2 || got > want*1.4 {
				t.Errorf("%v on %dx%d: text %d pixels high, want about the cap height %.0f", bg, w, h, ink.Dy(), want)
			}
		}
	}
}

// TestHaloBacksTheType draws light type over a bright background, as over
// the glow, and checks that a darker halo surrounds it.
func TestHaloBacksTheType(t *testing.T) {
	bg := [3]uint8{255, 160, 0}
	cols := TextColours(light)
	l, err := New(Spec{Width: 640, Height: 360, Colours: cols, Clock: true})
	if err != nil {
		t.Fatal(err)
	}
	img := render.NewImage(640, 360)
	for i := 0; i < len(img.Pix); i += 3 {
		copy(img.Pix[i:], bg[:])
	}
	l.NewDrawer().Draw(img, Frame{Clock: "frame 12"})
	darker := 0
	for y := range 60 {
		for x := range 200 {
			c := img.RGB(x, y)
			if 4*(int(c[0])+int(c[1])+int(c[2])) < 3*(int(bg[0])+int(bg[1])+int(bg[2])) {
				darker++ // a quarter darker than the background
			}
		}
	}
	if cols.Halo != dark || darker < 100 {
		t.Errorf("halo %v, %d pixels darker than the background, want a dark halo", cols.Halo, darker)
	}
}

func TestTypefaceHasTheCharactersAnnotationsUse(t *testing.T) {
	for _, r := range []rune{minus, 'µ', thinSpace, '0', '9', '.'} {
		if err := CheckText(string(r)); err != nil {
			t.Errorf("%U: %v", r, err)
		}
	}
	for _, s := range []string{"\x07", "日本", "\xff"} {
		if err := CheckText(s); err == nil {
			t.Errorf("CheckText(%q) accepted text the typeface cannot draw", s)
		}
	}
}

// TestAnnotationsOnAClearFrame draws on an RGBA frame with a clear
// background: the type becomes opaque in its colour, its halo partly
// opaque in the halo colour, and the rest stays clear.
func TestAnnotationsOnAClearFrame(t *testing.T) {
	s := fullSpec(t, 640, 360)
	l, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	img := render.NewImage(640, 360)
	img.Alpha = make([]uint8, 640*360)
	l.NewDrawer().Draw(img, Frame{Clock: "frame 12", Time: 100})
	opaqueText, partlyHalo := 0, 0
	for i, a := range img.Alpha {
		c := [3]uint8(img.Pix[3*i : 3*i+3])
		switch {
		case a == 255 && c == s.Colours.Text:
			opaqueText++
		case a > 0 && a < 255 && absDiff(c, s.Colours.Halo) <= 1:
			partlyHalo++
		}
	}
	if opaqueText < 100 || partlyHalo < 100 {
		t.Errorf("%d opaque pixels in the text colour, %d partly opaque in the halo colour", opaqueText, partlyHalo)
	}
	if img.Alpha[360/2*640+640/2] != 0 {
		t.Error("the middle of the frame is no longer clear")
	}
}
