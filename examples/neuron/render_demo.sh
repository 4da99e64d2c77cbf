#!/usr/bin/env bash
# Runs one of the NEURON demos and renders its recording into PNG frames.
#
#   examples/neuron/render_demo.sh ball-and-stick [OUTDIR]
#   examples/neuron/render_demo.sh bap [OUTDIR]
#
# Writes OUTDIR/DEMO.pickle and the frames into OUTDIR/DEMO-frames/
# (OUTDIR defaults to demo-output). Environment:
#   PYTHON       the Python that has NEURON (default /usr/bin/python3, where
#                Debian's python3-neuron installs it)
#   SPIKEFRAMES  the spikeframes command (default: spikeframes if it is on
#                PATH, else "go run ." in this repository)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

case "${1:-}" in
ball-and-stick) script=ball_and_stick.py ;;
bap) script=l5_bap.py ;;
*)
	echo "usage: $0 ball-and-stick|bap [OUTDIR]" >&2
	exit 2
	;;
esac
demo="$1"
out="${2:-demo-output}"
python="${PYTHON:-/usr/bin/python3}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if ! "$python" -c 'import neuron, numpy' 2>/dev/null; then
	echo "$0: $python cannot import neuron and numpy; install them" \
		"(Debian: apt-get install python3-neuron python3-numpy) or set PYTHON" >&2
	exit 1
fi

recording="$out/$demo.pickle"
"$python" "$here/$script" -o "$recording"

if [ -n "${SPIKEFRAMES:-}" ]; then
	read -r -a render <<<"$SPIKEFRAMES"
elif command -v spikeframes >/dev/null; then
	render=(spikeframes)
else
	render=(go -C "$repo" run .)
fi
"${render[@]}" render "$recording" -o "$out/$demo-frames"
echo "frames in $out/$demo-frames"
