//! `provenance.json` and `summary.json` hold to the JSON Schemas shipped in
//! `schema/`: the seeds' committed reports, the dev set's, and the reports
//! of files that could not be audited.

use crate::common::{audit, fixture, read_json, root};
use serde_json::Value;
use std::path::Path;

fn validator(name: &str) -> jsonschema::Validator {
    let schema = read_json(&root().join("schema").join(name));
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the schema compiles")
}

/// The schema's complaints about `value`, one a line.
fn errors(validator: &jsonschema::Validator, value: &Value) -> String {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Validates every report under `out` and its summary, and reads each
/// report back as the library's `Provenance`, which writes it again byte
/// for byte (fields left out, such as an `end_line` equal to its `line`,
/// are read back as what they stand for); returns how many reports were
/// read.
fn assert_valid_reports(out: &Path) -> usize {
    let provenance = validator("provenance.schema.json");
    let summary = validator("summary.schema.json");
    let mut reports = 0;
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy();
        let check = match name.as_ref() {
            "provenance.json" => &provenance,
            "summary.json" => &summary,
            _ => continue,
        };
        let value = read_json(entry.path());
        let complaints = errors(check, &value);
        assert!(
            complaints.is_empty(),
            "{}:\n{complaints}",
            entry.path().display()
        );
        if name == "provenance.json" {
            let bytes = std::fs::read(entry.path()).unwrap();
            let back: declass::audit::report::Provenance = serde_json::from_slice(&bytes)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            let again = declass::audit::report::to_json_bytes(&back).unwrap();
            assert!(
                again == bytes,
                "{} is not written again as it was",
                entry.path().display()
            );
            reports += 1;
        }
    }
    reports
}

#[test]
fn the_seeds_committed_reports_hold_to_the_schemas() {
    assert_eq!(assert_valid_reports(&root().join("reports")), 5);
}

#[test]
fn the_dev_sets_reports_hold_to_the_schemas() {
    let out = tempfile::tempdir().unwrap();
    audit(&[root().join("tests/fixtures/dev")], out.path())
        .assert()
        .code(predicates::ord::lt(2));
    assert_eq!(assert_valid_reports(out.path()), 19);
}

#[test]
fn reports_of_files_not_audited_hold_to_the_schemas() {
    let input = fixture(&[
        ("binary.txt", b"\x00\x01\x02PK\x03\x04"),
        ("empty.txt", b""),
        ("latin1.txt", b"caf\xe9 SECRET\r\n"),
        ("big.txt", &[b'a'; 4096]),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(["--max-bytes", "1024"])
        .env("SOURCE_DATE_EPOCH", "86400")
        .assert()
        .code(predicates::ord::lt(2));
    assert_eq!(assert_valid_reports(out.path()), 4);
}

#[test]
fn the_schemas_reject_what_they_do_not_describe() {
    let provenance = validator("provenance.schema.json");
    let report = read_json(&root().join("reports/002_7f875bcfea1df796/provenance.json"));
    assert!(errors(&provenance, &report).is_empty());
    let broken = |change: &dyn Fn(&mut Value)| {
        let mut value = report.clone();
        change(&mut value);
        !errors(&provenance, &value).is_empty()
    };
    assert!(broken(&|v| v["schema_version"] = 1.into()));
    assert!(broken(&|v| {
        v.as_object_mut().unwrap().remove("findings");
    }));
    assert!(broken(&|v| v["findings"][0]["severity"] = "fatal".into()));
    assert!(broken(&|v| v["actions"][0]["line"] = 0.into()));
    assert!(broken(&|v| v["source"]["sha256"] = "ABC".into()));
    assert!(broken(&|v| v["declassification"]["consensus"]["colour"] =
        serde_json::json!({"value": "x", "support": 1, "of": 1})));
}

#[test]
fn the_schemas_name_the_schema_version_the_tool_writes() {
    for name in ["provenance.schema.json", "summary.schema.json"] {
        let schema = read_json(&root().join("schema").join(name));
        assert_eq!(
            schema["properties"]["schema_version"]["const"],
            declass::audit::report::SCHEMA_VERSION,
            "{name}"
        );
    }
}
