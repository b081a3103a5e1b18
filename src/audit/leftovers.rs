//! What in-line changes leave of a line, read again as the cleaned text
//! will be read when it is audited again: a line they leave blank goes
//! (with the rule of the change), a line a rule removes whole or a sure
//! garbage verdict goes, a line left with no text (marks alone, a lone
//! fragment: what the cleaning removes) goes with the rule of the change,
//! an uncertain verdict is proposed as the repair
//! stage would propose it, and matches inside the line that the changes
//! reveal (a stamp a control character hid) and mojibake they reveal are
//! edited on the line as written through the map of the changes; what
//! those leave of the line is read once more, and goes if a rule removes
//! it whole (a release line the mojibake hid).

use crate::audit::decode::{is_blank, Document};
use crate::audit::garbage;
use crate::audit::matches;
use crate::audit::repair;
use crate::audit::scan;
use crate::audit::spans::{repaired_with_map, span_edits_by_line, SpanMap};
use crate::audit::words::DocumentWords;
use crate::diagnostic::{mark_removed, Change, Edit, Finding, LineMask, Proposal};
use crate::model::Confidence;
use crate::rules::{Check, RuleSet};
use std::borrow::Borrow;
use std::collections::HashSet;

/// Proposals for the lines that `edits` (span edits) change and no edit
/// removes, and removals of the lines they leave blank. `judged` holds the
/// lines already judged as garbage.
pub fn leftovers(
    doc: &Document,
    rules: &RuleSet,
    edits: &[Edit],
    removed: &LineMask,
    judged: &HashSet<usize>,
    words: &DocumentWords,
) -> (Vec<Proposal>, Vec<Edit>) {
    // The lines `edits` remove whole go: what their changes inside leave
    // is not read (a mojibake bullet judged marks as repaired is judged
    // once).
    let mut removed = removed.clone();
    mark_removed(&mut removed, edits);
    // The span edits of each line, gathered in one pass (linear however
    // many lines have changes), each line once.
    let by_line = span_edits_by_line(edits, |line| !removed[line]);
    let mut proposals = Vec::new();
    let mut blanked = Vec::new();
    for (line, edits) in by_line {
        let text = doc.line(line);
        let Some((repaired, map)) = repaired_with_map(text, line, &edits) else {
            continue;
        };
        if is_blank(&repaired) {
            if !is_blank(text) {
                blanked.extend(removal_by_first_rule(&edits, line));
            }
            continue;
        }
        // The repaired line judged once, for the sure and the uncertain
        // verdict alike.
        let verdict =
            repair::garbage_verdict(&repaired, rules, || words.vocabulary(), || words.counts());
        if let Some(finding) = removed_whole(text, line, &repaired, rules, &verdict) {
            let edit = Edit::remove_lines(&finding.rule.clone(), line, line);
            proposals.push(Proposal::with_edits(finding, vec![edit]));
            continue;
        }
        // Left with no text (marks alone, a lone fragment) and no verdict
        // sure enough to say so: the cleaning removes such a line with the
        // rule of its first change, so it goes now, as the page structure
        // and the confirmation will read the cleaned text.
        if left_no_text(&repaired, rules, words) {
            blanked.extend(removal_by_first_rule(&edits, line));
            continue;
        }
        if !judged.contains(&line) {
            proposals.extend(verdict.and_then(|v| uncertain_garbage(text, line, &repaired, v)));
        }
        let revealed = revealed_inside(doc, rules, line, &repaired, &map);
        // What the revealed matches leave of the line is read again (a
        // struck stamp with control characters inside, once removed, may
        // leave marks alone).
        let changes = edits.len();
        let mut all: Vec<Edit> = edits.into_iter().cloned().collect();
        all.extend(revealed.iter().flat_map(|p| p.edits.iter().cloned()));
        proposals.extend(revealed);
        let mut blank = false;
        if all.len() > changes {
            match removal_once_made(text, line, &all, rules, words) {
                Some(Removal::Blanked(edit)) => {
                    blanked.push(edit);
                    blank = true;
                }
                Some(Removal::Whole(proposal)) => {
                    proposals.push(proposal);
                    continue;
                }
                None => {}
            }
        }
        // Mojibake that the repairs reveal (a control character inside
        // `â€”`), repaired on the line as written; what the line reads as
        // once that is repaired too is read again (a stamp the mojibake
        // hid goes whole).
        let original = |start, end| map.original(start, end);
        let before = proposals.len();
        repair::mojibake_in(doc, rules, line, &repaired, &original, &mut proposals);
        if blank || proposals.len() == before {
            continue;
        }
        all.extend(
            proposals[before..]
                .iter()
                .flat_map(|p| p.edits.iter().cloned()),
        );
        match removal_once_made(text, line, &all, rules, words) {
            Some(Removal::Blanked(edit)) => blanked.push(edit),
            Some(Removal::Whole(proposal)) => proposals.push(proposal),
            None => {}
        }
    }
    (proposals, blanked)
}

/// How a line goes once all its changes are made.
enum Removal {
    /// They leave it blank: removed with the rule of its first change.
    Blanked(Edit),
    /// A rule removes what they leave whole, or a sure garbage verdict.
    Whole(Proposal),
}

/// Whether `line` (written `text`) goes once `all` its changes are made.
fn removal_once_made(
    text: &str,
    line: usize,
    all: &[Edit],
    rules: &RuleSet,
    words: &DocumentWords,
) -> Option<Removal> {
    let (again, _) = repaired_with_map(text, line, all)?;
    if is_blank(&again) {
        return removal_by_first_rule(all, line).map(Removal::Blanked);
    }
    let verdict = repair::garbage_verdict(&again, rules, || words.vocabulary(), || words.counts());
    let finding = removed_whole(text, line, &again, rules, &verdict)?;
    let edit = Edit::remove_lines(&finding.rule.clone(), line, line);
    Some(Removal::Whole(Proposal::with_edits(finding, vec![edit])))
}

/// Whether what changes inside a line leave of it is no text: the
/// cleaning's own test of a leftover (marks alone, or a lone fragment).
fn left_no_text(repaired: &str, rules: &RuleSet, words: &DocumentWords) -> bool {
    matches!(
        garbage::judge(repaired, rules.lexicon(), words.counts()),
        Some(garbage::Garbage::Marks | garbage::Garbage::Fragment)
    )
}

/// The removal of `line` with the rule of its first change.
fn removal_by_first_rule<E: Borrow<Edit>>(edits: &[E], line: usize) -> Option<Edit> {
    edits
        .iter()
        .map(Borrow::borrow)
        .filter_map(|e| match &e.change {
            Change::Span(span) if span.line == line => Some((span.start, &*e.rule)),
            _ => None,
        })
        .min_by_key(|(start, _)| *start)
        .map(|(_, rule)| Edit::remove_lines(rule, line, line))
}

/// The finding of a rule that removes the repaired line whole, or of a sure
/// garbage verdict on it.
fn removed_whole(
    text: &str,
    line: usize,
    repaired: &str,
    rules: &RuleSet,
    verdict: &Option<(Confidence, String)>,
) -> Option<Finding> {
    if let Some(&i) = scan::line_removals(repaired, rules).first() {
        let rule = rules.get(i);
        return Some(Finding::new(
            &rule.id,
            rule.category,
            rule.severity,
            line + 1,
            text,
            format!(
                "{} (what is left once the line's repairs are made: {repaired:?})",
                rule.message
            ),
        ));
    }
    match verdict {
        Some((Confidence::High, message)) => {
            let mut finding = Check::GarbageLine.finding(
                line + 1,
                text,
                format!("{message} (once the line's repairs are made: {repaired:?})"),
            );
            finding.confidence = Some(Confidence::High);
            Some(finding)
        }
        _ => None,
    }
}

/// An uncertain garbage verdict on the repaired line, proposed as the repair
/// stage will propose it when the cleaned text is audited again.
fn uncertain_garbage(
    text: &str,
    line: usize,
    repaired: &str,
    (confidence, message): (Confidence, String),
) -> Option<Proposal> {
    let mut finding = Check::GarbageLine.finding(
        line + 1,
        text,
        format!("{message} (once the line's repairs are made: {repaired:?})"),
    );
    finding.confidence = Some(confidence);
    let change = Change::remove_lines(line, line);
    let edit = Edit::repair(Check::GarbageLine.id(), confidence, change);
    Some(Proposal::with_edits(finding, vec![edit]))
}

/// The matches inside the repaired line of rules that remove or replace a
/// match, mapped back to the line as written.
fn revealed_inside(
    doc: &Document,
    rules: &RuleSet,
    line: usize,
    repaired: &str,
    map: &SpanMap,
) -> Vec<Proposal> {
    let mut revealed: Vec<scan::Match> = scan::span_matches(repaired, rules)
        .into_iter()
        .map(|m| {
            let (start, end) = map.original(m.start(), m.end());
            m.moved(line, start, end)
        })
        .collect();
    matches::proposals(doc, rules, &mut revealed).collect()
}

#[cfg(test)]
mod tests {
    use crate::audit::audited_with_builtin_rules;

    fn cleaned(text: &str) -> String {
        let audit = audited_with_builtin_rules(text);
        String::from_utf8(audit.cleaned().unwrap()).unwrap()
    }

    /// Control characters inside mojibake (`Â…©`) hide both the mojibake
    /// and the garbled CREST release line it stands in: once they go, the
    /// mojibake is repaired, and what is left is the release line, which
    /// goes whole (as a second audit of the cleaned text finds it).
    #[test]
    fn a_stamp_that_mojibake_behind_control_characters_hid_goes_whole() {
        let prose = "The flying saucer advocates claim that the scientific viewpoint is nonsense.";
        let stamp =
            "Approved For Release ^N^\u{c2}\u{5}\u{5}\u{a9}EWTO P80 - 00630A000200050001 - 3";
        let text =
            format!("{prose}\n\n{stamp}\n\nAmong the ideas to have emerged from the review.\n");
        let once = cleaned(&text);
        assert!(!once.contains("Approved"), "{once}");
        assert_eq!(cleaned(&once), once);
    }

    /// A struck stamp glued to a row of daggers goes, leaving the daggers,
    /// which the cleaning removes as no text: they go at once, so the
    /// garbled line after them stands between two parts of one sentence
    /// in the first audit, as in the second (the audit fuzzer's find,
    /// session 14).
    #[test]
    fn marks_a_removal_inside_a_line_leaves_go_before_the_page_structure() {
        let prose = "THAT THE REPLY TO OUR NOTE OF THE FOURTH WOULD BE DELIVERED WITHIN";
        let daggers = "\u{2020}".repeat(77);
        let text = format!("{prose}\n{daggers}~~SECRET~~\nSND WAS\"TOLD\n{prose}\n");
        let once = cleaned(&text);
        assert_eq!(once, format!("{prose}\n{prose}\n"));
        assert_eq!(cleaned(&once), once);
    }
}
