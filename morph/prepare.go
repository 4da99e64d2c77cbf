package morph

import (
	"errors"
	"fmt"
	"math"
)

// Options control how a cell is prepared for meshing; the defaults are
// BlenderSpike's Neuron Builder defaults.
type Options struct {
	// Segmentation is the number of points each section is resampled to,
	// evenly spaced in arc length (≥ 2); 0 means auto: keep every 3-D point
	// and add points so that every simulated segment is covered by rings.
	Segmentation int
	// Downscale divides coordinates and diameters (default 25).
	Downscale float64
	// Center moves the soma centre to the origin (default true).
	Center bool
	// Thickness scales tubes: tube radius = Thickness × diameter / 2
	// (default 2).
	Thickness float64
	// Homogeneity h in [0,1] pulls every diameter towards the cell's mean
	// diameter: d' = h·mean + (1−h)·d (default 0).
	Homogeneity float64
}

// Limits on what Prepare accepts, checked before memory is allocated.
const (
	// MaxSegmentation is the largest explicit Segmentation.
	MaxSegmentation = 10000
	// MaxNSeg is the largest simulated segment count per section (NEURON's
	// own limit).
	MaxNSeg = 32767
	// MaxPreparedPoints bounds the points of a prepared cell.
	MaxPreparedPoints = 4 << 20
	// MinDownscale and MaxDownscale bound Options.Downscale, and
	// MinThickness and MaxThickness Options.Thickness: within them a cell
	// of any real size (up to metres, in µm) keeps every mesh coordinate and
	// radius finite in float32.
	MinDownscale, MaxDownscale = 1e-3, 1e6
	MinThickness, MaxThickness = 1e-3, 1e3
	// MinDiameter is the smallest diameter drawn, in the recording's units
	// (µm): thinner or zero diameters are raised to it so that no tube
	// collapses to a line.
	MinDiameter = 0.1
)

// ErrTooLarge is wrapped by the error Prepare returns for a cell that would
// have more than MaxPreparedPoints points: a lower Segmentation (or an
// explicit one instead of auto) makes it fit.
var ErrTooLarge = errors.New("prepared cell too large")

// DefaultOptions returns BlenderSpike's defaults with auto segmentation.
func DefaultOptions() Options {
	return Options{Segmentation: 0, Downscale: 25, Center: true, Thickness: 2, Homogeneity: 0}
}

// Validate reports the first option outside its allowed range; the message
// begins with the option's name.
func (o Options) Validate() error {
	switch {
	case o.Segmentation == 1 || o.Segmentation < 0:
		return fmt.Errorf("segmentation %d: need at least 2 points per section (or auto)", o.Segmentation)
	case o.Segmentation > MaxSegmentation:
		return fmt.Errorf("segmentation %d: at most %d points per section", o.Segmentation, MaxSegmentation)
	case !(o.Downscale >= MinDownscale && o.Downscale <= MaxDownscale):
		return fmt.Errorf("downscale %v: must be a number from %g to %g", o.Downscale, float64(MinDownscale), float64(MaxDownscale))
	case !(o.Thickness >= MinThickness && o.Thickness <= MaxThickness):
		return fmt.Errorf("thickness %v: must be a number from %g to %g", o.Thickness, float64(MinThickness), float64(MaxThickness))
	case !(o.Homogeneity >= 0 && o.Homogeneity <= 1):
		return fmt.Errorf("homogeneity %v: must be in [0,1]", o.Homogeneity)
	}
	return nil
}

// Prepare returns a new cell ready for meshing; c is not modified. nseg[i]
// is section i's simulated segment count, used by auto segmentation (nil
// counts every section as one segment).
//
// In the prepared cell, X, Y and Z are in mesh units (recorded units divided
// by Downscale, soma centre at the origin when Center is set), Diam is the
// homogenised diameter in mesh units (at least MinDiameter/Downscale), and
// Thickness is o.Thickness, so a tube's radius is Thickness × Diam / 2.
// A section keeps at least one point; a section of zero length keeps
// copies of its first point.
func Prepare(c *Cell, nseg []int, o Options) (*Prepared, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if c == nil || len(c.Sections) == 0 {
		return nil, errors.New("cell has no sections")
	}
	if nseg != nil && len(nseg) != len(c.Sections) {
		return nil, fmt.Errorf("%d segment counts for %d sections", len(nseg), len(c.Sections))
	}
	total := 0
	for i, s := range c.Sections {
		if len(s.Points) == 0 {
			return nil, fmt.Errorf("section %d: no 3-D points", i)
		}
		for j, p := range s.Points {
			if !finite(p.X) || !finite(p.Y) || !finite(p.Z) || !finite(p.Diam) {
				return nil, fmt.Errorf("section %d, point %d: coordinate or diameter is not a finite number", i, j)
			}
		}
		n := o.Segmentation
		if n == 0 {
			segs := 1
			if nseg != nil {
				segs = nseg[i]
			}
			if segs < 1 || segs > MaxNSeg {
				return nil, fmt.Errorf("section %d: segment count %d outside 1…%d", i, segs, MaxNSeg)
			}
			n = len(s.Points) + 2*segs + 1
		}
		total += n
		if total > MaxPreparedPoints {
			return nil, fmt.Errorf("%w: more than %d points", ErrTooLarge, MaxPreparedPoints)
		}
	}

	place := o.placer(c)
	mean := meanDiameter(c)
	minDiam := MinDiameter / o.Downscale
	out := &Prepared{Sections: make([]Section, len(c.Sections)), Thickness: o.Thickness}
	for i, s := range c.Sections {
		pts := make([]Point, len(s.Points))
		for j, p := range s.Points {
			d := o.Homogeneity*mean + (1-o.Homogeneity)*p.Diam
			pts[j] = place(p)
			pts[j].Diam = math.Max(d/o.Downscale, minDiam)
		}
		if o.Segmentation > 0 {
			pts = Resample(pts, o.Segmentation)
		} else {
			segs := 1
			if nseg != nil {
				segs = nseg[i]
			}
			pts = refine(pts, segs)
		}
		ns := s
		ns.Points = pts
		out.Sections[i] = ns
	}
	return out, nil
}

// Place returns where the recorded point p of cell c lands in the cell that
// Prepare makes with these options (mesh units; its diameter is only
// downscaled).
func (o Options) Place(c *Cell, p Point) Point {
	return o.placer(c)(p)
}

// placer returns the function that moves recorded points of c to mesh
// units: minus the soma centre when centring, divided by Downscale.
func (o Options) placer(c *Cell) func(Point) Point {
	origin := Point{}
	if o.Center {
		origin = SomaCenter(c)
	}
	return func(p Point) Point {
		return Point{
			X:    (p.X - origin.X) / o.Downscale,
			Y:    (p.Y - origin.Y) / o.Downscale,
			Z:    (p.Z - origin.Z) / o.Downscale,
			Diam: p.Diam / o.Downscale,
		}
	}
}

// SomaCenter returns the arc-length midpoint of the cell's first section of
// type "soma", or the first section's first point when there is none.
func SomaCenter(c *Cell) Point {
	for _, s := range c.Sections {
		if s.Type == "soma" && len(s.Points) > 0 {
			return s.At(0.5)
		}
	}
	return c.Sections[0].Points[0]
}

// meanDiameter is the mean diameter over all of the cell's 3-D points.
func meanDiameter(c *Cell) float64 {
	var sum float64
	n := 0
	for _, s := range c.Sections {
		for _, p := range s.Points {
			sum += p.Diam
			n++
		}
	}
	return sum / float64(n)
}

// Length is the section's arc length: the sum of its point-to-point
// distances.
func (s *Section) Length() float64 {
	var l float64
	for j := 1; j < len(s.Points); j++ {
		l += dist(s.Points[j-1], s.Points[j])
	}
	return l
}

// At returns the point at arc-length fraction x in [0,1] along the section,
// interpolating coordinates and diameter linearly between 3-D points. A
// section of zero length returns its first point.
func (s *Section) At(x float64) Point {
	pts := s.Points
	total := s.Length()
	if total == 0 {
		return pts[0]
	}
	target := x * total
	var run float64
	for j := 1; j < len(pts); j++ {
		d := dist(pts[j-1], pts[j])
		if run+d >= target && d > 0 {
			return lerp(pts[j-1], pts[j], (target-run)/d)
		}
		run += d
	}
	return pts[len(pts)-1]
}

// Resample returns n ≥ 2 points evenly spaced in arc length along the
// polyline pts, from its first to its last point. A polyline of zero length
// gives n copies of its first point.
func Resample(pts []Point, n int) []Point {
	cum := cumulative(pts)
	total := cum[len(cum)-1]
	out := make([]Point, n)
	j := 1
	for k := range out {
		if total == 0 {
			out[k] = pts[0]
			continue
		}
		target := total * float64(k) / float64(n-1)
		for j < len(pts)-1 && cum[j] < target {
			j++
		}
		out[k] = between(pts, cum, j, target)
	}
	out[n-1] = pts[len(pts)-1]
	if total == 0 {
		out[n-1] = pts[0]
	}
	return out
}

// refine keeps every point of pts and inserts points at the boundaries and
// centres of nseg equal simulated segments (arc-length fractions k/(2·nseg)),
// skipping a position an existing point already occupies. Every segment
// thus holds at least its two boundary rings and its centre ring.
func refine(pts []Point, nseg int) []Point {
	cum := cumulative(pts)
	total := cum[len(cum)-1]
	if total == 0 {
		return pts
	}
	out := make([]Point, 0, len(pts)+2*nseg+1)
	out = append(out, pts[0])
	steps := 2 * nseg
	k := 1 // next inserted position k/steps, k = 0 is the first point
	const same = 1e-9
	for j := 1; j < len(pts); j++ {
		for ; k < steps; k++ {
			target := total * float64(k) / float64(steps)
			if target >= cum[j]-same*total {
				break
			}
			if target > cum[j-1]+same*total {
				out = append(out, between(pts, cum, j, target))
			}
		}
		out = append(out, pts[j])
	}
	return out
}

// cumulative returns the arc length from pts[0] to each point.
func cumulative(pts []Point) []float64 {
	cum := make([]float64, len(pts))
	for j := 1; j < len(pts); j++ {
		cum[j] = cum[j-1] + dist(pts[j-1], pts[j])
	}
	return cum
}

// between interpolates the point at arc length target on the piece from
// pts[j-1] to pts[j].
func between(pts []Point, cum []float64, j int, target float64) Point {
	d := cum[j] - cum[j-1]
	if d <= 0 {
		return pts[j]
	}
	t := math.Max(0, math.Min(1, (target-cum[j-1])/d))
	return lerp(pts[j-1], pts[j], t)
}

func lerp(a, b Point, t float64) Point {
	return Point{
		X:    a.X + t*(b.X-a.X),
		Y:    a.Y + t*(b.Y-a.Y),
		Z:    a.Z + t*(b.Z-a.Z),
		Diam: a.Diam + t*(b.Diam-a.Diam),
	}
}

func dist(a, b Point) float64 {
	return math.Sqrt((b.X-a.X)*(b.X-a.X) + (b.Y-a.Y)*(b.Y-a.Y) + (b.Z-a.Z)*(b.Z-a.Z))
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
