// Package overlay draws annotations onto finished frames: a clock (the
// simulated time or the frame number), a title, a colour bar whose colours
// are exactly the frame's, a scale bar in µm and an inset plot of voltage
// traces with a cursor at the frame's time.
//
// Type is Go Regular, embedded, anti-aliased and sized relative to the
// picture height, in a colour that contrasts with the background and with a
// soft halo of the opposite colour so it stays legible over the glow.
// Everything that does not change from frame to frame is drawn once, when
// the Layer is made; each frame then only composites those pixels and
// draws what changes (the clock, the trace cursor).
package overlay
