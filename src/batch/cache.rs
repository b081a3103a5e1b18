//! The incremental cache (`--cache DIR`): a document's outputs are kept
//! under a key made of everything they depend on — the document's bytes
//! (their SHA-256), the path it is recorded and diffed under, the version,
//! the reports' schema version and the program's own SHA-256 (its build),
//! the rules in effect and the options that change outputs — so that a
//! later run over an unchanged document copies them instead of auditing
//! it again. Each entry is written as a unit and carries the SHA-256 of
//! every file in it: a damaged entry is found, reported and replaced,
//! never trusted.

use crate::audit::decode::sha256_hex;
use crate::audit::report::{SCHEMA_VERSION, TOOL_VERSION};
use crate::audit::AuditOptions;
use crate::batch::output::{Content, OutputRoot};
use crate::batch::summary::SummaryRow;
use crate::diagnostic::Finding;
use crate::error::AuditError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The index of an entry: its files' hashes, and what the summary and the
/// formats read of the document.
const ENTRY_FILE: &str = "entry.json";
/// The SHA-256 of `entry.json`, which holds the other files' hashes.
const CHECK_FILE: &str = "entry.sha256";

#[derive(Serialize, Deserialize)]
struct EntryIndex {
    files: BTreeMap<String, String>,
    row: SummaryRow,
    findings: Vec<Finding>,
}

/// A document's outputs as the cache kept them.
pub struct Entry {
    /// The report folder's files: name, and the entry's file holding it
    /// (checked against its hash).
    pub files: Vec<(String, PathBuf)>,
    /// Its summary row (its `report` is the run's to set).
    pub row: SummaryRow,
    pub findings: Vec<Finding>,
}

/// What a look in the cache found.
pub enum Lookup {
    Hit(Box<Entry>),
    Miss,
    /// An entry that does not hold what it says: why.
    Damaged(String),
}

/// A cache folder, for one version, one rule set and one set of options.
pub struct Cache {
    root: OutputRoot,
    dir: PathBuf,
    /// Everything a key shares within a run.
    context: String,
}

/// The SHA-256 of the program running, which identifies its build: a
/// cache filled by another build of the same version is not reused. A
/// program that cannot read itself (no `/proc`) is keyed on its version
/// alone.
fn build_sha256() -> String {
    std::env::current_exe()
        .and_then(|exe| crate::batch::bag::sha256_file(&exe))
        .map_or_else(|_| String::from("unknown"), |(sha256, _)| sha256)
}

impl Cache {
    /// Opens (creating it if need be) the cache at `dir` for a run with
    /// these rules and options.
    pub fn open(
        dir: &Path,
        rules_sha256: &str,
        options: &AuditOptions,
    ) -> Result<Cache, AuditError> {
        let context = serde_json::json!({
            "version": TOOL_VERSION,
            // A report written in another layout is not reused.
            "schema_version": SCHEMA_VERSION,
            // Nor outputs of another build of the same version (the
            // version moves with releases, the code between them).
            "build": build_sha256(),
            "rules": rules_sha256,
            "repair": options.repair,
            "markup": options.markup,
            "severity": options.severity,
            "generated_at": options.generated_at,
        })
        .to_string();
        Ok(Cache {
            root: OutputRoot::create(dir)?,
            dir: dir.to_path_buf(),
            context,
        })
    }

    /// The key of a document read at `path`, diffed as `diff_path`, whose
    /// bytes have the SHA-256 `sha256`.
    pub fn key(&self, path: &str, diff_path: &str, sha256: &str) -> String {
        let mut text = self.context.clone();
        for part in [path, diff_path, sha256] {
            text.push('\0');
            text.push_str(part);
        }
        sha256_hex(text.as_bytes())
    }

    fn folder(key: &str) -> PathBuf {
        Path::new(&key[..2]).join(key)
    }

    /// The entry of `key`, checked file by file.
    pub fn get(&self, key: &str) -> Lookup {
        let folder = self.dir.join(Cache::folder(key));
        let Ok(index_bytes) = std::fs::read(folder.join(ENTRY_FILE)) else {
            return if folder.exists() {
                Lookup::Damaged(format!("{ENTRY_FILE} missing"))
            } else {
                Lookup::Miss
            };
        };
        match std::fs::read_to_string(folder.join(CHECK_FILE)) {
            Ok(check) if check.trim() == sha256_hex(&index_bytes) => {}
            _ => return Lookup::Damaged(format!("{ENTRY_FILE} does not match its hash")),
        }
        let index: EntryIndex = match serde_json::from_slice(&index_bytes) {
            Ok(index) => index,
            Err(e) => return Lookup::Damaged(format!("{ENTRY_FILE}: {e}")),
        };
        let mut files = Vec::with_capacity(index.files.len());
        for (name, sha256) in &index.files {
            let path = folder.join(name);
            match std::fs::read(&path) {
                Ok(bytes) if sha256_hex(&bytes) == *sha256 => files.push((name.clone(), path)),
                Ok(_) => return Lookup::Damaged(format!("{name} does not match its hash")),
                Err(e) => return Lookup::Damaged(format!("{name}: {e}")),
            }
        }
        Lookup::Hit(Box::new(Entry {
            files,
            row: index.row,
            findings: index.findings,
        }))
    }

    /// Keeps the report folder `report` (its files, as written) under
    /// `key`, with the document's summary row and findings; an older entry
    /// of the key is replaced.
    pub fn put(
        &self,
        key: &str,
        report: &Path,
        row: &SummaryRow,
        findings: &[Finding],
    ) -> Result<(), AuditError> {
        let mut files = Vec::new();
        for entry in std::fs::read_dir(report).map_err(|source| AuditError::Read {
            path: report.to_path_buf(),
            source,
        })? {
            let entry = entry.map_err(|source| AuditError::Read {
                path: report.to_path_buf(),
                source,
            })?;
            if !entry.file_type().is_ok_and(|t| t.is_file()) {
                continue;
            }
            let path = entry.path();
            let bytes = std::fs::read(&path).map_err(|source| AuditError::Read { path, source })?;
            files.push((entry.file_name().to_string_lossy().into_owned(), bytes));
        }
        files.sort();
        let index = EntryIndex {
            files: files
                .iter()
                .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)))
                .collect(),
            row: row.clone(),
            findings: findings.to_vec(),
        };
        let index_bytes = serde_json::to_vec(&index).map_err(|e| AuditError::Json {
            path: self.dir.join(Cache::folder(key)).join(ENTRY_FILE),
            source: std::io::Error::other(e),
        })?;
        let check = format!("{}\n", sha256_hex(&index_bytes));
        let mut contents: Vec<(&str, Content)> = files
            .iter()
            .map(|(name, bytes)| (name.as_str(), Content::Bytes(bytes)))
            .collect();
        contents.push((ENTRY_FILE, Content::Bytes(&index_bytes)));
        contents.push((CHECK_FILE, Content::Bytes(check.as_bytes())));
        self.root.write_folder(&Cache::folder(key), &contents)?;
        Ok(())
    }
}
