package mesh

import "math"

// vec is the float64 vector the builder computes with; positions are
// rounded to Vec3 only when stored.
type vec [3]float64

func (a vec) add(b vec) vec       { return vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a vec) sub(b vec) vec       { return vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a vec) scale(s float64) vec { return vec{a[0] * s, a[1] * s, a[2] * s} }
func (a vec) dot(b vec) float64   { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a vec) norm() float64       { return math.Sqrt(a.dot(a)) }
func (a vec) vec3() Vec3          { return Vec3{float32(a[0]), float32(a[1]), float32(a[2])} }
func (a vec) addScaled(b vec, s float64) vec {
	return vec{a[0] + s*b[0], a[1] + s*b[1], a[2] + s*b[2]}
}

func (a vec) min(b vec) vec {
	return vec{math.Min(a[0], b[0]), math.Min(a[1], b[1]), math.Min(a[2], b[2])}
}

func (a vec) max(b vec) vec {
	return vec{math.Max(a[0], b[0]), math.Max(a[1], b[1]), math.Max(a[2], b[2])}
}

func (a vec) cross(b vec) vec {
	return vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// unit returns a scaled to length 1 and false when a is too short to have
// a direction.
func (a vec) unit() (vec, bool) {
	n := a.norm()
	if !(n > 1e-300) {
		return vec{}, false
	}
	return a.scale(1 / n), true
}

// perpendicular returns a unit vector perpendicular to the unit vector t,
// chosen deterministically from the axis t is least aligned with.
func perpendicular(t vec) vec {
	axis := vec{1, 0, 0}
	if math.Abs(t[1]) < math.Abs(t[0]) && math.Abs(t[1]) <= math.Abs(t[2]) {
		axis = vec{0, 1, 0}
	} else if math.Abs(t[2]) < math.Abs(t[0]) && math.Abs(t[2]) < math.Abs(t[1]) {
		axis = vec{0, 0, 1}
	}
	p, _ := t.cross(axis).unit()
	return p
}
