#!/usr/bin/env bash
# Scene benchmark: N copies of a recording (default the L5 one) in a grid at
# 1920×1080, for N = 1, 2, 10 and 50. For each N it renders one frame and
# then 121 on one worker, and prints the mesh's size, the peak memory,
# the CPU time of start-up (reading, hashing for the folder's manifest,
# meshing, coverage) and of a frame, and each per copy: growth linear in the
# copies keeps the per-copy columns flat. CPU time, not the clock, so that
# other work on the machine does not count.
#
# Usage: bash bench/scene.sh [RECORDING [COUNTS...]]   (needs GNU time at /usr/bin/time)
set -euo pipefail
cd "$(dirname "$0")/.."
rec="${1:-testdata/l5_bap.pickle}"
shift || true
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(1 2 10 50)
[ -x /usr/bin/time ] || { echo "bench/scene.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/spikeframes" .

# run N FRAMES: render N copies of the recording, frames 0 to FRAMES-1, on
# one worker; sets cpu (user + system seconds) and rss (peak, kB).
run() {
	local n=$1 frames=$2 args=()
	for ((i = 0; i < n; i++)); do args+=("$rec"); done
	rm -rf "$tmp/frames"
	/usr/bin/time -v "$tmp/spikeframes" render "${args[@]}" --arrange grid -o "$tmp/frames" \
		--frames "0:$frames" -j 1 >/dev/null 2>"$tmp/log"
	cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tmp/log")
	rss=$(awk '/Maximum resident set size/ {print $NF}' "$tmp/log")
}

echo "recording: $rec; 1920x1080, grid; CPU seconds on one worker"
printf '%6s %10s %8s %10s %9s %9s %9s %12s\n' copies vertices peak_MB startup_s frame_s MB/copy startup/copy frame/copy
for n in "${counts[@]}"; do
	run "$n" 1
	one=$cpu peak=$rss
	vertices=$(awk '/^mesh: / {print $2; exit}' "$tmp/log")
	run "$n" 121
	awk -v n="$n" -v v="$vertices" -v rss="$peak" -v one="$one" -v more="$cpu" 'BEGIN {
		frame = (more - one) / 120
		startup = one - frame
		printf "%6d %10d %8.0f %10.2f %9.3f %9.1f %9.3f %12.4f\n", n, v, rss / 1024, startup, frame, rss / 1024 / n, startup / n, frame / n
	}'
done
