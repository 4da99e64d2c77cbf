package mesh

import (
	"math"

	"github.com/spikeframes/spikeframes/geom"
)

// toVec3 rounds a to the float32 vector positions are stored as.
func toVec3(a geom.Vec) Vec3 { return Vec3{float32(a[0]), float32(a[1]), float32(a[2])} }

// perpendicular returns a unit vector perpendicular to the unit vector t,
// chosen deterministically from the axis t is least aligned with.
func perpendicular(t geom.Vec) geom.Vec {
	axis := geom.Vec{1, 0, 0}
	if math.Abs(t[1]) < math.Abs(t[0]) && math.Abs(t[1]) <= math.Abs(t[2]) {
		axis = geom.Vec{0, 1, 0}
	} else if math.Abs(t[2]) < math.Abs(t[0]) && math.Abs(t[2]) < math.Abs(t[1]) {
		axis = geom.Vec{0, 0, 1}
	}
	p, _ := t.Cross(axis).Unit()
	return p
}
