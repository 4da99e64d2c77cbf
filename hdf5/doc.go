// Package hdf5 reads HDF5 files: groups, datasets and attributes of the
// kinds neuroscience files use (BBP morphologies, SONATA circuits and
// reports), in pure Go and without libhdf5.
//
// It reads superblock versions 0 to 3; object headers of versions 1 and
// 2; groups stored as symbol tables or as compact or dense links; datasets
// stored contiguous, compact or chunked under any chunk index libhdf5
// 1.10 writes, with the deflate, shuffle and Fletcher32 filters; integers
// and IEEE floats of 1 to 8 bytes in either byte order, fixed- and
// variable-length strings. A part of a dataset can be read without reading the rest: only
// the chunks that meet the selection are read and decompressed, and
// decompressed chunks are kept in a cache bounded in bytes.
//
// Every offset and size in the file is checked against the file before it
// is used; cycles are detected; no read allocates more than the limit set
// with [File.SetReadLimit].
//
// A File is safe for concurrent use by several goroutines.
package hdf5
