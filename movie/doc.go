// Package movie is spikeframes' engine: from a cell, its recording and one
// Options value it builds the scene once — the mesh sized to the picture,
// the camera that frames it, the colour table and, for a still camera, which
// triangle every anti-aliasing sample sees — and then renders any frame of
// the movie into a caller's buffers. Run renders a range of frames on
// parallel workers into a Sink (PNG files, ffmpeg, or anything else) and
// stops when its context is cancelled.
//
// The command-line tool is a thin layer over this package: it parses flags
// into Options, picks a Sink and reports progress; everything that decides
// what a frame looks like happens here, so a Go program that uses the
// package gets byte-identical frames to the command's.
package movie
