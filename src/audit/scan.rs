//! Scan stage: every line rule over every line, in one pass.
//!
//! For each line the rule set's [`regex::RegexSet`] says which rules match;
//! only those rules are then run on the line to find their spans (and capture
//! groups where a rule needs them). Region rules (`until`) look ahead for the
//! line that ends their region.

use crate::audit::decode::Document;
use crate::model::{Field, Level, RuleAction};
use crate::rules::rule::FuzzyWord;
use crate::rules::vocabulary::Vocabulary;
use crate::rules::{Rule, RuleSet, LEVEL_GROUP, PAGE_GROUP, STRUCK_GROUP};

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

/// Lines longer than this are not compared with marking words.
pub const FUZZY_MAX_CHARS: usize = 40;

/// How many edits a garbled reading of a marking word of `letters` letters
/// may be from it: none below six letters, one to seven, two to eleven,
/// three to fifteen, and a fifth of the letters beyond.
fn allowed_edits(letters: usize) -> usize {
    match letters {
        0..=5 => 0,
        6..=7 => 1,
        8..=11 => 2,
        12..=15 => 3,
        n => n / 5,
    }
}

/// The marking word a garbled short line stands for, with the distance.
/// `line` is the line's letters without white space (OCR splits and merges
/// words), `length` its length in characters.
fn fuzzy_word<'a>(
    line: &str,
    length: usize,
    words: &'a [FuzzyWord],
) -> Option<(&'a String, usize)> {
    words
        .iter()
        .filter_map(|w| {
            let allowed = allowed_edits(w.letters);
            // The edits are at least the difference in length.
            if length.abs_diff(w.length) > allowed {
                return None;
            }
            let d = strsim::levenshtein(line, &w.key);
            (d <= allowed).then_some((&w.word, d))
        })
        .min_by_key(|&(_, d)| d)
}

/// Finds every rule match in the document, ordered by line, then by rule
/// order, then by position. Of two matches of one category on one line where
/// one lies inside the other, only the outer one is kept: one stamp, one match.
/// The first match of a `keep-first` rule is no match: the document's own.
pub fn scan(doc: &Document, rules: &RuleSet) -> Vec<Match> {
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
        line_matches.retain(|m| !rules.get(m.rule).keep_first || !met.insert(m.rule));
        matches.append(&mut line_matches);
    }
    if starts.is_empty() {
        return matches;
    }
    resolve_regions(doc, rules, matches, &starts)
}

/// Adds the regions that start at `starts` (rule, line) to the line
/// matches, each line's matches in rule order again. A region's window
/// (`max-lines`) and its distance from the top (`within-first-lines`) count
/// the lines that stay in the text: not blank, with a letter or digit,
/// removed by no line rule and in no region found before — so that the
/// region is found the same when the cleaned text, without those lines, is
/// audited again.
fn resolve_regions(
    doc: &Document,
    rules: &RuleSet,
    matches: Vec<Match>,
    starts: &[(usize, usize)],
) -> Vec<Match> {
    let mut removed = vec![false; doc.len()];
    for m in &matches {
        let rule = rules.get(m.rule);
        if rule.action == RuleAction::RemoveLine && m.start == 0 && m.end == doc.line(m.line).len()
        {
            removed[m.line] = true;
        }
    }
    // Regions are found in order; the lines of one found no longer stay,
    // for the ones after it (`within-first-lines` counts the lines that
    // stay above a region's start, as the cleaned text will have them).
    let mut in_region = vec![false; doc.len()];
    let (mut above, mut counted) = (0, 0);
    let mut regions: Vec<Match> = Vec::new();
    for &(rule_index, index) in starts {
        let rule = rules.get(rule_index);
        let stays = |j: usize| {
            !removed[j] && !in_region[j] && doc.line(j).chars().any(char::is_alphanumeric)
        };
        while above < index {
            counted += usize::from(stays(above));
            above += 1;
        }
        if rule.within_first_lines.is_some_and(|top| counted >= top) {
            continue;
        }
        if let Some(region) = region_match(doc, rule, rule_index, index, &stays) {
            in_region[region.line..=region.end_line].fill(true);
            regions.push(region);
        }
    }
    if regions.is_empty() {
        return matches;
    }
    let mut out = Vec::with_capacity(matches.len() + regions.len());
    let mut rest = matches.into_iter().peekable();
    let mut regions = regions.into_iter().peekable();
    let mut line_matches = Vec::new();
    while let Some(region) = regions.next() {
        let line = region.line;
        out.extend(std::iter::from_fn(|| rest.next_if(|m| m.line < line)));
        line_matches.clear();
        line_matches.push(region);
        line_matches.extend(std::iter::from_fn(|| regions.next_if(|m| m.line == line)));
        line_matches.extend(std::iter::from_fn(|| rest.next_if(|m| m.line == line)));
        line_matches.sort_by_key(|m| (m.rule, m.start));
        drop_nested(&mut line_matches, rules);
        out.append(&mut line_matches);
    }
    out.extend(rest);
    out
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
    fuzzy.iter().map(|m| m.rule).filter(removes).collect()
}

impl Match {
    /// A match of rule `rule` over bytes `start..end` of line `line`, with
    /// nothing read from it.
    fn plain(rule: usize, line: usize, start: usize, end: usize) -> Match {
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

/// A region rule's match starting on line `index`: up to the first line
/// that matches `until` within reach, when the region holds what it must.
/// Whether a region rule's region may start on line `index`.
fn region_starts(rule: &Rule, text: &str) -> bool {
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
) -> Option<Match> {
    let (until, max_lines) = rule.until.as_ref()?;
    let text = doc.line(index);
    let mut counted = 0;
    let end = (index + 1..doc.len())
        .take_while(|&j| {
            let within = counted < *max_lines;
            counted += usize::from(stays(j));
            within
        })
        .find(|&j| until.is_match(doc.line(j)));
    let holds = |end_line: usize| {
        rule.must_contain
            .as_ref()
            .is_none_or(|must| (index..=end_line).any(|j| must.is_match(doc.line(j))))
    };
    let end_line = end.filter(|&e| holds(e))?;
    Some(Match {
        end_line,
        ..Match::plain(rule_index, index, 0, text.len())
    })
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
        out.push(Match {
            level: caps
                .name(LEVEL_GROUP)
                .and_then(|m| vocabulary.level(m.as_str())),
            struck: caps.name(STRUCK_GROUP).is_some(),
            page: caps.name(PAGE_GROUP).and_then(|m| m.as_str().parse().ok()),
            fields: rule
                .fields
                .iter()
                .filter_map(|&f| caps.name(f.as_str()).map(|m| (f, m.start(), m.end())))
                .filter(|&(_, start, end)| end > start)
                .collect(),
            replacement,
            ..Match::plain(rule_index, index, whole.start(), whole.end())
        });
    }
}

/// Whether a line no rule matched is short enough, and not blank, to be
/// read as a garbled marking word.
fn may_be_garbled_marking(text: &str) -> bool {
    !text.trim().is_empty() && text.chars().count() <= FUZZY_MAX_CHARS
}

/// Whether a short line is within `slack` more edits than the scan allows
/// of some rule's marking word (`SCORET`, two edits from SECRET): what a
/// line may be where its place says it is no text.
pub fn near_marking_word(text: &str, rules: &RuleSet, slack: usize) -> bool {
    if !may_be_garbled_marking(text) {
        return false;
    }
    let (letters, _) = rules.vocabulary().marking_letters(text);
    let line: String = letters.chars().filter(|c| !c.is_whitespace()).collect();
    let length = line.chars().count();
    rules.rules().iter().flat_map(|r| &r.fuzzy_words).any(|w| {
        let allowed = allowed_edits(w.letters) + slack;
        length.abs_diff(w.length) <= allowed && strsim::levenshtein(&line, &w.key) <= allowed
    })
}

/// Reads a short line no rule matched as a garbled marking word, through
/// the rules' `fuzzy-words`.
fn fuzzy_matches(index: usize, text: &str, rules: &RuleSet, out: &mut Vec<Match>) {
    let (letters, struck) = rules.vocabulary().marking_letters(text);
    if letters.is_empty() {
        return;
    }
    // A line of real words ("SECRETARY", "Confidently", "Secrets") is no
    // garbled marking; a marking word itself in capitals, with stray marks
    // beside it ("SECRET.", "_ SECRET"), is the marking.
    let words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .all(|w| w.is_empty() || rules.lexicon().contains(w));
    let capitals = !text.chars().any(char::is_lowercase);
    if words && !capitals {
        return;
    }
    let line: String = letters.chars().filter(|c| !c.is_whitespace()).collect();
    let length = line.chars().count();
    // The closest word of any rule; the first rule of equals.
    let best = rules
        .rules()
        .iter()
        .enumerate()
        .filter(|(_, rule)| !rule.fuzzy_words.is_empty())
        .filter_map(|(i, rule)| {
            fuzzy_word(&line, length, &rule.fuzzy_words).map(|(w, d)| (d, i, w))
        })
        .filter(|&(d, _, _)| !words || d == 0)
        .min_by_key(|&(d, i, _)| (d, i));
    if let Some((distance, rule_index, word)) = best {
        let rule = rules.get(rule_index);
        out.push(Match {
            level: rule
                .has_level
                .then(|| {
                    let vocabulary = rules.vocabulary();
                    vocabulary
                        .level(word)
                        .or_else(|| vocabulary.level_prefix(word))
                })
                .flatten(),
            struck: struck && rule.has_struck,
            fuzzy: Some((word.clone(), distance)),
            ..Match::plain(rule_index, index, 0, text.len())
        });
    }
}

/// Removes matches lying inside another match of the same category on the
/// same line (of two matches of one span, the earlier is kept). Sorted by
/// start, then longest first: a match lies inside an earlier one exactly
/// when an earlier one of its category reaches as far; linear after the sort,
/// however many matches a long line has.
fn drop_nested(line_matches: &mut Vec<Match>, rules: &RuleSet) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};

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
                .find(|m| rules.get(m.rule).id == "reading-room-metadata")
                .map(|m| m.end_line)
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
            .filter(|m| rules.get(m.rule).id == "intelligence-report-number")
            .map(|m| m.line)
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
                let (word, distance) = m.fuzzy?;
                Some((word, distance, m.struck, m.level.map(|l| l.0)))
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
