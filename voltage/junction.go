package voltage

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// term is one weighted segment value of a junction's voltage.
type term struct {
	sec, seg int32
	w        float32
}

// junctions prepares the taps of every junction: each junction's voltage
// as a weighted sum of segment values (terms[start[j]:start[j+1]]), and
// which junction, if any, each section end belongs to (end[2·section +
// 0 or 1], −1 for none).
func (s *Sampler) junctions(js []morph.Junction) error {
	n := len(s.rec.Traces)
	s.end = make([]int32, 2*n)
	for i := range s.end {
		s.end[i] = -1
	}
	s.start = make([]int, 1, len(js)+1)
	for j, jn := range js {
		if len(jn.Ends) == 0 {
			return fmt.Errorf("junction %d: no section ends", j)
		}
		for _, e := range jn.Ends {
			if e.Section < 0 || int(e.Section) >= n {
				return fmt.Errorf("junction %d: section %d out of range (recording has %d)", j, e.Section, n)
			}
			if !(e.Conductance >= 0) || math.IsInf(e.Conductance, 0) {
				return fmt.Errorf("junction %d: section %d: conductance %v must be a number ≥ 0", j, e.Section, e.Conductance)
			}
			k := endIndex(e)
			if s.end[k] >= 0 {
				return fmt.Errorf("junction %d: section %d's %s is also in junction %d", j, e.Section, endName(e), s.end[k])
			}
			s.end[k] = int32(j)
		}
		var err error
		if jn.On != nil {
			err = s.addProbeTerms(*jn.On)
		} else {
			s.addNodeTerms(jn.Ends)
		}
		if err != nil {
			return fmt.Errorf("junction %d: %w", j, err)
		}
		s.start = append(s.start, len(s.terms))
	}
	return nil
}

func endIndex(e morph.End) int {
	if e.Last {
		return 2*int(e.Section) + 1
	}
	return 2 * int(e.Section)
}

// endName names a section end in messages.
func endName(e morph.End) string {
	if e.Last {
		return "end"
	}
	return "start"
}

// addProbeTerms adds the terms that read probe p as NewSampler's plain
// taps do: a simplified soma's mean, or the line between segment centres,
// held beyond the end centres (where NEURON's node for a branch part-way
// along is the end segment's centre).
func (s *Sampler) addProbeTerms(p morph.Probe) error {
	tp, err := s.plainTap(p)
	if err != nil {
		return err
	}
	if tp.kind == mean {
		w := 1 / float32(tp.b)
		for i := range tp.b {
			s.terms = append(s.terms, term{sec: tp.sec, seg: i, w: w})
		}
		return nil
	}
	s.terms = append(s.terms, term{sec: tp.sec, seg: tp.a, w: 1 - tp.w})
	if tp.w != 0 {
		s.terms = append(s.terms, term{sec: tp.sec, seg: tp.b, w: tp.w})
	}
	return nil
}

// addNodeTerms adds the terms of a zero-area node joining ends: the
// conductance-weighted mean of the end segments' voltages (see Junction),
// or their plain mean when no end conducts.
func (s *Sampler) addNodeTerms(ends []morph.End) {
	g := make([]float64, len(ends))
	var sum float64
	for i, e := range ends {
		g[i] = e.Conductance * float64(s.rec.Traces[e.Section].NSeg)
		sum += g[i]
	}
	if !(sum > 0) || math.IsInf(sum, 0) {
		for i := range g {
			g[i] = 1
		}
		sum = float64(len(g))
	}
	for i, e := range ends {
		seg := int32(0)
		if e.Last {
			seg = int32(s.rec.Traces[e.Section].NSeg - 1)
		}
		s.terms = append(s.terms, term{sec: e.Section, seg: seg, w: float32(g[i] / sum)})
	}
}

// junctionValues writes the voltage at frame f of every junction a tap
// reads into dst.
func (s *Sampler) junctionValues(f int, dst []float32) {
	for _, j := range s.read {
		var v float32
		for _, t := range s.terms[s.start[j]:s.start[j+1]] {
			v += t.w * s.rec.Frame(int(t.sec), f)[t.seg]
		}
		dst[j] = v
	}
}
