package hdf5

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// readEverything opens a file held in data and reads all of it: every
// object, attribute and dataset, whole and its first row. It returns the
// first error met; reading goes on past errors, to reach more code.
func readEverything(data []byte, readLimit int64) error {
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	f.SetReadLimit(readLimit)
	var first error
	note := func(err error) {
		if first == nil {
			first = err
		}
	}
	err = f.Root().Walk(func(obj Object) error {
		names, err := obj.Attrs()
		note(err)
		for _, name := range names {
			a, err := obj.Attr(name)
			if err != nil {
				note(err)
				continue
			}
			note(readValues(a, a.DType().Kind))
		}
		if g, ok := obj.(*Group); ok {
			// Links that point nowhere are no error of the file's.
			for _, name := range g.Members() {
				g.Object(name)
			}
		}
		ds, ok := obj.(*Dataset)
		if !ok {
			return nil
		}
		note(readValues(ds, ds.DType().Kind))
		if shape := ds.Shape(); len(shape) > 0 && shape[0] > 0 {
			count := append([]uint64{1}, shape[1:]...)
			note(readValues(slab{ds, make([]uint64, len(shape)), count}, ds.DType().Kind))
		}
		return nil
	})
	note(err)
	return first
}

// slab reads a box of a dataset as a reader.
type slab struct {
	ds           *Dataset
	start, count []uint64
}

func (s slab) ReadFloat64() ([]float64, error) { return s.ds.ReadFloat64Slab(s.start, s.count) }
func (s slab) ReadInt64() ([]int64, error)     { return s.ds.ReadInt64Slab(s.start, s.count) }
func (s slab) ReadStrings() ([]string, error)  { return s.ds.ReadStringsSlab(s.start, s.count) }

func readValues(r reader, kind Kind) error {
	var err error
	switch kind {
	case Integer:
		_, err = r.ReadInt64()
		if err != nil && strings.Contains(err.Error(), "does not fit in an int64") {
			_, err = r.ReadFloat64()
		}
	case Float:
		_, err = r.ReadFloat64()
	case String, VarString:
		_, err = r.ReadStrings()
	}
	if errors.Is(err, ErrUnsupported) {
		return nil
	}
	return err
}

// allocated is how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// testFiles are the generated files and the morphologies.
func testFiles(t *testing.T) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob("testdata/*.h5")
	if err != nil {
		t.Fatal(err)
	}
	more, err := filepath.Glob("../testdata/morphologies/neurom/*.h5")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range append(paths, more...) {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

// TestIntactFilesReadWhole is the baseline of the hostile tests: the
// files as written read without a single error.
func TestIntactFilesReadWhole(t *testing.T) {
	for name, data := range testFiles(t) {
		if err := readEverything(data, 1<<30); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestTruncated cuts every file at many places. As cut, each is refused
// at once: the superblock says how long the file is. With the superblock
// made to agree, reading it finds the missing parts, and neither panics
// nor allocates much.
func TestTruncated(t *testing.T) {
	for name, data := range testFiles(t) {
		cuts := []int{0, 1, 7, 8, 100, len(data) - 1}
		for i := 1; i < 40; i++ {
			cuts = append(cuts, len(data)*i/40)
		}
		for _, n := range cuts {
			if err := readEverything(data[:n], 1<<30); err == nil {
				t.Errorf("%s cut at %d: read without error", name, n)
			}
			cut, ok := setEOF(data[:n])
			if !ok {
				continue
			}
			if a := allocated(func() { readEverything(cut, 1<<30) }); a > 4<<20 {
				t.Errorf("%s cut at %d: %d bytes allocated", name, n, a)
			}
		}
	}
}

// setEOF returns a copy of a file (cut short) whose superblock gives its
// length as its end, for superblocks at the start of the file with 8-byte
// addresses.
func setEOF(data []byte) ([]byte, bool) {
	if len(data) < 48 || string(data[:8]) != string(signature) {
		return nil, false
	}
	out := bytes.Clone(data)
	switch {
	case data[8] == 0 && data[13] == 8:
		binary.LittleEndian.PutUint64(out[40:], uint64(len(out)))
	case (data[8] == 2 || data[8] == 3) && data[9] == 8:
		binary.LittleEndian.PutUint64(out[28:], uint64(len(out)))
		binary.LittleEndian.PutUint32(out[44:], lookup3(out[:44]))
	default:
		return nil, false
	}
	return out, true
}

// TestFlippedBytes corrupts one byte at a time at many places: reading
// may fail or give other values, but never panics and stays in bounded
// memory.
func TestFlippedBytes(t *testing.T) {
	tries := 60
	if testing.Short() {
		tries = 10
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for name, data := range testFiles(t) {
		bad := bytes.Clone(data)
		for range tries {
			i := rng.IntN(len(bad))
			bad[i] ^= byte(1 + rng.IntN(255))
			if a := allocated(func() { readEverything(bad, 4<<20) }); a > 64<<20 {
				t.Errorf("%s with byte %d changed: %d bytes allocated", name, i, a)
			}
			bad[i] = data[i]
		}
	}
}

// TestAddressesPastTheEnd points address-sized fields of the earliest
// format's metadata (which has no checksums) past the end of the file,
// one at a time: reading may fail but never panics or allocates much.
func TestAddressesPastTheEnd(t *testing.T) {
	data, err := os.ReadFile("testdata/small.h5")
	if err != nil {
		t.Fatal(err)
	}
	end := uint64(len(data))
	bad := bytes.Clone(data)
	hit := 0
	for i := 0; i+8 <= len(data); i += 8 {
		v := binary.LittleEndian.Uint64(data[i:])
		if v == 0 || v >= end || v%8 != 0 {
			continue
		}
		hit++
		binary.LittleEndian.PutUint64(bad[i:], end+4096)
		if a := allocated(func() { readEverything(bad, 4<<20) }); a > 16<<20 {
			t.Errorf("value at %d moved past the end: %d bytes allocated", i, a)
		}
		copy(bad[i:], data[i:i+8])
	}
	if hit < 50 {
		t.Errorf("only %d fields looked like addresses", hit)
	}
}

// TestRootPastTheEnd: a superblock whose root group is past the end.
func TestRootPastTheEnd(t *testing.T) {
	data, err := os.ReadFile("testdata/earliest.h5")
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Clone(data)
	// Superblock 0: the root's symbol table entry follows four addresses
	// at byte 24; its object header address is the entry's second field.
	binary.LittleEndian.PutUint64(bad[24+4*8+8:], uint64(len(data)+10))
	err = readEverything(bad, 1<<30)
	if err == nil || !strings.Contains(err.Error(), "past the end of the file") {
		t.Errorf("got %v, want an address past the end", err)
	}
}

// headerChunk0 returns where a version 1 object header's first chunk of
// messages is and how long it is.
func headerChunk0(data []byte, addr uint64) (uint64, uint64) {
	return addr + 16, uint64(binary.LittleEndian.Uint32(data[addr+8:]))
}

// continuationV2 finds the continuation message in the first chunk of
// the version 2 object header at addr: the chunk it names, and the size
// of the header's message headers.
func continuationV2(data []byte, addr uint64) (chunk, size, head uint64) {
	flags := data[addr+5]
	at := addr + 6
	if flags&0x20 != 0 {
		at += 16
	}
	if flags&0x10 != 0 {
		at += 4
	}
	n := uint64(1) << (flags & 3)
	end := at + n + leUint(data[at:at+n])
	at += n
	head = 4
	if flags&0x04 != 0 {
		head = 6
	}
	for at+head <= end {
		if data[at] == msgContinuation {
			return binary.LittleEndian.Uint64(data[at+head:]), binary.LittleEndian.Uint64(data[at+head+8:]), head
		}
		at += head + uint64(binary.LittleEndian.Uint16(data[at+1:]))
	}
	return 0, 0, 0
}

// TestContinuationCycle points an object header's continuation message
// back at the chunk that holds it.
func TestContinuationCycle(t *testing.T) {
	t.Run("version 1", func(t *testing.T) {
		data, err := os.ReadFile("testdata/earliest.h5")
		if err != nil {
			t.Fatal(err)
		}
		f, err := NewFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		chunk, size := headerChunk0(data, f.rootAddr)
		bad := bytes.Clone(data)
		patched := false
		for at := chunk; at+8 <= chunk+size; {
			typ := binary.LittleEndian.Uint16(data[at:])
			n := uint64(binary.LittleEndian.Uint16(data[at+2:]))
			if typ == msgContinuation {
				binary.LittleEndian.PutUint64(bad[at+8:], chunk)
				binary.LittleEndian.PutUint64(bad[at+16:], size)
				patched = true
				break
			}
			at += 8 + n
		}
		if !patched {
			t.Fatal("the root group's header has no continuation")
		}
		_, err = NewFile(bytes.NewReader(bad), int64(len(bad)))
		if err == nil || !strings.Contains(err.Error(), "a cycle") {
			t.Errorf("got %v, want a cycle", err)
		}
	})
	t.Run("version 2", func(t *testing.T) {
		data, err := os.ReadFile("testdata/latest.h5")
		if err != nil {
			t.Fatal(err)
		}
		f, err := NewFile(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		// The continuation chunk ("OCHK") the root header names: rewrite
		// its first message into a continuation to itself.
		at, size, head := continuationV2(data, f.rootAddr)
		if size == 0 {
			t.Fatal("the root group's header has no continuation")
		}
		msg := at + 4
		if n := binary.LittleEndian.Uint16(data[msg+1:]); n < 16 {
			t.Fatalf("first message of the continuation chunk: %d bytes", n)
		}
		bad := bytes.Clone(data)
		bad[msg] = msgContinuation
		binary.LittleEndian.PutUint64(bad[msg+head:], at)
		binary.LittleEndian.PutUint64(bad[msg+head+8:], size)
		binary.LittleEndian.PutUint32(bad[at+size-4:], lookup3(bad[at:at+size-4]))
		_, err = NewFile(bytes.NewReader(bad), int64(len(bad)))
		if err == nil || !strings.Contains(err.Error(), "a cycle") {
			t.Errorf("got %v, want a cycle", err)
		}
	})
}

// TestHugeDimensions claims 2^40 rows for the datasets of 20 × 12 of the
// earliest format file: contiguous ones are refused when opened (their
// data cannot hold that many), chunked ones when read whole, while a row
// of them still reads, in little memory.
func TestHugeDimensions(t *testing.T) {
	data, err := os.ReadFile("testdata/earliest.h5")
	if err != nil {
		t.Fatal(err)
	}
	var dims [16]byte
	binary.LittleEndian.PutUint64(dims[:], 20)
	binary.LittleEndian.PutUint64(dims[8:], 12)
	bad := bytes.ReplaceAll(data, dims[:], append(binary.LittleEndian.AppendUint64(nil, 1<<40), dims[8:]...))
	f, err := NewFile(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Root().Dataset("/layouts/contiguous"); err == nil || !strings.Contains(err.Error(), "contiguous data of 960 bytes") {
		t.Errorf("contiguous: got %v, want too little data", err)
	}
	ds, err := f.Root().Dataset("/layouts/deflate")
	if err != nil {
		t.Fatal(err)
	}
	var row []float64
	if a := allocated(func() {
		if _, err = ds.ReadFloat64(); err == nil || !strings.Contains(err.Error(), "read limit") {
			t.Errorf("whole: got %v, want the read limit", err)
		}
		row, err = ds.ReadFloat64Slab([]uint64{1 << 39, 0}, []uint64{1, 12})
	}); a > 1<<20 {
		t.Errorf("%d bytes allocated", a)
	}
	if err != nil || len(row) != 12 || row[0] != 0 {
		t.Errorf("a row past the chunks written: %v, %v; want 12 fill values", row, err)
	}
}

// TestDeflateBomb replaces a chunk with a deflate stream of 16 MiB of
// zeros: the chunk is refused once it inflates past its size.
func TestDeflateBomb(t *testing.T) {
	data, err := os.ReadFile("testdata/earliest.h5")
	if err != nil {
		t.Fatal(err)
	}
	var bomb bytes.Buffer
	w := zlib.NewWriter(&bomb)
	w.Write(make([]byte, 16<<20))
	w.Close()
	f, err := NewFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	ds, err := f.Root().Dataset("/layouts/deflate")
	if err != nil {
		t.Fatal(err)
	}
	// The chunk B-tree's root is a leaf; its first key and child are
	// chunk (0, 0): its stored size and its address.
	node := ds.layout.addr + 8 + 2*8
	bad := append(bytes.Clone(data), bomb.Bytes()...)
	binary.LittleEndian.PutUint32(bad[node:], uint32(bomb.Len()))
	binary.LittleEndian.PutUint64(bad[node+32:], uint64(len(data)))
	f, err = NewFile(bytes.NewReader(bad), int64(len(bad)))
	if err != nil {
		t.Fatal(err)
	}
	if ds, err = f.Root().Dataset("/layouts/deflate"); err != nil {
		t.Fatal(err)
	}
	if a := allocated(func() { _, err = ds.ReadFloat64() }); a > 2<<20 {
		t.Errorf("%d bytes allocated", a)
	}
	if err == nil || !strings.Contains(err.Error(), "inflates to more than") {
		t.Errorf("got %v, want a chunk that inflates too far", err)
	}
}
