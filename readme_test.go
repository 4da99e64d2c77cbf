package main

import (
	"bytes"
	"os"
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

// TestReadmeConsoleBlocks runs every command the README shows in a console
// block and checks that it prints exactly what the README shows, so the
// README cannot drift from the program.
func TestReadmeConsoleBlocks(t *testing.T) {
	cmds := readmeConsoleCommands(t)
	if len(cmds) == 0 {
		t.Fatal("README.md has no console blocks")
	}
	for _, c := range cmds {
		var stdout, stderr bytes.Buffer
		run(c.args, &stdout, &stderr)
		if got := stdout.String() + stderr.String(); got != c.want {
			t.Errorf("README.md:%d: spikeframes %s printed\n%s\nthe README shows\n%s", c.line, strings.Join(c.args, " "), got, c.want)
		}
	}
}
