//! Library errors. Each names the file (and, for rule files, the line and the
//! rule) it is about; `anyhow` is used only in the binary.

use std::path::PathBuf;

/// A rule file that cannot be read, parsed or accepted.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: cannot read rule file: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: no rule files (*.toml) in this folder")]
    NoRuleFiles { file: PathBuf },
    #[error("{file}:{line}: {reason}")]
    Syntax {
        file: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("rule `{rule}` {reason}")]
    Unknown { rule: String, reason: &'static str },
    #[error("{file}:{line}: rule `{rule}`: {reason}")]
    Invalid {
        file: PathBuf,
        line: usize,
        rule: String,
        reason: String,
    },
}

/// A problem with one input or output file during an audit.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: cannot write: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: refusing to write outside the output folder {out}")]
    OutsideOutput { path: PathBuf, out: PathBuf },
    #[error("{path}: cannot walk folder: {reason}")]
    Walk { path: PathBuf, reason: String },
    #[error("no input found (looked for *.txt under {paths})")]
    NoInput { paths: String },
    #[error("cannot start the worker threads: {reason}")]
    Threads { reason: String },
    #[error("cannot serialise report for {path}: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
