// Command library renders one frame of a recording with the spikeframes
// packages, as a Go program of your own would:
//
//	go run ./examples/library RECORDING FRAME OUT.png
//
// The frame is byte-identical to what
// `spikeframes render RECORDING --frames FRAME:FRAME+1` writes.
package main
