package movie

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/morph"
)

// parseTargetPoint reads a target of the form "X,Y,Z" (recorded µm); ok is
// false when s is not of that form (a section or "soma").
func parseTargetPoint(s string) (p morph.Point, ok bool, err error) {
	parts := strings.Split(s, ",")
	if len(parts) == 1 {
		return p, false, nil
	}
	if len(parts) != 3 {
		return p, true, fmt.Errorf("want X,Y,Z in µm, soma, or a section's index or name")
	}
	var v [3]float64
	for i, part := range parts {
		if v[i], err = strconv.ParseFloat(strings.TrimSpace(part), 64); err != nil || math.IsNaN(v[i]) || math.IsInf(v[i], 0) {
			return p, true, fmt.Errorf("%q is not a coordinate in µm", part)
		}
	}
	return morph.Point{X: v[0], Y: v[1], Z: v[2]}, true, nil
}

// validateTarget checks a target's form, after the index of the cell it
// names, if any; whether a named section exists is known only with the
// cell.
func validateTarget(s string) error {
	_, rest := cellOf(s)
	if _, _, err := parseTargetPoint(rest); err != nil {
		return bad("target", fmt.Sprintf("%q", s), "%v", err)
	}
	return nil
}

// resolveTarget returns the recorded point a target names: "soma" (the
// soma's centre, as centring uses), X,Y,Z in recorded µm, a section's index,
// or a section's recorded name (the recorder's name, else a type that one
// section alone has, as BlenderSpike files type unusual sections by name);
// a section stands for its arc-length midpoint.
func resolveTarget(cell *morph.Cell, s string) (morph.Point, error) {
	if p, ok, err := parseTargetPoint(s); ok || err != nil {
		return p, err
	}
	if s == "soma" {
		for _, sec := range cell.Sections {
			if sec.Type == "soma" {
				return morph.SomaCenter(cell), nil
			}
		}
		return morph.Point{}, bad("target", s, "the cell has no section of type soma")
	}
	if i, err := strconv.Atoi(s); err == nil {
		if i < 0 || i >= len(cell.Sections) {
			return morph.Point{}, bad("target", s, "no section %d: the cell has sections 0…%d", i, len(cell.Sections)-1)
		}
		return cell.Sections[i].At(0.5), nil
	}
	found := -1
	for i, sec := range cell.Sections {
		if sec.Name == s {
			return sec.At(0.5), nil
		}
		if sec.Type == s {
			if found >= 0 {
				return morph.Point{}, bad("target", fmt.Sprintf("%q", s), "several sections have that type; name one by its index")
			}
			found = i
		}
	}
	if found < 0 {
		return morph.Point{}, bad("target", fmt.Sprintf("%q", s), "no section has that name (want soma, X,Y,Z in µm, or a section's index or name)")
	}
	return cell.Sections[found].At(0.5), nil
}
