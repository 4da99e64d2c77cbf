//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"syscall"
)

// renameAndClose renames f to path while f is still open, so its lock is
// held until it has its final name, then closes it.
func renameAndClose(f *os.File, path string) error {
	err := os.Rename(f.Name(), path)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// syncDir flushes a folder's entries (a rename) to disk. File systems that
// cannot flush a folder are left to do what they do.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
