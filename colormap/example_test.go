package colormap_test

import (
	"fmt"
	"log"

	"github.com/spikeframes/spikeframes/colormap"
)

// Colour voltages through plasma between −70 and 20 mV.
func ExampleNewLUT() {
	m, err := colormap.Get("plasma")
	if err != nil {
		log.Fatal(err)
	}
	lut, err := colormap.NewLUT(m, -70, 20)
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range []float32{-80, -25, 20} {
		fmt.Printf("%g mV: %v\n", v, lut.RGB[lut.Index(v)])
	}
	// Output:
	// -80 mV: [13 8 135]
	// -25 mV: [204 71 120]
	// 20 mV: [240 249 33]
}
