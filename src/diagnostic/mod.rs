//! What every stage produces, at the bottom of the crate: a [`Finding`]
//! (something found), an [`Edit`] (a change a stage asks of the cleaned
//! text, with how sure it is), a [`Proposal`] (a finding with the edits that
//! act on it) and an [`Action`] (one change made to the cleaned text).
//!
//! Lines and columns of findings and actions are 1-based on the original
//! file; columns count characters and `end_column` is the column just after
//! the last character (exclusive), as in SARIF. Lines and spans of edits are
//! 0-based, in bytes of the decoded line text.

use crate::model::{ActionKind, Confidence};
use serde::{Deserialize, Serialize};

mod held;
mod mask;
mod records;
pub use held::{shared, RuleId, Shared, Texts};
pub use mask::LineMask;
pub use records::{column_of, narrow, position, Action, ActionTexts, Columns, Finding, Position};

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
    use crate::model::{Category, Severity};

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
            kind: ActionKind::RemoveMatch,
            line: 3,
            end_line: 3,
            column: None,
            page: None,
            texts: Action::texts(shared("SECRET"), Shared::default()),
        };
        let json = serde_json::to_string(&removal).expect("serialises");
        assert!(!json.contains("replacement"), "{json}");
        assert!(json.contains(r#""original":"SECRET""#), "{json}");
        let back: Action = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, removal);
        let replace = Action {
            kind: ActionKind::Replace,
            texts: Action::texts(shared("SECRET"), Shared::from("'")),
            ..removal
        };
        let json = serde_json::to_string(&replace).expect("serialises");
        assert!(json.contains(r#""replacement":"'""#), "{json}");
        let back: Action = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back.replacement(), "'");
        assert_eq!(back.original(), "SECRET");
        // No text at all is no box.
        assert!(Action::texts(Shared::default(), Shared::default()).is_none());
    }

    #[test]
    fn an_end_line_equal_to_the_line_is_left_out_and_read_back_as_the_line() {
        let one = Finding::new(
            "classification-banner",
            Category::Classification,
            Severity::Info,
            8,
            "SECRET",
            "Classification stamp on a line of its own: SECRET".into(),
        );
        let json = serde_json::to_string(&one).expect("serialises");
        assert!(!json.contains("end_line"), "{json}");
        assert!(json.starts_with(r#"{"rule":"classification-banner","category":"classification","severity":"info","line":8,"column":1,"end_column":7,"text":"SECRET""#), "{json}");
        let back: Finding = serde_json::from_str(&json).expect("reads back");
        assert_eq!(back, one);
        let two = Finding {
            end_line: 9,
            confidence: Some(Confidence::High),
            ..one
        };
        let json = serde_json::to_string(&two).expect("serialises");
        assert!(
            json.contains(r#""line":8,"end_line":9,"column":1"#),
            "{json}"
        );
        assert!(json.ends_with(r#""confidence":"high"}"#), "{json}");
        assert_eq!(
            serde_json::from_str::<Finding>(&json).expect("reads back"),
            two
        );
        let removal = Action {
            rule: RuleId::of("repeated-sheet-header"),
            kind: ActionKind::RemoveLine,
            line: 3,
            end_line: 3,
            column: None,
            page: Some(2),
            texts: None,
        };
        let json = serde_json::to_string(&removal).expect("serialises");
        assert_eq!(
            json,
            r#"{"rule":"repeated-sheet-header","kind":"remove-line","line":3,"page":2}"#
        );
        assert_eq!(
            serde_json::from_str::<Action>(&json).expect("reads back"),
            removal
        );
        let run = Action {
            end_line: 5,
            ..removal
        };
        let json = serde_json::to_string(&run).expect("serialises");
        assert!(json.contains(r#""line":3,"end_line":5,"page":2"#), "{json}");
        assert_eq!(
            serde_json::from_str::<Action>(&json).expect("reads back"),
            run
        );
    }

    #[test]
    fn the_records_a_long_document_holds_by_the_hundred_thousand_stay_small() {
        // The bench's 40 MB document holds 249,630 findings, 365,266
        // actions and as many edits: each byte here is a third of a MB.
        use std::mem::size_of;
        assert!(size_of::<Finding>() <= 56, "{}", size_of::<Finding>());
        assert!(size_of::<Action>() <= 40, "{}", size_of::<Action>());
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
