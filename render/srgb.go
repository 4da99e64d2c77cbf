package render

import "math"

// srgbToLinear decodes an sRGB component in [0,1] to linear light.
func srgbToLinear(c float64) float64 {
	if c <= 0.04045 {
		return c / 12.92
	}
	return math.Pow((c+0.055)/1.055, 2.4)
}

// linearToSRGB encodes linear light in [0,1] as an sRGB component.
func linearToSRGB(c float64) float64 {
	if c <= 0.0031308 {
		return c * 12.92
	}
	return 1.055*math.Pow(c, 1/2.4) - 0.055
}

// encodeSteps is the resolution of the linear → sRGB table. At 2¹⁶ steps
// every 8-bit sRGB value survives the round trip through linear light
// exactly (the steepest part of the curve, 12.92, moves a value by at most
// 0.03 of an 8-bit step).
const encodeSteps = 1 << 16

// encodeSnap is how close (in 1/256 of an 8-bit level) a table entry must
// be to a whole level to be stored as exactly that level: the round trip's
// error, so that a decoded 8-bit colour also dithers to itself.
const encodeSnap = 16

// encodeTable maps round(linear·(encodeSteps−1)) to sRGB in 8.8 fixed
// point (256 × an 8-bit level).
var encodeTable = func() *[encodeSteps]uint16 {
	t := new([encodeSteps]uint16)
	for i := range t {
		v := int(math.Round(linearToSRGB(float64(i)/(encodeSteps-1)) * fixedOne))
		if level := (v + fixedHalf) >> 8 << 8; v-level < encodeSnap && level-v < encodeSnap {
			v = level
		}
		t[i] = uint16(v)
	}
	return t
}()

// encodeFixed converts linear light to sRGB in 8.8 fixed point, clipping
// to [0,1].
func encodeFixed(c float32) uint16 {
	if !(c > 0) {
		return 0
	}
	if c >= 1 {
		return fixedOne
	}
	return encodeTable[int(c*(encodeSteps-1)+0.5)&(encodeSteps-1)]
}

// encode8 converts linear light to 8-bit sRGB, clipping to [0,1].
func encode8(c float32) uint8 {
	return uint8((uint32(encodeFixed(c)) + fixedHalf) >> 8)
}

// decodeTable maps 8-bit sRGB to linear light.
var decodeTable = func() (t [256]float32) {
	for i := range t {
		t[i] = float32(srgbToLinear(float64(i) / 255))
	}
	return t
}()

// decode8 converts 8-bit sRGB to linear light.
func decode8(c uint8) float32 { return decodeTable[c] }
