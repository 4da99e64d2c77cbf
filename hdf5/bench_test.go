package hdf5

import "testing"

// BenchmarkReadFrame reads the rows of a chunked, compressed report one
// at a time, the way a movie reads its frames: each chunk is inflated
// once and then served from the chunk cache.
func BenchmarkReadFrame(b *testing.B) {
	f, err := Open("testdata/latest.h5")
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	ds, err := f.Root().Dataset("/resized/report")
	if err != nil {
		b.Fatal(err)
	}
	shape := ds.Shape()
	for i := 0; b.Loop(); i++ {
		if _, err := ds.ReadFloat32Slab([]uint64{uint64(i) % shape[0], 0}, []uint64{1, shape[1]}); err != nil {
			b.Fatal(err)
		}
	}
}
