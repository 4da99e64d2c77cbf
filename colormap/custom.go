package colormap

import (
	"fmt"
	"strings"

	"github.com/lucasb-eyer/go-colorful"
)

// MaxCustomColours is the most colours a custom colour list may hold.
const MaxCustomColours = 256

// parseCustom makes a continuous map from a comma-separated list of hex
// colours ("#000000,#ff3000,#ffff80" or short "#f30"), evenly spaced over
// [0,1] and blended linearly in sRGB, as matplotlib's
// LinearSegmentedColormap.from_list and seaborn's "blend:" palettes do
// (without their 256-entry table).
func parseCustom(spec string) (*Map, error) {
	if n := strings.Count(spec, ",") + 1; n > MaxCustomColours {
		return nil, fmt.Errorf("%d colours in a custom list; at most %d", n, MaxCustomColours)
	}
	parts := strings.Split(spec, ",")
	stops := make([]colorful.Color, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		if p == "" {
			return nil, fmt.Errorf("custom colour %d of %q is empty", i+1, spec)
		}
		c, err := colorful.Hex(p)
		if err != nil {
			const want = "is not a colour as #rrggbb or #rgb (hex digits 0-9, a-f)"
			if len(parts) == 1 {
				return nil, fmt.Errorf("%q %s", p, want)
			}
			return nil, fmt.Errorf("custom colour %d of %q: %q %s", i+1, spec, p, want)
		}
		stops[i] = c
	}
	if len(stops) < 2 {
		return nil, fmt.Errorf("custom colour list %q holds one colour; a colormap needs at least two, comma-separated", spec)
	}
	return &Map{name: spec, stops: stops, lo: 0, hi: 1}, nil
}
