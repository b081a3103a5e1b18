#!/usr/bin/env bash
# Fuzzes the decoder, the scanner, the rule loader and the whole audit with
# libFuzzer (cargo-fuzz), seeded with the seeds, the dev documents and the
# rule files. Usage: scripts/fuzz.sh [SECONDS per target] [TARGET...]
# Needs `cargo install cargo-fuzz`; RUSTC_BOOTSTRAP=1 lets it use the
# sanitizer runtime that the stable toolchain ships. Crashes are written to
# fuzz/artifacts/TARGET/; each one found becomes a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decode scan rules audit)
work=${FUZZ_CORPUS:-$(mktemp -d)}
for target in "${targets[@]}"; do
    corpus="$work/$target"
    mkdir -p "$corpus"
    if [ "$target" = rules ]; then
        cp rules/*.toml "$corpus/"
    else
        cp seeds/*.txt tests/fixtures/dev/*.txt tests/fixtures/structure/*.txt "$corpus/"
    fi
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "$corpus" -- \
        -max_total_time="$seconds" -max_len=65536 -print_final_stats=1
done
