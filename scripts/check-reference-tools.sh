#!/usr/bin/env bash
# Outputs checked by the tools their users already run, installed from PyPI
# into a virtual environment:
# - the bag `declass audit --bag-originals` writes, by the Library of
#   Congress's validator bagit.py: the bag of the seeds is valid, and the
#   same bag with one payload byte changed is not;
# - the JUnit XML, by junitparser: one test case per document, and the
#   suite's `failures` is the number of failed test cases;
# - the SARIF log, by Microsoft's SARIF multitool (npm package
#   @microsoft/sarif-multitool) with the SARIF and GitHub rules: no error
#   (and, with the configuration's [sarif] links, nothing at all),
#   for the seeds and for file names with `#`, `?`, `[ ]`, spaces and
#   letters beyond ASCII, named by relative and by absolute paths;
# - the PROV-JSON of the seeds' audit, by the W3C PROV package `prov`: it
#   reads the document, whose graph has the expected entities and relations;
# - the HTML report, rendered by headless Chromium (Debian's `chromium`):
#   seed 002's page shows its stamps and authority, and a hostile file name
#   and a `<script>` inside a document render as text, never run.
# Usage: scripts/check-reference-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet bagit junitparser prov
cargo build --quiet
SOURCE_DATE_EPOCH=1700000000 ./target/debug/declass audit seeds --out "$work/bag" \
    --bag-originals --quiet >/dev/null || [ $? -le 1 ]
"$work/venv/bin/bagit.py" --validate --quiet "$work/bag"
echo "bagit.py: the bag of the seeds is valid"
file="$work/bag/data/originals/002_7f875bcfea1df796.txt"
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

npm install --silent --prefix "$work/npm" @microsoft/sarif-multitool >/dev/null 2>&1
multitool=$(find "$work/npm/node_modules/@microsoft" -name Sarif.Multitool -type f | head -1)
mkdir -p "$work/names"
cp seeds/002_7f875bcfea1df796.txt "$work/names/ä #1 [x]?.txt"
cp seeds/003_33cb17591a182ab9.txt "$work/names/plain.txt"
(cd "$work" && "$OLDPWD/target/debug/declass" audit names "$OLDPWD/seeds/004_2e7898d1234cb5f0.txt" \
    "$OLDPWD/seeds" --out sarif-out --quiet --format sarif="$work/declass.sarif" >/dev/null) || [ $? -le 1 ]
"$multitool" validate --rule-kind "Sarif;Gh" "$work/declass.sarif" -o "$work/validation.sarif" >/dev/null
python3 - "$work/validation.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
results = [r for run in log["runs"] for r in run.get("results", [])]
errors = [r for r in results if r.get("level", "warning") == "error"]
for r in errors:
    print("SARIF multitool:", r["ruleId"], r["message"].get("arguments"), file=sys.stderr)
assert not errors, f"{len(errors)} errors"
others = sorted({r["ruleId"] for r in results})
print(f"sarif-multitool: no error; {len(results)} notes or warnings: {', '.join(others) or 'none'}")
PY
# With the configuration's [sarif] links (the tool's home page, each rule's
# section of the published `rules list --html` page) nothing at all is left
# to note, not even the missing informationUri.
mkdir -p "$work/linked"
printf '[sarif]\ninformation-uri = "https://archive.example.org/declass/"\nhelp-uri = "https://archive.example.org/declass/rules.html#{rule}"\n' \
    > "$work/linked/declass.toml"
(cd "$work/linked" && "$OLDPWD/target/debug/declass" audit "$OLDPWD/seeds" --out out --quiet \
    --format sarif="$work/linked.sarif" >/dev/null) || [ $? -le 1 ]
"$multitool" validate --rule-kind "Sarif;Gh" "$work/linked.sarif" -o "$work/linked-validation.sarif" >/dev/null
python3 - "$work/linked-validation.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
results = [r for run in log["runs"] for r in run.get("results", [])]
for r in results:
    print("SARIF multitool:", r["ruleId"], r.get("level"), r["message"].get("arguments"), file=sys.stderr)
assert not results, f"{len(results)} results"
print("sarif-multitool: with [sarif] links, no error, warning or note")
PY

SOURCE_DATE_EPOCH=1700000000 ./target/debug/declass audit seeds --out "$work/prov-out" --quiet \
    --format prov="$work/prov.json" >/dev/null || [ $? -le 1 ]
"$work/venv/bin/python" - "$work/prov.json" <<'PY'
import sys
from collections import Counter
import prov
from prov.model import ProvEntity, ProvActivity, ProvAgent, ProvUsage, ProvGeneration, ProvDerivation, ProvAssociation
document = prov.read(sys.argv[1], format="json")
records = document.get_records()
kinds = Counter(type(r).__name__ for r in records)
expected = {"ProvEntity": 20, "ProvActivity": 1, "ProvAgent": 1, "ProvUsage": 5,
            "ProvGeneration": 15, "ProvDerivation": 15, "ProvAssociation": 1}
assert dict(kinds) == expected, kinds
originals = [e for e in document.get_records(ProvEntity) if str(e.identifier).endswith("-original")]
assert all(any(a[0].localpart == "sha256" for a in e.attributes) for e in originals)
activity = list(document.get_records(ProvActivity))[0]
assert str(activity.get_startTime().year) == "2023", activity.get_startTime()
print("prov: the PROV-JSON of the seeds reads, with", ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
PY

mkdir -p "$work/html-in"
cp seeds/002_7f875bcfea1df796.txt "$work/html-in/"
printf 'SECRET\n\n<script>document.title="PWNED"</script> text\n' > "$work/html-in/<script>x<\\script>.txt"
./target/debug/declass audit "$work/html-in" --out "$work/html-out" --quiet --format html >/dev/null || [ $? -le 1 ]
chrome() { timeout 120 chromium --headless --no-sandbox --disable-gpu --dump-dom "file://$1" 2>/dev/null; }
seed=$(chrome "$work/html-out/html/documents/1.html")
grep -q "E.O. 11652 · NLT-HC · NARS 1975-12-02" <<<"$seed"
grep -q '<span class="line">~~SECRET~~</span>' <<<"$seed"
grep -q "printed page 2" <<<"$seed"
hostile=$(chrome "$work/html-out/html/documents/2.html")
grep -q '&lt;script&gt;document.title="PWNED"&lt;/script&gt; text' <<<"$hostile"
if grep -q "<title>PWNED" <<<"$hostile"; then echo "a document's script ran" >&2; exit 1; fi
index=$(chrome "$work/html-out/html/index.html")
grep -q '&lt;script&gt;x&lt;\\script&gt;.txt' <<<"$index"
echo "chromium: seed 002's page shows its stamps and authority; a script in a document or a name renders as text"
