package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/scene"
)

// flagKeys are the scene keys of the render flags whose names are not
// their key's last part; every other flag that shapes a render is named as
// its key ends (--min-width is look.min-width).
var flagKeys = map[string]string{
	"cmap":       "colors.map",
	"cmap-start": "colors.start",
	"cmap-stop":  "colors.stop",
	"cmap-steps": "colors.steps",
	"view":       "view.plane",
}

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

// flagKey is the scene key a render flag sets, or false for a run flag.
func flagKey(name string) (string, bool, error) {
	if runFlags[name] {
		return "", false, nil
	}
	if k, ok := flagKeys[name]; ok {
		return k, true, nil
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
		return "", false, keysErr
	}
	if ks := keyByLast[name]; len(ks) == 1 {
		return ks[0], true, nil
	}
	return "", false, fmt.Errorf("flag --%s sets no one key of a scene file", name)
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
	byFlags.Output = scene.Output{Out: f.out, Pattern: f.pattern, Frames: f.frames, Video: f.video, FPS: f.fps, CRF: f.crf}
	fs.Visit(func(fl *pflag.Flag) {
		key, ok, kerr := flagKey(fl.Name)
		if err == nil && kerr == nil && ok {
			kerr = sc.Take(key, &byFlags)
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
	if len(sc.Cells) == 0 {
		return sc, errors.New("want one or more recording files, or --scene FILE (see --help)")
	}
	return sc, sc.ShareColors()
}

// flagOf is the render flag that sets a scene key, or "".
func (f *renderFlags) flagOf(key string) string {
	name := ""
	f.fs.VisitAll(func(fl *pflag.Flag) {
		if k, ok, _ := flagKey(fl.Name); ok && k == key {
			name = fl.Name
		}
	})
	return name
}

// optionError names the origin of an option the engine refused: the flag,
// when the value came from one, else the scene file.
func (f *renderFlags) optionError(fs *pflag.FlagSet, err error) error {
	var oe *movie.OptionError
	if f.scene == "" || !errors.As(err, &oe) {
		return flagError(err)
	}
	name := err.Error()
	if i := strings.IndexAny(name, " :"); i >= 0 {
		name = name[:i]
	}
	if fl := fs.Lookup(name); fl != nil && fl.Changed {
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
