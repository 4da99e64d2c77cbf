package sonata

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/spikeframes/spikeframes/hdf5"
)

// Morphology formats, the keys of Population.MorphologyDirs: SWC files are
// in the circuit's morphologies_dir, the others in its
// alternate_morphologies.
const (
	FormatSWC = "swc"
	FormatASC = "neurolucida-asc"
	FormatH5  = "h5v1"
)

// morphologyFormats lists the formats in the order a morphology named
// without extension is looked for, with the extension of each.
var morphologyFormats = []struct{ name, ext string }{
	{FormatSWC, ".swc"},
	{FormatASC, ".asc"},
	{FormatH5, ".h5"},
}

// Simulation is a SONATA simulation: its circuit's node populations, its
// reports and its spikes, as its simulation config describes them.
type Simulation struct {
	// Config is the simulation config file and Circuit the circuit config
	// (the same file when the simulation config holds the circuit).
	Config, Circuit string
	// TStart, TStop and DT are the run's times in ms (0 when not given).
	TStart, TStop, DT float64
	// OutputDir holds the reports; SpikesFile is the spike report.
	OutputDir, SpikesFile string
	// NodeSetsFile is the node sets file ("" if there is none) and
	// Target the node set the simulation runs, its node_set ("" for all
	// nodes).
	NodeSetsFile, Target string
	// Reports are the reports the config asks for, by name.
	Reports []ReportConfig
	// Populations are the circuit's node populations, by name.
	Populations []Population

	files []*hdf5.File

	mu       sync.Mutex
	nodes    map[string][]Node
	types    map[string]*nodeTypes
	nodeSets *nodeSets
}

// ReportConfig is one entry of the simulation config's reports.
type ReportConfig struct {
	Name string
	// File is the report file: file_name (or the report's name, ".h5"
	// added when there is no extension) in the output directory.
	File string
	// Cells is the node set reported, Sections what of each cell ("soma",
	// "all", …), Type the kind of report ("compartment", …, or BMTK's
	// module, "membrane_report"), Variable the variable ("v").
	Cells, Sections, Type, Variable string
	Enabled                         bool
}

// Population is one node population of the circuit.
type Population struct {
	Name string
	// Type is the population's type in the circuit config
	// ("biophysical", "point_neuron", "virtual", …; "" if not given).
	Type string
	// Size is the number of nodes.
	Size int
	// NodesFile and NodeTypesFile are where the nodes are (NodeTypesFile
	// is "" when the circuit gives no node types file).
	NodesFile, NodeTypesFile string
	// MorphologyDirs are the folders of morphology files by format
	// (FormatSWC, FormatASC, FormatH5).
	MorphologyDirs map[string]string

	file *hdf5.File
}

// Open reads the simulation config at path, the circuit config it names
// and the list of node populations in the circuit's node files.
func Open(path string) (*Simulation, error) {
	sim, err := readConfig(path)
	if err != nil {
		return nil, err
	}
	// A BMTK root config names the simulation config and the network.
	root := sim
	if _, ok := sim.root["simulation"]; ok {
		p, err := root.file(root.root, "simulation", "simulation", "")
		if err != nil {
			return nil, err
		}
		if sim, err = readConfig(p); err != nil {
			return nil, err
		}
	}
	circuit, err := circuitConfig(root, sim)
	if err != nil {
		return nil, err
	}
	s := &Simulation{Config: sim.path, Circuit: circuit.path}
	if err := s.readSimulation(sim); err != nil {
		return nil, err
	}
	for _, cf := range []*configFile{sim, root, circuit} {
		if s.NodeSetsFile != "" {
			break
		}
		if s.NodeSetsFile, err = cf.file(cf.root, "node_sets_file", "node_sets_file", ""); err != nil {
			return nil, err
		}
	}
	if err := s.readCircuit(circuit); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// circuitConfig finds the circuit config: the simulation config itself
// when it lists networks, else the file its "network" names (or the root
// config's), else circuit_config.json beside it.
func circuitConfig(root, sim *configFile) (*configFile, error) {
	for _, cf := range []*configFile{sim, root} {
		if _, ok := cf.root["networks"]; ok {
			return cf, nil
		}
		if _, ok := cf.root["network"]; ok {
			p, err := cf.file(cf.root, "network", "network", "")
			if err != nil {
				return nil, err
			}
			return readConfig(p)
		}
	}
	return readConfig(filepath.Join(sim.dir, "circuit_config.json"))
}

func (s *Simulation) readSimulation(cf *configFile) error {
	run, err := cf.object(cf.root, "run", "run")
	if err != nil {
		return err
	}
	for _, f := range []struct {
		dst *float64
		key string
	}{{&s.TStart, "tstart"}, {&s.TStop, "tstop"}, {&s.DT, "dt"}} {
		if *f.dst, err = cf.number(run, f.key, "run."+f.key, 0); err != nil {
			return err
		}
	}
	out, err := cf.object(cf.root, "output", "output")
	if err != nil {
		return err
	}
	if s.OutputDir, err = cf.file(out, "output_dir", "output.output_dir", ""); err != nil {
		return err
	}
	if s.OutputDir == "" {
		s.OutputDir = filepath.Join(cf.dir, "output")
	}
	if s.SpikesFile, err = cf.file(out, "spikes_file", "output.spikes_file", s.OutputDir); err != nil {
		return err
	}
	if s.SpikesFile == "" {
		s.SpikesFile = filepath.Join(s.OutputDir, "spikes.h5")
	}
	if s.Target, err = cf.str(cf.root, "node_set", "node_set"); err != nil {
		return err
	}
	reports, err := cf.object(cf.root, "reports", "reports")
	if err != nil {
		return err
	}
	for _, name := range sortedKeys(reports) {
		where := "reports." + name
		m, err := cf.object(reports, name, where)
		if err != nil {
			return err
		}
		r := ReportConfig{Name: name}
		for _, f := range []struct {
			dst *string
			key string
		}{{&r.Cells, "cells"}, {&r.Sections, "sections"}, {&r.Type, "type"}, {&r.Variable, "variable_name"}} {
			if *f.dst, err = cf.str(m, f.key, where+"."+f.key); err != nil {
				return err
			}
		}
		if r.Type == "" {
			if r.Type, err = cf.str(m, "module", where+".module"); err != nil {
				return err
			}
		}
		if r.Enabled, err = cf.boolean(m, "enabled", where+".enabled", true); err != nil {
			return err
		}
		if r.File, err = cf.file(m, "file_name", where+".file_name", s.OutputDir); err != nil {
			return err
		}
		if r.File == "" {
			r.File = filepath.Join(s.OutputDir, name)
		}
		if filepath.Ext(r.File) == "" {
			r.File += ".h5"
		}
		s.Reports = append(s.Reports, r)
	}
	return nil
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// nodesEntry is one entry of the circuit config's networks.nodes.
type nodesEntry struct {
	nodesFile, typesFile string
	// props are the populations the entry describes: their type and
	// morphology folders (the circuit's, with the population's own over
	// them).
	props map[string]popProps
	dirs  map[string]string // the folders of populations it does not describe
}

type popProps struct {
	typ  string
	dirs map[string]string
}

// parseCircuit reads the node files of a circuit config and what it says
// of their populations.
func parseCircuit(cf *configFile) ([]nodesEntry, error) {
	comps, err := cf.object(cf.root, "components", "components")
	if err != nil {
		return nil, err
	}
	dirs, err := morphologyDirs(cf, comps, "components")
	if err != nil {
		return nil, err
	}
	networks, err := cf.object(cf.root, "networks", "networks")
	if err != nil {
		return nil, err
	}
	if networks == nil {
		return nil, cf.errorf("networks", "missing: the circuit config lists no node files")
	}
	list, ok := networks["nodes"].([]any)
	if !ok {
		return nil, cf.errorf("networks.nodes", "want an array of node files, not %s", jsonKind(networks["nodes"]))
	}
	var entries []nodesEntry
	for i, item := range list {
		where := fmt.Sprintf("networks.nodes[%d]", i)
		m, ok := item.(map[string]any)
		if !ok {
			return nil, cf.errorf(where, "want an object, not %s", jsonKind(item))
		}
		e := nodesEntry{props: map[string]popProps{}, dirs: dirs}
		if e.nodesFile, err = cf.file(m, "nodes_file", where+".nodes_file", ""); err != nil {
			return nil, err
		}
		if e.nodesFile == "" {
			return nil, cf.errorf(where, "no nodes_file")
		}
		if e.typesFile, err = cf.file(m, "node_types_file", where+".node_types_file", ""); err != nil {
			return nil, err
		}
		pops, err := cf.object(m, "populations", where+".populations")
		if err != nil {
			return nil, err
		}
		for _, name := range sortedKeys(pops) {
			pwhere := where + ".populations." + name
			pm, err := cf.object(pops, name, pwhere)
			if err != nil {
				return nil, err
			}
			pp := popProps{dirs: maps.Clone(dirs)}
			if pp.typ, err = cf.str(pm, "type", pwhere+".type"); err != nil {
				return nil, err
			}
			own, err := morphologyDirs(cf, pm, pwhere)
			if err != nil {
				return nil, err
			}
			maps.Copy(pp.dirs, own)
			e.props[name] = pp
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// readCircuit opens the circuit's node files and lists their populations.
func (s *Simulation) readCircuit(cf *configFile) error {
	entries, err := parseCircuit(cf)
	if err != nil {
		return err
	}
	seen := map[string]string{}
	for _, e := range entries {
		f, err := hdf5.Open(e.nodesFile)
		if err != nil {
			return err
		}
		s.files = append(s.files, f)
		top, err := openGroup(f.Root(), "nodes")
		if err != nil {
			return fmt.Errorf("%s: %w", e.nodesFile, err)
		}
		for _, name := range top.Members() {
			if other, dup := seen[name]; dup {
				return fmt.Errorf("%s: population %q is also in %s", e.nodesFile, name, other)
			}
			seen[name] = e.nodesFile
			pp, ok := e.props[name]
			if !ok {
				pp.dirs = e.dirs
			}
			p := Population{Name: name, Type: pp.typ, NodesFile: e.nodesFile, NodeTypesFile: e.typesFile,
				MorphologyDirs: maps.Clone(pp.dirs), file: f}
			if p.Size, err = populationSize(f, name); err != nil {
				return fmt.Errorf("%s: %w", e.nodesFile, err)
			}
			s.Populations = append(s.Populations, p)
		}
	}
	slices.SortFunc(s.Populations, func(a, b Population) int { return strings.Compare(a.Name, b.Name) })
	return nil
}

// morphologyDirs reads morphologies_dir and alternate_morphologies from m.
func morphologyDirs(cf *configFile, m map[string]any, where string) (map[string]string, error) {
	dirs := map[string]string{}
	d, err := cf.file(m, "morphologies_dir", where+".morphologies_dir", "")
	if err != nil {
		return nil, err
	}
	if d != "" {
		dirs[FormatSWC] = d
	}
	alt, err := cf.object(m, "alternate_morphologies", where+".alternate_morphologies")
	if err != nil {
		return nil, err
	}
	for _, format := range sortedKeys(alt) {
		d, err := cf.file(alt, format, where+".alternate_morphologies."+format, "")
		if err != nil {
			return nil, err
		}
		if d != "" {
			dirs[format] = d
		}
	}
	return dirs, nil
}

// populationSize is the length of a population's node_group_id dataset.
func populationSize(f *hdf5.File, name string) (int, error) {
	ds, err := openDataset(f.Root(), "nodes/"+name+"/node_group_id")
	if err != nil {
		return 0, err
	}
	shape := ds.Shape()
	if len(shape) != 1 {
		return 0, fmt.Errorf("%s: want one dimension, not shape %v", ds.Path(), shape)
	}
	if shape[0] > MaxNodes {
		return 0, fmt.Errorf("%s: %d nodes, more than the limit of %d", ds.Path(), shape[0], MaxNodes)
	}
	return int(shape[0]), nil
}

// Population returns the population called name.
func (s *Simulation) Population(name string) (*Population, error) {
	for i := range s.Populations {
		if s.Populations[i].Name == name {
			return &s.Populations[i], nil
		}
	}
	names := make([]string, len(s.Populations))
	for i, p := range s.Populations {
		names[i] = strconv.Quote(p.Name)
	}
	return nil, fmt.Errorf("no population %q in the circuit (it has %s)", name, joinOr(names))
}

// Report opens the report called name of the simulation config, for the
// population pop ("" if the report holds only one).
func (s *Simulation) Report(name, pop string) (*Report, error) {
	for _, r := range s.Reports {
		if r.Name == name {
			return OpenReport(r.File, pop)
		}
	}
	names := make([]string, len(s.Reports))
	for i, r := range s.Reports {
		names[i] = strconv.Quote(r.Name)
	}
	return nil, fmt.Errorf("%s: no report %q (it has %s)", s.Config, name, joinOr(names))
}

// Spikes reads the spikes of population pop from the simulation's spike
// report.
func (s *Simulation) Spikes(pop string) (*Spikes, error) {
	return ReadSpikes(s.SpikesFile, pop)
}

// Close closes the node files.
func (s *Simulation) Close() error {
	var errs []error
	for _, f := range s.files {
		errs = append(errs, f.Close())
	}
	s.files = nil
	return errors.Join(errs...)
}

// joinOr lists names for a message: "none", "a", "a or b", "a, b or c".
func joinOr(names []string) string {
	switch len(names) {
	case 0:
		return "none"
	case 1:
		return names[0]
	}
	out := ""
	for i, n := range names[:len(names)-1] {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out + " or " + names[len(names)-1]
}
