// Command pngfloor measures the floor a renderer's frame rate is compared
// with: the time the standard library's image/png encoder, at BestSpeed,
// takes to encode a folder of frames using every core. It decodes the
// frames first (untimed) into *image.RGBA, the encoder's fastest input,
// encodes them all three times and prints the wall-clock milliseconds per
// frame of the fastest pass.
package main
