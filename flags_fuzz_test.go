package main

import (
	"io"
	"math"
	"strings"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
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
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, lines string) {
		args := strings.Split(lines, "\n")
		if r, geom, _, status, done := parseRenderArgs(args, io.Discard, io.Discard); done {
			if status != exitOK && status != exitUsage {
				t.Fatalf("render %q: status %d", args, status)
			}
		} else {
			checkRenderFlags(t, r)
			checkGeometryFlags(t, geom, r)
		}
		if m, status, done := parseMeshArgs(args, io.Discard, io.Discard); done {
			if status != exitOK && status != exitUsage {
				t.Fatalf("mesh %q: status %d", args, status)
			}
		} else {
			if m.frame < 0 || m.out == "" {
				t.Fatalf("mesh %q: frame %d, output %q", args, m.frame, m.out)
			}
			checkGeometryFlags(t, m.geom, nil)
		}
	})
}

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkRenderFlags checks that accepted render flags are usable.
func checkRenderFlags(t *testing.T, f *renderFlags) {
	t.Helper()
	for name, v := range map[string]float64{
		"azimuth": f.azimuth, "elevation": f.elevation, "roll": f.roll, "orbit": f.orbit, "zoom": f.zoom, "fov": f.fov,
		"min-width": f.minWidth, "emission": f.emission, "bloom": f.bloom, "fps": f.fps, "cmap-start": f.cmapStart, "cmap-stop": f.cmapStop,
	} {
		if !finite(v) {
			t.Fatalf("--%s %v accepted", name, v)
		}
	}
	switch {
	case f.width < 1 || f.width > maxSide || f.height < 1 || f.height > maxSide || f.aa < 1 || f.aa > maxAntiAliasing:
		t.Fatalf("picture %d×%d, aa %d accepted", f.width, f.height, f.aa)
	case int64(f.width)*int64(f.height)*int64(f.aa*f.aa) > render.MaxSamples:
		t.Fatalf("%d×%d aa %d: too many samples accepted", f.width, f.height, f.aa)
	case f.zoom < minZoom || f.zoom > maxZoom || f.fov != 0 && (f.fov < minFOV || f.fov > maxFOV):
		t.Fatalf("zoom %v, fov %v accepted", f.zoom, f.fov)
	case f.fps < minFPS || f.fps > maxFPS || f.crf < 0 || f.crf > maxCRF:
		t.Fatalf("fps %v, crf %d accepted", f.fps, f.crf)
	case f.resample < 0 || f.resample > maxFrames:
		t.Fatalf("resample %d accepted", f.resample)
	}
	if w := workerCount(f.jobs); w < 1 || w > maxWorkersPerCore*max(1, workerCount(0)) {
		t.Fatalf("-j %d gives %d workers", f.jobs, w)
	}

	p, err := parsePattern(f.pattern)
	if err != nil {
		t.Fatalf("pattern %q accepted, then refused: %v", f.pattern, err)
	}
	for _, k := range []int{0, 1, 99999, maxInt} {
		name := p.name(k)
		if len(name) > maxNameBytes || strings.HasPrefix(name, ".") || strings.ContainsAny(name, "/\x00") {
			t.Fatalf("pattern %q names frame %d %q", f.pattern, k, name)
		}
		if got, ok := p.frameOf(name); !ok || got != k {
			t.Fatalf("pattern %q: frame %d named %q reads back as %d, %v", f.pattern, k, name, got, ok)
		}
	}
	for _, total := range []int{1, 300, maxInt} {
		r, err := parseFrameRange(f.frames, total)
		if err != nil {
			continue // a range past a short movie's end is found after reading
		}
		if r.first < 0 || r.end > total || r.first >= r.end {
			t.Fatalf("--frames %q of %d: %+v", f.frames, total, r)
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

	cmap, err := f.colormap()
	if err != nil {
		t.Fatalf("colormap accepted, then refused: %v", err)
	}
	vmin, autoMin, errMin := parseLimit(f.vmin)
	vmax, autoMax, errMax := parseLimit(f.vmax)
	if errMin != nil || errMax != nil {
		t.Fatalf("limits %q, %q accepted, then refused", f.vmin, f.vmax)
	}
	if !autoMin && !autoMax {
		if _, err := colormap.NewLUT(cmap, vmin, vmax); err != nil {
			t.Fatalf("limits %g, %g: %v", vmin, vmax, err)
		}
	}
}

// fuzzCell is a small cell with a soma and a branching dendrite, in µm.
var fuzzCell = &morph.Cell{Sections: []morph.Section{
	{ID: 0, Type: "soma", Points: []morph.Point{{X: 0, Y: -6, Z: 0, Diam: 12}, {X: 0, Y: 6, Z: 0, Diam: 12}}},
	{ID: 1, Type: "dend", Points: []morph.Point{{X: 0, Y: 6, Z: 0, Diam: 2}, {X: 40, Y: 90, Z: 10, Diam: 1.2}, {X: 150, Y: 120, Z: -30, Diam: 0.4}}},
	{ID: 2, Type: "axon", Points: []morph.Point{{X: 0, Y: -6, Z: 0, Diam: 1}, {X: -5, Y: -400, Z: 3, Diam: 0.5}}},
}}

// checkGeometryFlags checks that accepted geometry flags make a finite
// mesh of a small cell, and with render flags r a finite camera, whenever
// the mesh is small enough to build quickly.
func checkGeometryFlags(t *testing.T, g *geometryFlags, r *renderFlags) {
	t.Helper()
	mo, so, err := g.options()
	if err != nil {
		t.Fatalf("geometry accepted, then refused: %v", err)
	}
	if mo.Downscale < minDownscale || mo.Downscale > maxDownscale || mo.Thickness < minThickness || mo.Thickness > maxThickness ||
		!(mo.Homogeneity >= 0 && mo.Homogeneity <= 1) {
		t.Fatalf("geometry %+v accepted", mo)
	}
	if max(mo.Segmentation, 8)*so.Sides > 4096 {
		return
	}
	m, err := g.buildMesh(fuzzCell, nil)
	if err != nil {
		t.Fatalf("geometry %+v %+v: %v", mo, so, err)
	}
	for i, p := range m.Positions {
		if !finite(float64(p[0])) || !finite(float64(p[1])) || !finite(float64(p[2])) {
			t.Fatalf("geometry %+v: vertex %d at %v", mo, i, p)
		}
	}
	if r == nil {
		return
	}
	view := render.View{Plane: r.view, Azimuth: r.azimuth, Elevation: r.elevation, Roll: r.roll, Zoom: r.zoom, FOV: r.fov}
	_, cam, err := frameCameras(m, view, r.orbit, min(r.width, 64), min(r.height, 64))
	if err != nil {
		t.Fatalf("camera for %+v: %v", view, err)
	}
	if upp := cam.UnitsPerPixel(); !finite(upp) || upp <= 0 {
		t.Fatalf("camera for %+v: %v units per pixel", view, upp)
	}
}
