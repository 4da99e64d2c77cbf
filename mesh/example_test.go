package mesh_test

import (
	"fmt"
	"log"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
)

// Sweep a two-section cell, prepared with BlenderSpike's defaults, into
// tubes.
func ExampleBuild() {
	cell := &morph.Cell{Sections: []morph.Section{
		{Type: "soma", Parent: -1, Points: []morph.Point{{X: -6, Diam: 12}, {X: 6, Diam: 12}}},
		{Type: "axon", Parent: 0, ParentX: 1, Points: []morph.Point{{X: 6, Diam: 1}, {X: 6, Y: 100, Diam: 1}}},
	}}
	prepared, err := morph.Prepare(cell, nil, morph.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	m, err := mesh.Build(prepared, mesh.DefaultOptions())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d vertices, %d triangles, %d places voltage is read\n", len(m.Positions), len(m.Triangles), len(m.Probes))
	// Output: 260 vertices, 512 triangles, 4 places voltage is read
}
