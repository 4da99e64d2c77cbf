package sonata

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/spikeframes/spikeframes/hdf5"
	"github.com/spikeframes/spikeframes/morph"
)

// Report is a compartment report of one population: /report/<population>
// of a SONATA report file, its data a frame (one row) per time step and a
// column per reported compartment. Only the node list and the index
// pointers are read when it is opened; frames and each node's element ids
// are read when asked for. A Report is safe for concurrent use.
type Report struct {
	File, Population string
	// Frames is the number of frames and Columns the values in each.
	Frames, Columns int
	// Start and Step give frame k's time, Start + k·Step; Stop is the end
	// of the reported span (no frame is at Stop).
	Start, Stop, Step float64
	// Units are the units of the values ("mV") and TimeUnits those of the
	// times ("ms"), "" when the file does not say.
	Units, TimeUnits string

	f        *hdf5.File
	data     *hdf5.Dataset
	elemIDs  *hdf5.Dataset
	elemPos  *hdf5.Dataset // nil when the report has no element_pos
	nodes    []uint64
	pointers []int // len(nodes)+1: node i's columns are [pointers[i], pointers[i+1])
	index    map[uint64]int
}

// OpenReport opens the compartment report of population pop in the file
// at path; pop may be "" when the file holds one population only.
func OpenReport(path, pop string) (*Report, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	r, err := openReport(f, path, pop)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// ErrNoPopulation is what the errors of OpenReport and ReadSpikes wrap
// when the file holds no population of the name asked for.
var ErrNoPopulation = errors.New("no such population")

// noPopulationError says which population a file lacks; it is
// ErrNoPopulation.
type noPopulationError string

func (e noPopulationError) Error() string        { return string(e) }
func (e noPopulationError) Is(target error) bool { return target == ErrNoPopulation }

// population opens group/<pop>, or the only population when pop is "".
func population(f *hdf5.File, group, pop, kind string) (*hdf5.Group, string, error) {
	top, err := openGroup(f.Root(), group)
	if err != nil {
		return nil, "", fmt.Errorf("not a SONATA %s: %w", kind, err)
	}
	names := top.Members()
	if pop == "" {
		if len(names) != 1 {
			return nil, "", fmt.Errorf("/%s holds %d populations (%s): name one", group, len(names), joinQuoted(names))
		}
		pop = names[0]
	}
	g, err := top.Group(pop)
	if errors.Is(err, hdf5.ErrNotFound) {
		return nil, "", noPopulationError(fmt.Sprintf("no population %q in /%s (it has %s)", pop, group, joinQuoted(names)))
	}
	return g, pop, err
}

func joinQuoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return joinOr(q)
}

func openReport(f *hdf5.File, path, pop string) (*Report, error) {
	g, pop, err := population(f, "report", pop, "report")
	if err != nil {
		return nil, err
	}
	r := &Report{File: path, Population: pop, f: f, index: map[uint64]int{}}
	if r.data, err = openDataset(g, "data"); err != nil {
		return nil, err
	}
	shape := r.data.Shape()
	if len(shape) != 2 {
		return nil, fmt.Errorf("%s: shape %v, want frames × values", r.data.Path(), shape)
	}
	if k := r.data.DType().Kind; k != hdf5.Float && k != hdf5.Integer {
		return nil, fmt.Errorf("%s: %s values, want numbers", r.data.Path(), r.data.DType())
	}
	if shape[0] == 0 || shape[0] > math.MaxInt32 || shape[1] > math.MaxInt32 {
		return nil, fmt.Errorf("%s: shape %v: no frames, or too many", r.data.Path(), shape)
	}
	r.Frames, r.Columns = int(shape[0]), int(shape[1])
	r.Units = textAttr(r.data, "units")

	m, err := openGroup(g, "mapping")
	if err != nil {
		return nil, err
	}
	ids, err := vector(m, "node_ids", -1, hdf5.Integer)
	if err != nil {
		return nil, err
	}
	if len(ids.Shape()) == 1 && ids.Shape()[0] > MaxNodes {
		return nil, fmt.Errorf("%s: %d nodes, more than the limit of %d", ids.Path(), ids.Shape()[0], MaxNodes)
	}
	nodes, err := ids.ReadInt64()
	if err != nil {
		return nil, err
	}
	r.nodes = make([]uint64, len(nodes))
	for i, id := range nodes {
		if id < 0 {
			return nil, fmt.Errorf("%s: node %d has a negative id, %d", ids.Path(), i, id)
		}
		if _, dup := r.index[uint64(id)]; dup {
			return nil, fmt.Errorf("%s: node id %d listed twice", ids.Path(), id)
		}
		r.nodes[i] = uint64(id)
		r.index[uint64(id)] = i
	}
	if err := r.readPointers(m); err != nil {
		return nil, err
	}
	if r.elemIDs, err = vector(m, "element_ids", r.Columns, hdf5.Integer); err != nil {
		return nil, err
	}
	if _, err := m.Dataset("element_pos"); err == nil {
		if r.elemPos, err = vector(m, "element_pos", r.Columns, hdf5.Float); err != nil {
			return nil, err
		}
	} else if !errors.Is(err, hdf5.ErrNotFound) {
		return nil, err
	}
	t, err := vector(m, "time", 3, hdf5.Float)
	if err != nil {
		return nil, err
	}
	tv, err := t.ReadFloat64()
	if err != nil {
		return nil, err
	}
	r.Start, r.Stop, r.Step = tv[0], tv[1], tv[2]
	if !finite(r.Start) || !finite(r.Stop) || !(r.Step > 0) || math.IsInf(r.Step, 0) || r.Stop < r.Start {
		return nil, fmt.Errorf("%s: %v is not start, stop and a positive step", t.Path(), tv)
	}
	r.TimeUnits = textAttr(t, "units")
	return r, nil
}

// readPointers reads the index pointers: N+1 of them (the specification's
// layout, "index_pointers"; BMTK writes "index_pointer"), or N, the last
// node's columns then running to the end of the frame.
func (r *Report) readPointers(m *hdf5.Group) error {
	name := "index_pointers"
	if _, err := m.Dataset(name); errors.Is(err, hdf5.ErrNotFound) {
		if _, err := m.Dataset("index_pointer"); err == nil {
			name = "index_pointer"
		}
	}
	ds, err := vector(m, name, -1, hdf5.Integer)
	if err != nil {
		return err
	}
	n := len(r.nodes)
	if l := ds.Shape()[0]; l != uint64(n) && l != uint64(n+1) {
		return fmt.Errorf("%s: %d pointers for %d nodes, want %d", ds.Path(), l, n, n+1)
	}
	ptr, err := ds.ReadInt64()
	if err != nil {
		return err
	}
	if len(ptr) == n {
		ptr = append(ptr, int64(r.Columns))
	}
	r.pointers = make([]int, len(ptr))
	for i, p := range ptr {
		if p < 0 || p > int64(r.Columns) {
			return fmt.Errorf("%s: pointer %d is %d, outside the %d values of a frame", ds.Path(), i, p, r.Columns)
		}
		if i > 0 && p < ptr[i-1] {
			return fmt.Errorf("%s: pointer %d is %d, less than the one before it (%d)", ds.Path(), i, p, ptr[i-1])
		}
		r.pointers[i] = int(p)
	}
	return nil
}

// vector opens a one-dimensional dataset of n values (n < 0: any number)
// of the given kind.
func vector(g *hdf5.Group, name string, n int, kind hdf5.Kind) (*hdf5.Dataset, error) {
	ds, err := openDataset(g, name)
	if err != nil {
		return nil, err
	}
	shape := ds.Shape()
	if len(shape) != 1 || n >= 0 && shape[0] != uint64(n) {
		want := "a list"
		if n >= 0 {
			want = fmt.Sprintf("[%d]", n)
		}
		return nil, fmt.Errorf("%s: shape %v, want %s", ds.Path(), shape, want)
	}
	if k := ds.DType().Kind; k != kind && !(kind == hdf5.Float && k == hdf5.Integer) {
		return nil, fmt.Errorf("%s: %s values, want %s", ds.Path(), ds.DType(), map[hdf5.Kind]string{hdf5.Integer: "integers", hdf5.Float: "numbers"}[kind])
	}
	return ds, nil
}

// textAttr returns a text attribute, "" when there is none.
func textAttr(o hdf5.Object, name string) string {
	a, err := o.Attr(name)
	if err != nil {
		return ""
	}
	s, err := a.ReadStrings()
	if err != nil || len(s) == 0 {
		return ""
	}
	return s[0]
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// Close closes the report file.
func (r *Report) Close() error { return r.f.Close() }

// NodeIDs returns the ids of the nodes the report holds, in its order.
func (r *Report) NodeIDs() []uint64 { return slices.Clone(r.nodes) }

// Time returns frame k's time.
func (r *Report) Time(k int) float64 { return r.Start + float64(k)*r.Step }

// Frame is the values of columns [First, First+len(Values)) of one frame.
type Frame struct {
	Index, First int
	Values       []float32
}

// ReadFrame reads columns [first, end) of frame k: only the chunks of the
// report that hold them are read. Values that are not finite are refused.
func (r *Report) ReadFrame(k, first, end int) (Frame, error) {
	v, err := r.ReadFrames(k, 1, first, end)
	if err != nil {
		return Frame{}, err
	}
	return Frame{Index: k, First: first, Values: v}, nil
}

// ReadFrames reads columns [first, end) of the n frames from frame k, one
// frame's values after the other: only the chunks of the report that hold
// them are read. Values that are not finite are refused.
func (r *Report) ReadFrames(k, n, first, end int) ([]float32, error) {
	if k < 0 || n < 1 || n > r.Frames-k {
		return nil, fmt.Errorf("%s: frames %d to %d outside the report's %d frames", r.File, k, k+n-1, r.Frames)
	}
	if first < 0 || end > r.Columns || first > end {
		return nil, fmt.Errorf("%s: columns [%d, %d) outside the report's %d", r.File, first, end, r.Columns)
	}
	if first == end {
		return nil, nil
	}
	v, err := r.data.ReadFloat32Slab([]uint64{uint64(k), uint64(first)}, []uint64{uint64(n), uint64(end - first)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", r.File, err)
	}
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			w := end - first
			return nil, fmt.Errorf("%s: %s: frame %d, column %d is %g", r.File, r.data.Path(), k+i/w, first+i%w, x)
		}
	}
	return v, nil
}

// ChunkFrames is how many of the report's frames one chunk of its data
// spans (1 when the data is not chunked; at most the report's frames,
// though a chunk may reach past them): reading that many frames at a time
// reads each chunk once.
func (r *Report) ChunkFrames() int {
	if c := r.data.Chunks(); len(c) == 2 {
		return max(1, int(min(c[0], uint64(r.Frames))))
	}
	return 1
}

// Layout says where one node's values are in a report frame and on which
// section of its morphology, where along it, each value lies.
type Layout struct {
	Node uint64
	// First and End bound the node's columns in a frame.
	First, End int
	sections   []sectionLayout
}

// sectionLayout maps a section's compartments to report columns: NSeg
// values at the compartment centres (i+0.5)/NSeg, value i interpolated
// between columns a[i] and b[i] (relative to the node's first) with weight
// w[i] on b.
type sectionLayout struct {
	a, b []int
	w    []float32
}

// Layout lays the report's columns for node onto the sections of its
// morphology c: element ids are section indices as the specification
// numbers them (package morphfile's order). Without element_pos a
// section's compartments are in order along it; with it, at those
// positions, and their values are interpolated to the compartment centres
// (where NEURON puts its segments they are the values themselves).
func (r *Report) Layout(node uint64, c *morph.Cell) (*Layout, error) {
	i, ok := r.index[node]
	if !ok {
		return nil, fmt.Errorf("%s: node %d is not in report %s", r.File, node, r.Population)
	}
	first, end := r.pointers[i], r.pointers[i+1]
	var ids []int64
	var pos []float64
	if end > first {
		start, count := []uint64{uint64(first)}, []uint64{uint64(end - first)}
		var err error
		if ids, err = r.elemIDs.ReadInt64Slab(start, count); err != nil {
			return nil, fmt.Errorf("%s: %w", r.File, err)
		}
		if r.elemPos != nil {
			if pos, err = r.elemPos.ReadFloat64Slab(start, count); err != nil {
				return nil, fmt.Errorf("%s: %w", r.File, err)
			}
		}
	}
	l, err := newLayout(node, first, ids, pos, len(c.Sections))
	if err != nil {
		return nil, fmt.Errorf("%s: /report/%s/mapping: %w", r.File, r.Population, err)
	}
	return l, nil
}

// newLayout lays out a node whose columns start at first, with their
// element ids and, if not nil, positions, on a cell of the given number
// of sections.
func newLayout(node uint64, first int, ids []int64, pos []float64, sections int) (*Layout, error) {
	l := &Layout{Node: node, First: first, End: first + len(ids), sections: make([]sectionLayout, sections)}
	cols := make([][]int, sections)
	for j, id := range ids {
		if id < 0 || id >= int64(sections) {
			return nil, fmt.Errorf("element_ids: node %d, column %d names section %d, but its morphology has %d sections",
				node, first+j, id, sections)
		}
		if pos != nil && !(pos[j] >= 0 && pos[j] <= 1) {
			return nil, fmt.Errorf("element_pos: node %d, column %d is at %g, outside [0, 1]", node, first+j, pos[j])
		}
		cols[id] = append(cols[id], j)
	}
	for s, cs := range cols {
		if len(cs) > morph.MaxNSeg {
			return nil, fmt.Errorf("element_ids: node %d, section %d has %d compartments, more than NEURON's %d", node, s, len(cs), morph.MaxNSeg)
		}
		l.sections[s] = layoutSection(cs, pos)
	}
	return l, nil
}

// layoutSection lays one section's columns: in order along it without
// positions, else sorted by position and interpolated to the centres.
func layoutSection(cols []int, pos []float64) sectionLayout {
	n := len(cols)
	sl := sectionLayout{a: make([]int, n), b: make([]int, n), w: make([]float32, n)}
	if pos == nil {
		copy(sl.a, cols)
		copy(sl.b, cols)
		return sl
	}
	slices.SortStableFunc(cols, func(x, y int) int {
		switch {
		case pos[x] < pos[y]:
			return -1
		case pos[x] > pos[y]:
			return 1
		}
		return 0
	})
	for i := range n {
		c := (float64(i) + 0.5) / float64(n)
		// the first column at or past the centre
		k, _ := slices.BinarySearchFunc(cols, c, func(col int, t float64) int {
			switch {
			case pos[col] < t-1e-6:
				return -1
			case pos[col] > t+1e-6:
				return 1
			}
			return 0
		})
		switch {
		case k == n:
			sl.a[i], sl.b[i] = cols[n-1], cols[n-1]
		case k == 0 || pos[cols[k]] <= c+1e-6:
			sl.a[i], sl.b[i] = cols[k], cols[k]
		default:
			p0, p1 := pos[cols[k-1]], pos[cols[k]]
			sl.a[i], sl.b[i] = cols[k-1], cols[k]
			sl.w[i] = float32((c - p0) / (p1 - p0))
		}
	}
	return sl
}

// NSeg returns how many values the report gives section sec (0: the
// report holds nothing on it).
func (l *Layout) NSeg(sec int) int { return len(l.sections[sec].a) }

// Voltages returns the voltages of every section of the node's cell in
// frame f: for section s, NSeg(s) values at its compartment centres,
// value i at (i+0.5)/NSeg(s) along it (package voltage's layout), or nil
// when the report holds nothing on the section. The slices of dst are
// reused when they have room.
func (l *Layout) Voltages(f Frame, dst [][]float32) ([][]float32, error) {
	if l.First < f.First || l.End > f.First+len(f.Values) {
		return nil, fmt.Errorf("frame %d holds columns [%d, %d), not node %d's [%d, %d)",
			f.Index, f.First, f.First+len(f.Values), l.Node, l.First, l.End)
	}
	if cap(dst) < len(l.sections) {
		dst = make([][]float32, len(l.sections))
	}
	dst = dst[:len(l.sections)]
	vals := f.Values[l.First-f.First : l.End-f.First]
	for s, sl := range l.sections {
		n := len(sl.a)
		if n == 0 {
			dst[s] = nil
			continue
		}
		out := dst[s]
		if cap(out) < n {
			out = make([]float32, n)
		}
		out = out[:n]
		for i := range out {
			a, b := vals[sl.a[i]], vals[sl.b[i]]
			out[i] = a + sl.w[i]*(b-a)
		}
		dst[s] = out
	}
	return dst, nil
}
