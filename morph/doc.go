// Package morph holds a neuron's morphology: its sections and their 3-D points,
// and the preparations applied before meshing (centring, scaling, thickness,
// resampling along arc length).
package morph
