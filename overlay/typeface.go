package overlay

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Typographic characters the annotations use.
const (
	minus     = '\u2212' // a real minus sign, as wide as a digit
	thinSpace = '\u2009' // between a number and its unit
)

// thinSpaceEm is the thin space's width in ems; Go Regular has no glyph
// for it, so it is laid out as a gap.
const thinSpaceEm = 1.0 / 6

// goRegular is the embedded typeface, parsed once.
var goRegular = sync.OnceValues(func() (*opentype.Font, error) {
	return opentype.Parse(goregular.TTF)
})

// CheckText reports the first character of s that the typeface cannot
// draw (a control character, or a script Go Regular does not cover).
func CheckText(s string) error {
	f, err := goRegular()
	if err != nil {
		return fmt.Errorf("typeface: %w", err)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%q is not valid UTF-8", s)
	}
	var buf sfnt.Buffer
	for _, r := range s {
		if r == thinSpace {
			continue
		}
		if r < ' ' || r == 0x7f {
			return fmt.Errorf("control character %U is not allowed", r)
		}
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return fmt.Errorf("character %q (%U) is not in the typeface", r, r)
		}
	}
	return nil
}

// face is the typeface at one pixel size, with the masks of the glyphs it
// has drawn so far. It is safe for concurrent use.
type face struct {
	size            float64 // em in pixels
	ascent, descent int     // pixels above and below the baseline, rounded up
	capHeight       float64 // height of capitals and digits in pixels
	mu              sync.Mutex
	face            font.Face // not safe for concurrent use: guarded by mu
	glyphs          map[glyphKey]glyph
}

// phases is how many horizontal positions within a pixel glyphs are drawn
// at: a quarter pixel keeps the spacing of small type even.
const phases = 4

// glyphKey is a character drawn at a phase: the pen phase/phases of a
// pixel right of a pixel edge.
type glyphKey struct {
	r     rune
	phase int
}

// glyph is one character's mask, placed relative to a pen on the baseline
// at (0, 0) (at its phase), its halo, and how far it moves the pen.
type glyph struct {
	mask, halo *image.Alpha
	advance    fixed.Int26_6
}

// newFace makes the typeface at size pixels per em.
func newFace(size float64) (*face, error) {
	f, err := goRegular()
	if err != nil {
		return nil, fmt.Errorf("typeface: %w", err)
	}
	ff, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("typeface at %g px: %w", size, err)
	}
	m := ff.Metrics()
	return &face{
		size:      size,
		ascent:    m.Ascent.Ceil(),
		descent:   m.Descent.Ceil(),
		capHeight: float64(m.CapHeight) / 64,
		face:      ff,
		glyphs:    map[glyphKey]glyph{},
	}, nil
}

// lineHeight is the height of a line of text in pixels.
func (f *face) lineHeight() int { return f.ascent + f.descent }

// glyph returns r's glyph at a phase, drawing and keeping it the first
// time.
func (f *face) glyph(r rune, phase int) glyph {
	f.mu.Lock()
	defer f.mu.Unlock()
	key := glyphKey{r, phase}
	if g, ok := f.glyphs[key]; ok {
		return g
	}
	var g glyph
	if r == thinSpace {
		g.advance = fixed.Int26_6(math.Round(f.size * thinSpaceEm * 64))
	} else {
		dot := fixed.Point26_6{X: fixed.Int26_6(phase * 64 / phases)}
		dr, mask, mp, adv, ok := f.face.Glyph(dot, r)
		g.advance = adv
		if ok && !dr.Empty() {
			// The face reuses its mask buffer: keep a copy.
			g.mask = image.NewAlpha(dr)
			draw.Draw(g.mask, dr, mask, mp, draw.Src)
			g.halo = halo(g.mask, haloRadius(f.size))
		}
	}
	f.glyphs[key] = g
	return g
}

// width is the advance of s in whole pixels.
func (f *face) width(s string) int {
	var w fixed.Int26_6
	for _, r := range s {
		w += f.glyph(r, 0).advance
	}
	return w.Ceil()
}

// draw writes s into mask with the pen starting at (x, baseline), each
// glyph placed to a quarter pixel, so that the same text always gives the
// same pixels wherever it is drawn.
func (f *face) draw(mask *image.Alpha, s string, x, baseline int) {
	f.each(s, x, baseline, func(g glyph, at image.Point) {
		draw.Draw(mask, g.mask.Rect.Add(at), g.mask, g.mask.Rect.Min, draw.Over)
	})
}

// drawHalo writes the halo of s, drawn as draw would, into mask: the
// glyphs' own halos, combined by taking the larger coverage. It costs a
// copy per glyph, for text that changes every frame.
func (f *face) drawHalo(mask *image.Alpha, s string, x, baseline int) {
	f.each(s, x, baseline, func(g glyph, at image.Point) {
		r := g.halo.Rect.Add(at).Intersect(mask.Rect)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			src := g.halo.Pix[g.halo.PixOffset(r.Min.X-at.X, y-at.Y):]
			dst := mask.Pix[mask.PixOffset(r.Min.X, y):]
			for i := range r.Dx() {
				dst[i] = max(dst[i], src[i])
			}
		}
	})
}

// haloReach is how far a halo reaches beyond its glyph, in pixels.
func (f *face) haloReach() int { return haloRadius(f.size) + 1 }

// each calls fn with every visible glyph of s and where its origin goes.
func (f *face) each(s string, x, baseline int, fn func(g glyph, at image.Point)) {
	var pen fixed.Int26_6
	const quarter = 64 / phases
	for _, r := range s {
		q := (pen + quarter/2) / quarter // the pen in quarter pixels
		g := f.glyph(r, int(q%phases))
		if g.mask != nil {
			fn(g, image.Pt(x+int(q/phases), baseline))
		}
		pen += g.advance
	}
}
