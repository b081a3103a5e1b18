//! Shards (`audit --shard K/N`) merged (`declass merge`) give byte for byte
//! what one run over every input writes: report folders, summary, every
//! format, and the exit code. A missing, doubled or foreign shard is an
//! error that names it.

use crate::common::{declass, root, tree};
use std::path::Path;

/// Every format, each to a file inside the run's own folder.
const FORMATS: [&str; 8] = [
    "json=F/summary.json",
    "jsonl=F/findings.jsonl",
    "junit=F/junit.xml",
    "github=F/github.txt",
    "sarif=F/run.sarif",
    "prov=F/prov.json",
    "human=F/human.txt",
    "html",
];

/// Runs `declass ARGS` in `dir` with every format; the exit code.
fn run_in(dir: &Path, args: &[&str]) -> Option<i32> {
    std::fs::create_dir_all(dir.join("F")).unwrap();
    let mut cmd = declass();
    cmd.current_dir(dir).args(args);
    for format in FORMATS {
        cmd.arg("--format").arg(format);
    }
    cmd.output().unwrap().status.code()
}

/// One run over `inputs`, and `count` shards merged, compared.
fn same_as_one_run(inputs: &[&Path], count: usize) {
    let work = tempfile::tempdir().unwrap();
    let inputs: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let mut one: Vec<&str> = vec!["audit"];
    one.extend(inputs.iter().map(String::as_str));
    one.extend(["--out", "out"]);
    let single = run_in(&work.path().join("single"), &one);
    let mut shards = Vec::new();
    for index in 0..count {
        let dir = work.path().join(format!("shard{index}"));
        let shard = format!("{index}/{count}");
        let mut args: Vec<&str> = vec!["audit"];
        args.extend(inputs.iter().map(String::as_str));
        args.extend(["--out", "out", "--shard", &shard]);
        std::fs::create_dir_all(&dir).unwrap();
        declass().current_dir(&dir).args(&args).output().unwrap();
        shards.push(dir.join("out").display().to_string());
    }
    let mut args: Vec<&str> = vec!["merge"];
    args.extend(shards.iter().map(String::as_str));
    args.extend(["--out", "out"]);
    let merged = run_in(&work.path().join("merged"), &args);
    assert_eq!(single, merged, "exit codes, {count} shards");
    let (single, merged) = (
        tree(&work.path().join("single")),
        tree(&work.path().join("merged")),
    );
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&single), names(&merged), "{count} shards");
    for ((name, a), (_, b)) in single.iter().zip(&merged) {
        assert!(a == b, "{name} differs with {count} shards");
    }
}

#[test]
fn shards_merged_write_what_one_run_writes_on_the_seeds() {
    for count in [1, 3, 4] {
        same_as_one_run(&[&root().join("seeds")], count);
    }
}

#[test]
fn shards_merged_apply_and_write_a_baseline_as_one_run_does() {
    // A baseline of the dev set, applied to it again (every finding known),
    // and one written by the merge.
    let work = tempfile::tempdir().unwrap();
    let baseline = work.path().join("baseline.json");
    declass()
        .args(["audit", "tests/fixtures/dev", "--out"])
        .arg(work.path().join("first"))
        .args(["--format", "json=/dev/null", "--write-baseline"])
        .arg(&baseline)
        .assert()
        .code(1);
    let doc = root().join("tests/fixtures/dev");
    let base = baseline.display().to_string();
    for (count, extra) in [
        (3, vec!["--baseline", base.as_str()]),
        (4, vec!["--write-baseline", "F/b.json"]),
    ] {
        let work = tempfile::tempdir().unwrap();
        let mut one: Vec<&str> = vec!["audit", doc.to_str().unwrap(), "--out", "out"];
        one.extend(&extra);
        let single = run_in(&work.path().join("single"), &one);
        let mut shards = Vec::new();
        for index in 0..count {
            let dir = work.path().join(format!("s{index}"));
            declass()
                .args(["audit", doc.to_str().unwrap(), "--out"])
                .arg(&dir)
                .args([
                    "--shard",
                    &format!("{index}/{count}"),
                    "--format",
                    "json=/dev/null",
                ])
                .output()
                .unwrap();
            shards.push(dir.display().to_string());
        }
        let mut args: Vec<&str> = vec!["merge"];
        args.extend(shards.iter().map(String::as_str));
        args.extend(["--out", "out"]);
        args.extend(&extra);
        let merged = run_in(&work.path().join("merged"), &args);
        assert_eq!(single, merged, "{extra:?}");
        assert!(
            tree(&work.path().join("single")) == tree(&work.path().join("merged")),
            "{extra:?}"
        );
    }
}

#[test]
fn shards_merged_write_what_one_run_writes_on_the_dev_set_and_odd_inputs() {
    // The dev set, and every fixture (fuzz findings, odd bytes) with a
    // path that does not exist: an unreadable input in every shard.
    same_as_one_run(&[&root().join("tests/fixtures/dev")], 3);
    same_as_one_run(
        &[&root().join("tests/fixtures"), Path::new("no/such/folder")],
        4,
    );
}

#[test]
fn documents_named_as_the_runs_own_files_do_not_take_their_places() {
    // Named so that their report folders would be the shard's manifest,
    // the summary and the HTML report.
    let docs = crate::common::fixture(&[
        ("shard.json.txt", b"SECRET\n\nText.\n"),
        ("summary.json.txt", b"Text.\n"),
        ("html.txt", b"More text.\n"),
        ("a.txt", b"Plain.\n"),
    ]);
    for count in [1, 2] {
        same_as_one_run(&[docs.path()], count);
    }
}

/// Audits the seeds as shard `shard` into `dir`.
fn shard(dir: &Path, shard: &str) -> String {
    declass()
        .args(["audit", "seeds", "--out"])
        .arg(dir)
        .args(["--shard", shard, "--format", "json=/dev/null"])
        .assert()
        .code(0);
    dir.display().to_string()
}

fn merge_fails(shards: &[&str], want: &str) {
    let out = tempfile::tempdir().unwrap();
    let output = declass()
        .arg("merge")
        .args(shards)
        .arg("--out")
        .arg(out.path().join("merged"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2), "{shards:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(want), "{shards:?}: {stderr}");
}

#[test]
fn a_missing_doubled_or_foreign_shard_is_an_error_that_names_it() {
    let work = tempfile::tempdir().unwrap();
    let s0 = shard(&work.path().join("a0"), "0/3");
    let s1 = shard(&work.path().join("a1"), "1/3");
    let s2 = shard(&work.path().join("a2"), "2/3");
    let other = shard(&work.path().join("b0"), "0/2");
    merge_fails(&[&s0, &s2], "shard 1 is missing");
    merge_fails(&[&s0, &s1, &s1, &s2], "shard 1/3 is given twice");
    merge_fails(&[&s0, &s1, &s2, &other], "the number of shards differs");
    let plain = work.path().join("plain");
    declass()
        .args(["audit", "seeds", "--out"])
        .arg(&plain)
        .args(["--format", "json=/dev/null"])
        .assert()
        .code(0);
    merge_fails(&[&plain.display().to_string()], "not the output of a shard");
    // Rules other than the shards' are refused: SARIF names the rules.
    let rules = tempfile::tempdir().unwrap();
    std::fs::copy(
        root().join("rules/classification.toml"),
        rules.path().join("classification.toml"),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let output = declass()
        .args(["merge", &s0, &s1, &s2, "--rules"])
        .arg(rules.path())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the version or rules"));
}
