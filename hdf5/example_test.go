package hdf5_test

import (
	"errors"
	"fmt"
	"log"

	"github.com/spikeframes/spikeframes/hdf5"
)

// Read a BBP morphology: its points (x, y, z, diameter) and its
// structure (first point, type, parent) of each section.
func Example() {
	f, err := hdf5.Open("../testdata/morphologies/neurom/Neuron_2_branch.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	points, err := f.Root().Dataset("points")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("points:", points.Shape(), points.DType())
	first, err := points.ReadFloat64Slab([]uint64{0, 0}, []uint64{1, 4})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("first point:", first)
	structure, err := f.Root().Dataset("structure")
	if err != nil {
		log.Fatal(err)
	}
	sections, err := structure.ReadInt64()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("structure:", structure.Shape(), "second section:", sections[3:6])
	// Output:
	// points: [482 4] float64
	// first point: [0.1 0 0 0]
	// structure: [43 3] second section: [21 2 0]
}

// Read one frame (one row) of a chunked, compressed report of 40 frames
// × 64 compartments: only the chunks holding that row are read.
func ExampleDataset_ReadFloat32Slab() {
	f, err := hdf5.Open("testdata/latest.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	report, err := f.Root().Dataset("/resized/report")
	if err != nil {
		log.Fatal(err)
	}
	shape := report.Shape()
	fmt.Println("shape:", shape, "chunks:", report.Chunks())
	frame, err := report.ReadFloat32Slab([]uint64{5, 0}, []uint64{1, shape[1]})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("frame 5: %d values, the first %.4f\n", len(frame), frame[0])
	// Output:
	// shape: [40 64] chunks: [8 16]
	// frame 5: 64 values, the first -66.6320
}

// Attributes hold numbers or strings; a missing one is ErrNotFound.
func ExampleGroup_Attr() {
	f, err := hdf5.Open("testdata/latest.h5")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	title, err := f.Root().Attr("title")
	if err != nil {
		log.Fatal(err)
	}
	s, err := title.ReadStrings()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s[0])
	_, err = f.Root().Attr("nothing")
	fmt.Println(errors.Is(err, hdf5.ErrNotFound))
	// Output:
	// spikeframes hdf5 test file
	// true
}
