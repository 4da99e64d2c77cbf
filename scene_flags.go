package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/scene"
	"github.com/spikeframes/spikeframes/voltage"
)

// flagKeys are the scene keys of the render flags whose names are not
// their key's last part; every other flag that shapes a render is named as
// its key ends (--min-width is look.min-width).
var flagKeys = map[string][]string{
	"cmap":       {"colors.map"},
	"cmap-start": {"colors.start"},
	"cmap-stop":  {"colors.stop"},
	"cmap-steps": {"colors.steps"},
	"view":       {"view.plane"},
	"scalebar":   {"overlays.scalebar", "overlays.scalebar-length"},
	"trace":      {"overlays.traces"},
	// population and mtype are categories: the file says which apart.
	"color-by": {"color-by", "network.category"},
	// A look is a set of these; the ones given as flags too override it.
	"look": {"look.emission", "look.tone", "look.bloom", "look.bloom-threshold", "colors.steps"},
}

// sceneFlags are the render flags buildScene and resolveSettings put over
// the scene themselves: --annotate turns on several annotations, and
// --morphology gives the one recording its morphology file.
var sceneFlags = map[string]bool{"annotate": true, "morphology": true}

// runFlags are the render flags that are no part of a scene: they say how
// one run goes, not what it makes.
var runFlags = map[string]bool{
	"shard": true, "skip-existing": true, "overwrite": true, "quiet": true, "jobs": true,
	"scene": true, "print-scene": true, "help": true,
}

var (
	keysOnce  sync.Once
	keyByLast map[string][]string // scene keys by their last part
	keysErr   error
)

// keysOfFlag is the scene keys a render flag sets, or none for a run flag
// or one of sceneFlags.
func keysOfFlag(name string) ([]string, error) {
	if runFlags[name] || sceneFlags[name] {
		return nil, nil
	}
	if k, ok := flagKeys[name]; ok {
		return k, nil
	}
	keysOnce.Do(func() {
		var keys []string
		keys, keysErr = scene.Keys()
		keyByLast = map[string][]string{}
		for _, k := range keys {
			last := k[strings.LastIndexByte(k, '.')+1:]
			keyByLast[last] = append(keyByLast[last], k)
		}
	})
	if keysErr != nil {
		return nil, keysErr
	}
	if ks := keyByLast[name]; len(ks) == 1 {
		return ks, nil
	}
	return nil, fmt.Errorf("flag --%s sets no one key of a scene file", name)
}

// buildScene makes the run's scene: the scene file's, or the defaults,
// with every flag given on the command line put over it and the recordings
// given as arguments in place of the file's.
func (f *renderFlags) buildScene(fs *pflag.FlagSet, geom *geometryFlags, recordings []string) (scene.Scene, error) {
	sc := scene.Default()
	if f.scene != "" {
		var err error
		if sc, err = scene.Read(f.scene); err != nil {
			return sc, fmt.Errorf("--scene: %w", err)
		}
	}
	byFlags := scene.Default()
	var err error
	if byFlags.Options, err = f.options(geom); err != nil {
		return sc, err
	}
	byFlags.Output = scene.Output{Out: f.out, Pattern: f.pattern, Frames: f.frames, Video: f.video, FPS: f.fps, CRF: f.crf, Preset: f.preset}
	byFlags.Network = f.network(sc.Network)
	fs.Visit(func(fl *pflag.Flag) {
		keys, kerr := keysOfFlag(fl.Name)
		for _, key := range keys {
			if kerr == nil {
				kerr = sc.Take(key, &byFlags)
			}
		}
		if err == nil {
			err = kerr
		}
	})
	if err != nil {
		return sc, err
	}
	if len(recordings) > 0 {
		sc.SetRecordings(recordings)
	}
	switch {
	case len(sc.Cells) == 0:
		return sc, errors.New("want one or more recording files, or --scene FILE (see --help)")
	case f.morphology != "" && len(sc.Cells) > 1:
		return sc, fmt.Errorf("--morphology %s: gives one recording its geometry, and there are %d; give each cell its morphology in a scene file", f.morphology, len(sc.Cells))
	case f.morphology != "":
		sc.Cells[0].Morphology = f.morphology
	}
	return sc, sc.ShareColors()
}

// resolveSettings puts over the scene the defaults that depend on other
// settings, where the value was not given: --annotate's annotations
// (keeping a label given, and leaving out the colour bar of one --color),
// and limits of path distance from 0 to the recording's.
func (f *renderFlags) resolveSettings(sc *scene.Scene) {
	o := &sc.Options
	if f.annotate {
		label := o.Label
		o.Annotate()
		if sc.Gives("label") {
			o.Label = label
		}
		if !f.colorbar && o.ColorBy == movie.ByColor {
			o.Overlays.ColorBar = false
		}
	}
	if o.ColorBy == movie.ByDistance && !limitsGiven(sc) {
		o.Colors.VMin, o.Colors.VMax = movie.Limit{Value: 0}, movie.Limit{Auto: true}
	}
}

// resolveData puts over the scene the defaults that depend on the
// recordings read (recs, nil for a morphology alone), where the value was
// not given: morphologies alone are coloured by type without a time
// label, and a recorded variable other than the membrane voltage takes
// its limits from the recording.
func resolveData(sc *scene.Scene, recs []*voltage.Recording) {
	o := &sc.Options
	recorded, other := false, false
	for _, r := range recs {
		recorded = recorded || r != nil
		other = other || r != nil && r.Variable != "v"
	}
	if !recorded && !sc.Gives("color-by") {
		o.ColorBy = movie.ByType
		if !sc.Gives("label") {
			o.Label = "none" // a morphology has no time
		}
	}
	if other && o.ColorBy == movie.ByVoltage && !limitsGiven(sc) {
		o.Colors.VMin, o.Colors.VMax = movie.Limit{Auto: true}, movie.Limit{Auto: true}
	}
}

// limitsGiven reports whether either colour limit was given.
func limitsGiven(sc *scene.Scene) bool { return sc.Gives("colors.vmin") || sc.Gives("colors.vmax") }

// flagOf is the render flag that sets a scene key, or "": the flag of the
// key alone, else the first flag of several keys that sets it first, else
// the first that sets it among others.
func (f *renderFlags) flagOf(key string) string {
	alone, first, among := "", "", ""
	f.fs.VisitAll(func(fl *pflag.Flag) {
		keys, _ := keysOfFlag(fl.Name)
		switch {
		case len(keys) == 1 && keys[0] == key:
			alone = fl.Name
		case len(keys) > 1 && keys[0] == key && first == "":
			first = fl.Name
		case slices.Contains(keys, key) && among == "":
			among = fl.Name
		}
	})
	switch {
	case alone != "":
		return alone
	case first != "":
		return first
	}
	return among
}

// optionError names the origin of an option the engine refused: the flag,
// when the value came from one, else the scene file.
func (f *renderFlags) optionError(err error) error {
	var oe *movie.OptionError
	if f.scene == "" || !errors.As(err, &oe) {
		return flagError(err)
	}
	name := err.Error()
	if i := strings.IndexAny(name, " :"); i >= 0 {
		name = name[:i]
	}
	if fl := f.fs.Lookup(name); fl != nil && fl.Changed {
		return flagError(err)
	}
	return fmt.Errorf("--scene %s: %w", f.scene, err)
}

// cellError is a refused value of one cell of a scene file.
type cellError struct {
	cell int
	err  error
}

func (e *cellError) Error() string { return fmt.Sprintf("cell %d: %v", e.cell, e.err) }
func (e *cellError) Unwrap() error { return e.err }

// printScene writes the run's scene as a file that renders the same
// frames from anywhere: its paths made absolute.
func printScene(w io.Writer, sc scene.Scene) error {
	abs := sc
	abs.Cells = append([]scene.Cell(nil), sc.Cells...)
	if err := abs.Absolute("."); err != nil {
		return err
	}
	fmt.Fprintln(w, "# A spikeframes scene: every setting of a render.")
	fmt.Fprintln(w, "# Render it with: spikeframes render --scene THIS_FILE (flags given too override it).")
	fmt.Fprintln(w)
	return scene.Write(w, abs, nil)
}
