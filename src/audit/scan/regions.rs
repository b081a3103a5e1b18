//! Region rules (`until`): a region starts on a line the rule's pattern
//! matches and ends on the first line matching `until` within reach.

use super::found::{drop_nested, Match};
use crate::audit::decode::Document;
use crate::diagnostic::LineMask;
use crate::model::RuleAction;
use crate::rules::{Rule, RuleSet};

/// A line's text by its index: as written, or as repaired.
pub(super) type LineText<'a> = &'a dyn Fn(usize) -> &'a str;

/// The regions that start at `starts`, or on a line of `repaired` (line →
/// text) that a region rule's pattern matches once repaired, and are not
/// among `matches`, found with the lines `removed` marks gone and the lines
/// of `repaired` read as repaired (see [`super::late_regions`]).
pub(super) fn late(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    starts: &[(usize, usize)],
    removed: &LineMask,
    repaired: &crate::audit::decode::ByLine<String>,
) -> Vec<Match> {
    let found: std::collections::HashSet<(usize, usize)> = matches
        .iter()
        .filter(|m| rules.get(m.rule()).until.is_some())
        .map(|m| (m.rule(), m.line()))
        .collect();
    let mut removed = removed.clone();
    for m in matches {
        if rules.get(m.rule()).until.is_some() {
            removed.mark(m.line()..=m.end_line());
        }
    }
    let revealed = repaired.iter().flat_map(|(&line, text)| {
        rules
            .rules()
            .iter()
            .enumerate()
            .filter(|(_, rule)| rule.until.is_some() && region_starts(rule, text))
            .map(move |(i, _)| (i, line))
    });
    let mut open: Vec<(usize, usize)> = starts
        .iter()
        .copied()
        .chain(revealed)
        .filter(|&(rule, line)| !found.contains(&(rule, line)) && !removed[line])
        .collect();
    open.sort_by_key(|&(rule, line)| (line, rule));
    open.dedup();
    let text = |j: usize| repaired.get(&j).map_or(doc.line(j), String::as_str);
    find_regions(doc, rules, &open, &removed, &text)
}

/// The lines that a line rule's match removes whole.
pub(super) fn whole_line_removals(doc: &Document, rules: &RuleSet, matches: &[Match]) -> LineMask {
    let mut removed = LineMask::new(doc.len());
    for m in matches {
        let rule = rules.get(m.rule());
        if rule.action == RuleAction::RemoveLine
            && m.start() == 0
            && m.end() == doc.line(m.line()).len()
        {
            removed.set(m.line(), true);
        }
    }
    removed
}

/// The regions that start at `starts` (rule, line). A region's window
/// (`max-lines`) and its distance from the top (`within-first-lines`) count
/// the lines that stay in the text: not blank, with a letter or digit, not
/// `removed` and in no region found before — so that the region is found
/// the same when the cleaned text, without those lines, is audited again.
pub(super) fn find_regions(
    doc: &Document,
    rules: &RuleSet,
    starts: &[(usize, usize)],
    removed: &LineMask,
    text: LineText,
) -> Vec<Match> {
    // Regions are found in order; the lines of one found no longer stay,
    // for the ones after it (`within-first-lines` counts the lines that
    // stay above a region's start, as the cleaned text will have them).
    let mut in_region = LineMask::new(doc.len());
    let (mut above, mut counted) = (0, 0);
    let mut regions: Vec<Match> = Vec::new();
    for &(rule_index, index) in starts {
        let rule = rules.get(rule_index);
        let stays =
            |j: usize| !removed[j] && !in_region[j] && text(j).chars().any(char::is_alphanumeric);
        while above < index {
            counted += usize::from(stays(above));
            above += 1;
        }
        if rule.within_first_lines.is_some_and(|top| counted >= top) {
            continue;
        }
        if let Some(region) = region_match(doc, rule, rule_index, index, &stays, text) {
            in_region.mark(region.line()..=region.end_line());
            regions.push(region);
        }
    }
    regions
}

/// Adds `regions` to the line matches, each line's matches in rule order
/// again.
pub(super) fn merge_regions(
    rules: &RuleSet,
    matches: Vec<Match>,
    regions: Vec<Match>,
) -> Vec<Match> {
    if regions.is_empty() {
        return matches;
    }
    let mut out = Vec::with_capacity(matches.len() + regions.len());
    let mut rest = matches.into_iter().peekable();
    let mut regions = regions.into_iter().peekable();
    let mut line_matches = Vec::new();
    while let Some(region) = regions.next() {
        let line = region.line();
        out.extend(std::iter::from_fn(|| rest.next_if(|m| m.line() < line)));
        line_matches.clear();
        line_matches.push(region);
        line_matches.extend(std::iter::from_fn(|| regions.next_if(|m| m.line() == line)));
        line_matches.extend(std::iter::from_fn(|| rest.next_if(|m| m.line() == line)));
        line_matches.sort_by_key(|m| (m.rule(), m.start()));
        drop_nested(&mut line_matches, rules);
        out.append(&mut line_matches);
    }
    out.extend(rest);
    out
}

/// A region rule's match starting on line `index`: up to the first line
/// that matches `until` within reach, when the region holds what it must.
/// Whether a region rule's region may start on line `index`.
pub(super) fn region_starts(rule: &Rule, text: &str) -> bool {
    rule.regex.is_match(text)
}

/// The region of `rule` that starts on line `index`: it ends on the first
/// line matching `until` within `max-lines` of the lines that `stays`
/// counts.
fn region_match(
    doc: &Document,
    rule: &Rule,
    rule_index: usize,
    index: usize,
    stays: &impl Fn(usize) -> bool,
    line: LineText,
) -> Option<Match> {
    let (until, max_lines) = rule.until.as_ref()?;
    let mut counted = 0;
    let end = (index + 1..doc.len())
        .take_while(|&j| {
            let within = counted < *max_lines;
            counted += usize::from(stays(j));
            within
        })
        .find(|&j| until.is_match(line(j)));
    let holds = |end_line: usize| {
        rule.must_contain
            .as_ref()
            .is_none_or(|must| (index..=end_line).any(|j| must.is_match(line(j))))
    };
    // A line too long for the region is prose: no region takes it (lines
    // that do not stay, removed by other rules, are not looked at).
    let short = |end_line: usize| {
        rule.max_line_chars.is_none_or(|most| {
            (index..=end_line)
                .filter(|&j| j == index || stays(j))
                .all(|j| line(j).chars().count() <= most)
        })
    };
    let end_line = end.filter(|&e| holds(e) && short(e))?;
    Some(Match::plain(rule_index, index, 0, doc.line(index).len()).through(end_line))
}
