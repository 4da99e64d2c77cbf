package overlay

import (
	"image"
	"math"
)

// Ink is coverage: the marks of an annotation as an alpha mask in picture
// coordinates, drawn with anti-aliased edges and later painted in one
// colour. The helpers below combine shapes by taking the larger coverage,
// so overlapping strokes do not darken where they cross.

// newInk returns an empty mask over r.
func newInk(r image.Rectangle) *image.Alpha { return image.NewAlpha(r) }

// cover raises m at (x, y) to coverage c in [0, 1].
func cover(m *image.Alpha, x, y int, c float64) {
	if c <= 0 || !(image.Point{x, y}).In(m.Rect) {
		return
	}
	a := uint8(math.Round(math.Min(1, c) * 255))
	i := m.PixOffset(x, y)
	if a > m.Pix[i] {
		m.Pix[i] = a
	}
}

// span is the coverage of the pixel [p, p+1) by the interval [lo, hi].
func span(p int, lo, hi float64) float64 {
	return math.Max(0, math.Min(float64(p+1), hi)-math.Max(float64(p), lo))
}

// box covers the rectangle [x0, x1] × [y0, y1] (picture coordinates,
// fractional edges anti-aliased).
func box(m *image.Alpha, x0, y0, x1, y1 float64) {
	for y := int(math.Floor(y0)); float64(y) < y1; y++ {
		cy := span(y, y0, y1)
		for x := int(math.Floor(x0)); float64(x) < x1; x++ {
			cover(m, x, y, cy*span(x, x0, x1))
		}
	}
}

// segment covers a stroke of the given width from (x0, y0) to (x1, y1)
// with round ends, by each pixel centre's distance from the segment.
func segment(m *image.Alpha, x0, y0, x1, y1, width float64) {
	h := width / 2
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := int(math.Floor(math.Min(y0, y1) - h - 1)); float64(y) <= math.Max(y0, y1)+h+1; y++ {
		for x := int(math.Floor(math.Min(x0, x1) - h - 1)); float64(x) <= math.Max(x0, x1)+h+1; x++ {
			px, py := float64(x)+0.5-x0, float64(y)+0.5-y0
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, (px*dx+py*dy)/l2))
			}
			ex, ey := px-t*dx, py-t*dy
			cover(m, x, y, h+0.5-math.Sqrt(ex*ex+ey*ey))
		}
	}
}

// disc covers a disc of radius r about (cx, cy).
func disc(m *image.Alpha, cx, cy, r float64) { segment(m, cx, cy, cx, cy, 2*r) }

// polyline strokes the path through pts, dashed by pattern (lengths in
// pixels, alternately drawn and skipped; nil draws it whole).
func polyline(m *image.Alpha, pts [][2]float64, width float64, pattern []float64) {
	if len(pattern) == 0 {
		for i := 1; i < len(pts); i++ {
			segment(m, pts[i-1][0], pts[i-1][1], pts[i][0], pts[i][1], width)
		}
		return
	}
	k, left := 0, pattern[0] // current dash and what is left of it
	for i := 1; i < len(pts); i++ {
		ax, ay := pts[i-1][0], pts[i-1][1]
		bx, by := pts[i][0], pts[i][1]
		l := math.Hypot(bx-ax, by-ay)
		for pos := 0.0; pos < l; {
			step := math.Min(left, l-pos)
			if k%2 == 0 {
				t0, t1 := pos/l, (pos+step)/l
				segment(m, ax+t0*(bx-ax), ay+t0*(by-ay), ax+t1*(bx-ax), ay+t1*(by-ay), width)
			}
			pos += step
			if left -= step; left <= 1e-9 {
				k = (k + 1) % len(pattern)
				left = pattern[k]
			}
		}
	}
}

// halo is m spread by radius pixels (a square dilation) and softened by a
// 3×3 box blur, over m's rectangle grown by radius+1: the backing that
// keeps marks legible over any picture.
func halo(m *image.Alpha, radius int) *image.Alpha {
	r := m.Rect.Inset(-radius - 1)
	spread := image.NewAlpha(r)
	// Dilate rows, then columns.
	rows := image.NewAlpha(r)
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			var a uint8
			for sx := max(x-radius, m.Rect.Min.X); sx <= min(x+radius, m.Rect.Max.X-1); sx++ {
				a = max(a, m.Pix[m.PixOffset(sx, y)])
			}
			rows.Pix[rows.PixOffset(x, y)] = a
		}
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			var a uint8
			for sy := max(y-radius, r.Min.Y); sy <= min(y+radius, r.Max.Y-1); sy++ {
				a = max(a, rows.Pix[rows.PixOffset(x, sy)])
			}
			spread.Pix[spread.PixOffset(x, y)] = a
		}
	}
	out := image.NewAlpha(r)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			sum := 0 // outside r counts as empty
			for sy := max(y-1, r.Min.Y); sy <= min(y+1, r.Max.Y-1); sy++ {
				for sx := max(x-1, r.Min.X); sx <= min(x+1, r.Max.X-1); sx++ {
					sum += int(spread.Pix[spread.PixOffset(sx, sy)])
				}
			}
			out.Pix[out.PixOffset(x, y)] = uint8((sum + 4) / 9)
		}
	}
	return out
}
