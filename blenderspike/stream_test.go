package blenderspike

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

// endless is a stream of a head and then repeated bytes, as from a pipe
// or a device; it counts what it gives, and fails once it has given
// more than max bytes, so that a reader that does not stop is caught.
type endless struct {
	head   []byte
	repeat byte
	given  int64
	max    int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.given > e.max {
		return 0, errors.New("the stream was read too far")
	}
	n := copy(p, e.head)
	e.head = e.head[n:]
	for i := n; i < len(p); i++ {
		p[i] = e.repeat
	}
	e.given += int64(len(p))
	return len(p), nil
}

// TestReadStreams covers streams that never end: each is refused as soon
// as what has arrived shows it is not a recording, or at the size limit.
func TestReadStreams(t *testing.T) {
	hugeBytes := newPickle().op(opBinBytes8).u64(1 << 40).b
	for _, tc := range []struct {
		name      string
		stream    *endless
		limit     int64
		want      string
		mostGiven int64
	}{
		{"zeros", &endless{max: 64 << 20}, MaxFileSize, "not a pickle of protocol 2 or newer (no PROTO header; first byte 0x00)", firstCheck},
		{"header then zeros", &endless{head: []byte{opProto, 4}, max: 64 << 20}, MaxFileSize, "pickle byte 2 (opcode 0x00): unsupported opcode", firstCheck},
		{"header then NONEs", &endless{head: []byte{opProto, 4}, repeat: opNone, max: 64 << 20}, MaxFileSize, "pickle stack deeper than 262144 values", 4 * maxStack},
		{"bytes without end", &endless{head: hugeBytes, max: 64 << 20}, 1 << 20, "recording larger than 1048576 bytes", 2 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readAll(tc.stream, -1, tc.limit, newBudget(-1))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
			if tc.stream.given > tc.mostGiven {
				t.Errorf("read %d bytes of the stream, want at most %d", tc.stream.given, tc.mostGiven)
			}
		})
	}
}

// TestReadPipeOfZeros reads a real pipe that a writer keeps filling.
func TestReadPipeOfZeros(t *testing.T) {
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		zeros := make([]byte, 64<<10)
		for {
			if _, err := pw.Write(zeros); err != nil {
				return
			}
		}
	}()
	_, _, err = Read(pr)
	pr.Close()
	<-done
	pw.Close()
	if want := "first byte 0x00"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// TestReadDevZero reads a device that never ends, where there is one.
func TestReadDevZero(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero here")
	}
	_, _, err := ReadFile("/dev/zero")
	if want := "/dev/zero: not a pickle"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// TestReadStreamsOfRecordings reads recordings through streams that
// deliver them in pieces: each must read as from its file.
func TestReadStreamsOfRecordings(t *testing.T) {
	for _, name := range []string{"simple_ap.pickle", "l5_bap.pickle"} {
		path := filepath.Join("..", "testdata", name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		wantCell, wantRec, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			name string
			r    func() io.Reader
		}{
			{"whole", func() io.Reader { return bytes.NewReader(data) }},
			{"by halves", func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) }},
			{"by bytes", func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) }},
		} {
			t.Run(name+" "+s.name, func(t *testing.T) {
				cell, rec, err := Read(s.r())
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(cell, wantCell) || !reflect.DeepEqual(rec, wantRec) {
					t.Errorf("Read and ReadFile disagree")
				}
			})
		}
	}
}

func TestReadFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "large.pickle")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// A sparse file: nothing of it needs reading to refuse it.
	if err := f.Truncate(MaxFileSize + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, _, err = ReadFile(path)
	if want := "is larger than the 134217728-byte limit"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error = %v, want %q", err, want)
	}
}

// TestReadChargesTheFile checks that the budget counts the file's own
// buffer, as a stream grows it and as a file is read at once.
func TestReadChargesTheFile(t *testing.T) {
	data, err := os.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []int64{-1, int64(len(data))} {
		b := newBudget(-1)
		var got []byte
		n := allocated(func() { got, err = readAll(bytes.NewReader(data), size, MaxFileSize, b) })
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("size %d: read %d bytes, error %v", size, len(got), err)
		}
		if b.size != int64(len(data)) || b.used < int64(len(data)) || uint64(b.used)+countSlack < n {
			t.Errorf("size %d: budget for %d bytes, %d counted, %d allocated", size, b.size, b.used, n)
		}
	}
}

// TestReadAllLimit reads streams and files of exactly the limit and one
// byte more.
func TestReadAllLimit(t *testing.T) {
	const limit = 100 << 10
	for _, tc := range []struct {
		n    int
		size int64 // -1 for a stream
		want string
	}{
		{limit, -1, ""},
		{limit + 1, -1, "recording larger than 102400 bytes"},
		{limit, limit, ""},
		// A file that grew after it was measured.
		{limit + 1, limit, "recording larger than 102400 bytes"},
	} {
		// A long string in a valid pickle, so that no check stops early.
		data := newPickle().op(opBinUnicode).u32(uint32(tc.n - 8)).op(bytes.Repeat([]byte{'x'}, tc.n-8)...).stop()
		// The last bytes come with io.EOF, as some readers give them.
		got, err := readAll(iotest.DataErrReader(bytes.NewReader(data)), tc.size, limit, newBudget(-1))
		if tc.want == "" && (err != nil || !bytes.Equal(got, data)) {
			t.Errorf("%d bytes, size %d: read %d bytes, error %v", tc.n, tc.size, len(got), err)
		}
		if tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%d bytes, size %d: error %v, want %q", tc.n, tc.size, err, tc.want)
		}
	}
}
