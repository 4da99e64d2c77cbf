package main

import (
	"fmt"
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
		r.end = min(r.end, total)
	}
	if r.first >= r.end {
		return r, fmt.Errorf("frame range %q holds no frames of the %d in the movie", s, total)
	}
	return r, nil
}

// checkPattern makes sure a file-name pattern numbers frames: it must hold
// exactly one integer verb (such as %05d), give distinct names and stay in
// the output folder.
func checkPattern(p string) error {
	if strings.ContainsAny(p, `/\`) {
		return fmt.Errorf("pattern %q: must be a file name, without a folder", p)
	}
	a, b := fmt.Sprintf(p, 0), fmt.Sprintf(p, 1)
	if strings.Contains(a, "%!") || a == b || strings.Count(strings.ReplaceAll(p, "%%", ""), "%") != 1 {
		return fmt.Errorf("pattern %q: needs exactly one frame-number verb such as %%05d", p)
	}
	return nil
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
		return shard{}, fmt.Errorf("shard %q: want K/N with 0 ≤ K < N, or auto", s)
	}
	return shard{k, n}, nil
}

// slurmShard derives the shard from SLURM_ARRAY_TASK_ID, _MIN and _COUNT,
// so that an array such as --array=1-8 or 0-7 maps onto shards 0…7.
func slurmShard(getenv func(string) string) (shard, error) {
	var v [3]int
	for i, name := range []string{"SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN", "SLURM_ARRAY_TASK_COUNT"} {
		s := getenv(name)
		if s == "" {
			return shard{}, fmt.Errorf("--shard auto: %s is not set (not inside a Slurm array job?)", name)
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			return shard{}, fmt.Errorf("--shard auto: %s=%q is not a number", name, s)
		}
		v[i] = n
	}
	id, lo, count := v[0], v[1], v[2]
	if count < 1 || id < lo || id-lo >= count {
		return shard{}, fmt.Errorf("--shard auto: task %d is not among the %d tasks from %d (arrays with a step are not supported)", id, count, lo)
	}
	return shard{id - lo, count}, nil
}

// of returns the shard's block of r: the blocks of all N shards are
// contiguous, cover r exactly and differ in length by at most one frame.
// A shard may be empty when N exceeds the number of frames.
func (s shard) of(r frameRange) frameRange {
	n := r.len()
	return frameRange{r.first + s.k*n/s.n, r.first + (s.k+1)*n/s.n}
}
