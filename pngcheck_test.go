package main

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func encodePNG(t *testing.T, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCompletePNG(t *testing.T) {
	whole := encodePNG(t, 160, 90)
	badCRC := bytes.Clone(whole)
	badCRC[20]++ // the height, without mending the IHDR checksum
	zeroed := bytes.Clone(whole)
	clear(zeroed[40:60]) // a block of the image data lost in a crash
	flipped := bytes.Clone(whole)
	flipped[len(flipped)/2] ^= 1
	trailing := append(bytes.Clone(whole), 0)
	tests := []struct {
		name string
		data []byte
		want bool
	}{
		{"whole", whole, true},
		{"empty", nil, false},
		{"signature only", whole[:8], false},
		{"cut short", whole[:len(whole)/2], false},
		{"last byte missing", whole[:len(whole)-1], false},
		{"other size", encodePNG(t, 90, 160), false},
		{"IHDR corrupt", badCRC, false},
		{"image data zeroed", zeroed, false},
		{"one bit flipped", flipped, false},
		{"a byte after IEND", trailing, false},
		{"not a PNG", bytes.Repeat([]byte("x"), len(whole)), false},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		path := filepath.Join(dir, tc.name+".png")
		if err := os.WriteFile(path, tc.data, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := completePNG(path, 160, 90); got != tc.want {
			t.Errorf("%s: completePNG = %v, want %v", tc.name, got, tc.want)
		}
	}
	if completePNG(filepath.Join(dir, "missing.png"), 160, 90) {
		t.Error("a missing file is complete")
	}
	if completePNG(dir, 160, 90) {
		t.Error("a folder is complete")
	}
}
