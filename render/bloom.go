package render

import "math"

// Bloom: the glow around bright parts of the cell, as with Blender's EEVEE
// bloom on an emission shader. The touched pixels' light above the
// threshold is box-filtered down to a grid about 270 cells high, then to
// grids 4× and 16× coarser; each level is blurred by a Gaussian (0.6%,
// 2.9% and 11.8% of the picture height), the coarser levels are spread back
// onto the finer ones by bilinear interpolation and added in the shares
// below, and the sum is spread over the picture the same way. The three
// Gaussians approximate the long-tailed glow EEVEE's bloom (the defaults:
// radius 6.5, intensity 0.05) puts around a thin bright line, measured
// from its renders; its total light is then about 0.27 of the light above
// the threshold. Working at reduced resolution keeps bloom cheap; the glow
// is smooth, so nothing visible is lost.
const (
	glowGridRows    = 270
	glowLevelFactor = 4 // each level's cells are this many of the finer level's along each side
	// The glow's faint tail fades out: below glowFade (linear light, one
	// 8-bit level of sRGB on black) it is dimmed in proportion to how far
	// it is above glowFloor (half a level), and below glowFloor dropped, so
	// it ends smoothly rather than at an edge.
	glowFade  = 3.04e-4
	glowFloor = glowFade / 2
)

// glowLevels are the blur of each level (of the picture height) and its
// share of the glow, finest first.
var glowLevels = [...]struct{ sigma, share float64 }{
	{0.006, 0.41},
	{0.029, 0.29},
	{0.118, 0.30},
}

// glowKnee is the bloom threshold, as in Blender's EEVEE: light whose
// brightest channel is br glows by the share max(soft, br − t)/br, where
// soft = clamp(br − t + k, 0, 2k)²/(4k) eases in from t − k with knee
// k = t/2. A zero threshold lets all light glow.
type glowKnee struct{ t, k float32 }

func newGlowKnee(threshold float64) glowKnee {
	return glowKnee{t: float32(threshold), k: float32(threshold) / 2}
}

// share is the share of light whose brightest channel is br that glows.
func (g glowKnee) share(br float32) float32 {
	switch {
	case g.t == 0:
		return 1
	case br <= g.t-g.k:
		return 0
	}
	soft := min(br-g.t+g.k, 2*g.k)
	soft = soft * soft / (4 * g.k)
	return max(soft, br-g.t) / br
}

// bayer is a 16 × 16 ordered-dither matrix of the offsets 0…255, so that
// an 8.8 fixed-point value v dithers to (v + bayer[…]) >> 8: on average
// exactly v/256, and always exactly a whole level.
var bayer = func() (m [256]uint8) {
	size := 1
	for size < 16 {
		for y := range size {
			for x := range size {
				v := 4 * m[y*16+x]
				m[y*16+x] = v
				m[y*16+x+size] = v + 2
				m[(y+size)*16+x] = v + 3
				m[(y+size)*16+x+size] = v + 1
			}
		}
		size *= 2
	}
	return m
}()

// glowGeometry is what bloom needs to know about a picture size; it is
// shared by all frames.
type glowGeometry struct {
	width, height int
	factor        int // picture pixels per finest grid cell along each side
	levels        [len(glowLevels)]glowGrid
	// Bilinear interpolation from the finest grid to the picture: for
	// picture column x the grid columns xa[x], xb[x] and the weight xw[x]
	// of xb; likewise rows.
	xa, xb  []int32
	xw      []float32
	xwFixed []int32 // xw × 256
	// runFrom[i] is the first picture column x with xa[x] ≥ i (i up to
	// the grid's width).
	runFrom []int32
	ya, yb  []int32
	yw      []float32
	ywFixed []int32 // yw × 256
}

// glowGrid is one level of the glow.
type glowGrid struct {
	w, h   int
	kernel []float32
	share  float32
	// Bilinear interpolation from the next coarser level to this one (the
	// coarsest level has none).
	xa, xb []int32
	xw     []float32
	ya, yb []int32
	yw     []float32
}

// glowBuffers are one frame's bloom grids.
type glowBuffers struct {
	levels    [len(glowLevels)][][3]float32
	tmp       [][3]float32
	span      []int32      // per grid row, the columns blur's horizontal pass lit
	glow      [][3]float32 // final glow per finest-grid cell: the finest level once combined
	cellFixed [][3]int32   // display value of background plus glow per finest-grid cell, 8.8 fixed point
	rowFixed  [][3]int32   // cellFixed interpolated down to one picture row, per finest-grid column
	// reach holds the finest-grid cells the glow reaches.
	reach box
	// quadSmooth says, per finest-grid cell, whether it and its neighbours
	// to the right, below and below right differ by at most glowSmoothStep.
	quadSmooth []bool
	// smoothRight and smoothDown say the same of a cell and its neighbour
	// to the right, and below.
	smoothRight, smoothDown []bool
	// litFrom[y] ≤ x < litTo[y] spans the lit cells of finest-grid row y
	// (litFrom == litTo for a dark row).
	litFrom, litTo []int32
}

func newGlowGeometry(width, height int) *glowGeometry {
	f := max(1, int(math.Round(float64(height)/glowGridRows)))
	g := &glowGeometry{width: width, height: height, factor: f}
	w, h, cell := (width+f-1)/f, (height+f-1)/f, float64(f)
	for i, l := range glowLevels {
		if i > 0 {
			w, h, cell = (w+glowLevelFactor-1)/glowLevelFactor, (h+glowLevelFactor-1)/glowLevelFactor, cell*glowLevelFactor
		}
		g.levels[i] = glowGrid{w: w, h: h, kernel: gaussian(l.sigma * float64(height) / cell), share: float32(l.share)}
		if i > 0 {
			fine := &g.levels[i-1]
			fine.xa, fine.xb, fine.xw = bilinearTaps(fine.w, glowLevelFactor, w)
			fine.ya, fine.yb, fine.yw = bilinearTaps(fine.h, glowLevelFactor, h)
		}
	}
	top := g.levels[0]
	g.xa, g.xb, g.xw = bilinearTaps(width, f, top.w)
	g.ya, g.yb, g.yw = bilinearTaps(height, f, top.h)
	g.xwFixed, g.ywFixed = toFixed(g.xw), toFixed(g.yw)
	g.runFrom = make([]int32, top.w+1)
	x := 0
	for i := range g.runFrom {
		for x < width && int(g.xa[x]) < i {
			x++
		}
		g.runFrom[i] = int32(x)
	}
	return g
}

// toFixed returns weights × 256, rounded.
func toFixed(w []float32) []int32 {
	out := make([]int32, len(w))
	for i, v := range w {
		out[i] = int32(math.Round(float64(v) * 256))
	}
	return out
}

func (g *glowGeometry) newBuffers() *glowBuffers {
	top := g.levels[0]
	n := top.w * top.h
	bu := &glowBuffers{
		tmp:         make([][3]float32, n),
		span:        make([]int32, 2*top.h),
		cellFixed:   make([][3]int32, n),
		rowFixed:    make([][3]int32, top.w),
		quadSmooth:  make([]bool, n),
		smoothRight: make([]bool, n),
		smoothDown:  make([]bool, n),
		litFrom:     make([]int32, top.h),
		litTo:       make([]int32, top.h),
	}
	for i, l := range g.levels {
		bu.levels[i] = make([][3]float32, l.w*l.h)
	}
	bu.glow = bu.levels[0]
	return bu
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

// bilinearTaps maps each of n positions to the two cells (cells of f
// positions, grid size cells) whose centres surround it.
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

// coarser is the box of the next coarser level's cells that b's cells
// fall in.
func (b box) coarser() box {
	f := glowLevelFactor
	return box{b.x0 / f, b.y0 / f, (b.x1 + f - 1) / f, (b.y1 + f - 1) / f}
}

// finer is the box of the finer level's cells (a w × h grid) that cells
// of b reach by bilinear interpolation: one coarse cell more each way.
func (b box) finer(w, h int) box {
	f := glowLevelFactor
	return box{max(0, (b.x0-1)*f), max(0, (b.y0-1)*f), min(w, (b.x1+1)*f), min(h, (b.y1+1)*f)}
}

// union is the smallest box holding a and b.
func (a box) union(b box) box {
	return box{min(a.x0, b.x0), min(a.y0, b.y0), max(a.x1, b.x1), max(a.y1, b.y1)}
}

// spread computes the glow of the touched pixels' light above the knee's
// threshold, scaled by strength. Only the part of the grids the glow can
// reach is worked on.
func (g *glowGeometry) spread(bu *glowBuffers, pixels []uint32, light [][3]float32, strength float32, knee glowKnee) {
	for i := range bu.levels {
		clear(bu.levels[i])
	}
	clear(bu.litFrom)
	clear(bu.litTo)
	bu.reach = box{}
	top := &g.levels[0]
	cell := 1 / float32(g.factor*g.factor)
	src := box{top.w, top.h, 0, 0}
	for k, p := range pixels {
		c := light[k]
		a := knee.share(brightest(c)) * cell
		if a == 0 {
			continue
		}
		x, y := int(p)%g.width/g.factor, int(p)/g.width/g.factor
		d := &bu.levels[0][y*top.w+x]
		d[0], d[1], d[2] = d[0]+c[0]*a, d[1]+c[1]*a, d[2]+c[2]*a
		src = box{min(src.x0, x), min(src.y0, y), max(src.x1, x+1), max(src.y1, y+1)}
	}
	if src.empty() {
		return
	}
	// Box-filter each level down to the next, then blur every level.
	var srcs, reach [len(glowLevels)]box
	srcs[0] = src
	cellShare := 1 / float32(glowLevelFactor*glowLevelFactor)
	for i := 1; i < len(g.levels); i++ {
		fine, coarse := bu.levels[i-1], bu.levels[i]
		fw, cw := g.levels[i-1].w, g.levels[i].w
		s := srcs[i-1]
		for y := s.y0; y < s.y1; y++ {
			for x := s.x0; x < s.x1; x++ {
				c, d := fine[y*fw+x], &coarse[y/glowLevelFactor*cw+x/glowLevelFactor]
				d[0], d[1], d[2] = d[0]+c[0]*cellShare, d[1]+c[1]*cellShare, d[2]+c[2]*cellShare
			}
		}
		srcs[i] = s.coarser()
	}
	for i := range g.levels {
		l := &g.levels[i]
		reach[i] = blur(bu.levels[i], bu.tmp, bu.span, l.w, l.h, l.kernel, srcs[i])
	}
	// From the coarsest level up: each level becomes its share of its own
	// blur plus the coarser level's sum spread onto it. The finest level's
	// sum is the glow.
	// A coarser level's cells too faint to lift the glow above its floor
	// are not spread onto the finer level.
	last := len(g.levels) - 1
	scaleLevel(bu.levels[last], g.levels[last].w, reach[last], strength*g.levels[last].share)
	for i := last - 1; i >= 0; i-- {
		l, c := &g.levels[i], &g.levels[i+1]
		coarse := litBox(bu.levels[i+1], c.w, reach[i+1], glowFloor/4)
		reach[i] = reach[i].union(coarse.finer(l.w, l.h))
		g.combine(bu, i, reach[i], strength*l.share)
	}
	bu.reach = reach[0]
}

// brightest is light c's brightest channel, compared by hand: the
// built-in max also orders NaNs and signed zeros, which light never has.
func brightest(c [3]float32) float32 {
	m := c[0]
	if c[1] > m {
		m = c[1]
	}
	if c[2] > m {
		m = c[2]
	}
	return m
}

// litBox is the smallest box within b of a grid w wide holding every cell
// with a channel of at least floor.
func litBox(grid [][3]float32, w int, b box, floor float32) box {
	lit := box{b.x1, b.y1, b.x0, b.y0}
	for y := b.y0; y < b.y1; y++ {
		row := grid[y*w : (y+1)*w]
		for x := b.x0; x < b.x1; x++ {
			if c := row[x]; c[0] >= floor || c[1] >= floor || c[2] >= floor {
				lit = lit.union(box{x, y, x + 1, y + 1})
			}
		}
	}
	if lit.empty() {
		return box{}
	}
	return lit
}

// scaleLevel multiplies the cells of box b of a grid w wide by s.
func scaleLevel(grid [][3]float32, w int, b box, s float32) {
	for y := b.y0; y < b.y1; y++ {
		row := grid[y*w+b.x0 : y*w+b.x1]
		for x := range row {
			row[x] = [3]float32{row[x][0] * s, row[x][1] * s, row[x][2] * s}
		}
	}
}

// combine sets the cells of box b of level i to s times their blur plus
// the next coarser level interpolated onto them. The finest level so
// becomes the glow: there the result is faded out below glowFade, and the
// cells of each row that are lit are noted.
func (g *glowGeometry) combine(bu *glowBuffers, i int, b box, s float32) {
	l := &g.levels[i]
	grid, coarse := bu.levels[i], bu.levels[i+1]
	cw := g.levels[i+1].w
	for y := b.y0; y < b.y1; y++ {
		ra, rb, fy := int(l.ya[y])*cw, int(l.yb[y])*cw, l.yw[y]
		row := grid[y*l.w : (y+1)*l.w]
		from, to := -1, -1
		for x := b.x0; x < b.x1; x++ {
			a, bx, fx := int(l.xa[x]), int(l.xb[x]), l.xw[x]
			var c [3]float32
			for k := range 3 {
				top := coarse[ra+a][k] + fx*(coarse[ra+bx][k]-coarse[ra+a][k])
				bot := coarse[rb+a][k] + fx*(coarse[rb+bx][k]-coarse[rb+a][k])
				c[k] = s*row[x][k] + top + fy*(bot-top)
			}
			if i > 0 {
				row[x] = c
				continue
			}
			m := brightest(c)
			if m < glowFloor {
				row[x] = [3]float32{}
				continue
			}
			if m < glowFade {
				f := (m - glowFloor) / (glowFade - glowFloor)
				c = [3]float32{c[0] * f, c[1] * f, c[2] * f}
			}
			row[x] = c
			if from < 0 {
				from = x
			}
			to = x + 1
		}
		if from >= 0 {
			bu.litFrom[y], bu.litTo[y] = int32(from), int32(to)
		}
	}
}

// blur convolves the part src of a w × h grid (zero elsewhere) with kernel
// k along both axes and returns the part of the grid the result covers.
// Both passes run along rows, so memory is read in order. Light is never
// negative, so a zero cell adds nothing to a sum: the horizontal pass
// spreads each lit cell onto its neighbours and notes the columns each
// row's result spans, and the vertical pass adds each row over that span
// only. Every output is the same sum, in the same order, as a full
// convolution's.
func blur(grid, tmp [][3]float32, span []int32, w, h int, k []float32, src box) box {
	r := len(k) / 2
	out := src.grow(r, w, h)
	if src.empty() {
		return src
	}
	// Horizontal: rows of src, columns of out; span[2y], span[2y+1] the
	// columns of row y's result that may be lit.
	for y := src.y0; y < src.y1; y++ {
		row, dst := grid[y*w:(y+1)*w], tmp[y*w:(y+1)*w]
		clear(dst[out.x0:out.x1])
		lo, hi := out.x1, out.x0
		for i := src.x0; i < src.x1; i++ {
			c := row[i]
			if c == ([3]float32{}) {
				continue
			}
			x0, x1 := max(out.x0, i-r), min(out.x1, i+r+1)
			lo, hi = min(lo, x0), max(hi, x1)
			for x := x0; x < x1; x++ {
				kw := k[i-x+r]
				d := &dst[x]
				d[0], d[1], d[2] = d[0]+kw*c[0], d[1]+kw*c[1], d[2]+kw*c[2]
			}
		}
		span[2*y], span[2*y+1] = int32(lo), int32(hi)
	}
	// Vertical: each output row of out is a weighted sum of tmp's rows.
	for y := out.y0; y < out.y1; y++ {
		clear(grid[y*w+out.x0 : y*w+out.x1])
		for j := max(src.y0, y-r); j < min(src.y1, y+r+1); j++ {
			lo, hi := int(span[2*j]), int(span[2*j+1])
			if lo >= hi {
				continue
			}
			kw := k[j-y+r]
			dst, from := grid[y*w+lo:y*w+hi], tmp[j*w+lo:j*w+hi]
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
	gw := g.levels[0].w
	ra, rb, fy := int(g.ya[y])*gw, int(g.yb[y])*gw, g.yw[y]
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
	lo, hi := g.levels[0].w, 0
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

// glowSmoothStep is the largest step (in 8.8 fixed-point display values)
// between neighbouring grid cells across which the glow is interpolated in
// display values rather than in light: over such a step the display curve
// is straight to within half a level, so the pixels between cost a few
// integer operations instead of a conversion each.
const glowSmoothStep = 8 << 8

// addToBackground draws background plus glow wherever the glow reaches,
// through the tone and dithered; elsewhere the picture keeps the plain
// background already there. Every grid cell is converted to display values
// once. Between the centres of four cells whose display values differ
// little, pixels interpolate those values (a few integer operations each);
// where the glow is steep they interpolate light and convert it.
func (g *glowGeometry) addToBackground(bu *glowBuffers, img *Image, bg [3]float32, tone toneMap) {
	top := &g.levels[0]
	gw, gh := top.w, top.h
	// Cells the glow does not reach show the background as the picture
	// does outside the glow, a whole level that no dither offset moves;
	// the tone shows bg at least at that level, so the faintest glow
	// never dithers below it either.
	r, gr, bl := tone.encode(bg)
	bgFixed := [3]int32{int32(r) << 8, int32(gr) << 8, int32(bl) << 8}
	// Only cells within one of the glow's reach are ever read.
	cells := bu.cellFixed
	area := bu.reach.grow(1, gw, gh)
	for y := area.y0; y < area.y1; y++ {
		for x := area.x0; x < area.x1; x++ {
			c := bu.glow[y*gw+x]
			if c == ([3]float32{}) {
				cells[y*gw+x] = bgFixed
				continue
			}
			r, gr, bl := tone.fixed([3]float32{bg[0] + c[0], bg[1] + c[1], bg[2] + c[2]})
			cells[y*gw+x] = [3]int32{int32(r), int32(gr), int32(bl)}
		}
	}
	// A quad is smooth when its four edges are: each cell's edge to the
	// right and its edge down are checked once.
	right, down := bu.smoothRight, bu.smoothDown
	for y := area.y0; y < area.y1; y++ {
		y1 := min(y+1, area.y1-1)
		for x := area.x0; x < area.x1; x++ {
			i := y*gw + x
			right[i] = smoothStep(cells[i], cells[y*gw+min(x+1, area.x1-1)])
			down[i] = smoothStep(cells[i], cells[y1*gw+x])
		}
	}
	for y := area.y0; y < area.y1; y++ {
		y1 := min(y+1, area.y1-1)
		for x := area.x0; x < area.x1; x++ {
			i, x1 := y*gw+x, min(x+1, area.x1-1)
			bu.quadSmooth[i] = right[i] && right[y1*gw+x] && down[i] && down[y*gw+x1]
		}
	}
	for y := range g.height {
		ga, gb, fy := int(g.ya[y]), int(g.yb[y]), g.yw[y]
		x0, x1 := g.litSpan(bu, ga, gb)
		if x0 >= x1 {
			continue
		}
		ltop, lbot := bu.glow[ga*gw:(ga+1)*gw], bu.glow[gb*gw:(gb+1)*gw]
		smooth := bu.quadSmooth[ga*gw : (ga+1)*gw]
		// The display values interpolated down to this row, at the
		// centres of the cells the row's pixels lie between.
		i0, iLast := int(g.xa[x0]), int(g.xa[x1-1])
		i1 := min(iLast+1, gw-1)
		ftop, fbot := cells[ga*gw:(ga+1)*gw], cells[gb*gw:(gb+1)*gw]
		wy := g.ywFixed[y]
		for i := i0; i <= i1; i++ {
			ft, fb := ftop[i], fbot[i]
			bu.rowFixed[i] = [3]int32{ft[0] + (fb[0]-ft[0])*wy>>8, ft[1] + (fb[1]-ft[1])*wy>>8, ft[2] + (fb[2]-ft[2])*wy>>8}
		}
		pix := img.Pix[3*y*g.width : 3*(y+1)*g.width]
		dither := (*[16]uint8)(bayer[y&15*16:])
		// Pixels x with xa[x] == i lie between cell i's centre and the next.
		for i := i0; i <= iLast; i++ {
			xs, xe := max(x0, int(g.runFrom[i])), min(x1, int(g.runFrom[i+1]))
			j := min(i+1, gw-1)
			if smooth[i] {
				fa, fb := bu.rowFixed[i], bu.rowFixed[j]
				d := [3]int32{fb[0] - fa[0], fb[1] - fa[1], fb[2] - fa[2]}
				p := pix[3*xs : 3*xe]
				ws := g.xwFixed[xs:xe]
				for n, w := range ws {
					dd := int32(dither[(xs+n)&15])
					q := p[3*n : 3*n+3 : 3*n+3]
					q[0] = uint8((fa[0] + d[0]*w>>8 + dd) >> 8)
					q[1] = uint8((fa[1] + d[1]*w>>8 + dd) >> 8)
					q[2] = uint8((fa[2] + d[2]*w>>8 + dd) >> 8)
				}
				continue
			}
			var ca, cb [3]float32
			for k := range 3 {
				ca[k] = bg[k] + ltop[i][k] + fy*(lbot[i][k]-ltop[i][k])
				cb[k] = bg[k] + ltop[j][k] + fy*(lbot[j][k]-ltop[j][k])
			}
			for x := xs; x < xe; x++ {
				fx, dd := g.xw[x], int32(dither[x&15])
				r, gr, bl := tone.fixed([3]float32{ca[0] + fx*(cb[0]-ca[0]), ca[1] + fx*(cb[1]-ca[1]), ca[2] + fx*(cb[2]-ca[2])})
				pix[3*x], pix[3*x+1], pix[3*x+2] = uint8((int32(r)+dd)>>8), uint8((int32(gr)+dd)>>8), uint8((int32(bl)+dd)>>8)
			}
		}
	}
}

// smoothStep reports whether display values a and b differ by at most
// glowSmoothStep in every channel.
func smoothStep(a, b [3]int32) bool {
	return abs32(b[0]-a[0]) <= glowSmoothStep && abs32(b[1]-a[1]) <= glowSmoothStep && abs32(b[2]-a[2]) <= glowSmoothStep
}

func abs32(v int32) int32 {
	if v < 0 {
		return -v
	}
	return v
}
