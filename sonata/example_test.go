package sonata_test

import (
	"fmt"
	"log"
	"path/filepath"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/sonata"
)

// Open a simulation, find a node, place its morphology in the circuit and
// read its voltages at one frame of the compartment report.
func Example() {
	sim, err := sonata.Open("testdata/bbp/simulation_config.json")
	if err != nil {
		log.Fatal(err)
	}
	defer sim.Close()
	nodes, err := sim.Nodes("cortex")
	if err != nil {
		log.Fatal(err)
	}
	n := nodes[1]
	fmt.Printf("node %d: %s, %s, at %v\n", n.ID, filepath.Base(n.MorphologyFile), n.ModelType, n.Position)

	cell, err := sonata.LoadMorphology(n)
	if err != nil {
		log.Fatal(err)
	}
	soma := morph.SomaCenter(sonata.Place(cell, n))
	fmt.Printf("placed soma centre: (%.0f, %.0f, %.0f)\n", soma.X, soma.Y, soma.Z)

	report, err := sim.Report("compartments", "cortex")
	if err != nil {
		log.Fatal(err)
	}
	defer report.Close()
	layout, err := report.Layout(n.ID, cell)
	if err != nil {
		log.Fatal(err)
	}
	frame, err := report.ReadFrame(40, layout.First, layout.End)
	if err != nil {
		log.Fatal(err)
	}
	volts, err := layout.Voltages(frame, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("at %g %s, %s: %.2f %s\n", report.Time(40), report.TimeUnits, cell.Sections[3].Name, volts[3], report.Units)

	spikes, err := sim.Spikes("cortex")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("spikes at %.3f %s\n", spikes.Times(n.ID), spikes.Units)
	// Output:
	// node 1: sample.asc, biophysical, at [-50 40 -15]
	// placed soma centre: (-50, 40, -15)
	// at 10 ms, dend[0]: [-72.89 -72.89 -72.90] mV
	// spikes at [4.525 11.775 22.900 29.475] ms
}
