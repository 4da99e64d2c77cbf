package main

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
)

func TestColormapsListsEveryName(t *testing.T) {
	var out, errb bytes.Buffer
	if status := run([]string{"colormaps"}, &out, &errb); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if !slices.Equal(lines, colormap.Names()) {
		t.Errorf("listed %d names, the package knows %d", len(lines), len(colormap.Names()))
	}
	for _, want := range []string{"viridis", "rocket_r", "twilight", "jet"} {
		if !slices.Contains(lines, want) {
			t.Errorf("list lacks %q", want)
		}
	}
}

func TestColormapsJSON(t *testing.T) {
	var out, errb bytes.Buffer
	if status := run([]string{"colormaps", "--json"}, &out, &errb); status != exitOK {
		t.Fatalf("status %d, stderr %q", status, errb.String())
	}
	var names []string
	if err := json.Unmarshal(out.Bytes(), &names); err != nil {
		t.Fatalf("not a JSON array: %v", err)
	}
	if !slices.Equal(names, colormap.Names()) {
		t.Errorf("JSON lists %d names, the package knows %d", len(names), len(colormap.Names()))
	}
}

func TestColormapsRejectsArguments(t *testing.T) {
	var out, errb bytes.Buffer
	if status := run([]string{"colormaps", "viridis"}, &out, &errb); status != exitUsage {
		t.Errorf("status %d, want %d", status, exitUsage)
	}
	if out.Len() != 0 {
		t.Errorf("printed %q on a usage error", out.String())
	}
}
