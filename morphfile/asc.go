package morphfile

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// maxSomaOutlines bounds the soma outlines of a file: each becomes a
// centre line of many points, however few points it has itself.
const maxSomaOutlines = 10000

// maxSomaTreePairs bounds the work of connecting trees to somas, which
// compares every tree with every soma.
const maxSomaTreePairs = 50_000_000

// maxNesting bounds how deeply branches (and sets) may nest in an ASC file,
// so that a hostile file cannot exhaust the stack.
const maxNesting = 100000

// readASC reads a Neurolucida ASC file.
func readASC(data []byte) (*morph.Cell, error) {
	p := ascParser{lx: newLexer(data)}
	p.file()
	if p.err != nil {
		return nil, p.err
	}
	if len(p.secs) == 0 {
		return nil, fmt.Errorf("no soma outline and no tree")
	}
	secs, err := connectToSoma(p.secs)
	if err != nil {
		return nil, err
	}
	return instantiate(secs)
}

// ascParser reads an ASC file with Import3d_Neurolucida3's grammar, one
// method per production, looking up to two tokens ahead. What it keeps:
//
//   - a contour named "CellBody", "Cell Body" or "Soma" with at least
//     three points becomes a soma outline; other contours are skipped;
//   - a tree is typed by its last property: (Axon) 2, (Dendrite) 3,
//     (Apical) 4, anything else 0; each of its unbranched runs of points
//     becomes a section, which starts with a copy of its parent's last
//     point (with its own first diameter) unless its first point is
//     already there;
//   - markers and properties ("(Color Red)", "(Dot … )", "(Name …)"),
//     spines ("<( … )>"), sets, text, point labels ("S1") and branch
//     endings ("Normal", "Incomplete") are read and dropped, except that
//     a marker that opens a branch adds its points to the branch, as in
//     Import3d.
//
// Reading stops without error at the first top-level token that does not
// open an object, as Import3d's does.
type ascParser struct {
	lx            lexer
	cur, la1, la2 token
	err           error

	pts     []rawPoint
	ptLines []int
	secs    []*section
	parent  *section // the section a new branch grows from
	sectype int
	plist   [][]token // the properties read last, each its tokens
	depth   int
}

func (p *ascParser) lex() token {
	if p.err != nil {
		return token{kind: tokEOF, line: p.cur.line}
	}
	return p.lx.next()
}

// advance moves to the next token.
func (p *ascParser) advance() {
	p.cur, p.la1 = p.la1, p.la2
	if p.la1.kind != tokEOF {
		p.la2 = p.lex()
	} else {
		p.la2 = token{kind: tokEOF, line: p.la1.line}
	}
}

// fail records the first error and ends the token stream, so that every
// production returns at once.
func (p *ascParser) fail(format string, a ...any) {
	if p.err != nil {
		return
	}
	p.err = fmt.Errorf("line %d: %s", p.cur.line, fmt.Sprintf(format, a...))
	eof := token{kind: tokEOF, line: p.cur.line}
	p.cur, p.la1, p.la2 = eof, eof, eof
}

// expect fails unless the current token is of kind k.
func (p *ascParser) expect(k tokenKind) {
	if p.err == nil && p.cur.kind != k {
		p.fail("expected %s, found %s", k, p.cur.describe())
	}
}

// demand advances, then expects kind k.
func (p *ascParser) demand(k tokenKind) {
	p.advance()
	p.expect(k)
}

func (p *ascParser) optionalComma() {
	if p.cur.kind == tokComma {
		p.advance()
	}
}

func (p *ascParser) nest() bool {
	p.depth++
	if p.depth > maxNesting {
		p.fail("branches or sets nested more than %d deep", maxNesting)
		return false
	}
	return true
}

func (p *ascParser) file() {
	eof := token{kind: tokEOF, line: 1}
	p.la1, p.la2 = eof, eof
	if p.cur = p.lex(); p.cur.kind != tokEOF {
		if p.la1 = p.lex(); p.la1.kind != tokEOF {
			p.la2 = p.lex()
		}
	}
	p.objects()
}

func (p *ascParser) objects() {
	p.object()
	for p.err == nil {
		p.optionalComma()
		if p.cur.kind != tokLeft {
			break
		}
		p.object()
	}
}

func (p *ascParser) object() {
	if p.cur.kind != tokLeft {
		p.fail("expected %s opening a contour, tree, marker or property, found %s", tokLeft, p.cur.describe())
		return
	}
	switch p.la1.kind {
	case tokString:
		p.contour()
	case tokLabel:
		p.markerOrProperty()
	case tokLeft:
		p.treeOrText()
	case tokSet:
		p.set()
	default:
		p.advance()
		p.fail("expected a contour name, a tree, a marker or a property, found %s", p.cur.describe())
	}
}

func (p *ascParser) markerOrProperty() {
	if p.la2.kind == tokLeft {
		p.marker()
	} else {
		p.property()
	}
}

// treeOrText reads "( properties point string )", a text, or a tree:
// "( properties branch )". Import3d tries the text first and, failing,
// rereads the same tokens as a tree (making again any tree that a set
// among the properties holds); both start alike, so the tokens are read
// once here, which keeps reading linear in the file's size however deeply
// sets nest in properties.
func (p *ascParser) treeOrText() {
	p.expect(tokLeft)
	p.advance()
	p.parent = nil
	p.properties()
	p.sectype = 0
	if n := len(p.plist); n > 0 {
		switch p.plist[n-1][0].text {
		case "Axon":
			p.sectype = typeAxon
		case "Dendrite":
			p.sectype = typeDend
		case "Apical":
			p.sectype = typeApical
		}
	}
	begin, line := len(p.pts), p.cur.line
	p.point()
	if p.err != nil {
		return
	}
	if p.cur.kind == tokString { // a text
		p.advance()
		p.expect(tokRight)
		p.advance()
		return
	}
	p.spines()
	p.branchFrom(begin, line)
	p.expect(tokRight)
	p.advance()
	p.parent = nil
}

func (p *ascParser) properties() {
	p.plist = p.plist[:0]
	if p.cur.kind != tokLeft || (p.la1.kind != tokLabel && p.la1.kind != tokSet) {
		return
	}
	p.propertyOrSet()
	for p.err == nil {
		p.optionalComma()
		if p.cur.kind != tokLeft || (p.la1.kind != tokLabel && p.la1.kind != tokSet) {
			break
		}
		p.propertyOrSet()
	}
}

func (p *ascParser) propertyOrSet() {
	if p.la1.kind == tokLabel {
		p.property()
	} else {
		p.set()
	}
}

func (p *ascParser) property() {
	p.expect(tokLeft)
	p.demand(tokLabel)
	prop := []token{p.cur}
	p.advance()
	if isValue(p.cur.kind) {
		prop = p.values(prop)
	}
	p.expect(tokRight)
	p.advance()
	p.plist = append(p.plist, prop)
}

func isValue(k tokenKind) bool {
	return k == tokNumber || k == tokString || k == tokLabel || k == tokRGB
}

// values reads a property's values: numbers, strings, words and
// "RGB (r, g, b)" colours.
func (p *ascParser) values(prop []token) []token {
	for p.err == nil && isValue(p.cur.kind) {
		if p.cur.kind == tokRGB {
			p.demand(tokLeft)
			p.demand(tokNumber)
			p.advance()
			p.optionalComma()
			p.expect(tokNumber)
			p.advance()
			p.optionalComma()
			p.expect(tokNumber)
			p.demand(tokRight)
		} else if len(prop) < 3 { // the name and two values are all that is used
			prop = append(prop, p.cur)
		}
		p.advance()
	}
	return prop
}

func (p *ascParser) set() {
	if !p.nest() {
		return
	}
	p.expect(tokLeft)
	p.demand(tokSet)
	p.demand(tokString)
	p.advance()
	if p.cur.kind != tokRight {
		p.objects()
	}
	p.expect(tokRight)
	p.advance()
	p.depth--
}

func (p *ascParser) contour() {
	p.expect(tokLeft)
	begin := len(p.pts)
	p.demand(tokString)
	name, line := p.cur.text, p.cur.line
	p.advance()
	p.properties()
	p.points()
	if name == "CellBody" || name == "Cell Body" || name == "Soma" {
		// An outline of fewer than three points is dropped, as in Import3d.
		if end := len(p.pts); end-begin > 2 && p.err == nil {
			p.sectype = typeSoma
			if sec := p.newSection(begin, end, line); sec != nil {
				sec.contour = true
			}
		}
	}
	p.expect(tokRight)
	p.advance()
}

func (p *ascParser) marker() {
	p.expect(tokLeft)
	p.demand(tokLabel)
	p.advance()
	p.properties()
	p.points()
	p.expect(tokRight)
	p.advance()
}

// branch reads an unbranched run of points, then what ends it: markers,
// and a split into further branches or an ending word.
func (p *ascParser) branch() {
	begin, line := len(p.pts), p.cur.line
	p.treePoint()
	p.branchFrom(begin, line)
}

// branchFrom goes on with a branch whose first tree point, from begin on,
// has been read.
func (p *ascParser) branchFrom(begin, line int) {
	if !p.nest() {
		return
	}
	saved := p.parent
	for p.err == nil {
		p.optionalComma()
		if p.cur.kind != tokLeft || p.la1.kind != tokNumber {
			break
		}
		p.treePoint()
	}
	if p.err != nil {
		return
	}
	sec := p.newSection(begin, len(p.pts), line)
	if sec == nil {
		return
	}
	sec.parent = p.parent
	p.parent = sec
	p.branchEnd()
	p.parent = saved
	p.depth--
}

// newSection makes the section of points begin…end−1, prefixed by its
// parent's last point when the run does not start there.
func (p *ascParser) newSection(begin, end, line int) *section {
	if end == begin {
		p.fail("a branch without points (from line %d)", line)
		return nil
	}
	if len(p.secs) >= MaxSections {
		p.fail("more than %d sections", MaxSections)
		return nil
	}
	sec := &section{typ: p.sectype, parentX: 1, line: p.ptLines[begin]}
	own := p.pts[begin:end]
	if p.parent != nil {
		last := p.parent.pts[len(p.parent.pts)-1]
		if !samePlace(last, own[0]) {
			last.d = own[0].d
			sec.pts = append(make([]rawPoint, 0, len(own)+1), last)
		}
	}
	sec.pts = append(sec.pts, own...)
	p.secs = append(p.secs, sec)
	return sec
}

func (p *ascParser) treePoint() {
	if p.la1.kind == tokLabel {
		p.markerOrProperty()
		return
	}
	p.point()
	p.spines()
}

// spines reads the spines that follow a point.
func (p *ascParser) spines() {
	for p.err == nil && p.cur.kind == tokSpineIn {
		p.spine()
	}
}

// spine reads "<( properties ) point >"; spines make no sections.
func (p *ascParser) spine() {
	p.expect(tokSpineIn)
	p.advance()
	p.properties()
	if len(p.plist) > 0 && p.plist[0][0].text == "Class" && len(p.plist[0]) < 3 {
		p.fail("a spine's (Class) needs a number and a name")
		return
	}
	p.expect(tokLeft)
	p.demand(tokNumber)
	p.advance()
	p.optionalComma()
	p.expect(tokNumber)
	p.advance()
	var z, d float64
	p.optionalZ(&z, &d)
	p.expect(tokRight)
	p.advance()
	p.expect(tokSpineOut)
	p.advance()
}

func (p *ascParser) branchEnd() {
	p.optionalComma()
	if p.cur.kind == tokLeft {
		for p.err == nil && p.la1.kind == tokLabel {
			p.skipMarker()
		}
	}
	p.optionalComma()
	switch p.cur.kind {
	case tokLeft:
		p.advance()
		p.branch()
		for p.err == nil && p.cur.kind == tokBar {
			p.advance()
			p.branch()
		}
		p.expect(tokRight)
		p.advance()
	case tokLabel: // Normal, Incomplete, Low, High, Generated, …
		p.advance()
	}
}

// skipMarker skips a parenthesised marker list, whatever it holds.
func (p *ascParser) skipMarker() {
	p.expect(tokLeft)
	for open := 1; open > 0 && p.err == nil; {
		p.advance()
		switch p.cur.kind {
		case tokLeft:
			open++
		case tokRight:
			open--
		case tokEOF:
			p.fail("end of file inside a marker")
		}
	}
	p.advance()
}

func (p *ascParser) points() {
	p.point()
	for p.err == nil {
		p.optionalComma()
		if p.cur.kind != tokLeft {
			break
		}
		p.point()
	}
}

// point reads "(x y [z [d [label] [bezier]]])", commas allowed between.
func (p *ascParser) point() {
	p.expect(tokLeft)
	p.demand(tokNumber)
	x, line := p.cur.num, p.cur.line
	p.advance()
	p.optionalComma()
	p.expect(tokNumber)
	y := p.cur.num
	p.advance()
	var z, d float64
	p.optionalZ(&z, &d)
	if p.err != nil {
		return
	}
	p.pts = append(p.pts, rawPoint{x, y, z, d})
	p.ptLines = append(p.ptLines, line)
	p.expect(tokRight)
	p.advance()
}

func (p *ascParser) optionalZ(z, d *float64) {
	p.optionalComma()
	if p.cur.kind != tokNumber {
		return
	}
	*z = p.cur.num
	p.advance()
	p.optionalComma()
	if p.cur.kind != tokNumber {
		return
	}
	*d = p.cur.num
	p.advance()
	p.optionalComma()
	if p.cur.kind == tokLabel {
		p.advance()
	}
	p.optionalComma()
	if p.cur.kind == tokLeft { // a Bézier control point: four numbers
		p.demand(tokNumber)
		for range 3 {
			p.advance()
			p.optionalComma()
			p.expect(tokNumber)
		}
		p.demand(tokRight)
		p.advance()
	}
}

// connectToSoma attaches the trees to the soma as Import3d does: soma
// outlines go first; consecutive outlines whose x-y bounding boxes overlap
// form one soma (a stack of contours); a tree whose first point lies in a
// soma's x-y bounding box (widened by 0.5 µm for a single outline) grows
// from that soma's centre, and any other tree from the nearest centre.
// The centre is only a logical connection: the tree's 3-D points start at
// its own first point. Without a soma, trees stay unconnected.
func connectToSoma(secs []*section) ([]*section, error) {
	ordered := make([]*section, 0, len(secs))
	for _, s := range secs {
		if s.contour {
			ordered = append(ordered, s)
		}
	}
	if len(ordered) > maxSomaOutlines {
		return nil, fmt.Errorf("more than %d soma outlines", maxSomaOutlines)
	}
	var somas []*section
	var prevBox [4]float64
	for i, s := range ordered {
		box := xyBox(s)
		if i > 0 && boxesMeet(prevBox, box) {
			head := somas[len(somas)-1]
			head.stack = append(head.stack, s)
			s.subsidiary = true
		} else {
			somas = append(somas, s)
		}
		prevBox = box
	}
	var roots []*section
	for _, s := range secs {
		if !s.contour {
			ordered = append(ordered, s)
			if s.parent == nil {
				roots = append(roots, s)
			}
		}
	}
	if len(somas) == 0 {
		return ordered, nil
	}
	if len(somas)*len(roots) > maxSomaTreePairs {
		return nil, fmt.Errorf("%d somas and %d trees: too many to connect", len(somas), len(roots))
	}
	centres := make([][3]float64, len(somas))
	for k, soma := range somas {
		var box [4]float64
		var err error
		if len(soma.stack) > 0 {
			centres[k], err = stackCentre(soma)
			box = xyBox(soma)
			for _, c := range soma.stack {
				b := xyBox(c)
				box = [4]float64{min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])}
			}
		} else {
			centres[k], err = outlineCentre(soma.pts)
			b := xyBox(soma)
			box = [4]float64{b[0] - .5, b[1] - .5, b[2] + .5, b[3] + .5}
		}
		if err != nil {
			return nil, fmt.Errorf("line %d: soma outline: %w", soma.line, err)
		}
		left := roots[:0]
		for _, r := range roots {
			if x, y := r.pts[0].x, r.pts[0].y; x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3] {
				growFrom(r, soma, centres[k])
			} else {
				left = append(left, r)
			}
		}
		roots = left
	}
	for _, r := range roots {
		best, dmin := 0, 1e9
		for k, c := range centres {
			if d := dist(r.pts[0], rawPoint{x: c[0], y: c[1], z: c[2]}); d < dmin-hocEpsilon {
				best, dmin = k, d
			}
		}
		growFrom(r, somas[best], centres[best])
	}
	return ordered, nil
}

// growFrom attaches root r to the middle of soma through a logical
// connection at centre c.
func growFrom(r, soma *section, c [3]float64) {
	r.parent, r.parentX = soma, .5
	r.pts = append([]rawPoint{{c[0], c[1], c[2], .01}}, r.pts...)
	r.first = 1
}

// xyBox is the x-y bounding box of a section's points: x0, y0, x1, y1.
func xyBox(s *section) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for _, p := range s.pts {
		b = [4]float64{min(b[0], p.x), min(b[1], p.y), max(b[2], p.x), max(b[3], p.y)}
	}
	return b
}

// boxesMeet compares with hoc's tolerance, as Import3d does.
func boxesMeet(a, b [4]float64) bool {
	e := hocEpsilon
	return !(a[0] > b[2]+e || b[0] > a[2]+e || a[1] > b[3]+e || b[1] > a[3]+e)
}
