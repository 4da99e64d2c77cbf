// Package morphfile reads neuron morphology files — SWC (NeuroMorpho.org),
// Neurolucida ASC and the Blue Brain Project's HDF5 (.h5) — into
// morph.Cell values, with exactly the sections NEURON makes when it loads
// the file with its Import3d tool (Import3d_SWC_read or
// Import3d_Neurolucida3, then Import3d_GUI.instantiate): the geometry a
// simulation of the file uses. NEURON 8.2 reads no HDF5; those files are
// read as BBP's NEURON-based tools instantiate them (MorphIO in NEURON
// order, Import3d's soma conversion), which is what Import3d makes of the
// same cell written as ASC, each child section keeping its own first
// diameter. ApplyGeometry gives a recording the 3-D points of the file its
// model was built from.
//
// What Import3d does, and this package with it:
//
//   - a section is an unbranched stretch of one type; every section but a
//     root starts with a copy of its parent's point where it attaches;
//   - sections are created type by type in increasing type code — soma
//     (1), axon (2), dend (3), apic (4), other codes n as dend_n (minus_n
//     below zero) in their place — each in file order, and named like
//     NEURON's: soma[0], dend[3], dend_7[0];
//   - a soma given as one point (SWC), or as NeuroMorpho.org's three
//     points, becomes a cylinder as long as it is wide, along x; a soma
//     outline (ASC "CellBody" contour) becomes a 21-point centre line
//     along the outline's major axis; a stack of outlines a line through
//     their centres;
//   - neurites attached to the middle of a soma attach at 0.5, and the
//     point that joins them there is a logical connection, not part of
//     the neurite's 3-D points;
//   - one-point and zero-length two-point sections are dropped, their
//     children moved to the dropped section's parent.
//
// Files are recognised by their content (Detect). Input is bounded
// (MaxFileSize, MaxSections) and every structure grows only with the
// input it is built from; malformed input gives an error naming the line
// (the dataset row in an HDF5 file), never a panic.
//
// Formats stored as a tree of points, each naming its parent, share one
// builder, treeSections (SWC uses it); BBP HDF5 files store sections, not
// points, and have a builder of their own; all formats share the
// instantiation step. A BBP HDF5 file:
//
//   - a soma outline (3 points or more) becomes the same centre line as an
//     ASC soma outline, a one-point soma a cylinder as long as it is
//     wide, and a 2-point soma is refused;
//   - neurite sections keep their points as stored, trees attach to the
//     middle of the soma, children to the end of their parent, and none is
//     dropped;
//   - within each type, sections come tree by tree in file order and
//     depth first through each tree.
package morphfile
