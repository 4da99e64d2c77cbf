package sonata

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/spikeframes/spikeframes/hdf5"
)

// Spikes are the spikes of one population: /spikes/<population> of a
// SONATA spike report, by node.
type Spikes struct {
	File, Population string
	// Units are the units of the times ("ms"; "" when the file does not
	// say) and Sorting the order the file declares ("by_time", "by_id",
	// "none", or "" when it declares none).
	Units, Sorting string

	ids   []uint64  // the nodes that spiked, ascending
	first []int     // node ids[i]'s times are times[first[i]:first[i+1]]
	times []float64 // by node, each node's ascending
}

// ReadSpikes reads the spikes of population pop from the spike report at
// path; pop may be "" when the file holds one population only.
func ReadSpikes(path, pop string) (*Spikes, error) {
	f, err := hdf5.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	s, err := readSpikes(f, pop)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s.File = path
	return s, nil
}

func readSpikes(f *hdf5.File, pop string) (*Spikes, error) {
	g, pop, err := population(f, "spikes", pop, "spike report")
	if err != nil {
		return nil, err
	}
	s := &Spikes{Population: pop, Sorting: sorting(g)}
	ts, err := vector(g, "timestamps", -1, hdf5.Float)
	if err != nil {
		return nil, err
	}
	n := ts.Shape()[0]
	if n > MaxSpikes {
		return nil, fmt.Errorf("%s: %d spikes, more than the limit of %d", ts.Path(), n, MaxSpikes)
	}
	ids, err := vector(g, "node_ids", int(n), hdf5.Integer)
	if err != nil {
		return nil, err
	}
	s.Units = textAttr(ts, "units")
	times, err := ts.ReadFloat64()
	if err != nil {
		return nil, err
	}
	nodes, err := ids.ReadInt64()
	if err != nil {
		return nil, err
	}
	for i := range times {
		if math.IsNaN(times[i]) || math.IsInf(times[i], 0) {
			return nil, fmt.Errorf("%s: spike %d is at %g", ts.Path(), i, times[i])
		}
		if nodes[i] < 0 {
			return nil, fmt.Errorf("%s: spike %d is of node %d", ids.Path(), i, nodes[i])
		}
	}
	order := make([]int, len(times))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool {
		i, j := order[a], order[b]
		if nodes[i] != nodes[j] {
			return nodes[i] < nodes[j]
		}
		return times[i] < times[j]
	})
	s.times = make([]float64, len(order))
	for k, i := range order {
		s.times[k] = times[i]
		id := uint64(nodes[i])
		if len(s.ids) == 0 || s.ids[len(s.ids)-1] != id {
			s.ids = append(s.ids, id)
			s.first = append(s.first, k)
		}
	}
	s.first = append(s.first, len(order))
	return s, nil
}

// sorting reads the population group's sorting attribute: text, or the
// enumeration libsonata writes (0 none, 1 by_id, 2 by_time).
func sorting(g *hdf5.Group) string {
	if t := textAttr(g, "sorting"); t != "" {
		return t
	}
	a, err := g.Attr("sorting")
	if err != nil {
		return ""
	}
	v, err := a.ReadInt64()
	if err != nil || len(v) != 1 || v[0] < 0 || v[0] > 2 {
		return ""
	}
	return []string{"none", "by_id", "by_time"}[v[0]]
}

// Len returns the number of spikes.
func (s *Spikes) Len() int { return len(s.times) }

// NodeIDs returns the ids of the nodes that spiked, ascending.
func (s *Spikes) NodeIDs() []uint64 { return slices.Clone(s.ids) }

// Times returns the spike times of node id, ascending (nil if it never
// spiked). The slice is shared: do not modify it.
func (s *Spikes) Times(id uint64) []float64 {
	i, ok := slices.BinarySearch(s.ids, id)
	if !ok {
		return nil
	}
	return s.times[s.first[i]:s.first[i+1]:s.first[i+1]]
}
