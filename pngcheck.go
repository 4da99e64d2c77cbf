package main

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
)

// pngSignature starts every PNG file; pngEnd is the IEND chunk that ends
// one (length 0, type, CRC).
var (
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
	pngEnd       = []byte("\x00\x00\x00\x00IEND\xaeB`\x82")
)

// completePNG reports whether path holds a whole PNG picture of width ×
// height: the signature, an intact IHDR chunk of that size first and the
// IEND chunk at the very end. It reads 45 bytes, not the picture: it is
// there to catch the empty, cut-short or foreign files a crash can leave,
// not to verify the compressed data.
func completePNG(path string, width, height int) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	const ihdrEnd = 8 + 8 + 13 + 4 // signature, IHDR length and type, data, CRC
	if err != nil || !st.Mode().IsRegular() || st.Size() < ihdrEnd+int64(len(pngEnd)) {
		return false
	}
	var head [ihdrEnd]byte
	tail := make([]byte, len(pngEnd))
	if _, err := f.ReadAt(head[:], 0); err != nil {
		return false
	}
	if _, err := f.ReadAt(tail, st.Size()-int64(len(pngEnd))); err != nil {
		return false
	}
	be := binary.BigEndian
	return bytes.Equal(head[:8], pngSignature) &&
		be.Uint32(head[8:12]) == 13 && string(head[12:16]) == "IHDR" &&
		be.Uint32(head[29:33]) == crc32.ChecksumIEEE(head[12:29]) &&
		int64(be.Uint32(head[16:20])) == int64(width) && int64(be.Uint32(head[20:24])) == int64(height) &&
		bytes.Equal(tail, pngEnd)
}
