package main

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/render"
	"github.com/spikeframes/spikeframes/scene"
	"github.com/spikeframes/spikeframes/voltage"
)

// FuzzRenderFlags feeds random argument lists (one argument per line)
// through the render and mesh commands' flag parsing and validation. They
// must never panic, and must either refuse the arguments as a usage error
// or give options that are finite, in range and usable: legal frame names,
// shards inside the movie, a colour table, and a finite mesh and camera
// for a small cell.
func FuzzRenderFlags(f *testing.F) {
	for _, seed := range []string{
		"cell.pickle",
		"cell.pickle\n--help",
		"cell.pickle\n--zoom\n1e300\n--fov\n1e-300\n--azimuth\nNaN",
		"cell.pickle\n--downscale\n1e-300\n--thickness\n1e308",
		"cell.pickle\n--downscale=0.001\n--thickness=1000\n--segmentation\n7\n--sides\n5",
		"cell.pickle\n--pattern\n%0252d.png\n--frames\n3:\n--shard\n2/5",
		"cell.pickle\n--pattern\nframe_%%_%04d.png\n--resample\n10000000",
		"cell.pickle\n--vmin\nauto\n--vmax\n1e9\n--cmap\n#000,#fff\n--cmap-steps\n3",
		"cell.pickle\n--cmap\n\n--background\n#zzzzzz",
		"cell.pickle\n--fps\n1e-3\n--crf\n51\n-j\n9223372036854775807\n--video\nout.mp4",
		"cell.pickle\n--orbit\n360\n--elevation\n-90\n--roll\n1e6\n--view\nyz",
		"cell.pickle\n-o\nout.ply\n--frame\n3\n--homogeneity\n1",
		"a.pickle\nb.pickle\n--arrange\ngrid\n--target\n1:soma\n--overwrite\n--print-scene",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, lines string) {
		args := strings.Split(lines, "\n")
		if r, sc, status, done := parseRenderArgs(args, io.Discard, io.Discard); done {
			if status != exitOK && status != exitUsage {
				t.Fatalf("render %q: status %d", args, status)
			}
		} else {
			checkRenderFlags(t, r, sc)
			checkGeometry(t, sc.Options.Geometry, &sc.Options)
		}
		if m, status, done := parseMeshArgs(args, io.Discard, io.Discard); done {
			if status != exitOK && status != exitUsage {
				t.Fatalf("mesh %q: status %d", args, status)
			}
		} else {
			if m.frame < 0 || m.out == "" {
				t.Fatalf("mesh %q: frame %d, output %q", args, m.frame, m.out)
			}
			checkGeometry(t, m.geometry, nil)
		}
	})
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkRenderFlags checks that accepted render flags make a usable scene.
func checkRenderFlags(t *testing.T, f *renderFlags, sc scene.Scene) {
	t.Helper()
	o, out := sc.Options, sc.Output
	v, l := o.View, o.Look
	for name, x := range map[string]float64{
		"azimuth": v.Azimuth, "elevation": v.Elevation, "roll": v.Roll, "orbit": o.Orbit, "zoom": v.Zoom, "fov": v.FOV,
		"min-width": l.MinWidth, "emission": l.Emission, "bloom": l.Bloom, "fps": out.FPS, "cmap-start": o.Colors.Start, "cmap-stop": o.Colors.Stop,
	} {
		if !finite(x) {
			t.Fatalf("--%s %v accepted", name, x)
		}
	}
	switch {
	case o.Width < 1 || o.Width > movie.MaxSide || o.Height < 1 || o.Height > movie.MaxSide || l.AA < 1 || l.AA > render.MaxAA:
		t.Fatalf("picture %d×%d, aa %d accepted", o.Width, o.Height, l.AA)
	case int64(o.Width)*int64(o.Height)*int64(l.AA*l.AA) > render.MaxSamples:
		t.Fatalf("%d×%d aa %d: too many samples accepted", o.Width, o.Height, l.AA)
	case v.Zoom < movie.MinZoom || v.Zoom > movie.MaxZoom || v.FOV != 0 && (v.FOV < movie.MinFOV || v.FOV > movie.MaxFOV):
		t.Fatalf("zoom %v, fov %v accepted", v.Zoom, v.FOV)
	case out.FPS < minFPS || out.FPS > maxFPS || out.CRF < 0 || out.CRF > maxCRF:
		t.Fatalf("fps %v, crf %d accepted", out.FPS, out.CRF)
	case o.Resample < 0 || o.Resample > movie.MaxFrames:
		t.Fatalf("resample %d accepted", o.Resample)
	}
	if w := workerCount(f.jobs); w < 1 || w > maxWorkersPerCore*max(1, workerCount(0)) {
		t.Fatalf("-j %d gives %d workers", f.jobs, w)
	}

	p, err := parsePattern(out.Pattern)
	if err != nil {
		t.Fatalf("pattern %q accepted, then refused: %v", out.Pattern, err)
	}
	for _, k := range []int{0, 1, 99999, maxInt} {
		name := p.name(k)
		if len(name) > maxNameBytes || strings.HasPrefix(name, ".") || strings.ContainsAny(name, "/\x00") {
			t.Fatalf("pattern %q names frame %d %q", out.Pattern, k, name)
		}
		if got, ok := p.frameOf(name); !ok || got != k {
			t.Fatalf("pattern %q: frame %d named %q reads back as %d, %v", out.Pattern, k, name, got, ok)
		}
	}
	for _, total := range []int{1, 300, maxInt} {
		r, err := parseFrameRange(out.Frames, total)
		if err != nil {
			continue // a range past a short movie's end is found after reading
		}
		if r.first < 0 || r.end > total || r.first >= r.end {
			t.Fatalf("--frames %q of %d: %+v", out.Frames, total, r)
		}
		if f.shard != "" {
			sh, err := parseShard(f.shard, func(string) string { return "" })
			if err != nil {
				t.Fatalf("--shard %q accepted, then refused: %v", f.shard, err)
			}
			if b := sh.of(r); b.first < r.first || b.end > r.end || b.end < b.first {
				t.Fatalf("shard %+v of %+v is %+v", sh, r, b)
			}
		}
	}

	c := o.Colors
	cmap, err := colormap.Build(c.Map, c.Start, c.Stop, c.Steps)
	if err != nil {
		t.Fatalf("colormap accepted, then refused: %v", err)
	}
	if !c.VMin.Auto && !c.VMax.Auto {
		if _, err := colormap.NewLUT(cmap, c.VMin.Value, c.VMax.Value); err != nil {
			t.Fatalf("limits %g, %g: %v", c.VMin.Value, c.VMax.Value, err)
		}
	}
}

// fuzzCell is a small cell with a soma and a branching dendrite, in µm,
// and fuzzRecording one frame of its voltage.
var (
	fuzzCell = &morph.Cell{Sections: []morph.Section{
		{ID: 0, Type: "soma", Points: []morph.Point{{X: 0, Y: -6, Z: 0, Diam: 12}, {X: 0, Y: 6, Z: 0, Diam: 12}}},
		{ID: 1, Type: "dend", Points: []morph.Point{{X: 0, Y: 6, Z: 0, Diam: 2}, {X: 40, Y: 90, Z: 10, Diam: 1.2}, {X: 150, Y: 120, Z: -30, Diam: 0.4}}},
		{ID: 2, Type: "axon", Points: []morph.Point{{X: 0, Y: -6, Z: 0, Diam: 1}, {X: -5, Y: -400, Z: 3, Diam: 0.5}}},
	}}
	fuzzRecording = &voltage.Recording{Frames: 1, Traces: []voltage.Trace{
		{NSeg: 1, Values: []float32{-65}}, {NSeg: 2, Values: []float32{-60, 10}}, {NSeg: 1, Values: []float32{-70}},
	}}
)

// checkGeometry checks that accepted geometry makes a finite mesh of a
// small cell, and with render options o a movie of it whose first frame
// renders, whenever the mesh is small enough to build quickly.
func checkGeometry(t *testing.T, geo movie.Geometry, o *movie.Options) {
	t.Helper()
	mo := geo.Prepare
	if mo.Downscale < morph.MinDownscale || mo.Downscale > morph.MaxDownscale || mo.Thickness < morph.MinThickness || mo.Thickness > morph.MaxThickness ||
		!(mo.Homogeneity >= 0 && mo.Homogeneity <= 1) {
		t.Fatalf("geometry %+v accepted", mo)
	}
	if max(mo.Segmentation, 8)*geo.Sides > 4096 {
		return
	}
	m, err := geo.BuildMesh(fuzzCell, nil)
	if err != nil {
		t.Fatalf("geometry %+v: %v", geo, err)
	}
	for i, p := range m.Positions {
		if !finite(float64(p[0])) || !finite(float64(p[1])) || !finite(float64(p[2])) {
			t.Fatalf("geometry %+v: vertex %d at %v", mo, i, p)
		}
	}
	if o == nil {
		return
	}
	small := *o
	small.Width, small.Height, small.Resample = min(o.Width, 64), min(o.Height, 64), 0
	mv, err := movie.New(fuzzCell, fuzzRecording, small)
	var oe *movie.OptionError
	if errors.As(err, &oe) && (small.Colors.VMin.Auto || small.Colors.VMax.Auto || small.Target != "") {
		return // limits or a target that only the recording decides
	}
	if err != nil {
		t.Fatalf("movie of %+v: %v", small, err)
	}
	if _, err := mv.Render(0, mv.NewCanvas()); err != nil {
		t.Fatalf("frame 0 of %+v: %v", small, err)
	}
}
