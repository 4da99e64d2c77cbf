package render

import "math"

// Bloom: the glow around bright parts of the cell, as with Blender's bloom
// on an emission shader. The touched pixels' light is box-filtered down to
// a grid about 270 cells high, blurred there by a narrow Gaussian (a halo of
// about 0.6% of the picture height) plus a wide one computed a further 4×
// down (about 3%), and spread back over the picture by bilinear
// interpolation. Working at reduced resolution keeps bloom cheap; the glow
// is smooth, so nothing visible is lost.
const (
	glowGridRows    = 270
	glowNarrowSigma = 0.006 // of the picture height
	glowWideSigma   = 0.03
	glowWideFactor  = 4
	glowGain        = 2.5
	glowNarrowShare = 0.6 // the wide glow gets the rest
	// glowFloor is the glow (linear light) below which it is dropped: it
	// would not change an 8-bit sRGB value on black.
	glowFloor = 1.5e-4
)

// glowGeometry is what bloom needs to know about a picture size; it is
// shared by all frames.
type glowGeometry struct {
	width, height int
	factor        int // picture pixels per grid cell along each side
	gw, gh        int // narrow grid size
	ww, wh        int // wide grid size
	narrow, wide  []float32
	// Bilinear interpolation from grid to picture: for picture column x
	// the grid columns xa[x], xb[x] and the weight xw[x] of xb; likewise rows.
	xa, xb []int32
	xw     []float32
	ya, yb []int32
	yw     []float32
	// The same from the wide grid to the narrow one.
	wxa, wxb []int32
	wxw      []float32
	wya, wyb []int32
	wyw      []float32
}

// glowBuffers are one frame's bloom grids.
type glowBuffers struct {
	narrow, wide, tmp [][3]float32
	glow              [][3]float32 // final glow per narrow-grid cell
	// litFrom[y] ≤ x < litTo[y] spans the lit cells of grid row y
	// (litFrom == litTo for a dark row).
	litFrom, litTo []int32
}

func newGlowGeometry(width, height int) *glowGeometry {
	f := max(1, int(math.Round(float64(height)/glowGridRows)))
	g := &glowGeometry{width: width, height: height, factor: f}
	g.gw, g.gh = (width+f-1)/f, (height+f-1)/f
	g.ww, g.wh = (g.gw+glowWideFactor-1)/glowWideFactor, (g.gh+glowWideFactor-1)/glowWideFactor
	g.narrow = gaussian(glowNarrowSigma * float64(height) / float64(f))
	g.wide = gaussian(glowWideSigma * float64(height) / float64(f*glowWideFactor))
	g.xa, g.xb, g.xw = bilinearTaps(width, f, g.gw)
	g.ya, g.yb, g.yw = bilinearTaps(height, f, g.gh)
	g.wxa, g.wxb, g.wxw = bilinearTaps(g.gw, glowWideFactor, g.ww)
	g.wya, g.wyb, g.wyw = bilinearTaps(g.gh, glowWideFactor, g.wh)
	return g
}

func (g *glowGeometry) newBuffers() *glowBuffers {
	n := g.gw * g.gh
	return &glowBuffers{
		narrow:  make([][3]float32, n),
		wide:    make([][3]float32, g.ww*g.wh),
		tmp:     make([][3]float32, n),
		glow:    make([][3]float32, n),
		litFrom: make([]int32, g.gh),
		litTo:   make([]int32, g.gh),
	}
}

// gaussian returns a normalised kernel of standard deviation sigma (in
// cells), 3σ to each side.
func gaussian(sigma float64) []float32 {
	sigma = math.Max(sigma, 0.3)
	r := int(math.Ceil(3 * sigma))
	k := make([]float32, 2*r+1)
	var sum float64
	for i := -r; i <= r; i++ {
		sum += math.Exp(-float64(i*i) / (2 * sigma * sigma))
	}
	for i := -r; i <= r; i++ {
		k[i+r] = float32(math.Exp(-float64(i*i)/(2*sigma*sigma)) / sum)
	}
	return k
}

// bilinearTaps maps each of n picture positions to the two grid cells
// (cells of f pixels, grid size cells) whose centres surround it.
func bilinearTaps(n, f, cells int) (a, b []int32, w []float32) {
	a, b, w = make([]int32, n), make([]int32, n), make([]float32, n)
	for x := range n {
		u := (float64(x)+0.5)/float64(f) - 0.5
		i := int(math.Floor(u))
		t := u - float64(i)
		switch {
		case i < 0:
			i, t = 0, 0
		case i >= cells-1:
			i, t = cells-1, 0
		}
		a[x], b[x], w[x] = int32(i), int32(min(i+1, cells-1)), float32(t)
	}
	return a, b, w
}

// box is a half-open rectangle of grid cells.
type box struct{ x0, y0, x1, y1 int }

func (b box) empty() bool { return b.x0 >= b.x1 || b.y0 >= b.y1 }

// grow widens b by r cells on every side, within a w × h grid.
func (b box) grow(r, w, h int) box {
	return box{max(0, b.x0-r), max(0, b.y0-r), min(w, b.x1+r), min(h, b.y1+r)}
}

// spread computes the glow of the touched pixels' colours, scaled by
// strength. Only the part of the grids the glow can reach is worked on.
func (g *glowGeometry) spread(bu *glowBuffers, pixels []uint32, colours [][3]float32, strength float32) {
	clear(bu.narrow)
	clear(bu.wide)
	clear(bu.glow)
	clear(bu.litFrom)
	clear(bu.litTo)
	if len(pixels) == 0 {
		return
	}
	cell := 1 / float32(g.factor*g.factor)
	src := box{g.gw, g.gh, 0, 0}
	for k, p := range pixels {
		x, y := int(p)%g.width/g.factor, int(p)/g.width/g.factor
		c, d := colours[k], &bu.narrow[y*g.gw+x]
		d[0], d[1], d[2] = d[0]+c[0]*cell, d[1]+c[1]*cell, d[2]+c[2]*cell
		src = box{min(src.x0, x), min(src.y0, y), max(src.x1, x+1), max(src.y1, y+1)}
	}
	wcell := 1 / float32(glowWideFactor*glowWideFactor)
	for y := src.y0; y < src.y1; y++ {
		for x := src.x0; x < src.x1; x++ {
			c, d := bu.narrow[y*g.gw+x], &bu.wide[y/glowWideFactor*g.ww+x/glowWideFactor]
			d[0], d[1], d[2] = d[0]+c[0]*wcell, d[1]+c[1]*wcell, d[2]+c[2]*wcell
		}
	}
	wsrc := box{src.x0 / glowWideFactor, src.y0 / glowWideFactor,
		(src.x1 + glowWideFactor - 1) / glowWideFactor, (src.y1 + glowWideFactor - 1) / glowWideFactor}
	narrowReach := blur(bu.narrow, bu.tmp, g.gw, g.gh, g.narrow, src)
	wideReach := blur(bu.wide, bu.tmp, g.ww, g.wh, g.wide, wsrc)
	// The wide glow, upsampled, reaches one more wide cell each way.
	reach := box{
		min(narrowReach.x0, max(0, (wideReach.x0-1)*glowWideFactor)),
		min(narrowReach.y0, max(0, (wideReach.y0-1)*glowWideFactor)),
		max(narrowReach.x1, min(g.gw, (wideReach.x1+1)*glowWideFactor)),
		max(narrowReach.y1, min(g.gh, (wideReach.y1+1)*glowWideFactor)),
	}

	// glow = strength·gain·(share·narrow + (1−share)·upsampled wide)
	ns := strength * glowGain * glowNarrowShare
	ws := strength * glowGain * (1 - glowNarrowShare)
	for y := reach.y0; y < reach.y1; y++ {
		from, to := -1, -1
		ra, rb, fy := int(g.wya[y])*g.ww, int(g.wyb[y])*g.ww, g.wyw[y]
		for x := reach.x0; x < reach.x1; x++ {
			a, b, fx := int(g.wxa[x]), int(g.wxb[x]), g.wxw[x]
			i := y*g.gw + x
			n := bu.narrow[i]
			var c [3]float32
			on := false
			for k := range 3 {
				top := bu.wide[ra+a][k] + fx*(bu.wide[ra+b][k]-bu.wide[ra+a][k])
				bot := bu.wide[rb+a][k] + fx*(bu.wide[rb+b][k]-bu.wide[rb+a][k])
				c[k] = ns*n[k] + ws*(top+fy*(bot-top))
				on = on || c[k] >= glowFloor
			}
			if on {
				bu.glow[i] = c
				if from < 0 {
					from = x
				}
				to = x + 1
			}
		}
		if from >= 0 {
			bu.litFrom[y], bu.litTo[y] = int32(from), int32(to)
		}
	}
}

// blur convolves the part src of a w × h grid (zero elsewhere) with kernel
// k along both axes and returns the part of the grid the result covers.
// Both passes run along rows, so memory is read in order.
func blur(grid, tmp [][3]float32, w, h int, k []float32, src box) box {
	r := len(k) / 2
	out := src.grow(r, w, h)
	if src.empty() {
		return src
	}
	// Horizontal: rows of src, columns of out.
	for y := src.y0; y < src.y1; y++ {
		row, dst := grid[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		for x := out.x0; x < out.x1; x++ {
			var s [3]float32
			for i := max(src.x0, x-r); i < min(src.x1, x+r+1); i++ {
				kw := k[i-x+r]
				s[0], s[1], s[2] = s[0]+kw*row[i][0], s[1]+kw*row[i][1], s[2]+kw*row[i][2]
			}
			dst[x] = s
		}
	}
	// Vertical: each output row of out is a weighted sum of tmp's rows.
	for y := out.y0; y < out.y1; y++ {
		dst := grid[y*w+out.x0 : y*w+out.x1]
		clear(dst)
		for j := max(src.y0, y-r); j < min(src.y1, y+r+1); j++ {
			kw := k[j-y+r]
			from := tmp[j*w+out.x0 : j*w+out.x1]
			for x := range dst {
				c := from[x]
				dst[x][0] += kw * c[0]
				dst[x][1] += kw * c[1]
				dst[x][2] += kw * c[2]
			}
		}
	}
	return out
}

// at is the glow at picture pixel (x, y).
func (g *glowGeometry) at(bu *glowBuffers, x, y int) [3]float32 {
	ra, rb, fy := int(g.ya[y])*g.gw, int(g.yb[y])*g.gw, g.yw[y]
	a, b, fx := int(g.xa[x]), int(g.xb[x]), g.xw[x]
	var c [3]float32
	for k := range 3 {
		top := bu.glow[ra+a][k] + fx*(bu.glow[ra+b][k]-bu.glow[ra+a][k])
		bot := bu.glow[rb+a][k] + fx*(bu.glow[rb+b][k]-bu.glow[rb+a][k])
		c[k] = top + fy*(bot-top)
	}
	return c
}

// litSpan is the span of picture columns [x0, x1) that the lit cells of
// grid rows ga and gb reach (empty when both rows are dark).
func (g *glowGeometry) litSpan(bu *glowBuffers, ga, gb int) (x0, x1 int) {
	lo, hi := g.gw, 0
	for _, r := range [2]int{ga, gb} {
		if bu.litFrom[r] < bu.litTo[r] {
			lo, hi = min(lo, int(bu.litFrom[r])), max(hi, int(bu.litTo[r]))
		}
	}
	if hi <= lo {
		return 0, 0
	}
	// Pixels interpolate between the cells whose centres surround them,
	// so a cell reaches the pixels up to one cell to either side.
	return max(0, (lo-1)*g.factor), min(g.width, (hi+1)*g.factor)
}

// addToBackground draws background plus glow wherever the glow reaches;
// elsewhere the picture keeps the plain background already there. Each
// picture row first interpolates its two grid rows into one, then each
// pixel interpolates along that row.
func (g *glowGeometry) addToBackground(bu *glowBuffers, img *Image, bg [3]float32) {
	row := bu.tmp[:g.gw]
	for y := range g.height {
		ga, gb, fy := int(g.ya[y]), int(g.yb[y]), g.yw[y]
		x0, x1 := g.litSpan(bu, ga, gb)
		if x0 >= x1 {
			continue
		}
		top, bot := bu.glow[ga*g.gw:(ga+1)*g.gw], bu.glow[gb*g.gw:(gb+1)*g.gw]
		for i := g.xa[x0]; i <= g.xb[x1-1]; i++ {
			t, b := top[i], bot[i]
			row[i] = [3]float32{t[0] + fy*(b[0]-t[0]), t[1] + fy*(b[1]-t[1]), t[2] + fy*(b[2]-t[2])}
		}
		pix := img.Pix[3*y*g.width : 3*(y+1)*g.width]
		for x := x0; x < x1; x++ {
			fx := g.xw[x]
			ca, cb := row[g.xa[x]], row[g.xb[x]]
			i := 3 * x
			pix[i] = encode8(bg[0] + ca[0] + fx*(cb[0]-ca[0]))
			pix[i+1] = encode8(bg[1] + ca[1] + fx*(cb[1]-ca[1]))
			pix[i+2] = encode8(bg[2] + ca[2] + fx*(cb[2]-ca[2]))
		}
	}
}
