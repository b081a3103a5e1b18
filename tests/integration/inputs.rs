//! Bad and unusual input: invalid UTF-8, binary, empty, huge, CRLF, BOM,
//! standard input. Each gets a clear finding; the run goes on; nothing panics.

use crate::common::{audit, declass, fixture, patch, read_json};
use serde_json::Value;
use std::path::Path;

fn audit_one(name: &str, bytes: &[u8], extra: &[&str]) -> (tempfile::TempDir, Value) {
    let input = fixture(&[(name, bytes)]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(extra)
        .assert()
        .code(predicates::ord::lt(2));
    let dir = Path::new(name).with_extension("");
    let report = read_json(&out.path().join(&dir).join("provenance.json"));
    (out, report)
}

fn rules_of(report: &Value) -> Vec<&str> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

#[test]
fn invalid_utf8_falls_back_to_windows_1252_with_a_warning() {
    let original = b"Caf\xe9 au lait\nSECRET\n\x93Quoted\x94 text\n";
    let (out, report) = audit_one("cp.txt", original, &[]);
    assert_eq!(report["source"]["encoding"], "windows-1252");
    let finding = &report["findings"][0];
    assert_eq!(finding["rule"], "input-invalid-utf8");
    assert_eq!(finding["severity"], "warning");
    assert_eq!(finding["line"], 1);
    let cleaned = std::fs::read(out.path().join("cp/cleaned.txt")).unwrap();
    assert_eq!(
        String::from_utf8(cleaned.clone()).unwrap(),
        "Café au lait\n\u{201c}Quoted\u{201d} text\n"
    );
    let kinds: Vec<&str> = report["actions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["transcode", "remove-line", "transcode"]);
    let diff = std::fs::read(out.path().join("cp/changes.diff")).unwrap();
    assert_eq!(patch(original, &diff), cleaned);
}

#[test]
fn binary_file_is_skipped_with_an_error_finding() {
    let bytes = b"\x89PNG\r\n\x1a\n\0\0\0IHDR";
    let (out, report) = audit_one("scan.txt", bytes, &[]);
    assert_eq!(rules_of(&report), ["input-binary"]);
    assert_eq!(report["findings"][0]["severity"], "error");
    assert_eq!(report["source"]["encoding"], "binary");
    assert_eq!(report["source"]["bytes"], bytes.len());
    assert_eq!(
        report["source"]["sha256"],
        declass::audit::decode::sha256_hex(bytes)
    );
    assert!(report["cleaned"].is_null() && report["diff"].is_null());
    assert!(!out.path().join("scan/cleaned.txt").exists());
}

#[test]
fn utf16_is_named_in_the_binary_finding() {
    let (_, report) = audit_one("wide.txt", b"\xff\xfeS\0E\0C\0", &[]);
    assert!(report["findings"][0]["message"]
        .as_str()
        .unwrap()
        .contains("UTF-16"));
}

#[test]
fn empty_file_gets_a_valid_report() {
    let (out, report) = audit_one("empty.txt", b"", &[]);
    assert_eq!(rules_of(&report), ["input-empty"]);
    assert_eq!(report["source"]["bytes"], 0);
    assert_eq!(report["source"]["lines"], 0);
    assert_eq!(report["source"]["line_ending"], "none");
    assert_eq!(
        report["source"]["sha256"],
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    assert!(report["classification"]["highest"].is_null());
    assert_eq!(report["declassification"]["status"], "unmarked");
    assert_eq!(
        std::fs::read(out.path().join("empty/cleaned.txt")).unwrap(),
        b""
    );
    assert_eq!(
        std::fs::read(out.path().join("empty/changes.diff")).unwrap(),
        b""
    );
}

#[test]
fn too_large_file_is_hashed_but_not_audited() {
    let bytes = b"SECRET\nA long document.\n";
    let (_, report) = audit_one("big.txt", bytes, &["--max-bytes", "10"]);
    assert_eq!(rules_of(&report), ["input-too-large"]);
    assert_eq!(report["source"]["bytes"], bytes.len());
    assert_eq!(
        report["source"]["sha256"],
        declass::audit::decode::sha256_hex(bytes)
    );
}

#[test]
fn crlf_and_bom_are_recorded_and_round_trip() {
    let original = b"\xef\xbb\xbfSECRET\r\n\r\nFirst line\r\n\r\n-2-\r\n\r\nSecond line\r\n";
    let (out, report) = audit_one("crlf.txt", original, &[]);
    assert_eq!(report["source"]["line_ending"], "crlf");
    assert_eq!(report["source"]["bom"], true);
    let cleaned = std::fs::read(out.path().join("crlf/cleaned.txt")).unwrap();
    assert_eq!(cleaned, b"First line\r\n\r\nSecond line\r\n");
    let diff = std::fs::read(out.path().join("crlf/changes.diff")).unwrap();
    assert_eq!(patch(original, &diff), cleaned);
}

#[test]
fn mixed_line_endings_are_reported_as_mixed() {
    let (_, report) = audit_one("mixed.txt", b"a\r\nb\nc", &[]);
    assert_eq!(report["source"]["line_ending"], "mixed");
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let input = fixture(&[
        ("a.txt", b"\0\0\0"),
        ("b.txt", b"caf\xe9\n"),
        ("c.txt", b""),
        (
            "d.txt",
            b"~~SECRET~~\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\nText\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(1);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 4);
    assert_eq!(summary["documents"][3]["highest"], "SECRET");
    assert_eq!(summary["totals"]["findings"]["by_severity"]["error"], 1);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let out = tempfile::tempdir().unwrap();
    declass()
        .args(["audit", "-", "--out"])
        .arg(out.path())
        .write_stdin(
            "TOP SECRET\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n\nBody [Page 3] text.\n",
        )
        .assert()
        .code(0);
    let report = read_json(&out.path().join("stdin/provenance.json"));
    assert_eq!(report["source"]["path"], "-");
    assert_eq!(report["classification"]["highest"], "TOP SECRET");
    assert_eq!(
        std::fs::read(out.path().join("stdin/cleaned.txt")).unwrap(),
        b"Body text.\n"
    );
}
