package hdf5

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpen reads everything in an arbitrary file: every object, every
// attribute, every dataset whole and a row of it. It must never panic,
// and never allocate far beyond the file's size and the read limit. Each
// input is read twice: as it is, and with checksums ignored, to reach the
// structures they guard the way a hostile file would (its checksums
// computed to match).
//
// The seeds are the small generated files: between them they hold every
// structure the package reads.
func FuzzOpen(f *testing.F) {
	for _, name := range []string{"small.h5", "dense.h5", "userblock.h5", "offsets4.h5", "repack_latest.h5", "repack_compact.h5"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	const readLimit = 1 << 20
	f.Fuzz(func(t *testing.T, data []byte) {
		defer func() { ignoreChecksums = false }()
		for _, ignore := range []bool{false, true} {
			ignoreChecksums = ignore
			if a := allocated(func() { readEverything(data, readLimit) }); a > 64<<20+256*uint64(len(data)) {
				t.Errorf("%d bytes allocated for a file of %d (checksums ignored: %v)", a, len(data), ignore)
			}
		}
	})
}
