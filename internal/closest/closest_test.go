package closest

import (
	"slices"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"viridis", "viridis", 0},
		{"viridsi", "viridis", 1},
		{"virdis", "viridis", 1},
		{"magma", "plasma", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	got := Names("VMN", []string{"width", "vmax", "vmin", "view"}, 2)
	if want := []string{"vmin", "vmax"}; !slices.Equal(got, want) {
		t.Errorf("Names = %q, want %q", got, want)
	}
}
