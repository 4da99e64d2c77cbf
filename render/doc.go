// Package render rasterizes a cell mesh in software: a camera that frames
// the cell, a z-buffered, supersampled rasterizer whose coverage is worked out
// once for a static camera, per-frame voltage shading through a colour table,
// bloom, and PNG output.
package render
