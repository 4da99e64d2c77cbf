package blenderspike

import (
	"fmt"
	"math"
	"strings"
	"unicode"
	"unsafe"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// Keys of a section dict: BlenderSpike's seven, then the optional ones the
// project's own recorder adds.
const (
	keyID = iota
	keyType
	keyX
	keyY
	keyZ
	keyDiam
	keyVoltage
	keyName
	keyParent
	keyParentX
	keyNSeg
	keyTStart
	keyTStop
	keyVariable
	keyUnit
	numKeys
	numRequired = keyVoltage + 1
)

var keyNames = [numKeys]string{"ID", "type", "X", "Y", "Z", "DIAM", "Voltage",
	"name", "parent", "parent_x", "nseg", "t_start", "t_stop", "variable", "unit"}

// sectionDict is one section's dict with its known keys looked up.
type sectionDict struct {
	val  [numKeys]any
	has  [numKeys]bool
	geom [4]numbers // X, Y, Z, DIAM
	// Voltage is either still a dict (volt) or already decoded (table).
	volt    *pyDict
	table   *voltageTable
	frames  int
	nseg    int // length of the first Voltage entry
	npoints int
}

// voltageTable is a section's Voltage dict decoded and checked: frames ×
// nseg voltages, frame by frame. The decoder makes one as soon as a
// Voltage dict can no longer change (see machine.settle), so that the
// dict and its per-frame arrays need not live until the end of the file.
type voltageTable struct {
	frames, nseg int
	values       []float32
}

// numbers is a one-dimensional run of numbers: a numpy array or a list.
type numbers struct {
	arr  *ndarray
	list []any
}

func asNumbers(v any) (numbers, error) {
	switch v := v.(type) {
	case *ndarray:
		if !v.built {
			return numbers{}, fmt.Errorf("numpy array has no data (no BUILD state)")
		}
		return numbers{arr: v}, nil
	case *pyList:
		return numbers{list: v.items}, nil
	}
	return numbers{}, fmt.Errorf("is %s, expected a numpy array or a list of numbers", describe(v))
}

func (s numbers) len() int {
	if s.arr != nil {
		return len(s.arr.raw) / int(s.arr.dt.size)
	}
	return len(s.list)
}

// decode writes the values into dst, which holds s.len() values.
func (s numbers) decode(dst []float64) error {
	if a := s.arr; a != nil {
		size := int(a.dt.size)
		if a.dt.kind == 'f' && size == 8 && !a.dt.bigEndian {
			for i := range dst {
				dst[i] = math.Float64frombits(leUint64(a.raw[8*i:]))
			}
			return nil
		}
		for i := range dst {
			dst[i] = a.dt.float(a.raw[size*i : size*(i+1)])
		}
		return nil
	}
	for i, v := range s.list {
		switch v := v.(type) {
		case float64:
			dst[i] = v
		case int64:
			dst[i] = float64(v)
		default:
			return fmt.Errorf("item %d is %s, not a number", i, describe(v))
		}
	}
	return nil
}

func leUint64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// lookup finds the known keys of a section dict and checks the shape of
// what they hold: everything that costs constant time per section.
func lookup(i int, v any) (s sectionDict, err error) {
	d, ok := v.(*pyDict)
	if !ok {
		return s, fmt.Errorf("section %d is %s, expected a dict", i, describe(v))
	}
	for j, k := range d.keys {
		name, ok := k.(string)
		if !ok {
			continue
		}
		for key, kn := range keyNames {
			if name == kn {
				if s.has[key] {
					return s, fmt.Errorf("section %d: key %q appears twice", i, name)
				}
				s.val[key], s.has[key] = d.vals[j], true
			}
		}
	}
	for key := range numRequired {
		if !s.has[key] {
			return s, fmt.Errorf("section %d: missing key %q", i, keyNames[key])
		}
	}
	for g := range s.geom {
		if s.geom[g], err = asNumbers(s.val[keyX+g]); err != nil {
			return s, fmt.Errorf("section %d: %s %w", i, keyNames[keyX+g], err)
		}
	}
	s.npoints = s.geom[0].len()
	if n := [4]int{s.geom[0].len(), s.geom[1].len(), s.geom[2].len(), s.geom[3].len()}; n[1] != n[0] || n[2] != n[0] || n[3] != n[0] {
		return s, fmt.Errorf("section %d: X, Y, Z and DIAM have different lengths (%d, %d, %d, %d points)", i, n[0], n[1], n[2], n[3])
	}
	switch v := s.val[keyVoltage].(type) {
	case *voltageTable:
		s.table, s.frames, s.nseg = v, v.frames, v.nseg
	case *pyDict:
		if s.frames, s.nseg, err = voltageShape(i, v); err != nil {
			return s, err
		}
		s.volt = v
	default:
		return s, fmt.Errorf("section %d: Voltage is %s, expected a dict {frame: values}", i, describe(v))
	}
	return s, nil
}

// voltageShape returns the number of frames of section i's Voltage dict
// and the number of values in its first entry, refusing a dict without
// frames or whose first entry is not a non-empty run of numbers.
func voltageShape(i int, d *pyDict) (frames, nseg int, err error) {
	frames = len(d.keys)
	if frames == 0 {
		return 0, 0, fmt.Errorf("section %d: Voltage has no frames", i)
	}
	first, err := asNumbers(d.vals[0])
	if err != nil {
		return 0, 0, fmt.Errorf("section %d: Voltage entry %s %w", i, show(d.keys[0]), err)
	}
	if nseg = first.len(); nseg == 0 {
		return 0, 0, fmt.Errorf("section %d: Voltage entry %s is empty", i, show(d.keys[0]))
	}
	return frames, nseg, nil
}

// decodeVoltage decodes section i's Voltage dict, checking that its keys
// are the frames 0…F−1 and that every frame holds as many finite float32
// values as the first, and charging b for the table before making it.
func decodeVoltage(i int, d *pyDict, b *budget) (*voltageTable, error) {
	frames, nseg, err := voltageShape(i, d)
	if err != nil {
		return nil, err
	}
	if err := b.spendTable(int64(frames), int64(nseg), 4); err != nil {
		return nil, fmt.Errorf("section %d: Voltage of %d frames × %d values: %w", i, frames, nseg, err)
	}
	if err := b.spend(allocCost(int64(unsafe.Sizeof(voltageTable{}))) + allocCost(8*int64(frames)) + allocCost(8*int64(nseg))); err != nil {
		return nil, fmt.Errorf("section %d: %w", i, err)
	}
	order, err := frameOrder(i, d.keys)
	if err != nil {
		return nil, err
	}
	t := &voltageTable{frames: frames, nseg: nseg, values: make([]float32, frames*nseg)}
	scratch := make([]float64, nseg)
	for f, e := range order {
		if err := decodeFrame(d.vals[e], scratch, t.values[f*nseg:(f+1)*nseg], d.keys[0]); err != nil {
			return nil, fmt.Errorf("section %d frame %d: Voltage %w", i, f, err)
		}
	}
	return t, nil
}

// convert turns the decoded list of section dicts into the project's
// types, charging b for them. limit bounds the number of values (voltages
// plus 4 per 3-D point) the output may hold; it is checked before
// anything is allocated.
func convert(root any, limit int64, b *budget) (*morph.Cell, *voltage.Recording, error) {
	top, ok := root.(*pyList)
	if !ok {
		return nil, nil, fmt.Errorf("top level is %s, expected a list of sections", describe(root))
	}
	if len(top.items) == 0 {
		return nil, nil, fmt.Errorf("the list of sections is empty")
	}
	// First pass: structure and sizes only.
	var first sectionDict
	var nValues, nPoints int64
	seen := map[*pyDict]int{} // sections that a memo slot holds
	for i, v := range top.items {
		if d, ok := v.(*pyDict); ok && d.shared {
			if j, dup := seen[d]; dup {
				return nil, nil, fmt.Errorf("section %d is the same dict as section %d", i, j)
			}
			if err := b.spend(2 * allocCost(64)); err != nil {
				return nil, nil, fmt.Errorf("section %d: %w", i, err)
			}
			seen[d] = i
		}
		s, err := lookup(i, v)
		if err != nil {
			return nil, nil, err
		}
		if i == 0 {
			first = s
		}
		if s.frames != first.frames {
			return nil, nil, fmt.Errorf("section %d: %d frames, section 0 has %d", i, s.frames, first.frames)
		}
		for key := numRequired; key < numKeys; key++ {
			if s.has[key] != first.has[key] {
				if s.has[key] {
					return nil, nil, fmt.Errorf("section %d: has key %q but section 0 has not (optional keys must be on every section or on none)", i, keyNames[key])
				}
				return nil, nil, fmt.Errorf("section %d: missing key %q that section 0 has (optional keys must be on every section or on none)", i, keyNames[key])
			}
		}
		if int64(s.nseg) > limit || int64(s.frames) > limit/int64(s.nseg) || int64(s.npoints) > limit {
			return nil, nil, fmt.Errorf("section %d: the recording claims more values than a file of its size can hold", i)
		}
		nValues += int64(s.frames)*int64(s.nseg) + 4*int64(s.npoints)
		nPoints += int64(s.npoints)
		if nValues > limit {
			return nil, nil, fmt.Errorf("section %d: the recording claims more values than a file of its size can hold", i)
		}
	}
	if first.has[keyTStart] != first.has[keyTStop] {
		return nil, nil, fmt.Errorf("section 0: t_start and t_stop must be given together")
	}
	if first.has[keyVariable] != first.has[keyUnit] {
		return nil, nil, fmt.Errorf("section 0: variable and unit must be given together")
	}

	// Second pass: decode every value.
	n := len(top.items)
	if err := b.spend(allocCost(int64(n)*int64(unsafe.Sizeof(morph.Section{}))) + allocCost(int64(n)*int64(unsafe.Sizeof(voltage.Trace{}))) +
		allocCost(nPoints*int64(unsafe.Sizeof(morph.Point{}))) + 2*allocCost(256)); err != nil {
		return nil, nil, err
	}
	cell := &morph.Cell{Sections: make([]morph.Section, n)}
	rec := &voltage.Recording{Frames: first.frames, Traces: make([]voltage.Trace, n), Variable: "v", Unit: "mV"}
	points := make([]morph.Point, nPoints)
	var scratch []float64
	for i, v := range top.items {
		s, _ := lookup(i, v)
		sec := &cell.Sections[i]
		sec.Parent = -1
		if err := s.meta(i, n, sec, rec); err != nil {
			return nil, nil, err
		}
		np := s.npoints
		sec.Points, points = points[:np:np], points[np:]
		if cap(scratch) < np {
			if err := b.spend(allocCost(8 * int64(np))); err != nil {
				return nil, nil, fmt.Errorf("section %d: %w", i, err)
			}
			scratch = make([]float64, np)
		}
		scratch = scratch[:np]
		for g, name := range keyNames[keyX : keyDiam+1] {
			buf := scratch[:np]
			if err := s.geom[g].decode(buf); err != nil {
				return nil, nil, fmt.Errorf("section %d: %s %w", i, name, err)
			}
			for k, x := range buf {
				switch {
				case math.IsNaN(x) || math.IsInf(x, 0):
					return nil, nil, fmt.Errorf("section %d: %s[%d] is %v", i, name, k, x)
				case math.Abs(x) > math.MaxFloat32:
					return nil, nil, fmt.Errorf("section %d: %s[%d] is %v, beyond float32 range", i, name, k, x)
				}
				p := &sec.Points[k]
				switch g {
				case 0:
					p.X = x
				case 1:
					p.Y = x
				case 2:
					p.Z = x
				default:
					p.Diam = x
				}
			}
		}
		t := s.table
		if t == nil {
			var err error
			if t, err = decodeVoltage(i, s.volt, b); err != nil {
				return nil, nil, err
			}
		}
		rec.Traces[i] = voltage.Trace{NSeg: t.nseg, Values: t.values}
	}
	if err := checkParents(cell); err != nil {
		return nil, nil, err
	}
	return cell, rec, nil
}

// frameOrder checks that section i's Voltage keys are exactly the ints
// 0…F−1 (in any order) and returns, for each frame f, the entry holding it.
func frameOrder(i int, keys []any) ([]int, error) {
	order := make([]int, len(keys))
	for f := range order {
		order[f] = -1
	}
	stray := int64(-1)
	strayFound := false
	for e, k := range keys {
		f, ok := k.(int64)
		if !ok {
			return nil, fmt.Errorf("section %d: Voltage key %d is %s, expected an int frame number", i, e, describe(k))
		}
		if f < 0 || f >= int64(len(order)) {
			if !strayFound {
				stray, strayFound = f, true
			}
			continue
		}
		if order[f] >= 0 {
			return nil, fmt.Errorf("section %d: Voltage frame %d appears twice", i, f)
		}
		order[f] = e
	}
	for f, e := range order {
		if e < 0 {
			return nil, fmt.Errorf("section %d: Voltage frames are not 0…%d: frame %d is missing (found frame %d)", i, len(order)-1, f, stray)
		}
	}
	return order, nil
}

// decodeFrame decodes one frame's voltages into dst through scratch,
// refusing a length different from len(dst) and non-finite values.
// refFrame is the frame whose length set len(dst).
func decodeFrame(v any, scratch []float64, dst []float32, refFrame any) error {
	nums, err := asNumbers(v)
	if err != nil {
		return err
	}
	if nums.len() != len(dst) {
		return fmt.Errorf("has %d values, frame %s has %d", nums.len(), show(refFrame), len(dst))
	}
	if err := nums.decode(scratch); err != nil {
		return err
	}
	for k, x := range scratch {
		switch {
		case math.IsNaN(x):
			return fmt.Errorf("segment %d is NaN", k)
		case math.IsInf(x, 0):
			return fmt.Errorf("segment %d is %v", k, x)
		case math.Abs(x) > math.MaxFloat32:
			return fmt.Errorf("segment %d is %v, beyond float32 range", k, x)
		}
		dst[k] = float32(x)
	}
	return nil
}

// meta sets section i's ID, type and optional keys (of n sections) on sec
// and rec, checking each.
func (s *sectionDict) meta(i, n int, sec *morph.Section, rec *voltage.Recording) error {
	id, ok := s.val[keyID].(int64)
	if !ok {
		return fmt.Errorf("section %d: ID is %s, expected an int", i, describe(s.val[keyID]))
	}
	sec.ID = int(id)
	if sec.Type, ok = s.val[keyType].(string); !ok {
		return fmt.Errorf("section %d: type is %s, expected a str", i, describe(s.val[keyType]))
	}
	if s.has[keyName] {
		if sec.Name, ok = s.val[keyName].(string); !ok {
			return fmt.Errorf("section %d: name is %s, expected a str", i, describe(s.val[keyName]))
		}
	}
	if s.has[keyParent] {
		p, ok := s.val[keyParent].(int64)
		if !ok || p < -1 || p >= int64(n) || p == int64(i) {
			return fmt.Errorf("section %d: parent must be -1 or the index of another of the %d sections, not %s", i, n, show(s.val[keyParent]))
		}
		sec.Parent = int(p)
	}
	if s.has[keyParentX] {
		x, ok := number(s.val[keyParentX])
		if !ok || !(x >= 0 && x <= 1) {
			return fmt.Errorf("section %d: parent_x must be a number in [0, 1], not %s", i, show(s.val[keyParentX]))
		}
		sec.ParentX = x
	}
	if s.has[keyNSeg] {
		if v, ok := s.val[keyNSeg].(int64); !ok || v != int64(s.nseg) {
			return fmt.Errorf("section %d: nseg is %s but Voltage holds %d values per frame", i, show(s.val[keyNSeg]), s.nseg)
		}
	}
	if s.has[keyTStart] {
		t0, ok0 := number(s.val[keyTStart])
		t1, ok1 := number(s.val[keyTStop])
		if !ok0 || !ok1 || math.IsInf(t0, 0) || math.IsInf(t1, 0) || !(t0 < t1) {
			return fmt.Errorf("section %d: t_start %s and t_stop %s must be finite numbers with t_start < t_stop", i, show(s.val[keyTStart]), show(s.val[keyTStop]))
		}
		if i == 0 {
			rec.TStart, rec.TStop, rec.HasTime = t0, t1, true
		} else if t0 != rec.TStart || t1 != rec.TStop {
			return fmt.Errorf("section %d: t_start/t_stop %v/%v differ from section 0's %v/%v", i, t0, t1, rec.TStart, rec.TStop)
		}
	}
	if s.has[keyVariable] {
		v, ok := s.val[keyVariable].(string)
		if !ok || v == "" || strings.ContainsFunc(v, unicode.IsControl) {
			return fmt.Errorf("section %d: variable must be a str naming the recorded range variable, not %s", i, describe(s.val[keyVariable]))
		}
		u, ok := s.val[keyUnit].(string)
		if !ok || strings.ContainsFunc(u, unicode.IsControl) {
			return fmt.Errorf("section %d: unit must be a str, not %s", i, describe(s.val[keyUnit]))
		}
		if i == 0 {
			rec.Variable, rec.Unit = v, u
		} else if v != rec.Variable || u != rec.Unit {
			return fmt.Errorf("section %d: variable %q in %q differs from section 0's %q in %q", i, v, u, rec.Variable, rec.Unit)
		}
	}
	return nil
}

// number reads a Python int or float as a float64.
func number(v any) (float64, bool) {
	switch v := v.(type) {
	case float64:
		return v, true
	case int64:
		return float64(v), true
	}
	return 0, false
}

// describe names the type of v and, for a number, bool or str, its value.
func describe(v any) string {
	switch v.(type) {
	case int64, float64, bool, string:
		return aType(v) + " " + show(v)
	}
	return aType(v)
}

// show prints a scalar value, or the type of anything else.
func show(v any) string {
	switch v := v.(type) {
	case int64, float64, bool:
		return fmt.Sprint(v)
	case string:
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		return fmt.Sprintf("%q", v)
	}
	return aType(v)
}

// checkParents refuses parent links that form a cycle.
func checkParents(cell *morph.Cell) error {
	const unvisited = -1
	seenBy := make([]int, len(cell.Sections)) // walk that first reached each section
	for i := range seenBy {
		seenBy[i] = unvisited
	}
	for i := range cell.Sections {
		for j := i; j >= 0 && seenBy[j] == unvisited; j = cell.Sections[j].Parent {
			seenBy[j] = i
			if p := cell.Sections[j].Parent; p >= 0 && seenBy[p] == i {
				return fmt.Errorf("section %d: parent links form a cycle", p)
			}
		}
	}
	return nil
}
