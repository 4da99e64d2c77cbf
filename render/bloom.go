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
	rowLit            []bool       // narrow-grid rows holding any glow
	cellLit           []bool
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
		rowLit:  make([]bool, g.gh),
		cellLit: make([]bool, n),
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

// spread computes the glow of the touched pixels' colours, scaled by strength.
func (g *glowGeometry) spread(bu *glowBuffers, pixels []uint32, colours [][3]float32, strength float32) {
	clear(bu.narrow)
	clear(bu.wide)
	cell := 1 / float32(g.factor*g.factor)
	for k, p := range pixels {
		x, y := int(p)%g.width/g.factor, int(p)/g.width/g.factor
		c, d := colours[k], &bu.narrow[y*g.gw+x]
		d[0], d[1], d[2] = d[0]+c[0]*cell, d[1]+c[1]*cell, d[2]+c[2]*cell
	}
	wcell := 1 / float32(glowWideFactor*glowWideFactor)
	for y := range g.gh {
		for x := range g.gw {
			c, d := bu.narrow[y*g.gw+x], &bu.wide[y/glowWideFactor*g.ww+x/glowWideFactor]
			d[0], d[1], d[2] = d[0]+c[0]*wcell, d[1]+c[1]*wcell, d[2]+c[2]*wcell
		}
	}
	blur(bu.narrow, bu.tmp, g.gw, g.gh, g.narrow)
	blur(bu.wide, bu.tmp, g.ww, g.wh, g.wide)

	// glow = strength·gain·(share·narrow + (1−share)·upsampled wide)
	ns := strength * glowGain * glowNarrowShare
	ws := strength * glowGain * (1 - glowNarrowShare)
	for y := range g.gh {
		lit := false
		ra, rb, fy := int(g.wya[y])*g.ww, int(g.wyb[y])*g.ww, g.wyw[y]
		for x := range g.gw {
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
			if !on {
				c = [3]float32{}
			}
			bu.glow[i], bu.cellLit[i] = c, on
			lit = lit || on
		}
		bu.rowLit[y] = lit
	}
}

// blur convolves a w × h grid with kernel k along both axes (zero outside).
func blur(grid, tmp [][3]float32, w, h int, k []float32) {
	r := len(k) / 2
	for y := range h {
		row := grid[y*w : (y+1)*w]
		out := tmp[y*w : (y+1)*w]
		for x := range w {
			var s [3]float32
			for i := max(0, x-r); i <= min(w-1, x+r); i++ {
				kw := k[i-x+r]
				s[0], s[1], s[2] = s[0]+kw*row[i][0], s[1]+kw*row[i][1], s[2]+kw*row[i][2]
			}
			out[x] = s
		}
	}
	for x := range w {
		for y := range h {
			var s [3]float32
			for j := max(0, y-r); j <= min(h-1, y+r); j++ {
				kw := k[j-y+r]
				c := tmp[j*w+x]
				s[0], s[1], s[2] = s[0]+kw*c[0], s[1]+kw*c[1], s[2]+kw*c[2]
			}
			grid[y*w+x] = s
		}
	}
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

// addToBackground draws background plus glow wherever the glow reaches;
// elsewhere the picture keeps the plain background already there.
func (g *glowGeometry) addToBackground(bu *glowBuffers, img *Image, bg [3]float32) {
	for y := range g.height {
		ga, gb := int(g.ya[y]), int(g.yb[y])
		if !bu.rowLit[ga] && !bu.rowLit[gb] {
			continue
		}
		for x := range g.width {
			a, b := int(g.xa[x]), int(g.xb[x])
			if !bu.cellLit[ga*g.gw+a] && !bu.cellLit[ga*g.gw+b] && !bu.cellLit[gb*g.gw+a] && !bu.cellLit[gb*g.gw+b] {
				continue
			}
			c := g.at(bu, x, y)
			i := 3 * (y*g.width + x)
			img.Pix[i], img.Pix[i+1], img.Pix[i+2] = encode8(bg[0]+c[0]), encode8(bg[1]+c[1]), encode8(bg[2]+c[2])
		}
	}
}
