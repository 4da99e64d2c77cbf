package render

import (
	"image"
	"image/color"
)

// Image is an 8-bit sRGB picture, three bytes (R, G, B) per pixel, rows top
// to bottom. It implements image.Image.
type Image struct {
	Width, Height int
	Pix           []uint8
}

// NewImage allocates a black width × height picture.
func NewImage(width, height int) *Image {
	return &Image{Width: width, Height: height, Pix: make([]uint8, 3*width*height)}
}

// RGB returns the colour of pixel (x, y).
func (m *Image) RGB(x, y int) [3]uint8 {
	i := 3 * (y*m.Width + x)
	return [3]uint8{m.Pix[i], m.Pix[i+1], m.Pix[i+2]}
}

// ColorModel is color.RGBAModel: every pixel is opaque.
func (m *Image) ColorModel() color.Model { return color.RGBAModel }

// Bounds is the rectangle (0,0)–(Width,Height).
func (m *Image) Bounds() image.Rectangle { return image.Rect(0, 0, m.Width, m.Height) }

// At returns pixel (x, y) as an opaque color.RGBA.
func (m *Image) At(x, y int) color.Color {
	if x < 0 || y < 0 || x >= m.Width || y >= m.Height {
		return color.RGBA{}
	}
	c := m.RGB(x, y)
	return color.RGBA{c[0], c[1], c[2], 255}
}
