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
// reported no error and the file holds a whole MP4. Workers hand their
// frames over and go on rendering; one goroutine feeds ffmpeg in frame
// order, so a worker waits only when it runs a whole window of frames ahead
// of the frame ffmpeg needs next.
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

	mu       sync.Mutex
	changed  *sync.Cond     // a frame was handed over or fed, or the sink is ending
	next     int            // the frame ffmpeg needs next
	window   int            // how far ahead of next a frame may be handed over: one per worker, and one
	pending  map[int][]byte // frames handed over, not yet fed
	free     [][]byte       // buffers fed, to be reused
	closing  bool           // no more frames come
	aborted  bool
	writeErr error         // why feeding ffmpeg failed
	fed      chan struct{} // closed when the feeding goroutine has ended
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
// frames per second, quality crf and x264 speed preset, read from
// standard input.
func videoArgs(width, height int, fps float64, crf int, preset, out string) []string {
	return []string{
		"-nostdin", "-hide_banner", "-loglevel", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", width, height),
		"-framerate", strconv.FormatFloat(fps, 'g', -1, 64), "-i", "-",
		"-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p", "-crf", strconv.Itoa(crf),
		"-movflags", "+faststart", "-f", "mp4", out,
	}
}

// newVideoSink starts ffmpeg writing path; frames are then expected from
// first on, in order. ffmpeg runs in a process group of its own, so that a
// Ctrl-C meant for spikeframes reaches it only through spikeframes, which
// stops it. Temporary files a killed run left for path are removed first.
func newVideoSink(ffmpeg, path string, width, height int, fps float64, crf int, preset string, first int) (*videoSink, error) {
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
	s := &videoSink{path: path, out: out, next: first, window: 1, pending: map[int][]byte{}, fed: make(chan struct{})}
	s.changed = sync.NewCond(&s.mu)
	s.cmd = exec.Command(ffmpeg, videoArgs(width, height, fps, crf, preset, out.Name())...)
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
	go s.feed()
	return s, nil
}

// Done reports false: a movie is always written whole.
func (s *videoSink) Done(int) bool { return false }

// Writer returns a worker's writer: it copies the frame for the feeding
// goroutine and returns, waiting only while the frame is a window ahead of
// the one ffmpeg needs next.
func (s *videoSink) Writer() func(int, *render.Image) error {
	s.mu.Lock()
	s.window++
	s.mu.Unlock()
	return func(k int, img *render.Image) error {
		s.mu.Lock()
		for k >= s.next+s.window && !s.aborted && s.writeErr == nil {
			s.changed.Wait()
		}
		if s.aborted || s.writeErr != nil {
			err := s.writeErr
			s.mu.Unlock()
			return err
		}
		var buf []byte
		if n := len(s.free); n > 0 {
			buf, s.free = s.free[n-1], s.free[:n-1]
		}
		s.mu.Unlock()
		buf = append(buf[:0], img.Pix...)
		s.mu.Lock()
		s.pending[k] = buf
		s.changed.Broadcast()
		s.mu.Unlock()
		return nil
	}
}

// feed writes the handed-over frames to ffmpeg in order until the sink
// is closed and every frame fed, or aborted, or ffmpeg stops reading.
func (s *videoSink) feed() {
	defer close(s.fed)
	s.mu.Lock()
	defer s.mu.Unlock()
	for {
		buf, ok := s.pending[s.next]
		for !ok && !s.aborted && !s.closing {
			s.changed.Wait()
			buf, ok = s.pending[s.next]
		}
		if !ok || s.aborted {
			return
		}
		delete(s.pending, s.next)
		s.mu.Unlock()
		_, err := s.stdin.Write(buf)
		s.mu.Lock()
		s.free = append(s.free, buf)
		if err != nil {
			// ffmpeg stopped reading: it is ending. Its exit says why;
			// writers and Abort need not wait for it meanwhile.
			s.mu.Unlock()
			s.stdin.Close()
			if werr := s.waitFFmpeg(); werr != nil {
				err = werr
			}
			s.mu.Lock()
			s.writeErr = fmt.Errorf("ffmpeg failed writing %s: it stopped reading at frame %d: %w%s", s.path, s.next, err, s.ffmpegSaid())
			s.changed.Broadcast()
			return
		}
		s.next++
		s.changed.Broadcast()
	}
}

// Abort kills ffmpeg, which unblocks the feeder stuck on a full pipe,
// and wakes the writers waiting for their turn.
func (s *videoSink) Abort() {
	s.procMu.Lock()
	if !s.waited {
		killProcessGroup(s.cmd.Process)
	}
	s.procMu.Unlock()
	s.mu.Lock()
	s.aborted = true
	s.changed.Broadcast()
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
	if !ok {
		s.Abort() // the feeder may be stuck on a full pipe
	}
	s.mu.Lock()
	s.closing = true
	s.changed.Broadcast()
	s.mu.Unlock()
	<-s.fed
	s.stdin.Close()
	err := s.waitFFmpeg()
	if !ok {
		s.out.Abort()
		return nil
	}
	s.mu.Lock()
	writeErr, left := s.writeErr, len(s.pending)
	s.mu.Unlock()
	if writeErr != nil {
		s.out.Abort()
		return writeErr
	}
	if left > 0 {
		s.out.Abort()
		return fmt.Errorf("writing %s: %d frames were never fed to ffmpeg", s.path, left)
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
