package morphfile

import (
	"errors"
	"math"
	"slices"
)

// How Import3d turns a soma outline into the 3-D points of a section. The
// steps follow NEURON's Import3d_GUI and Import3d_Section (hoc), and the
// Vector methods they use, closely enough to give the same points.

// hocEpsilon is the tolerance of NEURON's hoc comparisons (float_epsilon)
// and of its Vector methods that compare: in hoc, a <= b means
// a <= b + 1e-11, a == b means |a − b| <= 1e-11.
const hocEpsilon = 1e-11

// indgenEpsilon is the slack Vector.indgen allows when it counts steps.
const indgenEpsilon = 1e-9

// outlineSamples is how many points, evenly spaced along the outline,
// stand for an outline when its centre and axes are computed.
const outlineSamples = 101

// centreLinePoints is how many points a soma outline's centre line has.
const centreLinePoints = 21

var errDegenerate = errors.New("outline too small or too regular to find its axis (points on a line, a circle, or all in one place)")

// resampleOutline returns the outline's points evenly spaced by arc
// length along the open polyline from its first to its last point, and
// their mean: Import3d's contourcenter. The arc length is measured in
// the x-y plane only, as there.
func resampleOutline(pts []rawPoint) (xs, ys, zs []float64, centre [3]float64) {
	n := len(pts)
	perim := make([]float64, n)
	for i := 1; i < n; i++ {
		dx, dy := pts[i].x-pts[i-1].x, pts[i].y-pts[i-1].y
		perim[i] = perim[i-1] + math.Sqrt(dx*dx+dy*dy+0*0)
	}
	step := perim[n-1] / (outlineSamples - 1)
	at := make([]float64, outlineSamples)
	for k := range at {
		at[k] = float64(k) * step
	}
	coord := make([]float64, n)
	for c, out := range []*[]float64{&xs, &ys, &zs} {
		for i, p := range pts {
			coord[i] = [3]float64{p.x, p.y, p.z}[c]
		}
		*out = interpolate(at, perim, coord)
		centre[c] = mean(*out)
	}
	return xs, ys, zs, centre
}

// interpolate evaluates the piecewise linear function through (xs, ys) at
// every xd, holding the end values outside xs and skipping steps where xs
// does not increase: NEURON's Vector.interpolate.
func interpolate(xd, xs, ys []float64) []float64 {
	out := make([]float64, len(xd))
	id := 0
	for ; id < len(xd) && xd[id] <= xs[0]; id++ {
		out[id] = ys[0]
	}
	for is := 1; is < len(xs) && id < len(xd); is++ {
		if xs[is] <= xs[is-1] {
			continue
		}
		for id < len(xd) && xd[id] <= xs[is] {
			t := (xd[id] - xs[is-1]) / (xs[is] - xs[is-1])
			out[id] = (1-t)*ys[is-1] + t*ys[is]
			id++
		}
	}
	for ; id < len(xd); id++ {
		out[id] = ys[len(ys)-1]
	}
	return out
}

func mean(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// outlineCentre is the centre Import3d connects trees to: the mean of the
// resampled outline.
func outlineCentre(pts []rawPoint) ([3]float64, error) {
	_, _, _, c := resampleOutline(pts)
	if !finite(c[0]) || !finite(c[1]) || !finite(c[2]) {
		return c, errDegenerate
	}
	return c, nil
}

// contourCentroid turns a single soma outline into a centre line of 21
// points along its major axis, each as wide as the outline across the
// axis there: the principal axes of the resampled outline give the major
// axis and, flattened into the x-y plane, the direction across; the
// outline is split at its extreme points along the major axis into two
// sides, each made monotonic along it, and both are sampled at 21 evenly
// spaced positions between the second smallest and the second largest
// position of any outline point. The two end diameters are averaged with
// their neighbours so that the ends are not pointed.
func contourCentroid(pts []rawPoint) ([]rawPoint, error) {
	xs, ys, zs, c := resampleOutline(pts)
	n := len(xs)
	rel := [3][]float64{make([]float64, n), make([]float64, n), make([]float64, n)}
	for k := range n {
		rel[0][k], rel[1][k], rel[2][k] = xs[k]-c[0], ys[k]-c[1], zs[k]-c[2]
	}
	var m [3][3]float64
	for i := range 3 {
		for j := i; j < 3; j++ {
			var s float64
			for k := range n {
				s += rel[i][k] * rel[j][k]
			}
			m[i][j], m[j][i] = s, s
		}
	}
	vals, vecs, err := symmetricEigen(m)
	if err != nil {
		return nil, err
	}
	imax, imin := argMax(vals[:]), argMin(vals[:])
	if imax == imin {
		return nil, errDegenerate
	}
	var major, minor [3]float64
	for r := range 3 {
		major[r], minor[r] = vecs[r][imax], vecs[r][3-imin-imax]
	}
	minor[2] = 0
	norm := math.Sqrt(minor[0]*minor[0] + minor[1]*minor[1] + minor[2]*minor[2])
	if norm == 0 {
		return nil, errDegenerate
	}
	for r := range minor {
		minor[r] /= norm
	}
	along, across := make([]float64, n), make([]float64, n)
	for k := range n {
		along[k] = rel[0][k]*major[0] + rel[1][k]*major[1] + rel[2][k]*major[2]
		across[k] = rel[0][k]*minor[0] + rel[1][k]*minor[1] + rel[2][k]*minor[2]
	}
	// Start at the largest position along the axis, then split at the
	// smallest: one side runs back from just before the smallest to the
	// largest, the other from the smallest on.
	shift := argMax(along)
	along = append(along[shift:], along[:shift]...)
	across = append(across[shift:], across[:shift]...)
	split := argMin(along)
	side1, rad1 := reversed(along[:split]), reversed(across[:split])
	side2, rad2 := slices.Clone(along[split:]), slices.Clone(across[split:])
	side1, rad1 = monotonic(side1, rad1)
	side2, rad2 = monotonic(side2, rad2)
	if len(side1) == 0 || len(side2) == 0 {
		return nil, errDegenerate
	}
	all := append(slices.Clone(side1), side2...)
	slices.Sort(all)
	if len(all) < 2 {
		return nil, errDegenerate
	}
	lo, hi := all[1], all[len(all)-2]
	if !(hi != lo) || !finite(hi-lo) {
		return nil, errDegenerate
	}
	step := (hi - lo) / (centreLinePoints - 1)
	count := int(math.Floor((hi-lo)/step+indgenEpsilon)) + 1
	pos := make([]float64, count)
	for k := range pos {
		pos[k] = float64(k)*step + lo
	}
	r1 := interpolate(pos, side1, rad1)
	r2 := interpolate(pos, side2, rad2)
	out := make([]rawPoint, count)
	for k, d := range pos {
		out[k] = rawPoint{
			x: major[0]*d + c[0],
			y: major[1]*d + c[1],
			z: major[2]*d + c[2],
			d: math.Abs(r1[k] - r2[k]),
		}
	}
	out[0].d = (out[0].d + out[1].d) / 2
	last := len(out) - 1
	out[last].d = (out[last].d + out[last-1].d) / 2
	return out, nil
}

// monotonic drops points until pos increases by more than hoc's
// tolerance at every step, scanning from the end as Import3d does, and
// the matching radii with them.
func monotonic(pos, rad []float64) ([]float64, []float64) {
	for j := len(pos) - 1; j > 0; j-- {
		if pos[j] <= pos[j-1]+hocEpsilon {
			pos = slices.Delete(pos, j, j+1)
			rad = slices.Delete(rad, j, j+1)
			if j != len(pos) {
				j++
			}
		}
	}
	return pos, rad
}

func reversed(v []float64) []float64 {
	out := slices.Clone(v)
	slices.Reverse(out)
	return out
}

// argMax is the index of the first largest value.
func argMax(v []float64) int {
	best := 0
	for i, x := range v {
		if x > v[best] {
			best = i
		}
	}
	return best
}

// argMin is the index of the first smallest value.
func argMin(v []float64) int {
	best := 0
	for i, x := range v {
		if x < v[best] {
			best = i
		}
	}
	return best
}

// stackCentroid turns a soma drawn as a stack of outlines into a centre
// line through the outlines' centres, each point as wide as its outline:
// the mean distance of the resampled outline from its centre plus the
// outline's perimeter over 2π.
func stackCentroid(s *section) ([]rawPoint, error) {
	out := make([]rawPoint, 0, 1+len(s.stack))
	for _, c := range append([]*section{s}, s.stack...) {
		xs, ys, zs, centre := resampleOutline(c.pts)
		var perim float64
		for i := range c.pts {
			perim += dist(c.pts[i], c.pts[(i+1)%len(c.pts)])
		}
		r := make([]float64, len(xs))
		for k := range xs {
			dx, dy, dz := xs[k]-centre[0], ys[k]-centre[1], zs[k]-centre[2]
			r[k] = math.Sqrt(dx*dx + dy*dy + dz*dz)
		}
		p := rawPoint{centre[0], centre[1], centre[2], mean(r) + perim/(2*math.Pi)}
		if !finite(p.x) || !finite(p.y) || !finite(p.z) || !finite(p.d) {
			return nil, errDegenerate
		}
		out = append(out, p)
	}
	return out, nil
}

// stackCentre is where trees attach to a stack of outlines: halfway
// along the polyline through the outlines' centres.
func stackCentre(s *section) ([3]float64, error) {
	outlines := append([]*section{s}, s.stack...)
	centres := make([][3]float64, len(outlines))
	cum := make([]float64, len(outlines))
	for i, c := range outlines {
		_, _, _, centres[i] = resampleOutline(c.pts)
		if i > 0 {
			a, b := centres[i], centres[i-1]
			cum[i] = cum[i-1] + math.Sqrt((a[0]-b[0])*(a[0]-b[0])+(a[1]-b[1])*(a[1]-b[1])+(a[2]-b[2])*(a[2]-b[2]))
		}
	}
	half := cum[len(cum)-1] / 2
	if !finite(half) {
		return [3]float64{}, errDegenerate
	}
	if math.Abs(half) <= hocEpsilon {
		return centres[0], nil
	}
	i := slices.IndexFunc(cum, func(v float64) bool { return v > half+hocEpsilon })
	if i < 1 {
		return [3]float64{}, errDegenerate
	}
	t := (half - cum[i-1]) / (cum[i] - cum[i-1])
	var c [3]float64
	for j := range c {
		c[j] = t*centres[i][j] + (1-t)*centres[i-1][j]
	}
	return c, nil
}
