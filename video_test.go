package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// box is an MP4 box of the given type around body.
func box(kind string, body string) string {
	n := 8 + len(body)
	return string([]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}) + kind + body
}

var (
	mp4Ftyp  = box("ftyp", "isom\x00\x00\x02\x00")
	wholeMP4 = mp4Ftyp + box("moov", box("mvhd", "")) + box("mdat", "frames")
)

func TestCheckMP4(t *testing.T) {
	tests := []struct {
		name, data string
		fault      string // "" = whole
	}{
		{"whole", wholeMP4, ""},
		{"mdat to the end (size 0)", mp4Ftyp + box("moov", "") + "\x00\x00\x00\x00mdatframes", ""},
		{"64-bit size", mp4Ftyp + box("moov", "") + "\x00\x00\x00\x01mdat\x00\x00\x00\x00\x00\x00\x00\x16frames", ""},
		{"empty", "", "empty"},
		{"cut short", wholeMP4[:len(wholeMP4)-2], "runs past the end"},
		{"header cut", wholeMP4 + "\x00\x00", "inside a box header"},
		{"no index", mp4Ftyp + box("mdat", "frames"), "no moov"},
		{"no data", mp4Ftyp + box("moov", ""), "no mdat"},
		{"not an MP4", box("RIFF", "AVI LIST"), "not an MP4"},
		{"size below the header", mp4Ftyp + "\x00\x00\x00\x04moov", "runs past"},
	}
	dir := t.TempDir()
	for _, tc := range tests {
		path := filepath.Join(dir, "m.mp4")
		if err := os.WriteFile(path, []byte(tc.data), 0o644); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		err = checkMP4(f)
		f.Close()
		if tc.fault == "" && err != nil || tc.fault != "" && (err == nil || !strings.Contains(err.Error(), tc.fault)) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.fault)
		}
	}
}
