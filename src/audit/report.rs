//! Report stage: the provenance record of one document, as written to
//! `provenance.json`.
//!
//! Wire format (`schema_version` 4; `schema/provenance.schema.json`):
//! every line and column is 1-based on the original file; columns count
//! characters, `end_column` is exclusive. `findings` lists what was found,
//! `actions` every change made to `cleaned.txt` (each change is one action,
//! and each action shows in `changes.diff`). No wall-clock time is
//! written unless `SOURCE_DATE_EPOCH` is set, in which case `generated_at`
//! carries it.

use crate::audit::classification::Classification;
use crate::audit::dates::DocumentDate;
use crate::audit::declassification::Declassification;
use crate::audit::decode::Document;
use crate::audit::diff::DiffStats;
use crate::audit::sheets::Page;
use crate::audit::sink::Fixity;
use crate::diagnostic::{Action, Finding};
use crate::model::{Encoding, LineEndingStyle};
use serde::{Deserialize, Serialize};

pub const SCHEMA_VERSION: u32 = 4;
pub const TOOL_NAME: &str = "declass";
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");

/// File names written per document.
pub const CLEANED_FILE: &str = "cleaned.txt";
pub const DIFF_FILE: &str = "changes.diff";
pub const PROVENANCE_FILE: &str = "provenance.json";
pub const SUMMARY_FILE: &str = "summary.json";
/// The file a shard writes beside its summary (`--shard`).
pub const SHARD_FILE: &str = "shard.json";
/// The folder of the output that holds the HTML report (`--format html`).
pub const HTML_DIR: &str = "html";
/// The folder of a bag's payload that holds the originals (`--bag-originals`).
pub const ORIGINALS_DIR: &str = "originals";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
    pub rules_sha256: String,
}

impl Tool {
    pub fn new(rules_sha256: &str) -> Tool {
        Tool {
            name: TOOL_NAME.to_string(),
            version: TOOL_VERSION.to_string(),
            rules_sha256: rules_sha256.to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// The path as found from the input given on the command line.
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
    pub encoding: Encoding,
    pub bom: bool,
    pub line_ending: LineEndingStyle,
    pub lines: usize,
}

impl Source {
    /// The source of a decoded document.
    pub fn of(doc: &Document, path: &str) -> Source {
        Source {
            path: path.to_string(),
            bytes: doc.bytes(),
            sha256: doc.sha256.clone(),
            encoding: doc.encoding,
            bom: doc.bom,
            line_ending: doc.line_ending,
            lines: doc.len(),
        }
    }

    /// The source of a file that was hashed but not decoded.
    pub fn not_decoded(path: &str, bytes: usize, sha256: String, encoding: Encoding) -> Source {
        Source {
            path: path.to_string(),
            bytes,
            sha256,
            encoding,
            bom: false,
            line_ending: LineEndingStyle::None,
            lines: 0,
        }
    }
}

/// An output file, named relative to the report's own folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutputFile {
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
    pub lines: usize,
}

impl OutputFile {
    /// The record of `cleaned.txt`.
    pub fn cleaned(fixity: Fixity, lines: usize) -> OutputFile {
        OutputFile {
            path: CLEANED_FILE.to_string(),
            bytes: fixity.bytes,
            sha256: fixity.sha256,
            lines,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffFile {
    pub path: String,
    pub bytes: usize,
    pub sha256: String,
    /// Original lines removed or changed, and cleaned lines added or changed.
    pub lines_removed: usize,
    pub lines_added: usize,
}

impl DiffFile {
    /// The record of `changes.diff`.
    pub fn of(fixity: Fixity, stats: DiffStats) -> DiffFile {
        DiffFile {
            path: DIFF_FILE.to_string(),
            bytes: fixity.bytes,
            sha256: fixity.sha256,
            lines_removed: stats.lines_removed,
            lines_added: stats.lines_added,
        }
    }
}

/// Bibliographic facts read from a repository cover sheet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub journal: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub source: Source,
    /// `null` when the document could not be audited (binary, too large).
    pub cleaned: Option<OutputFile>,
    pub diff: Option<DiffFile>,
    pub classification: Classification,
    pub declassification: Declassification,
    /// What a repository cover sheet said of the publication, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication: Option<Publication>,
    /// Dates the document gives as its own ("6 APRIL 1946", "Dated April 5, 1946").
    pub document_dates: Vec<DocumentDate>,
    /// The sheets of the original, with where their text is in `cleaned.txt`.
    pub pages: Vec<Page>,
    pub findings: Vec<Finding>,
    pub actions: Vec<Action>,
}

impl Provenance {
    /// The report of a document with nothing found yet: unmarked, no
    /// outputs, no finding.
    pub fn new(source: Source, rules_sha256: &str, generated_at: Option<String>) -> Provenance {
        Provenance {
            schema_version: SCHEMA_VERSION,
            tool: Tool::new(rules_sha256),
            generated_at,
            source,
            cleaned: None,
            diff: None,
            classification: Classification::default(),
            declassification: Declassification::unmarked(),
            publication: None,
            document_dates: Vec::new(),
            pages: Vec::new(),
            findings: Vec::new(),
            actions: Vec::new(),
        }
    }
}

impl Provenance {
    /// Records the cleaned text written: its length and hash, its lines.
    pub fn record_cleaned(&mut self, fixity: Fixity, lines: usize) {
        self.cleaned = Some(OutputFile::cleaned(fixity, lines));
    }

    /// Records the diff written: its length, hash and line counts.
    pub fn record_diff(&mut self, fixity: Fixity, stats: DiffStats) {
        self.diff = Some(DiffFile::of(fixity, stats));
    }
}

/// Serialises a report in the tool's JSON layout (see [`crate::audit::json`]),
/// with a final newline.
pub fn to_json_bytes<T: Serialize>(value: &T) -> std::io::Result<Vec<u8>> {
    crate::audit::json::to_bytes(value)
}
