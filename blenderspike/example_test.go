package blenderspike_test

import (
	"fmt"
	"log"

	"github.com/spikeframes/spikeframes/blenderspike"
)

// Read a recording and look at what it holds.
func ExampleReadFile() {
	cell, rec, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		log.Fatal(err)
	}
	soma := cell.Sections[0]
	fmt.Printf("%d sections, %d frames\n", len(cell.Sections), rec.Frames)
	fmt.Printf("section 0 is the %s: %d points, %d segments, %.1f mV at frame 0\n",
		soma.Type, len(soma.Points), rec.Traces[0].NSeg, rec.Frame(0, 0)[0])
	// Output:
	// 2 sections, 300 frames
	// section 0 is the soma: 3 points, 1 segments, -70.0 mV at frame 0
}
