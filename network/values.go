package network

import "slices"

// Bounds of a pass over the report's values (see Values).
const (
	// valuesAtOnce bounds the values read at once (16 MiB of float32).
	valuesAtOnce = 4 << 20
	// runGap is the most columns between two cells' that are read (and
	// skipped) rather than read apart.
	runGap = 1024
)

// Values gives every value the compartment report holds for the scene's
// cells, in every frame: a voltage.Values, from which automatic colour
// limits are taken (movie.Colors.Resolve) as they are from a recording
// held whole. The report is read a block of whole chunks at a time, cells
// whose columns lie close together in one read, so memory stays within a
// few blocks whatever the report's size. What the report does not hold
// (other cells, sections filled in, spikes) is not among the values.
func (s *Scene) Values(yield func(chunk []float32)) error {
	for _, rep := range s.reports {
		cf := rep.ChunkFrames()
		for _, p := range pieces(s.columns[rep], cf) {
			width := p.end - p.first
			rows := max(1, valuesAtOnce/width)
			if rows >= cf {
				rows -= rows % cf
			}
			for k := 0; k < rep.Frames; k += rows {
				n := min(rows, rep.Frames-k)
				v, err := rep.ReadFrames(k, n, p.first, p.end)
				if err != nil {
					return err
				}
				for row := range n {
					frame := v[row*width : (row+1)*width]
					for _, c := range p.spans {
						yield(frame[c.first-p.first : c.end-p.first])
					}
				}
			}
		}
	}
	return nil
}

// piece is columns [first, end) of a report read at once, and the cells'
// columns within it.
type piece struct {
	first, end int
	spans      []span
}

// pieces groups the cells' columns into the reads of a pass: columns at
// most runGap apart in one read, and no read wider than a block of
// chunkFrames frames allows within valuesAtOnce.
func pieces(cells []span, chunkFrames int) []piece {
	sorted := slices.Clone(cells)
	slices.SortFunc(sorted, func(a, b span) int { return a.first - b.first })
	maxWidth := max(1, valuesAtOnce/max(1, chunkFrames))
	var out []piece
	for _, c := range sorted {
		for c.first < c.end {
			if len(out) == 0 || c.first-out[len(out)-1].end > runGap || out[len(out)-1].first+maxWidth <= c.first {
				out = append(out, piece{first: c.first, end: c.first})
			}
			p := &out[len(out)-1]
			end := min(c.end, p.first+maxWidth)
			p.spans = append(p.spans, span{c.first, end})
			p.end = end
			c.first = end
		}
	}
	return out
}
