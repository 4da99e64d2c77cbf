package movie

import (
	"bytes"
	"context"
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/morph"
	"github.com/spikeframes/spikeframes/render"
)

// newMovie builds a movie of the bundled recording name with o.
func newMovie(t testing.TB, name string, o Options) *Movie {
	t.Helper()
	cell, rec, err := blenderspike.ReadFile(filepath.Join("..", "testdata", name+".pickle"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func small() Options {
	o := DefaultOptions()
	o.Width, o.Height = 96, 64
	return o
}

func TestValidate(t *testing.T) {
	nan := func() float64 { var z float64; return z / z }()
	tests := []validateCase{
		{"defaults", func(o *Options) {}, ""},
		{"width", func(o *Options) { o.Width = 0 }, "width 0"},
		{"height", func(o *Options) { o.Height = MaxSide + 1 }, "height 16385"},
		{"aa", func(o *Options) { o.Look.AA = render.MaxAA + 1 }, "aa 9"},
		{"samples", func(o *Options) { o.Width, o.Height, o.Look.AA = MaxSide, MaxSide, 8 }, "aa 8"},
		{"min-width", func(o *Options) { o.Look.MinWidth = nan }, "min-width NaN"},
		{"shading", func(o *Options) { o.Look.Shading = "flat" }, "shading flat"},
		{"emission", func(o *Options) { o.Look.Emission = -1 }, "emission -1"},
		{"bloom", func(o *Options) { o.Look.Bloom = nan }, "bloom NaN"},
		{"label", func(o *Options) { o.Label = "clock" }, "label clock"},
		{"view", func(o *Options) { o.View.Plane = "zz" }, "view zz"},
		{"azimuth", func(o *Options) { o.View.Azimuth = nan }, "azimuth NaN"},
		{"zoom", func(o *Options) { o.View.Zoom = 0 }, "zoom 0"},
		{"fov", func(o *Options) { o.View.FOV = 180 }, "fov 180"},
		{"orbit", func(o *Options) { o.Orbit = nan }, "orbit NaN"},
		{"resample", func(o *Options) { o.Resample = -1 }, "resample -1"},
		{"vmin", func(o *Options) { o.Colors.VMin.Value = nan }, "vmin NaN"},
		{"vmin above vmax", func(o *Options) { o.Colors.VMin.Value = 30 }, "vmin 30"},
		{"auto limits", func(o *Options) { o.Colors.VMin = Limit{Auto: true} }, ""},
		{"cmap", func(o *Options) { o.Colors.Map = "plasm" }, "cmap"},
		{"cmap-steps", func(o *Options) { o.Colors.Steps = 1 }, "cmap-steps"},
		{"downscale", func(o *Options) { o.Geometry.Prepare.Downscale = 0 }, "downscale 0"},
		{"segmentation", func(o *Options) { o.Geometry.Prepare.Segmentation = 1 }, "segmentation 1"},
		{"sides", func(o *Options) { o.Geometry.Sides = 2 }, "sides 2"},
	}
	checkValidate(t, tests)
}

func TestNewResolvesAutoLimits(t *testing.T) {
	o := small()
	o.Colors.VMin, o.Colors.VMax = Limit{Auto: true}, Limit{Auto: true}
	m := newMovie(t, "ca1_random_input", o)
	lo, hi := m.Limits()
	// The CA1 run stays between −67.6 and −52.1 mV.
	if !(lo >= -67.7 && lo < hi && hi <= -52.1) {
		t.Errorf("auto limits %g…%g, want within the recording's −67.7…−52.1 mV", lo, hi)
	}
}

func TestNewRefusesMeetingLimits(t *testing.T) {
	o := small()
	o.Colors.VMin = Limit{Auto: true}
	o.Colors.VMax = Limit{Value: -90}
	cell, rec, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	_, err = New(cell, rec, o)
	var oe *OptionError
	if !errors.As(err, &oe) || !strings.Contains(err.Error(), "vmin") {
		t.Fatalf("New = %v, want an OptionError about vmin", err)
	}
}

func TestResampleSetsFrameCount(t *testing.T) {
	o := small()
	o.Resample = 7
	if n := newMovie(t, "simple_ap", o).Frames(); n != 7 {
		t.Errorf("Frames = %d, want 7", n)
	}
	if n := newMovie(t, "simple_ap", small()).Frames(); n != 300 {
		t.Errorf("Frames = %d, want the recording's 300", n)
	}
}

func TestRenderOutOfRange(t *testing.T) {
	m := newMovie(t, "simple_ap", small())
	for _, k := range []int{-1, 300} {
		if _, err := m.Render(k, m.NewCanvas()); err == nil {
			t.Errorf("Render(%d) succeeded on a 300-frame movie", k)
		}
	}
}

// memorySink keeps every frame's PNG bytes.
type memorySink struct {
	mu     sync.Mutex
	frames map[int][]byte
	have   map[int]bool
	closed bool
	ok     bool
}

func newMemorySink() *memorySink {
	return &memorySink{frames: map[int][]byte{}, have: map[int]bool{}}
}

func (s *memorySink) Done(k int) bool { return s.have[k] }
func (s *memorySink) Abort()          {}
func (s *memorySink) Close(ok bool) error {
	s.closed, s.ok = true, ok
	return nil
}
func (s *memorySink) Writer() func(int, *render.Image) error {
	enc := render.NewPNGEncoder()
	return func(k int, img *render.Image) error {
		var buf bytes.Buffer
		if err := enc.Encode(&buf, img); err != nil {
			return err
		}
		s.mu.Lock()
		s.frames[k] = buf.Bytes()
		s.mu.Unlock()
		return nil
	}
}

func TestRunIsTheSameOnAnyNumberOfWorkers(t *testing.T) {
	o := small()
	o.Orbit = 90 // the moving camera's path too
	o.Annotate() // and the annotations, drawn by each worker's own drawer
	o.Overlays.Title, o.Overlays.Traces = "Ball and stick", []string{"soma", "axon"}
	o.TimeSpan = TimeSpan{Start: 0, Stop: 10, Set: true}
	m := newMovie(t, "simple_ap", o)
	r := Range{100, 112}
	one, four := newMemorySink(), newMemorySink()
	if err := m.Run(context.Background(), Job{Frames: r, Sink: one, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	if err := m.Run(context.Background(), Job{Frames: r, Sink: four, Workers: 4}); err != nil {
		t.Fatal(err)
	}
	if len(one.frames) != r.Len() || !one.closed || !one.ok {
		t.Fatalf("one worker: %d frames, closed %v ok %v", len(one.frames), one.closed, one.ok)
	}
	for k := r.First; k < r.End; k++ {
		if !bytes.Equal(one.frames[k], four.frames[k]) {
			t.Errorf("frame %d differs between 1 and 4 workers", k)
		}
	}
}

func TestRunSkipsWhatTheSinkHas(t *testing.T) {
	m := newMovie(t, "simple_ap", small())
	s := newMemorySink()
	s.have[3], s.have[4] = true, true
	var mu sync.Mutex
	rendered, skipped := 0, 0
	progress := func(skip bool) {
		mu.Lock()
		defer mu.Unlock()
		if skip {
			skipped++
		} else {
			rendered++
		}
	}
	if err := m.Run(context.Background(), Job{Frames: Range{0, 6}, Sink: s, Progress: progress}); err != nil {
		t.Fatal(err)
	}
	if rendered != 4 || skipped != 2 || s.frames[3] != nil || s.frames[5] == nil {
		t.Errorf("rendered %d, skipped %d (frame 3 written: %v), want 4 and 2", rendered, skipped, s.frames[3] != nil)
	}
}

// meetingSink has every frame; its Done waits until as many calls as the
// run has workers are in it at once, or gives up after a while and notes
// that it waited alone.
type meetingSink struct {
	memorySink
	mu      sync.Mutex
	inside  int
	met     chan struct{}
	workers int
	alone   bool
}

func (s *meetingSink) Done(int) bool {
	s.mu.Lock()
	if s.inside++; s.inside == s.workers {
		close(s.met)
	}
	s.mu.Unlock()
	select {
	case <-s.met:
	case <-time.After(10 * time.Second):
		s.mu.Lock()
		s.alone = true
		s.mu.Unlock()
	}
	return true
}

func TestRunChecksWhatTheSinkHasInParallel(t *testing.T) {
	m := newMovie(t, "simple_ap", small())
	s := &meetingSink{memorySink: *newMemorySink(), met: make(chan struct{}), workers: 2}
	if err := m.Run(context.Background(), Job{Frames: Range{0, 2}, Sink: s, Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if s.alone {
		t.Error("the two frames already there were checked one after the other, not by two workers at once")
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	m := newMovie(t, "simple_ap", small())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	s := newMemorySink()
	err := m.Run(ctx, Job{Frames: Range{0, 300}, Sink: s, Workers: 1})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run = %v, want context.Canceled", err)
	}
	if !s.closed || s.ok {
		t.Errorf("sink closed %v ok %v, want closed and not ok", s.closed, s.ok)
	}
	if len(s.frames) == 300 {
		t.Error("every frame was rendered despite the cancelled context")
	}
}

func TestRunRefusesFramesOutsideTheMovie(t *testing.T) {
	m := newMovie(t, "simple_ap", small())
	for _, r := range []Range{{-1, 3}, {290, 301}, {5, 5}} {
		if err := m.Run(context.Background(), Job{Frames: r, Sink: newMemorySink()}); err == nil {
			t.Errorf("Run(%v) succeeded", r)
		}
	}
}

func TestTargetLandsAtThePictureCentre(t *testing.T) {
	cell, rec, err := blenderspike.ReadFile("../testdata/l5_bap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	apical := cell.Sections[200].At(0.5)
	for _, tc := range []struct {
		target string
		want   morph.Point
		fov    float64
	}{
		{"soma", morph.SomaCenter(cell), 0},
		{"soma", morph.SomaCenter(cell), 35},
		{"200", apical, 0},
		{"100.5,-20,3", morph.Point{X: 100.5, Y: -20, Z: 3}, 35},
	} {
		o := small()
		o.Target, o.View.FOV, o.View.Zoom = tc.target, tc.fov, 4
		o.View.Azimuth = 25
		m, err := New(cell, rec, o)
		if err != nil {
			t.Fatal(err)
		}
		x, y := m.Locate(tc.want, 0)
		if math.Abs(x-48) > 1e-6 || math.Abs(y-32) > 1e-6 {
			t.Errorf("target %s (fov %g): lands at (%g, %g), want the centre (48, 32)", tc.target, tc.fov, x, y)
		}
	}
}

func TestTargetRefusals(t *testing.T) {
	cell, rec, err := blenderspike.ReadFile("../testdata/ca1_random_input.pickle")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"999", "-1", "apical_dendrite[3]", "1,2", "1,x,3", "dend"} {
		o := small()
		o.Target = target
		_, err := New(cell, rec, o)
		var oe *OptionError
		if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), "target") {
			t.Errorf("target %q: New = %v, want an OptionError about the target", target, err)
		}
	}
	// A type only one section has names it, as BlenderSpike files do.
	o := small()
	o.Target = "user5[7]"
	if _, err := New(cell, rec, o); err != nil {
		t.Errorf("target user5[7]: %v", err)
	}
}

// TestACanvasFollowsAMovingCamera renders a flight with a hold in the
// middle frame after frame on one canvas, which redoes its coverage in
// the same memory and keeps it while the camera holds, and checks every
// frame against one rendered on a new canvas.
func TestACanvasFollowsAMovingCamera(t *testing.T) {
	cell, rec, err := blenderspike.ReadFile("../testdata/l5_bap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	o := small()
	o.Keys = []Keyframe{{Frame: 0}, {Frame: 4, Target: "soma", Zoom: 4}, {Frame: 8, Target: "soma", Zoom: 4}, {Frame: 12, Azimuth: 60}}
	m, err := New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	c := m.NewCanvas()
	for k := range 14 {
		img, err := m.Render(k, c)
		if err != nil {
			t.Fatal(err)
		}
		got := slices.Clone(img.Pix)
		want, err := m.Render(k, m.NewCanvas())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want.Pix) {
			t.Fatalf("frame %d on a reused canvas differs from a new canvas's", k)
		}
	}
}

func TestKeyframesFlyFromTheWholeCellToTheSoma(t *testing.T) {
	cell, rec, err := blenderspike.ReadFile("../testdata/l5_bap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	o := small()
	o.Keys = []Keyframe{{Frame: 0}, {Frame: 20, Target: "soma", Zoom: 8, Azimuth: 40}}
	m, err := New(cell, rec, o)
	if err != nil {
		t.Fatal(err)
	}
	if !m.Moving() {
		t.Fatal("a keyframed camera does not count as moving")
	}
	for _, k := range []int{20, 100} {
		if x, y := m.Locate(morph.SomaCenter(cell), k); math.Abs(x-48) > 1e-6 || math.Abs(y-32) > 1e-6 {
			t.Errorf("frame %d: soma at (%g, %g), want the centre (48, 32)", k, x, y)
		}
	}
	if x, _ := m.Locate(morph.SomaCenter(cell), 0); math.Abs(x-48) < 1 {
		t.Errorf("frame 0 frames the whole cell, yet the soma (off its centre) is at the picture's centre")
	}
	// Frames along the flight render, and differ as the camera moves.
	a, err := m.Render(5, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	pa := append([]uint8(nil), a.Pix...)
	b, err := m.Render(15, m.NewCanvas())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(pa, b.Pix) {
		t.Error("frames 5 and 15 of a camera flight are identical")
	}
	o.Orbit = 90
	if _, err := New(cell, rec, o); err == nil {
		t.Error("an orbit and keyframes together were accepted")
	}
}

func TestColorByWithoutARecording(t *testing.T) {
	cell, _, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		by   string
		want [3]uint8 // the colour at the middle of the axon
	}{
		{ByType, TypeColors[1]},
		{ByColor, [3]uint8{10, 200, 30}},
	} {
		o := small()
		// Close up on the axon's middle, so that it is many pixels wide.
		o.ColorBy, o.Color, o.Look.Bloom = tc.by, [3]uint8{10, 200, 30}, 0
		o.Target, o.View.Zoom = "1", 40
		m, err := New(cell, nil, o)
		if err != nil {
			t.Fatalf("%s: %v", tc.by, err)
		}
		img, err := m.Render(0, m.NewCanvas())
		if err != nil {
			t.Fatal(err)
		}
		x, y := m.Locate(morph.Point{X: 6.308, Y: 100}, 0)
		if got := img.RGB(int(x), int(y)); got != tc.want {
			t.Errorf("%s: the axon's middle is %v, want %v", tc.by, got, tc.want)
		}
		if m.Frames() != 1 {
			t.Errorf("%s: %d frames, want a still", tc.by, m.Frames())
		}
	}
	o := small()
	if _, err := New(cell, nil, o); err == nil || !strings.Contains(err.Error(), "color-by") {
		t.Errorf("colour by voltage without a recording: %v", err)
	}
}

func TestPathDistances(t *testing.T) {
	// A soma of length 10 along X, a dendrite of length 30 from its end,
	// and a branch of length 20 from the dendrite's middle.
	cell := &morph.Cell{Sections: []morph.Section{
		{Type: "soma", Parent: -1, Points: []morph.Point{{X: -5, Diam: 8}, {X: 5, Diam: 8}}},
		{Type: "dend", Parent: 0, ParentX: 1, Points: []morph.Point{{X: 5, Diam: 1}, {X: 35, Diam: 1}}},
		{Type: "dend", Parent: 1, ParentX: 0.5, Points: []morph.Point{{X: 20, Diam: 1}, {X: 20, Y: 20, Diam: 1}}},
	}}
	d := pathDistances(cell)
	for i, want := range []span{{-5, 5}, {5, 35}, {20, 40}} {
		if math.Abs(d[i].start-want.start) > 1e-9 || math.Abs(d[i].end-want.end) > 1e-9 {
			t.Errorf("section %d: %+v, want %+v", i, d[i], want)
		}
	}
	o := DefaultOptions()
	o.ColorBy = ByDistance
	rec, err := o.coloring(cell, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if v := rec.Frame(2, 0); v[0] != 21.25 || v[len(v)-1] != 38.75 {
		t.Errorf("branch distances %v, want 21.25 … 38.75 at its segment centres", v)
	}
}

// validateCase is one Options.Validate case: a change to the defaults and
// the start of the *OptionError it gives ("" for valid options).
type validateCase struct {
	name string
	set  func(o *Options)
	want string
}

// checkValidate runs Validate on each case's options.
func checkValidate(t *testing.T, tests []validateCase) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			o := DefaultOptions()
			tc.set(&o)
			err := o.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var oe *OptionError
			if !errors.As(err, &oe) || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want an *OptionError beginning %q", err, tc.want)
			}
		})
	}
}

// TestCanvasTellsUnchangedFrames renders the end of the simple_ap
// recording, where the cell is back at rest, frame after frame on one
// canvas: some frames look exactly like the one before, and each is byte
// for byte what a fresh canvas draws; with annotations (the time moves)
// no frame is unchanged.
func TestCanvasTellsUnchangedFrames(t *testing.T) {
	for _, transparent := range []bool{false, true} {
		o := small()
		o.Look.Transparent = transparent
		m := newMovie(t, "simple_ap", o)
		c := m.NewCanvas()
		var last []uint8
		unchanged := 0
		for k := m.Frames() - 40; k < m.Frames(); k++ {
			img, err := m.Render(k, c)
			if err != nil {
				t.Fatal(err)
			}
			pix := append(slices.Clone(img.Pix), img.Alpha...)
			if c.Unchanged() {
				unchanged++
				if !bytes.Equal(pix, last) {
					t.Fatalf("transparent %v, frame %d: unchanged, but its picture differs from the last", transparent, k)
				}
			}
			want, err := m.Render(k, m.NewCanvas())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pix, append(slices.Clone(want.Pix), want.Alpha...)) {
				t.Fatalf("transparent %v, frame %d: differs from a fresh canvas's", transparent, k)
			}
			last = pix
		}
		if unchanged < 10 {
			t.Errorf("transparent %v: %d of 40 frames at rest unchanged, want most", transparent, unchanged)
		}
	}

	o := small()
	o.Annotate()
	m := newMovie(t, "simple_ap", o)
	c := m.NewCanvas()
	for k := m.Frames() - 5; k < m.Frames(); k++ {
		if _, err := m.Render(k, c); err != nil {
			t.Fatal(err)
		}
		if c.Unchanged() {
			t.Errorf("annotated frame %d unchanged", k)
		}
	}
}
