"""Write the small BBP HDF5 morphologies of testdata/morphologies/quirks/
and testdata/morphologies/refused/ with h5py.

quirks/ holds files the reader must read as BBP's tools do (facts.py
records what NEURON makes of them); refused/ holds files it must refuse,
each broken in one way. Objects carry no time stamps, so the files come
out byte for byte the same on every run with the same h5py and libhdf5.

Run from the repository root with Debian's h5py (python3-h5py):

    /usr/bin/python3 morphfile/testdata/h5files.py
"""

import os

import h5py
import numpy as np

MORPHOLOGIES = "testdata/morphologies"

# A soma outline (a square of side 4 around the origin) and three trees:
# a dendrite with two branches, an axon, and an apical dendrite, stored in
# that order, so that NEURON's order (axon first) differs from the file's.
SOMA = [[-2, -2, 0, 0], [2, -2, 0, 0], [2, 2, 0, 0], [-2, 2, 0, 0]]
TREES = [
    # (type, parent row, points)
    (3, 0, [[2, 0, 0, 1.5], [10, 0, 0, 1.2], [20, 1, 0, 1.0]]),
    (3, 1, [[20, 1, 0, 0.9], [30, 8, 0, 0.8], [40, 12, 1, 0.6]]),
    (3, 1, [[20, 1, 0, 0.7], [28, -6, 0, 0.6]]),
    (2, 0, [[0, -2, 0, 1.0], [0, -30, 0, 0.8], [1, -60, 2, 0.5]]),
    (4, 0, [[0, 2, 0, 2.0], [0, 40, 0, 1.8], [2, 90, -3, 1.2]]),
    (4, 5, [[2, 90, -3, 1.1], [10, 120, -3, 0.9]]),
    (4, 5, [[2, 90, -3, 1.0], [-8, 125, -2, 0.8]]),
]


def layout(soma=SOMA, trees=TREES):
    """points and structure rows for a soma and trees."""
    points = [list(p) for p in soma]
    structure = [[0, 1, -1]] if soma else []
    for typ, parent, pts in trees:
        structure.append([len(points), typ, parent])
        points.extend(pts)
    return np.array(points, dtype=np.float64), np.array(structure, dtype=np.int32)


def write(path, points, structure, **options):
    """A v1 file; options (chunks, compression, dtypes, metadata) vary it."""
    metadata = options.pop("metadata", None)
    point_type = options.pop("point_type", np.float64)
    perimeters = options.pop("perimeters", False)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with h5py.File(path, "w", track_order=False) as f:
        f.create_dataset("points", data=points.astype(point_type), track_times=False, **options)
        f.create_dataset("structure", data=structure, track_times=False, **options)
        if perimeters:
            f.create_dataset("perimeters", data=np.linspace(1, 2, len(points)), track_times=False)
        if metadata is not None:
            g = f.create_group("metadata")
            g.attrs["version"] = np.array(metadata, dtype=np.uint32)
            g.attrs["cell_family"] = np.uint32(0)
    print(path)


def main():
    quirks = os.path.join(MORPHOLOGIES, "quirks")
    refused = os.path.join(MORPHOLOGIES, "refused")
    points, structure = layout()
    # NEURON's order differs from the file's: trees sorted by type.
    write(os.path.join(quirks, "trees_unsorted.h5"), points, structure)
    # float32 points, chunked, shuffled and deflated, v1.1 metadata and
    # perimeters (which are not geometry).
    write(os.path.join(quirks, "compressed_v1_1.h5"), points, structure,
          chunks=True, compression="gzip", shuffle=True, point_type=np.float32,
          metadata=[1, 1], perimeters=True)
    # No soma: the trees are roots.
    points, structure = layout(soma=[], trees=[(t, p - 1, pts) for t, p, pts in TREES])
    write(os.path.join(quirks, "no_soma.h5"), points, structure)

    def broken(name, edit, points=None):
        p, s = layout()
        edit(s)
        write(os.path.join(refused, name), p if points is None else points, s)

    broken("past_points.h5", lambda s: s.__setitem__((7, 0), 100))
    broken("parent_later.h5", lambda s: s.__setitem__((2, 2), 5))
    broken("parent_cycle.h5", lambda s: s.__setitem__((3, 2), 3))
    broken("parent_out_of_range.h5", lambda s: s.__setitem__((4, 2), -7))
    broken("second_soma.h5", lambda s: s.__setitem__((5, 1), 1))
    p, s = layout(soma=SOMA[:2])
    write(os.path.join(refused, "two_point_soma.h5"), p, s)
    p, s = layout()
    p[9, 3] = np.nan
    write(os.path.join(refused, "nan_point.h5"), p, s)
    p, s = layout()
    write(os.path.join(refused, "version_2_metadata.h5"), p, s, metadata=[2, 0])
    with h5py.File(os.path.join(refused, "not_a_morphology.h5"), "w") as f:
        f.create_dataset("report", data=np.zeros((3, 4)), track_times=False)
    print(os.path.join(refused, "not_a_morphology.h5"))


if __name__ == "__main__":
    main()
