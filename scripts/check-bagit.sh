#!/usr/bin/env bash
# The bag `declass audit --bag-originals` writes, checked by the Library of
# Congress's reference validator, bagit.py (Python package `bagit`, in a
# virtual environment): the bag of the seeds is valid, and the same bag with
# one payload byte changed is not. Usage: scripts/check-bagit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet bagit
cargo build --quiet
SOURCE_DATE_EPOCH=1700000000 ./target/debug/declass audit seeds --out "$work/bag" \
    --bag-originals --quiet >/dev/null || [ $? -le 1 ]
"$work/venv/bin/bagit.py" --validate --quiet "$work/bag"
echo "bagit.py: the bag of the seeds is valid"
file="$work/bag/data/originals/002_7f875bcfea1df796/002_7f875bcfea1df796.txt"
python3 - "$file" <<'PY'
import sys
path = sys.argv[1]
data = bytearray(open(path, "rb").read())
data[0] ^= 1
open(path, "wb").write(bytes(data))
PY
if "$work/venv/bin/bagit.py" --validate --quiet "$work/bag" 2>/dev/null; then
    echo "bagit.py accepted a bag with a changed payload byte" >&2
    exit 1
fi
echo "bagit.py: one payload byte changed, the bag is invalid"
