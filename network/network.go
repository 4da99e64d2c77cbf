// Package network turns a SONATA simulation into the cells of a movie
// scene: the nodes chosen, each morphology placed where its node stands,
// and the compartment report's voltages read a frame at a time as the
// movie shows them.
package network

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/sonata"
	"github.com/spikeframes/spikeframes/voltage"
)

// Categories a network's cells can be coloured by (Options.Category).
const (
	ByPopulation = "population" // the node's population
	ByMType      = "mtype"      // the node's mtype attribute ("" when it has none)
)

// PointDiameter is the diameter (µm) of the sphere that stands for a node
// without a morphology, such as a point neuron.
const PointDiameter = 12

// Options say which nodes of a simulation are drawn, and how.
type Options struct {
	// Nodes chooses the nodes (see Select): "" for the simulation's own
	// node set, or all nodes when it names none.
	Nodes string
	// Category is what Cell.Category holds: ByPopulation, ByMType or ""
	// for nothing.
	Category string
	// SomaOnlyFill colours a whole cell by its soma's voltage when the
	// report holds the soma only; without it the rest of the cell shows
	// Rest.
	SomaOnlyFill bool
	// Rest is the value shown where the report holds nothing (sections
	// not reported, nodes not in the report): the bottom of the colormap
	// is the usual choice.
	Rest float32
	// Peak is the value a soma flashes to when its node spikes (the top of
	// the colormap is the usual choice), decaying back to Rest with the
	// time constant SpikeDecay (ms; 0 means DefaultSpikeDecay). Spikes
	// show on the cells the compartment report does not hold, on the soma
	// (with SomaOnlyFill, the whole cell).
	Peak, SpikeDecay float32
}

// DefaultSpikeDecay is the time constant (ms) of a spike's flash.
const DefaultSpikeDecay = 2

// SpikeFrameStep is the time (ms) between the frames of a simulation
// shown by its spikes alone, without a compartment report.
const SpikeFrameStep = 0.5

// MaxSpikeFrames bounds the frames of a simulation shown by its spikes
// alone.
const MaxSpikeFrames = 1 << 20

// Scene is a simulation's chosen nodes as cells of a movie scene, in the
// order of the populations' names and, within each, of the node ids.
type Scene struct {
	Cells []movie.Cell
	Nodes []sonata.Node
	// Report is the compartment report whose voltages the cells show, and
	// Reported how many of the cells it holds (0 and "" without one).
	Report   string
	Reported int
	// Spiking is how many of the cells the report does not hold flash
	// at their spikes.
	Spiking int
	// Skipped counts the virtual nodes chosen, which have nothing to draw.
	Skipped int
	// Files are the files the cells were made from, each once, in the
	// order they were first read: the configs, the node sets, each
	// population's nodes, node types and report, the morphologies and the
	// spikes. A render's frames depend on their contents alone.
	Files []string

	reports []*sonata.Report
	columns map[*sonata.Report][]span // each report's columns of the cells it holds, in their order
	levels  *levels
	seen    map[string]bool // Files, as a set
}

// levels are the values a scene's cells show where the report holds
// nothing (rest) and that spikes flash to (peak).
type levels struct{ rest, peak float32 }

// SetLevels changes what the cells show where the report holds nothing,
// and the value spikes flash to (Options.Rest and Options.Peak), before
// any frame is read: for limits that are known only once the report's
// values have been seen (see Values).
func (s *Scene) SetLevels(rest, peak float32) { *s.levels = levels{rest, peak} }

// span is the columns [first, end) of a report frame.
type span struct{ first, end int }

// uses adds path to the scene's Files, unless it is there already.
func (s *Scene) uses(path string) {
	if path == "" || s.seen[path] {
		return
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[path] = true
	s.Files = append(s.Files, path)
}

// Close closes the report files the scene reads from.
func (s *Scene) Close() error {
	var errs []error
	for _, r := range s.reports {
		errs = append(errs, r.Close())
	}
	return errors.Join(errs...)
}

// Load reads the nodes o chooses from sim, their morphologies (each file
// once) and the layout of the compartment report on them. The report's
// values are read later, a frame at a time, through each cell's Source.
func Load(sim *sonata.Simulation, o Options) (*Scene, error) {
	sel, err := Select(sim, o.Nodes)
	if err != nil {
		return nil, err
	}
	s := &Scene{columns: map[*sonata.Report][]span{}, levels: &levels{o.Rest, o.Peak}}
	s.uses(sim.Config)
	s.uses(sim.Circuit)
	s.uses(sim.NodeSetsFile)
	rc, ok := compartmentReport(sim)
	morphs := map[string]*morph.Cell{}
	pops := make([]string, 0, len(sel))
	for pop := range sel {
		pops = append(pops, pop)
	}
	slices.Sort(pops)
	for _, pop := range pops {
		nodes, err := sim.Nodes(pop)
		if err != nil {
			s.Close()
			return nil, err
		}
		p, err := sim.Population(pop)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.uses(p.NodesFile)
		s.uses(p.NodeTypesFile)
		var rep *sonata.Report
		if ok {
			if rep, err = sonata.OpenReport(rc.File, pop); err != nil && !errors.Is(err, sonata.ErrNoPopulation) {
				s.Close()
				return nil, fmt.Errorf("report %s: %w", rc.Name, err)
			}
			if rep != nil {
				s.reports = append(s.reports, rep)
				s.Report = rc.Name
				s.uses(rc.File)
			}
		}
		var reported map[uint64]bool
		if rep != nil {
			reported = map[uint64]bool{}
			for _, id := range rep.NodeIDs() {
				reported[id] = true
			}
		}
		byID := make(map[uint64]int, len(nodes))
		for i, n := range nodes {
			byID[n.ID] = i
		}
		for _, id := range sel[pop] {
			i, found := byID[id]
			if !found {
				s.Close()
				return nil, fmt.Errorf("population %s has no node %d", pop, id)
			}
			n := nodes[i]
			if n.ModelType == "virtual" {
				s.Skipped++
				continue
			}
			if len(s.Cells) == movie.MaxCells {
				s.Close()
				return nil, fmt.Errorf("more than %d nodes chosen: a scene holds at most %d; choose fewer with a node set or POP:IDS", movie.MaxCells, movie.MaxCells)
			}
			r := rep
			if !reported[id] {
				r = nil
			}
			c, err := s.cell(n, r, rc, morphs, o)
			if err != nil {
				s.Close()
				return nil, fmt.Errorf("node %s %d: %w", pop, id, err)
			}
			s.Cells = append(s.Cells, c)
			s.Nodes = append(s.Nodes, n)
		}
	}
	if len(s.Cells) == 0 {
		s.Close()
		return nil, fmt.Errorf("no node to draw: the nodes chosen are %d virtual ones", s.Skipped)
	}
	if err := s.flashSpikes(sim, o); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// flashSpikes gives every cell the report does not hold a recording in
// the report's frames and times (or, without a report, frames
// SpikeFrameStep apart over the run) that flashes at its node's spikes.
func (s *Scene) flashSpikes(sim *sonata.Simulation, o Options) error {
	spikes := map[string]*sonata.Spikes{}
	if sim.SpikesFile != "" {
		for _, n := range s.Nodes {
			if _, done := spikes[n.Population]; done {
				continue
			}
			sp, err := sim.Spikes(n.Population)
			switch {
			case errors.Is(err, sonata.ErrNoPopulation):
			case errors.Is(err, fs.ErrNotExist):
				if s.Reported > 0 {
					break
				}
				return nil // neither report nor spikes: nothing changes in time
			case err != nil:
				return err
			default:
				s.uses(sim.SpikesFile)
			}
			spikes[n.Population] = sp
		}
	}
	var t timing
	if s.Reported > 0 {
		r := s.reports[0]
		t = timing{frames: r.Frames, start: r.Start, step: r.Step}
	} else {
		stop := sim.TStop
		for _, sp := range spikes {
			if sp == nil {
				continue
			}
			for _, id := range sp.NodeIDs() {
				ts := sp.Times(id)
				stop = max(stop, ts[len(ts)-1])
			}
		}
		if !(stop > sim.TStart) {
			return nil
		}
		n := int(math.Floor((stop-sim.TStart)/SpikeFrameStep)) + 1
		if n > MaxSpikeFrames {
			return fmt.Errorf("the run, %g to %g ms, is more than %d frames %g ms apart", sim.TStart, stop, MaxSpikeFrames, SpikeFrameStep)
		}
		t = timing{frames: n, start: sim.TStart, step: SpikeFrameStep}
	}
	decay := o.SpikeDecay
	if decay <= 0 {
		decay = DefaultSpikeDecay
	}
	for i, c := range s.Cells {
		if c.Rec != nil {
			continue
		}
		rec := t.recording(len(c.Morph.Sections))
		var times []float64
		if sp := spikes[s.Nodes[i].Population]; sp != nil {
			times = sp.Times(s.Nodes[i].ID)
		}
		if len(times) == 0 {
			s.Cells[i].Rec, s.Cells[i].Source = rec, restSource{s.levels}
			continue
		}
		flash := make([]bool, len(c.Morph.Sections))
		for k, sec := range c.Morph.Sections {
			flash[k] = o.SomaOnlyFill || sec.Type == "soma"
		}
		s.Cells[i].Rec = rec
		s.Cells[i].Source = &spikeSource{times: times, t: t, levels: s.levels, decay: float64(decay), flash: flash}
		s.Spiking++
	}
	return nil
}

// timing is the frames of a network's movie: frame k at start + k·step.
type timing struct {
	frames      int
	start, step float64
}

// recording is a recording of t's frames over sections sections of one
// value each, without values.
func (t timing) recording(sections int) *voltage.Recording {
	rec := &voltage.Recording{
		Frames: t.frames, Traces: make([]voltage.Trace, sections),
		TStart: t.start, TStop: t.start + float64(t.frames-1)*t.step, HasTime: t.frames > 1,
		Variable: "v", Unit: "mV",
	}
	for s := range rec.Traces {
		rec.Traces[s].NSeg = 1
	}
	return rec
}

// spikeSource is a cell that flashes at its node's spikes: the sections
// that flash jump to peak at each spike and decay back to rest.
type spikeSource struct {
	times  []float64 // ascending
	t      timing
	levels *levels
	decay  float64
	flash  []bool // by section
}

// ReadFrame fills frame f: the flashing sections at the glow of the
// latest spike at or before the frame's time, the others at rest.
func (s *spikeSource) ReadFrame(f int, dst [][]float32) error {
	now := s.t.start + float64(f)*s.t.step
	rest, peak := s.levels.rest, s.levels.peak
	glow := rest
	// the latest spike at or before now
	if k, _ := slices.BinarySearch(s.times, math.Nextafter(now, math.Inf(1))); k > 0 {
		w := math.Exp(-(now - s.times[k-1]) / s.decay)
		glow = rest + float32(w)*(peak-rest)
	}
	for sec, d := range dst {
		v := rest
		if s.flash[sec] {
			v = glow
		}
		for i := range d {
			d[i] = v
		}
	}
	return nil
}

// cell makes node n's movie cell: its morphology placed (a sphere for a
// node without one), its category, and its voltages from rep (nil when
// the node is not reported).
func (s *Scene) cell(n sonata.Node, rep *sonata.Report, rc sonata.ReportConfig, morphs map[string]*morph.Cell, o Options) (movie.Cell, error) {
	var c movie.Cell
	if n.Morphology == "" && n.MorphologyFile == "" {
		c.Morph = pointCell(n)
	} else {
		m, ok := morphs[n.MorphologyFile]
		if !ok {
			var err error
			if m, err = sonata.LoadMorphology(n); err != nil {
				return c, err
			}
			morphs[n.MorphologyFile] = m
			s.uses(n.MorphologyFile)
		}
		c.Morph = sonata.Place(m, n)
	}
	switch o.Category {
	case ByPopulation:
		c.Category = n.Population
	case ByMType:
		if v, ok := n.Attr("mtype"); ok {
			c.Category = v.String()
		}
	}
	if rep == nil {
		return c, nil
	}
	l, err := rep.Layout(n.ID, c.Morph)
	if err != nil {
		return c, err
	}
	c.Rec, c.Source = reportRecording(c.Morph, rep, l, s.levels, o.SomaOnlyFill && rc.Sections == "soma")
	s.columns[rep] = append(s.columns[rep], span{l.First, l.End})
	s.Reported++
	return c, nil
}

// pointCell is a sphere where node n stands, for a node drawn without a
// morphology.
func pointCell(n sonata.Node) *morph.Cell {
	p := morph.Point{X: n.Position[0], Y: n.Position[1], Z: n.Position[2], Diam: PointDiameter}
	q := p
	q.X += PointDiameter / 2
	p.X -= PointDiameter / 2
	return &morph.Cell{Sections: []morph.Section{{Type: "soma", Parent: -1, Points: []morph.Point{p, q}}}}
}

// compartmentReport is the report whose voltages colour the cells: the
// first enabled compartment report of the membrane voltage over whole
// cells, else the first over somas.
func compartmentReport(sim *sonata.Simulation) (sonata.ReportConfig, bool) {
	var soma *sonata.ReportConfig
	for i, r := range sim.Reports {
		compartment := r.Type == "compartment" || r.Type == "membrane_report" || r.Type == ""
		if !r.Enabled || !compartment || (r.Variable != "v" && r.Variable != "") {
			continue
		}
		if r.Sections != "soma" {
			return r, true
		}
		if soma == nil {
			soma = &sim.Reports[i]
		}
	}
	if soma != nil {
		return *soma, true
	}
	return sonata.ReportConfig{}, false
}

// Select resolves a choice of nodes: "POP" (every node of population
// POP), "POP:IDS" (IDS a list of ids and ranges, "0,3,10-19"), or the
// name of a node set; "" is the simulation's node set, or every node of
// every population when it names none.
func Select(sim *sonata.Simulation, nodes string) (sonata.Selection, error) {
	if nodes == "" {
		if sim.Target != "" {
			return sim.NodeSet(sim.Target)
		}
		sel := sonata.Selection{}
		for _, p := range sim.Populations {
			ids, err := allIDs(sim, p.Name)
			if err != nil {
				return nil, err
			}
			sel[p.Name] = ids
		}
		return sel, nil
	}
	pop, list, hasIDs := strings.Cut(nodes, ":")
	isPop := slices.ContainsFunc(sim.Populations, func(p sonata.Population) bool { return p.Name == pop })
	switch {
	case isPop && !hasIDs:
		ids, err := allIDs(sim, pop)
		return sonata.Selection{pop: ids}, err
	case isPop:
		ids, err := parseIDs(list)
		if err != nil {
			return nil, fmt.Errorf("--nodes %s: %w", nodes, err)
		}
		return sonata.Selection{pop: ids}, nil
	case hasIDs:
		names := make([]string, len(sim.Populations))
		for i, p := range sim.Populations {
			names[i] = p.Name
		}
		return nil, fmt.Errorf("--nodes %s: no population %q (the circuit has %s)", nodes, pop, strings.Join(names, ", "))
	}
	sel, err := sim.NodeSet(nodes)
	if err != nil {
		return nil, fmt.Errorf("--nodes %s: neither a population nor a node set: %w", nodes, err)
	}
	return sel, nil
}

// allIDs lists every node id of population pop.
func allIDs(sim *sonata.Simulation, pop string) ([]uint64, error) {
	nodes, err := sim.Nodes(pop)
	if err != nil {
		return nil, err
	}
	ids := make([]uint64, len(nodes))
	for i, n := range nodes {
		ids[i] = n.ID
	}
	return ids, nil
}

// parseIDs reads a list of node ids and ranges, "0,3,10-19", into sorted
// distinct ids; a range may hold at most movie.MaxCells ids.
func parseIDs(s string) ([]uint64, error) {
	var ids []uint64
	for part := range strings.SplitSeq(s, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		a, err := strconv.ParseUint(strings.TrimSpace(lo), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%q: want node ids and ranges such as 0,3,10-19", part)
		}
		b := a
		if isRange {
			if b, err = strconv.ParseUint(strings.TrimSpace(hi), 10, 64); err != nil || b < a {
				return nil, fmt.Errorf("%q: want a range FIRST-LAST with FIRST ≤ LAST", part)
			}
		}
		if b-a >= movie.MaxCells || len(ids)+int(b-a) >= movie.MaxCells {
			return nil, fmt.Errorf("%q: more than %d nodes", part, movie.MaxCells)
		}
		for id := a; id <= b; id++ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// reportRecording is the shape of a reported cell's recording and the
// source of its values: each section's compartments as the layout gives
// them; a section the report does not hold has one value, the soma's
// when fillBySoma, else the rest level.
func reportRecording(c *morph.Cell, rep *sonata.Report, l *sonata.Layout, lv *levels, fillBySoma bool) (*voltage.Recording, voltage.Source) {
	rec := shape(rep, len(c.Sections))
	for s := range c.Sections {
		rec.Traces[s].NSeg = max(1, l.NSeg(s))
	}
	fill := -1 // the section whose value fills the unreported ones
	if fillBySoma {
		for s, sec := range c.Sections {
			if sec.Type == "soma" && l.NSeg(s) > 0 {
				fill = s
				break
			}
		}
	}
	return rec, &reportSource{rep: rep, layout: l, levels: lv, fill: fill}
}

// shape is a recording of the report's frames and times over sections
// sections, without values.
func shape(rep *sonata.Report, sections int) *voltage.Recording {
	unit := rep.Units
	if unit == "" {
		unit = "mV"
	}
	return &voltage.Recording{
		Frames: rep.Frames, Traces: make([]voltage.Trace, sections),
		TStart: rep.Start, TStop: rep.Time(rep.Frames - 1), HasTime: rep.Frames > 1,
		Variable: "v", Unit: unit,
	}
}

// restSource is a source whose every value is the rest level.
type restSource struct{ levels *levels }

// ReadFrame fills dst with the rest level.
func (r restSource) ReadFrame(_ int, dst [][]float32) error {
	for _, d := range dst {
		for i := range d {
			d[i] = r.levels.rest
		}
	}
	return nil
}

// reportSource reads one node's values from a compartment report, a
// frame at a time; it is safe for concurrent use, as its report is.
type reportSource struct {
	rep    *sonata.Report
	layout *sonata.Layout
	levels *levels
	fill   int // the section whose first value fills unreported ones, or −1
}

// ReadFrame reads the node's columns of frame f and lays them onto its
// sections.
func (r *reportSource) ReadFrame(f int, dst [][]float32) error {
	frame, err := r.rep.ReadFrame(f, r.layout.First, r.layout.End)
	if err != nil {
		return err
	}
	// Voltages writes the reported sections' values straight into dst's
	// slices, which have their sizes, and leaves nil for the others.
	values, err := r.layout.Voltages(frame, slices.Clone(dst))
	if err != nil {
		return err
	}
	rest := r.levels.rest
	if r.fill >= 0 {
		rest = values[r.fill][0]
	}
	for s, d := range dst {
		if values[s] == nil {
			for i := range d {
				d[i] = rest
			}
		}
	}
	return nil
}
