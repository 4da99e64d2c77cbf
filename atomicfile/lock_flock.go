//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// lockNew takes the lock on a temporary file just created. It waits for
// a clean-up that holds it at that moment, then reports whether the file
// is still in its folder (false: a clean-up removed it first). Where the
// file system has no locks, the file is kept unlocked.
func lockNew(f *os.File) (kept bool, err error) {
	if err := flock(f, syscall.LOCK_EX); err != nil {
		if noLocks(err) {
			return true, nil
		}
		return false, err
	}
	st, err := f.Stat()
	if err != nil {
		return false, err
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); ok && sys.Nlink == 0 {
		return false, nil
	}
	return true, nil
}

// tryLock takes f's lock without waiting and reports whether it was free.
// Where the file system has no locks, it reports the lock as taken: the
// file's writer cannot be told.
func tryLock(f *os.File) (free bool, err error) {
	err = flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, syscall.EWOULDBLOCK) || noLocks(err):
		return false, nil
	}
	return false, err
}

// flock is syscall.Flock on f, retried when a signal interrupts it.
func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		if !errors.Is(err, syscall.EINTR) {
			return err
		}
	}
}

// noLocks reports whether err says the file system does not lock files.
func noLocks(err error) bool {
	return errors.Is(err, syscall.ENOSYS) || errors.Is(err, syscall.ENOLCK) ||
		errors.Is(err, syscall.EOPNOTSUPP) || errors.Is(err, syscall.EINVAL)
}
