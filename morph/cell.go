package morph

// Point is one 3-D sample of a section's centre line with the diameter there.
// Units are whatever the recording stored (µm for NEURON) until the cell is
// prepared for meshing.
type Point struct {
	X, Y, Z, Diam float64
}

// Section is one unbranched NEURON section: an ordered centre line of points.
type Section struct {
	// ID is the section's identifier as recorded (its index in the file).
	ID int
	// Type is "soma", "dend", "apic", "axon" or, for other names, the raw
	// NEURON section name.
	Type string
	// Name is the full NEURON section name when the recording has it, else "".
	Name string
	// Points is the centre line, at least one point.
	Points []Point
	// Parent is the index of the section this one attaches to, or -1 when it
	// is a root or the recording does not say.
	Parent int
	// ParentX is where on the parent (0…1 along its arc length) this section
	// attaches; meaningful only when Parent ≥ 0.
	ParentX float64
}

// Cell is a neuron's morphology: its sections in file order.
type Cell struct {
	Sections []Section
}

// Prepared is a cell made ready for meshing by Prepare: its points are in
// mesh units (recorded units divided by the downscale factor, the soma's
// centre at the origin when centring), its diameters downscaled and
// homogenised, its sections resampled. It is a different type from Cell
// because its numbers mean something else.
type Prepared struct {
	Sections []Section
	// Thickness is the tube radius per unit of radius: a tube is drawn
	// with radius Thickness × Diam / 2 (zero means 1).
	Thickness float64
}
