//! Running in CI: parallel jobs, the severity gate, output formats.

use crate::common::{audit, declass, fixture, read_json, tree};
use predicates::prelude::*;

fn corpus() -> tempfile::TempDir {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..12 {
        let body = format!(
            "~~SECRET~~\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n\nTelegram number {i} from the Embassy.\n\n- 2 -\n\nThe second sheet of telegram {i}.\n"
        );
        files.push((format!("box{}/doc{i:02}.txt", i % 3), body.into_bytes()));
    }
    files.push((
        "box0/unmarked.txt".into(),
        b"SECRET\n\nNo authority here.\n".to_vec(),
    ));
    files.push(("box1/warned.txt".into(), b"caf\xe9\n".to_vec()));
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    fixture(&refs)
}

#[test]
fn outputs_are_identical_whatever_the_number_of_jobs() {
    let input = corpus();
    let (one, four) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    audit(&[input.path()], one.path())
        .args(["--jobs", "1"])
        .assert()
        .code(1);
    audit(&[input.path()], four.path())
        .args(["--jobs", "4"])
        .assert()
        .code(1);
    assert_eq!(tree(one.path()), tree(four.path()));
}

#[test]
fn fail_on_sets_the_severity_that_fails_the_run() {
    let input = fixture(&[("warned.txt", b"caf\xe9\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(0);
    audit(&[input.path()], out.path())
        .args(["--fail-on", "warning"])
        .assert()
        .code(1);
    let errors = fixture(&[("bad.txt", b"SECRET\n\nNo authority here.\n")]);
    audit(&[errors.path()], out.path())
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
    audit(&[errors.path()], out.path()).assert().code(1);
}

#[test]
fn jsonl_has_one_finding_per_line_with_its_path() {
    let input = corpus();
    let out = tempfile::tempdir().unwrap();
    let assert = audit(&[input.path()], out.path())
        .args(["--format", "jsonl"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    let summary = read_json(&out.path().join("summary.json"));
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines.len() as u64,
        summary["totals"]["findings"]["total"].as_u64().unwrap()
    );
    assert!(lines
        .iter()
        .all(|l| l["path"].is_string() && l["rule"].is_string() && l["line"].is_u64()));
}

#[test]
fn junit_has_a_test_case_per_document_and_a_failure_per_error_finding() {
    let input = corpus();
    let out = tempfile::tempdir().unwrap();
    let report = out.path().join("ci/junit.xml");
    audit(&[input.path()], out.path())
        .arg("--format")
        .arg(format!("junit={}", report.display()))
        .assert()
        .code(1);
    let xml = std::fs::read_to_string(&report).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 14);
    let failures: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1);
    assert_eq!(
        failures[0].attribute("type"),
        Some("no-declassification-authority")
    );
    let failed_case = failures[0].parent().unwrap();
    assert!(failed_case
        .attribute("name")
        .unwrap()
        .ends_with("unmarked.txt"));
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(suite.attribute("failures"), Some("1"));
}

#[test]
fn junit_counts_failed_test_cases_not_findings() {
    // Three warnings in one document, one in another, none in a third.
    let input = fixture(&[
        (
            "a.txt",
            b"\xEF\xBB\xBFSECRET\n\nOne.\n\nTOP SECRET\n\nTwo.\n\nCONFIDENTIAL\n",
        ),
        ("b.txt", b"SECRET\n\nNo authority here.\n"),
        ("c.txt", b"Nothing marked.\n"),
        ("d.bin.txt", b"\x00\x01binary"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let run = audit(&[input.path()], out.path())
        .args(["--format", "junit", "--fail-on", "info"])
        .assert()
        .code(1);
    let xml = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("well-formed JUnit XML");
    let cases: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let failed = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .count();
    for case in &cases {
        let failures = case
            .children()
            .filter(|n| n.has_tag_name("failure"))
            .count();
        assert!(failures <= 1, "{xml}");
    }
    let suite = doc
        .descendants()
        .find(|n| n.has_tag_name("testsuite"))
        .unwrap();
    assert_eq!(
        suite.attribute("tests"),
        Some(cases.len().to_string().as_str())
    );
    assert_eq!(
        suite.attribute("failures"),
        Some(failed.to_string().as_str()),
        "{xml}"
    );
    // Every finding of a failed case is a line of its failure.
    let a = cases
        .iter()
        .find(|c| c.attribute("name").is_some_and(|n| n.ends_with("a.txt")))
        .unwrap();
    let text = a
        .children()
        .find(|n| n.has_tag_name("failure"))
        .and_then(|f| f.text())
        .unwrap_or_default();
    assert!(text.lines().count() >= 3, "{text}");
}

#[test]
fn github_annotations_point_at_file_and_line() {
    let input = fixture(&[("bad.txt", b"SECRET\n\nNo authority here.\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(["--format", "github"])
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"(?m)^::error file=[^,]*bad\.txt,line=1,endLine=1,col=1,endColumn=7,title=no-declassification-authority::marked SECRET").unwrap());
}

#[test]
fn several_formats_at_once_and_no_progress_bar_when_piped() {
    let input = corpus();
    let out = tempfile::tempdir().unwrap();
    let json = out.path().join("summary-copy.json");
    let assert = audit(&[input.path()], out.path())
        .arg("--format")
        .arg("human")
        .arg("--format")
        .arg(format!("json={}", json.display()))
        .assert()
        .code(1);
    assert!(String::from_utf8_lossy(&assert.get_output().stdout).contains("14 documents"));
    assert!(
        assert.get_output().stderr.is_empty(),
        "stderr: {:?}",
        String::from_utf8_lossy(&assert.get_output().stderr)
    );
    assert_eq!(
        read_json(&json),
        read_json(&out.path().join("summary.json"))
    );
    audit(&[input.path()], out.path())
        .args(["--format", "xml"])
        .assert()
        .code(2);
}

#[test]
fn sarif_is_valid_against_the_official_2_1_0_schema() {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            crate::common::root().join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The published schema has a malformed `pattern` for language codes
    // ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$", on `language` properties),
    // which the validator refuses to compile. declass writes no `language`,
    // so exactly that pattern is dropped from the copy in memory.
    fn drop_pattern(value: &mut serde_json::Value, bad: &str) -> usize {
        match value {
            serde_json::Value::Object(map) => {
                let here = usize::from(map.get("pattern").and_then(|p| p.as_str()) == Some(bad));
                if here == 1 {
                    map.remove("pattern");
                }
                here + map
                    .values_mut()
                    .map(|v| drop_pattern(v, bad))
                    .sum::<usize>()
            }
            serde_json::Value::Array(items) => items.iter_mut().map(|v| drop_pattern(v, bad)).sum(),
            _ => 0,
        }
    }
    let mut schema = schema;
    assert!(drop_pattern(&mut schema, "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") >= 1);
    let validator = jsonschema::draft4::new(&schema).expect("the schema compiles");
    for input in [
        corpus(),
        fixture(&[("empty.txt", b""), ("crlf.txt", b"SECRET\r\nPAGE 2\r\n")]),
    ] {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("results.sarif");
        audit(&[input.path()], out.path())
            .arg("--format")
            .arg(format!("sarif={}", file.display()))
            .assert()
            .code(predicates::ord::lt(2));
        let log: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&log)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{errors:#?}");
        let mut tampered = log.clone();
        tampered["runs"][0]["results"][0]["level"] = serde_json::json!("critical");
        tampered["runs"][0]["tool"]["driver"]["rules"][0]["defaultConfiguration"]["level"] =
            serde_json::json!(7);
        assert!(
            !validator.is_valid(&tampered),
            "the schema check must be able to fail"
        );
        let run = &log["runs"][0];
        let summary = read_json(&out.path().join("summary.json"));
        assert_eq!(
            run["results"].as_array().unwrap().len() as u64,
            summary["totals"]["findings"]["total"].as_u64().unwrap()
        );
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        for result in run["results"].as_array().unwrap() {
            let i = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rules[i]["id"], result["ruleId"]);
            let region = &result["locations"][0]["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1);
        }
    }
}

fn audited_paths(out: &std::path::Path) -> Vec<String> {
    let summary = read_json(&out.join("summary.json"));
    let mut paths: Vec<String> = summary["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["report"].as_str().unwrap().to_string())
        .collect();
    paths.sort();
    paths
}

#[test]
fn ignore_files_and_globs_choose_the_documents() {
    let input = fixture(&[
        (".gitignore", b"drafts/\n"),
        (".declassignore", b"scratch.txt\n"),
        ("a.txt", b"PAGE 2\ntext\n"),
        ("scratch.txt", b"text\n"),
        ("drafts/b.txt", b"text\n"),
        ("notes/c.md", b"PAGE 3\ntext\n"),
        (".hidden/d.txt", b"text\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(0);
    assert_eq!(audited_paths(out.path()), ["a"]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(["--glob", "*.md", "--glob", "*.txt"])
        .assert()
        .code(0);
    assert_eq!(audited_paths(out.path()), ["a", "notes/c"]);
    // A file named on the command line is read whatever the ignore files say.
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path().join("scratch.txt")], out.path())
        .assert()
        .code(0);
    assert_eq!(audited_paths(out.path()), ["scratch"]);
    audit(&[input.path()], out.path())
        .args(["--glob", "[*.txt"])
        .assert()
        .code(2);
}

fn project(config: &str) -> tempfile::TempDir {
    fixture(&[
        ("declass.toml", config.as_bytes()),
        ("docs/a.txt", b"- 2 -\ntext [Page 4] more\n"),
        ("docs/drafts/b.txt", b"- 2 -\ndraft\n"),
        ("docs/cp.txt", b"caf\xe9\n"),
    ])
}

#[test]
fn paths_from_the_configuration_stay_relative_so_a_baseline_holds_in_another_checkout() {
    let config = "paths = [\"docs\"]\nout = \"out\"\n";
    let first = project(config);
    let run = |dir: &std::path::Path, args: &[&str]| {
        crate::common::declass()
            .current_dir(dir)
            .args(["audit", "--quiet"])
            .args(args)
            .assert()
            .code(predicates::ord::lt(2));
    };
    run(first.path(), &["--write-baseline", "baseline.json"]);
    let summary = crate::common::read_json(&first.path().join("out/summary.json"));
    let paths: Vec<&str> = summary["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["docs/a.txt", "docs/cp.txt", "docs/drafts/b.txt"]);
    // Another checkout of the same project, elsewhere: the baseline knows
    // every finding.
    let second = project(config);
    std::fs::copy(
        first.path().join("baseline.json"),
        second.path().join("baseline.json"),
    )
    .unwrap();
    run(second.path(), &["--baseline", "baseline.json"]);
    let summary = crate::common::read_json(&second.path().join("out/summary.json"));
    assert!(summary["totals"]["known_from_baseline"].as_u64().unwrap() > 0);
    assert_eq!(
        summary["totals"]["findings"]["total"],
        summary["totals"]["known_from_baseline"]
    );
}

#[test]
fn the_configuration_file_sets_paths_output_rules_severities_and_ignores() {
    let dir = project(
        "paths = [\"docs\"]\nout = \"out\"\nignore = [\"drafts/**\"]\ndisable = [\"page-number-dashed\"]\nfail-on = \"warning\"\n\n[severity]\nfrus-page-marker = \"warning\"\n",
    );
    let mut cmd = crate::common::declass();
    cmd.current_dir(dir.path().join("docs"))
        .arg("audit")
        .assert()
        .code(1);
    let out = dir.path().join("out");
    assert_eq!(audited_paths(&out), ["a", "cp"]);
    // The disabled rule no longer removes the page number; the override
    // makes the page marker a warning.
    assert_eq!(
        std::fs::read(out.join("a/cleaned.txt")).unwrap(),
        b"- 2 -\ntext more\n"
    );
    let report = read_json(&out.join("a/provenance.json"));
    let marker = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "frus-page-marker")
        .unwrap();
    assert_eq!(marker["severity"], "warning");
    // The command line wins over the file.
    let mut cmd = crate::common::declass();
    cmd.current_dir(dir.path())
        .args(["audit", "--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn unknown_configuration_keys_and_rules_are_refused() {
    let dir = project("out = \"out\"\ncolour = \"red\"\n");
    let mut cmd = crate::common::declass();
    cmd.current_dir(dir.path())
        .args(["audit", "docs"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("declass.toml:2").and(predicate::str::contains("colour")));
    for (config, word) in [
        ("disable = [\"no-such-rule\"]\n", "no-such-rule"),
        ("disable = [\"catchword\"]\n", "built-in check"),
        ("[severity]\nno-such-rule = \"error\"\n", "no-such-rule"),
    ] {
        let dir = project(config);
        let mut cmd = crate::common::declass();
        cmd.current_dir(dir.path())
            .args(["audit", "docs", "--out", "out"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(word));
    }
}

#[test]
fn config_show_prints_the_configuration_in_effect() {
    let dir = project("out = \"out\"\njobs = 2\n");
    let mut cmd = crate::common::declass();
    let assert = cmd
        .current_dir(dir.path().join("docs"))
        .args(["config", "show"])
        .assert()
        .code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        stdout.starts_with("# from ") && stdout.contains("declass.toml"),
        "{stdout}"
    );
    assert!(stdout.contains("\njobs = 2\n"), "{stdout}");
    // What the file leaves unset is shown with its default, commented;
    // what it sets is not shown again.
    assert!(stdout.contains("\n# repair = \"high\"\n"), "{stdout}");
    assert!(stdout.contains("\n# glob = [\"*.txt\"]\n"), "{stdout}");
    assert!(!stdout.contains("# jobs ="), "{stdout}");
    assert!(!stdout.contains("# out ="), "{stdout}");
    let elsewhere = tempfile::tempdir().unwrap();
    let mut cmd = crate::common::declass();
    let assert = cmd
        .current_dir(elsewhere.path())
        .args(["config", "show"])
        .assert()
        .code(0);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("no declass.toml found"), "{stdout}");
    for default in ["# out = \"reports\"", "# fail-on = \"error\"", "# jobs = 0"] {
        assert!(stdout.contains(default), "{default}: {stdout}");
    }
    // The defaults shown are taken as a file: every line uncommented reads
    // as a configuration.
    let uncommented: String = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.contains(" = "))
        .map(|l| format!("{}\n", l.split("  (").next().unwrap()))
        .collect();
    std::fs::write(elsewhere.path().join("declass.toml"), &uncommented).unwrap();
    let mut cmd = crate::common::declass();
    cmd.current_dir(elsewhere.path())
        .args(["config", "show"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("# not set").not());
}

#[test]
fn a_baseline_hides_known_findings_even_when_lines_move() {
    let input = fixture(&[
        ("old.txt", b"SECRET\n\nNo authority here.\n"),
        ("fine.txt", b"~~SECRET~~\nDECLASSIFIED\nText.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    let baseline = out.path().join("baseline.json");
    audit(&[input.path()], out.path())
        .arg("--write-baseline")
        .arg(&baseline)
        .assert()
        .code(1);
    let recorded = read_json(&baseline);
    assert!(recorded["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["rule"] == "no-declassification-authority"));
    // Known findings do not fail the run, and are not reported.
    let assert = audit(&[input.path()], out.path())
        .arg("--baseline")
        .arg(&baseline)
        .args(["--format", "jsonl"])
        .assert()
        .code(0);
    assert!(assert.get_output().stdout.is_empty());
    assert!(
        read_json(&out.path().join("summary.json"))["totals"]["known_from_baseline"]
            .as_u64()
            .unwrap()
            > 0
    );
    // The terminal's summary line says how many the baseline knew.
    let assert = audit(&[input.path()], out.path())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    let said = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let known = read_json(&out.path().join("summary.json"))["totals"]["known_from_baseline"]
        .as_u64()
        .unwrap();
    assert!(
        said.contains(&format!("({known} known from the baseline)")),
        "{said}"
    );
    // An unrelated edit moves the line: still known.
    std::fs::write(
        input.path().join("old.txt"),
        b"A new first line.\n\nSECRET\n\nNo authority here.\n",
    )
    .unwrap();
    audit(&[input.path()], out.path())
        .arg("--baseline")
        .arg(&baseline)
        .assert()
        .code(0);
    // A new finding fails, and is the only one reported.
    std::fs::write(
        input.path().join("new.txt"),
        b"TOP SECRET\n\nStill classified.\n",
    )
    .unwrap();
    let assert = audit(&[input.path()], out.path())
        .arg("--baseline")
        .arg(&baseline)
        .args(["--format", "jsonl"])
        .assert()
        .code(1);
    let stdout = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(stdout.lines().all(|l| l.contains("new.txt")), "{stdout}");
    assert!(stdout.contains("no-declassification-authority"));
    audit(&[input.path()], out.path())
        .args(["--baseline", "no/such/baseline.json"])
        .assert()
        .code(2);
}

#[test]
fn rules_commands_use_the_configurations_rule_folders() {
    let broken = "[[rule]]\nid = \"local-mark\"\ncategory = \"page-furniture\"\nseverity = \"info\"\ndescription = \"A local mark\"\npattern = '^LOCAL [0-9]+$'\naction = \"remove-line\"\nexamples.match = [\"LOCAL 1\"]\nexamples.no-match = [\"LOCAL 2\"]\n";
    let dir = fixture(&[
        (
            "declass.toml",
            b"rules = [\"local\"]\ndisable = [\"page-separator\"]\n",
        ),
        ("local/marks.toml", broken.as_bytes()),
    ]);
    let mut cmd = crate::common::declass();
    cmd.current_dir(dir.path())
        .args(["rules", "test"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("local-mark").and(predicate::str::contains("LOCAL 2")));
    let mut cmd = crate::common::declass();
    let assert = cmd
        .current_dir(dir.path())
        .args(["rules", "list"])
        .assert()
        .code(0);
    let listing = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    assert!(
        listing.contains("local-mark") && !listing.contains("page-separator"),
        "{listing}"
    );
}

/// With a `[sarif]` table in the configuration, the log links the tool to
/// its home page and each rule to its section of the rules' reference page
/// (`rules list --html`, whose anchors are the rules' ids); without one, no
/// link is made up; a link that is no web URI is refused, with its line.
#[test]
fn sarif_links_each_rule_to_its_section_of_the_rules_page() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("declass.toml");
    let base = "https://archive.example.org/declass";
    std::fs::write(
        &config,
        format!(
            "[sarif]\ninformation-uri = \"{base}/\"\nhelp-uri = \"{base}/rules.html#{{rule}}\"\n"
        ),
    )
    .unwrap();
    let sarif = |config: Option<&std::path::Path>| {
        let file = dir.path().join("r.sarif");
        let mut cmd = audit(
            &[crate::common::root().join("seeds")],
            &dir.path().join("out"),
        );
        if let Some(config) = config {
            cmd.arg("--config").arg(config);
        }
        cmd.arg("--format")
            .arg(format!("sarif={}", file.display()))
            .assert()
            .code(predicates::ord::lt(2));
        read_json(&file)["runs"][0]["tool"]["driver"].clone()
    };
    let page = declass()
        .args(["rules", "list", "--html"])
        .output()
        .unwrap();
    assert!(page.status.success());
    let page = String::from_utf8(page.stdout).unwrap();
    let driver = sarif(Some(&config));
    assert_eq!(driver["informationUri"], format!("{base}/"));
    let rules = driver["rules"].as_array().unwrap();
    assert!(rules.len() > 90);
    for rule in rules {
        let id = rule["id"].as_str().unwrap();
        assert_eq!(rule["helpUri"], format!("{base}/rules.html#{id}"));
        assert!(page.contains(&format!("<section id=\"{id}\">")), "{id}");
    }
    let driver = sarif(None);
    assert!(driver.get("informationUri").is_none());
    assert!(driver["rules"][0].get("helpUri").is_none());
    std::fs::write(
        &config,
        "out = \"x\"\n[sarif]\nhelp-uri = \"rules.html#{rule}\"\n",
    )
    .unwrap();
    let refused = declass()
        .args(["rules", "list", "--config"])
        .arg(&config)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains("declass.toml:3: [sarif] help-uri"),
        "{stderr}"
    );
}
