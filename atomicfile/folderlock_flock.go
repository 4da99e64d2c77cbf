//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos

package atomicfile

import (
	"fmt"
	"os"
	"syscall"
)

// LockFolder takes an exclusive lock on the folder dir, waiting for any
// other process that holds it, and returns the function that releases it.
// Processes that each take it around a check and a write of a file in the
// folder see each other's writes whole. Where the file system has no
// locks, it locks nothing.
func LockFolder(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := flock(f, syscall.LOCK_EX); err != nil {
		f.Close()
		if noLocks(err) {
			return func() {}, nil
		}
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	return func() { f.Close() }, nil // closing releases the lock
}
