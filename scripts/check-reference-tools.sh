#!/usr/bin/env bash
# Outputs checked by the tools their users already run, installed from PyPI
# into a virtual environment:
# - the bag `declass audit --bag-originals` writes, by the Library of
#   Congress's validator bagit.py: the bag of the seeds is valid, and the
#   same bag with one payload byte changed is not;
# - the JUnit XML, by junitparser: one test case per document, and the
#   suite's `failures` is the number of failed test cases.
# Usage: scripts/check-reference-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet bagit junitparser
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

./target/debug/declass audit seeds tests/fixtures/dev --out "$work/out" --quiet \
    --fail-on info --format junit="$work/junit.xml" >/dev/null || [ $? -le 1 ]
"$work/venv/bin/python" - "$work/junit.xml" <<'PY'
import sys
from junitparser import JUnitXml, Failure, Error
xml = JUnitXml.fromfile(sys.argv[1])
for suite in xml:
    cases = list(suite)
    failed = sum(1 for c in cases if any(isinstance(r, Failure) for r in c.result))
    errored = sum(1 for c in cases if any(isinstance(r, Error) for r in c.result))
    assert suite.tests == len(cases), (suite.tests, len(cases))
    assert suite.failures == failed, (suite.failures, failed)
    assert suite.errors == errored, (suite.errors, errored)
    assert len(cases) == 24, len(cases)
    print(f"junitparser: {len(cases)} test cases, {failed} failed, counts consistent")
PY
