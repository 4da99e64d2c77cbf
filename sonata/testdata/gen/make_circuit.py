#!/usr/bin/python3
"""Builds the SONATA circuits, reports and hostile files the sonata package's tests read.

Run from the repository root with Debian's Python, NEURON and h5py
(apt-get install python3-neuron python3-h5py):

    /usr/bin/python3 sonata/testdata/gen/make_circuit.py

It writes two small networks, each simulated with NEURON and written as the
SONATA specification and the simulators that follow it lay out their files:

  sonata/testdata/bbp/    the Blue Brain Project's way (neurodamus,
      libsonata): one nodes file without node types, one node group,
      positions and orientation quaternions in float32, morphologies named
      without extension and found by format (SWC, else Neurolucida ASC),
      string attributes stored as @library enumerations; a compartment
      report of every compartment and a soma report, float32, chunked and
      deflated, with index_pointers of N+1 entries and no element_pos;
      spikes sorted by time.
  sonata/testdata/allen/  the Allen Institute's way (BMTK BioNet): a root
      config naming the circuit and simulation configs, manifests with
      ${configdir}, a nodes file and a space-separated node types CSV per
      population, two node groups (one with a y rotation, one with x, y and
      z rotations and a morphology that overrides the node type's), an
      explicit node_id dataset; a compartment report of some of the cells,
      float64, with element_pos and a BMTK-style index_pointer dataset.

Both have a biophysical population of morphologies from
testdata/morphologies/neurom/ (Hodgkin-Huxley channels everywhere, NEURON's
Import3d section order: soma, axon, dend, apic) and a population of
IntFire1 point neurons driven by NetStims that excite the cells through
ExpSyn synapses. Every compartment's voltage is recorded at the report
step and written as NEURON computed it; spikes are NetCon threshold
crossings (and IntFire1 firings).

expected.json in each directory holds what the Go tests compare with: every
node's position, rotation matrix and a morphology point placed in the world,
spot voltages of known compartments at known frames, every spike time, and
the members of the node sets. sonata/testdata/bad/ holds hostile reports,
spike files and node files, each broken in one way.

Every HDF5 object is written without modification times, so the output is
the same from run to run with the same NEURON and h5py.
"""

import json
import math
import os

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
TESTDATA = os.path.dirname(HERE)
ROOT = os.path.dirname(os.path.dirname(TESTDATA))
MORPHS = os.path.join(ROOT, "testdata", "morphologies", "neurom")

TSTOP = 40.0
DT = 0.025
V_INIT = -65.0

_templates = 0


def h5file(path):
    """A new HDF5 file with the SONATA magic and version attributes."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    f = h5py.File(path, "w", track_order=False)
    f.attrs.create("magic", 0x0A7A, dtype="u4")
    f.attrs.create("version", [0, 1], dtype="u4")
    return f


def dset(grp, name, data, dtype=None, **kw):
    """A dataset without modification times (for reproducible files)."""
    return grp.create_dataset(name, data=data, dtype=dtype, track_times=False, **kw)


def strings(grp, name, values):
    return dset(grp, name, np.array(values, dtype=object), dtype=h5py.string_dtype())


def library(grp, name, values):
    """An @library-coded string attribute: integer codes plus the names."""
    names = sorted(set(values))
    dset(grp, name, [names.index(v) for v in values], dtype="u4")
    lib = grp.require_group("@library")
    strings(lib, name, names)


def rot_x(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def euler_matrix(ax, ay, az):
    """The SONATA rotation: about z first, then y, then x, all about the
    fixed axes of the world, so a point p goes to Rx Ry Rz p."""
    return rot_x(ax) @ rot_y(ay) @ rot_z(az)


def quaternion_matrix(w, x, y, z):
    n = math.sqrt(w * w + x * x + y * y + z * z)
    w, x, y, z = w / n, x / n, y / n, z / n
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ])


class Cell:
    """One morphology instantiated in NEURON with Import3d, in a template
    of its own so that section arrays of different cells never share a size."""

    def __init__(self, h, filename):
        global _templates
        _templates += 1
        name = "SonataCell%d" % _templates
        h("""
begintemplate %s
public soma, axon, dend, apic, all, somatic, axonal, basal, apical
create soma[1], axon[1], dend[1], apic[1]
objref all, somatic, axonal, basal, apical
proc init() { all = new SectionList() somatic = new SectionList() axonal = new SectionList() basal = new SectionList() apical = new SectionList() }
endtemplate %s
""" % (name, name))
        self.obj = getattr(h, name)()
        reader = h.Import3d_SWC_read() if filename.endswith(".swc") else h.Import3d_Neurolucida3()
        reader.quiet = 1
        reader.input(os.path.join(MORPHS, filename))
        h.Import3d_GUI(reader, 0).instantiate(self.obj)
        # Section ids as SONATA numbers them: the soma, then axon, basal
        # and apical sections, each in the order Import3d made them. The
        # template's placeholder sections (no 3-D points) are not the cell's.
        self.sections = []
        for array in ("soma", "axon", "dend", "apic"):
            for sec in getattr(self.obj, array):
                if sec.n3d() > 0:
                    self.sections.append(sec)
                else:
                    h.delete_section(sec=sec)
        for sec in self.sections:
            sec.Ra = 100
            sec.cm = 1
            sec.insert("hh")
            sec.nseg = 1 if sec is self.sections[0] else min(9, 1 + 2 * int(sec.L / 4))
        self.soma = self.sections[0]

    def name(self, sec):
        return sec.name().split(".")[-1]

    def points(self, sec):
        return np.array([[sec.x3d(i), sec.y3d(i), sec.z3d(i)] for i in range(int(sec.n3d()))])

    def soma_center(self):
        """The soma's arc-length midpoint, where SONATA puts the node."""
        pts = self.points(self.soma)
        if len(pts) == 1:
            return pts[0]
        seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
        half = seg.sum() / 2
        run = 0.0
        for i, d in enumerate(seg):
            if run + d >= half and d > 0:
                return pts[i] + (pts[i + 1] - pts[i]) * ((half - run) / d)
            run += d
        return pts[-1]


def simulate(h, cells, inputs, report_dt):
    """Runs the network; returns per cell the voltage of every compartment
    (sections in id order, segments along each) at t = 0, report_dt, … <
    TSTOP, and the spike times of the cells and of the point neurons.

    inputs: per point neuron (start, interval, number, [(cell, weight)]).
    """
    keep = []
    traces = []
    for c in cells:
        vecs = []
        for sec in c.sections:
            for seg in sec:
                v = h.Vector()
                v.record(seg._ref_v, report_dt)
                vecs.append(v)
        traces.append(vecs)
    cell_spikes = []
    for c in cells:
        t = h.Vector()
        nc = h.NetCon(c.soma(0.5)._ref_v, None, sec=c.soma)
        nc.threshold = -15
        nc.record(t)
        keep.append(nc)
        cell_spikes.append(t)
    point_spikes = []
    for start, interval, number, targets in inputs:
        stim = h.NetStim()
        stim.start, stim.interval, stim.number, stim.noise = start, interval, number, 0
        lif = h.IntFire1()
        lif.tau, lif.refrac = 10, 2
        drive = h.NetCon(stim, lif)
        drive.weight[0] = 1.5
        t = h.Vector()
        out = h.NetCon(lif, None)
        out.record(t)
        point_spikes.append(t)
        keep += [stim, lif, drive, out]
        for cell, sec_index, weight in targets:
            sec = cells[cell].sections[sec_index]
            syn = h.ExpSyn(sec(0.5))
            syn.tau, syn.e = 2, 0
            nc = h.NetCon(lif, syn)
            nc.weight[0], nc.delay = weight, 1
            keep += [syn, nc]
    h.dt = DT
    h.finitialize(V_INIT)
    h.continuerun(TSTOP)
    frames = int(round(TSTOP / report_dt))
    volts = [np.array([list(v)[:frames] for v in vecs]).T for vecs in traces]
    return volts, [list(t) for t in cell_spikes], [list(t) for t in point_spikes]


def mapping(cells, order):
    """element ids, element positions and index pointers of a report of the
    cells at indices order, every compartment, in morphological order."""
    ids, pos, ptr = [], [], [0]
    for k in order:
        for s, sec in enumerate(cells[k].sections):
            for seg in sec:
                ids.append(s)
                pos.append(seg.x)
        ptr.append(len(ids))
    return ids, pos, ptr


def probes(cells, volts, order, frames, picks, dtype):
    """Spot values: node, section, segment and frame, with the voltage the
    report holds there (as stored: float32 or float64)."""
    out = []
    for node, sec_index, seg_index, frame in picks:
        c = cells[node]
        col = sum(sec.nseg for sec in c.sections[:sec_index]) + seg_index
        sec = c.sections[sec_index]
        assert seg_index < sec.nseg and frame < frames
        out.append({
            "node": node,
            "section": sec_index,
            "section_name": c.name(sec),
            "nseg": sec.nseg,
            "segment": seg_index,
            "frame": frame,
            "v": float(np.array(volts[node][frame, col], dtype=dtype)),
        })
    return out


def placed(cell, pos, rot):
    """Where the cell's soma centre and the last point of its last section
    land: R (p − soma centre) + position."""
    c = cell.soma_center()
    last = cell.points(cell.sections[-1])[-1]
    return {
        "soma_center": list(map(float, c)),
        "last_section": len(cell.sections) - 1,
        "last_point": list(map(float, rot @ (last - c) + pos)),
    }


def spikes_file(path, pops, sorting):
    """A spike report: per population (node id, time) pairs, sorted by time."""
    with h5file(path) as f:
        root = f.create_group("spikes")
        for name, trains in pops.items():
            pairs = sorted((t, n) for n, ts in enumerate(trains) for t in ts)
            grp = root.create_group(name)
            if sorting == "enum":
                kind = h5py.enum_dtype({"none": 0, "by_id": 1, "by_time": 2}, basetype="u1")
                grp.attrs.create("sorting", 2, dtype=kind)
            else:
                grp.attrs["sorting"] = sorting
            ts = dset(grp, "timestamps", [t for t, _ in pairs], dtype="f8")
            ts.attrs["units"] = "ms"
            dset(grp, "node_ids", [n for _, n in pairs], dtype="u8")


def spike_facts(trains):
    return {str(n): ts for n, ts in enumerate(trains) if ts}


def write_json(path, value):
    with open(path, "w") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.write("\n")


# ---------------------------------------------------------------- BBP flavour

BBP_CELLS = [
    # morphology file, name in the nodes file, mtype, etype, layer
    ("simple.swc", "simple", "L5_TPC", "cADpyr", 5),
    ("sample.asc", "sample", "L4_SS", "cNAC", 4),
    ("Single_apical.swc", "Single_apical", "L5_TPC", "cADpyr", 5),
    ("multifurcation.asc", "multifurcation", "L23_PC", "bAC", 2),
    ("z_jump.swc", "z_jump", "L6_BPC", "cNAC", 6),
]


def bbp(h, rng):
    out = os.path.join(TESTDATA, "bbp")
    n = len(BBP_CELLS)
    cells = [Cell(h, f) for f, *_ in BBP_CELLS]
    pos = np.array([[100.0 * i - 150.0, 40.0 * (i % 2), -30.0 + 15.0 * i] for i in range(n)], dtype="f4")
    quat = rng.normal(size=(n, 4)).astype("f4")
    quat[0] = [1, 0, 0, 0]  # the first cell as its file draws it
    thal_pos = np.array([[-200.0, 300.0, 0.0], [0.0, 300.0, 0.0], [200.0, 300.0, 0.0]], dtype="f4")

    report_dt = 0.25
    inputs = [
        (2.0, 6.0, 5, [(0, 0, 0.004), (1, 0, 0.004)]),
        (5.0, 9.0, 3, [(2, 0, 0.002), (3, 0, 0.003), (4, 2, 0.05)]),
        (12.0, 20.0, 1, [(0, 4, 0.004)]),
    ]
    volts, cell_spk, point_spk = simulate(h, cells, inputs, report_dt)
    frames = volts[0].shape[0]

    with h5file(os.path.join(out, "nodes.h5")) as f:
        cortex = f.create_group("nodes/cortex")
        dset(cortex, "node_type_id", [-1] * n, dtype="i8")
        dset(cortex, "node_group_id", [0] * n, dtype="u4")
        dset(cortex, "node_group_index", list(range(n)), dtype="u8")
        g = cortex.create_group("0")
        for k, axis in enumerate("xyz"):
            dset(g, axis, pos[:, k], dtype="f4")
        for k, axis in enumerate("wxyz"):
            dset(g, "orientation_" + axis, quat[:, k], dtype="f4")
        strings(g, "morphology", [c[1] for c in BBP_CELLS])
        library(g, "model_type", ["biophysical"] * n)
        library(g, "mtype", [c[2] for c in BBP_CELLS])
        strings(g, "etype", [c[3] for c in BBP_CELLS])
        dset(g, "layer", [c[4] for c in BBP_CELLS], dtype="i4")
        strings(g, "model_template", ["hoc:SonataCell"] * n)
        dyn = g.create_group("dynamics_params")
        dset(dyn, "threshold_current", rng.uniform(0.01, 0.1, n), dtype="f4")

        thal = f.create_group("nodes/thalamus")
        m = len(thal_pos)
        dset(thal, "node_type_id", [-1] * m, dtype="i8")
        dset(thal, "node_group_id", [0] * m, dtype="u4")
        dset(thal, "node_group_index", list(range(m)), dtype="u8")
        g = thal.create_group("0")
        for k, axis in enumerate("xyz"):
            dset(g, axis, thal_pos[:, k], dtype="f4")
        library(g, "model_type", ["point_neuron"] * m)
        strings(g, "model_template", ["nrn:IntFire1"] * m)

    ids, _, ptr = mapping(cells, range(n))
    with h5file(os.path.join(out, "output", "compartments.h5")) as f:
        grp = f.create_group("report/cortex")
        data = np.concatenate(volts, axis=1).astype("f4")
        d = dset(grp, "data", data, dtype="f4", chunks=(16, 32), compression="gzip", compression_opts=4)
        d.attrs["units"] = "mV"
        mp = grp.create_group("mapping")
        nid = dset(mp, "node_ids", list(range(n)), dtype="u8")
        nid.attrs.create("sorted", 1, dtype="i1")
        dset(mp, "index_pointers", ptr, dtype="u8")
        dset(mp, "element_ids", ids, dtype="u4")
        t = dset(mp, "time", [0.0, TSTOP, report_dt], dtype="f8")
        t.attrs["units"] = "ms"

    with h5file(os.path.join(out, "output", "soma.h5")) as f:
        grp = f.create_group("report/cortex")
        data = np.stack([v[:, 0] for v in volts], axis=1).astype("f4")
        d = dset(grp, "data", data, dtype="f4", chunks=(32, n), compression="gzip", compression_opts=4)
        d.attrs["units"] = "mV"
        mp = grp.create_group("mapping")
        dset(mp, "node_ids", list(range(n)), dtype="u8")
        dset(mp, "index_pointers", list(range(n + 1)), dtype="u8")
        dset(mp, "element_ids", [0] * n, dtype="u4")
        t = dset(mp, "time", [0.0, TSTOP, report_dt], dtype="f8")
        t.attrs["units"] = "ms"

    spikes_file(os.path.join(out, "output", "spikes.h5"),
                {"cortex": cell_spk, "thalamus": point_spk}, "enum")

    write_json(os.path.join(out, "circuit_config.json"), {
        "version": 2,
        "manifest": {
            "$BASE_DIR": ".",
            "$MORPHOLOGIES": "$BASE_DIR/../../../testdata/morphologies/neurom",
        },
        "components": {
            "morphologies_dir": "$MORPHOLOGIES",
            "alternate_morphologies": {"neurolucida-asc": "$MORPHOLOGIES"},
        },
        "node_sets_file": "$BASE_DIR/node_sets.json",
        "networks": {
            "nodes": [{
                "nodes_file": "$BASE_DIR/nodes.h5",
                "populations": {
                    "cortex": {"type": "biophysical"},
                    "thalamus": {"type": "point_neuron"},
                },
            }],
            "edges": [],
        },
    })
    write_json(os.path.join(out, "simulation_config.json"), {
        "version": 2,
        "manifest": {"$OUTPUT_DIR": "./output"},
        "network": "circuit_config.json",
        "target_simulator": "NEURON",
        "run": {"tstop": TSTOP, "dt": DT, "random_seed": 1},
        "conditions": {"v_init": V_INIT},
        "node_set": "Mosaic",
        "output": {"output_dir": "$OUTPUT_DIR", "spikes_file": "spikes.h5", "spikes_sort_order": "by_time"},
        "reports": {
            "compartments": {
                "cells": "Mosaic", "sections": "all", "type": "compartment", "variable_name": "v",
                "unit": "mV", "dt": report_dt, "start_time": 0.0, "end_time": TSTOP,
                "file_name": "compartments",
            },
            "soma": {
                "cells": "Mosaic", "sections": "soma", "type": "compartment", "variable_name": "v",
                "unit": "mV", "dt": report_dt, "start_time": 0.0, "end_time": TSTOP,
            },
        },
    })
    node_sets = {
        "Mosaic": {"population": "cortex"},
        "Layer5": {"layer": 5},
        "Pyramidal": {"mtype": {"$regex": ".*_(TPC|PC)"}},
        "FirstTwo": {"population": "cortex", "node_id": [0, 1]},
        "Thalamus": {"population": "thalamus"},
        "DeepOrThalamus": ["Layer5", "Layer6", "Thalamus"],
        "Layer6": {"layer": {"$gte": 6}},
    }
    write_json(os.path.join(out, "node_sets.json"), node_sets)

    mtypes = [c[2] for c in BBP_CELLS]
    layers = [c[4] for c in BBP_CELLS]
    nodes = []
    for i, (fname, name, mtype, etype, layer) in enumerate(BBP_CELLS):
        q = [float(v) for v in quat[i]]
        rot = quaternion_matrix(*q)
        p = pos[i].astype("f8")
        nodes.append(dict(
            id=i, morphology=name, morphology_file=fname, model_type="biophysical",
            mtype=mtype, etype=etype, layer=layer, position=list(map(float, p)),
            rotation=rot.tolist(), sections=len(cells[i].sections),
            **placed(cells[i], p, rot)))
    thal = [dict(id=i, model_type="point_neuron", position=list(map(float, thal_pos[i].astype("f8"))))
            for i in range(len(thal_pos))]
    picks = [(0, 0, 0, 0), (0, 2, 1, 60), (1, 3, 2, 40), (2, 7, 2, 100), (3, 4, 1, 77),
             (4, 2, 8, frames - 1), (4, 2, 4, 45), (1, 0, 0, 30)]
    write_json(os.path.join(out, "expected.json"), {
        "populations": ["cortex", "thalamus"],
        "nodes": {"cortex": nodes, "thalamus": thal},
        "report": {
            "name": "compartments", "population": "cortex", "frames": frames,
            "time": [0.0, TSTOP, report_dt], "columns": len(ids), "node_ids": list(range(n)),
            "probes": probes(cells, volts, range(n), frames, picks, "f4"),
        },
        "soma_report": {
            "name": "soma", "population": "cortex", "frames": frames,
            "probes": [{"node": k, "frame": fr, "v": float(np.float32(volts[k][fr, 0]))}
                       for k, fr in [(0, 50), (2, 80), (4, frames - 1)]],
        },
        "spikes": {"cortex": spike_facts(cell_spk), "thalamus": spike_facts(point_spk)},
        "node_sets": {
            "Mosaic": {"cortex": list(range(n))},
            "Layer5": {"cortex": [i for i in range(n) if layers[i] == 5]},
            "Pyramidal": {"cortex": [i for i in range(n) if mtypes[i] in ("L5_TPC", "L23_PC")]},
            "FirstTwo": {"cortex": [0, 1]},
            "Thalamus": {"thalamus": [0, 1, 2]},
            "DeepOrThalamus": {"cortex": [i for i in range(n) if layers[i] >= 5], "thalamus": [0, 1, 2]},
        },
    })


# -------------------------------------------------------------- Allen flavour

ALLEN_TYPES = [
    # node_type_id, model_type, model_template, dynamics_params, morphology, pop_name, ei, location
    (100, "biophysical", "ctdb:Biophys1.hoc", "472363762_fit.json", "simple.swc", "Scnn1a", "e", "VisL4"),
    (101, "biophysical", "ctdb:Biophys1.hoc", "472912177_fit.json", "Single_apical.swc", "Rorb", "e", "Vis L5"),
    (102, "biophysical", "ctdb:Biophys1.hoc", "473862421_fit.json", "sample.asc", 'Pvalb "fast"', "i", "NULL"),
]


def csv_field(v):
    s = str(v)
    if " " in s or '"' in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def allen(h, rng):
    out = os.path.join(TESTDATA, "allen")
    net = os.path.join(out, "network")
    os.makedirs(net, exist_ok=True)

    # node: (type id, group, morphology, group attributes)
    v1 = [
        (100, 0, "simple.swc", {"x": 10.0, "y": -20.0, "z": 5.0, "rotation_angle_yaxis": 0.7, "tuning_angle": 45.0}),
        (101, 1, "Single_apical.swc", {"x": -80.0, "y": 15.0, "z": 40.0, "rotation_angle_xaxis": 0.3,
                                       "rotation_angle_yaxis": -1.1, "rotation_angle_zaxis": 2.0}),
        (102, 0, "sample.asc", {"x": 60.0, "y": 90.0, "z": -10.0, "rotation_angle_yaxis": -2.5, "tuning_angle": 135.0}),
        (102, 1, "multifurcation.asc", {"x": 150.0, "y": -60.0, "z": 20.0, "rotation_angle_xaxis": -0.4,
                                        "rotation_angle_yaxis": 0.25, "rotation_angle_zaxis": -1.3}),
    ]
    cells = [Cell(h, m) for _, _, m, _ in v1]
    lif_pos = [[0.0, 200.0, 0.0], [100.0, 200.0, 0.0], [-100.0, 200.0, 50.0]]

    report_dt = 0.5
    inputs = [
        (3.0, 7.0, 4, [(0, 0, 0.004), (1, 0, 0.002)]),
        (8.0, 10.0, 3, [(2, 0, 0.004), (3, 2, 0.01)]),
        (20.0, 5.0, 2, [(1, 5, 0.003)]),
    ]
    volts, cell_spk, point_spk = simulate(h, cells, inputs, report_dt)
    frames = volts[0].shape[0]

    with h5file(os.path.join(net, "v1_nodes.h5")) as f:
        pop = f.create_group("nodes/v1")
        dset(pop, "node_id", list(range(len(v1))), dtype="u8")
        dset(pop, "node_type_id", [t for t, *_ in v1], dtype="u8")
        dset(pop, "node_group_id", [g for _, g, *_ in v1], dtype="u8")
        index, counts = [], {}
        for _, g, *_ in v1:
            index.append(counts.get(g, 0))
            counts[g] = counts.get(g, 0) + 1
        dset(pop, "node_group_index", index, dtype="u8")
        for g in (0, 1):
            members = [n for n in v1 if n[1] == g]
            grp = pop.create_group(str(g))
            for key in members[0][3]:
                dset(grp, key, [n[3][key] for n in members], dtype="f8")
            if g == 1:
                strings(grp, "morphology", [n[2] for n in members])
            grp.create_group("dynamics_params")
    with open(os.path.join(net, "v1_node_types.csv"), "w") as f:
        f.write("node_type_id model_type model_template dynamics_params morphology pop_name ei location\n")
        for row in ALLEN_TYPES:
            f.write(" ".join(csv_field(v) for v in row) + "\n")

    with h5file(os.path.join(net, "lif_nodes.h5")) as f:
        pop = f.create_group("nodes/lif")
        m = len(lif_pos)
        dset(pop, "node_id", list(range(m)), dtype="u8")
        dset(pop, "node_type_id", [200] * m, dtype="u8")
        dset(pop, "node_group_id", [0] * m, dtype="u8")
        dset(pop, "node_group_index", list(range(m)), dtype="u8")
        grp = pop.create_group("0")
        for k, axis in enumerate("xyz"):
            dset(grp, axis, [p[k] for p in lif_pos], dtype="f8")
    with open(os.path.join(net, "lif_node_types.csv"), "w") as f:
        f.write("node_type_id  model_type   model_template  dynamics_params  pop_name\n")
        f.write("200  point_neuron   nrn:IntFire1  IntFire1_exc_1.json  LIF_exc\n")

    order = [2, 0, 3]  # the cells the report holds, in the order it holds them
    ids, pos, ptr = mapping(cells, order)
    with h5file(os.path.join(out, "output", "v_report.h5")) as f:
        grp = f.create_group("report/v1")
        data = np.concatenate([volts[k] for k in order], axis=1)
        d = dset(grp, "data", data, dtype="f8", chunks=True, compression="gzip", shuffle=True)
        d.attrs["units"] = "mV"
        d.attrs["variable"] = "v"
        mp = grp.create_group("mapping")
        dset(mp, "node_ids", order, dtype="u8")
        dset(mp, "element_ids", ids, dtype="u8")
        dset(mp, "element_pos", pos, dtype="f8")
        dset(mp, "index_pointer", ptr, dtype="u8")
        dset(mp, "time", [0.0, TSTOP, report_dt], dtype="f8")

    spikes_file(os.path.join(out, "output", "spikes.h5"), {"v1": cell_spk, "lif": point_spk}, "by_time")

    write_json(os.path.join(out, "config.json"), {
        "network": "circuit_config.json",
        "simulation": "simulation_config.json",
    })
    write_json(os.path.join(out, "circuit_config.json"), {
        "manifest": {
            "$BASE_DIR": "${configdir}",
            "$NETWORK_DIR": "$BASE_DIR/network",
            "$COMPONENTS_DIR": "$BASE_DIR/../../../testdata/morphologies",
        },
        "components": {"morphologies_dir": "$COMPONENTS_DIR/neurom"},
        "networks": {
            "nodes": [
                {"nodes_file": "$NETWORK_DIR/v1_nodes.h5", "node_types_file": "$NETWORK_DIR/v1_node_types.csv"},
                {"nodes_file": "$NETWORK_DIR/lif_nodes.h5", "node_types_file": "$NETWORK_DIR/lif_node_types.csv"},
            ],
            "edges": [],
        },
    })
    write_json(os.path.join(out, "simulation_config.json"), {
        "manifest": {"$BASE_DIR": "${configdir}", "$OUTPUT_DIR": "$BASE_DIR/output"},
        "target_simulator": "NEURON",
        "run": {"tstart": 0.0, "tstop": TSTOP, "dt": DT, "dL": 20.0, "spike_threshold": -15.0, "nsteps_block": 5000},
        "conditions": {"celsius": 34.0, "v_init": V_INIT},
        "output": {"log_file": "log.txt", "output_dir": "${OUTPUT_DIR}", "spikes_file": "spikes.h5"},
        "reports": {
            "v_report": {"variable_name": "v", "cells": "bio_subset", "module": "membrane_report",
                         "sections": "all", "dt": report_dt},
        },
        "node_sets_file": "$BASE_DIR/node_sets.json",
    })
    node_sets = {
        "bio_subset": {"population": "v1", "node_id": [0, 2, 3]},
        "excitatory": {"ei": "e"},
        "lif": {"population": "lif"},
        "excitatory_or_lif": ["excitatory", "lif"],
        "wide_tuning": {"tuning_angle": {"$gte": 90}},
        "fast": {"pop_name": 'Pvalb "fast"', "model_type": ["biophysical", "single_compartment"]},
    }
    write_json(os.path.join(out, "node_sets.json"), node_sets)

    types = {row[0]: row for row in ALLEN_TYPES}
    nodes = []
    for i, (tid, g, morph, attrs) in enumerate(v1):
        rot = euler_matrix(attrs.get("rotation_angle_xaxis", 0.0), attrs.get("rotation_angle_yaxis", 0.0),
                           attrs.get("rotation_angle_zaxis", 0.0))
        p = np.array([attrs["x"], attrs["y"], attrs["z"]])
        nodes.append(dict(
            id=i, type_id=tid, group=g, morphology=morph, morphology_file=morph,
            model_type="biophysical", pop_name=types[tid][5], ei=types[tid][6],
            position=list(map(float, p)), rotation=rot.tolist(), sections=len(cells[i].sections),
            **placed(cells[i], p, rot)))
    lif = [dict(id=i, model_type="point_neuron", position=lif_pos[i]) for i in range(len(lif_pos))]
    picks = [(2, 0, 0, 10), (0, 1, 1, 20), (3, 3, 3, 33), (3, 6, 1, frames - 1), (0, 6, 2, 7)]
    write_json(os.path.join(out, "expected.json"), {
        "populations": ["lif", "v1"],
        "nodes": {"v1": nodes, "lif": lif},
        "report": {
            "name": "v_report", "population": "v1", "frames": frames,
            "time": [0.0, TSTOP, report_dt], "columns": len(ids), "node_ids": order,
            "probes": probes(cells, volts, order, frames, picks, "f8"),
        },
        "spikes": {"v1": spike_facts(cell_spk), "lif": spike_facts(point_spk)},
        "node_sets": {
            "bio_subset": {"v1": [0, 2, 3]},
            "excitatory": {"v1": [0, 1]},
            "lif": {"lif": [0, 1, 2]},
            "excitatory_or_lif": {"v1": [0, 1], "lif": [0, 1, 2]},
            "wide_tuning": {"v1": [2]},
            "fast": {"v1": [2, 3]},
        },
    })


# ------------------------------------------------------------- hostile files

def bad_report(path, n_nodes=2, per_node=3, frames=4, **override):
    """A small BBP-style report, with any of its parts replaced (None: left out)."""
    cols = n_nodes * per_node
    parts = {
        "data": np.arange(frames * cols, dtype="f4").reshape(frames, cols),
        "node_ids": np.arange(n_nodes, dtype="u8"),
        "index_pointers": np.arange(0, cols + 1, per_node, dtype="u8"),
        "element_ids": np.tile(np.arange(per_node, dtype="u4"), n_nodes),
        "element_pos": None,
        "time": np.array([0.0, frames * 0.5, 0.5]),
        "population": "cortex",
        "mapping": True,
    }
    parts.update(override)
    with h5file(path) as f:
        grp = f.create_group("report/" + parts["population"])
        if parts["data"] is not None:
            dset(grp, "data", parts["data"])
        if not parts["mapping"]:
            return
        mp = grp.create_group("mapping")
        for key in ("node_ids", "index_pointers", "element_ids", "element_pos", "time"):
            if parts[key] is not None:
                dset(mp, key, parts[key])


def bad_nodes(path, **override):
    """A small nodes file of 3 nodes in one group, with parts replaced."""
    parts = {
        "node_type_id": np.full(3, -1, dtype="i8"),
        "node_group_id": np.zeros(3, dtype="u4"),
        "node_group_index": np.arange(3, dtype="u8"),
        "x": np.array([1.0, 2.0, 3.0]),
        "y": np.zeros(3),
        "z": np.zeros(3),
        "orientation_w": None,
        "mtype": None,
        "morphology": None,
        "group": "0",
    }
    parts.update(override)
    with h5file(path) as f:
        pop = f.create_group("nodes/cells")
        for key in ("node_type_id", "node_group_id", "node_group_index"):
            if parts[key] is not None:
                dset(pop, key, parts[key])
        g = pop.create_group(parts["group"])
        for key in ("x", "y", "z", "orientation_w"):
            if parts[key] is not None:
                dset(g, key, parts[key])
        if parts["orientation_w"] is not None:
            for axis in "xyz":
                dset(g, "orientation_" + axis, np.zeros(3))
        if parts["mtype"] is not None:
            codes, names = parts["mtype"]
            dset(g, "mtype", codes, dtype="u4")
            strings(g.create_group("@library"), "mtype", names)
        if parts["morphology"] is not None:
            dset(g, "morphology", parts["morphology"])


def bad_spikes(path, timestamps, node_ids):
    with h5file(path) as f:
        grp = f.create_group("spikes/cortex")
        if timestamps is not None:
            dset(grp, "timestamps", timestamps, dtype="f8")
        if node_ids is not None:
            dset(grp, "node_ids", node_ids, dtype="u8")


def hostile():
    out = os.path.join(TESTDATA, "bad")
    os.makedirs(out, exist_ok=True)
    r = lambda name, **kw: bad_report(os.path.join(out, name), **kw)
    r("report_data_1d.h5", data=np.arange(6, dtype="f4"))
    r("report_no_data.h5", data=None)
    r("report_no_mapping.h5", mapping=False)
    r("report_pointers_decreasing.h5", index_pointers=np.array([0, 4, 3], dtype="u8"))
    r("report_pointers_past_end.h5", index_pointers=np.array([0, 3, 9], dtype="u8"))
    r("report_pointers_too_many.h5", index_pointers=np.array([0, 3, 6, 6], dtype="u8"))
    r("report_element_ids_short.h5", element_ids=np.zeros(5, dtype="u4"))
    r("report_element_pos_nan.h5", element_pos=np.array([0.5, np.nan, 0.5, 0.5, 0.5, 0.5]))
    r("report_element_pos_outside.h5", element_pos=np.array([0.5, 0.5, 1.5, 0.5, 0.5, 0.5]))
    r("report_duplicate_nodes.h5", node_ids=np.array([7, 7], dtype="u8"))
    r("report_time_zero_step.h5", time=np.array([0.0, 2.0, 0.0]))
    r("report_time_two_values.h5", time=np.array([0.0, 2.0]))
    r("report_time_nan.h5", time=np.array([np.nan, 2.0, 0.5]))
    r("report_node_ids_2d.h5", node_ids=np.zeros((2, 1), dtype="u8"))
    r("report_section_past_cell.h5", element_ids=np.array([0, 1, 900, 0, 1, 2], dtype="u4"))
    s = lambda name, t, n: bad_spikes(os.path.join(out, name), t, n)
    s("spikes_length_mismatch.h5", [1.0, 2.0, 3.0], [0, 1])
    s("spikes_nan_time.h5", [1.0, np.nan], [0, 1])
    s("spikes_no_node_ids.h5", [1.0, 2.0], None)
    nd = lambda name, **kw: bad_nodes(os.path.join(out, name), **kw)
    nd("nodes_missing_group.h5", node_group_id=np.array([0, 0, 3], dtype="u4"))
    nd("nodes_index_past_group.h5", node_group_index=np.array([0, 1, 5], dtype="u8"))
    nd("nodes_short_type_ids.h5", node_type_id=np.full(2, -1, dtype="i8"))
    nd("nodes_no_group_ids.h5", node_group_id=None)
    nd("nodes_nan_position.h5", x=np.array([1.0, np.nan, 3.0]))
    nd("nodes_zero_quaternion.h5", orientation_w=np.zeros(3))
    nd("nodes_library_out_of_range.h5", mtype=(np.array([0, 1, 2], dtype="u4"), ["L5_TPC", "L4_SS"]))
    nd("nodes_text_position.h5", x=np.array([b"1", b"2", b"3"]))
    nd("nodes_short_attribute.h5", y=np.zeros(2))
    nd("nodes_numeric_morphology.h5", morphology=np.array([1.0, 2.0, 3.0]))
    with open(os.path.join(out, "not_hdf5.h5"), "w") as f:
        f.write("{\"this is\": \"JSON, not HDF5\"}\n")


def main():
    from neuron import h
    h.load_file("stdrun.hoc")
    h.load_file("import3d.hoc")
    rng = np.random.default_rng(18)
    bbp(h, rng)
    allen(h, rng)
    hostile()


if __name__ == "__main__":
    main()
