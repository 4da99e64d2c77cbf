"""Write facts.json: what NEURON's Import3d makes of every test morphology.

For each SWC and Neurolucida ASC file under testdata/morphologies/ this
loads the file the way NEURON users do (Import3d_SWC_read or
Import3d_Neurolucida3, then Import3d_GUI(reader, 0).instantiate(None)),
each file in a fresh NEURON process, and records the sections NEURON
created: count, counts per section array (soma, axon, dend, apic, dend_N,
...), total length of the non-soma sections (neurite_length, um), the
bounding box of their 3-D points, and per section its name, n3d, L, parent
and where on it the section attaches, first and last 3-D point (x, y, z,
diam) and, for small files, every 3-D point. The Go tests compare the
package's reading with these facts, so they need no NEURON.

NEURON 8.2 reads no HDF5. For each BBP HDF5 morphology (.h5, layout v1
or v2) the script writes the same cell in a format Import3d reads, and
records what NEURON makes of that: a cell whose soma is an outline (3
points or more), or that has no soma, as Neurolucida ASC, the outline as
the CellBody and each tree as nested branches; a cell whose soma is one
point as SWC. The HDF5 files in refused/ are broken on purpose
(h5files.py) and are recorded as refused without NEURON. A child
section's first point, which repeats its parent's last in the HDF5 file,
is left out, since Import3d adds that copy itself ("via": "asc" or
"swc"); Import3d gives the copy its parent's diameter, and the file gives
the child's first point a diameter of its own, which BBP's NEURON loader
keeps: the script sets it with pt3dchange after checking that the point
lies where the file puts it. Under "h5py" it also records the file's own numbers, read with
h5py: its structure rows, the types of the rows, the summed length of the
neurite rows' stored points and their bounding box.

NEURON 8.2's SWC reader fails on a file whose lines are not in id order (its
sort names the section variable diam instead of its own diameters); for such
a file the facts are those of the same lines sorted by id, with
"neuron_needs_id_order": true. A file NEURON refuses otherwise is recorded
as {"refused": "..."}.

Run from the repository root with Debian's NEURON (python3-neuron), which
is built for /usr/bin/python3:

    /usr/bin/python3 morphfile/testdata/facts.py
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

MORPHOLOGIES = "testdata/morphologies"
OUTPUT = "morphfile/testdata/facts.json"
# Files with at most this many 3-D points get every point recorded.
ALL_POINTS_UP_TO = 500


def instantiate(path, kind, firsts=None):
    """Runs in the child process: load path with Import3d, return the facts.
    firsts, for a file written from HDF5, lists every neurite section's
    first point in the file, in the order NEURON creates the sections, and
    whether it is a child's; each child's first 3-D point must lie there,
    and takes its diameter."""
    from neuron import h

    h.load_file("stdlib.hoc")
    h.load_file("import3d.hoc")
    reader = h.Import3d_SWC_read() if kind == "swc" else h.Import3d_Neurolucida3()
    reader.quiet = 1
    reader.input(path)
    gui = h.Import3d_GUI(reader, 0)
    gui.instantiate(None)

    secs = list(h.allsec())
    if firsts is not None:
        neurites = [s for s in secs if not s.name().startswith("soma")]
        if len(neurites) != len(firsts):
            raise RuntimeError("error: %d neurite sections, the file %d" % (len(neurites), len(firsts)))
        for s, (child, x, y, z, d) in zip(neurites, firsts):
            here = (s.x3d(0), s.y3d(0), s.z3d(0))
            if any(abs(a - b) > 1e-4 + 1e-6 * abs(b) for a, b in zip(here, (x, y, z))):
                raise RuntimeError("error: %s starts at %s, the file's section at %s"
                                   % (s.name(), here, (x, y, z)))
            if child:
                h.pt3dchange(0, d, sec=s)
    index = {s.name(): i for i, s in enumerate(secs)}
    facts = {"sections": len(secs), "types": {}, "n3d": 0, "neurite_length": 0.0}
    lo, hi = [None] * 3, [None] * 3
    listing = []
    for s in secs:
        name = s.name()
        array = name.split("[")[0]
        facts["types"][array] = facts["types"].get(array, 0) + 1
        n = int(s.n3d())
        facts["n3d"] += n
        pts = [[s.x3d(i), s.y3d(i), s.z3d(i), s.diam3d(i)] for i in range(n)]
        if array != "soma":
            facts["neurite_length"] += s.L
            for p in pts:
                for k in range(3):
                    lo[k] = p[k] if lo[k] is None else min(lo[k], p[k])
                    hi[k] = p[k] if hi[k] is None else max(hi[k], p[k])
        parent = s.parentseg()
        listing.append({
            "name": name,
            "n3d": n,
            "L": s.L,
            "parent": index[parent.sec.name()] if parent is not None else -1,
            "parent_x": parent.x if parent is not None else 0.0,
            "first": pts[0] if pts else None,
            "last": pts[-1] if pts else None,
            "points": pts,
        })
    if facts["n3d"] > ALL_POINTS_UP_TO:
        for sec in listing:
            del sec["points"]
    facts["bbox_min"] = lo if lo[0] is not None else None
    facts["bbox_max"] = hi if hi[0] is not None else None
    facts["section_list"] = listing
    return facts


def run_child(path, kind, firsts=None):
    """Runs this script on one file in a fresh NEURON; returns (facts, error)."""
    proc = subprocess.run(
        [sys.executable, __file__, "--one", kind, path, json.dumps(firsts)],
        capture_output=True, text=True, errors="replace",
    )
    for line in proc.stdout.splitlines():
        if line.startswith("FACTS "):
            return json.loads(line[len("FACTS "):]), None
    # NEURON's own complaint, without the Python traceback (which names
    # this script's path).
    lines = [l.strip() for l in (proc.stdout + "\n" + proc.stderr).splitlines()]
    said = [l for l in lines if l.startswith("NEURON:") or "error" in l.lower()
            and not l.startswith(("Traceback", "File ", "RuntimeError"))]
    return None, " / ".join(said[:2]) or "exit status %d" % proc.returncode


def sorted_by_id(path):
    """A temporary copy of an SWC file with its sample lines in id order."""
    comments, samples = [], []
    with open(path, "rb") as f:
        for line in f:
            fields = line.split()
            if fields and not fields[0].startswith(b"#"):
                samples.append((float(fields[0]), line))
            else:
                comments.append(line)
    samples.sort(key=lambda s: s[0])
    fd, tmp = tempfile.mkstemp(suffix=".swc")
    with os.fdopen(fd, "wb") as f:
        f.writelines(comments + [line for _, line in samples])
    return tmp


H5_TYPE_NAMES = {1: "soma", 2: "axon", 3: "dend", 4: "apic"}
ASC_TREE_TYPES = {2: "Axon", 3: "Dendrite", 4: "Apical"}


def read_h5(path):
    """The points (rows of x y z d) and sections (rows of first point,
    type, parent) of a BBP HDF5 morphology, v1 or v2."""
    import h5py
    import numpy as np

    with h5py.File(path, "r") as f:
        if "points" in f and "structure" in f:
            return np.array(f["points"], dtype=float), np.array(f["structure"], dtype=int)
        n = f["neuron1"]
        stage = next(s for s in ("repaired", "unraveled", "raw") if s in n)
        points = np.array(n[stage + "/points"], dtype=float)
        raw = np.array(n["structure/" + ("raw" if stage == "unraveled" else stage)], dtype=int)
        types = np.array(n["structure/sectiontype"], dtype=int).reshape(-1)
        return points, np.column_stack([raw[:, 0], types, raw[:, 1]])


def h5_own_facts(points, structure):
    """What the file itself says, without NEURON: rows, types of the rows,
    the summed length of the neurite rows' points and their bounding box."""
    import numpy as np

    ends = list(structure[1:, 0]) + [len(points)]
    facts = {"rows": len(structure), "types": {}, "neurite_length": 0.0}
    neurite = []
    for (first, typ, _), end in zip(structure, ends):
        name = H5_TYPE_NAMES.get(int(typ), "dend_%d" % typ)
        facts["types"][name] = facts["types"].get(name, 0) + 1
        if typ != 1:
            xyz = points[first:end, :3]
            facts["neurite_length"] += float(np.sum(np.linalg.norm(np.diff(xyz, axis=0), axis=1)))
            neurite.append(xyz)
    xyz = np.vstack(neurite)
    facts["bbox_min"] = [float(v) for v in xyz.min(axis=0)]
    facts["bbox_max"] = [float(v) for v in xyz.max(axis=0)]
    return facts


def h5_as_import3d(points, structure):
    """The cell of an HDF5 morphology as an ASC or SWC file Import3d
    reads: (kind, text, firsts) with firsts as instantiate takes them, or
    (None, reason, None) when it cannot be written so."""
    nrows = len(structure)
    nsoma = 0
    while nsoma < nrows and structure[nsoma, 1] == 1:
        nsoma += 1
    ends = list(structure[1:, 0]) + [len(points)]
    pts = [points[structure[i, 0]:ends[i]] for i in range(nrows)]
    children = [[] for _ in range(nrows)]
    roots = []
    for i in range(nsoma, nrows):
        parent = structure[i, 2]
        if parent < nsoma:
            roots.append(i)
            continue
        children[parent].append(i)
        if list(pts[i][0][:3]) != list(pts[parent][-1][:3]):
            return None, "row %d does not start with its parent's last point" % i, None
    if any(len(c) == 1 for c in children):
        return None, "a section with a single child", None
    roots.sort(key=lambda i: structure[i, 1])
    order = []
    stack = roots[::-1]
    while stack:
        i = stack.pop()
        order.append(i)
        stack.extend(children[i][::-1])
    order.sort(key=lambda i: structure[i, 1])
    firsts = [[bool(structure[i, 2] >= nsoma)] + [float(v) for v in pts[i][0]] for i in order]
    soma = points[:ends[nsoma - 1]] if nsoma else points[:0]
    num = lambda v: repr(float(v))
    if len(soma) == 1:
        lines, ids = [], {}
        x, y, z, d = soma[0]
        lines.append("1 1 %s %s %s %s -1" % (num(x), num(y), num(z), num(d / 2)))

        def add(i, parent_id, skip):
            for p in pts[i][skip:]:
                lines.append("%d %d %s %s %s %s %d" % (len(lines) + 1, structure[i, 1], num(p[0]),
                                                     num(p[1]), num(p[2]), num(p[3] / 2), parent_id))
                parent_id = len(lines)
            for c in children[i]:
                add(c, parent_id, 1)

        for r in roots:
            add(r, 1, 0)
        return "swc", "\n".join(lines) + "\n", firsts
    if 0 < len(soma) < 3:
        return None, "a soma of %d points" % len(soma), None
    if any(structure[i, 1] not in ASC_TREE_TYPES for i in range(nsoma, nrows)):
        return None, "a type Neurolucida cannot name", None
    point = lambda p: "(%s %s %s %s)" % tuple(num(v) for v in p)
    out = []
    if len(soma):
        out.append('("CellBody"\n (CellBody)\n' + "".join(" %s\n" % point(p) for p in soma) + ")\n")

    def branch(i, skip, indent):
        text = "".join("%s%s\n" % (indent, point(p)) for p in pts[i][skip:])
        if children[i]:
            text += indent + "(\n" + (indent + "|\n").join(
                branch(c, 1, indent + " ") for c in children[i]) + indent + ")\n"
        return text

    for r in roots:
        out.append("( (%s)\n%s)\n" % (ASC_TREE_TYPES[structure[r, 1]], branch(r, 0, " ")))
    return "asc", "".join(out), firsts


def h5_facts(path):
    """NEURON's facts for an HDF5 morphology written out for Import3d,
    with the file's own numbers under "h5py"."""
    points, structure = read_h5(path)
    own = h5_own_facts(points, structure)
    kind, text, firsts = h5_as_import3d(points, structure)
    if kind is None:
        raise SystemExit("%s: cannot be written for Import3d: %s" % (path, text))
    fd, tmp = tempfile.mkstemp(suffix="." + kind)
    with os.fdopen(fd, "w") as f:
        f.write(text)
    try:
        facts, err = run_child(tmp, kind, firsts)
    finally:
        os.unlink(tmp)
    if facts is None:
        return {"refused": err, "h5py": own}
    facts["via"] = kind
    facts["h5py"] = own
    return facts


def main():
    files = sorted(glob.glob(MORPHOLOGIES + "/**/*.swc", recursive=True)
                   + glob.glob(MORPHOLOGIES + "/**/*.asc", recursive=True)
                   + glob.glob(MORPHOLOGIES + "/**/*.h5", recursive=True))
    out = {}
    for path in files:
        kind = path.rsplit(".", 1)[1].lower()
        if kind == "h5":
            rel = os.path.relpath(path, MORPHOLOGIES)
            if rel.startswith("refused" + os.sep):
                out[rel] = {"refused": "broken on purpose by h5files.py"}
                print(rel, "refused")
                continue
            facts = h5_facts(path)
            out[rel] = facts
            print(rel, facts.get("refused") or "%d sections" % facts["sections"])
            continue
        facts, err = run_child(path, kind)
        if facts is None and kind == "swc":
            tmp = sorted_by_id(path)
            try:
                facts, _ = run_child(tmp, kind)
            finally:
                os.unlink(tmp)
            if facts is not None:
                facts["neuron_needs_id_order"] = True
        rel = os.path.relpath(path, MORPHOLOGIES)
        out[rel] = facts if facts is not None else {"refused": err}
        print(rel, "refused" if facts is None else "%d sections" % facts["sections"])
    with open(OUTPUT, "w") as f:
        json.dump({"neuron": neuron_version(), "files": out}, f, indent=1, sort_keys=True)
        f.write("\n")


def neuron_version():
    proc = subprocess.run(
        [sys.executable, "-c", "import neuron; print(neuron.__version__)"],
        capture_output=True, text=True,
    )
    return proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "unknown"


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--one":
        facts = instantiate(sys.argv[3], sys.argv[2], json.loads(sys.argv[4]))
        sys.stdout.flush()
        print("\nFACTS " + json.dumps(facts), flush=True)
    else:
        main()
