//go:build !unix

package atomicfile

import "os"

// renameAndClose closes f and renames it to path: this system renames
// only closed files.
func renameAndClose(f *os.File, path string) error {
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// syncDir does nothing: this system does not flush folders on request.
func syncDir(string) error { return nil }
