package morphfile

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/spikeframes/spikeframes/hdf5"
	"github.com/spikeframes/spikeframes/morph"
)

// BBP HDF5 morphologies (the Blue Brain Project's .h5 files).
//
// Layout v1: a dataset "points", one row per point (x, y, z, diameter),
// and a dataset "structure", one row per section (index of its first
// point, type, index of its parent section, −1 for none). A section's
// points run from its first point to the next section's first point. The
// first row may be the soma (type 1), whose points are its outline; every
// other section is a neurite, and a child's first point repeats its
// parent's last. Version 1.1 adds a "metadata" group and "perimeters",
// which NEURON has no use for and which are not read.
//
// Layout v2 (older, written by BBP's Brion): the same points and sections
// under "neuron1", split into neuron1/<stage>/points,
// neuron1/structure/<stage> (first point, parent) and
// neuron1/structure/sectiontype, for the stages "repaired", "unraveled"
// and "raw"; the most finished stage in the file is read, and "unraveled"
// shares the structure of "raw".
//
// NEURON 8.2's Import3d reads no HDF5. BBP's tools instantiate these files
// in NEURON through MorphIO in NEURON order, and this reader makes the
// same cell: the soma outline turned into a centre line as Import3d turns
// an ASC soma outline, the neurites' points as stored, trees attached to
// the middle of the soma, sections created type by type (axon, dend, apic,
// then other codes) and, within a type, tree by tree in file order and
// depth first through each tree.

// maxH5Points bounds the points an HDF5 morphology may have, checked
// before they are read: far more than any cell has, and it bounds memory,
// since compressed points take little room in the file.
const maxH5Points = 8 << 20

// h5ReadLimit is the largest buffer one dataset read may take: the
// points at most, as float64.
const h5ReadLimit = maxH5Points * 4 * 8

// hdf5Signature starts every HDF5 file, at offset 0 or after a user block
// of 512, 1024, 2048, … bytes.
var hdf5Signature = []byte("\x89HDF\r\n\x1a\n")

// isHDF5 reports whether head, the start of a file, holds the HDF5
// signature where libhdf5 looks for it.
func isHDF5(head []byte) bool {
	for off := 0; off+len(hdf5Signature) <= len(head); off = max(2*off, 512) {
		if bytes.Equal(head[off:off+len(hdf5Signature)], hdf5Signature) {
			return true
		}
	}
	return false
}

// h5Row is one row of a structure dataset: one section.
type h5Row struct {
	first, typ, parent int64
}

// h5Data is what a BBP HDF5 file says about a cell, before any checking:
// points as rows of x, y, z, diameter, and one row per section.
type h5Data struct {
	points []float64
	rows   []h5Row
	// structure names the structure dataset in error messages.
	structure string
}

// readH5 reads a BBP HDF5 morphology held in data.
func readH5(data []byte) (*morph.Cell, error) {
	f, err := hdf5.NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	f.SetReadLimit(h5ReadLimit)
	f.SetChunkCache(0) // every dataset is read once, whole
	d, err := readH5Data(f.Root())
	if err != nil {
		return nil, err
	}
	return d.cell()
}

// cell checks the file's points and sections and makes the cell.
func (d *h5Data) cell() (*morph.Cell, error) {
	secs, err := h5Sections(d)
	if err != nil {
		return nil, err
	}
	return build(secs, d.row)
}

// row names structure row i in error messages.
func (d *h5Data) row(i int) string { return fmt.Sprintf("%s[%d]", d.structure, i) }

// readH5Data reads the points and sections of either layout.
func readH5Data(root *hdf5.Group) (*h5Data, error) {
	members := root.Members()
	switch {
	case slices.Contains(members, "points") && slices.Contains(members, "structure"):
		return readH5v1(root)
	case slices.Contains(members, "neuron1"):
		return readH5v2(root)
	}
	return nil, errors.New("an HDF5 file without a BBP morphology's datasets (points and structure, or the v2 layout's neuron1 group)")
}

func readH5v1(root *hdf5.Group) (*h5Data, error) {
	if slices.Contains(root.Members(), "metadata") {
		if err := checkH5Version(root); err != nil {
			return nil, err
		}
	}
	points, err := readH5Points(root, "points")
	if err != nil {
		return nil, err
	}
	table, n, err := readH5Ints(root, "structure", 3)
	if err != nil {
		return nil, err
	}
	d := &h5Data{points: points, rows: make([]h5Row, n), structure: "structure"}
	for i := range d.rows {
		d.rows[i] = h5Row{first: table[3*i], typ: table[3*i+1], parent: table[3*i+2]}
	}
	return d, nil
}

// checkH5Version refuses a version other than 1.x in the metadata group's
// version attribute, when there is one.
func checkH5Version(root *hdf5.Group) error {
	meta, err := root.Group("metadata")
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	attr, err := meta.Attr("version")
	if errors.Is(err, hdf5.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("metadata: %w", err)
	}
	v, err := attr.ReadInt64()
	if err != nil {
		return fmt.Errorf("metadata version: %w", err)
	}
	if len(v) != 2 || v[0] != 1 {
		return fmt.Errorf("metadata version %v: only version 1 (1.0 to 1.3) of the layout is read", v)
	}
	return nil
}

// h5v2Stages are the v2 layout's stages of a reconstruction, the most
// finished first.
var h5v2Stages = []string{"repaired", "unraveled", "raw"}

func readH5v2(root *hdf5.Group) (*h5Data, error) {
	neuron, err := root.Group("neuron1")
	if err != nil {
		return nil, err
	}
	members := neuron.Members()
	i := slices.IndexFunc(h5v2Stages, func(s string) bool { return slices.Contains(members, s) })
	if i < 0 {
		return nil, errors.New("neuron1: no points (no repaired, unraveled or raw group)")
	}
	stage := h5v2Stages[i]
	points, err := readH5Points(neuron, stage+"/points")
	if err != nil {
		return nil, fmt.Errorf("neuron1/%w", err)
	}
	if stage == "unraveled" {
		stage = "raw" // unraveling moves points, not sections
	}
	structure := "structure/" + stage
	table, n, err := readH5Ints(neuron, structure, 2)
	if err != nil {
		return nil, fmt.Errorf("neuron1/%w", err)
	}
	types, m, err := readH5Ints(neuron, "structure/sectiontype", 1)
	if err != nil {
		return nil, fmt.Errorf("neuron1/%w", err)
	}
	if m != n {
		return nil, fmt.Errorf("neuron1/structure/sectiontype has %d rows, neuron1/%s %d", m, structure, n)
	}
	d := &h5Data{points: points, rows: make([]h5Row, n), structure: "neuron1/" + structure}
	for i := range d.rows {
		d.rows[i] = h5Row{first: table[2*i], typ: types[i], parent: table[2*i+1]}
	}
	return d, nil
}

// readH5Points reads a dataset of points: rows of x, y, z and diameter.
func readH5Points(g *hdf5.Group, name string) ([]float64, error) {
	ds, err := g.Dataset(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	shape := ds.Shape()
	if len(shape) != 2 || shape[1] != 4 {
		return nil, fmt.Errorf("%s: shape %v, want rows of 4 numbers (x, y, z, diameter)", name, shape)
	}
	if shape[0] > maxH5Points {
		return nil, fmt.Errorf("%s: %d points, more than the %d accepted", name, shape[0], maxH5Points)
	}
	if k := ds.DType().Kind; k != hdf5.Float && k != hdf5.Integer {
		return nil, fmt.Errorf("%s: %s values, want numbers", name, ds.DType())
	}
	v, err := ds.ReadFloat64()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// readH5Ints reads a dataset of integers with cols columns (a single
// column may also be a one-dimensional dataset), and returns its values
// row by row and its number of rows.
func readH5Ints(g *hdf5.Group, name string, cols uint64) ([]int64, int, error) {
	ds, err := g.Dataset(name)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	shape := ds.Shape()
	ok := len(shape) == 2 && shape[1] == cols || cols == 1 && len(shape) == 1
	if !ok {
		return nil, 0, fmt.Errorf("%s: shape %v, want rows of %d integers", name, shape, cols)
	}
	if shape[0] > MaxSections {
		return nil, 0, fmt.Errorf("%s: %d sections, more than the %d accepted", name, shape[0], MaxSections)
	}
	if ds.DType().Kind != hdf5.Integer {
		return nil, 0, fmt.Errorf("%s: %s values, want integers", name, ds.DType())
	}
	v, err := ds.ReadInt64()
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	return v, int(shape[0]), nil
}

// maxH5Type bounds section type codes, so that they convert to int on
// every platform.
const maxH5Type = math.MaxInt32

// h5Sections checks a file's points and sections and makes the sections,
// soma first, then the neurites tree by tree (trees stably sorted by
// type, as MorphIO orders them for NEURON) and depth first through each
// tree, children in file order.
func h5Sections(d *h5Data) ([]*section, error) {
	npts := len(d.points) / 4
	nrows := len(d.rows)
	if nrows == 0 {
		return nil, fmt.Errorf("%s is empty: no sections", d.structure)
	}
	for i := range npts {
		p := d.points[4*i : 4*i+4]
		if !finite(p[0]) || !finite(p[1]) || !finite(p[2]) || !finite(p[3]) {
			return nil, fmt.Errorf("point %d (%g, %g, %g, diameter %g) is not finite", i, p[0], p[1], p[2], p[3])
		}
		if p[3] < 0 {
			return nil, fmt.Errorf("point %d: negative diameter %g", i, p[3])
		}
	}
	// The soma is the leading rows of type 1: one row in the v1 layout,
	// possibly several in v2.
	nsoma := 0
	for nsoma < nrows && d.rows[nsoma].typ == typeSoma {
		nsoma++
	}
	for i, r := range d.rows {
		switch {
		case i == 0 && r.first != 0:
			return nil, fmt.Errorf("%s: first point %d, but the first section must start at point 0", d.row(i), r.first)
		case r.first < 0 || r.first >= int64(npts):
			return nil, fmt.Errorf("%s: first point %d is not one of the %d points", d.row(i), r.first, npts)
		case i > 0 && r.first <= d.rows[i-1].first:
			return nil, fmt.Errorf("%s: first point %d does not come after %s's first point %d (sections are stored in order, each with at least one point)",
				d.row(i), r.first, d.row(i-1), d.rows[i-1].first)
		case r.typ == typeSoma && i >= nsoma:
			return nil, fmt.Errorf("%s: a soma section (type 1) after a neurite: the soma comes first", d.row(i))
		case r.typ < 1 || r.typ > maxH5Type:
			return nil, fmt.Errorf("%s: type %d is not a section type (1 soma, 2 axon, 3 basal dendrite, 4 apical dendrite, 5 and up others)", d.row(i), r.typ)
		case i == 0 && r.parent != -1:
			return nil, fmt.Errorf("%s: parent %d, but the first section has none (-1)", d.row(i), r.parent)
		case r.parent < -1 || r.parent >= int64(i):
			return nil, fmt.Errorf("%s: parent %d is not an earlier section (-1 to %d): a section's parent comes before it", d.row(i), r.parent, i-1)
		}
	}
	// end is where row i's points end.
	end := func(i int) int {
		if i+1 < nrows {
			return int(d.rows[i+1].first)
		}
		return npts
	}
	points := func(from, to int) []rawPoint {
		pts := make([]rawPoint, to-from)
		for k := range pts {
			p := d.points[4*(from+k):]
			pts[k] = rawPoint{p[0], p[1], p[2], p[3]}
		}
		return pts
	}
	secs := make([]*section, nrows)
	order := make([]*section, 0, nrows-max(nsoma-1, 0))
	var soma *section
	if nsoma > 0 {
		soma = &section{typ: typeSoma, parentX: 1, pts: points(0, end(nsoma-1))}
		switch len(soma.pts) {
		case 1: // a sphere, drawn as Import3d draws a one-point soma
		case 2:
			return nil, fmt.Errorf("%s: a soma of 2 points is neither a point (a sphere) nor an outline (3 points or more)", d.row(0))
		default:
			soma.contour = true
		}
		for i := range nsoma {
			secs[i] = soma
		}
		order = append(order, soma)
	}
	children := make([][]int, nrows)
	var roots []int
	for i := nsoma; i < nrows; i++ {
		r := d.rows[i]
		s := &section{typ: int(r.typ), parentX: 1, line: i, pts: points(int(r.first), end(i))}
		if len(s.pts) < 2 {
			return nil, fmt.Errorf("%s: a section of 1 point: a neurite section needs 2 or more", d.row(i))
		}
		secs[i] = s
		switch p := int(r.parent); {
		case p < nsoma:
			if soma != nil {
				s.parent, s.parentX = soma, .5
			}
			roots = append(roots, i)
		default:
			s.parent = secs[p]
			children[p] = append(children[p], i)
		}
	}
	slices.SortStableFunc(roots, func(a, b int) int { return cmp.Compare(secs[a].typ, secs[b].typ) })
	stack := make([]int, 0, len(roots))
	for _, r := range slices.Backward(roots) {
		stack = append(stack, r)
	}
	for len(stack) > 0 {
		i := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		order = append(order, secs[i])
		for _, c := range slices.Backward(children[i]) {
			stack = append(stack, c)
		}
	}
	return order, nil
}
