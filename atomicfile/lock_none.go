//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos)

package atomicfile

import "os"

// lockNew keeps the file unlocked: this system has no file locks.
func lockNew(*os.File) (kept bool, err error) { return true, nil }

// tryLock reports every lock as taken: without file locks, a temporary
// file's writer cannot be told, so RemoveStale keeps the file.
func tryLock(*os.File) (free bool, err error) { return false, nil }
