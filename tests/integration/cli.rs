//! Command line: exit codes, rules subcommands, human and JSON output.

use crate::common::{audit, declass, fixture, read_json};
use predicates::prelude::*;

#[test]
fn audit_of_the_seeds_exits_0_and_prints_a_line_per_document() {
    let out = tempfile::tempdir().unwrap();
    let assert = audit(&["seeds"], out.path()).assert().code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(
        lines[2].starts_with("seeds/002_7f875bcfea1df796.txt"),
        "{stdout}"
    );
    assert!(
        lines[2].contains("TOP SECRET") && lines[2].contains("declassified"),
        "{stdout}"
    );
    assert!(
        lines[5].starts_with("5 documents, 0 unreadable"),
        "{stdout}"
    );
}

#[test]
fn json_format_prints_the_summary() {
    let out = tempfile::tempdir().unwrap();
    let assert = declass()
        .args(["audit", "seeds", "--format", "json", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let printed: serde_json::Value = serde_json::from_slice(&assert.get_output().stdout).unwrap();
    assert_eq!(printed, read_json(&out.path().join("summary.json")));
    assert_eq!(printed["totals"]["documents"], 5);
}

#[test]
fn error_finding_exits_1() {
    let input = fixture(&[
        ("bin.txt", b"PK\x03\x04\0\0binary"),
        ("ok.txt", b"SECRET\ntext\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(1);
}

#[test]
fn bad_usage_exits_2() {
    declass().args(["audit", "--no-such-flag"]).assert().code(2);
    declass().args(["frobnicate"]).assert().code(2);
    declass()
        .args(["audit", "seeds", "--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn help_and_version_exit_0() {
    declass()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("audit"));
    declass()
        .arg("--version")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("declass"));
}

#[test]
fn no_input_found_exits_2() {
    let empty = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    audit(&[empty.path()], out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no input found"));
}

#[test]
fn an_output_folder_that_cannot_be_made_says_why_once_and_exits_2() {
    let dir = fixture(&[("a.txt", b"Text.\n"), ("file", b"")]);
    let out = declass()
        .arg("audit")
        .arg(dir.path().join("a.txt"))
        .arg("--out")
        .arg(dir.path().join("file/reports"))
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let said = String::from_utf8(out).unwrap();
    // The system's reason, quoted by the error, is not repeated after it.
    assert_eq!(said.matches("Not a directory").count(), 1, "{said}");
    assert!(said.contains("file/reports: cannot write"), "{said}");
}

#[test]
fn a_format_file_under_a_file_says_a_file_is_in_the_way() {
    let dir = fixture(&[("a.txt", b"Text.\n"), ("file", b"")]);
    let out = tempfile::tempdir().unwrap();
    let target = dir.path().join("file/run.json");
    let assert = audit(&[&dir.path().join("a.txt")], out.path())
        .arg("--format")
        .arg(format!("json={}", target.display()))
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("a file is in the way"), "{stderr}");
    assert!(!stderr.contains("File exists"), "{stderr}");
}

#[test]
fn a_summary_that_cannot_be_written_ends_the_run_in_trouble_but_the_run_is_still_told() {
    let dir = fixture(&[("a.txt", b"SECRET\n\nText.\n"), ("b.txt", b"Text.\n")]);
    let out = tempfile::tempdir().unwrap();
    // A folder where the summary goes: it cannot be written over.
    std::fs::create_dir_all(out.path().join("summary.json")).unwrap();
    let assert = audit(&[dir.path()], out.path()).assert().code(2);
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stdout.contains("a.txt") && stdout.contains("b.txt"),
        "{stdout}"
    );
    assert!(stdout.contains("2 documents"), "{stdout}");
    assert!(stderr.contains("summary.json: cannot write"), "{stderr}");
    assert!(out.path().join("a/provenance.json").is_file());
}

#[test]
fn unreadable_input_is_reported_the_others_are_processed_and_exit_is_2() {
    let input = fixture(&[("good.txt", b"TOP SECRET\nBody.\n")]);
    let out = tempfile::tempdir().unwrap();
    let missing = input.path().join("missing.txt");
    declass()
        .arg("audit")
        .arg(input.path().join("good.txt"))
        .arg(&missing)
        .arg("--out")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("missing.txt").and(predicate::str::contains("cannot read")),
        );
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 1);
    assert_eq!(summary["totals"]["unreadable"], 1);
    assert!(summary["unreadable"][0]["path"]
        .as_str()
        .unwrap()
        .ends_with("missing.txt"));
    let report = summary["documents"][0]["report"].as_str().unwrap();
    assert!(out.path().join(report).join("cleaned.txt").is_file());
}

#[test]
fn rules_list_names_every_rule_and_built_in_check() {
    let assert = declass().args(["rules", "list"]).assert().code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let rules = declass::rules::RuleSet::builtin().unwrap();
    for rule in rules.rules() {
        let line = stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(rule.id.as_str()))
            .unwrap_or_else(|| panic!("{} not listed", rule.id));
        assert!(line.contains(rule.category.as_str()) && line.contains(&rule.description));
    }
    assert!(stdout.contains("input-binary"));
    insta::assert_snapshot!("rules_list", stdout);
}

#[test]
fn rules_test_passes_on_the_built_in_rules() {
    declass()
        .args(["rules", "test"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("0 failed"));
}

const ONE_RULE: &str = r#"
[[rule]]
id = "page-word"
category = "page-furniture"
severity = "info"
description = "A page number"
pattern = '^PAGE [0-9]+$'
action = "remove-line"
examples.match = ["PAGE 2"]
examples.no-match = ["PAGE two"]
"#;

#[test]
fn rules_test_names_the_failing_rule_and_example_and_exits_1() {
    let dir = fixture(&[(
        "furniture.toml",
        ONE_RULE.replace("PAGE two", "PAGE 3").as_bytes(),
    )]);
    declass()
        .args(["rules", "test", "--rules"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stderr(predicate::str::contains("page-word").and(predicate::str::contains("\"PAGE 3\"")));
}

#[test]
fn an_invalid_rule_file_is_refused_with_file_line_and_rule_and_exits_2() {
    for (broken, reason) in [
        (
            ONE_RULE.replace("action =", "colour = \"red\"\naction ="),
            "colour",
        ),
        (
            ONE_RULE.replace("'^PAGE [0-9]+$'", "'^PAGE ([0-9]+$'"),
            "pattern",
        ),
        (format!("{ONE_RULE}{ONE_RULE}"), "duplicate id"),
        (
            ONE_RULE.replace("examples.match = [\"PAGE 2\"]\n", ""),
            "examples",
        ),
    ] {
        let dir = fixture(&[("furniture.toml", broken.as_bytes())]);
        let input = fixture(&[("a.txt", b"PAGE 2\n")]);
        let out = tempfile::tempdir().unwrap();
        audit(&[input.path()], out.path())
            .arg("--rules")
            .arg(dir.path())
            .assert()
            .code(2)
            .stderr(
                predicate::str::contains("furniture.toml:")
                    .and(predicate::str::contains("rule `page-word`"))
                    .and(predicate::str::contains(reason)),
            );
    }
}

#[test]
fn a_rules_folder_replaces_the_built_in_rules() {
    let dir = fixture(&[("furniture.toml", ONE_RULE.as_bytes())]);
    let input = fixture(&[("a.txt", b"SECRET\nPAGE 2\nBody\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .arg("--rules")
        .arg(dir.path())
        .assert()
        .code(0);
    assert_eq!(
        std::fs::read(out.path().join("a/cleaned.txt")).unwrap(),
        b"SECRET\nBody\n"
    );
    let report = read_json(&out.path().join("a/provenance.json"));
    let builtin = declass::rules::RuleSet::builtin().unwrap();
    assert_ne!(report["tool"]["rules_sha256"], builtin.sha256());
}

#[test]
fn a_missing_rules_folder_exits_2() {
    declass()
        .args(["audit", "seeds", "--rules", "no/such/folder"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no/such/folder"));
}
