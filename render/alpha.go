package render

import (
	"fmt"
	"math"
)

// Transparent turns f's picture, just rendered by s over a black
// background, into an RGBA picture whose background is clear, for
// compositing: a pixel's opacity is the share of its samples that see the
// cell or, where it is brighter, the glow's brightest channel (the glow
// becomes alpha), and its colour is its light divided by that opacity, so
// that laying it over black gives the frame back.
func (s *Shader) Transparent(f *Frame) error {
	if s.bg8 != [3]uint8{} {
		return fmt.Errorf("a transparent picture needs a black background, not %v", s.bg8)
	}
	img := f.Image
	n := img.Width * img.Height
	if cap(img.Alpha) < n {
		img.Alpha = make([]uint8, n)
	}
	img.Alpha = img.Alpha[:n]
	clear(img.Alpha)
	samples := s.cov.AA * s.cov.AA
	for k, p := range s.cov.pixels {
		hits := 0
		for _, t := range s.cov.tri[k*samples : (k+1)*samples] {
			if t != noTri {
				hits++
			}
		}
		img.Alpha[p] = uint8((hits*255 + samples/2) / samples)
	}
	for i := range n {
		c := img.Pix[3*i : 3*i+3 : 3*i+3]
		if c[0]|c[1]|c[2] == 0 {
			continue // no light: clear, or the cell in black
		}
		light := [3]float32{decode8(c[0]), decode8(c[1]), decode8(c[2])}
		a := max(float32(img.Alpha[i])/255, light[0], light[1], light[2])
		a8 := uint8(math.Ceil(float64(a)*255 - 1e-4)) // never below the light, so colours stay in range
		if a8 == 0 {
			c[0], c[1], c[2] = 0, 0, 0 // too faint to keep
			continue
		}
		a = float32(a8) / 255
		img.Alpha[i] = a8
		for k := range 3 {
			c[k] = encode8(light[k] / a)
		}
	}
	return nil
}
