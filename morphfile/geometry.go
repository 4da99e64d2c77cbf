package morphfile

import (
	"fmt"
	"strings"

	"github.com/spikeframes/spikeframes/morph"
)

// ApplyGeometry gives a recording's cell the geometry of the cell read
// from a morphology file: it returns a copy of recorded whose sections
// have the 3-D points of file's sections, index by index (the slices are
// shared with file). The recording
// keeps its sections' IDs, types and names; it takes file's names where it
// has none, and file's attachments (parent and where on it) when it
// records none for any section.
//
// The two must list the same sections, as NEURON instantiates the file
// for a simulation: as many, of the same type at every index (soma, axon,
// dend, apic or the raw name, as the recording classifies them), and of
// the same name wherever the recording names a section (a name may carry
// the cell's prefix, as in "Cell[0].soma[0]"). Otherwise the error names
// the first difference.
func ApplyGeometry(recorded, file *morph.Cell) (*morph.Cell, error) {
	rs, fs := recorded.Sections, file.Sections
	for i := range min(len(rs), len(fs)) {
		r, f := rs[i], fs[i]
		if r.Type != f.Type {
			return nil, fmt.Errorf("section %d is %s in the recording, %s in the morphology file (%s)%s",
				i, describe(r), f.Type, f.Name, countNote(len(rs), len(fs)))
		}
		if r.Name != "" && r.Name != f.Name && !strings.HasSuffix(r.Name, "."+f.Name) {
			return nil, fmt.Errorf("section %d is %s in the recording, %s in the morphology file%s",
				i, r.Name, f.Name, countNote(len(rs), len(fs)))
		}
	}
	if len(rs) != len(fs) {
		return nil, fmt.Errorf("the recording has %d sections (%s), the morphology file %d (%s): %s",
			len(rs), typeCounts(rs), len(fs), typeCounts(fs), extra(rs, fs))
	}
	attached := false
	for _, r := range rs {
		attached = attached || r.Parent >= 0
	}
	out := &morph.Cell{Sections: make([]morph.Section, len(rs))}
	for i, r := range rs {
		f := fs[i]
		r.Points = f.Points
		if r.Name == "" {
			r.Name = f.Name
		}
		if !attached {
			r.Parent, r.ParentX = f.Parent, f.ParentX
		}
		out.Sections[i] = r
	}
	return out, nil
}

// describe names a recorded section by type and, when it has one, name.
func describe(s morph.Section) string {
	if s.Name != "" {
		return fmt.Sprintf("%s (%s)", s.Type, s.Name)
	}
	return s.Type
}

// countNote adds the section counts to a message when they differ too.
func countNote(nr, nf int) string {
	if nr == nf {
		return ""
	}
	return fmt.Sprintf("; the recording has %d sections, the file %d", nr, nf)
}

// extra says which sections one list has past the end of the other.
func extra(rs, fs []morph.Section) string {
	var more []morph.Section
	who := "the file"
	if len(rs) > len(fs) {
		more, who = rs[len(fs):], "the recording"
	} else {
		more = fs[len(rs):]
	}
	first := more[0]
	name := first.Name
	if name == "" {
		name = first.Type
	}
	return fmt.Sprintf("%s goes on from section %d with %s (%s)", who, min(len(rs), len(fs)), name, typeCounts(more))
}

// typeCounts lists how many sections of each type, in order of first
// appearance, the first few types only: "soma 1, axon 95, dend 83".
func typeCounts(secs []morph.Section) string {
	const most = 6
	var order []string
	count := map[string]int{}
	for _, s := range secs {
		if count[s.Type] == 0 {
			order = append(order, s.Type)
		}
		count[s.Type]++
	}
	parts := make([]string, 0, min(len(order), most)+1)
	for i, t := range order {
		if i == most {
			parts = append(parts, fmt.Sprintf("%d more types", len(order)-most))
			break
		}
		parts = append(parts, fmt.Sprintf("%s %d", t, count[t]))
	}
	return strings.Join(parts, ", ")
}
