#!/usr/bin/env bash
# Render benchmark: the CA1 recording, first 100 frames, default look, at
# 1280×720 and 1920×1080 on all cores. For each size it prints the start-up
# stages, the per-frame cost, peak memory, and the ratio of our per-frame
# cost (rendering and encoding) to the standard library's PNG encoder alone
# at BestSpeed encoding the same frames on all cores (below 1: faster than
# merely encoding with the standard library). Last, peak memory for all 500
# frames at 1080p with -j 2, to show it does not grow with the movie.
#
# Usage: bash bench/render.sh [RECORDING]   (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
rec="${1:-testdata/ca1_random_input.pickle}"
[ -x /usr/bin/time ] || { echo "bench/render.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/spikeframes" .
go build -o "$tmp/pngfloor" ./bench/pngfloor

# field LOG PATTERN: the number in the first parenthesised "(N s)" of the
# first line matching PATTERN.
field() { grep -m1 "$2" "$1" | sed -E 's/.*\(([0-9.]+) s.*/\1/'; }

run() { # run SIZE FRAMES JOBS
	local size=$1 frames=$2 jobs=$3 w=${1%x*} h=${1#*x}
	rm -rf "$tmp/frames"
	/usr/bin/time -v "$tmp/spikeframes" render "$rec" -o "$tmp/frames" \
		--width "$w" --height "$h" --frames "0:$frames" -j "$jobs" >/dev/null 2>"$tmp/log"
}

echo "recording: $rec; $(nproc) cores"
for size in 1280x720 1920x1080; do
	run "$size" 100 0
	load=$(field "$tmp/log" '^read ')
	mesh=$(field "$tmp/log" '^mesh: ')
	cover=$(field "$tmp/log" '^coverage: ')
	secs=$(grep -m1 '^rendered into' "$tmp/log" | sed -E 's/.* in ([0-9.]+) s .*/\1/')
	rss=$(grep 'Maximum resident set size' "$tmp/log" | awk '{print $NF}')
	floor=$("$tmp/pngfloor" "$tmp/frames")
	awk -v size="$size" -v load="$load" -v mesh="$mesh" -v cover="$cover" -v secs="$secs" \
		-v rss="$rss" -v floor="$floor" 'BEGIN {
		ms = secs * 1000 / 100
		printf "== %s, 100 frames\n", size
		printf "load s: %s\nmesh s: %s\ncoverage s: %s\n", load, mesh, cover
		printf "start-up s: %.3f\n", load + mesh + cover
		printf "ms per frame: %.2f\nframes per second: %.1f\n", ms, 1000 / ms
		printf "peak RSS MB: %.0f\n", rss / 1024
		printf "stdlib PNG BestSpeed ms per frame: %.2f\n", floor
		printf "ratio to stdlib PNG floor: %.2f\n", ms / floor
	}'
done
for frames in 100 500; do
	run 1920x1080 "$frames" 2
	rss=$(grep 'Maximum resident set size' "$tmp/log" | awk '{print $NF}')
	echo "peak RSS MB, 1920x1080, -j 2, $frames frames: $((rss / 1024))"
done
