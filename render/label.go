package render

import (
	"image"
	"image/draw"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Labeler draws a short line of text (a time stamp) into the top-left
// corner of pictures of one size, with the 7×13 bitmap font scaled up by a
// whole factor so it stays crisp: one font pixel per 360 picture rows.
type Labeler struct {
	scale  int
	margin int
	colour [3]uint8
	mask   *image.Alpha
}

// NewLabeler prepares to label pictures of the given height in colour.
func NewLabeler(height int, colour [3]uint8) *Labeler {
	s := max(1, height/360)
	return &Labeler{scale: s, margin: max(2, height/50), colour: colour}
}

// Draw writes text onto img. It is not safe for concurrent use: give each
// worker its own Labeler.
func (l *Labeler) Draw(img *Image, text string) {
	face := basicfont.Face7x13
	w := font.MeasureString(face, text).Ceil()
	h := face.Height
	if l.mask == nil || l.mask.Rect.Dx() < w {
		l.mask = image.NewAlpha(image.Rect(0, 0, w, h))
	}
	draw.Draw(l.mask, l.mask.Rect, image.Transparent, image.Point{}, draw.Src)
	d := font.Drawer{Dst: l.mask, Src: image.Opaque, Face: face, Dot: fixed.P(0, face.Ascent)}
	d.DrawString(text)
	for y := range h {
		for x := range w {
			a := uint32(l.mask.AlphaAt(x, y).A)
			if a == 0 {
				continue
			}
			for dy := range l.scale {
				py := l.margin + y*l.scale + dy
				if py >= img.Height {
					break
				}
				for dx := range l.scale {
					px := l.margin + x*l.scale + dx
					if px >= img.Width {
						break
					}
					i := 3 * (py*img.Width + px)
					for k := range 3 {
						img.Pix[i+k] = uint8((uint32(l.colour[k])*a + uint32(img.Pix[i+k])*(255-a)) / 255)
					}
				}
			}
		}
	}
}
