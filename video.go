package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/spikeframes/spikeframes/atomicfile"
	"github.com/spikeframes/spikeframes/render"
)

// videoSink pipes raw RGB frames, in order, into ffmpeg, which encodes an
// H.264 MP4 into a temporary file renamed into place only when complete.
type videoSink struct {
	path   string
	out    *atomicfile.File // ffmpeg writes it by name
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	stderr lockedBuffer

	mu      sync.Mutex
	turn    *sync.Cond
	next    int // the frame whose turn it is to be written
	aborted bool
}

// videoArgs is ffmpeg's command line for a width × height movie at fps
// frames per second and quality crf, read from standard input.
func videoArgs(width, height int, fps float64, crf int, out string) []string {
	return []string{
		"-hide_banner", "-loglevel", "error", "-y",
		"-f", "rawvideo", "-pix_fmt", "rgb24", "-s", fmt.Sprintf("%dx%d", width, height),
		"-framerate", strconv.FormatFloat(fps, 'g', -1, 64), "-i", "-",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", strconv.Itoa(crf),
		"-movflags", "+faststart", "-f", "mp4", out,
	}
}

// newVideoSink starts ffmpeg (found on PATH) writing path; frames are then
// expected from first on, in order.
func newVideoSink(path string, width, height int, fps float64, crf, first int) (*videoSink, error) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		return nil, fmt.Errorf("--video needs ffmpeg on PATH: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("output folder: %w", err)
	}
	out, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	s := &videoSink{path: path, out: out, next: first}
	s.turn = sync.NewCond(&s.mu)
	s.cmd = exec.Command(ffmpeg, videoArgs(width, height, fps, crf, out.Name())...)
	s.cmd.Stderr = &s.stderr
	if s.stdin, err = s.cmd.StdinPipe(); err == nil {
		err = s.cmd.Start()
	}
	if err != nil {
		out.Abort()
		return nil, fmt.Errorf("starting ffmpeg: %w", err)
	}
	return s, nil
}

func (s *videoSink) done(int) bool { return false }

func (s *videoSink) writer() func(int, *render.Image) error {
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
			return fmt.Errorf("frame %d to ffmpeg: %w%s", k, err, s.ffmpegSaid())
		}
		s.next++
		s.turn.Broadcast()
		return nil
	}
}

func (s *videoSink) abort() {
	s.mu.Lock()
	s.aborted = true
	s.turn.Broadcast()
	s.mu.Unlock()
}

func (s *videoSink) close(ok bool) error {
	s.stdin.Close()
	err := s.cmd.Wait()
	if !ok || err != nil {
		s.out.Abort()
		if ok {
			return fmt.Errorf("ffmpeg failed writing %s: %w%s", s.path, err, s.ffmpegSaid())
		}
		return nil
	}
	return s.out.Commit()
}

// lockedBuffer collects ffmpeg's messages while it runs.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
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
