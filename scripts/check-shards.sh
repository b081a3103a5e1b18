#!/usr/bin/env bash
# Runs the GNU parallel example (examples/parallel.sh: 4 shards at once,
# then declass merge) on the seeds and on the dev set, and checks that the
# merged output — report folders, summary.json, every format, exit code —
# is byte for byte what one run writes. Needs GNU parallel.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
export DECLASS=$PWD/target/debug/declass
repo=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
formats=(--format json=F/summary.json --format jsonl=F/findings.jsonl --format junit=F/junit.xml
         --format github=F/github.txt --format sarif=F/run.sarif --format prov=F/prov.json
         --format human=F/human.txt --format html)
inputs=(seeds tests/fixtures/dev)
# A generated bench corpus too, where the bench generator is beside the
# project (../shared/bench), not in a clone alone.
if [ -f ../shared/bench/gen_corpus.py ]; then
    python3 ../shared/bench/gen_corpus.py --out "$work/bench" --total-mb 5 --seed 2 >/dev/null
    inputs+=("${work#"$repo"/}/bench/docs")
fi
for input in "${inputs[@]}"; do
    mkdir -p "$work/single/F" "$work/merged/F"
    case $input in /*) path=$input ;; *) path=$repo/$input ;; esac
    single=0; (cd "$work/single" && "$DECLASS" audit "$path" --out out --quiet "${formats[@]}") || single=$?
    merged=0; (cd "$work/merged" && "$repo/examples/parallel.sh" "$path" out 4 "${formats[@]}") || merged=$?
    if [ "$single" != "$merged" ]; then
        echo "check-shards: $input: exit $single for one run, $merged merged" >&2
        exit 1
    fi
    diff -r "$work/single" "$work/merged"
    echo "check-shards: $input: 4 shards with GNU parallel, merged: identical to one run (exit $single)"
    rm -rf "$work/single" "$work/merged"
done
