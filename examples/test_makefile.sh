#!/usr/bin/env bash
# Runs examples/Makefile for real on a copy of testdata/simple_ap.pickle and
# checks that it redoes exactly what changed:
#   - a first `make movie` renders 300 frames and an MP4 of 300 frames;
#   - a second one does nothing;
#   - after losing frames and the finished mark (an interrupted render) it
#     renders only the missing frames;
#   - new flags re-render every frame; a newer recording too;
#   - `make clean` removes the frames and the movie;
#   - a scene file makes a movie of its own, likewise redone only when the
#     file, the flags or the contents of its recordings change.
#
#   bash examples/test_makefile.sh
#
# It installs make and ffmpeg from Debian when they are missing (as root).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
expect_frames=300 # frames in simple_ap.pickle

log() { echo "test_makefile: $*"; }
fail() {
	echo "test_makefile: FAIL: $*" >&2
	exit 1
}

missing=()
command -v make >/dev/null || missing+=(make)
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] || fail "${missing[*]} missing, and installing needs root"
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get update -q >/dev/null || fail "apt-get update failed or timed out"
	timeout 600 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		fail "apt-get install ${missing[*]} failed or timed out"
fi

tmp=$(mktemp -d /tmp/spikeframes-make.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp "$repo/testdata/simple_ap.pickle" "$tmp/run.pickle"
cd "$tmp"

# mk runs the Makefile on run.pickle with the given flags, its output in mk.log.
mk() {
	make -f "$here/Makefile" REC=run.pickle FLAGS="$1" "${@:2}" >mk.log 2>&1 ||
		{ cat mk.log >&2; fail "make ${*:2} failed"; }
}

# written_since lists the frames written after the file $1 was touched.
written_since() { find run -name 'frame_*.png' -newer "$1" -printf '%f\n' | sort | tr '\n' ' '; }

movie_frames() {
	ffprobe -v error -count_frames -select_streams v:0 \
		-show_entries stream=nb_read_frames,width,height -of csv=p=0 run.mp4
}

small="--quiet --width 64 --height 36"
mk "$small" movie
[ "$(find run -name 'frame_*.png' | wc -l)" -eq "$expect_frames" ] || fail "first make: not $expect_frames frames"
[ "$(movie_frames)" = "64,36,$expect_frames" ] || fail "first make: movie is $(movie_frames)"
log "first make: $expect_frames frames and the movie"

touch mark
mk "$small" movie
if grep -v '^make' mk.log; then fail "second make did some work"; fi
[ -z "$(written_since mark)" ] || fail "second make rewrote frames: $(written_since mark)"
[ ! run.mp4 -nt mark ] || fail "second make rewrote the movie"
log "second make: nothing done"

rm run/.rendered run/frame_00007.png run/frame_00250.png
touch mark
mk "$small" movie
[ "$(written_since mark)" = "frame_00007.png frame_00250.png " ] ||
	fail "resume wrote other frames than the 2 lost ones: $(written_since mark)"
[ "$(movie_frames)" = "64,36,$expect_frames" ] || fail "after resume: movie is $(movie_frames)"
log "interrupted make: only the 2 lost frames rendered again"

mk "$small --frames 10:40" movie
[ "$(find run -name 'frame_*.png' | wc -l)" -eq 30 ] || fail "new flags: stale frames left"
if [ ! -f run/frame_00010.png ] || [ ! -f run/frame_00039.png ]; then
	fail "new flags: frames 10..39 missing"
fi
[ "$(movie_frames)" = "64,36,30" ] || fail "new flags: movie is $(movie_frames)"
log "new flags: frames and movie redone"

touch run.pickle
mk "$small --frames 10:40" movie
[ "$(written_since run.pickle | wc -w)" -eq 30 ] || fail "newer recording: some frames were kept"
log "newer recording: every frame rendered again"

mk "$small" clean
if [ -e run ] || [ -e run.mp4 ]; then fail "clean left the frames or the movie"; fi
log "clean: frames and movie removed"

# A scene file: two copies of the recording side by side, the second turned.
scene_file() {
	cat >pair.toml <<EOF
width = 64
height = 36
[[cells]]
recording = "run.pickle"
[[cells]]
recording = "run.pickle"
rotate = [0, 0, $1]
[layout]
arrange = "row"
[output]
frames = "0:40"
EOF
}
mkscene() {
	make -f "$here/Makefile" SCENE=pair.toml FLAGS="$1" "${@:2}" >mk.log 2>&1 ||
		{ cat mk.log >&2; fail "make SCENE=pair.toml ${*:2} failed"; }
}
scene_written_since() { find pair -name 'frame_*.png' -newer "$1" -printf '%f\n' | sort | tr '\n' ' '; }
scene_frames() {
	ffprobe -v error -count_frames -select_streams v:0 \
		-show_entries stream=nb_read_frames,width,height -of csv=p=0 pair.mp4
}
scene_file 90
mkscene --quiet movie
[ "$(find pair -name 'frame_*.png' | wc -l)" -eq 40 ] || fail "scene: not 40 frames"
[ "$(scene_frames)" = "64,36,40" ] || fail "scene: movie is $(scene_frames)"
log "scene file: 40 frames and the movie"

touch mark
sleep 1 # a movie stitched again would be newer than the mark
mkscene --quiet movie
[ -z "$(scene_written_since mark)" ] || fail "scene, second make rewrote frames: $(scene_written_since mark)"
[ ! pair.mp4 -nt mark ] || fail "scene, second make rewrote the movie"
log "scene file, second make: nothing rendered, the movie kept"

rm pair/.rendered pair/frame_00005.png
touch mark
mkscene --quiet movie
[ "$(scene_written_since mark)" = "frame_00005.png " ] || fail "scene, resume wrote $(scene_written_since mark)"
[ "$(scene_frames)" = "64,36,40" ] || fail "scene, after resume: movie is $(scene_frames)"
log "scene file, interrupted make: only the lost frame rendered again"

sleep 1 # the scene file must be newer than the frames
scene_file 45
touch mark
mkscene --quiet movie
[ "$(scene_written_since mark | wc -w)" -eq 40 ] || fail "changed scene file: some frames were kept"
log "changed scene file: every frame rendered again"

touch mark
cp "$repo/testdata/variants/simple_ap_float32.pickle" run.pickle
touch -d '2000-01-01' run.pickle # older than the frames: only its contents say it changed
mkscene --quiet movie
[ "$(scene_written_since mark | wc -w)" -eq 40 ] || fail "new recording contents: some frames were kept"
log "new recording contents under an old date: every frame rendered again"

mkscene --quiet clean
if [ -e pair ] || [ -e pair.mp4 ]; then fail "clean left the scene's frames or movie"; fi
log "PASS"
