package voltage

// Trace is one section's recorded values (the membrane voltage in mV
// unless the Recording names another variable): Frames × NSeg values,
// frame-major (frame f, segment i is Values[f*NSeg+i]). Segment i of NSeg
// sits at arc-length position (i+0.5)/NSeg along the section.
type Trace struct {
	NSeg   int
	Values []float32
}

// Recording is the voltage of every section over a run, one Trace per
// section in the same order as the cell's sections; every trace has the
// same number of frames.
type Recording struct {
	Frames int
	Traces []Trace
	// TStart and TStop are the recorded time span in ms when the file
	// records it; HasTime says whether it does.
	TStart, TStop float64
	HasTime       bool
	// Variable is the NEURON range variable the traces hold: "v" for the
	// membrane voltage, or another such as "cai" or "m_hh". Unit is its
	// unit, such as "mV" or "mM", or "" for one without. Readers set "v"
	// and "mV" when the file does not say.
	Variable, Unit string
}

// Frame returns section sec's nseg voltages at frame f (a view, not a copy).
func (r *Recording) Frame(sec, f int) []float32 {
	t := &r.Traces[sec]
	return t.Values[f*t.NSeg : (f+1)*t.NSeg]
}
