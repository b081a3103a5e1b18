//! What the scan finds: one match of one rule, and how matches nested in
//! another of their category on one line are dropped.

use crate::model::{Field, Level};
use crate::rules::RuleSet;

/// One match of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Index of the rule in the rule set.
    pub rule: usize,
    /// 0-based line of the match, and of the last line of a region.
    pub line: usize,
    pub end_line: usize,
    /// Byte span in the text of `line` (for a region, the whole first line).
    pub start: usize,
    pub end: usize,
    /// For classification rules: the level read from the `level` group.
    pub level: Option<Level>,
    pub struck: bool,
    /// For rules with a `page` group: the printed page number.
    pub page: Option<u32>,
    /// For declassification rules: the stamp fields read, with their byte
    /// spans in the line.
    pub fields: Vec<(Field, usize, usize)>,
    /// For `replace` rules: the replacement with its groups expanded.
    pub replacement: Option<String>,
    /// For a line read through a rule's `fuzzy-words`: the word OCR garbled,
    /// and the edit distance to it.
    pub fuzzy: Option<(String, usize)>,
}

impl Match {
    /// A match of rule `rule` over bytes `start..end` of line `line`, with
    /// nothing read from it.
    pub(super) fn plain(rule: usize, line: usize, start: usize, end: usize) -> Match {
        Match {
            rule,
            line,
            end_line: line,
            start,
            end,
            level: None,
            struck: false,
            page: None,
            fields: Vec::new(),
            replacement: None,
            fuzzy: None,
        }
    }
}

/// Removes matches lying inside another match of the same category on the
/// same line (of two matches of one span, the earlier is kept). Sorted by
/// start, then longest first: a match lies inside an earlier one exactly
/// when an earlier one of its category reaches as far; linear after the sort,
/// however many matches a long line has.
pub(super) fn drop_nested(line_matches: &mut Vec<Match>, rules: &RuleSet) {
    if line_matches.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..line_matches.len()).collect();
    order.sort_by_key(|&i| {
        let m = &line_matches[i];
        (
            rules.get(m.rule).category,
            m.start,
            std::cmp::Reverse(m.end),
            i,
        )
    });
    let mut keep = vec![true; line_matches.len()];
    let mut reach: Option<(crate::model::Category, usize)> = None;
    for i in order {
        let m = &line_matches[i];
        let category = rules.get(m.rule).category;
        match reach {
            Some((c, end)) if c == category && m.end <= end => keep[i] = false,
            Some((c, end)) if c == category => reach = Some((c, end.max(m.end))),
            _ => reach = Some((category, m.end)),
        }
    }
    let mut flags = keep.into_iter();
    line_matches.retain(|_| flags.next().unwrap_or(true));
}
