package overlay

import (
	"fmt"
	"image"
	"math"
)

// ScaleBar is a bar of a round length in the bottom-left corner.
type ScaleBar struct {
	// MicronsPerPixel is the recorded length one pixel spans where the bar
	// is meant (the focal plane).
	MicronsPerPixel float64
	// Length is the bar's length in µm; 0 picks a round length (1, 2 or
	// 5 × 10ⁿ µm) of about a fifth of the picture's width.
	Length float64
}

// Scale bar proportions: the automatic length aims at autoShare of the
// picture width and stays within maxAutoShare (room for a colour bar at
// the bottom); its thickness is in hundredths of the picture's shorter side.
const (
	autoShare     = 0.2
	maxAutoShare  = 0.25
	scaleBarUnits = 0.7
	minScaleBarPx = 2
	labelGapUnits = 0.6
	minLabelGapPx = 2
	micron        = "µm"
)

// Pixels is the bar's length on screen for a picture width pixels wide,
// with the automatic length resolved: the length in µm and in pixels.
func (s ScaleBar) Pixels(width int) (microns, pixels float64, err error) {
	if !(s.MicronsPerPixel > 0) || math.IsInf(s.MicronsPerPixel, 0) {
		return 0, 0, fmt.Errorf("%v µm per pixel is not a scale", s.MicronsPerPixel)
	}
	microns = s.Length
	if microns == 0 {
		perPx := s.MicronsPerPixel
		microns = roundLength(autoShare*float64(width)*perPx, maxAutoShare*float64(width)*perPx)
	}
	if !(microns > 0) || math.IsInf(microns, 0) {
		return 0, 0, fmt.Errorf("%v µm is not a length", microns)
	}
	pixels = microns / s.MicronsPerPixel
	if pixels < 1 || pixels > float64(width) {
		return 0, 0, fmt.Errorf("%g µm would be %.1f pixels long at this scale in a picture %d wide", microns, pixels, width)
	}
	return microns, pixels, nil
}

// scaleBarLayout is where the scale bar goes and what it says.
type scaleBarLayout struct {
	rect   image.Rectangle // the bar and its label
	length float64         // the bar's length in pixels
	thick  float64
	label  string
}

// layoutScaleBar places the scale bar in the bottom-left corner.
func (l *Layer) layoutScaleBar(s ScaleBar) (*scaleBarLayout, error) {
	microns, length, err := s.Pixels(l.spec.Width)
	if err != nil {
		return nil, fmt.Errorf("scale bar: %w", err)
	}
	b := &scaleBarLayout{
		length: length,
		thick:  math.Max(minScaleBarPx, math.Round(scaleBarUnits*l.unit)),
		label:  Quantity(microns, decimalsOf(microns), micron),
	}
	f := l.small
	bottom := l.spec.Height - l.margin
	top := bottom - int(b.thick) - l.gap - f.lineHeight()
	b.rect = image.Rect(l.margin, top, l.margin+max(int(math.Ceil(length)), f.width(b.label)), bottom)
	return b, nil
}

// drawScaleBar draws the bar with its label centred above it.
func (l *Layer) drawScaleBar(b *scaleBarLayout) *image.RGBA {
	f := l.small
	ink := newInk(b.rect)
	x0, y1 := float64(b.rect.Min.X), float64(b.rect.Max.Y)
	box(ink, x0, y1-b.thick, x0+b.length, y1)
	lw := f.width(b.label)
	f.draw(ink, b.label, b.rect.Min.X+max(0, (int(math.Round(b.length))-lw)/2), b.rect.Max.Y-int(b.thick)-l.gap-f.descent)
	return l.marks(ink, haloRadius(f.size), nil)
}
