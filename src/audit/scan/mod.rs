//! Scan stage: every line rule over every line, in one pass.
//!
//! For each line the rule set's [`regex::RegexSet`] says which rules match;
//! only those rules are then run on the line to find their spans (and capture
//! groups where a rule needs them). Region rules (`until`) look ahead for the
//! line that ends their region.

mod found;
pub mod fuzzy;
mod regions;

pub use found::Match;
pub use fuzzy::{near_marking_word, FUZZY_MAX_CHARS};

use crate::audit::decode::Document;
use crate::diagnostic::LineMask;
use crate::model::RuleAction;
use crate::rules::vocabulary::Vocabulary;
use crate::rules::{Rule, RuleSet, LEVEL_GROUP, PAGE_GROUP, STRUCK_GROUP};
use found::{drop_nested, Read};
use fuzzy::{fuzzy_matches, may_be_garbled_marking};
use regions::{find_regions, late, merge_regions, region_starts, whole_line_removals};

/// Finds every rule match in the document, ordered by line, then by rule
/// order, then by position. Of two matches of one category on one line where
/// one lies inside the other, only the outer one is kept: one stamp, one match.
/// The first match of a `keep-first` rule is no match: the document's own.
pub fn scan(doc: &Document, rules: &RuleSet) -> Vec<Match> {
    scan_all(doc, rules).matches
}

/// What the scan found: the matches, and the lines where a region rule's
/// pattern matched (rule, line), found or not, for [`late_regions`].
#[derive(Debug, Default)]
pub struct Scanned {
    pub matches: Vec<Match>,
    pub region_starts: Vec<(usize, usize)>,
}

/// As [`scan`], keeping the lines where regions may start.
pub fn scan_all(doc: &Document, rules: &RuleSet) -> Scanned {
    let mut matches = Vec::new();
    let mut line_matches = Vec::new();
    // Rules whose first match is kept as the document's own, once met.
    let mut met = std::collections::HashSet::new();
    // Lines where a region rule's pattern matched: the region is resolved
    // once every line rule has been read (see `resolve_regions`).
    let mut starts: Vec<(usize, usize)> = Vec::new();
    for index in 0..doc.len() {
        let text = doc.line(index);
        line_matches.clear();
        // Most lines match no rule: the one-match test is cheaper than
        // finding every rule that matches.
        let matched = rules
            .set()
            .is_match(text)
            .then(|| rules.set().matches(text));
        for rule_index in matched.iter().flat_map(|m| m.iter()) {
            let rule = rules.get(rule_index);
            if rule.until.is_some() {
                if region_starts(rule, text) {
                    starts.push((rule_index, index));
                }
            } else if rule.needs_captures() {
                captured_matches(
                    rules.vocabulary(),
                    rule,
                    rule_index,
                    index,
                    text,
                    &mut line_matches,
                );
            } else {
                for m in rule.regex.find_iter(text).filter(|m| !m.is_empty()) {
                    line_matches.push(Match::plain(rule_index, index, m.start(), m.end()));
                }
            }
        }
        let region_start = starts.last().is_some_and(|&(_, line)| line == index);
        if line_matches.is_empty() && !region_start && may_be_garbled_marking(text) {
            fuzzy_matches(index, text, rules, &mut line_matches);
        }
        drop_nested(&mut line_matches, rules);
        line_matches.retain(|m| !rules.get(m.rule()).keep_first || !met.insert(m.rule()));
        matches.append(&mut line_matches);
    }
    // The matches are held through most of the audit: the room doubling
    // left goes now (a third of the vector, for a long document).
    matches.shrink_to_fit();
    if starts.is_empty() {
        return Scanned {
            matches,
            region_starts: starts,
        };
    }
    let removed = whole_line_removals(doc, rules, &matches);
    let regions = find_regions(doc, rules, &starts, &removed, &|j| doc.line(j));
    Scanned {
        matches: merge_regions(rules, matches, regions),
        region_starts: starts,
    }
}

/// The regions that a later stage's removals reveal: where the lines a
/// region rule's window counted include lines removed later (learned sheet
/// headers), the region may end within reach once they are gone, as it does
/// when the cleaned text is audited again. `removed` marks every line
/// removed so far; `repaired` holds the lines that changes inside them
/// repair, read as repaired (a control character removed may reveal a
/// region's start or end); regions the scan found are not found again.
pub fn late_regions(
    doc: &Document,
    rules: &RuleSet,
    scanned: &Scanned,
    removed: &LineMask,
    repaired: &crate::audit::decode::ByLine<String>,
) -> Vec<Match> {
    if scanned.region_starts.is_empty() && repaired.is_empty() {
        return Vec::new();
    }
    late(
        doc,
        rules,
        &scanned.matches,
        &scanned.region_starts,
        removed,
        repaired,
    )
}

/// The matches in `text` (one line) of the rules that remove or replace a
/// match inside a line, as the scan finds them: what a line a repair changed
/// holds once repaired (line 0, offsets in `text`).
pub fn span_matches(text: &str, rules: &RuleSet) -> Vec<Match> {
    let mut found = Vec::new();
    if !rules.set().is_match(text) {
        return found;
    }
    for rule_index in rules.set().matches(text).iter() {
        let rule = rules.get(rule_index);
        if rule.until.is_some()
            || !matches!(rule.action, RuleAction::RemoveMatch | RuleAction::Replace)
        {
            continue;
        }
        if rule.needs_captures() {
            captured_matches(rules.vocabulary(), rule, rule_index, 0, text, &mut found);
        } else {
            for m in rule.regex.find_iter(text).filter(|m| !m.is_empty()) {
                found.push(Match::plain(rule_index, 0, m.start(), m.end()));
            }
        }
    }
    drop_nested(&mut found, rules);
    found
}

/// The rules that remove a whole line and match `text` whole (single-line
/// rules only), or read a short line as their garbled marking word, as the
/// scan does: what a line a repair changed reads as once repaired.
pub fn line_removals(text: &str, rules: &RuleSet) -> Vec<usize> {
    let removes = |i: &usize| {
        let rule = rules.get(*i);
        rule.until.is_none() && rule.action == RuleAction::RemoveLine
    };
    // The prefilter's candidates, each confirmed by the rule's own regex.
    let matched: Vec<usize> = rules
        .set()
        .matches(text)
        .iter()
        .filter(|&i| rules.get(i).regex.is_match(text))
        .collect();
    if !matched.is_empty() || !may_be_garbled_marking(text) {
        return matched.into_iter().filter(removes).collect();
    }
    // As the scan reads a short line no rule matched: a garbled marking word.
    let mut fuzzy = Vec::new();
    fuzzy_matches(0, text, rules, &mut fuzzy);
    fuzzy.iter().map(|m| m.rule()).filter(removes).collect()
}

/// The matches of a rule whose capture groups are read: level, struck,
/// printed page, stamp fields, the replacement with its groups expanded.
fn captured_matches(
    vocabulary: &Vocabulary,
    rule: &Rule,
    rule_index: usize,
    index: usize,
    text: &str,
    out: &mut Vec<Match>,
) {
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
        let read = Read {
            level: caps
                .name(LEVEL_GROUP)
                .and_then(|m| vocabulary.level(m.as_str())),
            fields: rule
                .fields
                .iter()
                .filter_map(|&f| caps.name(f.as_str()).map(|m| (f, m.start(), m.end())))
                .filter(|&(_, start, end)| end > start)
                .filter_map(|(f, start, end)| Read::field(f, start, end))
                .collect(),
            replacement: replacement.map(String::into_boxed_str),
            fuzzy: None,
        };
        let mut found = Match::plain(rule_index, index, whole.start(), whole.end());
        found.struck = caps.name(STRUCK_GROUP).is_some();
        found.page = caps.name(PAGE_GROUP).and_then(|m| m.as_str().parse().ok());
        out.push(found.reading(read));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};

    #[test]
    fn a_region_never_takes_a_line_longer_than_its_rule_allows() {
        let rules = RuleSet::builtin().unwrap();
        let group = |middle: &str| {
            let text = format!("GROUP 1\nExcluded from automatic\n{middle}\ndeclassification\n");
            let Decoded::Text(doc) = decode(text.into_bytes()) else {
                unreachable!()
            };
            scan(&doc, &rules)
                .iter()
                .any(|m| rules.get(m.rule()).id == "downgrading-group")
        };
        assert!(group("downgrading and"));
        // A paragraph of prose between the stamp's lines ends the region.
        assert!(!group(
            &"He spoke of the staff and of how it was chosen. ".repeat(3)
        ));
    }

    #[test]
    fn a_region_window_counts_the_lines_that_stay() {
        let rules = RuleSet::builtin().unwrap();
        let region = |filler: &str| {
            let text = format!(
                "Document Type:\nCollection:\n{filler}Release Decision:\nBody:\nThe text of the page.\n"
            );
            let Decoded::Text(doc) = decode(text.into_bytes()) else {
                unreachable!()
            };
            scan(&doc, &rules)
                .iter()
                .find(|m| rules.get(m.rule()).id == "reading-room-metadata")
                .map(|m| m.end_line())
        };
        // Forty blank lines, rows of marks and page numbers leave a short
        // region; forty lines of text do not.
        assert_eq!(region(&"\n---|---|\n- 4 -\n".repeat(40)), Some(123));
        assert_eq!(region(&"Some field: a value\n".repeat(40)), None);
    }

    #[test]
    fn the_first_match_of_a_keep_first_rule_is_the_documents_own() {
        let rules = RuleSet::builtin().unwrap();
        let Decoded::Text(doc) = decode(
            b"REPORT NO.\nTDCS DB-3/655,605\nThe minister left.\nTDCS DB-3/655,605\nHe came back.\nTDCS DB-3/655,605\n"
                .to_vec(),
        ) else {
            unreachable!()
        };
        let lines: Vec<usize> = scan(&doc, &rules)
            .iter()
            .filter(|m| rules.get(m.rule()).id == "intelligence-report-number")
            .map(|m| m.line())
            .collect();
        assert_eq!(lines, [3, 5]);
    }

    #[test]
    fn garbled_marking_words_are_read() {
        let rules = RuleSet::builtin().unwrap();
        let read = |line: &str| {
            let mut out = Vec::new();
            fuzzy_matches(0, line, &rules, &mut out);
            out.pop().and_then(|m| {
                let (word, distance) = m.fuzzy()?;
                Some((
                    word.to_string(),
                    distance,
                    m.struck,
                    m.level().map(|l| l.0.to_string()),
                ))
            })
        };
        let secret = Some("SECRET".to_string());
        assert_eq!(
            read("SECRFT"),
            Some(("SECRET".into(), 1, false, secret.clone()))
        );
        assert_eq!(
            read("T0P SECRET"),
            Some(("TOP SECRET".into(), 0, false, Some("TOP SECRET".into())))
        );
        assert_eq!(
            read("~~C0NFIDENTIAL~~"),
            Some(("CONFIDENTIAL".into(), 0, true, Some("CONFIDENTIAL".into())))
        );
        assert_eq!(read("DECLASSIFTED").map(|r| r.1), Some(1));
        assert_eq!(read("DECLASSI,FIED").map(|r| r.1), Some(0));
        assert_eq!(read("S-E-C-P-E- T").map(|r| r.3), Some(secret.clone()));
        assert_eq!(
            read("SEGREFTANOFORN"),
            Some(("SECRET NOFORN".into(), 3, false, secret))
        );
        assert_eq!(
            read("(When Filled (n)").map(|r| r.0),
            Some("WHEN FILLED IN".into())
        );
        assert_eq!(read("SECRETARY"), None);
        assert_eq!(read("SECOND"), None);
        assert_eq!(read("CONFIDENTLY"), None);
        assert_eq!(read("Confidential talks"), None);
        // The marking word itself in capitals, stray marks beside it, is
        // the marking; a word of prose that spells it is not, nor one an
        // edit away.
        assert_eq!(read("SECRET.").map(|r| r.1), Some(0));
        assert_eq!(read("_ SECRET").map(|r| r.1), Some(0));
        assert_eq!(read("Secret."), None);
        assert_eq!(read("SECRETS"), None);
    }
}
