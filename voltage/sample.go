package voltage

import (
	"fmt"
	"math"
)

// SectionMean as a Probe position reads the mean of all of a section's
// segments (the simplified soma's colour) instead of one place on it.
const SectionMean float32 = -1

// Probe is a place whose voltage is read each frame: a section and an
// arc-length position in [0,1] along it, or SectionMean.
type Probe struct {
	Section int32
	Pos     float32
}

// tap says how one probe's voltage is formed from a frame's values: the
// weighted sum of two entries, or the mean of a run of entries.
type tap struct {
	a, b int32   // offsets into the section's frame slice
	w    float32 // weight of b; a gets 1-w
	sec  int32
	mean bool
}

// Sampler reads a fixed set of probes from a recording, frame after frame.
// Building it does the per-probe arithmetic once; sampling is then a few
// multiply-adds per probe.
type Sampler struct {
	rec  *Recording
	taps []tap
}

// NewSampler prepares to read probes from rec. Segment i of a section with
// nseg segments sits at (i+0.5)/nseg; between segment centres the voltage is
// linear, beyond the first and last centre it holds the end value.
func NewSampler(rec *Recording, probes []Probe) (*Sampler, error) {
	taps := make([]tap, len(probes))
	for i, p := range probes {
		if p.Section < 0 || int(p.Section) >= len(rec.Traces) {
			return nil, fmt.Errorf("probe %d: section %d out of range (recording has %d)", i, p.Section, len(rec.Traces))
		}
		nseg := rec.Traces[p.Section].NSeg
		if p.Pos == SectionMean {
			taps[i] = tap{sec: p.Section, mean: true, b: int32(nseg)}
			continue
		}
		if !(p.Pos >= 0 && p.Pos <= 1) {
			return nil, fmt.Errorf("probe %d: position %v outside [0,1]", i, p.Pos)
		}
		x := float64(p.Pos)*float64(nseg) - 0.5 // in segment-centre units
		x = math.Max(0, math.Min(float64(nseg-1), x))
		a := int(math.Floor(x))
		if a >= nseg-1 {
			taps[i] = tap{sec: p.Section, a: int32(nseg - 1), b: int32(nseg - 1)}
			continue
		}
		taps[i] = tap{sec: p.Section, a: int32(a), b: int32(a + 1), w: float32(x - float64(a))}
	}
	return &Sampler{rec: rec, taps: taps}, nil
}

// Len is the number of probes.
func (s *Sampler) Len() int { return len(s.taps) }

// Sample writes every probe's voltage at time t, measured in recorded
// frames (0 … Frames−1; fractional t interpolates linearly between the
// neighbouring frames), into dst, which must hold Len values.
func (s *Sampler) Sample(t float64, dst []float32) {
	last := s.rec.Frames - 1
	t = math.Max(0, math.Min(float64(last), t))
	f0 := int(math.Floor(t))
	if f0 >= last {
		s.sampleFrame(last, dst)
		return
	}
	wt := float32(t - float64(f0))
	s.sampleFrame(f0, dst)
	if wt == 0 {
		return
	}
	for i, tp := range s.taps {
		v1 := s.value(tp, f0+1)
		dst[i] += wt * (v1 - dst[i])
	}
}

func (s *Sampler) sampleFrame(f int, dst []float32) {
	for i, tp := range s.taps {
		dst[i] = s.value(tp, f)
	}
}

func (s *Sampler) value(tp tap, f int) float32 {
	vals := s.rec.Frame(int(tp.sec), f)
	if tp.mean {
		var sum float64
		for _, v := range vals {
			sum += float64(v)
		}
		return float32(sum / float64(len(vals)))
	}
	return vals[tp.a] + tp.w*(vals[tp.b]-vals[tp.a])
}

// FrameTime maps output frame k of n frames to a time in recorded frames,
// spreading the n frames evenly over the whole recording (n = Frames gives
// exactly the recorded frames).
func (r *Recording) FrameTime(k, n int) float64 {
	if n <= 1 || r.Frames <= 1 {
		return 0
	}
	return float64(k) * float64(r.Frames-1) / float64(n-1)
}
