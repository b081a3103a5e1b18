//! Regression tests for a hostile run: no document lost, overwritten or
//! mixed up; no hang; no panic; report folders complete or absent.

use crate::common::{audit, declass, fixture, read_json, root};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Every report folder under `out` is complete and consistent: it has a
/// `provenance.json`, and the cleaned text and diff it names are there with
/// the hashes it records.
fn assert_folders_complete(out: &Path) {
    for entry in walkdir::WalkDir::new(out) {
        let entry = entry.unwrap();
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(
            !name.starts_with(".declass-tmp"),
            "temporary left: {}",
            entry.path().display()
        );
        if name != "cleaned.txt" {
            continue;
        }
        let dir = entry.path().parent().unwrap();
        let report = read_json(&dir.join("provenance.json"));
        let cleaned = std::fs::read(entry.path()).unwrap();
        assert_eq!(
            report["cleaned"]["sha256"],
            declass::audit::decode::sha256_hex(&cleaned),
            "{}",
            dir.display()
        );
        let diff = std::fs::read(dir.join("changes.diff")).unwrap();
        assert_eq!(
            report["diff"]["sha256"],
            declass::audit::decode::sha256_hex(&diff)
        );
    }
}

#[test]
fn two_input_roots_with_one_name_keep_both_reports() {
    let a = fixture(&[("docs/x.txt", b"SECRET\n\nFirst text.\n")]);
    let b = fixture(&[("docs/x.txt", b"Second text, unmarked.\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[a.path().join("docs"), b.path().join("docs")], out.path())
        .assert()
        .code(1);
    let summary = read_json(&out.path().join("summary.json"));
    let rows = summary["documents"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_ne!(rows[0]["report"], rows[1]["report"]);
    for row in rows {
        let dir = out.path().join(row["report"].as_str().unwrap());
        let report = read_json(&dir.join("provenance.json"));
        assert_eq!(report["source"]["path"], row["path"]);
        assert_eq!(report["source"]["sha256"], row["sha256"]);
    }
    assert_folders_complete(out.path());
}

#[cfg(unix)]
#[test]
fn files_whose_names_display_alike_are_all_audited() {
    use std::os::unix::ffi::OsStrExt;
    let input = tempfile::tempdir().unwrap();
    for name in [
        &b"a\xff.txt"[..],
        b"a\xfe.txt",
        b"back\\slash.txt",
        b"plain.txt",
    ] {
        let path = input.path().join(std::ffi::OsStr::from_bytes(name));
        std::fs::write(path, b"SECRET\n\nText.\n").unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(1);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 4);
    let paths: Vec<&str> = summary["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.iter().any(|p| p.ends_with("back\\slash.txt")),
        "{paths:?}"
    );
}

#[test]
fn a_long_line_with_many_inline_edits_is_cleaned_and_located() {
    // 20,000 zero-width spaces in one line: each removal is an action with
    // its column, counted in characters.
    let word = "abc\u{200B}";
    let line: String = word.repeat(20_000);
    let input = fixture(&[("long.txt", format!("{line}\n").as_bytes())]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .timeout(Duration::from_secs(120))
        .assert()
        .code(0);
    let report = read_json(&out.path().join("long/provenance.json"));
    let actions = report["actions"].as_array().unwrap();
    assert_eq!(actions.len(), 20_000);
    assert_eq!(actions[19_999]["column"], 19_999 * 4 + 4);
    let cleaned = std::fs::read_to_string(out.path().join("long/cleaned.txt")).unwrap();
    assert_eq!(cleaned, format!("{}\n", "abc".repeat(20_000)));
}

/// A symbolic link in a walked folder is not followed, and not skipped in
/// silence: it is listed with an `input-not-regular` finding.
#[cfg(unix)]
#[test]
fn a_link_in_a_folder_is_listed_with_a_finding_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("far.txt"), b"SECRET\nFar away.\n").unwrap();
    std::fs::write(dir.path().join("a.txt"), b"Plain text.\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("far.txt"), dir.path().join("link.txt"))
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    audit(&[dir.path()], out.path())
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 2, "{summary}");
    let row = &summary["documents"][1];
    assert!(row["path"].as_str().unwrap().ends_with("link.txt"), "{row}");
    let report = read_json(
        &out.path()
            .join(row["report"].as_str().unwrap())
            .join("provenance.json"),
    );
    assert_eq!(report["findings"][0]["rule"], "input-not-regular");
    let message = report["findings"][0]["message"].as_str().unwrap();
    assert!(message.contains("symbolic link"), "{message}");
    assert!(
        report["cleaned"].is_null(),
        "the link was followed: {report}"
    );
}

/// A named pipe `name` made in `dir`, if `mkfifo` is there to make it.
#[cfg(unix)]
fn named_pipe(dir: &std::path::Path, name: &str) -> Option<std::path::PathBuf> {
    let fifo = dir.join(name);
    let made = Command::new("mkfifo").arg(&fifo).status();
    made.is_ok_and(|s| s.success()).then_some(fifo)
}

/// A report written to a device or a named pipe (`--format json=/dev/stdout`)
/// is written into it: renaming a temporary file over it would replace the
/// device with a plain file (once seen here: `/dev/null` became a file).
#[cfg(unix)]
#[test]
fn a_report_named_as_a_pipe_is_written_into_it_not_renamed_over_it() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let Some(fifo) = named_pipe(dir.path(), "report.pipe") else {
        return; // no mkfifo here
    };
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let input = dir.path().join("doc.txt");
    std::fs::write(&input, b"SECRET\nPlain text.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    audit(&[&input], out.path())
        .arg("--format")
        .arg(format!("json={}", fifo.display()))
        .timeout(Duration::from_secs(30))
        .assert()
        .code(predicates::ord::lt(2));
    // Checked before the reader is joined: a replaced pipe has no writer.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe was replaced: {kind:?}");
    let text = reader.join().unwrap();
    let summary: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(summary["totals"]["documents"], 1, "{text}");
}

#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_reported_not_read() {
    let dir = tempfile::tempdir().unwrap();
    let Some(fifo) = named_pipe(dir.path(), "pipe.txt") else {
        return; // no mkfifo here
    };
    let other = dir.path().join("other.txt");
    std::fs::write(&other, b"Plain text.\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    audit(&[&fifo, &other], out.path())
        .timeout(Duration::from_secs(30))
        .assert()
        .code(1);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 2);
    let row = &summary["documents"][0];
    assert!(row["path"].as_str().unwrap().ends_with("pipe.txt"), "{row}");
    let report = read_json(
        &out.path()
            .join(row["report"].as_str().unwrap())
            .join("provenance.json"),
    );
    assert_eq!(report["findings"][0]["rule"], "input-not-regular");
}

#[test]
fn a_huge_jobs_count_is_capped() {
    let input = fixture(&[("a.txt", b"Plain text.\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .args(["--jobs", "10000"])
        .timeout(Duration::from_secs(30))
        .assert()
        .code(0);
}

#[test]
fn a_max_bytes_past_what_a_report_position_holds_is_refused() {
    // Lines and columns of a report take four bytes: a document of 4 GiB
    // could have lines past them, so --max-bytes stops just under.
    let input = fixture(&[("a.txt", b"Plain text.\n")]);
    let out = tempfile::tempdir().unwrap();
    let refused = audit(&[input.path()], out.path())
        .args(["--max-bytes", "4294967295"])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("--max-bytes"), "{stderr}");
    assert!(!out.path().join("summary.json").exists());
    audit(&[input.path()], out.path())
        .args(["--max-bytes", "4294967294"])
        .assert()
        .code(0);
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    let out = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("declass"));
    cmd.current_dir(root())
        .args(["audit", "tests/fixtures/dev", "--out"])
        .arg(out.path())
        .env_remove("SOURCE_DATE_EPOCH")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for _ in 0..40 {
        cmd.args(["--format", "jsonl"]);
    }
    let mut child = cmd.spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(&mut stdout, &mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        matches!(output.status.code(), Some(0..=2)),
        "{:?}",
        output.status
    );
}

#[test]
fn a_source_date_epoch_past_year_9999_is_refused_not_a_panic() {
    let input = fixture(&[("a.txt", b"Plain text.\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path())
        .env("SOURCE_DATE_EPOCH", "253402300800")
        .assert()
        .code(2)
        .stderr(predicates::str::contains("SOURCE_DATE_EPOCH"));
    audit(&[input.path()], out.path())
        .env("SOURCE_DATE_EPOCH", "253402300799")
        .assert()
        .code(0);
}

#[test]
fn document_names_never_collide_with_the_files_a_run_writes() {
    let input = fixture(&[
        ("summary.json.txt", b"Text one.\n"),
        ("a.txt", b"Text two.\n"),
        ("a/cleaned.txt.txt", b"Text three.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(0);
    let summary = read_json(&out.path().join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 3);
    assert_eq!(summary["totals"]["unreadable"], 0);
    assert!(out.path().join("summary.json").is_file());
    assert!(out.path().join("a/cleaned.txt").is_file());
    for row in summary["documents"].as_array().unwrap() {
        let dir = out.path().join(row["report"].as_str().unwrap());
        assert!(dir.join("provenance.json").is_file(), "{}", dir.display());
    }
}

#[test]
fn the_output_folder_is_never_read_as_the_input_root() {
    let dir = fixture(&[("docs/a.txt", b"Text.\n")]);
    let out = dir.path().join("docs/reports");
    audit(&[dir.path().join("docs")], &out).assert().code(0);
    // Now the output folder itself named as input.
    declass()
        .arg("audit")
        .arg(&out)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("output folder"));
}

#[test]
fn a_collection_named_as_its_own_output_folder_is_refused_before_anything_is_written() {
    let dir = fixture(&[
        ("coll/a.txt", b"SECRET\n\nText.\n"),
        ("other/b.txt", b"Text.\n"),
    ]);
    let coll = dir.path().join("coll");
    let listing = |p: &Path| {
        let mut names: Vec<_> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        names.sort();
        names
    };
    let before = listing(&coll);
    // Alone, or beside another folder whose reports would land in it.
    for roots in [
        vec![coll.clone()],
        vec![dir.path().join("other"), coll.clone()],
    ] {
        declass()
            .arg("audit")
            .args(&roots)
            .arg("--out")
            .arg(&coll)
            .assert()
            .code(2)
            .stderr(predicates::str::contains("nothing was written"));
        assert_eq!(listing(&coll), before);
    }
    // A folder inside the output folder, too.
    std::fs::create_dir_all(coll.join("inner")).unwrap();
    std::fs::write(coll.join("inner/c.txt"), "Text.\n").unwrap();
    declass()
        .arg("audit")
        .arg(coll.join("inner"))
        .arg("--out")
        .arg(&coll)
        .assert()
        .code(2);
    assert!(!coll.join("summary.json").exists());
}

#[test]
fn a_rerun_replaces_report_folders_whole_and_sweeps_what_a_killed_run_left() {
    let input = fixture(&[
        (
            "a.txt",
            "~~SECRET~~\n\nThe talks\u{200B} went on.\n".as_bytes(),
        ),
        ("b.txt", b"Plain text.\n"),
    ]);
    let out = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(out.path().join(".declass-tmp-left")).unwrap();
    std::fs::write(out.path().join(".declass-tmpXYZ"), b"half").unwrap();
    audit(&[input.path()], out.path())
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
    audit(&[input.path()], out.path())
        .args(["--repair", "none", "--fail-on", "never"])
        .assert()
        .code(0);
    assert_folders_complete(out.path());
    let report = read_json(&out.path().join("a/provenance.json"));
    let zero_width = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "zero-width-character")
        .expect("the zero-width space is found");
    assert_eq!(
        zero_width["applied"], false,
        "the rerun's report replaced the first's"
    );
}

#[cfg(unix)]
#[test]
fn a_killed_run_leaves_each_report_folder_complete_or_absent() {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..400 {
        let text = format!("~~SECRET~~\n\nDocument {i} and its talks\u{200B} went on at length.\n\n- 2 -\n\nmore text follows here.\n");
        files.push((format!("d{i:03}.txt"), text.into_bytes()));
    }
    let refs: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    let input = fixture(&refs);
    for delay_ms in [30u64, 80, 160, 320] {
        let out = tempfile::tempdir().unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("declass"))
            .arg("audit")
            .arg(input.path())
            .arg("--out")
            .arg(out.path())
            .args(["--jobs", "2"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        // Whatever was left: temporaries aside, every folder is whole.
        for entry in std::fs::read_dir(out.path()).unwrap().flatten() {
            if entry
                .file_name()
                .to_string_lossy()
                .starts_with(".declass-tmp")
            {
                continue;
            }
            if entry.path().is_dir() {
                assert!(entry.path().join("provenance.json").is_file());
                assert!(entry.path().join("cleaned.txt").is_file());
                assert!(entry.path().join("changes.diff").is_file());
            }
        }
        // The next run sweeps the temporaries and completes.
        audit(&[input.path()], out.path())
            .args(["--fail-on", "never"])
            .assert()
            .code(0);
        assert_folders_complete(out.path());
    }
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_tab_cannot_break_the_diff() {
    let input = fixture(&[("odd\tname.txt", b"SECRET\n\nText.\n")]);
    let out = tempfile::tempdir().unwrap();
    audit(&[input.path()], out.path()).assert().code(1);
    let diff = std::fs::read_to_string(out.path().join("odd\tname/changes.diff")).unwrap();
    assert!(
        diff.starts_with("--- \"a/odd\\tname.txt\"\n+++ \"b/odd\\tname.txt\"\n"),
        "{diff}"
    );
    // GNU patch reads the quoted name and applies the diff in the folder.
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("odd\tname.txt"), b"SECRET\n\nText.\n").unwrap();
    let status = Command::new("patch")
        .args(["-p1", "--quiet", "-i"])
        .arg(out.path().join("odd\tname/changes.diff"))
        .current_dir(work.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        std::fs::read(work.path().join("odd\tname.txt")).unwrap(),
        b"Text.\n"
    );
}

#[test]
fn an_unreadable_path_is_reported_once_and_a_too_large_file_is_not_called_binary() {
    let input = fixture(&[("big.txt", b"A document of more than sixteen bytes.\n")]);
    let out = tempfile::tempdir().unwrap();
    let assert = audit(
        &[
            input.path().join("big.txt"),
            input.path().join("missing.txt"),
        ],
        out.path(),
    )
    .args(["--max-bytes", "16"])
    .assert()
    .code(2);
    let output = assert.get_output();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(all.matches("missing.txt").count(), 1, "{all}");
    let summary = read_json(&out.path().join("summary.json"));
    let dir = out
        .path()
        .join(summary["documents"][0]["report"].as_str().unwrap());
    let report = read_json(&dir.join("provenance.json"));
    assert_eq!(report["source"]["encoding"], "not-read");
    assert_eq!(report["findings"][0]["rule"], "input-too-large");
}

/// The HTML report shows each original beside its cleaned text, and a bag
/// copies the originals: neither opens a named pipe met in a folder (an
/// open blocks until a writer comes), which its report lists as no
/// regular file.
#[cfg(unix)]
#[test]
fn html_and_bag_never_open_a_fifo_among_the_originals() {
    let dir = tempfile::tempdir().unwrap();
    let Some(_fifo) = named_pipe(dir.path(), "pipe.txt") else {
        return; // no mkfifo here
    };
    std::fs::write(dir.path().join("doc.txt"), b"SECRET\nPlain text.\n").unwrap();
    for option in ["--format=html", "--bag-originals"] {
        let out = tempfile::tempdir().unwrap();
        audit(&[dir.path()], out.path())
            .arg(option)
            .timeout(Duration::from_secs(30))
            .assert()
            .code(1);
        let written: Vec<String> = crate::common::tree(out.path())
            .into_iter()
            .map(|(path, _)| path)
            .collect();
        let wanted = if option == "--format=html" {
            "html/index.html"
        } else {
            "data/originals/doc.txt"
        };
        assert!(written.iter().any(|f| f == wanted), "{option}: {written:?}");
    }
}
