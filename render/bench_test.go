package render

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"testing"

	"github.com/spikeframes/spikeframes/colormap"
	"github.com/spikeframes/spikeframes/mesh"
	"github.com/spikeframes/spikeframes/voltage"
)

// benchStyle is the default look: exact colours, a faint glow above a
// threshold.
var benchStyle = Style{Emission: 1, Bloom: 0.3, BloomThreshold: 0.5}

// benchScene is the CA1 recording at default settings, framed at 1080p and
// meshed for that scale as the render command does (tubes at least a pixel
// wide, ring edges at most 1.5 pixels).
type benchScene struct {
	mesh   *mesh.Mesh
	cam    *Camera
	cov    *Coverage
	sh     *Shader
	probes [][]float32 // the voltages of benchFrames frames in a row, the last 249
}

// benchFrames is how many frames in a row the frame benchmarks take their
// voltages from in turn, so that the light changes from frame to frame and
// the glow is spread again, as in a movie (the same voltages again would
// draw a repeated frame).
const benchFrames = 25

// probe is the voltages of the k-th frame a benchmark renders.
func (sc *benchScene) probe(k int) []float32 { return sc.probes[k%benchFrames] }

func loadBenchScene(b *testing.B, width, height int) *benchScene {
	b.Helper()
	m, cam, rec := cellMesh(b, "ca1_random_input", width, height)
	cov, err := Cover(m, cam, Sampling{AA: 2, Lit: false}, 1)
	if err != nil {
		b.Fatal(err)
	}
	cm, err := colormap.Get("plasma")
	if err != nil {
		b.Fatal(err)
	}
	lut, err := colormap.NewLUT(cm, -70, -50)
	if err != nil {
		b.Fatal(err)
	}
	sh, err := NewShader(m, cov, lut, benchStyle)
	if err != nil {
		b.Fatal(err)
	}
	s, err := voltage.NewSampler(rec, m.Probes)
	if err != nil {
		b.Fatal(err)
	}
	probes := make([][]float32, benchFrames)
	for i := range probes {
		probes[i] = make([]float32, s.Len())
		s.Sample(float64(250-benchFrames+i), probes[i])
	}
	return &benchScene{mesh: m, cam: cam, cov: cov, sh: sh, probes: probes}
}

// BenchmarkCover is the one-off coverage pass (one worker).
func BenchmarkCover(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	for b.Loop() {
		if _, err := Cover(sc.mesh, sc.cam, Sampling{AA: 2, Lit: false}, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCoverAgain is a coverage pass into the memory of the last, as
// a moving camera's frames make (one worker).
func BenchmarkCoverAgain(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	coverer, err := NewCoverer(sc.mesh, Sampling{AA: 2, Lit: false}, 1)
	if err != nil {
		b.Fatal(err)
	}
	var cov *Coverage
	for b.Loop() {
		if cov, err = coverer.Cover(sc.cam, cov); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkShade is a static-camera frame up to the picture: voltages to
// colours, anti-aliasing and bloom, without encoding.
func BenchmarkShade(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	f := sc.sh.NewFrame()
	k := 0
	for b.Loop() {
		sc.sh.Render(f, sc.probe(k))
		k++
	}
}

// BenchmarkEncodePNG is this package's PNG writer on a rendered frame.
func BenchmarkEncodePNG(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	f := sc.sh.NewFrame()
	sc.sh.Render(f, sc.probe(benchFrames-1))
	enc := NewPNGEncoder()
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(&buf, f.Image); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkStdlibPNG is the floor to beat: the standard library's encoder at
// BestSpeed on the same frame, as an *image.RGBA (its fastest input).
func BenchmarkStdlibPNG(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	f := sc.sh.NewFrame()
	sc.sh.Render(f, sc.probe(benchFrames-1))
	rgba := toRGBA(f.Image)
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := enc.Encode(&buf, rgba); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

// BenchmarkStaticFrame is a whole static-camera frame: shading and encoding.
func BenchmarkStaticFrame(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	f := sc.sh.NewFrame()
	enc := NewPNGEncoder()
	k := 0
	for b.Loop() {
		sc.sh.Render(f, sc.probe(k))
		if err := enc.Encode(io.Discard, f.Image); err != nil {
			b.Fatal(err)
		}
		k++
	}
}

// BenchmarkMovingFrame is a frame of an orbiting camera: coverage is
// worked out again (on one worker, as each frame's worker does) into the
// last frame's memory before shading and encoding, into a reused frame.
func BenchmarkMovingFrame(b *testing.B) {
	sc := loadBenchScene(b, 1920, 1080)
	orbit, err := FitOrbit(sc.mesh, View{}, 360, 1920, 1080)
	if err != nil {
		b.Fatal(err)
	}
	coverer, err := NewCoverer(sc.mesh, Sampling{AA: 2, Lit: false}, 1)
	if err != nil {
		b.Fatal(err)
	}
	enc := NewPNGEncoder()
	f := sc.sh.NewFrame()
	var cov *Coverage
	k := 0
	for b.Loop() {
		if cov, err = coverer.Cover(orbit.At(float64(k%100)/100), cov); err != nil {
			b.Fatal(err)
		}
		if err := sc.sh.Use(cov); err != nil {
			b.Fatal(err)
		}
		sc.sh.Render(f, sc.probe(k))
		if err := enc.Encode(io.Discard, f.Image); err != nil {
			b.Fatal(err)
		}
		k++
	}
}

func toRGBA(m *Image) *image.RGBA {
	out := image.NewRGBA(m.Bounds())
	for i := 0; i < m.Width*m.Height; i++ {
		copy(out.Pix[4*i:4*i+3], m.Pix[3*i:3*i+3])
		out.Pix[4*i+3] = 255
	}
	return out
}
