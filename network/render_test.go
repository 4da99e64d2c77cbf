package network

import (
	"math"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/render"
)

// lit reports whether a pixel within one of (x, y) is brighter than the
// black background.
func lit(img *render.Image, x, y float64) bool {
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			px, py := int(x)+dx, int(y)+dy
			if px < 0 || py < 0 || px >= img.Width || py >= img.Height {
				continue
			}
			if c := img.RGB(px, py); int(c[0])+int(c[1])+int(c[2]) > 30 {
				return true
			}
		}
	}
	return false
}

// TestNetworkRendersCellsInPlace renders the generated circuit (both
// populations, point neurons too) looking down the z axis and finds every
// node's soma where an orthographic projection of the circuit's positions
// puts it, within a pixel, one scale for all; the pixels there, and at
// each cell's last point (which the rotation moves), are lit.
func TestNetworkRendersCellsInPlace(t *testing.T) {
	sim, want := open(t, "bbp")
	s := load(t, sim, Options{Nodes: "DeepOrThalamus"})
	o := movie.DefaultOptions()
	o.Width, o.Height = 480, 270
	o.Look.Bloom = 0
	o.ColorBy = movie.ByCategory
	m, err := movie.NewScene(s.Cells, o)
	if err != nil {
		t.Fatal(err)
	}
	img, err := m.Render(0, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	type place struct {
		world     [3]float64
		x, y      float64
		last      *[3]float64
		lastX, lY float64
	}
	var places []place
	for i, n := range s.Nodes {
		for _, wn := range want.Nodes[n.Population] {
			if wn.ID != n.ID {
				continue
			}
			p := place{world: wn.Position, last: wn.LastPoint}
			p.x, p.y = m.LocateIn(i, morph.Point{X: wn.Position[0], Y: wn.Position[1], Z: wn.Position[2]}, 0)
			if p.last != nil {
				p.lastX, p.lY = m.LocateIn(i, morph.Point{X: p.last[0], Y: p.last[1], Z: p.last[2]}, 0)
			}
			places = append(places, p)
		}
	}
	if len(places) != len(s.Nodes) || len(places) < 4 {
		t.Fatalf("%d nodes with expected positions of %d", len(places), len(s.Nodes))
	}
	// One scale and offset for all: from the two nodes farthest apart in x.
	a, b := 0, 0
	for i, p := range places {
		if p.world[0] < places[a].world[0] {
			a = i
		}
		if p.world[0] > places[b].world[0] {
			b = i
		}
	}
	scale := (places[b].x - places[a].x) / (places[b].world[0] - places[a].world[0])
	for i, p := range places {
		x := places[a].x + scale*(p.world[0]-places[a].world[0])
		y := places[a].y - scale*(p.world[1]-places[a].world[1])
		if math.Hypot(p.x-x, p.y-y) > 1 {
			t.Errorf("node %s %d: soma at (%.1f, %.1f), want (%.1f, %.1f)", s.Nodes[i].Population, s.Nodes[i].ID, p.x, p.y, x, y)
		}
		if !lit(img, p.x, p.y) {
			t.Errorf("node %s %d: nothing drawn at its soma (%.1f, %.1f)", s.Nodes[i].Population, s.Nodes[i].ID, p.x, p.y)
		}
		if p.last != nil && !lit(img, p.lastX, p.lY) {
			t.Errorf("node %s %d: nothing drawn at its last point (%.1f, %.1f)", s.Nodes[i].Population, s.Nodes[i].ID, p.lastX, p.lY)
		}
	}
}

// TestEngineShowsReportedVoltage asks the engine what it shows on the
// compartments the generator wrote down, in the frames it wrote them
// for: the report's values, read a frame at a time.
func TestEngineShowsReportedVoltage(t *testing.T) {
	for _, flavour := range []string{"bbp", "allen"} {
		sim, want := open(t, flavour)
		s := load(t, sim, Options{Nodes: want.Report.Population})
		o := movie.DefaultOptions()
		o.Width, o.Height = 160, 90
		m, err := movie.NewScene(s.Cells, o)
		if err != nil {
			t.Fatal(err)
		}
		if m.Frames() != s.Cells[0].Rec.Frames {
			t.Fatalf("%s: %d frames, want the report's %d", flavour, m.Frames(), s.Cells[0].Rec.Frames)
		}
		for _, p := range want.Report.Probes {
			i := cellOf(t, s, want.Report.Population, uint64(p.Node))
			pos := (float64(p.Segment) + 0.5) / float64(p.NSeg)
			got, err := m.ValueAt(i, p.Section, pos, p.Frame)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-p.V) > 1e-4 {
				t.Errorf("%s node %d %s segment %d, frame %d: the engine shows %v mV, the report holds %v", flavour, p.Node, p.SectionName, p.Segment, p.Frame, got, p.V)
			}
		}
	}
}

// TestSpikesFlash shows cells without a compartment report (point
// neurons) by their spikes: in every frame, the soma's value is the glow
// of the latest spike at or before it, worked out here from the spike
// times the generator wrote down.
func TestSpikesFlash(t *testing.T) {
	for _, tc := range []struct{ flavour, pop string }{{"bbp", "thalamus"}, {"allen", "lif"}} {
		sim, want := open(t, tc.flavour)
		const rest, peak, decay = -70, 20, 3
		s := load(t, sim, Options{Nodes: tc.pop, Rest: rest, Peak: peak, SpikeDecay: decay})
		if s.Spiking != len(s.Cells) || s.Reported != 0 {
			t.Fatalf("%s: %d of %d cells flash, %d reported", tc.pop, s.Spiking, len(s.Cells), s.Reported)
		}
		o := movie.DefaultOptions()
		o.Width, o.Height = 160, 90
		m, err := movie.NewScene(s.Cells, o)
		if err != nil {
			t.Fatal(err)
		}
		rec := s.Cells[0].Rec
		step := (rec.TStop - rec.TStart) / float64(rec.Frames-1)
		if math.Abs(step-SpikeFrameStep) > 1e-9 {
			t.Fatalf("%s: frames %g ms apart", tc.pop, step)
		}
		flashes := 0
		for i, n := range s.Nodes {
			times := want.Spikes[tc.pop][itoa(n.ID)]
			for k := range m.Frames() {
				now := rec.TStart + float64(k)*step
				v := float64(rest)
				for _, ts := range times {
					if ts <= now+1e-9 {
						v = rest + (peak-rest)*math.Exp(-(now-ts)/decay)
					}
				}
				got, err := m.ValueAt(i, 0, 0.5, k)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(got-v) > 1e-3 {
					t.Errorf("%s node %d frame %d (%g ms): soma at %.4g, want %.4g", tc.pop, n.ID, k, now, got, v)
				}
				if v > 0 {
					flashes++
				}
			}
		}
		if flashes == 0 {
			t.Errorf("%s: no frame flashes", tc.pop)
		}
	}
}
