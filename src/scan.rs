//! Scan stage: every line rule over every line, in one pass.
//!
//! For each line the rule set's [`regex::RegexSet`] says which rules match;
//! only those rules are then run on the line to find their spans (and capture
//! groups where a rule needs them). Region rules (`until`) look ahead for the
//! line that ends their region.

use crate::decode::Document;
use crate::model::{Field, Level, RuleAction};
use crate::rules::{RuleSet, LEVEL_GROUP, PAGE_GROUP, STRUCK_GROUP};

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
}

/// Finds every rule match in the document, ordered by line, then by rule
/// order, then by position. Of two matches of one category on one line where
/// one lies inside the other, only the outer one is kept: one stamp, one match.
pub fn scan(doc: &Document, rules: &RuleSet) -> Vec<Match> {
    let mut matches = Vec::new();
    let mut line_matches = Vec::new();
    for index in 0..doc.len() {
        let text = doc.line(index);
        line_matches.clear();
        for rule_index in rules.set().matches(text).iter() {
            let rule = rules.get(rule_index);
            if let Some((until, max_lines)) = &rule.until {
                if !rule.regex.is_match(text) {
                    continue;
                }
                let last = (index + *max_lines).min(doc.len().saturating_sub(1));
                if let Some(end_line) = (index + 1..=last).find(|&j| until.is_match(doc.line(j))) {
                    line_matches.push(Match {
                        rule: rule_index,
                        line: index,
                        end_line,
                        start: 0,
                        end: text.len(),
                        level: None,
                        struck: false,
                        page: None,
                        fields: Vec::new(),
                        replacement: None,
                    });
                }
            } else if rule.needs_captures() {
                for caps in rule.regex.captures_iter(text) {
                    let Some(whole) = caps.get(0).filter(|m| !m.is_empty()) else {
                        continue;
                    };
                    let replacement = match (&rule.action, &rule.replacement) {
                        (RuleAction::Replace, Some(template)) => {
                            let mut out = String::new();
                            caps.expand(template, &mut out);
                            Some(out)
                        }
                        _ => None,
                    };
                    line_matches.push(Match {
                        rule: rule_index,
                        line: index,
                        end_line: index,
                        start: whole.start(),
                        end: whole.end(),
                        level: caps
                            .name(LEVEL_GROUP)
                            .and_then(|m| Level::from_marking(m.as_str())),
                        struck: caps.name(STRUCK_GROUP).is_some(),
                        page: caps.name(PAGE_GROUP).and_then(|m| m.as_str().parse().ok()),
                        fields: rule
                            .fields
                            .iter()
                            .filter_map(|&f| caps.name(f.as_str()).map(|m| (f, m.start(), m.end())))
                            .filter(|&(_, start, end)| end > start)
                            .collect(),
                        replacement,
                    });
                }
            } else {
                for m in rule.regex.find_iter(text).filter(|m| !m.is_empty()) {
                    line_matches.push(Match {
                        rule: rule_index,
                        line: index,
                        end_line: index,
                        start: m.start(),
                        end: m.end(),
                        level: None,
                        struck: false,
                        page: None,
                        fields: Vec::new(),
                        replacement: None,
                    });
                }
            }
        }
        drop_nested(&mut line_matches, rules);
        matches.append(&mut line_matches);
    }
    matches
}

/// Removes matches lying inside another match of the same category on the
/// same line (the set is small: a handful of matches per line at most).
fn drop_nested(line_matches: &mut Vec<Match>, rules: &RuleSet) {
    if line_matches.len() < 2 {
        return;
    }
    let keep: Vec<bool> = line_matches
        .iter()
        .enumerate()
        .map(|(i, m)| {
            !line_matches.iter().enumerate().any(|(j, other)| {
                j != i
                    && rules.get(other.rule).category == rules.get(m.rule).category
                    && other.start <= m.start
                    && m.end <= other.end
                    && (other.end - other.start > m.end - m.start || j < i)
            })
        })
        .collect();
    let mut flags = keep.into_iter();
    line_matches.retain(|_| flags.next().unwrap_or(true));
}
