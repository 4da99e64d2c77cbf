package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// stopGrace is how long a stopping command may take to finish the frames
// in flight and tidy up before the process ends regardless: a stop must
// never hang on a stuck encoder, a slow file system or a blocked read.
const stopGrace = 10 * time.Second

// interruption turns SIGINT and SIGTERM into a clean stop. The first
// signal closes stopped(): the command finishes what is in flight, removes
// its temporary files and returns the signal's exit status. A second
// signal, or stopGrace without the command finishing, ends the process at
// once with that status.
type interruption struct {
	signals chan os.Signal
	stop    chan struct{} // closed on the first signal
	sig     os.Signal     // the first signal; set before stop is closed
	done    chan struct{} // closed by release
	exit    func(status int)
}

// catchInterrupts starts catching SIGINT and SIGTERM for command name,
// telling stderr what happens. exit ends the process (os.Exit outside
// tests). SIGINT is left alone when the process was started ignoring it,
// as background jobs of a shell are.
func catchInterrupts(name string, stderr io.Writer, grace time.Duration, exit func(int)) *interruption {
	in := &interruption{
		signals: make(chan os.Signal, 2),
		stop:    make(chan struct{}),
		done:    make(chan struct{}),
		exit:    exit,
	}
	caught := []os.Signal{syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGINT) {
		caught = append(caught, syscall.SIGINT)
	}
	signal.Notify(in.signals, caught...)
	go in.watch(name, stderr, grace)
	return in
}

func (in *interruption) watch(name string, stderr io.Writer, grace time.Duration) {
	select {
	case in.sig = <-in.signals:
		close(in.stop)
	case <-in.done:
		return
	}
	fmt.Fprintf(stderr, "spikeframes %s: %v: stopping cleanly (signal again to stop at once)\n", name, in.sig)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case s := <-in.signals:
		fmt.Fprintf(stderr, "spikeframes %s: %v again: stopped at once; the next run removes any temporary files left\n", name, s)
	case <-timer.C:
		fmt.Fprintf(stderr, "spikeframes %s: not stopped after %v: stopped at once; the next run removes any temporary files left\n", name, grace)
	case <-in.done:
		return
	}
	in.exit(in.status())
}

// stopped is closed on the first signal.
func (in *interruption) stopped() <-chan struct{} { return in.stop }

// caught reports whether a signal has arrived.
func (in *interruption) caught() bool {
	select {
	case <-in.stop:
		return true
	default:
		return false
	}
}

// status is the exit status for the signal caught: 143 after SIGTERM,
// 130 after SIGINT.
func (in *interruption) status() int {
	if in.sig == syscall.SIGTERM {
		return exitTerminated
	}
	return exitInterrupted
}

// release stops catching signals; the command has finished.
func (in *interruption) release() {
	signal.Stop(in.signals)
	close(in.done)
}
