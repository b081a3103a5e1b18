//! `declass verify`: every original a run's reports name, and each report's
//! own files, hashed again against the SHA-256 recorded.

use crate::common::{declass, read_json, root};
use std::path::Path;

/// A folder `docs/` with three documents (from the seeds), audited from
/// inside `dir` into `dir/out`.
fn audited(dir: &Path) {
    let docs = dir.join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for name in [
        "001_2c6f0dc7d96cd4ca.txt",
        "002_7f875bcfea1df796.txt",
        "004_2e7898d1234cb5f0.txt",
    ] {
        std::fs::copy(root().join("seeds").join(name), docs.join(name)).unwrap();
    }
    declass()
        .current_dir(dir)
        .args(["audit", "docs", "--out", "out", "--quiet"])
        .assert()
        .code(predicates::ord::lt(2));
}

/// `declass verify out` from inside `dir`, with `args`; the JSON written.
fn verify(dir: &Path, args: &[&str], code: i32) -> serde_json::Value {
    declass()
        .current_dir(dir)
        .args(["verify", "out", "--format", "json=verify.json"])
        .args(args)
        .assert()
        .code(code);
    read_json(&dir.join("verify.json"))
}

/// The state of each file checked, by path.
fn states(report: &serde_json::Value) -> Vec<(String, String, String)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["role"].as_str().unwrap().to_string(),
                f["fixity"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn an_untouched_run_verifies() {
    let dir = tempfile::tempdir().unwrap();
    audited(dir.path());
    let report = verify(dir.path(), &[], 0);
    let states = states(&report);
    // Three originals, and a cleaned text and a diff for each.
    assert_eq!(states.len(), 9, "{states:?}");
    assert!(states.iter().all(|(_, _, s)| s == "ok"), "{states:?}");
    assert_eq!(report["totals"]["ok"], 9);
}

#[test]
fn a_changed_a_truncated_and_a_missing_original_are_each_named() {
    let dir = tempfile::tempdir().unwrap();
    audited(dir.path());
    let docs = dir.path().join("docs");
    let changed = docs.join("001_2c6f0dc7d96cd4ca.txt");
    let mut bytes = std::fs::read(&changed).unwrap();
    bytes[10] ^= 1;
    std::fs::write(&changed, bytes).unwrap();
    let truncated = docs.join("002_7f875bcfea1df796.txt");
    let bytes = std::fs::read(&truncated).unwrap();
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).unwrap();
    std::fs::remove_file(docs.join("004_2e7898d1234cb5f0.txt")).unwrap();

    let report = verify(dir.path(), &[], 1);
    let originals: Vec<(String, String)> = states(&report)
        .into_iter()
        .filter(|(_, role, _)| role == "original")
        .map(|(path, _, state)| (path, state))
        .collect();
    assert_eq!(
        originals,
        [
            (
                "docs/001_2c6f0dc7d96cd4ca.txt".to_string(),
                "changed".to_string()
            ),
            (
                "docs/002_7f875bcfea1df796.txt".to_string(),
                "changed".to_string()
            ),
            (
                "docs/004_2e7898d1234cb5f0.txt".to_string(),
                "missing".to_string()
            ),
        ]
    );
    assert_eq!(report["totals"]["ok"], 6);
    // In CI's formats: one failing test case per file that does not hold.
    let junit = declass()
        .current_dir(dir.path())
        .args(["verify", "out", "--format", "junit"])
        .assert()
        .code(1);
    let xml = String::from_utf8(junit.get_output().stdout.clone()).unwrap();
    assert_eq!(xml.matches("<failure").count(), 3, "{xml}");
    assert!(xml.contains("fixity-missing"), "{xml}");
}

#[test]
fn a_report_file_changed_after_the_run_is_found() {
    let dir = tempfile::tempdir().unwrap();
    audited(dir.path());
    let cleaned = dir.path().join("out/002_7f875bcfea1df796/cleaned.txt");
    let mut text = std::fs::read_to_string(&cleaned).unwrap();
    text.push_str("a line added later\n");
    std::fs::write(&cleaned, text).unwrap();
    let report = verify(dir.path(), &[], 1);
    let bad: Vec<(String, String, String)> = states(&report)
        .into_iter()
        .filter(|(_, _, s)| s != "ok")
        .collect();
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert_eq!(bad[0].1, "cleaned");
    assert_eq!(bad[0].2, "changed");
}

#[test]
fn originals_moved_elsewhere_are_read_from_the_folder_given() {
    let dir = tempfile::tempdir().unwrap();
    audited(dir.path());
    let moved = dir.path().join("archive");
    std::fs::create_dir_all(&moved).unwrap();
    std::fs::rename(dir.path().join("docs"), moved.join("docs")).unwrap();
    let report = verify(dir.path(), &[], 1);
    assert_eq!(report["totals"]["missing"], 3);
    let report = verify(dir.path(), &["--originals", "archive"], 0);
    assert_eq!(report["totals"]["ok"], 9);
}

#[test]
fn originals_audited_by_an_absolute_path_are_found_where_their_folder_moved() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("box")).unwrap();
    for name in ["001_2c6f0dc7d96cd4ca.txt", "002_7f875bcfea1df796.txt"] {
        std::fs::copy(root().join("seeds").join(name), docs.join("box").join(name)).unwrap();
    }
    declass()
        .current_dir(dir.path())
        .arg("audit")
        .arg(&docs)
        .args(["--out", "out", "--quiet"])
        .assert()
        .code(predicates::ord::lt(2));
    // The collection moves; the reports name it where it was.
    let archive = dir.path().join("archive");
    std::fs::create_dir_all(&archive).unwrap();
    std::fs::rename(&docs, archive.join("docs")).unwrap();
    let report = verify(dir.path(), &[], 1);
    assert_eq!(report["totals"]["missing"], 2);
    // Named by the folder it is in now, or by one above it while the
    // folder keeps its name; renamed, by the folder itself.
    let renamed = archive.join("accession-7");
    for (originals, now) in [
        ("archive", "archive/docs"),
        ("archive/docs", "archive/docs"),
        ("archive/accession-7", "archive/accession-7"),
    ] {
        if now.ends_with("accession-7") && !renamed.exists() {
            std::fs::rename(archive.join("docs"), &renamed).unwrap();
        }
        let report = verify(dir.path(), &["--originals", originals], 0);
        assert_eq!(report["totals"]["ok"], 6, "{originals}: {report}");
        for file in report["files"].as_array().unwrap() {
            if file["role"] == "original" {
                let path = file["path"].as_str().unwrap();
                let read = file["read_from"].as_str().unwrap();
                assert!(path.starts_with(docs.to_str().unwrap()), "{path}");
                let name = Path::new(path).file_name().unwrap().to_str().unwrap();
                assert!(read.ends_with(&format!("{now}/box/{name}")), "{read}");
            }
        }
    }
    let moved = renamed;
    // What is found there is still judged by its hash alone.
    std::fs::write(moved.join("box/002_7f875bcfea1df796.txt"), "SECRET\n").unwrap();
    let report = verify(dir.path(), &["--originals", "archive/accession-7"], 1);
    assert_eq!(report["totals"]["changed"], 1);
    // A folder that does not hold them says where it looked.
    let report = verify(dir.path(), &["--originals", "elsewhere"], 1);
    assert_eq!(report["totals"]["missing"], 2);
    let reason = report["files"][0]["reason"].as_str().unwrap();
    assert!(reason.contains("not under elsewhere"), "{reason}");
    assert!(report["files"][0].get("read_from").is_none());
}

#[test]
fn originals_named_by_their_own_folder_are_found_in_it() {
    // The reports name `docs/…` (the audit ran beside `docs`); the
    // collection's own folder given as `--originals` holds them too.
    let dir = tempfile::tempdir().unwrap();
    audited(dir.path());
    let report = verify(dir.path(), &["--originals", "docs"], 0);
    assert_eq!(report["totals"]["ok"], 9);
}

#[test]
fn a_folder_without_reports_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    let run = declass()
        .current_dir(dir.path())
        .args(["verify", "out"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(run.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("no report folder"), "{stderr}");
}

#[test]
fn a_bag_holds_the_reports_and_the_originals_and_verifies_until_a_byte_changes() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(&docs).unwrap();
    for name in ["002_7f875bcfea1df796.txt", "004_2e7898d1234cb5f0.txt"] {
        std::fs::copy(root().join("seeds").join(name), docs.join(name)).unwrap();
    }
    // A document named as the bag's originals folder keeps its own folder.
    std::fs::write(docs.join("originals.txt"), "SECRET\n\nA note.\n").unwrap();
    std::fs::write(
        dir.path().join("declass.toml"),
        "[bag-info]\nSource-Organization = \"Archive of Examples\"\nContact-Email = \"archivist@example.org\"\n",
    )
    .unwrap();
    declass()
        .current_dir(dir.path())
        .args([
            "audit",
            "docs",
            "--out",
            "bag",
            "--bag-originals",
            "--quiet",
            "--format",
            "html",
        ])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .assert()
        .code(predicates::ord::lt(2));
    let bag = dir.path().join("bag");
    let read = |name: &str| std::fs::read_to_string(bag.join(name)).unwrap();
    assert_eq!(
        read("bagit.txt"),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let info = read("bag-info.txt");
    for field in [
        "Bagging-Date: 2023-11-14\n",
        "Bag-Software-Agent: declass ",
        "Payload-Oxum: ",
        "Declass-Rules-SHA256: ",
        "Source-Organization: Archive of Examples\n",
        "Contact-Email: archivist@example.org\n",
    ] {
        assert!(info.contains(field), "{field:?} in {info}");
    }
    let manifest = read("manifest-sha256.txt");
    for path in [
        "data/summary.json",
        "data/002_7f875bcfea1df796/provenance.json",
        "data/originals~2/cleaned.txt",
        "data/originals/002_7f875bcfea1df796.txt",
        "data/originals/originals.txt",
        // A report written into the payload is in the manifest too.
        "data/html/index.html",
    ] {
        assert!(
            manifest.contains(&format!("  {path}\n")),
            "{path} in {manifest}"
        );
    }
    // The copy is the original, byte for byte.
    assert_eq!(
        std::fs::read(bag.join("data/originals/002_7f875bcfea1df796.txt")).unwrap(),
        std::fs::read(docs.join("002_7f875bcfea1df796.txt")).unwrap()
    );
    let tags = read("tagmanifest-sha256.txt");
    assert!(tags.contains("  manifest-sha256.txt\n") && tags.contains("  bag-info.txt\n"));

    let verify = |code: i32| {
        declass()
            .current_dir(dir.path())
            .args(["verify", "bag", "--format", "json=verify.json"])
            .assert()
            .code(code);
        read_json(&dir.path().join("verify.json"))
    };
    let report = verify(0);
    let payload = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["role"] == "payload")
        .count();
    assert_eq!(payload, manifest.lines().count());
    let copy = bag.join("data/originals/004_2e7898d1234cb5f0.txt");
    let mut bytes = std::fs::read(&copy).unwrap();
    bytes[0] ^= 1;
    std::fs::write(&copy, bytes).unwrap();
    let report = verify(1);
    assert_eq!(report["totals"]["changed"], 1);
}
