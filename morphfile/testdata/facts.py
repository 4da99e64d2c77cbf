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


def instantiate(path, kind):
    """Runs in the child process: load path with Import3d, return the facts."""
    from neuron import h

    h.load_file("stdlib.hoc")
    h.load_file("import3d.hoc")
    reader = h.Import3d_SWC_read() if kind == "swc" else h.Import3d_Neurolucida3()
    reader.quiet = 1
    reader.input(path)
    gui = h.Import3d_GUI(reader, 0)
    gui.instantiate(None)

    secs = list(h.allsec())
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


def run_child(path, kind):
    """Runs this script on one file in a fresh NEURON; returns (facts, error)."""
    proc = subprocess.run(
        [sys.executable, __file__, "--one", kind, path],
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


def main():
    files = sorted(glob.glob(MORPHOLOGIES + "/**/*.swc", recursive=True)
                   + glob.glob(MORPHOLOGIES + "/**/*.asc", recursive=True))
    out = {}
    for path in files:
        kind = path.rsplit(".", 1)[1].lower()
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
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        facts = instantiate(sys.argv[3], sys.argv[2])
        sys.stdout.flush()
        print("\nFACTS " + json.dumps(facts), flush=True)
    else:
        main()
