package sonata

// Limits on the files this package reads, checked before memory is
// allocated for them.
const (
	// MaxConfigSize bounds a simulation or circuit config file, in bytes.
	MaxConfigSize = 16 << 20
	// MaxNodeSetsSize bounds a node sets file, in bytes (node sets may
	// list node ids one by one).
	MaxNodeSetsSize = 256 << 20
	// MaxNodeTypesSize bounds a node types CSV file, in bytes.
	MaxNodeTypesSize = 64 << 20
	// MaxNodes bounds the nodes of one population, and of one report.
	MaxNodes = 1 << 25
	// MaxSpikes bounds the spikes of one population in a spike report.
	MaxSpikes = 1 << 26
	// MaxExpansion bounds the text that manifest variables expand to,
	// over all the values read from one config file.
	MaxExpansion = 1 << 20
	// MaxNodeSetDepth bounds how deeply compound node sets may nest.
	MaxNodeSetDepth = 100
)
