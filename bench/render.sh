#!/usr/bin/env bash
# Render benchmark. For every bundled recording (or the ones given) at
# 1280×720, 1920×1080 and 3840×2160 it renders the first frames with the
# default look on all cores and prints the start-up (read, then mesh and
# coverage), the per-frame cost, peak memory, and the ratio of our
# per-frame cost (rendering and encoding) to the standard library's PNG
# encoder alone at BestSpeed encoding the same frames on all cores (below
# 1: faster than merely encoding with the standard library).
#
# At 1080p it also prints, per recording:
#   glow share     1 − (frame with --bloom 0) ÷ (default frame);
#   orbit ÷ static a frame with --orbit 360 (coverage redone every frame)
#                  over a still camera's;
#   annotated ÷ plain  a frame with --annotate (colour bar, scale bar, time)
#                  over a plain one;
#   video ÷ ffmpeg the wall time of render --video over ffmpeg alone
#                  encoding the same raw frames with the same settings.
# Last, peak memory for 100 and for 500 CA1 frames at 1080p with -j 2, to
# show that memory does not grow with the movie.
#
# Frames are written into a temporary folder under $TMPDIR and flushed to
# disk when each run ends: TMPDIR=/dev/shm measures frames on a RAM disk,
# without the flushes (the floor writes no files at all).
#
# Every time is the fastest of RUNS runs (default 3; the floor's, of three
# passes over the frames), so that other work on a shared machine counts
# less; the video comparison runs once.
#
# Usage: [RUNS=N] bash bench/render.sh [RECORDING...]
#   (needs GNU time at /usr/bin/time, and ffmpeg for the video ratio)
set -euo pipefail
cd "$(dirname "$0")/.."
recs=("$@")
[ ${#recs[@]} -gt 0 ] || recs=(testdata/simple_ap.pickle testdata/ca1_random_input.pickle testdata/l5_bap.pickle)
[ -x /usr/bin/time ] || { echo "bench/render.sh: needs GNU time (apt-get install time)" >&2; exit 1; }

RUNS=${RUNS:-3}
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/spikeframes" .
go build -o "$tmp/pngfloor" ./bench/pngfloor

# field LOG PATTERN: the number in the first parenthesised "(N s)" of the
# first line matching PATTERN.
field() { grep -m1 "$2" "$1" | sed -E 's/.*\(([0-9.]+) s.*/\1/'; }
# perframe LOG: milliseconds per frame of a run, from its frames per
# second (one decimal: three or four digits; its seconds have two
# decimals, one or two digits for a short run).
perframe() { grep -m1 '^rendered into\|^wrote ' "$1" | sed -E 's/.*\(([0-9.]+) frames\/s\).*/\1/' | awk '{printf "%.3f", 1000 / $1}'; }

render() { # render REC SIZE FRAMES [FLAGS...]: frames into $tmp/frames, the log of the fastest of $RUNS runs in $tmp/log
	local rec=$1 size=$2 frames=$3 w=${2%x*} h=${2#*x} best="" ms
	shift 3
	for _ in $(seq "$RUNS"); do
		rm -rf "$tmp/frames"
		/usr/bin/time -v "$tmp/spikeframes" render "$rec" -o "$tmp/frames" \
			--width "$w" --height "$h" --frames "0:$frames" "$@" >/dev/null 2>"$tmp/run.log"
		ms=$(perframe "$tmp/run.log")
		if [ -z "$best" ] || awk -v a="$ms" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$ms
			cp "$tmp/run.log" "$tmp/log"
		fi
	done
}

echo "$(nproc) cores; $(go version | cut -d' ' -f3)"
for rec in "${recs[@]}"; do
	for size in 1280x720 1920x1080 3840x2160; do
		n=100
		[ "$size" = 3840x2160 ] && n=30
		render "$rec" "$size" "$n"
		load=$(field "$tmp/log" '^read ')
		scene=$(field "$tmp/log" '^coverage: ')
		ms=$(perframe "$tmp/log")
		rss=$(grep 'Maximum resident set size' "$tmp/log" | awk '{print $NF}')
		floor=$("$tmp/pngfloor" "$tmp/frames")
		awk -v rec="$(basename "$rec" .pickle)" -v size="$size" -v n="$n" -v load="$load" -v scene="$scene" \
			-v ms="$ms" -v rss="$rss" -v floor="$floor" 'BEGIN {
			printf "== %s %s, %d frames\n", rec, size, n
			printf "start-up s: %.3f (read %s, mesh and coverage %s)\n", load + scene, load, scene
			printf "ms per frame: %.2f (%.1f frames/s)\n", ms, 1000 / ms
			printf "peak RSS MB: %.0f\n", rss / 1024
			printf "stdlib PNG BestSpeed ms per frame: %.2f\n", floor
			printf "ratio to stdlib PNG floor: %.2f\n", ms / floor
		}'
		[ "$size" = 1920x1080 ] || continue

		still=$ms
		render "$rec" "$size" "$n" --bloom 0
		noglow=$(perframe "$tmp/log")
		render "$rec" "$size" "$n" --orbit 360
		orbit=$(perframe "$tmp/log")
		render "$rec" "$size" "$n" --annotate
		annotated=$(perframe "$tmp/log")
		awk -v s="$still" -v g="$noglow" -v o="$orbit" -v a="$annotated" 'BEGIN {
			printf "glow share of a frame: %.2f (%.2f ms with --bloom 0)\n", 1 - g / s, g
			printf "orbit ÷ static: %.2f (%.2f ms per orbit frame)\n", o / s, o
			printf "annotated ÷ plain: %.2f (%.2f ms per --annotate frame)\n", a / s, a
		}'
		if command -v ffmpeg >/dev/null; then
			rm -f "$tmp/movie.mp4"
			start=$(date +%s.%N)
			"$tmp/spikeframes" render "$rec" --video "$tmp/movie.mp4" --width 1920 --height 1080 --frames "0:$n" -q
			video=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
			RUNS=1 render "$rec" "$size" "$n" # only the frames are wanted
			ffmpeg -v error -y -framerate 30 -i "$tmp/frames/frame_%05d.png" -f rawvideo -pix_fmt rgb24 "$tmp/raw.rgb"
			start=$(date +%s.%N)
			ffmpeg -v error -y -f rawvideo -pix_fmt rgb24 -s 1920x1080 -framerate 30 -i "$tmp/raw.rgb" \
				-c:v libx264 -pix_fmt yuv420p -crf 18 -movflags +faststart -f mp4 "$tmp/alone.mp4"
			alone=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
			rm -f "$tmp/raw.rgb"
			awk -v v="$video" -v a="$alone" -v n="$n" 'BEGIN {
				printf "video ÷ ffmpeg alone: %.2f (%.1f ms per frame with --video, %.1f ms ffmpeg alone)\n", v / a, v * 1000 / n, a * 1000 / n
			}'
		fi
	done
done
for frames in 100 500; do
	RUNS=1 render testdata/ca1_random_input.pickle 1920x1080 "$frames" -j 2
	rss=$(grep 'Maximum resident set size' "$tmp/log" | awk '{print $NF}')
	echo "peak RSS MB, CA1 1920x1080, -j 2, $frames frames: $((rss / 1024))"
done
