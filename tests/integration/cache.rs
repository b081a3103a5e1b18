//! The incremental cache (`--cache DIR`): outputs byte for byte the same
//! with and without it; an unchanged document reused, a changed one (or a
//! changed option, another build of the program) audited again; a damaged
//! entry found, reported, recomputed and replaced, never trusted.

use crate::common::{audit, root, tree};
use std::path::Path;

/// Audits a copy of the seeds in `docs` into `out` with the cache `cache`
/// (and `extra` arguments); the exit code and standard error.
fn cached(docs: &Path, out: &Path, cache: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let output = audit(&[docs], out)
        .arg("--cache")
        .arg(cache)
        .args(["--format", "json=/dev/null"])
        .args(extra)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn seeds_copy(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    for entry in std::fs::read_dir(root().join("seeds")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn the_cache_reuses_unchanged_documents_and_changes_no_output() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    seeds_copy(&docs);
    let cache = work.path().join("cache");
    let plain = work.path().join("plain");
    audit(&[&docs], &plain)
        .args(["--format", "json=/dev/null"])
        .assert()
        .code(0);
    let first = work.path().join("first");
    let (code, stderr) = cached(&docs, &first, &cache, &[]);
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("cache: 0 of 5 documents' outputs reused"),
        "{stderr}"
    );
    let second = work.path().join("second");
    let (code, stderr) = cached(&docs, &second, &cache, &[]);
    assert_eq!(code, Some(0));
    assert!(
        stderr.contains("cache: 5 of 5 documents' outputs reused"),
        "{stderr}"
    );
    assert_eq!(tree(&plain), tree(&first));
    assert_eq!(tree(&plain), tree(&second));

    // One document changed: it alone is audited again.
    let changed = docs.join("000_96a48f1db65970d1.txt");
    let mut text = std::fs::read(&changed).unwrap();
    text.extend_from_slice(b"\nSECRET\n");
    std::fs::write(&changed, text).unwrap();
    let third = work.path().join("third");
    let (_, stderr) = cached(&docs, &third, &cache, &[]);
    assert!(
        stderr.contains("cache: 4 of 5 documents' outputs reused"),
        "{stderr}"
    );
    let fresh = work.path().join("fresh");
    audit(&[&docs], &fresh)
        .args(["--format", "json=/dev/null"])
        .assert()
        .code(1);
    assert_eq!(tree(&fresh), tree(&third));

    // An option that changes outputs: nothing reused.
    let (_, stderr) = cached(
        &docs,
        &work.path().join("low"),
        &cache,
        &["--repair", "low"],
    );
    assert!(
        stderr.contains("cache: 0 of 5 documents' outputs reused"),
        "{stderr}"
    );
}

#[test]
fn a_damaged_cache_entry_is_reported_recomputed_and_replaced() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    seeds_copy(&docs);
    let cache = work.path().join("cache");
    let first = work.path().join("first");
    cached(&docs, &first, &cache, &[]);
    // One byte of one kept cleaned text changed, another entry's index cut.
    let mut cleaned: Vec<_> = walkdir::WalkDir::new(&cache)
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.ends_with("cleaned.txt"))
        .collect();
    cleaned.sort();
    let mut bytes = std::fs::read(&cleaned[0]).unwrap();
    bytes[0] ^= 0x20;
    std::fs::write(&cleaned[0], bytes).unwrap();
    let index = cleaned[1].with_file_name("entry.json");
    let cut = std::fs::read(&index).unwrap();
    std::fs::write(&index, &cut[..cut.len() / 2]).unwrap();
    let second = work.path().join("second");
    let (code, stderr) = cached(&docs, &second, &cache, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(stderr.matches("cache entry damaged").count(), 2, "{stderr}");
    assert!(
        stderr.contains("cache: 3 of 5 documents' outputs reused"),
        "{stderr}"
    );
    assert_eq!(tree(&first), tree(&second));
    // The damaged entries were replaced.
    let (_, stderr) = cached(&docs, &work.path().join("third"), &cache, &[]);
    assert!(
        stderr.contains("cache: 5 of 5 documents' outputs reused"),
        "{stderr}"
    );
    assert!(!stderr.contains("damaged"), "{stderr}");
}

/// Another build of the program (here the same binary with a byte
/// appended: it runs the same, but hashes otherwise) reuses nothing of a
/// cache the first one filled, and leaves that build's entries for it.
#[test]
fn another_build_of_the_program_reuses_nothing() {
    let work = tempfile::tempdir().unwrap();
    let docs = work.path().join("docs");
    seeds_copy(&docs);
    let cache = work.path().join("cache");
    let (code, _) = cached(&docs, &work.path().join("first"), &cache, &[]);
    assert_eq!(code, Some(0));
    let other = work.path().join("declass-other");
    let mut binary = std::fs::read(assert_cmd::cargo::cargo_bin("declass")).unwrap();
    binary.push(0);
    std::fs::write(&other, binary).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&other, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let run = |name: &str| {
        let output = std::process::Command::new(&other)
            .current_dir(root())
            .arg("audit")
            .arg(&docs)
            .arg("--out")
            .arg(work.path().join(name))
            .arg("--cache")
            .arg(&cache)
            .args(["--format", "json=/dev/null"])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let stderr = run("other");
    assert!(
        stderr.contains("cache: 0 of 5 documents' outputs reused"),
        "{stderr}"
    );
    assert!(
        run("other-again").contains("cache: 5 of 5 documents' outputs reused"),
        "the other build reuses its own entries"
    );
    let (_, stderr) = cached(&docs, &work.path().join("again"), &cache, &[]);
    assert!(
        stderr.contains("cache: 5 of 5 documents' outputs reused"),
        "{stderr}"
    );
    assert_eq!(
        tree(&work.path().join("first")),
        tree(&work.path().join("other"))
    );
}

#[test]
fn a_cache_inside_the_collection_is_never_read_as_documents() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    seeds_copy(&docs);
    let (out, cache) = (dir.path().join("out"), docs.join("cache"));
    let (code, _) = cached(&docs, &out, &cache, &[]);
    assert_eq!(code, Some(0));
    // The cache's entries hold cleaned texts (`*.txt`); a second run walks
    // past them and audits the five seeds again, reused.
    let (code, said) = cached(&docs, &out, &cache, &[]);
    assert_eq!(code, Some(0), "{said}");
    assert!(said.contains("cache: 5 of 5 documents"), "{said}");
    let summary = crate::common::read_json(&out.join("summary.json"));
    assert_eq!(summary["totals"]["documents"], 5);
}

#[test]
fn a_cache_inside_the_output_folder_is_refused_before_anything_is_written() {
    // Its entries hold reports of their own, which `verify`, a bag or a
    // merge would take for the run's.
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    seeds_copy(&docs);
    let out = dir.path().join("out");
    for cache in [out.join(".cache"), out.clone()] {
        let (code, said) = cached(&docs, &out, &cache, &[]);
        assert_eq!(code, Some(2), "{said}");
        assert!(
            said.contains("the cache folder is the output folder"),
            "{said}"
        );
        assert!(!out.exists(), "{}", out.display());
    }
    // Beside it, the cache is taken.
    let (code, said) = cached(&docs, &out, &dir.path().join("cache"), &[]);
    assert_eq!(code, Some(0), "{said}");
}
