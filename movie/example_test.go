package movie_test

import (
	"fmt"
	"log"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/movie"
)

// Render one frame of a recording with the command line's default look.
func Example() {
	cell, rec, err := blenderspike.ReadFile("../testdata/simple_ap.pickle")
	if err != nil {
		log.Fatal(err)
	}
	o := movie.DefaultOptions()
	o.Width, o.Height = 320, 180
	m, err := movie.New(cell, rec, o)
	if err != nil {
		log.Fatal(err)
	}
	img, err := m.Render(150, m.NewCanvas())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d frames; frame 150 is %d×%d\n", m.Frames(), img.Width, img.Height)
	// Output: 300 frames; frame 150 is 320×180
}
