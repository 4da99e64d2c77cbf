package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// File is a temporary file that becomes its target path on Commit.
type File struct {
	*os.File
	path string
}

// createAttempts bounds how often Create starts again when another
// process's RemoveStale deleted its new temporary file before it was
// locked: that takes a clean-up racing each attempt.
const createAttempts = 8

// Create opens a temporary file beside path, named ".BASE.RANDOM.tmp",
// and locks it until Commit or Abort.
func Create(path string) (*File, error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	for range createAttempts {
		f, err := os.CreateTemp(dir, "."+base+".*.tmp")
		if err != nil {
			return nil, fmt.Errorf("writing %s: %w", path, err)
		}
		kept, err := lockNew(f)
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			return nil, fmt.Errorf("writing %s: locking %s: %w", path, f.Name(), err)
		}
		if kept {
			return &File{File: f, path: path}, nil
		}
		f.Close() // removed before we held it: start again
	}
	return nil, fmt.Errorf("writing %s: temporary files in %s keep disappearing", path, dir)
}

// Commit flushes the file to disk, makes it readable by all (0644),
// renames it to its target path and flushes the folder, so that after a
// crash the path holds either the old file or the whole new one. On
// failure the temporary file is removed.
func (f *File) Commit() error {
	if err := f.commit(true); err != nil {
		return err
	}
	if err := syncDir(filepath.Dir(f.path)); err != nil {
		return fmt.Errorf("writing %s: flushing its folder: %w", f.path, err)
	}
	return nil
}

// commit is Commit without flushing the folder, and without flushing
// the file unless flush.
func (f *File) commit(flush bool) error {
	var err error
	if flush {
		err = f.Sync()
	}
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = renameAndClose(f.File, f.path)
	} else {
		f.Close()
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("writing %s: %w", f.path, err)
	}
	return nil
}

// Abort closes and removes the temporary file.
func (f *File) Abort() {
	os.Remove(f.Name()) // while still locked, so no clean-up sees it unlocked
	f.Close()
}

// Write writes path atomically with write.
func Write(path string, write func(io.Writer) error) error {
	f, err := written(path, write)
	if err != nil {
		return err
	}
	return f.Commit()
}

// written creates path's temporary file and fills it with write.
func written(path string, write func(io.Writer) error) (*File, error) {
	f, err := Create(path)
	if err != nil {
		return nil, err
	}
	if err := write(f); err != nil {
		f.Abort()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return f, nil
}

// Folder writes many files into one folder, each atomically (a temporary
// file renamed into place once whole, so that no process ever sees part
// of one), and flushes them and the folder to disk together, at Sync,
// instead of each file as it is written: on a virtual or network disk a
// flush costs as much as rendering a small frame, and the first flush of
// many takes the others' data with it. Until Sync, a crash of the system
// (not of the process) can lose files or leave them damaged under their
// names: a reader resuming after one must check what it finds. It is safe
// for concurrent use.
type Folder struct {
	dir     string
	mu      sync.Mutex
	written []string // files renamed into place since the last Sync
}

// NewFolder returns a Folder writing into dir.
func NewFolder(dir string) *Folder { return &Folder{dir: dir} }

// Write writes the file name of the folder atomically with write.
func (d *Folder) Write(name string, write func(io.Writer) error) error {
	path := filepath.Join(d.dir, name)
	f, err := written(path, write)
	if err != nil {
		return err
	}
	if err := f.commit(false); err != nil {
		return err
	}
	d.mu.Lock()
	d.written = append(d.written, path)
	d.mu.Unlock()
	return nil
}

// Sync flushes the files written since the last Sync, then the folder's
// entries, to disk: every one of them is there, whole, after a crash.
func (d *Folder) Sync() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := syncFiles(d.written); err != nil {
		return err
	}
	d.written = d.written[:0]
	if err := syncDir(d.dir); err != nil {
		return fmt.Errorf("flushing folder %s: %w", d.dir, err)
	}
	return nil
}

// syncStreams is how many files syncFiles flushes at once: a journaling
// file system commits the flushes that wait at the same time together.
const syncStreams = 16

// syncFiles flushes the files at paths to disk, syncStreams at a time, and
// returns the error of the first path that failed.
func syncFiles(paths []string) error {
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for s := range min(syncStreams, len(paths)) {
		wg.Go(func() {
			for i := s; i < len(paths); i += syncStreams {
				errs[i] = syncFile(paths[i])
			}
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("flushing %s: %w", paths[i], err)
		}
	}
	return nil
}

// syncFile flushes the file at path to disk. One that is gone (removed
// by another process meanwhile) needs nothing. It is opened for writing,
// as some systems (Windows) flush only such handles.
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// TargetOf returns the base name a temporary file named name was made
// for, and whether name is such a file at all.
func TargetOf(name string) (string, bool) {
	if !strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".tmp") {
		return "", false
	}
	dot := strings.LastIndexByte(name[:len(name)-len(".tmp")], '.')
	if dot < 2 {
		return "", false
	}
	return name[1:dot], true
}

// RemoveStale deletes the temporary files in dir whose target base name
// satisfies match and that no live process is writing: those a killed or
// crashed run left behind. It reads the folder once. Files whose writer
// cannot be told (no file locks on this system or file system) are kept.
// It returns the names it removed.
func RemoveStale(dir string, match func(target string) bool) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		target, ok := TargetOf(e.Name())
		if !ok || !e.Type().IsRegular() || !match(target) {
			continue
		}
		gone, err := removeIfUnlocked(filepath.Join(dir, e.Name()))
		if err != nil {
			return removed, fmt.Errorf("removing stale %s: %w", e.Name(), err)
		}
		if gone {
			removed = append(removed, e.Name())
		}
	}
	return removed, nil
}

// removeIfUnlocked removes path if no process holds its lock, and reports
// whether it did. A file that vanished meanwhile counts as kept.
func removeIfUnlocked(path string) (bool, error) {
	// Opened for writing: some network file systems grant an exclusive
	// lock only on such a descriptor. A file that cannot be opened is not
	// ours to judge.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, nil
	}
	defer f.Close()
	free, err := tryLock(f)
	if err != nil || !free {
		return false, err
	}
	err = os.Remove(path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
