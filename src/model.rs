//! Typed vocabulary shared by every stage: severities, categories, actions,
//! encodings, and the type of a classification level (whose names are rule
//! data). Each enum has the serde name used in the
//! rule files and in the JSON reports.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is. Ordered: `Info < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Error, Severity::Warning, Severity::Info];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// How sure a repair is. Ordered: `Low < Medium < High`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }
}

/// How footnote markup left by conversion (`<sup>12</sup>`) is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Markup {
    /// Replaced as the rule says (`[12]`).
    #[default]
    Bracket,
    /// Removed.
    Drop,
    /// Left as it is (reported only).
    Leave,
}

/// What a finding is about. The first five are the rule-file categories;
/// `Input` is for findings of the decode stage (binary, invalid UTF-8, empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    Classification,
    Declassification,
    PageFurniture,
    OcrNoise,
    Boilerplate,
    Input,
}

impl Category {
    /// Categories a rule file may use.
    pub const RULES: [Category; 5] = [
        Category::Classification,
        Category::Declassification,
        Category::PageFurniture,
        Category::OcrNoise,
        Category::Boilerplate,
    ];
    pub const ALL: [Category; 6] = [
        Category::Classification,
        Category::Declassification,
        Category::PageFurniture,
        Category::OcrNoise,
        Category::Boilerplate,
        Category::Input,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Classification => "classification",
            Category::Declassification => "declassification",
            Category::PageFurniture => "page-furniture",
            Category::OcrNoise => "ocr-noise",
            Category::Boilerplate => "boilerplate",
            Category::Input => "input",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What a rule does with what it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RuleAction {
    /// Report only; the text is not changed.
    Flag,
    /// Remove every line the rule matches (for a region rule, every line of the region).
    RemoveLine,
    /// Remove the matched text, keep the rest of the line.
    RemoveMatch,
    /// Replace the matched text with the rule's `replacement`.
    Replace,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Flag => "flag",
            RuleAction::RemoveLine => "remove-line",
            RuleAction::RemoveMatch => "remove-match",
            RuleAction::Replace => "replace",
        }
    }
}

/// Where a line matched by a rule puts a page (sheet) boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageBreak {
    /// The line begins a sheet (a page number or header at its top).
    Start,
    /// The line ends a sheet (a continuation line, a separator).
    End,
    /// The match itself is the boundary, inside the line (`[Page 764]`).
    Inline,
}

/// A field of a declassification stamp. A declassification rule's named
/// capture groups are field names (`(?P<review_date>...)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    ExecutiveOrder,
    Sections,
    Agency,
    LetterDate,
    PublicationReference,
    Reviewer,
    Archive,
    ReviewDate,
    CaseNumber,
    ReleaseDate,
    DocumentNumber,
    /// The year of a statutory release banner ("2023 RELEASE UNDER THE
    /// PRESIDENT JOHN F. KENNEDY ASSASSINATION RECORDS ACT").
    ReleaseYear,
    /// The NARA document id of a JFK collection page ("DocId:32424934").
    DocId,
    /// A declassification instruction of a cable ("GDS", "DECL: OADR").
    Decl,
    ClassifiedBy,
    Reason,
    /// A FOIA or 25-year exemption code ("(b)(1)", "25X1").
    Exemption,
}

impl Field {
    pub const ALL: [Field; 17] = [
        Field::ExecutiveOrder,
        Field::Sections,
        Field::Agency,
        Field::LetterDate,
        Field::PublicationReference,
        Field::Reviewer,
        Field::Archive,
        Field::ReviewDate,
        Field::CaseNumber,
        Field::ReleaseDate,
        Field::DocumentNumber,
        Field::ReleaseYear,
        Field::DocId,
        Field::Decl,
        Field::ClassifiedBy,
        Field::Reason,
        Field::Exemption,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Field::ExecutiveOrder => "executive_order",
            Field::Sections => "sections",
            Field::Agency => "agency",
            Field::LetterDate => "letter_date",
            Field::PublicationReference => "publication_reference",
            Field::Reviewer => "reviewer",
            Field::Archive => "archive",
            Field::ReviewDate => "review_date",
            Field::CaseNumber => "case_number",
            Field::ReleaseDate => "release_date",
            Field::DocumentNumber => "document_number",
            Field::ReleaseYear => "release_year",
            Field::DocId => "doc_id",
            Field::Decl => "decl",
            Field::ClassifiedBy => "classified_by",
            Field::Reason => "reason",
            Field::Exemption => "exemption",
        }
    }

    pub fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.as_str() == name)
    }

    /// Fields compared across the copies of a stamp (the others are read
    /// from lines that are no part of a release stamp).
    pub fn is_stamp_field(self) -> bool {
        !matches!(
            self,
            Field::Decl | Field::ClassifiedBy | Field::Reason | Field::Exemption
        )
    }

    /// Fields that identify one stamp or release.
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            Field::ExecutiveOrder | Field::CaseNumber | Field::DocumentNumber | Field::DocId
        )
    }

    /// Fields whose value is a date.
    pub fn is_date(self) -> bool {
        matches!(
            self,
            Field::LetterDate | Field::ReviewDate | Field::ReleaseDate
        )
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// The kind of one change recorded in a report's `actions`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ActionKind {
    RemoveLine,
    RemoveMatch,
    Replace,
    /// A blank line dropped so that removed lines leave at most one blank line.
    CollapseBlankLines,
    /// A line re-encoded from Windows-1252 to UTF-8.
    Transcode,
    /// The byte-order mark removed from the first line.
    StripBom,
    /// Two parts of a paragraph split by a page break or removed lines, joined.
    JoinParagraph,
}

/// A classification level, by the name the rule set's vocabulary gives it
/// (`TOP SECRET`). Levels are rule data: `rules/vocabulary.toml` lists them
/// and their order, and reads a rule's capture as one of them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Level(pub arcstr::ArcStr);

impl Level {
    /// The level's name as it is printed on a stamp (and its serde name).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

/// The character encoding a document was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[serde(rename = "utf-8")]
    Utf8,
    #[serde(rename = "windows-1252")]
    Windows1252,
    /// Not decoded: the file is binary.
    Binary,
    /// Not decoded: the file was not read as text (too large, or no
    /// regular file).
    NotRead,
}

/// The line-ending style of the original file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LineEndingStyle {
    Lf,
    Crlf,
    /// Both LF and CRLF occur.
    Mixed,
    /// The file has no line terminator at all (one line, or empty).
    None,
}

/// The declassification status of a whole document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeclassStatus {
    /// A declassification authority was found.
    Declassified,
    /// Authority found, but its stamps disagree.
    DeclassifiedWithDiscrepancies,
    /// Classification markings and no declassification authority.
    ClassifiedWithoutAuthority,
    /// Neither markings nor authority.
    Unmarked,
}

impl DeclassStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeclassStatus::Declassified => "declassified",
            DeclassStatus::DeclassifiedWithDiscrepancies => "declassified-with-discrepancies",
            DeclassStatus::ClassifiedWithoutAuthority => "classified-without-authority",
            DeclassStatus::Unmarked => "unmarked",
        }
    }
}

impl fmt::Display for DeclassStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_match_as_str() {
        for c in Category::ALL {
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        let level = Level("TOP SECRET".into());
        assert_eq!(serde_json::to_value(&level).unwrap(), level.as_str());
        for s in Severity::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        for f in Field::ALL {
            assert_eq!(serde_json::to_value(f).unwrap(), f.as_str());
            assert_eq!(Field::from_name(f.as_str()), Some(f));
        }
    }
}
