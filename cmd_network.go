package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/network"
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

// networkFlags are the render flags that choose and colour a network's
// nodes; they are no part of a scene file.
var networkFlags = map[string]bool{"nodes": true, "soma-only-fill": true}

// addNetworkFlags registers the flags of a SONATA simulation's render.
func (f *renderFlags) addNetworkFlags(fs *pflag.FlagSet) {
	fs.StringVar(&f.nodes, "nodes", "", `a SONATA simulation's nodes to draw: POP (a population), POP:IDS ("cortex:0,5,10-19") or a node set's name (default: the simulation's node set, else every node)`)
	fs.BoolVar(&f.somaOnlyFill, "soma-only-fill", false, "with a SONATA report of somas only, colour each whole cell by its soma's voltage (else only the soma)")
}

// category is the network category that --color-by asks for: mtype, or
// else population (which a network without a report is coloured by).
func (f *renderFlags) category() string {
	if f.colorBy == network.ByMType {
		return network.ByMType
	}
	return network.ByPopulation
}

// readNetwork opens the SONATA simulation at path and reads the nodes
// the flags choose, as cells of the scene. Unreported parts show the
// bottom of the colormap.
func (f *renderFlags) readNetwork(path string, o movie.Options) (*sonata.Simulation, *network.Scene, error) {
	sim, err := sonata.Open(path)
	if err != nil {
		return nil, nil, err
	}
	rest := float32(o.Colors.VMin.Value)
	s, err := network.Load(sim, network.Options{Nodes: f.nodes, Category: f.category(), SomaOnlyFill: f.somaOnlyFill, Rest: rest})
	if err != nil {
		sim.Close()
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	return sim, s, nil
}

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
	return b.String()
}
