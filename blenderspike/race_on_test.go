//go:build race

package blenderspike

// raceSlack is added to countSlack under the race detector, whose
// instrumentation makes allocations of its own that the decoder cannot
// count.
const raceSlack = 1 << 20
