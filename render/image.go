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
	// Alpha, when not nil, makes the picture RGBA: one opacity byte per
	// pixel (0 clear, 255 opaque), with Pix holding the colour itself
	// (not premultiplied).
	Alpha []uint8
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

// ColorModel is color.RGBAModel for an opaque picture, color.NRGBAModel
// for one with Alpha.
func (m *Image) ColorModel() color.Model {
	if m.Alpha != nil {
		return color.NRGBAModel
	}
	return color.RGBAModel
}

// Bounds is the rectangle (0,0)–(Width,Height).
func (m *Image) Bounds() image.Rectangle { return image.Rect(0, 0, m.Width, m.Height) }

// At returns pixel (x, y) as an opaque color.RGBA, or with Alpha as a
// color.NRGBA.
func (m *Image) At(x, y int) color.Color {
	if x < 0 || y < 0 || x >= m.Width || y >= m.Height {
		return color.RGBA{}
	}
	c := m.RGB(x, y)
	if m.Alpha != nil {
		return color.NRGBA{c[0], c[1], c[2], m.Alpha[y*m.Width+x]}
	}
	return color.RGBA{c[0], c[1], c[2], 255}
}
