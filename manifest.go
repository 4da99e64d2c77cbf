package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/scene"
)

// manifestName is the file in an output folder that says which scene its
// frames show. Frame names cannot start with a dot, so it is never a frame.
const manifestName = ".spikeframes.toml"

// maxChangesShown bounds the differences a refusal lists.
const maxChangesShown = 5

// manifest is the part of a run's scene that decides the frames in its
// folder: everything but where the frames go and which are rendered, with
// the frame pattern, and the recordings by the SHA-256 of their contents
// (a SONATA simulation's, of the contents of every file it was drawn from).
type manifest struct {
	scene scene.Scene
	text  []byte
}

// inManifest says which keys of a scene a manifest holds.
func inManifest(key string) bool {
	if rest, ok := strings.CutPrefix(key, "output."); ok {
		return rest == "pattern"
	}
	return true
}

// comparedKey says which keys decide whether two manifests are of one
// scene: a recording counts by its contents, wherever it lies.
func comparedKey(key string) bool { return inManifest(key) && key != "cells.recording" }

// newManifest is the manifest of sc, whose recordings' contents have the
// SHA-256 sums hashes.
func newManifest(sc scene.Scene, hashes []string) (*manifest, error) {
	m := &manifest{scene: sc}
	m.scene.Cells = append([]scene.Cell(nil), sc.Cells...)
	for i := range m.scene.Cells {
		m.scene.Cells[i].SHA256 = hashes[i]
	}
	m.scene.Output = scene.Output{Pattern: sc.Output.Pattern}
	if err := m.scene.Absolute("."); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString("# The scene whose frames this folder holds, written by spikeframes render;\n")
	b.WriteString("# recordings count by the SHA-256 of their contents. A render of another\n")
	b.WriteString("# scene into this folder stops unless given --overwrite. To render it again:\n")
	b.WriteString("#   spikeframes render --scene FOLDER/" + manifestName + " -o FOLDER\n\n")
	if err := scene.Write(&b, m.scene, inManifest); err != nil {
		return nil, err
	}
	m.text = b.Bytes()
	return m, nil
}

// hashFile is the SHA-256 of a file's contents, in hex.
func hashFile(path string) (string, error) {
	sum, err := fileSum(path)
	return hex.EncodeToString(sum), err
}

// hashFiles is the SHA-256, in hex, of the SHA-256 sums of the files at
// paths, in order: a digest of their contents that does not depend on
// where they lie, so that a copy of a simulation elsewhere is the same
// recording. Each file is read as a stream, never whole.
func hashFiles(paths []string) (string, error) {
	h := sha256.New()
	for _, p := range paths {
		sum, err := fileSum(p)
		if err != nil {
			return "", err
		}
		h.Write(sum)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// fileSum is the SHA-256 of a file's contents.
func fileSum(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return h.Sum(nil), nil
}

// folder is what an output folder holds, against a manifest.
type folder struct {
	had     *scene.Scene // the scene of the folder's manifest, if it has one that reads
	badFile error        // its manifest, which does not read
	frames  int          // without a manifest: files named as frames
	changes []scene.Change
}

// inspect reads what dir holds against m, whose frames are named by
// pattern. A folder that does not exist holds nothing.
func (m *manifest) inspect(dir string, pattern framePattern) (folder, error) {
	var f folder
	path := filepath.Join(dir, manifestName)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		names, err := frameFiles(dir, pattern)
		f.frames = len(names)
		return f, err
	case err != nil:
		return f, err
	}
	old, err := scene.Parse(data, path)
	if err != nil {
		f.badFile = err
		return f, nil
	}
	f.had = &old
	f.changes, err = scene.Diff(old, m.scene, comparedKey)
	return f, err
}

// clash reports whether the folder holds frames of another scene, or
// frames no manifest vouches for.
func (f folder) clash() bool {
	return f.badFile != nil || len(f.changes) > 0 || f.had == nil && f.frames > 0
}

// describe says how the folder clashes with the scene now, naming values
// by their flags where flagOf knows one and recordings by their paths.
func (f folder) describe(dir string, now scene.Scene, flagOf func(key string) string) string {
	switch {
	case f.badFile != nil:
		return fmt.Sprintf("output folder %s holds frames of a render whose manifest does not read (%v)", dir, f.badFile)
	case f.had == nil:
		return fmt.Sprintf("output folder %s holds %d frames that no manifest describes (written by another program, or by a spikeframes without manifests)", dir, f.frames)
	}
	var parts []string
	told := map[int]bool{} // cells only one scene has, said once each
	for _, c := range f.changes {
		cell, isCell := cellIndex(c.Value.Path)
		name := c.Value.Path
		switch {
		case isCell && (cell >= len(f.had.Cells) || cell >= len(now.Cells)):
			if told[cell] {
				continue
			}
			told[cell] = true
			was, is := "absent", "absent"
			if cell < len(f.had.Cells) {
				was = f.had.Cells[cell].Recording
			}
			if cell < len(now.Cells) {
				is = now.Cells[cell].Recording
			}
			parts = append(parts, fmt.Sprintf("recording %d was %s, is %s", cell, was, is))
			continue
		case c.Value.Key == "cells.sha256" && isSimulationConfig(now.Cells[cell].Recording):
			parts = append(parts, fmt.Sprintf("the contents of simulation %s, or of a file it names, have changed", now.Cells[cell].Recording))
			continue
		case c.Value.Key == "cells.sha256":
			parts = append(parts, fmt.Sprintf("the contents of recording %d (%s) have changed", cell, now.Cells[cell].Recording))
			continue
		case flagOf(c.Value.Key) != "":
			name = "--" + flagOf(c.Value.Key)
		}
		parts = append(parts, fmt.Sprintf("%s was %s, is %s", name, showValue(c.Was), showValue(c.Is)))
	}
	if len(parts) > maxChangesShown {
		parts = append(parts[:maxChangesShown], fmt.Sprintf("and %d more", len(parts)-maxChangesShown))
	}
	return fmt.Sprintf("output folder %s holds frames of another render: %s", dir, strings.Join(parts, "; "))
}

// cellIndex is the cell a value's path is in ("cells[2].offset" is in 2).
func cellIndex(path string) (int, bool) {
	rest, ok := strings.CutPrefix(path, "cells[")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, ']'))])
	return n, err == nil
}

// showValue is a value of a scene file as a message shows it: strings
// without their quotes, SHA-256 sums shortened, absent ones said so.
func showValue(text string) string {
	if text == "" {
		return "absent"
	}
	if s, err := strconv.Unquote(text); err == nil {
		text = s
		if len(text) == 64 && strings.Trim(text, "0123456789abcdef") == "" {
			text = text[:12] + "…"
		}
		if text == "" {
			text = `""`
		}
	}
	return text
}

// settle makes dir the home of m's frames before they are rendered, under
// the folder's lock so that shards of one render starting together agree:
// a folder holding nothing, or frames of this very scene, gets (or keeps)
// m's manifest; one holding frames of another scene is refused, with the
// reason, unless overwrite, which first removes those frames.
func (m *manifest) settle(dir string, pattern framePattern, overwrite bool, flagOf func(string) string) (refusal string, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("output folder: %w", err)
	}
	unlock, err := atomicfile.LockFolder(dir)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", dir, err)
	}
	defer unlock()
	f, err := m.inspect(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", dir, err)
	}
	if f.clash() {
		if !overwrite {
			return f.describe(dir, m.scene, flagOf) + " (--overwrite replaces them)", nil
		}
		patterns := []framePattern{pattern}
		if f.had != nil {
			if old, err := parsePattern(f.had.Output.Pattern); err == nil {
				patterns = append(patterns, old)
			}
		}
		if err := removeFrames(dir, patterns); err != nil {
			return "", fmt.Errorf("output folder %s: removing the old frames: %w", dir, err)
		}
	}
	if f.had != nil && !f.clash() {
		return "", nil
	}
	if _, err := atomicfile.RemoveStale(dir, func(target string) bool { return target == manifestName }); err != nil {
		return "", fmt.Errorf("output folder %s: %w", dir, err)
	}
	return "", atomicfile.Write(filepath.Join(dir, manifestName), func(w io.Writer) error {
		_, err := w.Write(m.text)
		return err
	})
}

// frameFiles are the names of the files in dir that pattern names as
// frames; a folder that does not exist has none.
func frameFiles(dir string, pattern framePattern) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if _, ok := pattern.frameOf(e.Name()); ok && e.Type().IsRegular() {
			names = append(names, e.Name())
		}
	}
	return names, nil
}

// removeFrames removes the files in dir that any of patterns names as
// frames.
func removeFrames(dir string, patterns []framePattern) error {
	for _, p := range patterns {
		names, err := frameFiles(dir, p)
		if err != nil {
			return err
		}
		for _, name := range names {
			if err := os.Remove(filepath.Join(dir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return nil
}
