package render

import (
	"fmt"
	"math"
	"slices"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
)

// Style is how frames look beyond the geometry.
type Style struct {
	// Background is the sRGB colour behind the cell.
	Background [3]uint8
	// Emission multiplies the colormap's colour in linear light (1 shows
	// the colormap's colours exactly; more glows brighter).
	Emission float64
	// Bloom is the strength of the glow spread around bright parts: its
	// total light as a share of the light above BloomThreshold (about 0.27
	// is EEVEE's default bloom); 0 is off. The glow lights the background
	// around the cell, never the colour of a pixel the cell covers.
	Bloom float64
	// BloomThreshold is the brightness (a pixel's brightest channel, in
	// linear light) from which parts glow, with a soft knee below it, as in
	// Blender's EEVEE bloom; 0 lets everything glow.
	BloomThreshold float64
	// Tone is how light becomes display colours; "" is ToneNone.
	Tone Tone
}

// Validate reports a style value that has no meaning; the message begins
// with the option's name ("emission", "bloom").
func (s Style) Validate() error {
	if !(s.Emission >= 0) || math.IsInf(s.Emission, 0) {
		return fmt.Errorf("emission %v: must be a number ≥ 0", s.Emission)
	}
	if !(s.Bloom >= 0) || math.IsInf(s.Bloom, 0) {
		return fmt.Errorf("bloom %v: must be a number ≥ 0", s.Bloom)
	}
	if !(s.BloomThreshold >= 0) || math.IsInf(s.BloomThreshold, 0) {
		return fmt.Errorf("bloom-threshold %v: must be a number ≥ 0", s.BloomThreshold)
	}
	return s.Tone.Validate()
}

// emitted is the linear light a sample coloured c by the colour table gives
// off.
func (s Style) emitted(c [3]uint8) [3]float32 {
	e := float32(s.Emission)
	return [3]float32{decode8(c[0]) * e, decode8(c[1]) * e, decode8(c[2]) * e}
}

// Shown is the sRGB colour that a pixel wholly covered by table colour c
// shows where no glow reaches: c through the frame's colour transform
// (emission, then the tone curve or plain sRGB encoding). It is the one
// place outside Shader.Draw where that transform is applied, so that a
// colour bar matches the frames; a change to how frames turn light into
// pixels belongs in both.
func (s Style) Shown(c [3]uint8) [3]uint8 {
	e := s.emitted(c)
	if tm := newToneMap(s.Tone); tm.filmic {
		r, g, b := tm.encode(e)
		return [3]uint8{r, g, b}
	}
	return [3]uint8{encode8(e[0]), encode8(e[1]), encode8(e[2])}
}

// Shader turns one frame's voltages into a picture for the coverage it was
// given last (NewShader, Use). It is safe for concurrent use by several
// goroutines, each with its own Frame.
type Shader struct {
	cov        *Coverage
	mesh       *mesh.Mesh
	lut        *colormap.LUT
	colours    [][3]float32 // the LUT's colours in linear light × emission
	tone       toneMap
	bg         [3]float32 // background in linear light, as the tone shows it
	bg8        [3]uint8
	invSamples float32
	bloom      float32
	knee       glowKnee
	glowGeom   *glowGeometry
	weight     []float32 // each sample's weight, decoded; nil: all 1
	bgShare    []float32 // each touched pixel's share of background
	coverages  uint64    // how many coverages the shader has been given
}

// NewShader prepares to shade frames of m as seen in cov, colouring
// voltages through lut.
func NewShader(m *mesh.Mesh, cov *Coverage, lut *colormap.LUT, s Style) (*Shader, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	sh := &Shader{
		mesh:    m,
		lut:     lut,
		colours: make([][3]float32, len(lut.RGB)),
		tone:    newToneMap(s.Tone),
		bg8:     s.Background,
		bloom:   float32(s.Bloom),
		knee:    newGlowKnee(s.BloomThreshold),
	}
	for i, c := range lut.RGB {
		sh.colours[i] = s.emitted(c)
	}
	sh.bg = sh.tone.linear(s.Background)
	sh.use(cov)
	if s.Bloom > 0 {
		sh.glowGeom = newGlowGeometry(cov.Width, cov.Height)
	}
	return sh, nil
}

// Use makes s draw cov from now on: a coverage of the same mesh at the
// same picture size, as a moving camera's next frame has. The shader keeps
// its colour table, glow geometry and buffers. It must not be called while
// s renders a frame.
func (s *Shader) Use(cov *Coverage) error {
	if cov.Width != s.cov.Width || cov.Height != s.cov.Height {
		return fmt.Errorf("shader for %d×%d pictures given a %d×%d coverage", s.cov.Width, s.cov.Height, cov.Width, cov.Height)
	}
	s.use(cov)
	return nil
}

// use decodes cov's sample weights and background shares.
func (s *Shader) use(cov *Coverage) {
	s.cov = cov
	s.coverages++
	s.invSamples = 1 / float32(cov.AA*cov.AA)
	if cov.weight == nil {
		s.weight = nil // (a coverer's coverages all have weights, or none)
	} else {
		s.weight = slices.Grow(s.weight[:0], len(cov.weight))[:len(cov.weight)]
		for i, q := range cov.weight {
			s.weight[i] = float32(q) / 65535
		}
	}
	s.bgShare = slices.Grow(s.bgShare[:0], len(cov.cover))[:len(cov.cover)]
	for i, q := range cov.cover {
		s.bgShare[i] = 1 - float32(q)/65535
	}
}

// Coverage is the coverage this shader draws.
func (s *Shader) Coverage() *Coverage { return s.cov }

// Frame is one worker's picture and scratch space, reused frame after frame,
// also across shaders of one mesh, picture size and style, and across the
// coverages a shader is given (as a moving camera's frames are).
type Frame struct {
	// Image is the last rendered picture.
	Image    *Image
	vertexV  []float32
	light    [][3]float32 // the cell's light in each touched pixel (linear, without background)
	glow     *glowBuffers
	bgRowPix []uint8
	// light was last shaded by shader shadedBy with its coverage number
	// shadedCoverage.
	shadedBy       *Shader
	shadedCoverage uint64
	// glowStale says the glow buffers are not the glow of light.
	glowStale bool
}

// NewFrame allocates a picture and scratch space for this shader.
func (s *Shader) NewFrame() *Frame {
	f := &Frame{
		Image:    NewImage(s.cov.Width, s.cov.Height),
		vertexV:  make([]float32, len(s.mesh.Positions)),
		light:    make([][3]float32, len(s.cov.pixels)),
		bgRowPix: make([]uint8, 3*s.cov.Width),
	}
	for x := 0; x < s.cov.Width; x++ {
		copy(f.bgRowPix[3*x:], s.bg8[:])
	}
	if s.glowGeom != nil {
		f.glow = s.glowGeom.newBuffers()
	}
	return f
}

// Render draws the frame whose probe voltages (one per mesh probe, in mV)
// are probeV into f.Image: Shade, then Draw. f must come from NewFrame of
// a shader of the same mesh, picture size and style.
func (s *Shader) Render(f *Frame, probeV []float32) {
	s.Shade(f, probeV)
	s.Draw(f)
}

// Shade works out into f the cell's light in every touched pixel for the
// probe voltages probeV (one per mesh probe, in mV), and reports whether
// it is exactly the light of the frame f was shaded for before, by this
// shader with the same coverage: then Draw draws the same picture, byte for
// byte, as it did for that frame (a cell at rest often looks the same from
// frame to frame, though its voltages drift in their last digits).
func (s *Shader) Shade(f *Frame, probeV []float32) (same bool) {
	if n := len(s.cov.pixels); cap(f.light) < n {
		f.light = make([][3]float32, n)
	} else {
		f.light = f.light[:n]
	}
	for v, p := range s.mesh.VertexProbe {
		f.vertexV[v] = probeV[p]
	}
	changed := s.shadePixels(f)
	same = !changed && f.shadedBy == s && f.shadedCoverage == s.coverages
	f.glowStale = f.glowStale || !same
	f.shadedBy, f.shadedCoverage = s, s.coverages
	return same
}

// Draw draws the picture of the light f was last shaded for (see Shade)
// into f.Image. Each touched pixel shows the cell's light over the share
// of the pixel the cell covers and background (plus glow) over the rest,
// so a pixel the cell covers entirely shows exactly its colour; pixels the
// cell does not touch show the background plus glow, dithered. The glow is
// worked out again only when the light changed.
func (s *Shader) Draw(f *Frame) {
	img := f.Image
	for y := 0; y < img.Height; y++ {
		copy(img.Pix[3*y*img.Width:], f.bgRowPix)
	}
	if f.glow != nil {
		if f.glowStale {
			s.glowGeom.spread(f.glow, s.cov.pixels, f.light, s.bloom, s.knee)
			f.glowStale = false
		}
		s.glowGeom.addToBackground(f.glow, img, s.bg, s.tone)
	}
	for k, p := range s.cov.pixels {
		c, share := f.light[k], s.bgShare[k]
		b := s.bg
		if f.glow != nil && share > 0 {
			g := s.glowGeom.at(f.glow, int(p)%img.Width, int(p)/img.Width)
			b = [3]float32{b[0] + g[0], b[1] + g[1], b[2] + g[2]}
		}
		c = [3]float32{c[0] + share*b[0], c[1] + share*b[1], c[2] + share*b[2]}
		q := img.Pix[3*int(p) : 3*int(p)+3]
		if s.tone.filmic {
			q[0], q[1], q[2] = s.tone.encode(c)
			continue
		}
		q[0], q[1], q[2] = encode8(c[0]), encode8(c[1]), encode8(c[2])
	}
}

// shadePixels works out the cell's light in every touched pixel: each
// sample's voltage is interpolated across its triangle, looked up in the
// colour table and weighted; samples that see nothing add nothing. It
// reports whether any pixel's light differs from what f.light held.
func (s *Shader) shadePixels(f *Frame) (changed bool) {
	n := s.cov.AA * s.cov.AA
	tris, vv := s.mesh.Triangles, f.vertexV
	for k := range s.cov.pixels {
		var r, g, b float32
		for j := k * n; j < (k+1)*n; j++ {
			t := s.cov.tri[j]
			if t == noTri {
				continue
			}
			tr := tris[t]
			w := s.cov.bary[j]
			w1, w2 := float32(w[0])*(1.0/65535), float32(w[1])*(1.0/65535)
			v0 := vv[tr[0]]
			v := v0 + w1*(vv[tr[1]]-v0) + w2*(vv[tr[2]]-v0)
			c := s.colours[s.lut.Index(v)]
			if s.weight != nil {
				sw := s.weight[j]
				c = [3]float32{c[0] * sw, c[1] * sw, c[2] * sw}
			}
			r, g, b = r+c[0], g+c[1], b+c[2]
		}
		c := [3]float32{r * s.invSamples, g * s.invSamples, b * s.invSamples}
		changed = changed || c != f.light[k]
		f.light[k] = c
	}
	return changed
}
