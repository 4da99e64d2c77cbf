package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// child is the command run in a child process, for tests that signal it.
type child struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stderr bytes.Buffer
	lines  chan string // stderr, line by line
}

// newChild prepares spikeframes with args in a child process.
func newChild(args ...string) *child {
	c := &child{cmd: exec.Command(os.Args[0], args...), lines: make(chan string, 100)}
	c.cmd.Env = append(os.Environ(), "SPIKEFRAMES_RUN_MAIN=1")
	return c
}

// spawn starts spikeframes with args in a child process.
func spawn(t *testing.T, args ...string) *child {
	t.Helper()
	c := newChild(args...)
	c.start(t)
	return c
}

// start starts the child, collecting its stderr.
func (c *child) start(t *testing.T) {
	t.Helper()
	errPipe, err := c.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			c.mu.Lock()
			c.stderr.WriteString(sc.Text() + "\n")
			c.mu.Unlock()
			select {
			case c.lines <- sc.Text():
			default:
			}
		}
		close(c.lines)
	}()
}

func (c *child) said() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stderr.String()
}

// awaitLine waits for a line of stderr holding s.
func (c *child) awaitLine(t *testing.T, s string) {
	t.Helper()
	timeout := time.After(time.Minute)
	for {
		select {
		case line, ok := <-c.lines:
			if !ok {
				t.Fatalf("the command ended without saying %q; stderr: %s", s, c.said())
			}
			if strings.Contains(line, s) {
				return
			}
		case <-timeout:
			t.Fatalf("nothing said %q within a minute; stderr: %s", s, c.said())
		}
	}
}

// exit waits for the child to end and returns its exit status. A child
// still running after a minute has hung: it is killed and the test fails.
func (c *child) exit(t *testing.T) int {
	t.Helper()
	done := make(chan struct{})
	go func() { c.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		c.cmd.Process.Kill()
		<-done
		t.Fatalf("still running a minute after being stopped; stderr: %s", c.said())
	}
	return c.cmd.ProcessState.ExitCode()
}

// awaitFile waits for path to exist.
func awaitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(10 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear within a minute", path)
		}
	}
}
