// Package geom is the 3-vector arithmetic that the mesh builder and the
// renderer share.
package geom
