//go:build !race

package blenderspike

// raceSlack is added to countSlack under the race detector (see
// race_on_test.go); without it there is none.
const raceSlack = 0
