//! Words split at a line end mended late — across the lines the page
//! structure and the confirmation removed, across the joins, or as the
//! words other mendings made decide them — and what each mending changes
//! judged again: the rest of the line its tail left, and the lines that
//! leant on a word it took, as the cleaned text audited again judges them.

use crate::audit::decided::Decided;
use crate::audit::decode::Document;
use crate::audit::hyphenation;
use crate::audit::leftovers;
use crate::audit::matches;
use crate::audit::options::AuditOptions;
use crate::audit::recount;
use crate::audit::scan;
use crate::audit::words::DocumentWords;
use crate::diagnostic::{mark_removed, Edit, LineMask, Position, Proposal};
use crate::rules::{Check, RuleSet};
use std::collections::HashSet;

/// What a mending left of a line, judged garbage too uncertainly to remove
/// as it stands, is held and confirmed where it stands in a broken
/// sentence, as the confirmation took the others (`removed` gains it). The
/// mending moved a word's tail onto its head's line: the words are counted
/// again, and a line that leant on a word it took (`ntern`, used once more
/// only in the tail) is judged again, as the cleaned text audited again
/// judges it.
pub fn confirm_mended<'d>(
    doc: &Document,
    rules: &RuleSet,
    decided: &mut Decided,
    removed: &mut LineMask,
    (scanned, flagged): (&scan::Scanned, &LineMask),
    words: DocumentWords<'d>,
    options: &AuditOptions,
) -> DocumentWords<'d> {
    let explained = matches::explained(doc.len(), &scanned.matches);
    let words = recount_and_judge(doc, rules, decided, removed, &explained, words, options);
    if decided.holds() {
        let (now, _) = decided.confirm(doc, rules, removed.clone(), flagged, &words, options);
        *removed = now;
    }
    words
}

/// The words counted again without the lines removed since (`after`) and
/// with the lines rewritten since (see [`recount`]); the lines that leant
/// on a word they took are judged again, and garbage so judged is held for
/// confirmation (a line only reported beside a garbled line too).
pub fn recount_and_judge<'d>(
    doc: &Document,
    rules: &RuleSet,
    decided: &mut Decided,
    after: &LineMask,
    explained: &LineMask,
    words: DocumentWords<'d>,
    options: &AuditOptions,
) -> DocumentWords<'d> {
    let (judged, only_reported) = decided.verdicts();
    let lines = recount::Lines {
        after,
        explained,
        judged: &judged,
        edits: &decided.edits,
    };
    let (words, garbage) = recount::recount(doc, rules, words, &lines);
    decided.take_verdicts_again(garbage, &only_reported, options);
    words
}

/// The lines whose split word was mended already.
pub fn mended(decided: &Decided) -> HashSet<usize> {
    decided.splits(true).collect()
}

/// Words split at a line end whose parts the confirmed removals bring
/// together (see [`hyphenation::hyphenation_across_removals`]) are mended, and
/// what the mending leaves of the next line is judged again (a line left
/// as marks goes). Returns whether anything was mended.
pub fn mend_across_removals(
    doc: &Document,
    rules: &RuleSet,
    decided: &mut Decided,
    removed: &mut LineMask,
    removed_before: &LineMask,
    words: &DocumentWords,
    options: &AuditOptions,
) -> bool {
    if removed == removed_before {
        return false;
    }
    // A split already mended stays so; one left as it was (not sure
    // enough) is read again when the line after it went.
    let proposals = hyphenation::hyphenation_across_removals(
        doc,
        rules,
        removed,
        removed_before,
        &mended(decided),
        words,
    );
    take_mending(doc, rules, decided, removed, words, options, proposals)
}

/// Takes the mending of words split at a line end (`proposals`), each
/// replacing what was said of its split before, and judges again what the
/// mending leaves of the next line (a line left as marks goes). Returns
/// whether anything was mended (a split only reported changes nothing).
pub fn take_mending(
    doc: &Document,
    rules: &RuleSet,
    decided: &mut Decided,
    removed: &mut LineMask,
    words: &DocumentWords,
    options: &AuditOptions,
    proposals: Vec<Proposal>,
) -> bool {
    if proposals.is_empty() {
        return false;
    }
    let hyphenation = Check::BrokenHyphenation.id();
    // What is said of a split read again replaces what was said of it.
    let again: HashSet<Position> = proposals.iter().map(|p| p.finding.line).collect();
    decided
        .findings
        .retain(|f| f.rule != hyphenation || !again.contains(&f.line));
    let before = decided.edits.len();
    decided.take(proposals, options);
    if decided.edits.len() == before {
        return false;
    }
    let touched: HashSet<usize> = decided.edits[before..]
        .iter()
        .filter_map(Edit::changed_line)
        .collect();
    let on_touched: Vec<Edit> = decided
        .edits
        .iter()
        .filter(|e| e.changed_line().is_some_and(|line| touched.contains(&line)))
        .cloned()
        .collect();
    let judged = decided.judged_garbage();
    let (leftovers, blanked) =
        leftovers::leftovers(doc, rules, &on_touched, removed, &judged, words);
    decided.take_or_hold(leftovers, options);
    decided.edits.extend(blanked);
    mark_removed(removed, &decided.edits[before..]);
    true
}
