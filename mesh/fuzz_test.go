package mesh

import (
	"errors"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/voltage"
)

// FuzzBuild prepares and sweeps small random cells with random options:
// Build must return a consistent mesh with finite vertices, of exactly the
// size Estimate gives and within the vertex limit, or the error Estimate
// gives; it must never panic.
func FuzzBuild(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0, 16, 0, 1, 3, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120})
	f.Add([]byte{200, 5, 6, 255, 7, 1, 1, 128, 128, 128, 9, 1, 128, 128, 128, 9})
	f.Add([]byte{3, 9, 250, 40, 3, 4, 0, 0, 0, 200, 0, 0, 0, 200, 0, 0, 1, 200, 5, 5, 5, 1})
	// A section that runs out and back to its start within a ring edge:
	// thinned, its two ends must not become one point.
	f.Add([]byte("\"y000Y0000%009]]1Y8Z0X]]1X]]1X0000000"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := byteReader(data)
		mo := morph.DefaultOptions()
		if seg := int(r.next() % 24); seg >= 2 {
			mo.Segmentation = seg
		}
		mo.Thickness = 0.25 + float64(r.next())/32
		o := Options{
			Sides:        MinSides + int(r.next())%(MaxSides-MinSides+1),
			Caps:         r.next()%2 == 1,
			SimplifySoma: r.next()%2 == 1,
		}
		if e := r.next(); e > 0 {
			o.MaxEdge = float64(e) / 256
			o.MinRadius = float64(r.next()) / 1024
		}
		o.MaxVertices = int(r.next()) * int(r.next())
		grid := 10 / float64(1+r.next()%64) // µm between coordinates
		cell := &morph.Cell{}
		for s := range 1 + int(r.next()%8) {
			sec := morph.Section{Type: "dend", Parent: -1}
			if r.next()%4 == 0 {
				sec.Type = "soma"
			}
			if p := int(r.next()%8) - 1; p >= 0 && p < s {
				sec.Parent, sec.ParentX = p, float64(r.next())/255
			}
			for range 1 + int(r.next()%6) {
				// coordinates on a grid, so that points repeat and
				// sections touch, cross and coincide
				sec.Points = append(sec.Points, morph.Point{
					X: float64(r.next()%16) * grid, Y: float64(r.next()%16) * grid, Z: float64(r.next()%4) * grid,
					Diam: float64(r.next()) / 8,
				})
			}
			cell.Sections = append(cell.Sections, sec)
		}
		p, err := morph.Prepare(cell, nil, mo)
		if err != nil {
			t.Fatalf("prepare: %v", err)
		}
		size, estErr := Estimate(p, o)
		m, err := Build(p, o)
		if (err == nil) != (estErr == nil) {
			t.Fatalf("Build error %v, Estimate error %v", err, estErr)
		}
		if err != nil {
			if !errors.Is(err, ErrTooLarge) || o.MaxVertices == 0 {
				t.Fatalf("Build: %v", err)
			}
			return
		}
		checkConsistent(t, m)
		if size.Vertices != len(m.Positions) || size.Triangles != len(m.Triangles) || size.Probes != len(m.Probes) {
			t.Fatalf("estimated %d vertices, %d triangles, %d probes; built %d, %d, %d",
				size.Vertices, size.Triangles, size.Probes, len(m.Positions), len(m.Triangles), len(m.Probes))
		}
		if o.MaxVertices > 0 && len(m.Positions) > o.MaxVertices {
			t.Fatalf("%d vertices, more than the limit %d", len(m.Positions), o.MaxVertices)
		}
		checkSampled(t, m, len(cell.Sections))
	})
}

// checkSampled reads the mesh's probes through its junctions from a
// recording of sections of 1 to 3 segments at −80 … 40 mV: the sampler
// must take them, and every voltage (a blend of recorded ones) must lie
// within the recorded range.
func checkSampled(t *testing.T, m *Mesh, sections int) {
	t.Helper()
	rec := &voltage.Recording{Frames: 1}
	for i := range sections {
		tr := voltage.Trace{NSeg: 1 + i%3}
		for k := range tr.NSeg {
			tr.Values = append(tr.Values, float32(-80+(37*i+53*k)%121))
		}
		rec.Traces = append(rec.Traces, tr)
	}
	s, err := voltage.NewSampler(rec, m.Probes, m.Junctions...)
	if err != nil {
		t.Fatalf("sampler: %v", err)
	}
	v := make([]float32, s.Len())
	s.Sample(0, v)
	for i, x := range v {
		if !(x >= -80-1e-3 && x <= 40+1e-3) {
			t.Fatalf("probe %d (%+v): %v mV outside the recorded range", i, m.Probes[i], x)
		}
	}
}

// byteReader hands out a fuzz input's bytes one at a time, then zeros.
type byteReader []byte

func (r *byteReader) next() byte {
	if len(*r) == 0 {
		return 0
	}
	b := (*r)[0]
	*r = (*r)[1:]
	return b
}
