#!/usr/bin/python3
"""Writes a synthetic SONATA network for bench/network.sh.

    /usr/bin/python3 bench/network_gen.py OUT_DIR CELLS FRAMES MORPHOLOGY...

Each MORPHOLOGY is given as NAME:SECTIONS (its file in
testdata/morphologies/neurom and its section count as spikeframes numbers
sections). CELLS nodes take the morphologies in turn, stand at random places
in a block 600 x 1200 x 600 um and are turned at random (orientation
quaternions); a compartment report of FRAMES frames, 0.1 ms apart, gives
every section 3 compartments (the soma 1) a travelling wave of voltage,
float32, chunked and deflated as reports are. The seed is fixed, so the
network is the same on every run. Needs Debian's python3-h5py and numpy.
"""

import json
import os
import sys

import h5py
import numpy as np


def main():
    out, cells, frames = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    morphs = [(m.split(":")[0], int(m.split(":")[1])) for m in sys.argv[4:]]
    os.makedirs(os.path.join(out, "output"), exist_ok=True)
    rng = np.random.default_rng(7)
    names = [os.path.splitext(n)[0] for n, _ in morphs]
    which = np.arange(cells) % len(morphs)
    pos = rng.uniform([-300, -600, -300], [300, 600, 300], size=(cells, 3))
    q = rng.normal(size=(cells, 4))
    q /= np.linalg.norm(q, axis=1)[:, None]

    with h5py.File(os.path.join(out, "nodes.h5"), "w", track_order=True) as f:
        f.attrs.create("version", [0, 1], dtype="uint32")
        pop = f.create_group("nodes/bench")
        pop["node_type_id"] = np.full(cells, -1, dtype="int64")
        pop["node_group_id"] = np.zeros(cells, dtype="int64")
        pop["node_group_index"] = np.arange(cells, dtype="int64")
        g = pop.create_group("0")
        for i, axis in enumerate("xyz"):
            g[axis] = pos[:, i].astype("float32")
        for i, axis in enumerate("wxyz"):
            g["orientation_" + axis] = q[:, i].astype("float32")
        g["model_type"] = np.array([b"biophysical"] * cells)
        g["morphology"] = np.array([names[k].encode() for k in which])
        g["mtype"] = np.array([("M%d" % (k % 3)).encode() for k in which])

    counts = np.array([1 + 3 * (morphs[k][1] - 1) for k in which], dtype="int64")
    pointers = np.concatenate([[0], np.cumsum(counts)])
    columns = int(pointers[-1])
    ids = np.empty(columns, dtype="uint32")
    phase = np.empty(columns, dtype="float32")
    for n in range(cells):
        sections = morphs[which[n]][1]
        e = [0] + [s for s in range(1, sections) for _ in range(3)]
        ids[pointers[n]:pointers[n + 1]] = e
        phase[pointers[n]:pointers[n + 1]] = 0.01 * pos[n, 1] + 0.3 * np.arange(len(e)) / len(e)
    with h5py.File(os.path.join(out, "output", "compartments.h5"), "w") as f:
        r = f.create_group("report/bench")
        m = r.create_group("mapping")
        m["node_ids"] = np.arange(cells, dtype="uint64")
        m["index_pointers"] = pointers.astype("uint64")
        m["element_ids"] = ids
        t = m.create_dataset("time", data=np.array([0.0, 0.1 * frames, 0.1]))
        t.attrs["units"] = "ms"
        d = r.create_dataset("data", shape=(frames, columns), dtype="float32",
                             chunks=(min(frames, 16), min(columns, 4096)), compression="gzip", compression_opts=1)
        for k in range(frames):
            d[k, :] = -70 + 90 * np.exp(-((0.05 * k - phase) % 1.0) * 8)
        d.attrs["units"] = "mV"

    morph_dir = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "testdata", "morphologies", "neurom"))
    with open(os.path.join(out, "circuit_config.json"), "w") as f:
        json.dump({
            "manifest": {"$BASE_DIR": "."},
            "components": {"morphologies_dir": morph_dir, "alternate_morphologies": {"neurolucida-asc": morph_dir, "h5v1": morph_dir}},
            "networks": {"nodes": [{"nodes_file": "$BASE_DIR/nodes.h5", "populations": {"bench": {"type": "biophysical"}}}], "edges": []},
        }, f, indent=1)
    with open(os.path.join(out, "simulation_config.json"), "w") as f:
        json.dump({
            "network": "circuit_config.json",
            "run": {"tstop": 0.1 * frames, "dt": 0.025},
            "output": {"output_dir": "output"},
            "reports": {"compartments": {"cells": "All", "sections": "all", "type": "compartment",
                                         "variable_name": "v", "dt": 0.1, "start_time": 0, "end_time": 0.1 * frames}},
        }, f, indent=1)


if __name__ == "__main__":
    main()
