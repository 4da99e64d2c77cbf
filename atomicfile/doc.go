// Package atomicfile writes files so that their path never holds a partial
// file: data goes to a temporary file in the same folder, flushed to disk
// and renamed over the path only once complete. A process killed midway
// leaves at most a temporary file, named so that TargetOf recognises it.
//
// While a temporary file is being written, the process writing it holds a
// lock on it (where the operating system has file locks). RemoveStale
// deletes only the temporary files nobody holds, so several processes may
// write into one folder, and clean it, at the same time.
package atomicfile
