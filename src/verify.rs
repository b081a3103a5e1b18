//! `declass verify`: the fixity of a run's files, proved again. Every
//! original a report names is hashed (SHA-256) and compared with the hash
//! the report recorded; so are each report's own `cleaned.txt` and
//! `changes.diff`. Each file is ok, changed, missing or unreadable.

use crate::audit::report::PROVENANCE_FILE;
use crate::batch::bag::{sha256_file, MANIFEST_FILE};
use crate::batch::output::files_under;
use crate::diagnostic::Finding;
use crate::model::{Category, Severity};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// What a file is found to be, against its recorded hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Fixity {
    Ok,
    Changed,
    Missing,
    Unreadable,
}

impl Fixity {
    pub fn as_str(self) -> &'static str {
        match self {
            Fixity::Ok => "ok",
            Fixity::Changed => "changed",
            Fixity::Missing => "missing",
            Fixity::Unreadable => "unreadable",
        }
    }

    /// The id of the finding a file in this state gives.
    pub fn rule(self) -> &'static str {
        match self {
            Fixity::Ok => "fixity-ok",
            Fixity::Changed => "fixity-changed",
            Fixity::Missing => "fixity-missing",
            Fixity::Unreadable => "fixity-unreadable",
        }
    }
}

/// Which file of a report a check is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Original,
    Cleaned,
    Diff,
    /// A file a bag's `manifest-sha256.txt` lists.
    Payload,
}

/// One file checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    /// The file, as the report names it (an original) or in the output
    /// folder (a report's own file).
    pub path: String,
    pub role: Role,
    /// The report folder that records it, relative to the output folder.
    pub report: String,
    pub fixity: Fixity,
    pub expected_sha256: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found_sha256: Option<String>,
    /// Where an original was read, when `--originals` found it elsewhere
    /// than the path the report names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_from: Option<String>,
    /// Why, when the file is not ok.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Checked {
    /// The file as a finding: info when it holds, error when it does not.
    pub fn finding(&self) -> Finding {
        let severity = if self.fixity == Fixity::Ok {
            Severity::Info
        } else {
            Severity::Error
        };
        let role = match self.role {
            Role::Original => "original",
            Role::Cleaned => "cleaned text",
            Role::Diff => "diff",
            Role::Payload => "bag payload file",
        };
        let mut message = format!(
            "{role} {}: recorded SHA-256 {}",
            self.fixity.as_str(),
            self.expected_sha256
        );
        if let Some(found) = self
            .found_sha256
            .as_ref()
            .filter(|f| **f != self.expected_sha256)
        {
            message.push_str(&format!(", found {found}"));
        }
        if let Some(read_from) = &self.read_from {
            message.push_str(&format!(", read from {read_from}"));
        }
        if let Some(reason) = &self.reason {
            message.push_str(&format!(" ({reason})"));
        }
        Finding::new(
            self.fixity.rule(),
            Category::Input,
            severity,
            1,
            "",
            message,
        )
    }
}

/// The fields of a `provenance.json` that name files and their hashes.
#[derive(Debug, Deserialize)]
struct Recorded {
    source: RecordedSource,
    cleaned: Option<RecordedFile>,
    diff: Option<RecordedFile>,
}

#[derive(Debug, Deserialize)]
struct RecordedSource {
    path: String,
    sha256: String,
    encoding: String,
}

#[derive(Debug, Deserialize)]
struct RecordedFile {
    path: String,
    sha256: String,
}

/// A problem that stops the verification as a whole.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{path}: no report folder (no {PROVENANCE_FILE} under it)")]
    NoReports { path: PathBuf },
    #[error("{path}: cannot read the report: {reason}")]
    Report { path: PathBuf, reason: String },
}

/// Every report under `out` (its `provenance.json` files, in path order),
/// checked: the original each names — resolved against `originals` when
/// given and the path is relative, else as written — and the report's own
/// outputs.
pub fn verify(out: &Path, originals: Option<&Path>) -> Result<Vec<Checked>, VerifyError> {
    let reports: Vec<PathBuf> = files_under(out)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|n| n == PROVENANCE_FILE))
        .collect();
    if reports.is_empty() {
        return Err(VerifyError::NoReports {
            path: out.to_path_buf(),
        });
    }
    let mut checked = Vec::new();
    for report in reports {
        let text = std::fs::read(&report).map_err(|e| VerifyError::Report {
            path: report.clone(),
            reason: e.to_string(),
        })?;
        let recorded: Recorded =
            serde_json::from_slice(&text).map_err(|e| VerifyError::Report {
                path: report.clone(),
                reason: e.to_string(),
            })?;
        let folder = report.parent().unwrap_or(out);
        let name = folder
            .strip_prefix(out)
            .unwrap_or(folder)
            .to_string_lossy()
            .replace('\\', "/");
        checked.push(check_original(&recorded.source, originals, &name));
        for (role, file) in [
            (Role::Cleaned, &recorded.cleaned),
            (Role::Diff, &recorded.diff),
        ] {
            if let Some(file) = file {
                let path = folder.join(&file.path);
                let shown = path.to_string_lossy().into_owned();
                checked.push(check_file(&path, shown, role, &name, &file.sha256));
            }
        }
    }
    if out.join(MANIFEST_FILE).is_file() {
        checked.extend(check_manifest(out)?);
    }
    Ok(checked)
}

/// Every entry of a bag's `manifest-sha256.txt` (`HASH  data/PATH`, with
/// `%25`, `%0D` and `%0A` for `%`, CR and LF), checked.
fn check_manifest(bag: &Path) -> Result<Vec<Checked>, VerifyError> {
    let path = bag.join(MANIFEST_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| VerifyError::Report {
        path: path.clone(),
        reason: e.to_string(),
    })?;
    let mut checked = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((hash, file)) = line.split_once(char::is_whitespace) else {
            return Err(VerifyError::Report {
                path,
                reason: format!("not a manifest line: {line:?}"),
            });
        };
        let file = file
            .trim_start()
            .replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%25", "%");
        let shown = bag.join(&file).to_string_lossy().into_owned();
        checked.push(check_file(&bag.join(&file), shown, Role::Payload, "", hash));
    }
    Ok(checked)
}

fn check_original(source: &RecordedSource, originals: Option<&Path>, report: &str) -> Checked {
    let written = Path::new(&source.path);
    let place = locate(written, originals);
    let mut checked = check_file(
        &place.path,
        source.path.clone(),
        Role::Original,
        report,
        &source.sha256,
    );
    if place.path != written {
        checked.read_from = Some(place.path.to_string_lossy().into_owned());
    }
    if let (Fixity::Missing, Some(root)) = (checked.fixity, originals) {
        checked.read_from = None;
        checked.reason = Some(format!(
            "not under {}: neither at its recorded path there nor at any shorter ending of it ({} places looked at)",
            root.display(),
            place.tried
        ));
    }
    if source.path == "-" || source.sha256.is_empty() {
        checked.fixity = Fixity::Unreadable;
        checked.found_sha256 = None;
        checked.read_from = None;
        checked.reason = Some(format!(
            "the report records no file to hash again (read from standard input, or {} bytes not read)",
            source.encoding
        ));
    }
    checked
}

/// Where an original is read, and how many places were looked at.
struct Place {
    path: PathBuf,
    tried: usize,
}

/// Where the original recorded as `written` is read: where it was, or
/// under `originals` once the collection has moved. Under that folder the
/// recorded path is looked for whole (when relative), then each shorter
/// ending of it, longest first (`/old/coll/sub/a.txt` is looked for as
/// `DIR/old/coll/sub/a.txt`, `DIR/coll/sub/a.txt`, `DIR/sub/a.txt` and
/// `DIR/a.txt`): a collection audited by an absolute path, or named
/// from a folder above it, is found wherever its folder now is, with
/// `--originals` naming that folder (renamed or not) or, while it keeps
/// its name, one above it. The first that exists is read; its hash says
/// whether it is the same file.
fn locate(written: &Path, originals: Option<&Path>) -> Place {
    let Some(root) = originals else {
        return Place {
            path: written.to_path_buf(),
            tried: 1,
        };
    };
    let parts: Vec<&std::ffi::OsStr> = written
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(part) => Some(part),
            _ => None,
        })
        .collect();
    let whole = written.is_relative().then(|| root.join(written));
    let endings = (0..parts.len()).map(|skip| root.join(parts[skip..].iter().collect::<PathBuf>()));
    let mut tried = 0;
    let mut first = None;
    for candidate in whole.into_iter().chain(endings) {
        if first.as_ref() == Some(&candidate) {
            continue; // a relative path whole is its longest ending
        }
        tried += 1;
        if candidate.symlink_metadata().is_ok() {
            return Place {
                path: candidate,
                tried,
            };
        }
        first.get_or_insert(candidate);
    }
    Place {
        path: first.unwrap_or_else(|| root.join(written)),
        tried,
    }
}

/// Hashes the regular file at `path` and compares it with `expected`.
fn check_file(path: &Path, shown: String, role: Role, report: &str, expected: &str) -> Checked {
    let mut checked = Checked {
        path: shown,
        role,
        report: report.to_string(),
        fixity: Fixity::Ok,
        expected_sha256: expected.to_string(),
        found_sha256: None,
        read_from: None,
        reason: None,
    };
    match sha256_of(path) {
        Ok(found) => {
            if found != expected {
                checked.fixity = Fixity::Changed;
            }
            checked.found_sha256 = Some(found);
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            checked.fixity = Fixity::Missing;
            checked.reason = Some(e.to_string());
        }
        Err(e) => {
            checked.fixity = Fixity::Unreadable;
            checked.reason = Some(e.to_string());
        }
    }
    checked
}

/// The SHA-256 of a regular file, read through a buffer (a named pipe or
/// a device is refused, never read).
fn sha256_of(path: &Path) -> std::io::Result<String> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(std::io::Error::other("not a regular file"));
    }
    sha256_file(path).map(|(hash, _)| hash)
}
