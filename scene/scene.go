// Package scene reads and writes scene files: every setting of a render —
// the recordings and where they stand, their colours, the camera and its
// keyframes, the look, the annotations, the picture's size and which
// frames go where — in one TOML file that people edit, commit beside their
// results and render again.
//
// The file's tables follow movie.Options: every exported field is a key,
// named after the field in lower case with words joined by dashes
// (MinWidth is min-width), and every struct a table ([colors], [look]);
// the few names that differ are listed in one table in this package.
// A field added to movie.Options is therefore read, printed, compared and
// documented like the others once it has a line of documentation here.
package scene

import (
	"fmt"
	"path/filepath"

	"github.com/spikeframes/spikeframes/movie"
)

// Scene is everything a render needs: the cells, where its frames go and
// the options that decide what they look like.
type Scene struct {
	// Cells are the recordings, in order.
	Cells []Cell
	// Output is where the frames go.
	Output Output
	// Options decide what the frames look like.
	Options movie.Options
	// Network chooses and colours the nodes of a SONATA simulation; other
	// recordings pay it no heed.
	Network Network

	// given are the keys (outside arrays of tables) that the file or Take
	// set, as against defaults.
	given map[string]bool
}

// Cell is one recording of a scene and how it stands and is coloured.
type Cell struct {
	// Recording is the recording's path: a BlenderSpike pickle, or a
	// morphology file (SWC, ASC, BBP HDF5) alone.
	Recording string
	// Morphology, when set, is the morphology file the recording's 3-D
	// points come from.
	Morphology string
	// SHA256, when set, is the recording's SHA-256 (hex): a recording whose
	// contents differ is refused.
	SHA256 string `scene:"sha256,omitempty"`
	// Place moves the cell in the scene.
	Place movie.Placement `scene:",inline"`
	// Colors, when set, colours this cell instead of the scene's colours.
	Colors *movie.Colors
	// TimeSpan, when set, is this recording's simulated time span.
	TimeSpan movie.TimeSpan

	// given are the keys of Colors the file gave; nil with Colors set
	// means all of them.
	given map[string]bool
}

// Output is where a render's frames go and which are rendered.
type Output struct {
	// Out is the folder for PNG frames.
	Out string
	// Pattern is each frame's file name, with one frame-number verb.
	Pattern string
	// Frames selects output frames "A:B" ("" is all of them).
	Frames string
	// Video, when set, is an MP4 file to write instead of PNG frames, at
	// FPS frames per second and quality CRF, encoded at x264's Preset
	// (its speed against file size).
	Video  string
	FPS    float64
	CRF    int
	Preset string
}

// X264Presets are x264's speed presets that Output.Preset may name,
// fastest first (placebo, slower than veryslow for no visible gain, is left
// out).
var X264Presets = []string{"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow"}

// Network is which nodes of a SONATA simulation are drawn and how they
// are coloured.
type Network struct {
	// Nodes chooses the nodes: a population, POP:IDS or a node set's name
	// ("" is the simulation's node set, else every node).
	Nodes string
	// Category is what color-by category shows of each cell: its
	// population or its mtype.
	Category string
	// SomaOnlyFill colours a whole cell by its soma, with a report of
	// somas only, and flashes whole cells at their spikes.
	SomaOnlyFill bool
	// SpikeDecay is the time constant (ms) of a spike's flash.
	SpikeDecay float64
}

// Default is the scene of the command line's defaults, without cells.
func Default() Scene {
	return Scene{
		Output:  Output{Out: "frames", Pattern: "frame_%05d.png", FPS: 30, CRF: 18, Preset: "medium"},
		Options: movie.DefaultOptions(),
		Network: Network{Category: "population", SpikeDecay: 2},
	}
}

// ShareColors gives every cell with colours of its own the scene's colours
// for the keys its file did not give, so that those follow the scene's
// (also after a command-line flag changed them).
func (s *Scene) ShareColors() error {
	f, err := fieldAt("colors")
	if err != nil {
		return err
	}
	for i := range s.Cells {
		c := &s.Cells[i]
		if c.Colors == nil || c.given == nil {
			continue
		}
		for _, leaf := range f.fields {
			if !c.given[leaf.key] {
				set(leaf, c.Colors, &s.Options.Colors)
			}
		}
	}
	return nil
}

// Gives reports whether the scene's value at key (one of Keys) was given,
// by its file or by Take, rather than left at its default; a command sets
// defaults that depend on the data only where nothing was given.
func (s *Scene) Gives(key string) bool { return s.given[key] }

// give records that the value at key was given.
func (s *Scene) give(key string) {
	if s.given == nil {
		s.given = map[string]bool{}
	}
	s.given[key] = true
}

// SetRecordings puts the recordings at paths into the scene in order: the
// first cells keep their placement and colours and take the new
// recordings, cells beyond the last path are dropped, and paths beyond the
// last cell get cells of their own.
func (s *Scene) SetRecordings(paths []string) {
	for i, p := range paths {
		if i < len(s.Cells) {
			s.Cells[i].Recording, s.Cells[i].SHA256, s.Cells[i].Morphology = p, "", ""
		} else {
			s.Cells = append(s.Cells, Cell{Recording: p})
		}
	}
	s.Cells = s.Cells[:len(paths)]
}

// Absolute makes the scene's paths absolute, relative ones taken from dir.
func (s *Scene) Absolute(dir string) error {
	abs := func(p *string) error {
		if *p == "" || filepath.IsAbs(*p) {
			return nil
		}
		q, err := filepath.Abs(filepath.Join(dir, *p))
		if err != nil {
			return fmt.Errorf("%s: %w", *p, err)
		}
		*p = q
		return nil
	}
	for i := range s.Cells {
		if err := abs(&s.Cells[i].Recording); err != nil {
			return err
		}
		if err := abs(&s.Cells[i].Morphology); err != nil {
			return err
		}
	}
	if err := abs(&s.Output.Out); err != nil {
		return err
	}
	return abs(&s.Output.Video)
}
