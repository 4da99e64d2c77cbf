package main

import (
	"io"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/morph"
)

func parseGeometry(t *testing.T, args ...string) *geometryFlags {
	t.Helper()
	fs := newFlags("test", "", io.Discard, io.Discard)
	g := addGeometryFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatalf("%v: %v", args, err)
	}
	return g
}

func TestGeometryDefaultsAreBlenderSpikes(t *testing.T) {
	geo, err := parseGeometry(t).geometry()
	if err != nil {
		t.Fatal(err)
	}
	if geo.Prepare != (morph.Options{Segmentation: 0, Downscale: 25, Center: true, Thickness: 2, Homogeneity: 0}) {
		t.Errorf("preparation defaults %+v", geo.Prepare)
	}
	if geo.Sides != 16 || geo.Caps || !geo.SimplifySoma {
		t.Errorf("mesh defaults %+v", geo)
	}
}

func TestGeometryFlagValues(t *testing.T) {
	cases := []struct {
		args []string
		want string // "" = valid
	}{
		{[]string{"--segmentation", "auto"}, ""},
		{[]string{"--segmentation", "2"}, ""},
		{[]string{"--segmentation", "1"}, "--segmentation"},
		{[]string{"--segmentation", "0"}, "--segmentation"},
		{[]string{"--segmentation", "five"}, "--segmentation"},
		{[]string{"--thickness", "-1"}, "--thickness"},
		{[]string{"--thickness", "0"}, "--thickness"},
		{[]string{"--homogeneity", "1.01"}, "--homogeneity"},
		{[]string{"--homogeneity", "-0.5"}, "--homogeneity"},
		{[]string{"--homogeneity", "1"}, ""},
		{[]string{"--downscale", "0"}, "--downscale"},
		{[]string{"--sides", "2"}, "--sides"},
		{[]string{"--sides", "3", "--caps", "--simplify-soma=false", "--center=false"}, ""},
	}
	for _, c := range cases {
		_, err := parseGeometry(t, c.args...).geometry()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%v: unexpected error %v", c.args, err)
		case c.want != "" && (err == nil || !strings.HasPrefix(err.Error(), c.want)):
			t.Errorf("%v: error %v, want one starting %q", c.args, err, c.want)
		}
	}
}

func TestGeometryFlagsReachTheMesh(t *testing.T) {
	cell := &morph.Cell{Sections: []morph.Section{{Type: "dend", Points: []morph.Point{{Diam: 1}, {X: 10, Diam: 1}}}}}
	geo, err := parseGeometry(t, "--segmentation", "4", "--sides", "5", "--caps").geometry()
	if err != nil {
		t.Fatal(err)
	}
	m, err := geo.BuildMesh(cell, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 4*5 + 2; len(m.Positions) != want {
		t.Errorf("%d vertices, want %d (4 rings of 5 and two cap centres)", len(m.Positions), want)
	}
}
