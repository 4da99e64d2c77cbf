package sonata

import (
	"errors"
	"fmt"
	"path"

	"github.com/spikeframes/spikeframes/hdf5"
)

// openDataset opens the dataset name in g; a missing one is an error
// that names it (and wraps hdf5.ErrNotFound).
func openDataset(g *hdf5.Group, name string) (*hdf5.Dataset, error) {
	ds, err := g.Dataset(name)
	if errors.Is(err, hdf5.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", path.Join(g.Path(), name), hdf5.ErrNotFound)
	}
	return ds, err
}

// openGroup opens the group name in g; a missing one is an error that
// names it (and wraps hdf5.ErrNotFound).
func openGroup(g *hdf5.Group, name string) (*hdf5.Group, error) {
	sub, err := g.Group(name)
	if errors.Is(err, hdf5.ErrNotFound) {
		return nil, fmt.Errorf("%s: %w", path.Join(g.Path(), name), hdf5.ErrNotFound)
	}
	return sub, err
}
