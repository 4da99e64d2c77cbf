// Package atomicfile writes files so that their path never holds a partial
// file: data goes to a temporary file in the same folder, renamed over the
// path only once complete. A process killed midway leaves at most a
// temporary file, named so that TargetOf recognises it.
package atomicfile
