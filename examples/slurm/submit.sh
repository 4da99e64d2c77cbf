#!/usr/bin/env bash
# Renders one recording on a Slurm cluster: submits an array of N tasks, each
# rendering one shard of the frames (render_array.sbatch), and a stitch job
# (stitch.sbatch) that makes the MP4 once every shard has succeeded.
#
#   submit.sh RECORDING N
#
# The frames go to a folder named after the recording (run_42.pickle ->
# run_42/) and the movie beside it (run_42.mp4), both in the current folder.
# Running it again after a failure resumes: frames already rendered are
# skipped.
#
# Environment (all optional):
#   SPIKEFRAMES    the spikeframes binary (default: spikeframes on PATH)
#   RENDER_FLAGS   more render flags, e.g. "--width 1920 --height 1080"
#   FRAMES_DIR     where the frames go (default: the recording's name)
#   MOVIE          the MP4 (default: FRAMES_DIR.mp4)
#   FPS, CRF       the MP4's frame rate (default 30) and quality (default 18)
#   PATTERN        the frame file names (default frame_%05d.png)
#   CPUS_PER_TASK  cores per array task (default: render_array.sbatch's, 2)
#   MAX_RUNNING    at most this many array tasks at once (default: no limit)
# sbatch itself reads SBATCH_PARTITION, SBATCH_ACCOUNT, SBATCH_TIMELIMIT and
# similar variables, for both jobs.
#
# It prints the two job ids, as "render JOBID" and "stitch JOBID".
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $2 =~ ^[1-9][0-9]*$ ]]; then
	echo "usage: submit.sh RECORDING N   (N: number of array tasks, 1 or more)" >&2
	exit 2
fi
recording=$(realpath -- "$1")
shards=$2
[ -f "$recording" ] || {
	echo "submit.sh: $1: no such file" >&2
	exit 1
}
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename -- "$recording")
frames_dir=$(realpath -m -- "${FRAMES_DIR:-${name%.pickle}}")
movie=$(realpath -m -- "${MOVIE:-$frames_dir.mp4}")
pattern=${PATTERN:-frame_%05d.png}
array=0-$((shards - 1))${MAX_RUNNING:+%$MAX_RUNNING}

# RENDER_FLAGS is split on spaces on purpose: it holds several flags.
# shellcheck disable=SC2086
render=$(sbatch --parsable --array="$array" ${CPUS_PER_TASK:+--cpus-per-task="$CPUS_PER_TASK"} \
	"$here/render_array.sbatch" \
	"$recording" "$frames_dir" --pattern "$pattern" ${RENDER_FLAGS:-})
render=${render%%;*} # --parsable prints "id;cluster" on multi-cluster sites
stitch=$(sbatch --parsable --dependency="afterok:$render" --kill-on-invalid-dep=yes \
	"$here/stitch.sbatch" "$frames_dir" "$movie" "${FPS:-30}" "${CRF:-18}" "$pattern")
stitch=${stitch%%;*}
echo "render $render"
echo "stitch $stitch"
