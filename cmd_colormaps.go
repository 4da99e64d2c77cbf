package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spikeframes/spikeframes/colormap"
)

// colormapsCommand lists every colormap name.
func colormapsCommand() command {
	return command{
		name:    "colormaps",
		summary: "list every colormap name (matplotlib's and seaborn's, with _r)",
		run:     runColormaps,
	}
}

func runColormaps(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("colormaps", "[--json]", stdout, stderr)
	asJSON := fs.Bool("json", false, "print a JSON array instead of one name per line")
	if status, done := parseFlags(fs, args); done {
		return status
	}
	if fs.NArg() != 0 {
		return usageErr(stderr, "colormaps", "takes no arguments, got %q", fs.Args())
	}
	names := colormap.Names()
	var out string
	if *asJSON {
		raw, err := json.Marshal(names)
		if err != nil {
			fmt.Fprintf(stderr, "spikeframes colormaps: %v\n", err)
			return exitOutput
		}
		out = string(raw) + "\n"
	} else {
		out = strings.Join(names, "\n") + "\n"
	}
	if _, err := io.WriteString(stdout, out); err != nil {
		fmt.Fprintf(stderr, "spikeframes colormaps: %v\n", err)
		return exitOutput
	}
	return exitOK
}
