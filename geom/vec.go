package geom

import "math"

// Vec is a 3-D vector of float64s.
type Vec [3]float64

// Add returns a + b.
func (a Vec) Add(b Vec) Vec { return Vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }

// Sub returns a − b.
func (a Vec) Sub(b Vec) Vec { return Vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }

// Scale returns s·a.
func (a Vec) Scale(s float64) Vec { return Vec{a[0] * s, a[1] * s, a[2] * s} }

// AddScaled returns a + s·b.
func (a Vec) AddScaled(b Vec, s float64) Vec {
	return Vec{a[0] + s*b[0], a[1] + s*b[1], a[2] + s*b[2]}
}

// Dot returns the dot product a·b.
func (a Vec) Dot(b Vec) float64 { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }

// Norm returns a's length.
func (a Vec) Norm() float64 { return math.Sqrt(a.Dot(a)) }

// Cross returns the cross product a × b.
func (a Vec) Cross(b Vec) Vec {
	return Vec{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}

// Min returns the componentwise minimum of a and b.
func (a Vec) Min(b Vec) Vec {
	return Vec{math.Min(a[0], b[0]), math.Min(a[1], b[1]), math.Min(a[2], b[2])}
}

// Max returns the componentwise maximum of a and b.
func (a Vec) Max(b Vec) Vec {
	return Vec{math.Max(a[0], b[0]), math.Max(a[1], b[1]), math.Max(a[2], b[2])}
}

// Unit returns a scaled to length 1, and false when a is too short to have
// a direction.
func (a Vec) Unit() (Vec, bool) {
	n := a.Norm()
	if !(n > 1e-300) {
		return Vec{}, false
	}
	return a.Scale(1 / n), true
}

// Rotate turns a by angle (radians) about the unit axis k (Rodrigues'
// formula).
func (a Vec) Rotate(k Vec, angle float64) Vec {
	c, s := math.Cos(angle), math.Sin(angle)
	return a.Scale(c).Add(k.Cross(a).Scale(s)).Add(k.Scale(k.Dot(a) * (1 - c)))
}
