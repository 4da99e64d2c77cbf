//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd || illumos)

package atomicfile

// LockFolder locks nothing: this system has no file locks.
func LockFolder(dir string) (unlock func(), err error) { return func() {}, nil }
