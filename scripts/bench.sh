#!/usr/bin/env bash
# Throughput of `declass audit` on the synthetic corpus of ../shared/bench,
# beside reading and hashing the same files. Usage: scripts/bench.sh [MB]
# The corpus is generated into a temporary folder and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
mb=${1:-50}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 ../shared/bench/gen_corpus.py --out "$work/corpus" --total-mb "$mb" --seed 1 >/dev/null
cargo build --release -q
docs="$work/corpus/docs"
bytes=$(find "$docs" -type f -name '*.txt' -exec cat {} + | wc -c)
rate() { # name, command...
    local name=$1; shift
    local start end
    start=$(date +%s.%N)
    "$@" >/dev/null || [ $? -le 1 ]  # declass exits 1 when it finds errors
    end=$(date +%s.%N)
    python3 -c "import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f'{sys.argv[3]:<28} {s:7.2f} s  {int(sys.argv[4])/1e6/s:8.1f} MB/s')" "$start" "$end" "$name" "$bytes"
}
echo "corpus: $bytes bytes in $(find "$docs" -type f | wc -l) files"
rate "read (cat)" sh -c "find '$docs' -type f -exec cat {} + > /dev/null"
rate "sha256sum" sh -c "find '$docs' -type f -exec sha256sum {} + > /dev/null"
rate "declass audit" ./target/release/declass audit "$docs" --out "$work/out"
