package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/network"
	"github.com/spikeframes/spikeframes/scene"
	"github.com/spikeframes/spikeframes/sonata"
)

// configKeys are top-level keys that only a SONATA simulation or circuit
// config (or BMTK's root config naming both) has among the JSON files
// spikeframes reads.
var configKeys = []string{"network", "networks", "run", "output", "simulation", "reports"}

// isSimulationConfig reports whether the file at path is a SONATA
// simulation or circuit config: a JSON object with a key that such a
// config has, among its first 16 MiB.
func isSimulationConfig(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return false
	}
	dec := json.NewDecoder(io.LimitReader(f, 16<<20))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return false
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return false
		}
		if k, ok := key.(string); ok && slices.Contains(configKeys, k) {
			return true
		}
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return false
		}
	}
	return false
}

// addNetworkFlags registers the flags of a SONATA simulation's render.
func (f *renderFlags) addNetworkFlags(fs *pflag.FlagSet) {
	d := scene.Default().Network
	fs.StringVar(&f.nodes, "nodes", d.Nodes, `a SONATA simulation's nodes to draw: POP (a population), POP:IDS ("cortex:0,5,10-19") or a node set's name (default: the simulation's node set, else every node)`)
	fs.BoolVar(&f.somaOnlyFill, "soma-only-fill", d.SomaOnlyFill, "with a SONATA report of somas only, colour each whole cell by its soma's voltage, and flash whole cells at their spikes (else only the soma)")
	fs.Float64Var(&f.spikeDecay, "spike-decay", d.SpikeDecay, "a SONATA simulation's cells without a compartment report flash at --vmax at each spike, fading to --vmin with this time constant (ms)")
}

// network is the scene's network settings as the flags give them; had is
// the scene's before them, whose category stays unless --color-by names
// one.
func (f *renderFlags) network(had scene.Network) scene.Network {
	n := scene.Network{Nodes: f.nodes, Category: had.Category, SomaOnlyFill: f.somaOnlyFill, SpikeDecay: f.spikeDecay}
	if f.colorBy == network.ByPopulation || f.colorBy == network.ByMType {
		n.Category = f.colorBy
	}
	return n
}

// networkSetting names the first of n's settings that differs from its
// default ("" when none does): they mean something only for a SONATA
// simulation. A default is not refused, as a scene file printed for any
// render holds every setting. The category is left out: only --color-by
// category uses it, which says so itself.
func networkSetting(n scene.Network) string {
	d := scene.Default().Network
	switch {
	case n.Nodes != d.Nodes:
		return "nodes"
	case n.SomaOnlyFill != d.SomaOnlyFill:
		return "soma-only-fill"
	case n.SpikeDecay != d.SpikeDecay:
		return "spike-decay"
	}
	return ""
}

// validateNetwork checks the scene's network settings, naming a bad one's
// flag, or the scene file when the value came from there.
func (f *renderFlags) validateNetwork(n scene.Network) error {
	var name string
	var err error
	switch {
	case n.Category != network.ByPopulation && n.Category != network.ByMType:
		name, err = "color-by", fmt.Errorf("network.category %q: want %s or %s", n.Category, network.ByPopulation, network.ByMType)
	case !(n.SpikeDecay > 0 && n.SpikeDecay <= maxSpikeDecay):
		name, err = "spike-decay", fmt.Errorf("spike-decay %g: want a time constant in ms above 0 and up to %g", n.SpikeDecay, float64(maxSpikeDecay))
	default:
		return nil
	}
	if f.scene == "" || f.given(name) {
		return fmt.Errorf("--%w", err)
	}
	return fmt.Errorf("--scene %s: %w", f.scene, err)
}

// readNetwork opens the SONATA simulation at path and reads the nodes
// the scene's network settings choose, as cells of the scene.
func readNetwork(path string, n scene.Network) (*sonata.Simulation, *network.Scene, error) {
	sim, err := sonata.Open(path)
	if err != nil {
		return nil, nil, err
	}
	s, err := network.Load(sim, network.Options{
		Nodes: n.Nodes, Category: n.Category, SomaOnlyFill: n.SomaOnlyFill, SpikeDecay: float32(n.SpikeDecay),
	})
	if err != nil {
		sim.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return sim, s, nil
}

// networkLimits makes the automatic limits of the colours a network's
// cells are shown with (the cells' own, else colors) numbers, taken from
// the compartment report's values on the cells drawn as they are from a
// recording held whole; and makes the limits what the parts the report
// does not hold show (vmin) and what spikes flash to (vmax).
func networkLimits(s *network.Scene, colors *movie.Colors, cells []movie.Cell) error {
	shown := *colors
	if cells[0].Colors != nil {
		shown = *cells[0].Colors
	}
	if shown.VMin.Auto || shown.VMax.Auto {
		if s.Reported == 0 {
			return errors.New(`--vmin and --vmax "auto" are taken from the compartment report's values, and it holds none of the cells drawn: give them as numbers`)
		}
		var err error
		if shown, err = shown.Resolve(s.Values); err != nil {
			return fmt.Errorf("automatic limits: %w", err)
		}
		if cells[0].Colors == nil {
			*colors = shown
		} else {
			own := shown
			for i := range cells {
				cells[i].Colors = &own
			}
		}
	}
	s.SetLevels(float32(shown.VMin.Value), float32(shown.VMax.Value))
	return nil
}

// maxSpikeDecay bounds --spike-decay (ms).
const maxSpikeDecay = 1e4

// describeNetwork is the line render prints about the network read.
func describeNetwork(path string, s *network.Scene) string {
	var b strings.Builder
	fmt.Fprintf(&b, "read %s: %d cells", path, len(s.Cells))
	if s.Skipped > 0 {
		fmt.Fprintf(&b, " (%d virtual nodes left out)", s.Skipped)
	}
	if s.Report != "" {
		fmt.Fprintf(&b, ", report %s on %d of them, %d frames", s.Report, s.Reported, s.Cells[0].Rec.Frames)
	} else {
		b.WriteString(", no compartment report")
	}
	if s.Spiking > 0 {
		fmt.Fprintf(&b, ", %d cells flashing at their spikes, %d frames", s.Spiking, s.Cells[0].Rec.Frames)
	}
	return b.String()
}

// networkSummary is what inspect reports about a SONATA simulation; its
// JSON form is the --json output.
type networkSummary struct {
	File        string              `json:"file"`
	Circuit     string              `json:"circuit"`
	NodeSet     string              `json:"node_set,omitempty"`
	Populations []populationSummary `json:"populations"`
	Reports     []reportSummary     `json:"reports"`
	Spikes      []spikesSummary     `json:"spikes"`
}

type populationSummary struct {
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"`
	Nodes int    `json:"nodes"`
}

// reportSummary is one population of one report of the config: its
// shape and time axis, or why it could not be read.
type reportSummary struct {
	Name       string  `json:"name"`
	Population string  `json:"population,omitempty"`
	Sections   string  `json:"sections,omitempty"`
	Nodes      int     `json:"nodes"`
	Columns    int     `json:"columns"`
	Frames     int     `json:"frames"`
	TStart     float64 `json:"t_start"`
	TStop      float64 `json:"t_stop"`
	DT         float64 `json:"dt"`
	Units      string  `json:"units,omitempty"`
	TimeUnits  string  `json:"time_units,omitempty"`
	Error      string  `json:"error,omitempty"`
}

type spikesSummary struct {
	Population string  `json:"population"`
	Spikes     int     `json:"spikes"`
	Nodes      int     `json:"nodes"`
	First      float64 `json:"first,omitempty"`
	Last       float64 `json:"last,omitempty"`
}

// summarizeNetwork reads what inspect shows of the simulation at path:
// every population's size, and each report and spike file's populations.
// A report or spike file that cannot be read is described by its error;
// only a config or node file that cannot be read is an error.
func summarizeNetwork(path string) (networkSummary, error) {
	sim, err := sonata.Open(path)
	if err != nil {
		return networkSummary{}, err
	}
	defer sim.Close()
	s := networkSummary{File: path, Circuit: relative(sim.Circuit), NodeSet: sim.Target, Reports: []reportSummary{}, Spikes: []spikesSummary{}}
	for _, p := range sim.Populations {
		s.Populations = append(s.Populations, populationSummary{Name: p.Name, Type: p.Type, Nodes: p.Size})
	}
	for _, rc := range sim.Reports {
		found := false
		for _, p := range sim.Populations {
			rep, err := sonata.OpenReport(rc.File, p.Name)
			switch {
			case errors.Is(err, sonata.ErrNoPopulation):
				continue
			case err != nil:
				s.Reports = append(s.Reports, reportSummary{Name: rc.Name, Sections: rc.Sections, Error: err.Error()})
				found = true
				continue
			}
			found = true
			s.Reports = append(s.Reports, reportSummary{
				Name: rc.Name, Population: p.Name, Sections: rc.Sections,
				Nodes: len(rep.NodeIDs()), Columns: rep.Columns, Frames: rep.Frames,
				TStart: rep.Start, TStop: rep.Stop, DT: rep.Step, Units: rep.Units, TimeUnits: rep.TimeUnits,
			})
			rep.Close()
		}
		if !found {
			s.Reports = append(s.Reports, reportSummary{Name: rc.Name, Sections: rc.Sections, Error: "holds none of the circuit's populations"})
		}
	}
	if sim.SpikesFile != "" {
		for _, p := range sim.Populations {
			sp, err := sim.Spikes(p.Name)
			if errors.Is(err, sonata.ErrNoPopulation) {
				continue
			}
			if err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					return s, err
				}
				break
			}
			ss := spikesSummary{Population: p.Name, Spikes: sp.Len(), Nodes: len(sp.NodeIDs())}
			for _, id := range sp.NodeIDs() {
				ts := sp.Times(id)
				if ss.First == 0 && ss.Last == 0 || ts[0] < ss.First {
					ss.First = ts[0]
				}
				ss.Last = max(ss.Last, ts[len(ts)-1])
			}
			s.Spikes = append(s.Spikes, ss)
		}
	}
	return s, nil
}

// text is the readable summary of a simulation.
func (s networkSummary) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", s.File)
	fmt.Fprintf(&b, "  circuit       %s\n", s.Circuit)
	if s.NodeSet != "" {
		fmt.Fprintf(&b, "  node set      %s\n", s.NodeSet)
	}
	for _, p := range s.Populations {
		kind := ""
		if p.Type != "" {
			kind = " (" + p.Type + ")"
		}
		fmt.Fprintf(&b, "  population    %s%s: %d nodes\n", p.Name, kind, p.Nodes)
	}
	for _, r := range s.Reports {
		if r.Error != "" {
			fmt.Fprintf(&b, "  report        %s: %s\n", r.Name, r.Error)
			continue
		}
		fmt.Fprintf(&b, "  report        %s of %s (%s): %d nodes, %d values a frame, %d frames from %g to %g %s every %g\n",
			r.Name, r.Population, r.Sections, r.Nodes, r.Columns, r.Frames, r.TStart, r.TStop, orDefault(r.TimeUnits, "ms"), r.DT)
	}
	for _, sp := range s.Spikes {
		fmt.Fprintf(&b, "  spikes        %s: %d spikes of %d nodes, %.6g to %.6g ms\n", sp.Population, sp.Spikes, sp.Nodes, sp.First, sp.Last)
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// relative is path relative to the working folder when it lies inside it,
// else path itself.
func relative(path string) string {
	wd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(wd, path); err == nil && rel != ".." && !strings.HasPrefix(rel, "../") {
		return rel
	}
	return path
}
