package morphfile

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkReadASC reads the Hay et al. L5 cell (1.9 MB, 15,010 points).
func BenchmarkReadASC(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(morphologies, "hay2011_l5b_cell3.asc"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readASC(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSWC reads a generated SWC tree of 100,000 samples that
// branches at one sample in ten.
func BenchmarkReadSWC(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	var sb strings.Builder
	sb.WriteString("1 1 0 0 0 5 -1\n")
	for i := 2; i <= 100000; i++ {
		parent := i - 1
		if rng.IntN(10) == 0 {
			parent = 1 + rng.IntN(i-1)
		}
		fmt.Fprintf(&sb, "%d 3 %.3f %.3f %.3f 0.5 %d\n", i, rng.Float64()*1000, rng.Float64()*1000, rng.Float64()*100, parent)
	}
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readSWC(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadH5 reads the NeuroM test cell Neuron_2_branch.h5 (18 kB,
// 43 sections, 482 points).
func BenchmarkReadH5(b *testing.B) {
	data, err := os.ReadFile(filepath.Join(morphologies, "neurom", "Neuron_2_branch.h5"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := readH5(data); err != nil {
			b.Fatal(err)
		}
	}
}
