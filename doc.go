// Command spikeframes turns a NEURON voltage recording (a BlenderSpike
// .pickle) into the numbered PNG frames of a movie, without Blender.
package main
