package movie

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// timeline is when a movie's frames are. Its base is a common time axis of
// base frames: output frames spread evenly over it (Resample changes how
// many there are, not the span), and each cell's recording is read where
// the axis says.
//
// Cells are aligned by simulated time when every recording's time span is
// known and they are not all alike (the same span and frame count); the
// axis then runs from the earliest start to the latest stop at the finest
// recorded frame rate, and a recording holds its first frame before its
// start and its last after its stop. Otherwise cells are aligned frame by
// frame: the axis is the longest recording's frames, and a shorter one
// holds its last frame.
type timeline struct {
	base   int
	byTime bool
	span   TimeSpan // simulated time of base frames 0 and base−1, if known
}

// newTimeline aligns the cells' recordings; warn hears about recordings
// of different lengths that can only be aligned frame by frame.
func newTimeline(cells []*sceneCell, warn func(string)) (timeline, error) {
	longest := cells[0]
	alike, timed := true, true
	counts := make([]string, len(cells))
	for i, c := range cells {
		if c.rec.Frames > longest.rec.Frames {
			longest = c
		}
		alike = alike && c.rec.Frames == cells[0].rec.Frames && c.span == cells[0].span
		timed = timed && c.span.Set
		counts[i] = strconv.Itoa(c.rec.Frames)
	}
	if alike || !timed {
		if !alike && slicesDiffer(counts) {
			warn(fmt.Sprintf("the recordings have %s frames and not every one has a time span: frames align by index, a shorter recording holding its last frame", strings.Join(counts, ", ")))
		}
		return timeline{base: longest.rec.Frames, span: longest.span}, nil
	}
	tl := timeline{byTime: true, span: TimeSpan{Start: math.Inf(1), Stop: math.Inf(-1), Set: true}}
	step := math.Inf(1)
	for _, c := range cells {
		tl.span.Start, tl.span.Stop = math.Min(tl.span.Start, c.span.Start), math.Max(tl.span.Stop, c.span.Stop)
		if c.rec.Frames > 1 {
			step = math.Min(step, (c.span.Stop-c.span.Start)/float64(c.rec.Frames-1))
		}
	}
	tl.base = 1
	if !math.IsInf(step, 1) {
		n := math.Round((tl.span.Stop-tl.span.Start)/step) + 1
		if !(n <= MaxFrames) {
			return tl, bad("time-span", fmt.Sprintf("%g:%g", tl.span.Start, tl.span.Stop),
				"the recordings' spans and frame rates make %.0f frames, more than %d", n, MaxFrames)
		}
		tl.base = int(n)
	}
	return tl, nil
}

// slicesDiffer reports whether the strings are not all the same.
func slicesDiffer(s []string) bool {
	for _, x := range s {
		if x != s[0] {
			return true
		}
	}
	return false
}

// frameTime is the place on a base of base frames of output frame k of
// total: output frames spread evenly over the whole base (the arithmetic
// of voltage.Recording.FrameTime).
func frameTime(k, total, base int) float64 {
	if total <= 1 || base <= 1 {
		return 0
	}
	return float64(k) * float64(base-1) / float64(total-1)
}

// cellTime is where on its own recording (in recorded frames) cell c is
// at place b of the base.
func (tl timeline) cellTime(c *sceneCell, b float64) float64 {
	if !tl.byTime {
		return b
	}
	t := tl.span.Start
	if tl.base > 1 {
		t += (tl.span.Stop - tl.span.Start) * b / float64(tl.base-1)
	}
	if c.rec.Frames <= 1 {
		return 0
	}
	return (t - c.span.Start) / (c.span.Stop - c.span.Start) * float64(c.rec.Frames-1)
}

// frameAt is the output frame, of total, that shows simulated time t (ms).
func (tl timeline) frameAt(t float64, total int) (float64, error) {
	if !tl.span.Set {
		return 0, fmt.Errorf("the frames' times are not known: give the keyframe's frame, or a time span")
	}
	if total <= 1 {
		return 0, nil
	}
	return (t - tl.span.Start) / (tl.span.Stop - tl.span.Start) * float64(total-1), nil
}
