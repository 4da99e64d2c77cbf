package morphfile

import (
	"fmt"
	"math"
	"slices"
)

// sample is one point of a morphology stored as a tree of points, each
// naming its parent: an SWC line. Any format that stores such a tree can
// hand its points to treeSections and get Import3d's sections.
type sample struct {
	id, parent int64 // parent < 0 for a root
	typ        int
	p          rawPoint
	line       int // where the sample is in its file, for errors
}

// treeSections makes the sections NEURON's Import3d_SWC_read makes from a
// tree of samples:
//
//   - samples are taken in increasing id order; every parent must have a
//     smaller id than its children (Import3d refuses the file otherwise);
//   - a section is an unbranched run of samples of one type: it ends at a
//     branch point, a leaf or where the type changes, except that
//     consecutive soma samples stay in one section unless a soma sample
//     has several soma children;
//   - every section but the first starts with a copy of its parent
//     sample; if that parent is a soma sample and the section is not, the
//     copy takes the diameter of the section's own first sample;
//   - a neurite attached to a single-sample soma, or to the middle of a
//     soma, attaches at 0.5 and its copied first point only marks where
//     (a "wire"), unless the neurite has a single sample;
//   - a three-sample soma in NeuroMorpho.org's form (a centre and two
//     samples at ± one radius, all three of the same diameter, nothing
//     attached to the outer two) is read as a single-sample sphere;
//   - a further root (parent −1) attaches to the first sample, as
//     Import3d's index arithmetic makes it do.
//
// at names a sample's position (its line) in error messages.
func treeSections(samples []sample, at func(pos int) string) ([]*section, error) {
	n := len(samples)
	if n == 0 {
		return nil, fmt.Errorf("no samples")
	}
	for _, s := range samples {
		if s.parent >= s.id {
			return nil, fmt.Errorf("%s: parent %d is not less than id %d (Import3d needs every parent to have a smaller id than its children)", at(s.line), s.parent, s.id)
		}
	}
	if !slices.IsSortedFunc(samples, bySampleID) {
		samples = slices.Clone(samples)
		slices.SortStableFunc(samples, bySampleID)
	}
	index := make(map[int64]int, n)
	for i, s := range samples {
		if j, dup := index[s.id]; dup {
			return nil, fmt.Errorf("%s: id %d repeats the id of %s", at(s.line), s.id, at(samples[j].line))
		}
		index[s.id] = i
	}
	t := tree{s: samples, pix: make([]int, n)}
	for i, s := range samples {
		t.pix[i] = -1
		if s.parent < 0 {
			continue
		}
		j, ok := index[s.parent]
		switch {
		case ok:
			t.pix[i] = j
		case i > 0:
			return nil, fmt.Errorf("%s: parent %d does not exist", at(s.line), s.parent)
		}
		// The first sample's missing parent makes it a root, as in Import3d.
	}
	t.markBranches()
	t.sectionify()
	if last := t.secOf[n-1]; last >= MaxSections {
		return nil, fmt.Errorf("more than %d sections", MaxSections)
	}
	return t.sections(), nil
}

func bySampleID(a, b sample) int {
	switch {
	case a.id < b.id:
		return -1
	case a.id > b.id:
		return 1
	}
	return 0
}

// tree holds Import3d's bookkeeping while it cuts samples into sections.
type tree struct {
	s   []sample
	pix []int // parent sample index, −1 for a root
	// nchild counts a sample's children, 1 for a child that follows it,
	// 1.01 for one elsewhere in the file, plus 0.01 if a child's type
	// differs: a sample continues its section exactly when nchild is 1.
	nchild []float64
	// toProximal marks samples that attach to the proximal end of their
	// parent's section (a branch off the first point of a neurite that a
	// wire joins to the soma).
	toProximal []bool
	somaKids   []int // soma children of each soma sample
	sphere     bool  // the three-sample soma is read as a sphere
	secOf      []int // section index of each sample
}

// at reads index i as Import3d does: its vectors take index −1 as 0.
func at(i int) int { return max(i, 0) }

func (t *tree) typ(i int) int { return t.s[i].typ }

// markBranches counts children and marks section ends at type changes.
func (t *tree) markBranches() {
	n := len(t.s)
	t.nchild = make([]float64, n)
	t.toProximal = make([]bool, n)
	for i := range n {
		p := t.pix[i]
		if p < 0 {
			continue
		}
		t.nchild[p]++
		if p != i-1 {
			t.nchild[p] += .01
			switch {
			case p > 1:
				if t.typ(p) != typeSoma && t.typ(at(t.pix[p])) == typeSoma {
					t.toProximal[i] = true
					t.nchild[p] = 1
				}
			case p == 0:
				if t.typ(p) != typeSoma {
					t.toProximal[i] = true
					t.nchild[p] = 1
				}
			}
		}
		if t.typ(p) != t.typ(i) {
			t.nchild[p] += .01
		}
	}
}

// sectionify assigns every sample to its section.
func (t *tree) sectionify() {
	n := len(t.s)
	t.somaKids = make([]int, n)
	nsoma := 0
	if t.typ(0) == typeSoma {
		nsoma++
	}
	for i := 1; i < n; i++ {
		if t.typ(i) != typeSoma {
			continue
		}
		nsoma++
		if p := t.pix[i]; p >= 0 && t.typ(p) == typeSoma {
			t.somaKids[p]++
		}
	}
	if nsoma == 3 {
		t.sphere = t.threePointSoma()
	}
	for i := 0; i < n-1; i++ {
		if t.typ(i) == typeSoma && t.typ(i+1) == typeSoma && t.pix[i+1] == i {
			if i == 0 || t.somaKids[i] <= 1 {
				t.nchild[i] = 1
			}
		}
	}
	t.secOf = make([]int, n)
	si := 0
	for i := range n {
		t.secOf[i] = si
		if math.Abs(t.nchild[i]-1) > hocEpsilon { // i ends its section
			si++
		}
	}
}

// threePointSoma reports NeuroMorpho.org's three-sample soma: samples 1
// and 2 children of sample 0 with nothing attached to them, all three of
// one diameter, and their distances from sample 0 adding up to that
// diameter within 1% (comparisons within hoc's tolerance). It then chains sample 2 to sample 1 so that the
// three make one section, of which only the centre is kept.
func (t *tree) threePointSoma() bool {
	if t.pix[1] != 0 || t.pix[2] != 0 || t.nchild[1] != 0 || t.nchild[2] != 0 {
		return false
	}
	d := t.s[0].p.d
	if math.Abs(t.s[1].p.d-d) > hocEpsilon || math.Abs(t.s[2].p.d-d) > hocEpsilon {
		return false
	}
	length := dist(t.s[1].p, t.s[0].p) + dist(t.s[2].p, t.s[0].p)
	if !(math.Abs(length/d-1) < .01-hocEpsilon) {
		return false
	}
	t.pix[2] = 1
	return true
}

func dist(a, b rawPoint) float64 {
	return math.Sqrt((a.x-b.x)*(a.x-b.x) + (a.y-b.y)*(a.y-b.y) + (a.z-b.z)*(a.z-b.z))
}

// sections makes one section per run of samples.
func (t *tree) sections() []*section {
	n := len(t.s)
	var secs []*section
	var ids []int // sample index of each section's first own sample
	first := 0
	for i := 1; i <= n; i++ {
		if i < n && t.secOf[i] == t.secOf[first] {
			continue
		}
		secs = append(secs, t.section(secs, ids, first, i))
		ids = append(ids, first)
		first = i
	}
	return secs
}

// section makes the section of samples first…end−1, given the sections
// made so far and their first samples.
func (t *tree) section(secs []*section, ids []int, first, end int) *section {
	sec := &section{parentX: 1, typ: t.typ(first), line: t.s[first].line}
	if len(secs) == 0 { // the root section
		if t.sphere {
			end = 1
		}
		for i := first; i < end; i++ {
			sec.pts = append(sec.pts, t.s[i].p)
		}
		return sec
	}
	pp := t.pix[first] // −1 for a further root
	pi := t.secOf[at(pp)]
	psec, pid := secs[pi], ids[pi]
	sec.parent = psec
	own := end - first
	neuriteOnSoma := psec.typ == typeSoma && t.typ(first) != typeSoma
	handled := false
	if pi == 0 {
		handled = true
		switch {
		case neuriteOnSoma && len(psec.pts) == 1: // single-point soma
			sec.parentX = .5
			if own > 1 {
				sec.first = 1
			}
		case pp == pid: // the root's first point
			sec.parentX = 0
			if t.typ(first) != typeSoma && t.somaKids[at(pp)] > 1 {
				sec.first = 1
			}
		default:
			handled = false
		}
	}
	if !handled && psec.typ == typeSoma {
		last := pid + len(psec.pts) - 2
		if pid == 0 {
			last = pid + len(psec.pts) - 1
		}
		switch {
		case pp < last: // the middle of a soma
			sec.parentX = .5
			if neuriteOnSoma && own > 1 {
				sec.first = 1
			}
		case own > 1 && t.somaKids[at(pp)] > 1 && t.typ(first) != typeSoma:
			sec.first = 1
		}
	}
	sec.pts = make([]rawPoint, 0, own+1)
	sec.pts = append(sec.pts, t.s[at(pp)].p)
	for i := first; i < end; i++ {
		sec.pts = append(sec.pts, t.s[i].p)
	}
	if psec.typ == typeSoma && sec.typ != typeSoma {
		sec.pts[0].d = sec.pts[1].d
	}
	if t.toProximal[first] {
		sec.parentX = 0
	}
	return sec
}
