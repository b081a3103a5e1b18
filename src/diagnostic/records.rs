//! What a report records of a document, at the bottom of the crate: each
//! [`Finding`] (something found) and each [`Action`] (one change made to
//! the cleaned text), with their lines and columns.
//!
//! They are written in a report as their fields, except an `end_line`
//! equal to `line` (most findings and actions are on one line), which is
//! left out and read back as `line`, as SARIF leaves out a region's
//! `endLine`.

use super::held::{RuleId, Shared};
use crate::model::{ActionKind, Category, Confidence, Severity};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};

/// A 1-based line or column of a report, in four bytes (a long document's
/// findings and actions are many).
pub type Position = u32;

/// `n` as a [`Position`]: past the four billionth line or column, that
/// number (a document that long is past the largest `--max-bytes`; only
/// a library caller can audit one).
pub fn position(n: usize) -> Position {
    narrow(n)
}

/// `n` in four bytes, the largest such number past them: a line, offset
/// or count of a document audited, which fits (see `--max-bytes`).
pub fn narrow(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Written and read back as its fields (`end_line` is left out where it is
/// `line`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "FindingRead")]
pub struct Finding {
    pub rule: RuleId,
    pub category: Category,
    pub severity: Severity,
    /// Lines and columns in four bytes each (see [`Position`]): a long
    /// document's findings are many.
    pub line: Position,
    pub end_line: Position,
    pub column: Position,
    pub end_column: Position,
    /// What was found, as written: held once in a document however often
    /// it is found (a stamp on every sheet; see [`super::Texts`]).
    pub text: Shared,
    pub message: Shared,
    /// The reading the finding suggests instead of `text`.
    pub suggestion: Option<Shared>,
    /// For repairs of OCR noise: how sure the repair is, and whether it was
    /// made in the cleaned text (only repairs at or above the `--repair`
    /// threshold are).
    pub confidence: Option<Confidence>,
    pub applied: Option<bool>,
}

impl Finding {
    /// A finding over the whole of `text` on line `line` (1-based).
    pub fn new(
        rule: &str,
        category: Category,
        severity: Severity,
        line: usize,
        text: &str,
        message: String,
    ) -> Finding {
        Finding {
            rule: RuleId::of(rule),
            category,
            severity,
            line: position(line),
            end_line: position(line),
            column: 1,
            end_column: position(text.chars().count() + 1),
            text: text.into(),
            message: Shared::owned(message),
            suggestion: None,
            confidence: None,
            applied: None,
        }
    }

    /// The same finding over the byte span `start..end` of `line_text`.
    pub fn at_span(mut self, line_text: &str, start: usize, end: usize) -> Finding {
        self.column = position(column_of(line_text, start));
        self.end_column = position(column_of(line_text, end));
        self
    }

    /// The 0-based index of its first line.
    pub fn line_index(&self) -> usize {
        (self.line as usize).saturating_sub(1)
    }

    /// The 0-based indices of the lines it spans.
    pub fn line_indices(&self) -> std::ops::Range<usize> {
        self.line_index()..self.end_line as usize
    }
}

/// Written and read back as its fields (see the module).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(from = "ActionRead")]
pub struct Action {
    pub rule: RuleId,
    pub kind: ActionKind,
    /// Lines and columns in four bytes each (see [`Position`]): a long
    /// document's actions are many.
    pub line: Position,
    pub end_line: Position,
    /// Where the changed text starts on the line, for changes inside a line
    /// (a column is never 0: four bytes, absent or not).
    pub column: Option<std::num::NonZeroU32>,
    /// The printed page number of the sheet the change is on, where the
    /// document gives one (set once the pages are known).
    pub page: Option<u32>,
    /// Its texts ([`Action::original`], [`Action::replacement`]), boxed:
    /// most actions remove lines whole and have none (eight bytes an
    /// action, of a long document's hundreds of thousands).
    pub texts: Option<Box<ActionTexts>>,
}

/// The texts of a change inside a line, a join or a decoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTexts {
    pub original: Shared,
    pub replacement: Shared,
}

impl Action {
    /// `original` and `replacement`, boxed unless both are empty.
    pub fn texts(original: Shared, replacement: Shared) -> Option<Box<ActionTexts>> {
        (!original.is_empty() || !replacement.is_empty()).then(|| {
            Box::new(ActionTexts {
                original,
                replacement,
            })
        })
    }

    /// The original text replaced or removed inside a line, or the lines a
    /// join joined; empty for lines removed whole, whose text the diff
    /// gives (and the findings on them quote). Left out when empty.
    pub fn original(&self) -> &str {
        self.texts.as_ref().map_or("", |t| t.original.as_str())
    }

    /// What took its place (left out when empty: a removal).
    pub fn replacement(&self) -> &str {
        self.texts.as_ref().map_or("", |t| t.replacement.as_str())
    }
}

/// 1-based character columns of byte offsets in one line, counted on from
/// the offset asked before: linear in the line's length over offsets asked
/// in increasing order (a line with many in-line findings stays linear).
#[derive(Debug, Clone)]
pub struct Columns<'a> {
    line: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> Columns<'a> {
    pub fn new(line: &'a str) -> Columns<'a> {
        Columns {
            line,
            byte: 0,
            chars: 0,
        }
    }

    /// The 1-based column of byte offset `byte`.
    pub fn at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        match self.line.get(self.byte..byte) {
            Some(part) => {
                self.chars += part.chars().count();
                self.byte = byte;
                self.chars + 1
            }
            None => column_of(self.line, byte),
        }
    }
}

/// 1-based character column of a byte offset in a line.
pub fn column_of(line: &str, byte: usize) -> usize {
    line.get(..byte)
        .map_or(byte, |prefix| prefix.chars().count())
        + 1
}

impl Serialize for Finding {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Finding", 12)?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field("category", &self.category)?;
        s.serialize_field("severity", &self.severity)?;
        s.serialize_field("line", &self.line)?;
        end_line(&mut s, self.line, self.end_line)?;
        s.serialize_field("column", &self.column)?;
        s.serialize_field("end_column", &self.end_column)?;
        s.serialize_field("text", &self.text)?;
        s.serialize_field("message", &self.message)?;
        optional(&mut s, "suggestion", &self.suggestion)?;
        optional(&mut s, "confidence", &self.confidence)?;
        optional(&mut s, "applied", &self.applied)?;
        s.end()
    }
}

impl Serialize for Action {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Action", 8)?;
        s.serialize_field("rule", &self.rule)?;
        s.serialize_field("kind", &self.kind)?;
        s.serialize_field("line", &self.line)?;
        end_line(&mut s, self.line, self.end_line)?;
        optional(&mut s, "column", &self.column)?;
        optional(&mut s, "page", &self.page)?;
        for (key, text) in [
            ("original", self.original()),
            ("replacement", self.replacement()),
        ] {
            if text.is_empty() {
                s.skip_field(key)?;
            } else {
                s.serialize_field(key, text)?;
            }
        }
        s.end()
    }
}

/// Writes `end_line` unless it is `line`.
fn end_line<S: SerializeStruct>(s: &mut S, line: Position, end: Position) -> Result<(), S::Error> {
    if end == line {
        s.skip_field("end_line")
    } else {
        s.serialize_field("end_line", &end)
    }
}

/// Writes a field that is left out when absent.
fn optional<S: SerializeStruct, T: Serialize>(
    s: &mut S,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), S::Error> {
    match value {
        Some(value) => s.serialize_field(key, value),
        None => s.skip_field(key),
    }
}

/// A finding as a report holds it.
#[derive(Deserialize)]
struct FindingRead {
    rule: RuleId,
    category: Category,
    severity: Severity,
    line: Position,
    #[serde(default)]
    end_line: Option<Position>,
    column: Position,
    end_column: Position,
    text: Shared,
    message: Shared,
    #[serde(default)]
    suggestion: Option<Shared>,
    #[serde(default)]
    confidence: Option<Confidence>,
    #[serde(default)]
    applied: Option<bool>,
}

impl From<FindingRead> for Finding {
    fn from(f: FindingRead) -> Finding {
        Finding {
            rule: f.rule,
            category: f.category,
            severity: f.severity,
            line: f.line,
            end_line: f.end_line.unwrap_or(f.line),
            column: f.column,
            end_column: f.end_column,
            text: f.text,
            message: f.message,
            suggestion: f.suggestion,
            confidence: f.confidence,
            applied: f.applied,
        }
    }
}

/// An action as a report holds it.
#[derive(Deserialize)]
struct ActionRead {
    rule: RuleId,
    kind: ActionKind,
    line: Position,
    #[serde(default)]
    end_line: Option<Position>,
    #[serde(default)]
    column: Option<std::num::NonZeroU32>,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    original: Shared,
    #[serde(default)]
    replacement: Shared,
}

impl From<ActionRead> for Action {
    fn from(a: ActionRead) -> Action {
        Action {
            rule: a.rule,
            kind: a.kind,
            line: a.line,
            end_line: a.end_line.unwrap_or(a.line),
            column: a.column,
            page: a.page,
            texts: Action::texts(a.original, a.replacement),
        }
    }
}
