package main

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// frameRange is the half-open range of output frames [first, end).
type frameRange struct{ first, end int }

// len is the number of frames in the range.
func (r frameRange) len() int { return r.end - r.first }

// parseFrameRange reads "A:B" (frames A ≤ f < B; either side may be
// omitted: ":B", "A:", ":") against a movie of total frames. A range that
// reaches past the end is cut to it; an empty range is an error.
func parseFrameRange(s string, total int) (frameRange, error) {
	r := frameRange{0, total}
	if s == "" {
		return r, nil
	}
	a, b, ok := strings.Cut(s, ":")
	if !ok {
		return r, fmt.Errorf("frame range %q: want A:B (A ≤ frame < B; either side may be left out)", s)
	}
	var err error
	if a != "" {
		if r.first, err = strconv.Atoi(a); err != nil || r.first < 0 {
			return r, fmt.Errorf("frame range %q: start %q is not a frame number ≥ 0", s, a)
		}
	}
	if b != "" {
		if r.end, err = strconv.Atoi(b); err != nil || r.end < 0 {
			return r, fmt.Errorf("frame range %q: end %q is not a frame number ≥ 0", s, b)
		}
		if r.end <= r.first {
			return r, fmt.Errorf("frame range %q holds no frames: the end must be above the start", s)
		}
		r.end = min(r.end, total)
	}
	if r.first >= r.end {
		return r, fmt.Errorf("frame range %q holds no frames of the %d in the movie", s, total)
	}
	return r, nil
}

// framePattern is a frame file name pattern such as frame_%05d.png: the
// text around one frame-number verb, %d or %0Nd (zero-padded to N digits),
// as ffmpeg's image sequences write it. %% stands for a percent sign.
type framePattern struct {
	prefix, suffix string
	width          int // digits the number is zero-padded to; 0 for %d
}

// maxNameBytes is the longest file name most file systems accept.
const maxNameBytes = 255

// maxFrameDigits is the most digits a frame number can have.
var maxFrameDigits = len(strconv.Itoa(maxInt))

const maxInt = int(^uint(0) >> 1)

// parsePattern checks that p names every frame with a legal, visible file
// name in the output folder, distinct for every frame number.
func parsePattern(p string) (framePattern, error) {
	var fp framePattern
	var text strings.Builder
	verbs := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c != '%' {
			text.WriteByte(c)
			continue
		}
		rest := p[i+1:]
		if strings.HasPrefix(rest, "%") {
			text.WriteByte('%')
			i++
			continue
		}
		width, n, ok := parseVerb(rest)
		if !ok {
			return fp, fmt.Errorf("pattern %q: %q is not a frame-number verb; use %%d or %%0Nd such as %%05d (and %%%% for a percent sign)", p, "%"+firstRune(rest))
		}
		if verbs++; verbs > 1 {
			return fp, fmt.Errorf("pattern %q: more than one frame-number verb", p)
		}
		fp.prefix, fp.width = text.String(), width
		text.Reset()
		i += n
	}
	fp.suffix = text.String()
	switch {
	case verbs == 0:
		return fp, fmt.Errorf("pattern %q: needs one frame-number verb such as %%05d", p)
	case strings.ContainsAny(p, `/\`):
		return fp, fmt.Errorf("pattern %q: must be a file name, without a folder", p)
	case strings.ContainsRune(p, 0):
		return fp, fmt.Errorf("pattern %q: a file name cannot hold a NUL byte", p)
	case strings.HasPrefix(fp.prefix, "."):
		return fp, fmt.Errorf("pattern %q: names starting with a dot are hidden (and kept for temporary files)", p)
	case len(fp.prefix)+max(fp.width, maxFrameDigits)+len(fp.suffix) > maxNameBytes:
		return fp, fmt.Errorf("pattern %q: frame names could be longer than %d bytes", p, maxNameBytes)
	}
	return fp, nil
}

// parseVerb reads "d" or "0Nd" at the start of s (what follows a %): the
// zero-padding width, the bytes read and whether it is such a verb.
func parseVerb(s string) (width, n int, ok bool) {
	if strings.HasPrefix(s, "d") {
		return 0, 1, true
	}
	if !strings.HasPrefix(s, "0") {
		return 0, 0, false
	}
	digits := 1
	for digits < len(s) && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits == 1 || digits > 4 || digits >= len(s) || s[digits] != 'd' || s[1] == '0' {
		return 0, 0, false
	}
	width, _ = strconv.Atoi(s[1:digits])
	return width, digits + 1, true
}

// firstRune is s's first character, or "" for an empty string.
func firstRune(s string) string {
	for _, r := range s {
		return string(r)
	}
	return ""
}

// name is frame k's file name.
func (p framePattern) name(k int) string {
	return p.prefix + fmt.Sprintf("%0*d", p.width, k) + p.suffix
}

// frameOf returns the frame number a file named name holds, and whether
// name is a frame's name at all.
func (p framePattern) frameOf(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, p.prefix)
	if !ok {
		return 0, false
	}
	if digits, ok = strings.CutSuffix(digits, p.suffix); !ok || digits == "" {
		return 0, false
	}
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	k, err := strconv.Atoi(digits)
	if err != nil || p.name(k) != name {
		return 0, false
	}
	return k, true
}

// shard is the K-th (0-based) of N contiguous blocks of a frame range.
type shard struct{ k, n int }

// parseShard reads "K/N" (0 ≤ K < N), or "auto" to take K and N from a
// Slurm array job's environment (getenv is os.Getenv outside tests).
func parseShard(s string, getenv func(string) string) (shard, error) {
	if s == "auto" {
		return slurmShard(getenv)
	}
	ks, ns, ok := strings.Cut(s, "/")
	k, errK := strconv.Atoi(ks)
	n, errN := strconv.Atoi(ns)
	if !ok || errK != nil || errN != nil || n < 1 || k < 0 || k >= n {
		return shard{}, fmt.Errorf("--shard %q: want K/N with 0 ≤ K < N, or auto", s)
	}
	return shard{k, n}, nil
}

// maxArrayIndex bounds the Slurm array variables read: Slurm's indices
// are far smaller, and within it no sum or product below overflows.
const maxArrayIndex = 1<<31 - 1

// slurmShard derives the shard from a Slurm array job's environment:
// the task SLURM_ARRAY_TASK_ID of the evenly spaced tasks from
// SLURM_ARRAY_TASK_MIN to SLURM_ARRAY_TASK_MAX in steps of
// SLURM_ARRAY_TASK_STEP (1 when unset), SLURM_ARRAY_TASK_COUNT of them.
// So --array=1-8, 0-7 and 0-14:2 each map onto shards 0…7. An array whose
// tasks are not evenly spaced (--array=0-3,10-12) is refused: a task
// could not tell which shards have no task.
func slurmShard(getenv func(string) string) (shard, error) {
	read := func(name, fallback string) (int, error) {
		s := getenv(name)
		if s == "" {
			s = fallback
		}
		if s == "" {
			return 0, fmt.Errorf("--shard auto: %s is not set (not inside a Slurm array job?)", name)
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 || n > maxArrayIndex {
			return 0, fmt.Errorf("--shard auto: %s=%q is not a whole number from 0 to %d", name, s, maxArrayIndex)
		}
		return n, nil
	}
	var v [5]int
	for i, name := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_STEP"} {
		fallback := ""
		if name == "SLURM_ARRAY_TASK_STEP" {
			fallback = "1"
		}
		n, err := read(name, fallback)
		if err != nil {
			return shard{}, err
		}
		v[i] = n
	}
	id, lo, hi, count, step := v[0], v[1], v[2], v[3], v[4]
	switch {
	case count < 1 || step < 1 || lo > hi || lo+step*(count-1) != hi:
		return shard{}, fmt.Errorf("--shard auto: the array's tasks are not evenly spaced (%d tasks from %d to %d in steps of %d); give each task --shard K/N instead",
			count, lo, hi, step)
	case id < lo || id > hi || (id-lo)%step != 0:
		return shard{}, fmt.Errorf("--shard auto: task %d is not among the tasks from %d to %d in steps of %d", id, lo, hi, step)
	}
	return shard{(id - lo) / step, count}, nil
}

// of returns the shard's block of r: the blocks of all N shards are
// contiguous, cover r exactly and differ in length by at most one frame.
// A shard may be empty when N exceeds the number of frames.
func (s shard) of(r frameRange) frameRange {
	n := r.len()
	return frameRange{r.first + mulDiv(s.k, n, s.n), r.first + mulDiv(s.k+1, n, s.n)}
}

// mulDiv is a·b/c rounded down, for 0 ≤ a ≤ c and b ≥ 0, without
// overflowing: the product is kept in 128 bits.
func mulDiv(a, b, c int) int {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int(q)
}
