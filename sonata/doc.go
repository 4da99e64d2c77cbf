// Package sonata reads networks in the SONATA format of the Blue Brain
// Project and the Allen Institute: the simulation and circuit configs,
// node populations with their positions, rotations, morphologies and
// attributes, node sets, compartment reports (one frame at a time) and
// spike reports.
//
// A simulation is opened from its simulation config (Open), which names
// the circuit config, the reports and the spikes file. Paths follow the
// specification: manifest variables ($NAME, ${NAME}, and BMTK's
// ${configdir}) are substituted, and relative paths are taken from the
// directory of the config that holds them (report and spike files from the
// output directory). A BMTK root config that names a "network" and a
// "simulation" config is read as the two together.
//
// Nodes carry what drawing them needs: population and id, the soma's
// position (x, y, z), the rotation about the soma (orientation_w/x/y/z
// quaternions, else rotation_angle_x/y/zaxis applied about z, then y,
// then x, in the fixed axes of the world), the morphology file found in
// the configured folders by format (SWC, Neurolucida ASC, BBP HDF5), the
// model type, and every other attribute of the node's group or node type
// (Node.Attr). Place moves a morphology to where its node stands.
//
// A compartment report is read a frame (or part of a frame) at a time,
// never whole. Report.Layout lays one node's columns onto the sections of
// its morphology as the specification numbers them (the soma is section
// 0, then axon, basal and apical sections, each in file order, which is
// the order NEURON's Import3d and package morphfile make them), with the
// compartments of a section in order along it or at the report's
// element_pos, and Layout.Voltages turns a frame into each section's
// voltages at its compartment centres, as package voltage lays them out.
//
// Every file is checked before it is trusted: shapes, lengths, index
// pointers, group references and values; errors name the file and the
// dataset or config key. Sizes are bounded before memory is allocated.
package sonata
