package render

import (
	"fmt"
	"math"

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
	// Bloom is the strength of the glow spread around bright parts; 0 is off.
	Bloom float64
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
	return nil
}

// emitted is the linear light a sample coloured c by the colour table gives
// off.
func (s Style) emitted(c [3]uint8) [3]float32 {
	e := float32(s.Emission)
	return [3]float32{decode8(c[0]) * e, decode8(c[1]) * e, decode8(c[2]) * e}
}

// Shown is the sRGB colour that a pixel wholly covered by table colour c
// shows where no glow reaches: c through the frame's colour transform
// (emission, then encoding). It is the one place outside Shader.Render where
// that transform is applied, so that a colour bar matches the frames; a
// change to how frames turn light into pixels belongs in both.
func (s Style) Shown(c [3]uint8) [3]uint8 {
	e := s.emitted(c)
	return [3]uint8{encode8(e[0]), encode8(e[1]), encode8(e[2])}
}

// Shader turns one frame's voltages into a picture for a fixed coverage.
// It is safe for concurrent use by several goroutines, each with its own
// Frame.
type Shader struct {
	cov         *Coverage
	mesh        *mesh.Mesh
	lut         *colormap.LUT
	colours     [][3]float32 // the LUT's colours in linear light × emission
	bg          [3]float32   // background in linear light
	bg8         [3]uint8
	invSamples  float32
	bloom       float32
	glowGeom    *glowGeometry
	shadeFactor []float32 // lit shading per sample, decoded; nil for emission
}

// NewShader prepares to shade frames of m as seen in cov, colouring
// voltages through lut.
func NewShader(m *mesh.Mesh, cov *Coverage, lut *colormap.LUT, s Style) (*Shader, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	sh := &Shader{
		cov:        cov,
		mesh:       m,
		lut:        lut,
		colours:    make([][3]float32, len(lut.RGB)),
		bg8:        s.Background,
		invSamples: 1 / float32(cov.AA*cov.AA),
		bloom:      float32(s.Bloom),
	}
	for i, c := range lut.RGB {
		sh.colours[i] = s.emitted(c)
	}
	for k := range 3 {
		sh.bg[k] = decode8(s.Background[k])
	}
	if cov.shade != nil {
		sh.shadeFactor = make([]float32, len(cov.shade))
		for i, q := range cov.shade {
			sh.shadeFactor[i] = float32(q) / 65535
		}
	}
	if s.Bloom > 0 {
		sh.glowGeom = newGlowGeometry(cov.Width, cov.Height)
	}
	return sh, nil
}

// Coverage is the coverage this shader draws.
func (s *Shader) Coverage() *Coverage { return s.cov }

// Frame is one worker's picture and scratch space, reused frame after frame,
// also across shaders of one mesh, picture size and style (as a moving
// camera makes one shader per frame).
type Frame struct {
	// Image is the last rendered picture.
	Image    *Image
	vertexV  []float32
	colours  [][3]float32 // linear colour of each touched pixel
	glow     *glowBuffers
	bgRowPix []uint8
}

// NewFrame allocates a picture and scratch space for this shader.
func (s *Shader) NewFrame() *Frame {
	f := &Frame{
		Image:    NewImage(s.cov.Width, s.cov.Height),
		vertexV:  make([]float32, len(s.mesh.Positions)),
		colours:  make([][3]float32, len(s.cov.pixels)),
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
// are probeV into f.Image. f must come from NewFrame of a shader of the
// same mesh, picture size and style.
func (s *Shader) Render(f *Frame, probeV []float32) {
	if n := len(s.cov.pixels); cap(f.colours) < n {
		f.colours = make([][3]float32, n)
	} else {
		f.colours = f.colours[:n]
	}
	for v, p := range s.mesh.VertexProbe {
		f.vertexV[v] = probeV[p]
	}
	s.shadePixels(f)
	img := f.Image
	for y := 0; y < img.Height; y++ {
		copy(img.Pix[3*y*img.Width:], f.bgRowPix)
	}
	if f.glow != nil {
		s.glowGeom.spread(f.glow, s.cov.pixels, f.colours, s.bloom)
		s.glowGeom.addToBackground(f.glow, img, s.bg)
	}
	for k, p := range s.cov.pixels {
		c := f.colours[k]
		if f.glow != nil {
			g := s.glowGeom.at(f.glow, int(p)%img.Width, int(p)/img.Width)
			c[0], c[1], c[2] = c[0]+g[0], c[1]+g[1], c[2]+g[2]
		}
		i := 3 * int(p)
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = encode8(c[0]), encode8(c[1]), encode8(c[2])
	}
}

// shadePixels resolves every touched pixel's samples to one linear colour:
// each sample's voltage is interpolated across its triangle, looked up in
// the colour table and shaded; samples that see nothing show the background.
func (s *Shader) shadePixels(f *Frame) {
	n := s.cov.AA * s.cov.AA
	tris, vv := s.mesh.Triangles, f.vertexV
	for k := range s.cov.pixels {
		var r, g, b float32
		for j := k * n; j < (k+1)*n; j++ {
			t := s.cov.tri[j]
			if t == noTri {
				r, g, b = r+s.bg[0], g+s.bg[1], b+s.bg[2]
				continue
			}
			tr := tris[t]
			w := s.cov.bary[j]
			w1, w2 := float32(w[0])*(1.0/65535), float32(w[1])*(1.0/65535)
			v0 := vv[tr[0]]
			v := v0 + w1*(vv[tr[1]]-v0) + w2*(vv[tr[2]]-v0)
			c := s.colours[s.lut.Index(v)]
			if s.shadeFactor != nil {
				sf := s.shadeFactor[j]
				c = [3]float32{c[0] * sf, c[1] * sf, c[2] * sf}
			}
			r, g, b = r+c[0], g+c[1], b+c[2]
		}
		f.colours[k] = [3]float32{r * s.invSamples, g * s.invSamples, b * s.invSamples}
	}
}
