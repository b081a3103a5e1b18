//! The output folder as a BagIt 1.0 bag (RFC 8493): the reports under
//! `data/`, with `--bag-originals` a copy of each original under
//! `data/originals/<report folder>/<file name>`; `bagit.txt`,
//! `bag-info.txt`, `manifest-sha256.txt` and `tagmanifest-sha256.txt` at the
//! top, written last, each atomically.

use crate::audit::decode::sha256_hex;
use crate::audit::report::{ORIGINALS_DIR, TOOL_NAME, TOOL_VERSION};
use crate::batch::output::{files_under, read_regular, write_atomic, OutputRoot};
use crate::batch::summary::Summary;
use crate::error::AuditError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The payload folder of a bag.
pub const DATA_DIR: &str = "data";
const BAGIT_FILE: &str = "bagit.txt";
const BAG_INFO_FILE: &str = "bag-info.txt";
pub const MANIFEST_FILE: &str = "manifest-sha256.txt";
const TAG_MANIFEST_FILE: &str = "tagmanifest-sha256.txt";

/// How a run is bagged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BagOptions {
    /// Copy each original into the payload.
    pub originals: bool,
    /// Fields of `bag-info.txt` from the configuration (Source-Organization,
    /// Contact-Name, …), in order.
    pub info: BTreeMap<String, String>,
}

/// Copies the originals the summary names into `<bag>/data/originals/`, at
/// the relative paths their reports have (`originals/box/002_x.txt` for the
/// report `box/002_x`), or, where two would meet, beside their report's
/// name (`originals/box/002_x~2/002_x.txt`). Each copy is checked against
/// the hash its report recorded: a file changed since it was audited is
/// refused.
pub fn copy_originals(bag: &Path, summary: &Summary) -> Result<(), AuditError> {
    let root = OutputRoot::create(&bag.join(DATA_DIR))?;
    let mut taken = std::collections::HashSet::new();
    // A path that is no regular file (a FIFO, a device) was never read:
    // its report says so, and there is nothing to copy.
    for row in summary.documents.iter().filter(|r| !r.sha256.is_empty()) {
        let source = PathBuf::from(&row.path);
        let read_err = |e: std::io::Error| AuditError::Read {
            path: source.clone(),
            source: e,
        };
        let bytes = read_regular(&source).map_err(read_err)?;
        if sha256_hex(&bytes) != row.sha256 {
            return Err(read_err(std::io::Error::other(
                "changed since it was audited: not copied into the bag",
            )));
        }
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "original".to_string());
        let report = Path::new(&row.report);
        let beside = Path::new(ORIGINALS_DIR).join(report.parent().unwrap_or(Path::new("")));
        let dir = if taken.insert(beside.join(&name)) {
            beside
        } else {
            Path::new(ORIGINALS_DIR).join(report)
        };
        root.write(&dir, &name, &bytes)?;
    }
    Ok(())
}

/// Writes the bag's tag files for the payload under `<bag>/data/`.
pub fn write_tags(
    bag: &Path,
    options: &BagOptions,
    rules_sha256: &str,
    generated_at: Option<&str>,
) -> Result<(), AuditError> {
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| AuditError::Write { path, source }
    };
    let data = bag.join(DATA_DIR);
    let payload = files_under(&data);
    let mut manifest = String::new();
    let mut octets: u64 = 0;
    for file in &payload {
        let (hash, bytes) = sha256_file(file).map_err(|source| AuditError::Read {
            path: file.clone(),
            source,
        })?;
        octets += bytes;
        let relative = file.strip_prefix(bag).unwrap_or(file);
        manifest.push_str(&format!("{hash}  {}\n", manifest_path(relative)));
    }
    let bagit = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n".to_string();
    let mut info = String::new();
    if let Some(day) = generated_at.and_then(|t| t.get(..10)) {
        info.push_str(&format!("Bagging-Date: {day}\n"));
    }
    info.push_str(&format!(
        "Bag-Software-Agent: {TOOL_NAME} {TOOL_VERSION}\nPayload-Oxum: {octets}.{}\nDeclass-Rules-SHA256: {rules_sha256}\n",
        payload.len()
    ));
    for (label, value) in &options.info {
        // One line per field: line breaks in a value would start a new one.
        let value: String = value.split(['\r', '\n']).collect::<Vec<_>>().join(" ");
        info.push_str(&format!("{label}: {value}\n"));
    }
    let mut tags = String::new();
    for (name, text) in [
        (BAGIT_FILE, &bagit),
        (BAG_INFO_FILE, &info),
        (MANIFEST_FILE, &manifest),
    ] {
        let path = bag.join(name);
        write_atomic(&path, text.as_bytes()).map_err(write_err(&path))?;
        tags.push_str(&format!("{}  {name}\n", sha256_hex(text.as_bytes())));
    }
    let path = bag.join(TAG_MANIFEST_FILE);
    write_atomic(&path, tags.as_bytes()).map_err(write_err(&path))?;
    Ok(())
}

/// A payload path as a manifest writes it: `/` between parts, and `%`, CR
/// and LF percent-encoded (RFC 8493, 2.1.3).
fn manifest_path(path: &Path) -> String {
    let parts: Vec<String> = path
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts
        .join("/")
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// The SHA-256 and the size of a file, streamed through the hasher.
pub fn sha256_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let bytes = std::io::copy(&mut std::fs::File::open(path)?, &mut hasher)?;
    Ok((format!("{:x}", hasher.finalize()), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifest_paths_escape_what_would_break_a_line() {
        assert_eq!(
            manifest_path(Path::new("data/a b/50%.txt")),
            "data/a b/50%25.txt"
        );
        assert_eq!(manifest_path(Path::new("data/x\ny.txt")), "data/x%0Ay.txt");
    }
}
