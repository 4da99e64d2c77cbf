package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
)

// pngSignature starts every PNG file.
var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// maxPNGChunk is the largest chunk length PNG allows (2³¹ − 1).
const maxPNGChunk = 1<<31 - 1

// completePNG reports whether path holds a whole PNG picture of width ×
// height: the signature, then chunks that each fill their length and
// match their checksum, the first an IHDR of that size and the last an
// IEND at the very end of the file. It reads the whole file: frames are
// renamed into place whole, but a system crash before the run flushed them
// to disk can leave a frame empty, cut short or with blocks of zeros, and
// only the checksums tell the last.
func completePNG(path string, width, height int) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return false
	}
	r := bufio.NewReaderSize(f, 64<<10)
	var sig [8]byte
	if _, err := io.ReadFull(r, sig[:]); err != nil || !bytes.Equal(sig[:], pngSignature) {
		return false
	}
	for first := true; ; first = false {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return false
		}
		n, kind := binary.BigEndian.Uint32(hdr[:4]), string(hdr[4:])
		if n > maxPNGChunk || (first && (kind != "IHDR" || n != 13)) {
			return false
		}
		crc := crc32.NewIEEE()
		crc.Write(hdr[4:])
		if first {
			var ihdr [13]byte
			if _, err := io.ReadFull(r, ihdr[:]); err != nil {
				return false
			}
			crc.Write(ihdr[:])
			if int64(binary.BigEndian.Uint32(ihdr[0:4])) != int64(width) || int64(binary.BigEndian.Uint32(ihdr[4:8])) != int64(height) {
				return false
			}
		} else if _, err := io.CopyN(crc, r, int64(n)); err != nil {
			return false
		}
		var sum [4]byte
		if _, err := io.ReadFull(r, sum[:]); err != nil || binary.BigEndian.Uint32(sum[:]) != crc.Sum32() {
			return false
		}
		if kind == "IEND" {
			_, err := r.ReadByte()
			return n == 0 && err == io.EOF // nothing after it
		}
	}
}
