// Package voltage holds membrane-voltage traces per section and samples them
// in time and along each section's arc length.
package voltage
