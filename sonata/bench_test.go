package sonata

import "testing"

// BenchmarkFrame reads one frame of the BBP test circuit's compartment
// report and lays it onto its five cells, frame after frame: what a movie
// asks of the reader per frame.
func BenchmarkFrame(b *testing.B) {
	s, err := Open("testdata/bbp/simulation_config.json")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r, err := s.Report("compartments", "cortex")
	if err != nil {
		b.Fatal(err)
	}
	defer r.Close()
	nodes, err := s.Nodes("cortex")
	if err != nil {
		b.Fatal(err)
	}
	layouts := make([]*Layout, len(nodes))
	for i, n := range nodes {
		cell, err := LoadMorphology(n)
		if err != nil {
			b.Fatal(err)
		}
		if layouts[i], err = r.Layout(n.ID, cell); err != nil {
			b.Fatal(err)
		}
	}
	dst := make([][][]float32, len(nodes))
	for k := 0; b.Loop(); k++ {
		f, err := r.ReadFrame(k%r.Frames, 0, r.Columns)
		if err != nil {
			b.Fatal(err)
		}
		for i, l := range layouts {
			if dst[i], err = l.Voltages(f, dst[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
