package blenderspike

import (
	"os"
	"testing"
)

// BenchmarkRead decodes the two large real recordings from memory; the
// bytes/op figure is the whole allocation per decode.
func BenchmarkRead(b *testing.B) {
	for _, name := range []string{"ca1_random_input.pickle", "l5_bap.pickle"} {
		data, err := os.ReadFile("../testdata/" + name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := decode(data); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
