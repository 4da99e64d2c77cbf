package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/render"
)

// ffmpegWaitDelay bounds the wait for ffmpeg's output pipes to close once
// ffmpeg has exited (a process it started could hold them open).
const ffmpegWaitDelay = 5 * time.Second

// videoSink pipes raw RGB frames, in order, into ffmpeg, which encodes an
// H.264 MP4 into a temporary file renamed into place only when ffmpeg
// reported no error and the file holds a whole MP4.
type videoSink struct {
	path   string
	out    *atomicfile.File // ffmpeg writes it by name
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr tailBuffer

	waitOnce sync.Once
	waitErr  error
	procMu   sync.Mutex
	waited   bool // ffmpeg has exited and been waited for: its ID may be reused

	mu      sync.Mutex
	turn    *sync.Cond
	next    int // the frame whose turn it is to be written
	aborted bool
}

// findFFmpeg returns the path of ffmpeg on PATH.
func findFFmpeg() (string, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return "", fmt.Errorf("--video needs ffmpeg on PATH: %w", err)
	}
	return ffmpeg, nil
}

// videoArgs is ffmpeg's command line for a width × height movie at fps
// frames per second and quality crf, read from standard input.
func videoArgs(width, height int, fps float64, crf int, out string) []string {
	return []string{
		"-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", width, height),
		"-framerate", strconv.FormatFloat(fps, 'g', -1, 64), "-i", "-",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", strconv.Itoa(crf),
		"-movflags", "+faststart", "-f", "mp4", out,
	}
}

// newVideoSink starts ffmpeg writing path; frames are then expected from
// first on, in order. ffmpeg runs in a process group of its own, so that a
// Ctrl-C meant for spikeframes reaches it only through spikeframes, which
// stops it. Temporary files a killed run left for path are removed first.
func newVideoSink(ffmpeg, path string, width, height int, fps float64, crf, first int) (*videoSink, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	base := filepath.Base(path)
	if _, err := atomicfile.RemoveStale(dir, func(target string) bool { return target == base }); err != nil {
		return nil, err
	}
	out, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	s := &videoSink{path: path, out: out, next: first}
	s.turn = sync.NewCond(&s.mu)
	s.cmd = exec.Command(ffmpeg, videoArgs(width, height, fps, crf, out.Name())...)
	s.cmd.Stderr = &s.stderr
	s.cmd.WaitDelay = ffmpegWaitDelay
	ownProcessGroup(s.cmd)
	if s.stdin, err = s.cmd.StdinPipe(); err == nil {
		err = s.cmd.Start()
	}
	if err != nil {
		out.Abort()
		return nil, fmt.Errorf("starting ffmpeg: %w", err)
	}
	return s, nil
}

// Done reports false: a movie is always written whole.
func (s *videoSink) Done(int) bool { return false }

// Writer returns a worker's writer: frames go to ffmpeg's pipe in order,
// each waiting for its turn.
func (s *videoSink) Writer() func(int, *render.Image) error {
	return func(k int, img *render.Image) error {
		s.mu.Lock()
		defer s.mu.Unlock()
		for s.next != k && !s.aborted {
			s.turn.Wait()
		}
		if s.aborted {
			return nil
		}
		if _, err := s.stdin.Write(img.Pix); err != nil {
			// ffmpeg stopped reading: it is ending. Its exit says why.
			s.stdin.Close()
			if werr := s.waitFFmpeg(); werr != nil {
				err = werr
			}
			return fmt.Errorf("ffmpeg failed writing %s: it stopped reading at frame %d: %w%s", s.path, k, err, s.ffmpegSaid())
		}
		s.next++
		s.turn.Broadcast()
		return nil
	}
}

// Abort kills ffmpeg, which unblocks a writer stuck on a full pipe, and
// wakes the writers waiting for their turn.
func (s *videoSink) Abort() {
	s.procMu.Lock()
	if !s.waited {
		killProcessGroup(s.cmd.Process)
	}
	s.procMu.Unlock()
	s.mu.Lock()
	s.aborted = true
	s.turn.Broadcast()
	s.mu.Unlock()
}

// waitFFmpeg waits, once, for ffmpeg to exit and returns how it ended.
func (s *videoSink) waitFFmpeg() error {
	s.waitOnce.Do(func() {
		s.waitErr = s.cmd.Wait()
		s.procMu.Lock()
		s.waited = true
		s.procMu.Unlock()
	})
	return s.waitErr
}

// Close ends ffmpeg's input and waits for it; the movie is renamed into
// place only when ok and when ffmpeg said nothing and wrote a whole MP4.
func (s *videoSink) Close(ok bool) error {
	s.stdin.Close()
	err := s.waitFFmpeg()
	if !ok {
		s.out.Abort()
		return nil
	}
	if err == nil && strings.TrimSpace(s.stderr.String()) != "" {
		err = errors.New("it reported an error")
	}
	if err == nil {
		err = checkMP4(s.out.File)
	}
	if err != nil {
		s.out.Abort()
		return fmt.Errorf("ffmpeg failed writing %s: %w%s", s.path, err, s.ffmpegSaid())
	}
	return s.out.Commit()
}

// tailBuffer keeps the last tailBytes of what ffmpeg writes to stderr.
type tailBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const tailBytes = 16 << 10

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if extra := b.buf.Len() - tailBytes; extra > 0 {
		b.buf.Next(extra)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// ffmpegSaid is ffmpeg's last error line, for messages.
func (s *videoSink) ffmpegSaid() string {
	lines := strings.Split(strings.TrimSpace(s.stderr.String()), "\n")
	if last := lines[len(lines)-1]; last != "" {
		return " (ffmpeg: " + last + ")"
	}
	return ""
}

// checkMP4 checks that f holds a whole MP4 file: top-level boxes that
// tile it exactly, an ftyp box first, the movie's index (moov) and its
// data (mdat). A file cut short, or one ffmpeg never finished, fails.
func checkMP4(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	size := st.Size()
	if size == 0 {
		return errors.New("the movie is empty")
	}
	seen := map[string]bool{}
	var hdr [16]byte
	for off := int64(0); off < size; {
		if size-off < 8 {
			return fmt.Errorf("the movie ends inside a box header at byte %d", off)
		}
		if _, err := f.ReadAt(hdr[:8], off); err != nil {
			return err
		}
		n, kind, header := int64(binary.BigEndian.Uint32(hdr[:4])), string(hdr[4:8]), int64(8)
		switch n {
		case 0: // the box runs to the end of the file
			n = size - off
		case 1: // a 64-bit size follows the type
			if size-off < 16 {
				return fmt.Errorf("the movie ends inside a box header at byte %d", off)
			}
			if _, err := f.ReadAt(hdr[8:16], off+8); err != nil {
				return err
			}
			n, header = int64(binary.BigEndian.Uint64(hdr[8:16])), 16
		}
		if n < header || n > size-off {
			return fmt.Errorf("box %q at byte %d runs past the end of the movie (cut short?)", kind, off)
		}
		if off == 0 && kind != "ftyp" {
			return fmt.Errorf("the movie starts with %q, not an MP4 ftyp box", kind)
		}
		seen[kind] = true
		off += n
	}
	for _, kind := range []string{"moov", "mdat"} {
		if !seen[kind] {
			return fmt.Errorf("the movie has no %s box", kind)
		}
	}
	return nil
}
