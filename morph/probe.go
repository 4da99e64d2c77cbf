package morph

// SectionMean as a Probe position reads the mean of all of a section's
// segments (the simplified soma's colour) instead of one place on it.
const SectionMean float32 = -1

// Probe is a place whose voltage is read each frame: a section and an
// arc-length position in [0,1] along it, or SectionMean.
type Probe struct {
	Section int32
	Pos     float32
}

// Junction is a place where sections meet: a branch point, where NEURON
// joins a parent and its children through one node. Package voltage gives
// every end that meets there the junction's voltage, ramping to the end
// segment's centre, so that the sections show one voltage where they meet
// (its NewSampler says how the junction's voltage is formed).
type Junction struct {
	// Ends are the section ends that meet here.
	Ends []End
	// On, when not nil, is the place whose voltage the junction has.
	On *Probe
}

// End is one end of a section at a junction.
type End struct {
	Section int32
	// Last is false for the section's start (arc position 0) and true for
	// its end (arc position 1).
	Last bool
	// Conductance is the section's axial conductance per unit of
	// resistivity up to a factor shared by the junction's ends: the
	// diameter at this end squared over the section's length, d²/L, in
	// any one unit of length. The half segment next to the end conducts
	// 2·nseg times as much.
	Conductance float64
}
