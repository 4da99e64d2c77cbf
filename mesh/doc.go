// Package mesh sweeps a prepared cell's sections into triangle tubes (and the
// soma into a sphere) and ties every vertex to the place on its section whose
// voltage colours it.
package mesh
