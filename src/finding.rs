//! The two records every stage produces: a [`Finding`] (something found) and
//! an [`Action`] (one change made to the cleaned text). Lines and columns are
//! 1-based on the original file; columns count characters and `end_column` is
//! the column just after the last character (exclusive), as in SARIF.

use crate::model::{ActionKind, Category, Confidence, Severity};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub category: Category,
    pub severity: Severity,
    pub line: usize,
    pub end_line: usize,
    pub column: usize,
    pub end_column: usize,
    pub text: String,
    pub message: String,
    /// The reading the finding suggests instead of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<String>,
    /// For repairs of OCR noise: how sure the repair is, and whether it was
    /// made in the cleaned text (only repairs at or above the `--repair`
    /// threshold are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applied: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub rule: String,
    pub kind: ActionKind,
    pub line: usize,
    pub end_line: usize,
    /// Where the changed text starts on the line, for changes inside a line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The original text that was removed or replaced.
    pub original: String,
    /// What took its place (empty for a removal).
    pub replacement: String,
}

/// 1-based character column of a byte offset in a line.
pub fn column_of(line: &str, byte: usize) -> usize {
    line.get(..byte)
        .map_or(byte, |prefix| prefix.chars().count())
        + 1
}
