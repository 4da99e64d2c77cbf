#!/usr/bin/env bash
# Network benchmark: synthetic SONATA networks of N cells (default 100, 300
# and 1000), copies of the bundled morphologies that the test circuits use,
# at random places and turned at random, with a compartment report of 100
# frames (bench/network_gen.py). For each N it renders one frame, then 41,
# on one worker at 1920x1080 (and the largest N also at 960x540), and prints
# the mesh's size, the peak memory, the CPU time of start-up (reading the
# circuit, the morphologies and the report's layout, meshing, coverage) and
# of a frame. CPU time, not the clock, so that other work on the machine does
# not count.
#
# Usage: bash bench/network.sh [COUNTS...]
#   (needs GNU time at /usr/bin/time, and /usr/bin/python3 with h5py and numpy)
# MORPHOLOGIES="Neuron_v2.h5 ..." takes other files of
# testdata/morphologies/neurom; SIZES="1280x720 1920x1080 3840x2160" renders
# every N at those sizes instead; SPIKEFRAMES=BINARY measures that build of
# spikeframes instead of this tree's (to compare two versions); FRAMES=K
# averages a frame over K frames instead of 40.
set -euo pipefail
cd "$(dirname "$0")/.."
frames=${FRAMES:-40} # the frames a frame's cost is averaged over
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(100 300 1000)
[ -x /usr/bin/time ] || { echo "bench/network.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
if [ -n "${SPIKEFRAMES:-}" ]; then
	cp "$SPIKEFRAMES" "$tmp/spikeframes"
else
	go build -o "$tmp/spikeframes" .
fi

# The morphologies and their section counts, as spikeframes numbers them.
morphs=()
for m in ${MORPHOLOGIES:-simple.swc sample.asc Single_apical.swc multifurcation.asc z_jump.swc}; do
	n=$("$tmp/spikeframes" inspect --json "testdata/morphologies/neurom/$m" | sed 's/.*"sections":\([0-9]*\).*/\1/')
	morphs+=("$m:$n")
done

# run CONFIG FRAMES WIDTH HEIGHT: render frames 0 to FRAMES-1 on one worker;
# sets cpu (user + system seconds) and rss (peak, kB).
run() {
	rm -rf "$tmp/frames"
	/usr/bin/time -v "$tmp/spikeframes" render "$1" -o "$tmp/frames" --frames "0:$2" \
		--width "$3" --height "$4" -j 1 >/dev/null 2>"$tmp/log"
	cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tmp/log")
	rss=$(awk '/Maximum resident set size/ {print $NF}' "$tmp/log")
}

echo "morphologies: ${morphs[*]}; CPU seconds on one worker"
printf '%6s %10s %10s %10s %8s %10s %9s\n' cells picture vertices triangles peak_MB startup_s frame_ms
last=${counts[${#counts[@]}-1]}
for n in "${counts[@]}"; do
	/usr/bin/python3 bench/network_gen.py "$tmp/net$n" "$n" 100 "${morphs[@]}"
	if [ -n "${SIZES:-}" ]; then
		read -r -a sizes <<<"${SIZES//x/ }"
		pairs=()
		for ((i = 0; i < ${#sizes[@]}; i += 2)); do pairs+=("${sizes[i]} ${sizes[i+1]}"); done
		sizes=("${pairs[@]}")
	else
		sizes=("1920 1080")
		[ "$n" = "$last" ] && sizes+=("960 540")
	fi
	for size in "${sizes[@]}"; do
		read -r w h <<<"$size"
		run "$tmp/net$n/simulation_config.json" 1 "$w" "$h"
		one=$cpu peak=$rss
		mesh=$(awk '/^mesh: / {print $2, $4; exit}' "$tmp/log")
		run "$tmp/net$n/simulation_config.json" $((1 + frames)) "$w" "$h"
		peak=$((rss > peak ? rss : peak))
		read -r vertices triangles <<<"$mesh"
		awk -v n="$n" -v pic="${w}x$h" -v v="$vertices" -v t="$triangles" -v one="$one" -v more="$cpu" -v peak="$peak" -v k="$frames" \
			'BEGIN {printf "%6d %10s %10d %10d %8.0f %10.2f %9.0f\n", n, pic, v, t, peak / 1024, one, (more - one) / k * 1000}'
	done
done
