package overlay

import (
	"encoding/binary"
	"image"
	"math"

	"github.com/spikeframes/spikeframes/render"
)

// Colours is the pair of colours annotations are drawn in.
type Colours struct {
	// Text is the colour of type, bars' outlines and ticks, and plot lines.
	Text [3]uint8
	// Halo is the soft backing around marks and behind the trace inset.
	Halo [3]uint8
}

// Light and dark annotation colours: near white and near black, so that
// type stays anti-aliased against either extreme.
var (
	light = [3]uint8{242, 242, 242}
	dark  = [3]uint8{18, 18, 18}
)

// luminance is the relative luminance (WCAG 2) of an sRGB colour.
func luminance(c [3]uint8) float64 {
	var l float64
	for k, w := range []float64{0.2126, 0.7152, 0.0722} {
		v := float64(c[k]) / 255
		if v <= 0.04045 {
			v /= 12.92
		} else {
			v = math.Pow((v+0.055)/1.055, 2.4)
		}
		l += w * v
	}
	return l
}

// Contrast is the WCAG 2 contrast ratio of two sRGB colours, from 1 (the
// same) to 21 (black on white).
func Contrast(a, b [3]uint8) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// opposite is light or dark, whichever contrasts more with c.
func opposite(c [3]uint8) [3]uint8 {
	if Contrast(light, c) >= Contrast(dark, c) {
		return light
	}
	return dark
}

// ContrastingColours are annotation colours for pictures on background:
// near-white type on dark backgrounds, near-black on light ones.
func ContrastingColours(background [3]uint8) Colours {
	t := opposite(background)
	return Colours{Text: t, Halo: opposite(t)}
}

// TextColours are annotations in the given text colour, with a halo that
// contrasts with it.
func TextColours(text [3]uint8) Colours { return Colours{Text: text, Halo: opposite(text)} }

// Halo strength: the halo's opacity and its radius in ems of the type.
const (
	haloAlpha = 0.7
	haloEm    = 1.0 / 16
)

// haloRadius is the halo's spread for type of size pixels per em.
func haloRadius(size float64) int { return max(1, int(math.Round(size*haloEm))) }

// paintRGBA paints mask over dst in colour c at opacity alpha (premultiplied
// RGBA, the layer's pixels).
func paintRGBA(dst *image.RGBA, mask *image.Alpha, c [3]uint8, alpha float64) {
	r := mask.Rect.Intersect(dst.Rect)
	a8 := uint32(math.Round(alpha * 255))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		mi, di := mask.PixOffset(r.Min.X, y), dst.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x, mi, di = x+1, mi+1, di+4 {
			m := uint32(mask.Pix[mi])
			if m == 0 {
				continue
			}
			a := (m*a8 + 127) / 255
			p := dst.Pix[di : di+4 : di+4]
			for k := range 3 {
				p[k] = uint8((uint32(c[k])*a + uint32(p[k])*(255-a) + 127) / 255)
			}
			p[3] = uint8(a + (uint32(p[3])*(255-a)+127)/255)
		}
	}
}

// paintImage paints mask straight onto a frame in colour c at opacity
// alpha.
func paintImage(img *render.Image, mask *image.Alpha, c [3]uint8, alpha float64) {
	r := mask.Rect.Intersect(img.Bounds())
	a8 := uint32(math.Round(alpha * 255))
	if img.Alpha != nil {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if m := uint32(mask.Pix[mask.PixOffset(x, y)]); m != 0 {
					a := (m*a8 + 127) / 255
					overRGBA(img, y*img.Width+x, [3]uint32{uint32(c[0]) * a / 255, uint32(c[1]) * a / 255, uint32(c[2]) * a / 255}, a)
				}
			}
		}
		return
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		mi, di := mask.PixOffset(r.Min.X, y), 3*(y*img.Width+r.Min.X)
		for x := r.Min.X; x < r.Max.X; x, mi, di = x+1, mi+1, di+3 {
			m := uint32(mask.Pix[mi])
			if m == 0 {
				continue
			}
			a := (m*a8 + 127) / 255
			p := img.Pix[di : di+3 : di+3]
			for k := range 3 {
				p[k] = uint8((uint32(c[k])*a + uint32(p[k])*(255-a) + 127) / 255)
			}
		}
	}
}

// composite lays the premultiplied layer pixels src over a frame. Where
// both the layer and the frame repeat the previous pixel (a backing over
// a flat background), the previous result is reused.
func composite(img *render.Image, src *image.RGBA) {
	r := src.Rect.Intersect(img.Bounds())
	if img.Alpha != nil {
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				q := src.Pix[src.PixOffset(x, y):]
				if q[3] != 0 {
					overRGBA(img, y*img.Width+x, [3]uint32{uint32(q[0]), uint32(q[1]), uint32(q[2])}, uint32(q[3]))
				}
			}
		}
		return
	}
	n := r.Dx()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		si, di := src.PixOffset(r.Min.X, y), 3*(y*img.Width+r.Min.X)
		s, d := src.Pix[si:si+4*n], img.Pix[di:di+3*n]
		lastS, lastD, lastOut := uint32(0), uint32(0), uint32(0) // alpha 0: no match
		for x := range n {
			q := binary.LittleEndian.Uint32(s[4*x:])
			if q>>24 == 0 {
				continue
			}
			p := d[3*x : 3*x+3 : 3*x+3]
			in := uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
			if q == lastS && in == lastD {
				p[0], p[1], p[2] = uint8(lastOut), uint8(lastOut>>8), uint8(lastOut>>16)
				continue
			}
			inv := 255 - q>>24
			p[0] = uint8(q&0xff + div255(uint32(p[0])*inv))
			p[1] = uint8(q>>8&0xff + div255(uint32(p[1])*inv))
			p[2] = uint8(q>>16&0xff + div255(uint32(p[2])*inv))
			lastS, lastD = q, in
			lastOut = uint32(p[0]) | uint32(p[1])<<8 | uint32(p[2])<<16
		}
	}
}

// overRGBA lays colour c, premultiplied by opacity a (both 0–255), over
// pixel i of a frame with Alpha, whose colours are not premultiplied.
func overRGBA(img *render.Image, i int, c [3]uint32, a uint32) {
	if a == 0 {
		return
	}
	sa, da := float32(a)/255, float32(img.Alpha[i])/255
	rest := da * (1 - sa) // what shows through of the frame
	oa := sa + rest
	p := img.Pix[3*i : 3*i+3 : 3*i+3]
	for k := range 3 {
		p[k] = uint8((float32(c[k])+float32(p[k])*rest)/oa + 0.5)
	}
	img.Alpha[i] = uint8(oa*255 + 0.5)
}

// div255 is x/255 rounded, for x ≤ 255·255.
func div255(x uint32) uint32 { return (x + 128 + (x+128)>>8) >> 8 }
