//! What every stage produces, at the bottom of the crate: a [`Finding`]
//! (something found), an [`Edit`] (a change a stage asks of the cleaned
//! text, with how sure it is), a [`Proposal`] (a finding with the edits that
//! act on it) and an [`Action`] (one change made to the cleaned text).
//!
//! Lines and columns of findings and actions are 1-based on the original
//! file; columns count characters and `end_column` is the column just after
//! the last character (exclusive), as in SARIF. Lines and spans of edits are
//! 0-based, in bytes of the decoded line text.

use crate::model::{ActionKind, Category, Confidence, Severity};
use serde::{Deserialize, Serialize};

mod held;
mod mask;
pub use held::{shared, RuleId, Shared, Texts};
pub use mask::LineMask;

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// it is found (a stamp on every sheet; see [`Texts`]).
    pub text: Shared,
    pub message: Shared,
    /// The reading the finding suggests instead of `text`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggestion: Option<Shared>,
    /// For repairs of OCR noise: how sure the repair is, and whether it was
    /// made in the cleaned text (only repairs at or above the `--repair`
    /// threshold are).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    pub rule: RuleId,
    pub kind: ActionKind,
    /// Lines and columns in four bytes each (see [`Position`]): a long
    /// document's actions are many.
    pub line: Position,
    pub end_line: Position,
    /// Where the changed text starts on the line, for changes inside a line
    /// (a column is never 0: four bytes, absent or not).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<std::num::NonZeroU32>,
    /// The printed page number of the sheet the change is on, where the
    /// document gives one (set once the pages are known).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The original text that was removed or replaced (left out when empty:
    /// blank lines collapsed).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub original: Shared,
    /// What took its place (left out when empty: a removal).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub replacement: Shared,
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

/// How two parts of a paragraph are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinMode {
    /// Unwrapped prose: the second line is appended to the first with a space.
    Space,
    /// Hard-wrapped text: the blank lines between the parts are dropped.
    Lines,
}

/// What an edit changes. Lines are 0-based, spans are byte offsets into the
/// decoded line text. The lines of a removal or a join are four bytes each
/// (see [`narrow`]; made by [`Change::remove_lines`] and [`Change::join`]):
/// a long document's edits are hundreds of thousands, mostly removals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    RemoveLines {
        line: u32,
        end_line: u32,
    },
    /// A change inside one line, boxed: most edits remove lines, and every
    /// edit is as large as the largest change (a long document's edits are
    /// hundreds of thousands).
    Span(Box<SpanChange>),
    /// Join line `second` onto the paragraph of line `first`.
    Join {
        first: u32,
        second: u32,
        mode: JoinMode,
    },
}

/// A change inside line `line`: bytes `start..end` become `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanChange {
    pub kind: ActionKind,
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

impl Change {
    /// Lines `line..=end_line` are removed.
    pub fn remove_lines(line: usize, end_line: usize) -> Change {
        Change::RemoveLines {
            line: narrow(line),
            end_line: narrow(end_line),
        }
    }

    /// Line `second` is joined onto the paragraph of line `first`.
    pub fn join(first: usize, second: usize, mode: JoinMode) -> Change {
        Change::Join {
            first: narrow(first),
            second: narrow(second),
            mode,
        }
    }

    /// Bytes `start..end` of line `line` become `replacement`.
    pub fn span(
        kind: ActionKind,
        line: usize,
        start: usize,
        end: usize,
        replacement: String,
    ) -> Change {
        Change::Span(Box::new(SpanChange {
            kind,
            line,
            start,
            end,
            replacement,
        }))
    }
}

/// A change a stage asks of the cleaned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The rule or check that asks for it.
    pub rule: RuleId,
    /// How sure a repair is; `None` for an edit that is no repair (a stamp
    /// its rule removes), which is made whatever `--repair` says.
    pub confidence: Option<Confidence>,
    /// Whether the edit rewrites conversion markup, which `--markup` keeps,
    /// drops or leaves.
    pub markup: bool,
    pub change: Change,
}

impl Edit {
    /// An edit that is no repair: always made.
    pub fn certain(rule: &str, change: Change) -> Edit {
        Edit {
            rule: RuleId::of(rule),
            confidence: None,
            markup: false,
            change,
        }
    }

    /// A repair made only at or above the `--repair` threshold.
    pub fn repair(rule: &str, confidence: Confidence, change: Change) -> Edit {
        Edit {
            confidence: Some(confidence),
            ..Edit::certain(rule, change)
        }
    }

    /// Removes lines `line..=end_line`.
    pub fn remove_lines(rule: &str, line: usize, end_line: usize) -> Edit {
        Edit::certain(rule, Change::remove_lines(line, end_line))
    }

    /// The lines this edit removes whole, if it removes lines.
    pub fn removed_lines(&self) -> Option<std::ops::RangeInclusive<usize>> {
        match self.change {
            Change::RemoveLines { line, end_line } => Some(line as usize..=end_line as usize),
            _ => None,
        }
    }

    /// The line this edit changes inside, if it changes one inside.
    pub fn changed_line(&self) -> Option<usize> {
        match &self.change {
            Change::Span(span) => Some(span.line),
            _ => None,
        }
    }
}

/// A finding and the edits that act on it, as a stage proposes them. The
/// audit keeps the edits that `--repair` and `--markup` allow; for a repair
/// (a finding with a confidence) it records whether they were made, and
/// when they were not, offers `otherwise` as the suggested reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub finding: Finding,
    pub edits: Vec<Edit>,
    /// The suggestion a repair that is not made offers instead.
    pub otherwise: Option<String>,
}

impl Proposal {
    /// A finding with no edit.
    pub fn report(finding: Finding) -> Proposal {
        Proposal {
            finding,
            edits: Vec::new(),
            otherwise: None,
        }
    }

    /// A repair: its finding (made sure of `confidence`, with the reading
    /// it suggests, made or not) and the edits that make it.
    pub fn repair(
        mut finding: Finding,
        confidence: Confidence,
        changes: Vec<Change>,
        suggestion: String,
    ) -> Proposal {
        finding.confidence = Some(confidence);
        finding.suggestion = Some(suggestion.into());
        let edits = changes
            .into_iter()
            .map(|change| Edit::repair(&finding.rule, confidence, change))
            .collect();
        Proposal::with_edits(finding, edits)
    }

    /// A finding with the edits that act on it.
    pub fn with_edits(finding: Finding, edits: Vec<Edit>) -> Proposal {
        Proposal {
            finding,
            edits,
            otherwise: None,
        }
    }
}

/// Sorts `items` by `compare`, keeping the order of equal items (as a
/// stable sort does), in place: only a permutation of indices is sorted, so
/// no buffer of half the items is taken (findings and edits run to hundreds
/// of thousands on a long document). Indices take four bytes each; past
/// four billion items, a stable sort.
pub fn sort_in_place_by<T>(items: &mut [T], compare: impl Fn(&T, &T) -> std::cmp::Ordering) {
    let Ok(n) = u32::try_from(items.len()) else {
        return items.sort_by(compare);
    };
    let mut order: Vec<u32> = (0..n).collect();
    order.sort_by(|&i, &j| compare(&items[i as usize], &items[j as usize]));
    permute(items, order);
}

/// As [`sort_in_place_by`], by a key read once per item (a few numbers):
/// the keys are sorted beside their indices, in cache order, then the
/// items moved into place.
pub fn sort_in_place_by_key<T, K: Ord + Copy>(items: &mut [T], key: impl Fn(&T) -> K) {
    if u32::try_from(items.len()).is_err() {
        return items.sort_by_key(key);
    }
    let mut keyed: Vec<(K, u32)> = items.iter().map(&key).zip(0..).collect();
    // The index breaks ties: as stable as a stable sort.
    keyed.sort_unstable();
    permute(items, keyed.into_iter().map(|(_, i)| i).collect());
}

/// Moves the item at `order[p]` to position p, for every p: each cycle of
/// the permutation is followed once, by swaps.
fn permute<T>(items: &mut [T], mut order: Vec<u32>) {
    for start in 0..items.len() {
        let mut current = start;
        while order[current] as usize != start {
            let next = order[current] as usize;
            items.swap(current, next);
            order[current] = current as u32;
            current = next;
        }
        order[current] = current as u32;
    }
}

/// Marks in `mask` the lines that `edits` remove whole.
pub fn mark_removed(mask: &mut LineMask, edits: &[Edit]) {
    for range in edits.iter().filter_map(Edit::removed_lines) {
        mask.mark(range);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_texts_are_held_once() {
        let a = shared("a-rule-id");
        let b = shared(&String::from("a-rule-id"));
        assert_eq!(a, "a-rule-id");
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(std::mem::size_of::<Shared>(), 8);
        assert_eq!(std::mem::size_of::<Option<Shared>>(), 8);
        let owned = Shared::owned("made for one finding");
        assert_eq!(owned, "made for one finding");
        assert_eq!(owned, shared("made for one finding"));
        let mut texts = Texts::default();
        let first = texts.hold(Shared::owned("said twice"));
        let again = texts.hold(Shared::owned(String::from("said twice")));
        assert!(std::ptr::eq(first.as_str(), again.as_str()));
    }

    #[test]
    fn a_rule_id_is_held_once_and_written_as_its_text() {
        let a = RuleId::of("classification-banner");
        let b = RuleId::of(&String::from("classification-banner"));
        assert!(std::ptr::eq(a.as_str(), b.as_str()));
        assert_eq!(a, "classification-banner");
        let json = serde_json::to_string(&a).expect("serialises");
        assert_eq!(json, "\"classification-banner\"");
        let back: RuleId = serde_json::from_str(&json).expect("reads back");
        assert!(std::ptr::eq(back.as_str(), a.as_str()));
        assert_eq!(Shared::from(a), shared("classification-banner"));
    }

    #[test]
    fn an_action_without_a_replacement_writes_none_and_reads_back_the_same() {
        let removal = Action {
            rule: RuleId::of("classification-banner"),
            kind: ActionKind::RemoveLine,
            line: 3,
            end_line: 3,
            column: None,
            page: None,
            original: shared("SECRET"),
            replacement: Shared::default(),
        };
        let json = serde_json::to_string(&removal).expect("serialises");
        assert!(!json.contains("replacement"), "{json}");
        let back: Action = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, removal);
        let replace = Action {
            kind: ActionKind::Replace,
            replacement: Shared::from("'"),
            ..removal
        };
        let json = serde_json::to_string(&replace).expect("serialises");
        assert!(json.contains(r#""replacement":"'""#), "{json}");
        let back: Action = serde_json::from_str(&json).expect("reads back");
        assert_eq!(&*back.replacement, "'");
    }

    #[test]
    fn the_records_a_long_document_holds_by_the_hundred_thousand_stay_small() {
        // The bench's 40 MB document holds 249,630 findings, 365,266
        // actions and as many edits: each byte here is a third of a MB.
        use std::mem::size_of;
        assert!(size_of::<Finding>() <= 56, "{}", size_of::<Finding>());
        assert!(size_of::<Action>() <= 48, "{}", size_of::<Action>());
        assert!(size_of::<Edit>() <= 32, "{}", size_of::<Edit>());
        assert_eq!(size_of::<RuleId>(), 8);
    }

    #[test]
    fn sorting_in_place_keeps_the_order_of_equal_items() {
        // Every arrangement of a few keys with repeats, against the
        // standard library's stable sort.
        for seed in 0u64..500 {
            let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
            let items: Vec<(u64, usize)> = (0..(seed % 13) as usize)
                .map(|i| {
                    x = x
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    ((x >> 33) % 4, i)
                })
                .collect();
            let mut stable = items.clone();
            stable.sort_by_key(|i| i.0);
            let mut sorted = items.clone();
            sort_in_place_by(&mut sorted, |a, b| a.0.cmp(&b.0));
            assert_eq!(sorted, stable);
            let mut sorted = items;
            sort_in_place_by_key(&mut sorted, |i| i.0);
            assert_eq!(sorted, stable);
        }
    }
}
