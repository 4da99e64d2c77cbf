package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progress reports rendered frames on stderr: a bar redrawn in place with
// frames/s and time left when stderr is a terminal, a plain line every few
// seconds when it is not (batch logs), nothing when quiet.
type progress struct {
	mu       sync.Mutex
	w        io.Writer
	tty      bool
	quiet    bool
	total    int
	done     int // frames finished, rendered or skipped
	skipped  int // frames that were already there
	start    time.Time
	last     time.Time
	interval time.Duration
}

// logInterval is how often a batch log gets a progress line.
const logInterval = 5 * time.Second

func newProgress(w io.Writer, total int, quiet bool) *progress {
	f, ok := w.(*os.File)
	tty := ok && term.IsTerminal(int(f.Fd()))
	now := time.Now()
	interval := logInterval
	if tty {
		interval = 100 * time.Millisecond
	}
	return &progress{w: w, tty: tty, quiet: quiet, total: total, start: now, last: now, interval: interval}
}

// frameDone records one more frame done: rendered, or already there
// (skipped); safe for concurrent use.
func (p *progress) frameDone(skipped bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if skipped {
		p.skipped++
	}
	if p.quiet || p.done == p.total {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= p.interval {
		p.last = now
		p.print(now)
	}
}

func (p *progress) print(now time.Time) {
	secs := now.Sub(p.start).Seconds()
	rate := float64(p.done-p.skipped) / secs
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(p.total-p.done) / rate * float64(time.Second))).Round(time.Second).String()
	}
	if !p.tty {
		fmt.Fprintf(p.w, "frames %d/%d (%.1f frames/s, %s left)\n", p.done, p.total, rate, eta)
		return
	}
	const width = 30
	filled := width * p.done / max(1, p.total)
	fmt.Fprintf(p.w, "\r[%s%s] %d/%d  %.1f frames/s  %s left \x1b[K",
		strings.Repeat("=", filled), strings.Repeat(" ", width-filled), p.done, p.total, rate, eta)
}

// finish ends the report with a summary line naming what was done.
func (p *progress) finish(what string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.quiet {
		return
	}
	if p.tty {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
	secs := time.Since(p.start).Seconds()
	rendered := p.done - p.skipped
	already := ""
	if p.skipped > 0 {
		already = fmt.Sprintf(", %d already there", p.skipped)
	}
	fmt.Fprintf(p.w, "%s: %d frames in %.2f s (%.1f frames/s)%s\n", what, rendered, secs, float64(rendered)/max(secs, 1e-9), already)
}
