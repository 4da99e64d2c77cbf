package sonata

import (
	"fmt"
	"math"

	"github.com/spikeframes/spikeframes/morph"
)

// identity is the rotation of a node that gives none.
var identity = [3][3]float64{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}

// quaternionMatrix turns the quaternion w + xi + yj + zk, normalised, into
// a rotation matrix.
func quaternionMatrix(w, x, y, z float64) ([3][3]float64, error) {
	n := math.Sqrt(w*w + x*x + y*y + z*z)
	if !(n > 0) || math.IsInf(n, 0) {
		return identity, fmt.Errorf("orientation quaternion (%g, %g, %g, %g) is not a rotation", w, x, y, z)
	}
	w, x, y, z = w/n, x/n, y/n, z/n
	return [3][3]float64{
		{1 - 2*(y*y+z*z), 2 * (x*y - w*z), 2 * (x*z + w*y)},
		{2 * (x*y + w*z), 1 - 2*(x*x+z*z), 2 * (y*z - w*x)},
		{2 * (x*z - w*y), 2 * (y*z + w*x), 1 - 2*(x*x+y*y)},
	}, nil
}

// eulerMatrix is the SONATA rotation by angles (radians) about the x, y
// and z axes: about z first, then y, then x, all about the fixed axes of
// the world, so a point p goes to Rx·Ry·Rz·p.
func eulerMatrix(ax, ay, az float64) [3][3]float64 {
	sx, cx := math.Sincos(ax)
	sy, cy := math.Sincos(ay)
	sz, cz := math.Sincos(az)
	rx := [3][3]float64{{1, 0, 0}, {0, cx, -sx}, {0, sx, cx}}
	ry := [3][3]float64{{cy, 0, sy}, {0, 1, 0}, {-sy, 0, cy}}
	rz := [3][3]float64{{cz, -sz, 0}, {sz, cz, 0}, {0, 0, 1}}
	return mul(rx, mul(ry, rz))
}

func mul(a, b [3][3]float64) [3][3]float64 {
	var c [3][3]float64
	for i := range 3 {
		for j := range 3 {
			for k := range 3 {
				c[i][j] += a[i][k] * b[k][j]
			}
		}
	}
	return c
}

// World returns where a point of the node's morphology, given in the
// morphology file's coordinates, lies in the circuit: the point is taken
// relative to origin (the soma centre, or the file's origin when the node
// does not recenter), rotated by the node's rotation, then moved to the
// node's position.
func (n Node) World(p, origin morph.Point) morph.Point {
	d := [3]float64{p.X - origin.X, p.Y - origin.Y, p.Z - origin.Z}
	r := &n.Rotation
	return morph.Point{
		X:    r[0][0]*d[0] + r[0][1]*d[1] + r[0][2]*d[2] + n.Position[0],
		Y:    r[1][0]*d[0] + r[1][1]*d[1] + r[1][2]*d[2] + n.Position[1],
		Z:    r[2][0]*d[0] + r[2][1]*d[1] + r[2][2]*d[2] + n.Position[2],
		Diam: p.Diam,
	}
}

// Place returns a copy of c, the node's morphology, standing where the
// node stands in the circuit: its soma centre (morph.SomaCenter's) at the
// node's position, unless the node does not recenter, and turned about it
// by the node's rotation (see Node.World).
func Place(c *morph.Cell, n Node) *morph.Cell {
	var centre morph.Point
	if n.Recenter {
		centre = morph.SomaCenter(c)
	}
	out := &morph.Cell{Sections: make([]morph.Section, len(c.Sections))}
	for i, s := range c.Sections {
		s.Points = make([]morph.Point, len(c.Sections[i].Points))
		for j, p := range c.Sections[i].Points {
			s.Points[j] = n.World(p, centre)
		}
		out.Sections[i] = s
	}
	return out
}
