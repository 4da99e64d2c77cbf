package render

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"

	"github.com/klauspost/compress/zlib"
)

// PNGEncoder writes Images as 8-bit RGB PNG files. It keeps its buffers
// between calls, so a worker encoding frame after frame allocates nothing;
// it is not safe for concurrent use.
type PNGEncoder struct {
	raw  []byte // filtered scanlines
	zbuf bytes.Buffer
	zw   *zlib.Writer
	out  bytes.Buffer
}

// NewPNGEncoder returns an encoder that compresses at deflate's fastest
// level.
func NewPNGEncoder() *PNGEncoder {
	e := &PNGEncoder{}
	e.zw, _ = zlib.NewWriterLevel(&e.zbuf, zlib.BestSpeed) // a valid level cannot fail
	return e
}

var pngSignature = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}

// PNG filter types (PNG specification, section 9).
const (
	filterNone = 0
	filterSub  = 1
)

// Encode writes img to w as a PNG.
func (e *PNGEncoder) Encode(w io.Writer, img *Image) error {
	if img.Width <= 0 || img.Height <= 0 {
		return fmt.Errorf("png: empty %d×%d picture", img.Width, img.Height)
	}
	e.filter(img)
	e.zbuf.Reset()
	e.zw.Reset(&e.zbuf)
	if _, err := e.zw.Write(e.raw); err != nil {
		return fmt.Errorf("png: compressing: %w", err)
	}
	if err := e.zw.Close(); err != nil {
		return fmt.Errorf("png: compressing: %w", err)
	}
	e.out.Reset()
	e.out.Write(pngSignature)
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(img.Width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(img.Height))
	ihdr[8], ihdr[9] = 8, 2 // 8 bits per sample, truecolour RGB
	e.chunk("IHDR", ihdr[:])
	e.chunk("IDAT", e.zbuf.Bytes())
	e.chunk("IEND", nil)
	_, err := w.Write(e.out.Bytes())
	return err
}

// filter lays out the scanlines, each behind its filter-type byte. Every
// row uses the Sub filter, which turns runs of equal pixels (most of a dark
// background, the inside of a flat-coloured tube) into zeros.
func (e *PNGEncoder) filter(img *Image) {
	stride := 3 * img.Width
	n := (stride + 1) * img.Height
	if cap(e.raw) < n {
		e.raw = make([]byte, n)
	}
	e.raw = e.raw[:n]
	for y := 0; y < img.Height; y++ {
		row := img.Pix[y*stride : (y+1)*stride]
		dst := e.raw[y*(stride+1) : (y+1)*(stride+1)]
		dst[0] = filterSub
		copy(dst[1:4], row[:3])
		for i := 3; i < stride; i++ {
			dst[1+i] = row[i] - row[i-3]
		}
	}
}

// chunk appends a PNG chunk with its length and CRC.
func (e *PNGEncoder) chunk(kind string, data []byte) {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], kind)
	e.out.Write(hdr[:])
	e.out.Write(data)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	var sum [4]byte
	binary.BigEndian.PutUint32(sum[:], crc.Sum32())
	e.out.Write(sum[:])
}

// WritePNG writes img to path atomically: it encodes into a temporary file
// in the same folder and renames it into place, so the path never holds a
// partial picture, even if the process is killed.
func (e *PNGEncoder) WritePNG(path string, img *Image) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if err != nil {
		return err
	}
	err = tmp.Chmod(0o644)
	if err == nil {
		err = e.Encode(tmp, img)
	}
	if err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
