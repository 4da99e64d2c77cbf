package movie

import (
	"math"
	"sort"

	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/morph"
)

// opacity returns, for every vertex of msh (swept from prepared with tube
// radii raised to at least minRadius), the share of its drawn width that
// the true branch covers: true radius / minRadius where the tube was
// widened, 1 elsewhere. It returns nil when nothing was widened. Shading a
// widened branch by its opacity keeps its light, summed across its width,
// what the true width would give: the same at every picture size.
func opacity(prepared *morph.Prepared, msh *mesh.Mesh, simplifySoma bool, minRadius float64) []float32 {
	if minRadius <= 0 {
		return nil
	}
	scale := prepared.Thickness
	if scale == 0 {
		scale = 1
	}
	radii := make([]sectionRadii, len(prepared.Sections))
	probe := make([]float32, len(msh.Probes))
	widened := false
	for i, p := range msh.Probes {
		s := int(p.Section)
		sec := &prepared.Sections[s]
		var r float64
		if p.Pos == morph.SectionMean && simplifySoma && sec.Type == "soma" {
			r = mesh.SomaScale * sec.At(0.5).Diam / 2 * scale
		} else {
			if radii[s].cum == nil {
				radii[s] = newSectionRadii(sec)
			}
			r = radii[s].at(float64(p.Pos)) * scale
		}
		probe[i] = 1
		if r < minRadius {
			probe[i] = float32(math.Max(0, r/minRadius))
			widened = true
		}
	}
	if !widened {
		return nil
	}
	out := make([]float32, len(msh.VertexProbe))
	for v, p := range msh.VertexProbe {
		out[v] = probe[p]
	}
	return out
}

// sectionRadii finds a section's radius at an arc-length fraction in
// logarithmic time.
type sectionRadii struct {
	cum    []float64 // arc length at each point
	radius []float64
}

func newSectionRadii(s *morph.Section) sectionRadii {
	r := sectionRadii{cum: make([]float64, len(s.Points)), radius: make([]float64, len(s.Points))}
	for j, p := range s.Points {
		if j > 0 {
			q := s.Points[j-1]
			r.cum[j] = r.cum[j-1] + math.Sqrt((p.X-q.X)*(p.X-q.X)+(p.Y-q.Y)*(p.Y-q.Y)+(p.Z-q.Z)*(p.Z-q.Z))
		}
		r.radius[j] = p.Diam / 2
	}
	return r
}

// at is the radius at arc-length fraction x, interpolated linearly between
// points.
func (r sectionRadii) at(x float64) float64 {
	n := len(r.cum)
	total := r.cum[n-1]
	if n == 1 || total == 0 {
		return r.radius[0]
	}
	target := math.Min(1, math.Max(0, x)) * total
	j := sort.SearchFloat64s(r.cum, target) // first point at or beyond target
	switch {
	case j == 0:
		return r.radius[0]
	case j >= n:
		return r.radius[n-1]
	}
	d := r.cum[j] - r.cum[j-1]
	if d == 0 {
		return r.radius[j]
	}
	t := (target - r.cum[j-1]) / d
	return r.radius[j-1] + t*(r.radius[j]-r.radius[j-1])
}
