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
    /// An input folder or the cache folder is the output folder or inside
    /// it (`what` says which).
    #[error(
        "{path}: {what} is the output folder {out} or inside it, which holds the run's outputs alone; nothing was written (give each a folder of its own)"
    )]
    InOutput {
        path: PathBuf,
        out: PathBuf,
        what: &'static str,
    },
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

/// Why shard outputs cannot be merged into one run's.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("{path}: not the output of a shard (no shard.json: audit with --shard K/N)")]
    NotAShard { path: PathBuf },
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {reason}")]
    Invalid { path: PathBuf, reason: String },
    #[error("shard {shard} is missing: the run has {count} shards, 0 to {last}", last = count - 1)]
    Missing { shard: usize, count: usize },
    #[error("shard {shard} is given twice: {first} and {second}")]
    Duplicate {
        shard: String,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("{path}: {what} differs from the other shards' ({theirs} here, {ours} in {first})")]
    Mismatch {
        path: PathBuf,
        first: PathBuf,
        what: &'static str,
        theirs: String,
        ours: String,
    },
    #[error(transparent)]
    Output(#[from] AuditError),
}
