package render

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// TestSubtractBytes checks the Up filter against bytewise subtraction on
// rows of every length around the block and word sizes, equal to the row
// above in stretches (which the fast paths skip) and different elsewhere.
func TestSubtractBytes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 700 {
		a, b := make([]byte, n), make([]byte, n)
		for i := range a {
			a[i] = byte(rng.IntN(256))
			b[i] = a[i]
			if (i/37)%3 == 0 { // stretches of 37 equal bytes, then 74 that may differ
				continue
			}
			b[i] = byte(rng.IntN(256))
		}
		got := make([]byte, n)
		subtractBytes(got, a, b)
		for i := range a {
			if want := a[i] - b[i]; got[i] != want {
				t.Fatalf("length %d: byte %d is %d, want %d", n, i, got[i], want)
			}
		}
	}
}

// TestRepeatWritesTheLastFile checks that Repeat writes the file Encode
// made last, and refuses before there is one.
func TestRepeatWritesTheLastFile(t *testing.T) {
	enc := NewPNGEncoder()
	var first, again bytes.Buffer
	if err := enc.Repeat(&again); err == nil {
		t.Error("Repeat before Encode: no error")
	}
	img := NewImage(7, 5)
	img.Pix[3*8+1] = 200
	if err := enc.Encode(&first, img); err != nil {
		t.Fatal(err)
	}
	if err := enc.Repeat(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first.Bytes(), again.Bytes()) {
		t.Error("Repeat wrote another file than Encode")
	}
}
