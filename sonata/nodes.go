package sonata

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/hdf5"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/morphfile"
)

// Node is one node of a population, with what drawing it needs.
type Node struct {
	Population string
	// ID is the node's id: its node_id, or its index in the population
	// when the file has no node_id dataset.
	ID     uint64
	TypeID int64
	// Position is the soma centre in the circuit (µm); HasPosition says
	// whether the node has x, y or z at all.
	Position    [3]float64
	HasPosition bool
	// Rotation turns the morphology about its soma (row-major: world =
	// Rotation · local); the identity when the node has no rotation.
	Rotation [3][3]float64
	// Morphology is the node's morphology attribute ("" if it has none)
	// and MorphologyFile the file found for it in the population's
	// morphology folders ("" when no folder is configured).
	Morphology, MorphologyFile string
	// ModelType is the node's model_type ("biophysical", "point_neuron",
	// "virtual", …), or the population's type when nodes do not say.
	ModelType string
	// Recenter says whether the morphology's soma centre is moved to the
	// origin before it is rotated and moved to Position: true unless the
	// node's recenter attribute is 0.
	Recenter bool

	table *attrTable
	group int64
	index int
}

// attrTable holds the attributes of a population's nodes.
type attrTable struct {
	pop    string
	groups map[int64]*groupTable
	types  *nodeTypes // nil without a node types file
}

// groupTable is one node group: a column per attribute, each of size
// values (-1: the group has no attributes), as sizeFrom says.
type groupTable struct {
	cols     map[string]*column
	size     int
	sizeFrom string
}

// column is one attribute of a group: numbers or text.
type column struct {
	nums  []float64
	texts []string
}

func (c *column) len() int {
	if c.texts != nil {
		return len(c.texts)
	}
	return len(c.nums)
}

func (c *column) value(i int) Value {
	if c.texts != nil {
		return Value{Text: c.texts[i]}
	}
	return numberValue(c.nums[i])
}

// Attr returns the node's attribute called name: its group's value if the
// group has the attribute, else its node type's.
func (n Node) Attr(name string) (Value, bool) {
	if n.table == nil {
		return Value{}, false
	}
	if g := n.table.groups[n.group]; g != nil {
		if c, ok := g.cols[name]; ok {
			return c.value(n.index), true
		}
	}
	if nt := n.table.types; nt != nil {
		if row, ok := nt.row(n.table.pop, n.TypeID); ok {
			return nt.value(row, name)
		}
	}
	return Value{}, false
}

// AttrNames lists the attributes the node has, sorted.
func (n Node) AttrNames() []string {
	if n.table == nil {
		return nil
	}
	var names []string
	if g := n.table.groups[n.group]; g != nil {
		for name := range g.cols {
			names = append(names, name)
		}
	}
	if nt := n.table.types; nt != nil {
		if row, ok := nt.row(n.table.pop, n.TypeID); ok {
			for i, name := range nt.columns {
				if row[i] != "NULL" {
					names = append(names, name)
				}
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// LoadMorphology reads the node's morphology file (morphfile.ReadFile):
// the cell in its file's coordinates, as NEURON's Import3d makes it.
func LoadMorphology(n Node) (*morph.Cell, error) {
	if n.MorphologyFile == "" {
		if n.Morphology == "" {
			return nil, fmt.Errorf("node %s %d has no morphology", n.Population, n.ID)
		}
		return nil, fmt.Errorf("node %s %d: morphology %q, but the circuit config names no morphology folder", n.Population, n.ID, n.Morphology)
	}
	return morphfile.ReadFile(n.MorphologyFile)
}

// Nodes returns every node of the population called pop, in the order of
// the nodes file.
func (s *Simulation) Nodes(pop string) ([]Node, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.nodesLocked(pop)
}

func (s *Simulation) nodesLocked(pop string) ([]Node, error) {
	if ns, ok := s.nodes[pop]; ok {
		return slices.Clone(ns), nil
	}
	p, err := s.Population(pop)
	if err != nil {
		return nil, err
	}
	var types *nodeTypes
	if p.NodeTypesFile != "" {
		if types = s.types[p.NodeTypesFile]; types == nil {
			data, err := readLimited(p.NodeTypesFile, MaxNodeTypesSize)
			if err != nil {
				return nil, err
			}
			if types, err = parseNodeTypes(p.NodeTypesFile, data); err != nil {
				return nil, err
			}
			if s.types == nil {
				s.types = map[string]*nodeTypes{}
			}
			s.types[p.NodeTypesFile] = types
		}
	}
	ns, err := readNodes(p, types)
	if err != nil {
		return nil, fmt.Errorf("%s: population %s: %w", p.NodesFile, p.Name, err)
	}
	if s.nodes == nil {
		s.nodes = map[string][]Node{}
	}
	s.nodes[pop] = ns
	return slices.Clone(ns), nil
}

// readNodes reads a population's nodes and their attributes.
func readNodes(p *Population, types *nodeTypes) ([]Node, error) {
	g, err := openGroup(p.file.Root(), "nodes/"+p.Name)
	if err != nil {
		return nil, err
	}
	n := p.Size
	groupIDs, err := readInts(g, "node_group_id", n)
	if err != nil {
		return nil, err
	}
	groupIndex, err := readInts(g, "node_group_index", n)
	if err != nil {
		return nil, err
	}
	typeIDs, err := readInts(g, "node_type_id", n)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if _, err := g.Dataset("node_id"); err == nil {
		if ids, err = readInts(g, "node_id", n); err != nil {
			return nil, err
		}
		seen := make(map[int64]bool, n)
		for i, id := range ids {
			if id < 0 {
				return nil, fmt.Errorf("%s/node_id: node %d has a negative id, %d", g.Path(), i, id)
			}
			if seen[id] {
				return nil, fmt.Errorf("%s/node_id: id %d given twice", g.Path(), id)
			}
			seen[id] = true
		}
	} else if !errors.Is(err, hdf5.ErrNotFound) {
		return nil, err
	}
	table := &attrTable{pop: p.Name, groups: map[int64]*groupTable{}, types: types}
	for i, gid := range groupIDs {
		gt := table.groups[gid]
		if gt == nil {
			if gt, err = readGroup(g, gid); err != nil {
				return nil, fmt.Errorf("node %d: %w", i, err)
			}
			table.groups[gid] = gt
		}
		if gt.size >= 0 && (groupIndex[i] < 0 || groupIndex[i] >= int64(gt.size)) {
			return nil, fmt.Errorf("%s/node_group_index: node %d is at %d in group %d, whose %s has %d values",
				g.Path(), i, groupIndex[i], gid, gt.sizeFrom, gt.size)
		}
	}
	dirs := map[string]string{} // morphology name → file
	nodes := make([]Node, n)
	for i := range nodes {
		nd := &nodes[i]
		*nd = Node{Population: p.Name, ID: uint64(i), TypeID: typeIDs[i], ModelType: p.Type,
			table: table, group: groupIDs[i], index: int(groupIndex[i])}
		if ids != nil {
			nd.ID = uint64(ids[i])
		}
		if types != nil {
			if _, ok := types.row(p.Name, nd.TypeID); !ok {
				return nil, fmt.Errorf("node %d: node_type_id %d is not in %s", nd.ID, nd.TypeID, types.path)
			}
		}
		if err := nd.describe(p, dirs); err != nil {
			return nil, fmt.Errorf("node %d: %w", nd.ID, err)
		}
	}
	return nodes, nil
}

// readInts reads a population dataset of n integers.
func readInts(g *hdf5.Group, name string, n int) ([]int64, error) {
	ds, err := openDataset(g, name)
	if err != nil {
		return nil, err
	}
	if shape := ds.Shape(); len(shape) != 1 || shape[0] != uint64(n) {
		return nil, fmt.Errorf("%s: shape %v, want the population's %d nodes", ds.Path(), shape, n)
	}
	if ds.DType().Kind != hdf5.Integer {
		return nil, fmt.Errorf("%s: %s values, want integers", ds.Path(), ds.DType())
	}
	return ds.ReadInt64()
}

// readGroup reads node group gid of a population: every dataset in it
// but those under dynamics_params, with @library enumerations decoded.
func readGroup(pop *hdf5.Group, gid int64) (*groupTable, error) {
	g, err := openGroup(pop, strconv.FormatInt(gid, 10))
	if err != nil {
		return nil, fmt.Errorf("node group %d: %w", gid, err)
	}
	lib, err := g.Group("@library")
	if errors.Is(err, hdf5.ErrNotFound) {
		lib = nil
	} else if err != nil {
		return nil, err
	}
	gt := &groupTable{cols: map[string]*column{}, size: -1}
	for _, name := range g.Members() {
		obj, err := g.Object(name)
		if err != nil {
			return nil, err
		}
		ds, ok := obj.(*hdf5.Dataset)
		if !ok {
			continue
		}
		c, err := readColumn(ds, lib, name)
		if err != nil {
			return nil, err
		}
		if c == nil {
			continue
		}
		if gt.size < 0 {
			gt.size, gt.sizeFrom = c.len(), ds.Path()
		} else if c.len() != gt.size {
			return nil, fmt.Errorf("%s: %d values, but %s has %d", ds.Path(), c.len(), gt.sizeFrom, gt.size)
		}
		gt.cols[name] = c
	}
	return gt, nil
}

// readColumn reads one attribute of a node group; nil for values of a
// kind attributes are not (compound, reference, …).
func readColumn(ds *hdf5.Dataset, lib *hdf5.Group, name string) (*column, error) {
	if shape := ds.Shape(); len(shape) != 1 || shape[0] > MaxNodes {
		return nil, fmt.Errorf("%s: shape %v, want one value per node", ds.Path(), shape)
	}
	switch ds.DType().Kind {
	case hdf5.String, hdf5.VarString:
		texts, err := ds.ReadStrings()
		return &column{texts: texts}, err
	case hdf5.Integer, hdf5.Float:
	default:
		return nil, nil
	}
	nums, err := ds.ReadFloat64()
	if err != nil {
		return nil, err
	}
	if lib == nil {
		return &column{nums: nums}, nil
	}
	libds, err := lib.Dataset(name)
	if errors.Is(err, hdf5.ErrNotFound) {
		return &column{nums: nums}, nil
	} else if err != nil {
		return nil, err
	}
	if shape := libds.Shape(); len(shape) != 1 {
		return nil, fmt.Errorf("%s: shape %v, want a list of names", libds.Path(), shape)
	}
	names, err := libds.ReadStrings()
	if err != nil {
		return nil, err
	}
	texts := make([]string, len(nums))
	for i, v := range nums {
		if v != math.Trunc(v) || v < 0 || v >= float64(len(names)) {
			return nil, fmt.Errorf("%s: value %d is %g, not one of the %d names of %s", ds.Path(), i, v, len(names), libds.Path())
		}
		texts[i] = names[int(v)]
	}
	return &column{texts: texts}, nil
}

// describe fills in the node's position, rotation, model type and
// morphology from its attributes.
func (n *Node) describe(p *Population, files map[string]string) error {
	for k, axis := range []string{"x", "y", "z"} {
		v, ok, err := n.number(axis)
		if err != nil {
			return err
		}
		n.Position[k] = v
		n.HasPosition = n.HasPosition || ok
	}
	n.Rotation = identity
	var q [4]float64
	given := 0
	for k, axis := range []string{"w", "x", "y", "z"} {
		v, ok, err := n.number("orientation_" + axis)
		if err != nil {
			return err
		}
		if ok {
			q[k] = v
			given++
		}
	}
	switch given {
	case 4:
		r, err := quaternionMatrix(q[0], q[1], q[2], q[3])
		if err != nil {
			return err
		}
		n.Rotation = r
	case 0:
		var a [3]float64
		for k, axis := range []string{"x", "y", "z"} {
			v, _, err := n.number("rotation_angle_" + axis + "axis")
			if err != nil {
				return err
			}
			a[k] = v
		}
		n.Rotation = eulerMatrix(a[0], a[1], a[2])
	default:
		return fmt.Errorf("orientation quaternion given in part (orientation_w, _x, _y and _z go together)")
	}
	n.Recenter = true
	if v, ok := n.Attr("recenter"); ok && v.IsNumber && v.Number == 0 {
		n.Recenter = false
	}
	if v, ok := n.Attr("model_type"); ok {
		n.ModelType = v.Text
	}
	if v, ok := n.Attr("morphology"); ok {
		if v.IsNumber {
			return fmt.Errorf("morphology is the number %s, not a name", v.Text)
		}
		if v.Text != "" && v.Text != "None" {
			n.Morphology = v.Text
			file, ok := files[v.Text]
			if !ok {
				file = p.morphologyFile(v.Text)
				files[v.Text] = file
			}
			n.MorphologyFile = file
		}
	}
	return nil
}

// number returns a numeric attribute, and whether the node has it.
func (n *Node) number(name string) (float64, bool, error) {
	v, ok := n.Attr(name)
	if !ok {
		return 0, false, nil
	}
	if !v.IsNumber {
		return 0, false, fmt.Errorf("%s is %q, not a number", name, v.Text)
	}
	if math.IsNaN(v.Number) || math.IsInf(v.Number, 0) {
		return 0, false, fmt.Errorf("%s is %g", name, v.Number)
	}
	return v.Number, true, nil
}

// morphologyFile finds the file of the morphology called name. A name
// with the extension of a format is looked for in that format's folder
// (or the SWC folder, which BMTK uses for every format); a name without
// one is looked for as .swc, .asc and .h5 in their folders, and the first
// that exists is taken. When none exists the first candidate is returned,
// for the error that reading it gives.
func (p *Population) morphologyFile(name string) string {
	if filepath.IsAbs(name) {
		return name
	}
	ext := strings.ToLower(filepath.Ext(name))
	for _, f := range morphologyFormats {
		if ext != f.ext {
			continue
		}
		if d, ok := p.MorphologyDirs[f.name]; ok {
			return filepath.Join(d, name)
		}
		if d, ok := p.MorphologyDirs[FormatSWC]; ok {
			return filepath.Join(d, name)
		}
		return ""
	}
	first := ""
	for _, f := range morphologyFormats {
		d, ok := p.MorphologyDirs[f.name]
		if !ok {
			continue
		}
		path := filepath.Join(d, name+f.ext)
		if st, err := os.Stat(path); err == nil && st.Mode().IsRegular() {
			return path
		}
		if first == "" {
			first = path
		}
	}
	return first
}
