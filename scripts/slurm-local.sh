#!/usr/bin/env bash
# Starts a single-node Slurm from Debian's packages (munge, slurmctld and
# slurmd on this machine), submits the job-array example
# (examples/slurm/audit.sbatch, one task per shard) and its merge job
# (examples/slurm/merge.sbatch, --dependency=afterok), waits for them, and
# checks that the merged output is byte for byte one run's.
#
#   scripts/slurm-local.sh [COLLECTION] [SHARDS]
#
# Needs root (the daemons run as root here) and the packages slurm-wlm and
# munge (apt-get install slurm-wlm munge); installs them if apt-get is there.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
collection=${1:-seeds}
shards=${2:-4}
if ! command -v slurmctld >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq slurm-wlm munge >/dev/null
fi
cargo build --quiet
declass=$repo/target/debug/declass
work=$(mktemp -d)
host=$(hostname -s)
cleanup() {
    local status=$? pids=()
    for pidfile in "$work/slurmctld.pid" "$work/slurmd.pid"; do
        [ -f "$pidfile" ] && pids+=("$(cat "$pidfile")")
    done
    [ -n "${munge_pid:-}" ] && pids+=("$munge_pid")
    kill "${pids[@]}" 2>/dev/null || true
    # The daemons write their state as they stop: wait for them (up to
    # ten seconds) before removing their folder, which a file written
    # meanwhile would keep from going.
    for _ in $(seq 100); do
        kill -0 "${pids[@]}" 2>/dev/null || break
        sleep 0.1
    done
    rm -rf "$work" 2>/dev/null || { sleep 1; rm -rf "$work" || true; }
    exit "$status"
}
trap cleanup EXIT

# munge: a key, and the daemon on its own socket.
mkdir -p "$work/munge"
chmod 700 "$work/munge"
mungekey --create --keyfile "$work/munge/munge.key" --force 2>/dev/null \
    || dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 2>/dev/null
chmod 400 "$work/munge/munge.key"
munged --key-file "$work/munge/munge.key" --socket "$work/munge/munge.socket" \
    --pid-file "$work/munge/munged.pid" --log-file "$work/munge/munged.log" \
    --seed-file "$work/munge/munged.seed" --force
munge_pid=$(cat "$work/munge/munged.pid")

# slurm.conf for one node, this machine.
mkdir -p "$work/spool" "$work/state" "$work/jobs"
cat > "$work/slurm.conf" <<CONF
ClusterName=declass-local
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$work/munge/munge.socket
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldPort=16817
SlurmdPort=16818
SlurmdSpoolDir=$work/spool
StateSaveLocation=$work/state
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
JobCompType=jobcomp/none
AccountingStorageType=accounting_storage/none
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$work/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"
for _ in $(seq 60); do
    sinfo -h -o %T 2>/dev/null | grep -q idle && break
    sleep 1
done
sinfo

# The examples as written: the array of shards, then the merge.
cd "$work/jobs"
export DECLASS=$declass COLLECTION=$repo/$collection SHARDS=$shards WORK=$work/jobs/shards OUT=$work/jobs/reports
array=$(sbatch --parsable --array=0-$((shards - 1)) --cpus-per-task=1 "$repo/examples/slurm/audit.sbatch")
merge=$(sbatch --parsable --dependency=afterok:"$array" "$repo/examples/slurm/merge.sbatch")
echo "slurm-local: job array $array ($shards shards), merge job $merge"
for _ in $(seq 300); do
    [ -z "$(squeue -h -j "$array,$merge" 2>/dev/null)" ] && break
    sleep 1
done
cat declass-merge.log || true

# The merged output against one run.
mkdir -p "$work/single"
(cd "$work/single" && "$declass" audit "$COLLECTION" --out reports --quiet \
    --format "sarif=reports.sarif" --format "junit=reports.junit.xml" >/dev/null) || true
diff -r "$work/single/reports" "$work/jobs/reports"
diff "$work/single/reports.sarif" "$work/jobs/reports.sarif"
diff "$work/single/reports.junit.xml" "$work/jobs/reports.junit.xml"
echo "slurm-local: $shards shards on Slurm, merged: identical to one run over $collection"
