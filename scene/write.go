package scene

import (
	"bufio"
	"io"
	"reflect"
	"strings"
)

// Write writes the scene as a file that Parse reads back to the very same
// scene: every key with its value (defaults too), each under a line saying
// what it does. keep, when not nil, leaves out every value whose key (a
// dotted path without array indices, "output.out") it refuses, and a
// table left without values.
func Write(w io.Writer, s Scene, keep func(key string) bool) error {
	fields, err := schema()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	p := printer{w: bw, keep: keep}
	p.table(fields, reflect.ValueOf(s), "")
	return bw.Flush()
}

// printer writes a scene's tables.
type printer struct {
	w     *bufio.Writer
	keep  func(key string) bool
	wrote bool // anything yet: tables after it get a blank line
}

// table writes the values of the struct v laid out by fields, then its
// tables and arrays of tables under header (the dotted name of the table
// being written, "" for the root).
func (p *printer) table(fields []*field, v reflect.Value, header string) {
	for _, f := range fields {
		if f.isTable() || !p.kept(f) {
			continue
		}
		val := v.FieldByIndex(f.index)
		lit, ok := f.codec.write(val)
		if !ok || f.omitEmpty && val.IsZero() {
			continue
		}
		p.comment(f.path)
		p.line(f.key + " = " + lit)
	}
	for _, f := range fields {
		if !f.isTable() || !p.kept(f) {
			continue
		}
		val := v.FieldByIndex(f.index)
		name := joinKey(header, f.key)
		switch {
		case f.array:
			p.blank()
			p.comment(f.path)
			if val.Len() == 0 {
				p.line("# (none)")
			}
			for i := range val.Len() {
				if i > 0 {
					p.blank()
				}
				p.line("[[" + name + "]]")
				p.table(f.fields, val.Index(i), name)
			}
		case f.optional && val.IsNil():
		default:
			if f.optional {
				val = val.Elem()
			}
			p.blank()
			p.comment(f.path)
			p.line("[" + name + "]")
			p.table(f.fields, val, name)
		}
	}
}

// kept reports whether f, or any value in it, is to be written.
func (p *printer) kept(f *field) bool {
	if p.keep == nil {
		return true
	}
	if !f.isTable() {
		return p.keep(f.path)
	}
	for _, c := range f.fields {
		if p.kept(c) {
			return true
		}
	}
	return false
}

func (p *printer) line(s string) {
	p.w.WriteString(s)
	p.w.WriteByte('\n')
	p.wrote = true
}

func (p *printer) blank() {
	if p.wrote {
		p.w.WriteByte('\n')
	}
}

// comment writes the documentation of the key at path, wrapped.
func (p *printer) comment(path string) {
	text := docOf(path)
	if text == "" {
		return
	}
	line := "#"
	for _, word := range strings.Fields(text) {
		if len(line)+1+len(word) > 78 && line != "#" {
			p.line(line)
			line = "#"
		}
		line += " " + word
	}
	p.line(line)
}

// docOf is the documentation of a key; a cell's own colours are
// documented as the scene's.
func docOf(path string) string {
	if d, ok := docs[path]; ok {
		return d
	}
	if rest, ok := strings.CutPrefix(path, "cells.colors."); ok {
		return docs["colors."+rest]
	}
	return ""
}

// docs say what every key of a scene file does. A key added to the file
// (a new field of movie.Options) needs a line here; a test says which.
var docs = map[string]string{
	"cells":            "The recordings, in order: each [[cells]] is one.",
	"cells.recording":  "The recording (relative paths start at this file's folder): a BlenderSpike pickle, or a morphology file (SWC, ASC, BBP HDF5) alone.",
	"cells.morphology": `The morphology file the recording's 3-D points come from; "" uses the recording's own.`,
	"cells.sha256":     "The recording's SHA-256 (a SONATA simulation's: of the contents of its config and of every file its cells are drawn from): a recording with other contents is refused.",
	"cells.offset":     "Move the cell by X, Y, Z µm, after the layout placed it.",
	"cells.rotate":     "Turn the cell about its soma by these degrees about X, then Y, then Z.",
	"cells.time-span":  `This recording's simulated time span "START:STOP" (ms); "" is the scene's.`,
	"cells.colors":     "This cell's own colours; keys left out are those of [colors].",

	"width":     "Picture width in pixels.",
	"height":    "Picture height in pixels.",
	"target":    `What the camera looks at, zooms and orbits about: soma, a section's index or recorded name, or X,Y,Z in recorded µm, of the first cell or after a cell's index ("1:soma"); "" frames the whole scene.`,
	"orbit":     "Turn the camera this many degrees about the view's up axis over the movie (0: a still camera).",
	"resample":  "Render this many frames spread evenly over the recordings (0: one per recorded frame).",
	"label":     "Text in the top-left corner: none, time (simulated ms, or the frame number without a time span) or frame.",
	"color-by":  "What the colours show: voltage (the recording), type (soma, axon, basal, apical), distance (path distance from the soma, µm, through the colormap), color, or category (a SONATA simulation's cells by network.category; --color-by population or mtype sets both).",
	"color":     "The colour of color-by color.",
	"time-span": `Simulated time (ms) of the first and last recorded frames, "START:STOP", for recordings that store none; "" uses the recordings' own.`,

	"output":         "Where the frames go.",
	"output.out":     "Folder for the PNG frames (relative paths start at this file's folder).",
	"output.pattern": "File name of each frame, with one frame-number verb: %d, or %0Nd zero-padded to N digits.",
	"output.frames":  `Render only output frames A ≤ f < B, as "A:B" (either side may be left out); "" renders all.`,
	"output.video":   `Write an H.264 MP4 through ffmpeg instead of PNG frames; "" writes PNGs.`,
	"output.fps":     "Frames per second of the video.",
	"output.crf":     "Quality of the video (x264 CRF: 0 lossless … 51 worst).",
	"output.preset":  "x264's speed against file size: " + strings.Join(X264Presets, ", ") + ".",

	"geometry":               "How each cell becomes tubes (BlenderSpike's Neuron Builder).",
	"geometry.segmentation":  `Points per section, evenly spaced in arc length, or "auto": every 3-D point plus every simulated segment.`,
	"geometry.downscale":     "Divide coordinates and diameters by this factor.",
	"geometry.center":        "Move the first cell's soma centre to the origin.",
	"geometry.thickness":     "Branch thickness: tube radius = thickness × diameter/2.",
	"geometry.homogeneity":   "Pull every diameter towards the cell's mean, from 0 (not at all) to 1.",
	"geometry.sides":         "Vertices around each tube ring.",
	"geometry.caps":          "Close the free tube ends.",
	"geometry.simplify-soma": "Draw the soma as a sphere coloured by its mean voltage.",

	"view":           "Where the camera looks from.",
	"view.plane":     "Base view: xy (looking down −Z, +Y up), xz or yz.",
	"view.azimuth":   "Turn the camera about the view's up axis (degrees).",
	"view.elevation": "Tilt the camera up over the view's right axis (degrees).",
	"view.roll":      "Turn the picture about the viewing axis (degrees; positive turns the cells counter-clockwise).",
	"view.zoom":      "Magnify the framing (1 fits the whole scene in about 90% of the picture).",
	"view.fov":       "Vertical field of view in degrees for a perspective camera; 0 is orthographic.",

	"keys":           "Camera keyframes: the camera flies through them, easing in and out (each [[keys]] is one).",
	"keys.frame":     "The output frame the keyframe holds at.",
	"keys.time":      "Or the simulated time (ms) it holds at, instead of the frame.",
	"keys.target":    `What the camera looks at there, as target; "" is the centre of the scene.`,
	"keys.zoom":      "Zoom there (0 is 1).",
	"keys.azimuth":   "Azimuth there (degrees).",
	"keys.elevation": "Elevation there (degrees).",
	"keys.roll":      "Roll there (degrees).",
	"keys.fov":       "Field of view there (degrees; every keyframe perspective, or none).",

	"colors":       "How voltages become colours.",
	"colors.map":   `Colormap: any matplotlib or seaborn name, NAME_r reversed, or colours "#000000,#ff3000,…".`,
	"colors.start": "Use the colormap from this point (0 to 1).",
	"colors.stop":  "Use the colormap up to this point (0 to 1).",
	"colors.steps": "BlenderSpike's stepped colour ramp with this many stops; 0 is the exact colormap.",
	"colors.vmin":  `Voltage (mV) at the colormap's start, or "auto" (the 0.5th percentile of the recordings).`,
	"colors.vmax":  `Voltage (mV) at the colormap's end, or "auto" (the 99.5th percentile of the recordings).`,

	"look":                 "How the coloured tubes are drawn.",
	"look.aa":              "Anti-aliasing: N×N samples per pixel (1 is off).",
	"look.min-width":       "Draw every branch at least this many pixels wide (0: true widths).",
	"look.shading":         "emission (the colormap's colour, glowing) or lit (a diffuse headlight).",
	"look.emission":        "Emission strength: multiplies the colour in linear light.",
	"look.tone":            "How light becomes display colours: none clips at 1 (exact colours at emission 1), filmic is Blender's Filmic view transform.",
	"look.bloom-threshold": "Brightness of a pixel's brightest channel (linear light) from which parts glow; 0 lets everything glow.",
	"look.depth-cue":       "Dim the farthest parts by this share, 0 to 1 (0 is off).",
	"look.background":      "Background colour.",
	"look.bloom":           "Glow around the bright parts: its light as a share of the light above the threshold (0 is off).",
	"look.transparent":     "RGBA frames with a clear background, the glow as alpha (the background stays black).",

	"overlays":                 "Annotations drawn over every frame.",
	"overlays.colorbar":        "Draw the colormap between the limits, with round ticks (the first cell's colours).",
	"overlays.colorbar-pos":    "Where the colour bar goes: right, left or bottom.",
	"overlays.colorbar-label":  `The colour bar's unit label ("" is mV).`,
	"overlays.scalebar":        "Draw a scale bar in the bottom-left corner.",
	"overlays.scalebar-length": "Its length in µm (0: a round length about a fifth of the picture's width).",
	"overlays.title":           "A title centred at the top.",
	"overlays.traces":          `Plot the voltage at the middle of these sections in an inset: "soma", an index or a name, after a cell's index in a scene of several ("1:soma").`,
	"overlays.text-color":      `Colour of the annotations, or "auto" (near-white or near-black against the background).`,

	"layout":         "How the cells stand.",
	"layout.arrange": "recorded (where each recording puts its cell), row (side by side, in order, each on its soma) or grid.",
	"layout.gap":     "Space between the cells of a row or grid, as a share of the largest cell's longer side.",

	"network":                "Which nodes of a SONATA simulation are drawn, and how they are coloured.",
	"network.nodes":          `The nodes drawn: a population ("cortex"), some of its ids ("cortex:0,5,10-19") or a node set's name; "" is the simulation's node set, else every node.`,
	"network.category":       "What color-by category shows of each cell: population or mtype.",
	"network.soma-only-fill": "With a report of somas only, colour each whole cell by its soma's voltage, and flash whole cells at their spikes (else only the soma).",
	"network.spike-decay":    "Cells without a compartment report flash to vmax at each spike, fading to vmin with this time constant (ms).",
}
