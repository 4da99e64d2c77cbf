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

// encodeSteps is the resolution of the linear → 8-bit sRGB table. At 2¹⁶
// steps every 8-bit sRGB value survives the round trip through linear light
// exactly (the steepest part of the curve, 12.92, moves a value by at most
// 0.03 of an 8-bit step).
const encodeSteps = 1 << 16

// encodeTable maps round(linear·(encodeSteps−1)) to 8-bit sRGB.
var encodeTable = func() []uint8 {
	t := make([]uint8, encodeSteps)
	for i := range t {
		t[i] = uint8(math.Round(linearToSRGB(float64(i)/(encodeSteps-1)) * 255))
	}
	return t
}()

// encode8 converts linear light to 8-bit sRGB, clipping to [0,1].
func encode8(c float32) uint8 {
	if !(c > 0) {
		return 0
	}
	if c >= 1 {
		return 255
	}
	return encodeTable[int(c*(encodeSteps-1)+0.5)]
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
