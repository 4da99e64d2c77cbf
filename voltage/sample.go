package voltage

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// tapKind is how a tap forms a probe's voltage from a frame's values.
type tapKind uint8

const (
	// lerp: the weighted sum of two segment values, a and b.
	lerp tapKind = iota
	// mean: the mean of the section's b segment values.
	mean
	// ramp: between junction j's voltage (weight 1−w) and segment a's.
	ramp
)

// tap says how one probe's voltage is formed from a frame's values.
type tap struct {
	a, b int32   // segment indices into the section's frame slice
	w    float32 // weight of b (lerp) or of a (ramp)
	j    int32   // junction (ramp)
	sec  int32
	kind tapKind
}

// Sampler reads a fixed set of probes from a recording, frame after frame.
// Building it does the per-probe arithmetic once; sampling is then a few
// multiply-adds per probe. A Sampler may be used by several goroutines at
// once.
type Sampler struct {
	rec  *Recording
	taps []tap
	// junctions: see (*Sampler).junctions
	terms []term
	start []int
	end   []int32
	read  []int32 // the junctions some tap reads, ascending
}

// NewSampler prepares to read probes from rec. Segment i of a section with
// nseg segments sits at (i+0.5)/nseg; between segment centres the voltage is
// linear. Beyond the first and last centre it is held at the end centre's
// value (a free tip: NEURON's sealed end carries no axial current, so its
// node has the end segment's voltage), except at an end that meets others
// at one of the junctions: there it runs linearly from the end centre's
// value to the junction's (see morph.Junction). No section end may be in two
// junctions.
//
// A junction's voltage is, when On is set, the voltage read at On: a
// branch that starts part-way along its parent (On: the parent and the
// position where the branch leaves it) or on a simplified soma (On: the
// soma, at morph.SectionMean). Otherwise it is that of NEURON's node joining
// the ends, which has no membrane of its own (zero area): with no
// capacitive or ionic current there, the axial currents flowing in from
// the neighbouring segment centres sum to zero,
//
//	Σ g_k (v_k − v_J) = 0  ⇒  v_J = Σ g_k v_k / Σ g_k,
//
// where v_k is the voltage at the centre of the segment next to end k and
// g_k the axial conductance of the half segment between them:
// π d_k² / (4 Ra (L_k / 2 nseg_k)), taking the axial resistivity Ra the
// same on every side. A thick parent thus pulls the junction towards its
// own voltage, as it does in the simulation.
func NewSampler(rec *Recording, probes []morph.Probe, junctions ...morph.Junction) (*Sampler, error) {
	s := &Sampler{rec: rec, taps: make([]tap, len(probes))}
	if err := s.junctions(junctions); err != nil {
		return nil, err
	}
	for i, p := range probes {
		tp, err := s.plainTap(p)
		if err != nil {
			return nil, fmt.Errorf("probe %d: %w", i, err)
		}
		s.taps[i] = s.rampTap(tp, p.Pos)
	}
	// Only junctions a tap reads are worked out frame by frame (none for
	// a cell drawn as its soma alone).
	read := make([]bool, len(s.start)-1)
	for _, tp := range s.taps {
		if tp.kind == ramp {
			read[tp.j] = true
		}
	}
	for j, r := range read {
		if r {
			s.read = append(s.read, int32(j))
		}
	}
	return s, nil
}

// plainTap checks probe p and returns its tap without junctions: the
// section's mean, or the line between segment centres held beyond the end
// centres.
func (s *Sampler) plainTap(p morph.Probe) (tap, error) {
	if p.Section < 0 || int(p.Section) >= len(s.rec.Traces) {
		return tap{}, fmt.Errorf("section %d out of range (recording has %d)", p.Section, len(s.rec.Traces))
	}
	nseg := s.rec.Traces[p.Section].NSeg
	if p.Pos == morph.SectionMean {
		return tap{sec: p.Section, kind: mean, b: int32(nseg)}, nil
	}
	if !(p.Pos >= 0 && p.Pos <= 1) {
		return tap{}, fmt.Errorf("position %v outside [0,1]", p.Pos)
	}
	x := float64(p.Pos)*float64(nseg) - 0.5 // in segment-centre units
	x = math.Max(0, math.Min(float64(nseg-1), x))
	a := int(math.Floor(x))
	if a >= nseg-1 {
		return tap{sec: p.Section, a: int32(nseg - 1), b: int32(nseg - 1)}, nil
	}
	return tap{sec: p.Section, a: int32(a), b: int32(a + 1), w: float32(x - float64(a))}, nil
}

// rampTap turns the plain tap of a probe at pos into a ramp towards the
// junction of the section end it lies beyond the end centre of, if any.
func (s *Sampler) rampTap(tp tap, pos float32) tap {
	if tp.kind == mean || len(s.terms) == 0 {
		return tp
	}
	nseg := float64(s.rec.Traces[tp.sec].NSeg)
	x := float64(pos) * nseg // in segments from the start
	switch {
	case x < 0.5:
		if j := s.end[2*int(tp.sec)]; j >= 0 {
			return tap{sec: tp.sec, kind: ramp, j: j, a: 0, w: float32(2 * x)}
		}
	case x > nseg-0.5:
		if j := s.end[2*int(tp.sec)+1]; j >= 0 {
			return tap{sec: tp.sec, kind: ramp, j: j, a: int32(nseg - 1), w: float32(2 * (nseg - x))}
		}
	}
	return tp
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
	// the junctions' voltages, worked out once per frame
	jv := make([]float32, len(s.start)-1)
	if f0 >= last {
		s.sampleFrame(last, dst, jv)
		return
	}
	wt := float32(t - float64(f0))
	s.sampleFrame(f0, dst, jv)
	if wt == 0 {
		return
	}
	s.junctionValues(f0+1, jv)
	for i, tp := range s.taps {
		v1 := s.value(tp, f0+1, jv)
		dst[i] += wt * (v1 - dst[i])
	}
}

func (s *Sampler) sampleFrame(f int, dst, jv []float32) {
	s.junctionValues(f, jv)
	for i, tp := range s.taps {
		dst[i] = s.value(tp, f, jv)
	}
}

// value is a tap's voltage at frame f, given the junctions' voltages jv
// at f.
func (s *Sampler) value(tp tap, f int, jv []float32) float32 {
	vals := s.rec.Frame(int(tp.sec), f)
	switch tp.kind {
	case mean:
		var sum float64
		for _, v := range vals {
			sum += float64(v)
		}
		return float32(sum / float64(len(vals)))
	case ramp:
		return jv[tp.j] + tp.w*(vals[tp.a]-jv[tp.j])
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
