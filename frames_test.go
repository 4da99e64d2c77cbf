package main

import "testing"

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

func TestCheckPattern(t *testing.T) {
	for _, p := range []string{"frame_%05d.png", "%d.png", "cell-%04d-100%%.png"} {
		if err := checkPattern(p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
	for _, p := range []string{"frame.png", "%s.png", "%d_%d.png", "sub/%05d.png", "%05d%.png"} {
		if err := checkPattern(p); err == nil {
			t.Errorf("%q accepted", p)
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
	slurm := env(map[string]string{"SLURM_ARRAY_TASK_ID": "5", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"})
	tests := []struct {
		in   string
		env  func(string) string
		want shard
		ok   bool
	}{
		{"0/1", env(nil), shard{0, 1}, true},
		{"3/4", env(nil), shard{3, 4}, true},
		{"4/4", env(nil), shard{}, false},
		{"-1/4", env(nil), shard{}, false},
		{"1/0", env(nil), shard{}, false},
		{"1", env(nil), shard{}, false},
		{"a/b", env(nil), shard{}, false},
		{"auto", slurm, shard{4, 8}, true},
		{"auto", env(nil), shard{}, false},
		{"auto", env(map[string]string{"SLURM_ARRAY_TASK_ID": "9", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}), shard{}, false},
		{"auto", env(map[string]string{"SLURM_ARRAY_TASK_ID": "x", "SLURM_ARRAY_TASK_MIN": "1", "SLURM_ARRAY_TASK_COUNT": "8"}), shard{}, false},
	}
	for _, tc := range tests {
		got, err := parseShard(tc.in, tc.env)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("%q: got %+v, %v; want %+v (ok %v)", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
