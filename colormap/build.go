package colormap

// Part names the part of a colormap request that an error is about.
type Part int

// The parts of a request to Build.
const (
	PartName  Part = iota // the name or colour list
	PartRange             // the sub-range start…stop
	PartSteps             // the stepped ramp
)

// BuildError is a colormap request that cannot be met, with the part at
// fault, so that a caller can name the option that set it.
type BuildError struct {
	Part Part
	Err  error
}

func (e *BuildError) Error() string { return e.Err.Error() }

// Unwrap returns the underlying error.
func (e *BuildError) Unwrap() error { return e.Err }

// Build resolves a colormap name or colour list (as Get) and applies
// BlenderSpike's options in BlenderSpike's order: the sub-range [start,
// stop] (always applied, as BlenderSpike does; [0, 1] keeps the whole map),
// then a colour ramp of steps stops unless steps is 0. Errors are
// *BuildError.
func Build(spec string, start, stop float64, steps int) (*Map, error) {
	m, err := Get(spec)
	if err != nil {
		return nil, &BuildError{PartName, err}
	}
	if m, err = m.Sub(start, stop); err != nil {
		return nil, &BuildError{PartRange, err}
	}
	if steps != 0 {
		if m, err = m.Stepped(steps); err != nil {
			return nil, &BuildError{PartSteps, err}
		}
	}
	return m, nil
}
