package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/morphfile"
	"github.com/spikeframes/spikeframes/voltage"
)

func inspectCommand() command {
	return command{
		name:    "inspect",
		summary: "summarise a recording or a morphology file: sections, frames, voltage range, bounding box",
		run:     runInspect,
	}
}

// summary is what inspect reports about a recording; its JSON form is
// the --json output.
type summary struct {
	File       string         `json:"file"`
	Sections   int            `json:"sections"`
	Frames     int            `json:"frames"`
	NSegTotal  int            `json:"nseg_total"`
	N3DTotal   int            `json:"n3d_total"`
	Types      map[string]int `json:"types"`
	VoltageMin float32        `json:"voltage_min"`
	VoltageMax float32        `json:"voltage_max"`
	// Variable and Unit name what the Voltage values are (the recorder's
	// variable and unit keys; v and mV without them).
	Variable string `json:"variable"`
	Unit     string `json:"unit"`
	// BBoxMin and BBoxMax are absent when no section has 3-D points.
	BBoxMin *[3]float64 `json:"bbox_min,omitempty"`
	BBoxMax *[3]float64 `json:"bbox_max,omitempty"`
	// TStart and TStop are present when the recording stores its time span.
	TStart *float64 `json:"t_start,omitempty"`
	TStop  *float64 `json:"t_stop,omitempty"`
}

func runInspect(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("inspect", "FILE", stdout, stderr)
	asJSON := fs.Bool("json", false, "print one JSON object instead of the readable summary")
	morphology := addMorphologyFlag(fs)
	if status, done := parseFlags(fs, args); done {
		return status
	}
	if fs.NArg() != 1 {
		return usageErr(stderr, "inspect", "want exactly one recording or morphology FILE, got %d arguments", fs.NArg())
	}
	path := fs.Arg(0)
	var s interface{ text() string }
	if isSimulationConfig(path) && *morphology != "" {
		return usageErr(stderr, "inspect", "--morphology %s: gives a recording its geometry; a SONATA simulation's morphologies come from its circuit", *morphology)
	}
	if isSimulationConfig(path) {
		ns, err := summarizeNetwork(path)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes inspect: %v\n", err)
			return exitInput
		}
		s = ns
	} else if cell, rec, format, status, ok := readCommandInput("inspect", path, *morphology, stderr); !ok {
		return status
	} else if rec == nil {
		s = summarizeMorphology(path, format, cell)
	} else {
		s = summarize(path, cell, rec)
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(s); err != nil {
			fmt.Fprintf(stderr, "spikeframes inspect: %v\n", err)
			return exitOutput
		}
		return exitOK
	}
	if _, err := io.WriteString(stdout, s.text()); err != nil {
		fmt.Fprintf(stderr, "spikeframes inspect: %v\n", err)
		return exitOutput
	}
	return exitOK
}

// morphologySummary is what inspect reports about a morphology file; its
// JSON form is the --json output.
type morphologySummary struct {
	File     string `json:"file"`
	Format   string `json:"format"`
	Sections int    `json:"sections"`
	// Types counts sections by NEURON section array: soma, axon, dend,
	// apic, and dend_N for other SWC type codes N.
	Types    map[string]int `json:"types"`
	N3DTotal int            `json:"n3d_total"`
	BBoxMin  [3]float64     `json:"bbox_min"`
	BBoxMax  [3]float64     `json:"bbox_max"`
	// NeuriteLength is the summed length of every section but the soma's,
	// in µm.
	NeuriteLength float64 `json:"neurite_length"`
}

func summarizeMorphology(path string, format morphfile.Format, cell *morph.Cell) morphologySummary {
	s := morphologySummary{
		File:     path,
		Format:   format.String(),
		Sections: len(cell.Sections),
		Types:    map[string]int{},
		BBoxMin:  [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)},
		BBoxMax:  [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)},
	}
	for _, sec := range cell.Sections {
		array, _, _ := strings.Cut(sec.Name, "[")
		s.Types[array]++
		s.N3DTotal += len(sec.Points)
		for _, p := range sec.Points {
			for k, x := range [3]float64{p.X, p.Y, p.Z} {
				s.BBoxMin[k] = min(s.BBoxMin[k], x)
				s.BBoxMax[k] = max(s.BBoxMax[k], x)
			}
		}
		if array != "soma" {
			s.NeuriteLength += sec.Length()
		}
	}
	return s
}

// text is the readable summary of a morphology file.
func (s morphologySummary) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", s.File)
	fmt.Fprintf(&b, "  format        %s\n", s.Format)
	fmt.Fprintf(&b, "  sections      %d\n", s.Sections)
	fmt.Fprintf(&b, "  types         %s\n", wrapList(typeList(s.Types), 60, "\n                "))
	fmt.Fprintf(&b, "  3-D points    %d\n", s.N3DTotal)
	fmt.Fprintf(&b, "  bounding box  (%g, %g, %g) … (%g, %g, %g) µm\n",
		s.BBoxMin[0], s.BBoxMin[1], s.BBoxMin[2], s.BBoxMax[0], s.BBoxMax[1], s.BBoxMax[2])
	fmt.Fprintf(&b, "  neurites      %.6g µm long, summed over every section but the soma\n", s.NeuriteLength)
	return b.String()
}

func summarize(path string, cell *morph.Cell, rec *voltage.Recording) summary {
	s := summary{
		File:       path,
		Sections:   len(cell.Sections),
		Frames:     rec.Frames,
		Variable:   rec.Variable,
		Unit:       rec.Unit,
		Types:      map[string]int{},
		VoltageMin: float32(math.Inf(1)),
		VoltageMax: float32(math.Inf(-1)),
	}
	lo := [3]float64{math.Inf(1), math.Inf(1), math.Inf(1)}
	hi := [3]float64{math.Inf(-1), math.Inf(-1), math.Inf(-1)}
	for i, sec := range cell.Sections {
		s.Types[sec.Type]++
		s.N3DTotal += len(sec.Points)
		for _, p := range sec.Points {
			for k, x := range [3]float64{p.X, p.Y, p.Z} {
				lo[k] = min(lo[k], x)
				hi[k] = max(hi[k], x)
			}
		}
		tr := rec.Traces[i]
		s.NSegTotal += tr.NSeg
		for _, v := range tr.Values {
			s.VoltageMin = min(s.VoltageMin, v)
			s.VoltageMax = max(s.VoltageMax, v)
		}
	}
	if s.N3DTotal > 0 {
		s.BBoxMin, s.BBoxMax = &lo, &hi
	}
	if rec.HasTime {
		s.TStart, s.TStop = &rec.TStart, &rec.TStop
	}
	return s
}

// text is the readable summary.
func (s summary) text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", s.File)
	fmt.Fprintf(&b, "  sections      %d\n", s.Sections)
	fmt.Fprintf(&b, "  types         %s\n", wrapList(typeList(s.Types), 60, "\n                "))
	fmt.Fprintf(&b, "  frames        %d\n", s.Frames)
	if s.TStart != nil {
		fmt.Fprintf(&b, "  time          %.6g … %.6g ms\n", *s.TStart, *s.TStop)
	} else {
		fmt.Fprintf(&b, "  time          not recorded\n")
	}
	fmt.Fprintf(&b, "  segments      %d (nseg over all sections)\n", s.NSegTotal)
	fmt.Fprintf(&b, "  3-D points    %d\n", s.N3DTotal)
	name := s.Variable
	if name == "v" {
		name = "voltage"
	}
	fmt.Fprintf(&b, "  %-14s%s\n", name, strings.TrimSpace(fmt.Sprintf("%g … %g %s", s.VoltageMin, s.VoltageMax, s.Unit)))
	if s.BBoxMin == nil {
		fmt.Fprintf(&b, "  bounding box  none: no 3-D points (--morphology FILE gives the recording a geometry)\n")
		return b.String()
	}
	fmt.Fprintf(&b, "  bounding box  (%g, %g, %g) … (%g, %g, %g) µm\n",
		s.BBoxMin[0], s.BBoxMin[1], s.BBoxMin[2], s.BBoxMax[0], s.BBoxMax[1], s.BBoxMax[2])
	return b.String()
}

// typeList lists "type count" by falling count, then by name in natural
// order (user5[2] before user5[10]).
func typeList(types map[string]int) []string {
	names := make([]string, 0, len(types))
	for t := range types {
		names = append(names, t)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(cmp.Compare(types[b], types[a]), naturalCompare(a, b))
	})
	items := make([]string, len(names))
	for i, t := range names {
		items[i] = fmt.Sprintf("%s %d", t, types[t])
	}
	return items
}

// wrapList joins items with ", ", breaking lines with sep before width.
func wrapList(items []string, width int, sep string) string {
	var b strings.Builder
	line := 0
	for i, it := range items {
		if i > 0 {
			if line+2+len(it) > width {
				b.WriteString(",")
				b.WriteString(sep)
				line = 0
			} else {
				b.WriteString(", ")
				line += 2
			}
		}
		b.WriteString(it)
		line += len(it)
	}
	return b.String()
}

// naturalCompare orders strings with runs of digits compared as numbers.
func naturalCompare(a, b string) int {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if c := cmp.Or(cmp.Compare(len(na), len(nb)), cmp.Compare(na, nb)); c != 0 {
				return c
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// digitRun is the length of the run of ASCII digits that starts s.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
