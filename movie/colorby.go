package movie

import (
	"math"
	"slices"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// What a cell can be coloured by (Options.ColorBy).
const (
	ByVoltage  = "voltage"  // the recording, through the colormap
	ByType     = "type"     // soma, axon, basal and apical dendrites, other: TypeColors
	ByDistance = "distance" // path distance from the soma (µm), through the colormap
	ByColor    = "color"    // one colour, Options.Color
	ByCategory = "category" // each cell's Category: CategoryColors
)

// CategoryColors are the colours of ByCategory, given to the cells'
// categories in their sorted order and used again from the start when
// there are more categories: Okabe and Ito's palette, then lighter and
// darker tones of it.
var CategoryColors = [][3]uint8{
	{230, 159, 0}, {86, 180, 233}, {0, 158, 115}, {240, 228, 66},
	{0, 114, 178}, {213, 94, 0}, {204, 121, 167}, {230, 230, 230},
	{255, 205, 120}, {160, 215, 245}, {90, 210, 170}, {255, 170, 130},
}

// categoryColour is the colour of category i.
func categoryColour(i int) [3]uint8 { return CategoryColors[i%len(CategoryColors)] }

// TypeColors are the colours of ByType, in the order of TypeNames:
// Okabe and Ito's palette, told apart with every common colour blindness.
var TypeColors = [][3]uint8{
	{230, 159, 0},   // soma: orange
	{86, 180, 233},  // axon: sky blue
	{0, 158, 115},   // basal dendrites: bluish green
	{204, 121, 167}, // apical dendrites: reddish purple
	{240, 228, 66},  // other: yellow
}

// TypeNames name the classes of ByType.
var TypeNames = []string{"soma", "axon", "basal", "apical", "other"}

// typeClass is the ByType class of a section type.
func typeClass(t string) int {
	switch t {
	case "soma":
		return 0
	case "axon":
		return 1
	case "dend":
		return 2
	case "apic":
		return 3
	}
	return 4
}

// distanceSegments is how many values a section's path distance is
// sampled at for ByDistance (linear along the section, so the samples only
// bound how flat its ends stay).
const distanceSegments = 8

// coloring returns the per-section values to shade and the table that
// colours them: the recording and the colormap for ByVoltage, or one frame
// of values made from the morphology (or, for ByCategory, the index of
// the cell's category) for the other choices.
func (o Options) coloring(cell *morph.Cell, rec *voltage.Recording, category int) (*voltage.Recording, error) {
	switch o.ColorBy {
	case ByVoltage:
		if rec == nil {
			return nil, bad("color-by", ByVoltage, "a morphology without a recording has no voltage: colour it by type, distance or one colour")
		}
		return rec, nil
	case ByType:
		return perSection(cell, func(i int) []float32 { return []float32{float32(typeClass(cell.Sections[i].Type))} }), nil
	case ByDistance:
		dist := pathDistances(cell)
		return perSection(cell, func(i int) []float32 {
			v := make([]float32, distanceSegments)
			for k := range v {
				v[k] = float32(math.Abs(dist[i].at((float64(k) + 0.5) / distanceSegments)))
			}
			return v
		}), nil
	case ByColor:
		return perSection(cell, func(int) []float32 { return []float32{0} }), nil
	case ByCategory:
		return perSection(cell, func(int) []float32 { return []float32{float32(category)} }), nil
	}
	return nil, o.validateColoring()
}

// fixedTable is the colour table of the colourings that use no colormap,
// with the limits that spread it over their values (ByCategory's over
// categories values); ok is false for those that use the colormap.
func (o Options) fixedTable(categories int) (lut *colormap.LUT, ok bool, err error) {
	switch o.ColorBy {
	case ByCategory:
		table := make([][3]uint8, max(1, categories))
		for i := range table {
			table[i] = categoryColour(i)
		}
		lut, err = colormap.NewLUTFromTable(table, -0.5, float64(len(table))-0.5)
	case ByType:
		lut, err = colormap.NewLUTFromTable(TypeColors, -0.5, float64(len(TypeColors))-0.5)
	case ByColor:
		lut, err = colormap.NewLUTFromTable([][3]uint8{o.Color}, -1, 1)
	default:
		return nil, false, nil
	}
	return lut, true, err
}

// categoriesOf lists the cells' distinct categories, sorted, and the
// index of each cell's among them.
func categoriesOf(cells []Cell) (names []string, index []int) {
	for _, c := range cells {
		names = append(names, c.Category)
	}
	slices.Sort(names)
	names = slices.Compact(names)
	index = make([]int, len(cells))
	for i, c := range cells {
		index[i], _ = slices.BinarySearch(names, c.Category)
	}
	return names, index
}

// perSection makes a one-frame recording with values(i) for section i.
func perSection(cell *morph.Cell, values func(i int) []float32) *voltage.Recording {
	rec := &voltage.Recording{Frames: 1, Traces: make([]voltage.Trace, len(cell.Sections))}
	for i := range cell.Sections {
		v := values(i)
		rec.Traces[i] = voltage.Trace{NSeg: len(v), Values: v}
	}
	return rec
}

// span is a section's path distance from the soma at its two ends.
type span struct{ start, end float64 }

// at is the path distance at arc-length share x of the section.
func (s span) at(x float64) float64 { return s.start + x*(s.end-s.start) }

// pathDistances returns each section's path distance from the soma's
// centre (µm, along the tree) at its ends, signed on a soma section (its
// centre is 0, its ends ∓ half its length). With the recorded tree
// (Parent, ParentX) distances add up along it; a section with no parent
// starts at its straight-line distance from the soma's centre. Parents
// must come before their children, as NEURON and the readers order them;
// a parent that does not is treated as absent.
func pathDistances(cell *morph.Cell) []span {
	centre := morph.SomaCenter(cell)
	out := make([]span, len(cell.Sections))
	for i := range cell.Sections {
		s := &cell.Sections[i]
		var start float64
		switch {
		case s.Type == "soma":
			// The soma's centre is the origin of distance; its ends lie
			// half its length away.
			start = -s.Length() / 2
		case s.Parent >= 0 && s.Parent < i:
			start = out[s.Parent].at(s.ParentX)
			if cell.Sections[s.Parent].Type == "soma" {
				start = math.Abs(start)
			}
		default:
			p := s.Points[0]
			start = math.Sqrt(sq(p.X-centre.X) + sq(p.Y-centre.Y) + sq(p.Z-centre.Z))
		}
		out[i] = span{start, start + s.Length()}
	}
	return out
}

func sq(x float64) float64 { return x * x }
