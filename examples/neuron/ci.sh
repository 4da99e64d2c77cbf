#!/usr/bin/env bash
# End-to-end check of the NEURON side: runs the recorder's tests (python/tests,
# one of which pip-installs the recorder into a throw-away virtual
# environment), records the ball-and-stick demo with the project's recorder,
# reads it back with `spikeframes inspect --json` and renders two frames of
# it. Installs nothing outside temporary folders: it needs NEURON and numpy
# for PYTHON (default /usr/bin/python3, where Debian's python3-neuron and
# python3-numpy install them), its venv module and setuptools, and Go. Exits
# non-zero with a message naming the failed check. The inspect --json fields it checks are those of
# cmd_inspect.go: sections, frames, voltage_max, t_start, t_stop.
set -euo pipefail
cd "$(dirname "$0")/../.."

python="${PYTHON:-/usr/bin/python3}"
frames=100
export NEURON_MODULE_OPTIONS="${NEURON_MODULE_OPTIONS:--nogui}"
export PYTHONDONTWRITEBYTECODE=1

fail() {
	echo "examples/neuron/ci.sh: FAIL: $*" >&2
	exit 1
}

"$python" -c 'import neuron, numpy' ||
	fail "$python cannot import neuron and numpy (Debian: apt-get install python3-neuron python3-numpy)"

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "== recorder tests (python/tests)"
"$python" -m unittest discover -s python/tests ||
	fail "recorder tests"

echo "== ball-and-stick demo"
recording="$tmp/ball_and_stick.pickle"
"$python" examples/neuron/ball_and_stick.py -o "$recording" --frames "$frames" ||
	fail "ball-and-stick demo did not run"

echo "== the recording has BlenderSpike's format, and a spike"
# Prints the frame at which the soma voltage peaks.
peak=$("$python" - "$recording" testdata/simple_ap.pickle "$frames" <<'EOF'
import pickle, sys
import numpy as np

path, reference_path, frames = sys.argv[1], sys.argv[2], int(sys.argv[3])
def fail(msg):
    sys.exit("%s: %s" % (path, msg))

with open(path, "rb") as f:
    sections = pickle.load(f)
with open(reference_path, "rb") as f:
    reference = pickle.load(f)[0]  # a section written by BlenderSpike itself

base = ["ID", "type", "X", "Y", "Z", "DIAM", "Voltage"]
extra = ["name", "parent", "parent_x", "nseg", "variable", "unit", "t_start", "t_stop"]
if not isinstance(sections, list) or len(sections) != 2:
    fail("want a list of 2 sections, got %r" % type(sections))
for k, sec in enumerate(sections):
    if list(sec) != base + extra:
        fail("section %d keys %s, want %s" % (k, list(sec), base + extra))
    for key in base:
        if type(sec[key]) is not type(reference[key]):
            fail("section %d %s is %s, BlenderSpike writes %s"
                 % (k, key, type(sec[key]), type(reference[key])))
    for key in ("X", "Y", "Z", "DIAM"):
        if sec[key].dtype != np.float64 or sec[key].ndim != 1:
            fail("section %d %s: %s %s" % (k, key, sec[key].dtype, sec[key].shape))
    if list(sec["Voltage"]) != list(range(frames)):
        fail("section %d frame keys are not 0..%d" % (k, frames - 1))
    for f, v in sec["Voltage"].items():
        if v.dtype != np.float64 or v.shape != (sec["nseg"],):
            fail("section %d frame %d: %s %s, want float64 (%d,)"
                 % (k, f, v.dtype, v.shape, sec["nseg"]))
if [(s["type"], s["parent"], s["parent_x"]) for s in sections] != [("soma", -1, 0.0), ("axon", 0, 0.5)]:
    fail("types and parents %s" % [(s["type"], s["parent"], s["parent_x"]) for s in sections])
if [(s["variable"], s["unit"]) for s in sections] != [("v", "mV")] * 2:
    fail("variables %s" % [(s["variable"], s["unit"]) for s in sections])

soma = np.array([sections[0]["Voltage"][f].mean() for f in range(frames)])
peak = int(np.argmax(soma))
if not soma[peak] > 0:
    fail("soma peaks at %.2f mV (frame %d): no spike" % (soma[peak], peak))
print(peak, file=sys.stdout)
print("soma peak %.2f mV at frame %d" % (soma[peak], peak), file=sys.stderr)
EOF
) || fail "recording check"

echo "== spikeframes inspect --json"
bin="$tmp/spikeframes"
go build -o "$bin" . || fail "go build"
"$bin" inspect --json "$recording" >"$tmp/inspect.json" ||
	fail "spikeframes inspect --json exited $?"
"$python" - "$tmp/inspect.json" "$frames" <<'EOF' || fail "inspect --json check"
import json, sys

path, frames = sys.argv[1], int(sys.argv[2])
with open(path) as f:
    info = json.load(f)
def want(key, expected, got):
    if got != expected:
        sys.exit("inspect --json: %s = %r, want %r" % (key, got, expected))
want("sections", 2, info["sections"])
want("frames", frames, info["frames"])
want("t_start", 0.0, info.get("t_start"))
if not info["voltage_max"] > 0:
    sys.exit("inspect --json: voltage_max = %r mV, want a spike above 0" % info["voltage_max"])
t_stop = info.get("t_stop")
if not isinstance(t_stop, (int, float)) or abs(t_stop - 10.0) > 1e-9:
    sys.exit("inspect --json: t_stop = %r, want 10 ms" % (t_stop,))
print("inspect: 2 sections, %d frames, %g..%g ms" % (frames, info["t_start"], t_stop))
EOF

echo "== spikeframes render, frames $peak:$((peak + 2))"
out="$tmp/frames"
"$bin" render "$recording" -o "$out" --frames "$peak:$((peak + 2))" \
	--width 320 --height 180 --quiet || fail "spikeframes render exited $?"
shopt -s nullglob
pngs=("$out"/*.png)
[ "${#pngs[@]}" -eq 2 ] || fail "render wrote ${#pngs[@]} PNG files, want 2: ${pngs[*]:-none}"
for png in "${pngs[@]}"; do
	[ "$(head -c 8 "$png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] ||
		fail "$png is not a PNG"
done
echo "rendered ${pngs[*]##*/}"
echo "== examples/neuron/ci.sh: ok"
