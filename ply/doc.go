// Package ply writes a cell mesh as a binary little-endian PLY file that
// MeshLab, ParaView and Blender open: per vertex its position, normal and
// voltage, and the triangles as vertex index lists.
package ply
