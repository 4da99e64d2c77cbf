// Package render rasterizes a cell mesh in software: a camera that frames
// the cell, a z-buffered, supersampled rasterizer whose coverage is worked out
// once for a static camera, per-frame voltage shading through a colour table,
// a thresholded glow around the cell, tone curves (Blender's Filmic) and PNG
// output.
package render
