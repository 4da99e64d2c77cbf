package mesh

import (
	"github.com/spikeframes/spikeframes/geom"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// joins gathers, while joints are found, which tube ends meet and what
// they attach to, for the junctions the voltage is made continuous at.
// Ends are numbered 2·section + 0 (start) or 1 (end); ends that meet are
// merged into one set (union–find), and a set may attach to a place on
// another section whose voltage it then has.
type joins struct {
	up     []int32       // the end each end's set is found through (itself at the root)
	on     []morph.Probe // at a root: the place the set attaches to
	rank   []attachment  // at a root: what on is
	member []bool        // the end is at a junction
}

// attachment is what a set of ends attaches to; a firmer one wins when
// sets merge.
type attachment uint8

const (
	unattached attachment = iota
	alongTube             // a place part-way along a tube
	onSphere              // a simplified soma or a ball
)

func newJoins(sections int) *joins {
	j := &joins{
		up:     make([]int32, 2*sections),
		on:     make([]morph.Probe, 2*sections),
		rank:   make([]attachment, 2*sections),
		member: make([]bool, 2*sections),
	}
	for e := range j.up {
		j.up[e] = int32(e)
	}
	return j
}

func (j *joins) find(e int) int {
	for int(j.up[e]) != e {
		j.up[e] = j.up[j.up[e]] // path halving
		e = int(j.up[e])
	}
	return e
}

// join puts ends a and b at one junction.
func (j *joins) join(a, b int) {
	j.member[a], j.member[b] = true, true
	ra, rb := j.find(a), j.find(b)
	if ra == rb {
		return
	}
	if rb < ra {
		ra, rb = rb, ra
	}
	j.up[rb] = int32(ra)
	if j.rank[rb] > j.rank[ra] {
		j.on[ra], j.rank[ra] = j.on[rb], j.rank[rb]
	}
}

// attach makes end e's junction take the voltage at p, unless it already
// attaches to something as firm.
func (j *joins) attach(e int, p morph.Probe, rank attachment) {
	j.member[e] = true
	r := j.find(e)
	if rank > j.rank[r] {
		j.on[r], j.rank[r] = p, rank
	}
}

// junctions lists the junctions in the order of their first end. An end's
// conductance is d²/L from the cell's diameter at that end and the tube's
// length (see morph.End).
func (j *joins) junctions(c *morph.Prepared, lines []centreLine) []morph.Junction {
	var out []morph.Junction
	index := map[int]int{} // root → junction
	for e, in := range j.member {
		if !in {
			continue
		}
		sec := e / 2
		pts := c.Sections[sec].Points
		d := pts[0].Diam
		if e%2 == 1 {
			d = pts[len(pts)-1].Diam
		}
		// (clamped: an absurd diameter must not make it infinite)
		g := math.Min(d*d/lines[sec].length, math.MaxFloat64)
		end := morph.End{Section: int32(sec), Last: e%2 == 1, Conductance: g}
		r := j.find(e)
		k, ok := index[r]
		if !ok {
			k = len(out)
			index[r] = k
			var on *morph.Probe
			if j.rank[r] != unattached {
				p := j.on[r]
				on = &p
			}
			out = append(out, morph.Junction{On: on})
		}
		out[k].Ends = append(out[k].Ends, end)
	}
	return out
}

// sphereProbe is where a simplified soma's or a ball's voltage is read.
func sphereProbe(lines []centreLine, sec int) morph.Probe {
	if lines[sec].kind == somaSphere {
		return morph.Probe{Section: int32(sec), Pos: morph.SectionMean}
	}
	return morph.Probe{Section: int32(sec), Pos: 0.5}
}

// hasTopology reports whether the recording says how sections connect (a
// recorder that writes "parent" keys gives every section but the roots a
// parent).
func hasTopology(c *morph.Prepared) bool {
	for i, s := range c.Sections {
		if s.Parent >= 0 && s.Parent != i {
			return true
		}
	}
	return false
}

// topologyJoints marks tube ends as joints from the recorded tree: every
// branch's start, and a parent's end where a branch attaches at it (its
// 0 or 1 end; a branch attached part-way along starts inside the tube).
// It records the junctions as NEURON makes them: a branch attached at a
// parent's end shares that end's node with it and with the other branches
// there; one attached part-way along meets its parent where it leaves it;
// one on a simplified soma (or a ball) meets the sphere.
func topologyJoints(c *morph.Prepared, lines []centreLine, js *joins) {
	const tol = 1e-9
	for i, s := range c.Sections {
		p := s.Parent
		if p < 0 || p == i || p >= len(lines) {
			continue
		}
		end := -1 // the parent's end the branch attaches at
		switch {
		case s.ParentX >= 1-tol:
			end = 1
		case s.ParentX <= tol:
			end = 0
		}
		child, parent := lines[i].kind == tube, lines[p].kind == tube
		if child {
			lines[i].joint[0] = true
		}
		if parent && end >= 0 {
			lines[p].joint[end] = true
		}
		switch {
		case child && !parent:
			js.attach(2*i, sphereProbe(lines, p), onSphere)
		case child && end < 0:
			js.attach(2*i, morph.Probe{Section: int32(p), Pos: float32(s.ParentX)}, alongTube)
		case child:
			js.join(2*i, 2*p+end)
		case parent && end >= 0:
			js.attach(2*p+end, sphereProbe(lines, i), onSphere)
		}
	}
}

// findJoints marks every tube end that lies on or inside another section:
// the start of a branch on its parent, the end of a parent where branches
// start, and sibling branches starting at the same point. It records the
// junctions these make: an end that touches a sphere (a simplified soma or
// a ball) meets the sphere; one that touches other tubes near their ends
// (within the larger radius, along the tube) shares a junction with those
// ends; one that touches a tube only part-way along meets it at the
// nearest place.
func findJoints(lines []centreLine, js *joins) {
	var found []contact
	for i := range lines {
		l := &lines[i]
		if l.kind != tube {
			continue
		}
		for e, j := range [2]int{0, len(l.pts) - 1} {
			found = contacts(lines, i, l.pts[j], l.radius[j], found[:0])
			l.joint[e] = len(found) > 0
			connect(lines, js, 2*i+e, l.radius[j], found)
		}
	}
}

// contact is a section a tube end touches: the nearest place on its centre
// line that is close enough, at distance dist and arc-length fraction pos
// (spheres: any).
type contact struct {
	sec       int
	pos, dist float64
}

// contacts appends to buf every section other than self that point p, the
// end of section self with radius r there, touches: p lies within the
// larger of r and the other section's radius of its centre line (or
// sphere).
func contacts(lines []centreLine, self int, p geom.Vec, r float64, buf []contact) []contact {
	for k := range lines {
		o := &lines[k]
		if k == self || !inBox(p, o.lo, o.hi, r) {
			continue
		}
		best := contact{sec: k, dist: math.Inf(1)}
		if o.kind != tube {
			if d := p.Sub(o.centre).Norm(); d <= math.Max(r, o.sphere) {
				best.dist = d
			}
			if d := p.Sub(o.pts[0]).Norm(); len(o.pts) == 1 && d <= math.Max(r, o.radius[0]) {
				best.dist = math.Min(best.dist, d)
			}
		}
		for j := 1; j < len(o.pts); j++ {
			a, b := o.pts[j-1], o.pts[j]
			if reach := math.Max(r, math.Max(o.radius[j-1], o.radius[j])); !inBox(p, a.Min(b), a.Max(b), reach) {
				continue // a quick test first: p is too far from the piece's box
			}
			d, t := segmentDistance(p, a, b)
			ro := o.radius[j-1] + t*(o.radius[j]-o.radius[j-1])
			if d <= math.Max(r, ro) && d < best.dist {
				best.dist, best.pos = d, o.pos[j-1]+t*(o.pos[j]-o.pos[j-1])
			}
		}
		if !math.IsInf(best.dist, 1) {
			buf = append(buf, best)
		}
	}
	return buf
}

// connect records the junction of end e (radius r) from what it touches.
func connect(lines []centreLine, js *joins, e int, r float64, found []contact) {
	sphere, along := -1, -1
	joined := false
	for i, c := range found {
		o := &lines[c.sec]
		if o.kind != tube {
			if sphere < 0 || c.dist < found[sphere].dist {
				sphere = i
			}
			continue
		}
		last := len(o.pts) - 1
		fromStart, fromEnd := c.pos*o.length, (1-c.pos)*o.length
		nearStart := fromStart <= math.Max(r, o.radius[0])
		nearEnd := fromEnd <= math.Max(r, o.radius[last])
		switch {
		case nearStart && (!nearEnd || fromStart <= fromEnd):
			js.join(e, 2*c.sec)
			joined = true
		case nearEnd:
			js.join(e, 2*c.sec+1)
			joined = true
		case along < 0 || c.dist < found[along].dist:
			along = i
		}
	}
	switch {
	case sphere >= 0:
		js.attach(e, sphereProbe(lines, found[sphere].sec), onSphere)
	case along >= 0 && !joined:
		c := found[along]
		js.attach(e, morph.Probe{Section: int32(c.sec), Pos: float32(c.pos)}, alongTube)
	}
}
