package mesh

import "github.com/spikeframes/spikeframes/morph"

// Vec3 is a 3-D vector in mesh units (µm divided by the downscale factor).
type Vec3 [3]float32

// Mesh is an indexed triangle mesh of a cell. It is static for a whole movie:
// only the voltages read through Probes change from frame to frame.
type Mesh struct {
	// Positions and Normals hold one entry per vertex; normals are unit
	// length and point out of the surface.
	Positions []Vec3
	Normals   []Vec3
	// Triangles index Positions, wound counter-clockwise seen from outside
	// (the inner side of a rounded bend folds inside the tube, facing
	// inward, where nothing outside sees it).
	Triangles [][3]uint32
	// Probes lists the distinct places voltage is read (typically one per
	// ring); VertexProbe[v] is the probe that colours vertex v.
	Probes      []morph.Probe
	VertexProbe []uint32
	// Junctions are where sections meet (the branch points the mesh
	// closes with rounded ends): voltage.NewSampler(rec, m.Probes,
	// m.Junctions...) reads a voltage that is continuous across them.
	Junctions []morph.Junction
}
