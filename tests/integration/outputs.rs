//! Output files: each file's content, the committed reports, determinism,
//! the diff round trip, and where outputs are written.

use crate::common::{audit, declass, end_line, fixture, patch, read_json, root, tree};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn audit_seeds(out: &Path) {
    audit(&["seeds"], out).assert().code(0);
}

#[test]
fn committed_reports_are_current() {
    let out = tempfile::tempdir().unwrap();
    audit_seeds(out.path());
    let fresh = tree(out.path());
    let committed = tree(&root().join("reports"));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&fresh),
        names(&committed),
        "reports/ has other files than a fresh run"
    );
    for ((name, new), (_, old)) in fresh.iter().zip(&committed) {
        assert!(
            new == old,
            "reports/{name} is out of date: run `cargo run --release -- audit seeds --out reports`"
        );
    }
}

#[test]
fn two_runs_give_identical_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    audit_seeds(a.path());
    audit_seeds(b.path());
    assert_eq!(tree(a.path()), tree(b.path()));
}

#[test]
fn source_date_epoch_is_the_only_time_written() {
    let out = tempfile::tempdir().unwrap();
    declass()
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(["audit", "seeds", "--out"])
        .arg(out.path())
        .assert()
        .code(0);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["generated_at"], "2023-11-14T22:13:20Z");
    let report = read_json(&out.path().join("002_7f875bcfea1df796/provenance.json"));
    assert_eq!(report["generated_at"], "2023-11-14T22:13:20Z");
    let plain = read_json(&root().join("reports/summary.json"));
    assert!(plain.get("generated_at").is_none());
    declass()
        .env("SOURCE_DATE_EPOCH", "yesterday")
        .args(["audit", "seeds", "--out"])
        .arg(out.path())
        .assert()
        .code(2);
}

#[test]
fn every_seed_diff_applies_with_patch_to_give_the_cleaned_text() {
    let out = tempfile::tempdir().unwrap();
    audit_seeds(out.path());
    for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        let dir = out.path().join(path.file_stem().unwrap());
        let original = std::fs::read(&path).unwrap();
        let diff = std::fs::read(dir.join("changes.diff")).unwrap();
        let cleaned = std::fs::read(dir.join("cleaned.txt")).unwrap();
        assert_eq!(patch(&original, &diff), cleaned, "{}", path.display());
    }
}

#[test]
fn provenance_describes_source_and_outputs() {
    let out = tempfile::tempdir().unwrap();
    audit_seeds(out.path());
    let dir = out.path().join("002_7f875bcfea1df796");
    let report = read_json(&dir.join("provenance.json"));
    let original = std::fs::read(root().join("seeds/002_7f875bcfea1df796.txt")).unwrap();
    let cleaned = std::fs::read(dir.join("cleaned.txt")).unwrap();
    let diff = std::fs::read(dir.join("changes.diff")).unwrap();
    assert_eq!(report["schema_version"], 4);
    assert_eq!(report["tool"]["name"], "declass");
    assert_eq!(report["tool"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        report["tool"]["rules_sha256"],
        declass::rules::RuleSet::builtin().unwrap().sha256()
    );
    let source = &report["source"];
    assert_eq!(source["path"], "seeds/002_7f875bcfea1df796.txt");
    assert_eq!(source["bytes"], original.len());
    assert_eq!(
        source["sha256"],
        declass::audit::decode::sha256_hex(&original)
    );
    assert_eq!(source["encoding"], "utf-8");
    assert_eq!(source["bom"], false);
    assert_eq!(source["line_ending"], "lf");
    assert_eq!(report["cleaned"]["path"], "cleaned.txt");
    assert_eq!(report["cleaned"]["bytes"], cleaned.len());
    assert_eq!(
        report["cleaned"]["sha256"],
        declass::audit::decode::sha256_hex(&cleaned)
    );
    assert_eq!(
        report["diff"]["sha256"],
        declass::audit::decode::sha256_hex(&diff)
    );
    let diff_text = String::from_utf8(diff).unwrap();
    assert!(diff_text.starts_with(
        "--- a/seeds/002_7f875bcfea1df796.txt\n+++ b/seeds/002_7f875bcfea1df796.txt\n@@ "
    ));
    let minus = diff_text
        .lines()
        .filter(|l| l.starts_with('-') && !l.starts_with("---"))
        .count();
    let plus = diff_text
        .lines()
        .filter(|l| l.starts_with('+') && !l.starts_with("+++"))
        .count();
    assert_eq!(report["diff"]["lines_removed"], minus);
    assert_eq!(report["diff"]["lines_added"], plus);
    for finding in report["findings"].as_array().unwrap() {
        for key in [
            "rule",
            "category",
            "severity",
            "line",
            "column",
            "end_column",
            "text",
            "message",
        ] {
            assert!(
                finding.get(key).is_some(),
                "finding without {key}: {finding}"
            );
        }
    }
    // `end_line` is written only where it is not `line`; a line removed
    // whole is not quoted again by its action (the diff gives it).
    let items = report["findings"].as_array().unwrap().iter();
    let actions = report["actions"].as_array().unwrap();
    let mut single = 0;
    for item in items.chain(actions) {
        match item.get("end_line") {
            Some(end) => assert!(end.as_u64() > item["line"].as_u64(), "{item}"),
            None => single += 1,
        }
    }
    assert!(single > 0);
    let removals: Vec<&serde_json::Value> = actions
        .iter()
        .filter(|a| a["kind"] == "remove-line")
        .collect();
    assert!(!removals.is_empty());
    assert!(removals.iter().all(|a| a.get("original").is_none()));
    assert!(actions
        .iter()
        .any(|a| a["kind"] == "join-paragraph" && a.get("original").is_some()));
}

/// Every removed or changed original line is explained by exactly one action
/// (a line may also carry its re-encoding), and every action shows in the
/// diff. A paragraph join explains its two lines and the blank lines it drops
/// between them; lines between them that other rules removed keep their own
/// action.
#[test]
fn actions_explain_every_change_and_only_changes() {
    let out = tempfile::tempdir().unwrap();
    audit(&["seeds"], out.path()).assert().code(0);
    for entry in std::fs::read_dir(out.path()).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let report = read_json(&dir.join("provenance.json"));
        let original =
            std::fs::read_to_string(root().join(report["source"]["path"].as_str().unwrap()))
                .unwrap();
        let original: Vec<&str> = original.split('\n').collect();
        let diff = std::fs::read_to_string(dir.join("changes.diff")).unwrap();
        let mut changed = BTreeSet::new();
        for hunk in diff.split("\n@@ -").skip(1) {
            let header = hunk.split(' ').next().unwrap();
            let mut line: usize = header.split(',').next().unwrap().parse().unwrap();
            for body in hunk.lines().skip(1) {
                match body.as_bytes().first() {
                    Some(b' ') => line += 1,
                    Some(b'-') => {
                        changed.insert(line);
                        line += 1;
                    }
                    _ => {}
                }
            }
        }
        let mut explained: BTreeMap<usize, usize> = BTreeMap::new();
        let mut joins = Vec::new();
        for action in report["actions"].as_array().unwrap() {
            let a = action["line"].as_u64().unwrap() as usize;
            let b = end_line(action);
            assert!(
                action["rule"].as_str().is_some_and(|r| !r.is_empty()),
                "{action}"
            );
            match action["kind"].as_str().unwrap() {
                "join-paragraph" => joins.push((a, b)),
                // Changes inside a line: a line may carry several.
                "replace" | "remove-match" | "transcode" | "strip-bom" => {
                    explained.entry(a).or_insert(0);
                }
                // Whole lines: each removed by exactly one action.
                _ => {
                    for line in a..=b {
                        *explained.entry(line).or_insert(0) += 1;
                    }
                }
            }
        }
        assert!(
            explained.values().all(|&n| n <= 1),
            "{}: {explained:?}",
            dir.display()
        );
        for (a, b) in joins {
            for line in a..=b {
                let blank = original[line - 1].trim().is_empty();
                if line == a || line == b || (blank && !explained.contains_key(&line)) {
                    explained.entry(line).or_insert(1);
                }
            }
        }
        let explained_lines: BTreeSet<usize> = explained.keys().copied().collect();
        let unchanged_but_explained: Vec<_> = explained_lines.difference(&changed).collect();
        // A hard-wrapped join leaves its two lines as they were.
        assert!(
            unchanged_but_explained.iter().all(|l| report["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(
                    |a| a["kind"] == "join-paragraph" && (a["line"] == **l || a["end_line"] == **l)
                )),
            "{}: explained but unchanged {unchanged_but_explained:?}",
            dir.display()
        );
        let unexplained: Vec<_> = changed.difference(&explained_lines).collect();
        assert!(
            unexplained.is_empty(),
            "{}: changed but unexplained {unexplained:?}",
            dir.display()
        );
    }
}

#[test]
fn summary_has_a_row_per_document_and_totals() {
    let out = tempfile::tempdir().unwrap();
    audit_seeds(out.path());
    let summary = read_json(&out.path().join("summary.json"));
    let rows = summary["documents"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    let mut total = 0;
    for row in rows {
        let report = read_json(
            &out.path()
                .join(row["report"].as_str().unwrap())
                .join("provenance.json"),
        );
        assert_eq!(row["sha256"], report["source"]["sha256"]);
        assert_eq!(row["highest"], report["classification"]["highest"]);
        assert_eq!(
            row["declassification_status"],
            report["declassification"]["status"]
        );
        assert_eq!(
            row["findings"]["total"],
            report["findings"].as_array().unwrap().len()
        );
        assert_eq!(row["lines_changed"], report["diff"]["lines_removed"]);
        total += row["findings"]["total"].as_u64().unwrap();
    }
    assert_eq!(summary["totals"]["findings"]["total"], total);
    assert_eq!(summary["totals"]["by_status"]["declassified"], 1);
}

#[test]
fn outputs_mirror_paths_so_equal_names_do_not_collide() {
    let input = fixture(&[
        ("east/notes.txt", b"- 2 -\neast\n"),
        ("west/notes.txt", b"PAGE 3\nwest\n"),
        ("west/notes.md", b"not read\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(0);
    assert_eq!(
        std::fs::read(out.path().join("east/notes/cleaned.txt")).unwrap(),
        b"east\n"
    );
    assert_eq!(
        std::fs::read(out.path().join("west/notes/cleaned.txt")).unwrap(),
        b"west\n"
    );
    assert_eq!(
        read_json(&out.path().join("summary.json"))["totals"]["documents"],
        2
    );
}

#[test]
fn the_output_folder_is_not_read_as_input() {
    let input = fixture(&[("doc.txt", b"- 2 -\nbody\n")]);
    let out = input.path().join("reports");
    for _ in 0..2 {
        audit(&[input.path()], &out).assert().code(0);
    }
    let summary = read_json(&out.join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 1);
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let input = fixture(&[("a.txt", b"- 2 -\nbody\n")]);
    let base = tempfile::tempdir().unwrap();
    let out = base.path().join("out");
    // A dotted path given on the command line must not lead outside --out.
    let dotted = input
        .path()
        .join("..")
        .join(input.path().file_name().unwrap())
        .join("a.txt");
    declass()
        .arg("audit")
        .arg(&dotted)
        .arg(input.path().join("a.txt"))
        .arg("--out")
        .arg(&out)
        .assert()
        .code(0);
    let outside: Vec<_> = std::fs::read_dir(base.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(outside, ["out"]);
    for (name, _) in tree(&out) {
        assert!(!name.contains(".."), "{name}");
    }
}

#[test]
fn originals_are_never_written() {
    let input = fixture(&[(
        "a.txt",
        b"~~SECRET~~\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n\nBody [Page 2] text\n",
    )]);
    let before = tree(input.path());
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(0);
    assert_eq!(tree(input.path()), before);
}

#[test]
fn the_diff_applies_with_git_apply_and_patch_where_the_audit_ran() {
    let dir = crate::common::fixture(&[
        ("docs/memo.txt", b"~~SECRET~~\n\nThe talks went on [Page 764] for hours.\n\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n"),
        ("docs/sub/note.txt", b"PAGE 2\n\nA short note.\n"),
    ]);
    crate::common::declass()
        .current_dir(dir.path())
        .args(["audit", "./docs", "--out", "out", "--quiet"])
        .assert()
        .code(predicates::ord::lt(2));
    let run = |program: &str, args: &[&str]| {
        let status = std::process::Command::new(program)
            .current_dir(dir.path())
            .args(args)
            .status()
            .unwrap_or_else(|e| panic!("{program}: {e}"));
        assert!(status.success(), "{program} {args:?}");
    };
    let memo = std::fs::read_to_string(dir.path().join("out/memo/changes.diff")).unwrap();
    assert!(
        memo.starts_with("--- a/docs/memo.txt\n+++ b/docs/memo.txt\n"),
        "{memo}"
    );
    // git apply from where the audit ran, for one; patch -p1 for the other.
    run("git", &["apply", "out/memo/changes.diff"]);
    run("patch", &["-s", "-p1", "-i", "out/sub/note/changes.diff"]);
    for (original, cleaned) in [
        ("docs/memo.txt", "out/memo/cleaned.txt"),
        ("docs/sub/note.txt", "out/sub/note/cleaned.txt"),
    ] {
        assert_eq!(
            std::fs::read(dir.path().join(original)).unwrap(),
            std::fs::read(dir.path().join(cleaned)).unwrap(),
            "{original}"
        );
    }
}

#[test]
fn prov_json_names_each_document_its_outputs_and_how_they_were_made() {
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("prov.json");
    audit(&[root().join("seeds")], out.path())
        .args(["--quiet", "--format"])
        .arg(format!("prov={}", file.display()))
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .assert()
        .code(predicates::ord::lt(2));
    let prov = read_json(&file);
    let entities = prov["entity"].as_object().unwrap();
    assert_eq!(entities.len(), 20);
    let original = &entities["declass:document3-original"];
    assert_eq!(
        original["prov:label"].as_str().unwrap().rsplit('/').next(),
        Some("002_7f875bcfea1df796.txt")
    );
    let seed = std::fs::read(root().join("seeds/002_7f875bcfea1df796.txt")).unwrap();
    assert_eq!(
        original["declass:sha256"],
        declass::audit::decode::sha256_hex(&seed)
    );
    let cleaned = std::fs::read(out.path().join("002_7f875bcfea1df796/cleaned.txt")).unwrap();
    assert_eq!(
        entities["declass:document3-cleaned"]["declass:sha256"],
        declass::audit::decode::sha256_hex(&cleaned)
    );
    // Every output was generated by the audit from its original.
    for relation in prov["wasDerivedFrom"].as_object().unwrap().values() {
        let made = relation["prov:generatedEntity"].as_str().unwrap();
        let from = relation["prov:usedEntity"].as_str().unwrap();
        assert_eq!(
            made.rsplit_once('-').unwrap().0,
            from.rsplit_once('-').unwrap().0
        );
        assert!(from.ends_with("-original") && entities.contains_key(made));
    }
    assert_eq!(prov["used"].as_object().unwrap().len(), 5);
    assert_eq!(prov["wasGeneratedBy"].as_object().unwrap().len(), 15);
    let activity = &prov["activity"]["declass:audit"];
    assert_eq!(activity["prov:startTime"]["$"], "2023-11-14T22:13:20Z");
    assert_eq!(
        activity["declass:rules_sha256"],
        declass::rules::RuleSet::builtin().unwrap().sha256()
    );
    assert_eq!(
        prov["agent"]["declass:software"]["prov:type"]["$"],
        "prov:SoftwareAgent"
    );
}

#[test]
fn the_html_report_shows_each_document_and_escapes_what_documents_hold() {
    let input = crate::common::fixture(&[
        (
            "002.txt",
            &std::fs::read(root().join("seeds/002_7f875bcfea1df796.txt")).unwrap(),
        ),
        (
            "<script>alert(1)<\\script>.txt",
            b"SECRET\n\n<script>document.title=\"PWNED\"</script> text & more\n",
        ),
        (
            "flag.txt",
            b"The report went on.\n\n25X1\n\nMore text here.\n",
        ),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(["--quiet", "--format", "html"])
        .assert()
        .code(predicates::ord::lt(2));
    let read = |path: &str| std::fs::read_to_string(out.path().join("html").join(path)).unwrap();
    let index = read("index.html");
    assert!(
        index.contains("href=\"documents/1.html\"") && index.contains("href=\"documents/2.html\"")
    );
    assert!(
        index.contains("E.O. 11652 · NLT-HC · NARS 1975-12-02"),
        "{index}"
    );
    let page = read("documents/1.html");
    // Seed 002: its stamps struck out with their rule, its authority and
    // fields with their support, its printed pages.
    assert!(page.contains("<tr class=\"removed\"><td class=\"n\">13</td><td class=\"t\"><span class=\"line\">~~SECRET~~</span>"), "{page}");
    assert!(page.contains("classification-banner: "));
    assert!(page.contains("<td>executive_order</td><td>11652</td><td class=\"num\">3 of 4</td>"));
    assert!(page.contains("printed page 2"));
    // Nothing from a document or a name reaches the page as markup: the
    // only script is the report's own, and it is the last element.
    let hostile = read("documents/2.html");
    // A finding on a line that stays is shown beside it, the line unmarked.
    let flagged = read("documents/3.html");
    assert!(
        flagged.contains("<tr class=\"\"><td class=\"n\">3</td><td class=\"t\"><span class=\"line\">25X1</span><span class=\"why\">automatic-declassification-exemption: "),
        "{flagged}"
    );
    for page in [&index, &hostile] {
        assert_eq!(page.matches("<script>").count(), 1, "{page}");
        assert!(!page.contains("<script>alert(1)") && !page.contains("<script>document.title"));
    }
    assert!(hostile
        .contains("&lt;script&gt;document.title=&quot;PWNED&quot;&lt;/script&gt; text &amp; more"));
    assert!(index.contains("&lt;script&gt;alert(1)&lt;\\script&gt;.txt"));
    // No external asset: nothing is fetched.
    for page in [&index, &hostile, &page] {
        assert!(
            !page.contains("http://") && !page.contains("https://") && !page.contains("src=\"")
        );
    }
}
