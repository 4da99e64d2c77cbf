package main

import (
	"fmt"
	"strings"
	"testing"
)

func TestParseFrameRange(t *testing.T) {
	tests := []struct {
		in          string
		total       int
		first, end  int
		errExpected bool
	}{
		{"", 300, 0, 300, false},
		{":", 300, 0, 300, false},
		{"10:20", 300, 10, 20, false},
		{":20", 300, 0, 20, false},
		{"250:", 300, 250, 300, false},
		{"250:1000", 300, 250, 300, false},
		{"299:300", 300, 299, 300, false},
		{"300:", 300, 0, 0, true},
		{"20:10", 300, 0, 0, true},
		{"5:5", 300, 0, 0, true},
		{"-1:5", 300, 0, 0, true},
		{"a:5", 300, 0, 0, true},
		{"5", 300, 0, 0, true},
		{"1:2:3", 300, 0, 0, true},
	}
	for _, tc := range tests {
		r, err := parseFrameRange(tc.in, tc.total)
		if tc.errExpected {
			if err == nil {
				t.Errorf("%q: accepted as %+v", tc.in, r)
			}
			continue
		}
		if err != nil || r.first != tc.first || r.end != tc.end {
			t.Errorf("%q: got %+v, %v; want [%d, %d)", tc.in, r, err, tc.first, tc.end)
		}
	}
}

func TestParsePattern(t *testing.T) {
	long := strings.Repeat("x", maxNameBytes-maxFrameDigits)
	tests := []struct {
		pattern string
		frames  map[int]string // frame → name; nil for a pattern refused
		refusal string
	}{
		{"frame_%05d.png", map[int]string{0: "frame_00000.png", 42: "frame_00042.png", 123456: "frame_123456.png"}, ""},
		{"%d.png", map[int]string{0: "0.png", 10: "10.png"}, ""},
		{"cell-%04d-100%%.png", map[int]string{7: "cell-0007-100%.png"}, ""},
		{"%%%d", map[int]string{3: "%3"}, ""},
		{long + "%d", map[int]string{1: long + "1"}, ""},
		{"frame.png", nil, "needs one frame-number verb"},
		{"%s.png", nil, `"%s" is not a frame-number verb`},
		{"%x.png", nil, `"%x" is not`},
		{"%5d.png", nil, `"%5" is not`},
		{"%-5d.png", nil, "is not a frame-number verb"},
		{"%+d.png", nil, "is not a frame-number verb"},
		{"%00d.png", nil, "is not a frame-number verb"},
		{"%0d.png", nil, "is not a frame-number verb"},
		{"%d_%d.png", nil, "more than one"},
		{"%05d%.png", nil, `"%." is not`},
		{"frame%", nil, `"%" is not`},
		{"sub/%05d.png", nil, "without a folder"},
		{`sub\%05d.png`, nil, "without a folder"},
		{"a\x00%d", nil, "NUL"},
		{".%05d.png", nil, "hidden"},
		{".frame_%05d.png", nil, "hidden"},
		{"%03000d.png", nil, "is not a frame-number verb"},
		{"%0252d.png", nil, "longer than 255 bytes"},
		{long + "x%d", nil, "longer than 255 bytes"},
	}
	for _, tc := range tests {
		p, err := parsePattern(tc.pattern)
		if tc.frames == nil {
			if err == nil || !strings.Contains(err.Error(), tc.refusal) {
				t.Errorf("%q: error %v, want one saying %q", tc.pattern, err, tc.refusal)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q refused: %v", tc.pattern, err)
			continue
		}
		for k, want := range tc.frames {
			if got := p.name(k); got != want {
				t.Errorf("%q frame %d: %q, want %q", tc.pattern, k, got, want)
			}
			if got, ok := p.frameOf(want); !ok || got != k {
				t.Errorf("%q: frameOf(%q) = %d, %v; want %d", tc.pattern, want, got, ok, k)
			}
		}
		if got := len(p.name(maxInt)); got > maxNameBytes {
			t.Errorf("%q: the last frame's name has %d bytes", tc.pattern, got)
		}
	}
}

func TestFrameOfRefusesOtherNames(t *testing.T) {
	p, err := parsePattern("frame_%05d.png")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"frame_0001.png", "frame_000001.png", "frame_00001.jpg", "frame_.png", "frame_+0001.png",
		"frame_-0001.png", "frame_0x001.png", "other_00001.png", "frame_99999999999999999999.png"} {
		if k, ok := p.frameOf(name); ok {
			t.Errorf("frameOf(%q) = %d, want not a frame", name, k)
		}
	}
}

func TestShardsCoverEveryFrameOnce(t *testing.T) {
	for _, r := range []frameRange{{0, 1}, {0, 7}, {0, 300}, {5, 17}, {0, 499}, {3, 4}} {
		for n := 1; n <= 10; n++ {
			next := r.first
			for k := range n {
				b := shard{k, n}.of(r)
				if b.first != next || b.end < b.first {
					t.Fatalf("range %+v, shard %d/%d = %+v, want it to start at %d", r, k, n, b, next)
				}
				if d := b.len() - r.len()/n; d < 0 || d > 1 {
					t.Errorf("range %+v, shard %d/%d holds %d frames", r, k, n, b.len())
				}
				next = b.end
			}
			if next != r.end {
				t.Errorf("range %+v in %d shards ends at %d", r, n, next)
			}
		}
	}
}

func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	array := func(id, lo, hi, count, step string) func(string) string {
		return env(map[string]string{"SLURM_ARRAY_TASK_ID": id, "SLURM_ARRAY_TASK_MIN": lo, "SLURM_ARRAY_TASK_MAX": hi,
			"SLURM_ARRAY_TASK_COUNT": count, "SLURM_ARRAY_TASK_STEP": step})
	}
	tests := []struct {
		in      string
		env     func(string) string
		want    shard
		refusal string // "" = accepted
	}{
		{"0/1", env(nil), shard{0, 1}, ""},
		{"3/4", env(nil), shard{3, 4}, ""},
		{"4/4", env(nil), shard{}, "want K/N"},
		{"-1/4", env(nil), shard{}, "want K/N"},
		{"1/0", env(nil), shard{}, "want K/N"},
		{"1", env(nil), shard{}, "want K/N"},
		{"a/b", env(nil), shard{}, "want K/N"},
		{"1/99999999999999999999", env(nil), shard{}, "want K/N"},
		{"auto", array("5", "1", "8", "8", ""), shard{4, 8}, ""}, // no step: 1
		{"auto", array("5", "1", "8", "8", "1"), shard{4, 8}, ""},
		{"auto", array("0", "0", "0", "1", "1"), shard{0, 1}, ""},
		{"auto", array("5", "1", "5", "3", "2"), shard{2, 3}, ""}, // --array=1-5:2
		{"auto", array("3", "1", "5", "3", "2"), shard{1, 3}, ""},
		{"auto", array("4", "1", "5", "3", "2"), shard{}, "not among the tasks"},
		{"auto", array("9", "1", "8", "8", "1"), shard{}, "not among the tasks"},
		{"auto", array("0", "1", "8", "8", "1"), shard{}, "not among the tasks"},
		{"auto", array("2", "0", "12", "7", "1"), shard{}, "not evenly spaced"}, // --array=0-3,10-12
		{"auto", array("2", "0", "12", "7", "2"), shard{1, 7}, ""},              // --array=0-12:2
		{"auto", array("1", "1", "8", "0", "1"), shard{}, "not evenly spaced"},
		{"auto", array("1", "1", "8", "8", "0"), shard{}, "not evenly spaced"},
		{"auto", array("1", "8", "1", "8", "1"), shard{}, "not evenly spaced"},
		{"auto", env(nil), shard{}, "SLURM_ARRAY_TASK_ID is not set"},
		{"auto", array("5", "1", "", "8", "1"), shard{}, "SLURM_ARRAY_TASK_MAX is not set"},
		{"auto", array("x", "1", "8", "8", "1"), shard{}, "not a whole number"},
		{"auto", array("-1", "-2", "8", "8", "1"), shard{}, "not a whole number"},
		// Values whose sums and products overflow 64 bits are refused.
		{"auto", array("9223372036854775807", "0", "9223372036854775807", "2", "9223372036854775807"), shard{}, "not a whole number"},
		{"auto", array("4294967296", "0", "8589934592", "3", "4294967296"), shard{}, "not a whole number"},
		{"auto", array("2147483647", "0", "2147483647", "2", "2147483647"), shard{1, 2}, ""},
	}
	for _, tc := range tests {
		got, err := parseShard(tc.in, tc.env)
		switch {
		case tc.refusal == "" && (err != nil || got != tc.want):
			t.Errorf("%q %+v: got %+v, %v; want %+v", tc.in, tc, got, err, tc.want)
		case tc.refusal != "" && (err == nil || !strings.Contains(err.Error(), tc.refusal)):
			t.Errorf("%q %+v: got %+v, %v; want an error saying %q", tc.in, tc, got, err, tc.refusal)
		}
	}
}

// TestSlurmStepArraysRenderEveryFrame runs every task of some arrays, with
// and without steps, and checks that together they render every frame
// once.
func TestSlurmStepArraysRenderEveryFrame(t *testing.T) {
	for _, a := range []struct{ lo, hi, step int }{{0, 7, 1}, {1, 8, 1}, {1, 5, 2}, {0, 14, 2}, {3, 93, 10}, {4, 4, 1}} {
		count := (a.hi-a.lo)/a.step + 1
		rendered := make([]int, 300)
		for id := a.lo; id <= a.hi; id += a.step {
			env := map[string]string{
				"SLURM_ARRAY_TASK_ID": fmt.Sprint(id), "SLURM_ARRAY_TASK_MIN": fmt.Sprint(a.lo), "SLURM_ARRAY_TASK_MAX": fmt.Sprint(a.hi),
				"SLURM_ARRAY_TASK_COUNT": fmt.Sprint(count), "SLURM_ARRAY_TASK_STEP": fmt.Sprint(a.step),
			}
			sh, err := parseShard("auto", func(k string) string { return env[k] })
			if err != nil {
				t.Fatalf("array %+v, task %d: %v", a, id, err)
			}
			r := sh.of(frameRange{0, 300})
			for k := r.first; k < r.end; k++ {
				rendered[k]++
			}
		}
		for k, n := range rendered {
			if n != 1 {
				t.Errorf("array %d-%d:%d renders frame %d %d times", a.lo, a.hi, a.step, k, n)
				break
			}
		}
	}
}

func TestShardOfHugeCounts(t *testing.T) {
	r := frameRange{0, maxInt}
	n := maxInt - 1
	for _, k := range []int{0, 1, n / 2, n - 1} {
		b := shard{k, n}.of(r)
		if b.first < 0 || b.end < b.first || b.end > r.end || b.len() > 2 {
			t.Errorf("shard %d/%d of %+v = %+v", k, n, r, b)
		}
	}
	if b := (shard{n - 1, n}).of(r); b.end != r.end {
		t.Errorf("last shard ends at %d, not %d", b.end, r.end)
	}
}
