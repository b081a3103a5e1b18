//! Helpers shared by the integration tests.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// The kinds of line the gold labels mark, as the reports' categories.
pub const KINDS: [&str; 5] = [
    "classification",
    "declassification",
    "page-furniture",
    "ocr-noise",
    "boilerplate",
];

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `declass` binary, run from the repository root, with no variable of
/// the caller's environment that could change its output.
pub fn declass() -> Command {
    let mut cmd = Command::cargo_bin("declass").expect("binary built");
    cmd.current_dir(root())
        .env_remove("SOURCE_DATE_EPOCH")
        .env_remove("RAYON_NUM_THREADS")
        .env_remove("NO_COLOR")
        .env_remove("CI");
    cmd
}

/// `declass audit <inputs>... --out <out>`, ready for more arguments.
pub fn audit<P: AsRef<Path>>(inputs: &[P], out: &Path) -> Command {
    let mut cmd = declass();
    cmd.arg("audit");
    for input in inputs {
        cmd.arg(input.as_ref());
    }
    cmd.arg("--out").arg(out);
    cmd
}

/// The last line of a report's finding or action: its `end_line`, left
/// out where it is its `line`.
pub fn end_line(item: &Value) -> usize {
    item["end_line"]
        .as_u64()
        .or_else(|| item["line"].as_u64())
        .unwrap_or_else(|| panic!("no line: {item}")) as usize
}

pub fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Every file under `dir`, as (relative path, bytes), sorted.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("walk"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect();
    files.sort();
    files
}

/// Writes `files` (relative path, bytes) under a new temporary folder.
pub fn fixture(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
    dir
}

/// Applies `diff` to `original` with GNU patch and returns the result.
pub fn patch(original: &[u8], diff: &[u8]) -> Vec<u8> {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("original");
    let output = work.path().join("patched");
    let diff_path = work.path().join("changes.diff");
    std::fs::write(&input, original).unwrap();
    std::fs::write(&diff_path, diff).unwrap();
    if diff.is_empty() {
        return original.to_vec();
    }
    let status = std::process::Command::new("patch")
        .arg("--quiet")
        .arg("--force")
        .arg("-o")
        .arg(&output)
        .arg(&input)
        .arg(&diff_path)
        .status()
        .expect("GNU patch is installed (see .ci/run)");
    assert!(
        status.success(),
        "patch failed on:\n{}",
        String::from_utf8_lossy(diff)
    );
    std::fs::read(output).unwrap()
}
