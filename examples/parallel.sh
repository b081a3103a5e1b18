#!/usr/bin/env bash
# Audits a collection in N shards at once with GNU parallel, then merges
# them into one run's output (reports, summary.json, formats, exit code).
#
#   examples/parallel.sh COLLECTION OUT [N] [--format ...]
#
# DECLASS names the binary (default: declass on the PATH). A shard that
# exits 1 (findings) or 2 (an unreadable input) still wrote its part: the
# merge reports those as one run would, and its exit code is the run's.
set -euo pipefail
collection=$1
out=$2
shards=${3:-4}
shift $(($# < 3 ? $# : 3))
declass=${DECLASS:-declass}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export declass collection work shards
seq 0 $((shards - 1)) | parallel --halt now,fail=1 \
    '"$declass" audit "$collection" --out "$work/shard{}" --shard {}/"$shards" --format json=/dev/null --quiet || true; test -f "$work/shard{}/shard.json"'
"$declass" merge "$work"/shard* --out "$out" "$@"
