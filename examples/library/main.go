package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/spikeframes/spikeframes/blenderspike"
	"github.com/spikeframes/spikeframes/movie"
	"github.com/spikeframes/spikeframes/render"
)

func main() {
	if len(os.Args) != 4 {
		fmt.Fprintln(os.Stderr, "usage: library RECORDING FRAME OUT.png")
		os.Exit(2)
	}
	if err := renderFrame(os.Args[1], os.Args[2], os.Args[3]); err != nil {
		fmt.Fprintln(os.Stderr, "library:", err)
		os.Exit(1)
	}
}

// renderFrame writes frame number frame of the recording at path to out.
func renderFrame(path, frame, out string) error {
	k, err := strconv.Atoi(frame)
	if err != nil {
		return fmt.Errorf("frame %q: %w", frame, err)
	}
	cell, rec, err := blenderspike.ReadFile(path)
	if err != nil {
		return err
	}
	m, err := movie.New(cell, rec, movie.DefaultOptions())
	if err != nil {
		return err
	}
	img, err := m.Render(k, m.NewCanvas())
	if err != nil {
		return err
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if err := render.NewPNGEncoder().Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
