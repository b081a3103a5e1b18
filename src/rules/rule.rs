//! A compiled, validated rule, and the names of the capture groups rules
//! may use.

use crate::model::{Category, Confidence, Field, PageBreak, RuleAction, Severity};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Name of the capture group a classification rule uses for the level.
pub const LEVEL_GROUP: &str = "level";
/// Name of the capture group a classification rule uses for a control or
/// dissemination marking that is no level (EYES ONLY, NO FOREIGN DISSEM).
pub const CONTROL_GROUP: &str = "control";
/// Name of the capture group whose participation marks a struck-through stamp.
pub const STRUCK_GROUP: &str = "struck";
/// Capture groups a `publication` pattern may have.
pub const PUBLICATION_GROUPS: [&str; 4] = ["title", "author", "journal", "year"];
/// Name of the capture group holding a printed page number.
pub const PAGE_GROUP: &str = "page";
/// How many lines a region rule looks ahead for its `until` line by default.
pub const DEFAULT_REGION_LINES: usize = 40;

/// A rule's examples, as written and as `declass rules test` runs them.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(rename = "match", default)]
    pub matches: Vec<String>,
    #[serde(rename = "no-match", default)]
    pub no_match: Vec<String>,
    /// For `replace` rules: [line, line after the replacement].
    #[serde(default)]
    pub replace: Vec<(String, String)>,
}

/// Where a rule was written.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// A marking word a garbled line may stand for, with the key a line is
/// compared with: its letters in upper case, white space dropped (OCR splits
/// and merges words), prepared once when the rules are loaded.
#[derive(Debug, Clone)]
pub struct FuzzyWord {
    pub word: String,
    pub key: String,
    /// Characters in `key`, and how many of them are letters.
    pub length: usize,
    pub letters: usize,
    /// The counts of `key`'s characters (see [`Bag`]).
    pub bag: Bag,
}

/// The counts of a text's characters in 64 buckets (a character's code
/// modulo 64). Each edit changes at most one character of either text, so
/// the edit distance between two texts is at least the larger excess of
/// one's counts over the other's; merging characters into buckets (and
/// counts that saturate) only lowers that bound. A cheap test before the
/// edit distance itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bag([u8; 64]);

impl Bag {
    pub fn of(text: &str) -> Bag {
        let mut counts = [0u8; 64];
        for c in text.chars() {
            let bucket = (u32::from(c) % 64) as usize;
            counts[bucket] = counts[bucket].saturating_add(1);
        }
        Bag(counts)
    }

    /// A lower bound of the edit distance between the two texts.
    pub fn fewest_edits(&self, other: &Bag) -> usize {
        let (mut more, mut fewer) = (0usize, 0usize);
        for (&a, &b) in self.0.iter().zip(&other.0) {
            more += usize::from(a.saturating_sub(b));
            fewer += usize::from(b.saturating_sub(a));
        }
        more.max(fewer)
    }
}

impl FuzzyWord {
    pub fn new(word: String) -> FuzzyWord {
        let key: String = word
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_uppercase)
            .collect();
        FuzzyWord {
            length: key.chars().count(),
            letters: key.chars().filter(|c| c.is_alphabetic()).count(),
            bag: Bag::of(&key),
            key,
            word,
        }
    }
}

/// A compiled, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub description: String,
    /// What a finding of the rule says before what it read (the level): the
    /// rule file's `message`, or the description's lead clause.
    pub message: String,
    pub action: RuleAction,
    pub replacement: Option<String>,
    pub regex: Regex,
    /// For region rules: the pattern that ends the region, and how far to look.
    pub until: Option<(Regex, usize)>,
    /// For region rules: how near the top the region starts, and what it
    /// must contain.
    pub within_first_lines: Option<usize>,
    pub must_contain: Option<Regex>,
    /// For region rules: the longest line (in characters) a region holds.
    pub max_line_chars: Option<usize>,
    /// Patterns reading a publication's facts from the region.
    pub publication: Vec<Regex>,
    /// A line this rule matches begins a new declassification block.
    pub starts_block: bool,
    /// Whether this rule's lines form declassification blocks.
    pub block: bool,
    /// The stamp fields its capture groups read.
    pub fields: Vec<Field>,
    /// Where a match of this rule puts a page boundary, if anywhere.
    pub page_break: Option<PageBreak>,
    /// How sure the rule's repair is (OCR-noise rules).
    pub confidence: Confidence,
    /// Whether the match is conversion markup (see `--markup`).
    pub markup: bool,
    /// Marking words this rule also reads when OCR garbled them.
    pub fuzzy_words: Vec<FuzzyWord>,
    /// Whether the first line this rule matches is kept as the document's
    /// own, only the later ones being furniture.
    pub keep_first: bool,
    /// Whether the rule reads copies of a stamp that OCR garbled.
    pub garbled: bool,
    /// Whether the pattern has a `page` capture group (a printed page number).
    pub has_page: bool,
    pub examples: Examples,
    pub origin: Origin,
    /// Whether the pattern has `level` / `struck` capture groups.
    pub has_level: bool,
    pub has_struck: bool,
    /// Whether the pattern has a `control` group (a control marking).
    pub has_control: bool,
}

impl Rule {
    /// Whether the scanner needs capture groups for this rule's matches.
    pub fn needs_captures(&self) -> bool {
        self.has_level
            || self.has_control
            || self.has_page
            || !self.fields.is_empty()
            || self.action == RuleAction::Replace
    }
}
