package morphfile

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/morph"
)

// Type codes, as SWC numbers them and Import3d names them.
const (
	typeSoma   = 1
	typeAxon   = 2
	typeDend   = 3
	typeApical = 4
)

// rawPoint is one point as the file gives it (µm), d the diameter.
type rawPoint struct {
	x, y, z, d float64
}

// section is one section as Import3d holds it between reading a file and
// instantiating it: its raw points, how it attaches, and its type code.
type section struct {
	pts []rawPoint
	// first is 1 when pts[0] only says where the section attaches (a
	// "wire" to its parent, or the soma centre): it is not a 3-D point of
	// the instantiated section.
	first   int
	parent  *section
	parentX float64
	typ     int
	// line is the file line of the section's first own point (its row in
	// an HDF5 file), for errors.
	line int
	// contour marks a soma outline (Neurolucida); stack holds the further
	// outlines of a soma drawn as a stack of contours, and subsidiary marks
	// those further outlines, which make no section of their own.
	contour    bool
	stack      []*section
	subsidiary bool

	removed bool // dropped by validation (see dropDegenerate)
	index   int  // position in the instantiated cell
}

// dropDegenerate marks the sections Import3d removes before instantiating:
// a non-root section with a single 3-D point, or with two points at the
// same place. Their children move to the removed section's parent, at the
// place where the removed section attached (see reattach).
func dropDegenerate(secs []*section) {
	for _, s := range secs {
		if s.parent == nil {
			continue
		}
		n := len(s.pts) - s.first
		switch {
		case n <= 1:
			s.removed = true
		case n == 2 && samePlace(s.pts[s.first], s.pts[s.first+1]):
			s.removed = true
		}
	}
}

// samePlace compares positions as hoc does, each coordinate within
// hoc's tolerance.
func samePlace(a, b rawPoint) bool {
	return math.Abs(a.x-b.x) <= hocEpsilon && math.Abs(a.y-b.y) <= hocEpsilon && math.Abs(a.z-b.z) <= hocEpsilon
}

// reattach moves the children of removed sections to the removed
// section's own attachment, as Import3d does. Parents come before their
// children in secs, so one pass settles chains of removed sections.
func reattach(secs []*section) {
	for _, s := range secs {
		if p := s.parent; p != nil && p.removed {
			s.parent, s.parentX = p.parent, p.parentX
		}
	}
}

// typeName is the NEURON name Import3d gives sections of a type code.
func typeName(t int) string {
	switch {
	case t == typeSoma:
		return "soma"
	case t == typeAxon:
		return "axon"
	case t == typeDend:
		return "dend"
	case t == typeApical:
		return "apic"
	case t < 0:
		return fmt.Sprintf("minus_%d", -t)
	}
	return fmt.Sprintf("dend_%d", t)
}

// sectionType classifies a NEURON section name as BlenderSpike's recorder
// does, so that a cell read from a file and a recording of it agree.
func sectionType(name string) string {
	switch {
	case strings.Contains(name, "apic"):
		return "apic"
	case strings.Contains(name, "dend"):
		return "dend"
	case strings.Contains(name, "axon"), strings.Contains(name, "hillock"), strings.Contains(name, "initial"):
		return "axon"
	case strings.Contains(name, "soma"):
		return "soma"
	}
	return name
}

// instantiate makes the cell NEURON's Import3d_GUI.instantiate makes from
// secs: degenerate sections dropped, one section array per type code
// created in increasing code order (soma 1, axon 2, dend 3, apic 4, other
// codes in their place), each section's 3-D points from its first own
// point on, soma outlines replaced by their centre line, and a
// single-point section drawn as a cylinder as long as it is wide along x.
func instantiate(secs []*section) (*morph.Cell, error) {
	dropDegenerate(secs)
	reattach(secs)
	return build(secs, lineName)
}

// build makes the cell from secs as Import3d_GUI.instantiate does once
// degenerate sections are gone: the sections of each type code in
// increasing code order, each type's in the order of secs, named by type.
// at names a section's position (its line field) in error messages.
func build(secs []*section, at func(int) string) (*morph.Cell, error) {
	var order []*section
	for _, s := range secs {
		if !s.removed && !s.subsidiary {
			order = append(order, s)
		}
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("no sections")
	}
	slices.SortStableFunc(order, func(a, b *section) int { return cmp.Compare(a.typ, b.typ) })
	for i, s := range order {
		s.index = i
	}
	cell := &morph.Cell{Sections: make([]morph.Section, len(order))}
	var array string
	count := 0
	for i, s := range order {
		if i == 0 || s.typ != order[i-1].typ {
			array, count = typeName(s.typ), 0
		}
		name := array + "[" + strconv.Itoa(count) + "]"
		count++
		pts, err := instantiatedPoints(s)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", at(s.line), name, err)
		}
		sec := morph.Section{ID: i, Type: sectionType(name), Name: name, Points: pts, Parent: -1}
		if s.parent != nil {
			sec.Parent, sec.ParentX = s.parent.index, s.parentX
		}
		cell.Sections[i] = sec
	}
	return cell, nil
}

func instantiatedPoints(s *section) ([]morph.Point, error) {
	raw := s.pts[s.first:]
	if s.contour {
		var err error
		if len(s.stack) > 0 {
			raw, err = stackCentroid(s)
		} else {
			raw, err = contourCentroid(raw)
		}
		if err != nil {
			return nil, err
		}
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("no 3-D points")
	}
	if len(raw) == 1 {
		p := raw[0]
		raw = []rawPoint{{p.x - p.d/2, p.y, p.z, p.d}, p, {p.x + p.d/2, p.y, p.z, p.d}}
	}
	out := make([]morph.Point, len(raw))
	for j, p := range raw {
		if !finite(p.x) || !finite(p.y) || !finite(p.z) || !finite(p.d) {
			return nil, fmt.Errorf("3-D point %d is not a finite number", j)
		}
		out[j] = morph.Point{X: p.x, Y: p.y, Z: p.z, Diam: p.d}
	}
	return out, nil
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
