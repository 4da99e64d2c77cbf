package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"

	"github.com/spikeframes/spikeframes/internal/closest"
)

// Exit statuses, documented in the usage text and the README.
const (
	exitOK     = 0 // success
	exitInput  = 1 // unreadable or invalid input
	exitUsage  = 2 // wrong usage: unknown command, bad flag value
	exitOutput = 3 // output could not be written

	exitInterrupted = 130 // stopped by SIGINT (128 + 2)
	exitTerminated  = 143 // stopped by SIGTERM (128 + 15)
)

// command is one subcommand: its name, a one-line summary and its entry
// point, which returns the process's exit status.
type command struct {
	name    string
	summary string
	run     func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"render", "render a recording into numbered PNG frames (or an MP4)", cmdRender},
		inspectCommand(),
		meshCommand(),
		colormapsCommand(),
		colormapCommand(),
	}
}

const exitStatusHelp = `Exit status: 0 ok, 1 input error (unreadable or invalid input file),
2 usage error, 3 output error (unwritable folder, disk full),
130 interrupted (SIGINT), 143 terminated (SIGTERM).
`

// gcPercent is the garbage collector's headroom (GOGC) unless the
// environment sets one. Reading a recording makes many short-lived values
// while little stays live; at Go's default of 100 the heap grows to twice
// the live size between collections. At 50, reading the 4.7 MB CA1
// recording peaks at 15 MB resident instead of 18.5 MB (5 MB of it the
// runtime's own); rendering, which reuses its buffers, hardly notices.
const gcPercent = 50

func main() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run dispatches to a subcommand and returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "help", "-h", "--help":
		if len(args) > 1 && args[0] == "help" {
			return run([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "spikeframes", version())
		return exitOK
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	names := make([]string, 0, len(commands()))
	for _, c := range commands() {
		names = append(names, c.name)
	}
	fmt.Fprintf(stderr, "spikeframes: unknown command %q; did you mean %s? (run 'spikeframes help')\n", args[0], closest.Names(args[0], names, 1)[0])
	return exitUsage
}

// version is the module version the binary was built from ("(devel)" for a
// build from a checkout), with the commit when the build recorded it.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += " " + s.Value[:12]
		}
	}
	return v + " " + info.GoVersion
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "spikeframes turns a NEURON voltage recording into movie frames.")
	fmt.Fprintln(w, "\nUsage: spikeframes COMMAND [flags] [args]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'spikeframes help COMMAND' (or 'spikeframes COMMAND --help') for a command's flags;")
	fmt.Fprintln(w, "'spikeframes --version' prints the version.")
	fmt.Fprint(w, "\n"+exitStatusHelp)
}

// newFlags makes a flag set for a subcommand whose errors go to stderr and
// whose --help goes to stdout, with a usage line naming the command and its
// arguments.
func newFlags(name, argsUsage string, stdout, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(stdout, "Usage: spikeframes %s %s\n\nFlags:\n", name, argsUsage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		fs.SetOutput(stderr)
		fmt.Fprint(stdout, "\n"+exitStatusHelp)
	}
	return fs
}

// parseFlags parses args into fs. It returns done=true with the status to
// exit with when the command should stop: after --help (0) or on a flag
// error (2, after printing the message: pflag's ContinueOnError mode
// prints nothing itself).
func parseFlags(fs *pflag.FlagSet, args []string) (status int, done bool) {
	err := fs.Parse(args)
	if errors.Is(err, pflag.ErrHelp) {
		return exitOK, true
	}
	if err != nil {
		fmt.Fprintf(fs.Output(), "spikeframes %s: %v%s (run 'spikeframes help %s')\n", fs.Name(), err, flagHint(fs, err), fs.Name())
		return exitUsage, true
	}
	return exitOK, false
}

// alias makes flag old a second name of flag name (an earlier spelling
// that scripts may still use).
func alias(old, name string) func(*pflag.FlagSet, string) pflag.NormalizedName {
	return func(_ *pflag.FlagSet, s string) pflag.NormalizedName {
		if s == old {
			return pflag.NormalizedName(name)
		}
		return pflag.NormalizedName(s)
	}
}

// flagHint suggests the flag nearest to an unknown one pflag complained
// about ("; did you mean --vmin?"), or returns "".
func flagHint(fs *pflag.FlagSet, err error) string {
	name, ok := strings.CutPrefix(err.Error(), "unknown flag: --")
	if !ok {
		return ""
	}
	var names []string
	fs.VisitAll(func(f *pflag.Flag) { names = append(names, f.Name) })
	best := closest.Names(name, names, 1)
	if len(best) == 0 || closest.Distance(name, best[0]) > max(2, len(name)/3) {
		return ""
	}
	return "; did you mean --" + best[0] + "?"
}

// usageErr prints a usage error for command name and returns exitUsage.
func usageErr(stderr io.Writer, name, format string, a ...any) int {
	fmt.Fprintf(stderr, "spikeframes %s: %s\n", name, fmt.Sprintf(format, a...))
	return exitUsage
}
