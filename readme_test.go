package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// consoleCommand is one "$ spikeframes …" line of a console block in the
// README with the output shown under it.
type consoleCommand struct {
	line int
	args []string
	want string
}

// readmeConsoleCommands returns every command of the README's console
// blocks. Arguments are split at spaces: the README's examples quote
// nothing.
func readmeConsoleCommands(t *testing.T) []consoleCommand {
	t.Helper()
	raw, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var cmds []consoleCommand
	inBlock, blockStart := false, 0
	for i, line := range strings.Split(string(raw), "\n") {
		switch {
		case line == "```console":
			inBlock, blockStart = true, len(cmds)
		case inBlock && line == "```":
			inBlock = false
		case inBlock && strings.HasPrefix(line, "$ "):
			fields := strings.Fields(strings.TrimPrefix(line, "$ "))
			if fields[0] != "spikeframes" {
				t.Fatalf("README.md:%d: console blocks show spikeframes commands only: %q", i+1, line)
			}
			cmds = append(cmds, consoleCommand{line: i + 1, args: fields[1:]})
		case inBlock && len(cmds) > blockStart:
			cmds[len(cmds)-1].want += line + "\n"
		case inBlock:
			t.Fatalf("README.md:%d: output before any command in a console block (show output alone as text)", i+1)
		}
	}
	return cmds
}

// writeIntoTemp moves the file a command writes (-o, --out) into a
// temporary folder, so that the README's examples leave nothing in the
// repository, and changes the output shown to name it there.
func writeIntoTemp(t *testing.T, args []string, want string) ([]string, string) {
	out := append([]string(nil), args...)
	for i := 0; i+1 < len(out); i++ {
		if out[i] == "-o" || out[i] == "--out" {
			moved := filepath.Join(t.TempDir(), filepath.Base(out[i+1]))
			want = strings.ReplaceAll(want, out[i+1], moved)
			out[i+1] = moved
		}
	}
	return out, want
}

// TestReadmeConsoleBlocks runs every command the README shows in a console
// block and checks that it prints exactly what the README shows, so the
// README cannot drift from the program.
func TestReadmeConsoleBlocks(t *testing.T) {
	cmds := readmeConsoleCommands(t)
	if len(cmds) == 0 {
		t.Fatal("README.md has no console blocks")
	}
	for _, c := range cmds {
		args, want := writeIntoTemp(t, c.args, c.want)
		var stdout, stderr bytes.Buffer
		run(args, &stdout, &stderr)
		if got := stdout.String() + stderr.String(); got != want {
			t.Errorf("README.md:%d: spikeframes %s printed\n%s\nthe README shows\n%s", c.line, strings.Join(c.args, " "), got, c.want)
		}
	}
}
