#!/usr/bin/env bash
# Runs the Slurm examples for real on a throw-away single-node cluster on
# localhost, then checks what they produced.
#
#   bash examples/slurm/test_slurm.sh
#
# Run as root on Debian 12. It installs slurm-wlm, munge and ffmpeg when they
# are missing, writes a minimal slurm.conf into a temporary folder, starts
# munged, slurmctld and slurmd from it (on their own ports and munge socket, so
# they leave any other Slurm or munge on the machine alone), checks the cluster
# with a trivial job, then renders testdata/simple_ap.pickle through submit.sh
# as an array of shards plus the dependent stitch job. It checks that every
# frame exists exactly once with no temporary file left, and that the MP4 has
# every frame (ffprobe). The daemons it started are stopped on exit, whether
# it passed or not. Every wait is bounded: it fails with a message rather than
# hangs.
#
# Environment (all optional):
#   SHARDS        number of array tasks (default 4)
#   JOB_TIMEOUT   seconds to wait for the render and stitch jobs (default 300)
#   KEEP_TMP=1    keep the temporary folder (config, logs, frames) for a look
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
shards=${SHARDS:-4}
job_timeout=${JOB_TIMEOUT:-300}
start_timeout=60
recording=$repo/testdata/simple_ap.pickle
expect_frames=300 # frames in simple_ap.pickle
width=320
height=180

log() { echo "test_slurm: [${SECONDS}s] $*"; }
fail() {
	echo "test_slurm: FAIL: $*" >&2
	exit 1
}

[ "$(id -u)" -eq 0 ] || fail "run as root: it installs packages and starts Slurm's daemons"

# --- packages ---------------------------------------------------------------

missing=()
command -v munged >/dev/null || missing+=(munge)
command -v slurmctld >/dev/null && command -v slurmd >/dev/null &&
	command -v sbatch >/dev/null || missing+=(slurm-wlm)
command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg)
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	timeout 300 apt-get update -q >/dev/null || fail "apt-get update failed or timed out"
	timeout 900 apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null ||
		fail "apt-get install ${missing[*]} failed or timed out"
fi

# --- a cluster of one node in a temporary folder ------------------------------

tmp=$(mktemp -d /tmp/spikeframes-slurm.XXXXXX)
chmod 0711 "$tmp" # munged wants its socket reachable
mkdir -p "$tmp/state" "$tmp/spool" "$tmp/munge" "$tmp/log" "$tmp/work" "$tmp/bin"
pids=()

cleanup() {
	local status=$?
	set +e
	trap - ERR
	if [ -f "$tmp/slurm.conf" ] && [ ${#pids[@]} -gt 0 ]; then
		# Jobs outlive slurmd (they run under slurmstepd): cancel them first.
		timeout 15 scancel --quiet --full --user=root 2>/dev/null
		for _ in $(seq 1 20); do
			[ -z "$(timeout 5 squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.5
		done
	fi
	local pid
	for pid in "${pids[@]}"; do
		kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${pids[@]}"; do
		for _ in $(seq 1 20); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.5
		done
		kill -KILL "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	done
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		log "kept $tmp"
	else
		rm -rf "$tmp"
	fi
	exit "$status"
}
trap cleanup EXIT
trap 'fail "interrupted"' INT TERM
trap 'echo "test_slurm: FAIL: line $LINENO: a command failed" >&2' ERR

# show_logs prints the tail of every job and daemon log, to explain a failure.
show_logs() {
	local f
	for f in "$tmp"/work/*.log "$tmp"/log/*.log; do
		[ -f "$f" ] || continue
		echo "----- $f" >&2
		tail -n 25 "$f" >&2
	done
}

ctld_port=16817
slurmd_port=16818
for port in "$ctld_port" "$slurmd_port"; do
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		fail "port $port is taken (a slurmctld or slurmd left from an earlier run?)"
	fi
done

node=$(hostname -s)
cpus=$(nproc)
export SLURM_CONF=$tmp/slurm.conf
cat >"$SLURM_CONF" <<EOF
# A single-node cluster on localhost for testing, without cgroups.
ClusterName=spikeframes-test
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$tmp/munge/munge.socket
StateSaveLocation=$tmp/state
SlurmdSpoolDir=$tmp/spool
SlurmctldPidFile=$tmp/slurmctld.pid
SlurmdPidFile=$tmp/slurmd.pid
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=3600
DependencyParameters=kill_invalid_depend
SchedulerParameters=sched_interval=2
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

log "starting munged, slurmctld and slurmd in $tmp"
dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 0400 "$tmp/munge/munge.key"
munged --foreground --force \
	--socket="$tmp/munge/munge.socket" \
	--key-file="$tmp/munge/munge.key" \
	--pid-file="$tmp/munge/munged.pid" \
	--seed-file="$tmp/munge/munged.seed" 2>>"$tmp/log/munged.log" &
pids+=($!)
for _ in $(seq 1 $((start_timeout * 2))); do
	[ -S "$tmp/munge/munge.socket" ] && break
	sleep 0.5
done
[ -S "$tmp/munge/munge.socket" ] || { show_logs; fail "munged did not start"; }

slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.log" 2>&1 &
pids+=($!)
slurmd -D -N "$node" -f "$SLURM_CONF" >>"$tmp/log/slurmd.log" 2>&1 &
pids+=($!)

state=
for _ in $(seq 1 $((start_timeout * 2))); do
	state=$(sinfo -h -N -n "$node" -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	sleep 0.5
done
[ "$state" = idle ] || { show_logs; fail "node $node not idle after ${start_timeout}s (state: ${state:-none})"; }
log "node $node is idle with $cpus CPUs"

# job_states prints one "ID STATE" line per job (one per array task).
job_states() {
	local id
	for id in "$@"; do
		scontrol -o show job "$id" 2>/dev/null
	done | sed -n 's/^JobId=\([^ ]*\) .*JobState=\([A-Z_]*\).*/\1 \2/p'
}

# wait_jobs waits up to $1 seconds for the jobs $2... to end, and fails
# (after printing their states) unless every one of them completed.
wait_jobs() {
	local timeout=$1 states
	shift
	local deadline=$((SECONDS + timeout))
	while :; do
		states=$(job_states "$@")
		grep -qE ' (PENDING|RUNNING|CONFIGURING|COMPLETING|SUSPENDED|REQUEUED)$' <<<"$states" || break
		if [ "$SECONDS" -ge "$deadline" ]; then
			echo "jobs still running after ${timeout}s:" >&2
			echo "$states" >&2
			return 1
		fi
		sleep 0.5
	done
	if [ -z "$states" ] || grep -v ' COMPLETED$' <<<"$states" | grep -q .; then
		echo "jobs that did not complete:" >&2
		echo "${states:-(no job records)}" >&2
		return 1
	fi
}

# --- a trivial job first: tells a broken cluster from a broken render ---------

cd "$tmp/work"
# shellcheck disable=SC2016 # $SLURM_JOB_ID is for the job's shell to expand
hello=$(sbatch --parsable --output=hello.log --wrap 'echo hello from $SLURM_JOB_ID') ||
	{ show_logs; fail "sbatch refused the trivial job"; }
wait_jobs "$start_timeout" "$hello" || { show_logs; fail "the trivial job did not complete"; }
grep -q '^hello from [0-9]' hello.log || { show_logs; fail "the trivial job printed no greeting"; }
log "trivial job ok"

# --- the examples: submit.sh, render_array.sbatch, stitch.sbatch -------------

if [ -n "${SPIKEFRAMES:-}" ]; then
	[ -x "$SPIKEFRAMES" ] || fail "SPIKEFRAMES=$SPIKEFRAMES is not an executable"
else
	log "building spikeframes"
	(cd "$repo" && go build -o "$tmp/bin/spikeframes" .) || fail "go build failed"
	SPIKEFRAMES=$tmp/bin/spikeframes
fi
export SPIKEFRAMES
export RENDER_FLAGS="--width $width --height $height"
export CPUS_PER_TASK=1 # two shards at once on two cores, writing one folder
frames=$tmp/work/simple_ap
movie=$tmp/work/simple_ap.mp4

# run_examples submits through submit.sh with N shards and waits until the
# array and the stitch job have ended, failing unless all completed.
run_examples() {
	local n=$1 out render stitch states
	out=$(bash "$here/submit.sh" "$recording" "$n") || { show_logs; fail "submit.sh failed"; }
	render=$(awk '$1 == "render" {print $2}' <<<"$out")
	stitch=$(awk '$1 == "stitch" {print $2}' <<<"$out")
	if [ -z "$render" ] || [ -z "$stitch" ]; then
		fail "submit.sh printed no job ids: $out"
	fi
	log "submitted render array $render ($n shards) and stitch job $stitch"
	wait_jobs "$job_timeout" "$render" "$stitch" || { show_logs; fail "the render or stitch jobs failed"; }
	states=$(job_states "$render" "$stitch")
	[ "$(wc -l <<<"$states")" -eq $((n + 1)) ] || fail "expected $((n + 1)) job records, got: $states"
}

# check_output fails unless the frames folder holds exactly the expected
# frames and the manifest the shards share, and the MP4 has every frame.
check_output() {
	local i name extra count
	for ((i = 0; i < expect_frames; i++)); do
		printf -v name 'frame_%05d.png' "$i"
		[ -s "$frames/$name" ] || fail "frame $name is missing or empty"
	done
	[ -s "$frames/.spikeframes.toml" ] || fail "the frames folder has no manifest"
	extra=$(find "$frames" -mindepth 1 ! -regex '.*/frame_[0-9][0-9][0-9][0-9][0-9]\.png' ! -name .spikeframes.toml)
	[ -z "$extra" ] || fail "unexpected files among the frames (temporary files left?): $extra"
	count=$(find "$frames" -mindepth 1 ! -name .spikeframes.toml | wc -l)
	[ "$count" -eq "$expect_frames" ] || fail "$count files in $frames, expected $expect_frames"
	[ -s "$movie" ] || fail "no movie at $movie"
	[ ! -e "$movie.partial" ] || fail "the stitch job left $movie.partial"
	local probe
	probe=$(ffprobe -v error -count_frames -select_streams v:0 \
		-show_entries stream=nb_read_frames,width,height -of csv=p=0 "$movie") ||
		fail "ffprobe cannot read $movie"
	[ "$probe" = "$width,$height,$expect_frames" ] ||
		fail "movie has width,height,frames = $probe, expected $width,$height,$expect_frames"
}

run_examples "$shards"
check_output

# The shards together must equal one plain render: compare the frames on both
# sides of every shard boundary with the same frames rendered outside Slurm.
mkdir "$tmp/direct"
for ((k = 1; k < shards; k++)); do
	b=$((expect_frames * k / shards))
	"$SPIKEFRAMES" render "$recording" -o "$tmp/direct" --quiet --frames "$((b - 1)):$((b + 1))" --width "$width" --height "$height" ||
		fail "direct render of frames $((b - 1)):$((b + 1)) failed"
done
for f in "$tmp"/direct/*; do
	cmp -s "$f" "$frames/${f##*/}" || fail "${f##*/} from the array differs from a direct render"
done
log "$expect_frames frames in $shards shards and a ${width}x$height MP4 of $expect_frames frames: ok"

# Resume: lose some frames and the movie and leave a frame's temporary file
# (named as spikeframes names them), as a killed job would, and submit again:
# exactly the missing frames are rendered and the result is complete.
rm -f "$frames/frame_00000.png" "$frames/frame_00150.png" "$frames/frame_00299.png" "$movie"
head -c 100 "$frames/frame_00001.png" >"$frames/.frame_00150.png.4242.tmp"
touch "$tmp/mark"
run_examples "$shards"
check_output
written=$(find "$frames" -type f -newer "$tmp/mark" -printf '%f\n' | sort | tr '\n' ' ')
[ "$written" = "frame_00000.png frame_00150.png frame_00299.png " ] ||
	fail "the resubmitted array wrote other frames than the 3 lost ones: $written"
log "resubmitted after losing 3 frames (one with a temporary file left): ok"
log "PASS"
