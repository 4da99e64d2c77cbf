// Package colormap provides named colormaps (matplotlib's and seaborn's),
// their sub-ranges, stepped ramps and reversals, and lookup tables that turn
// a voltage into an 8-bit sRGB colour.
package colormap
