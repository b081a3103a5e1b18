//! Debris beside garbage: OCR of a scan's margin or of a stamp's smudge
//! comes as a run of short lines, some of which read as letters by chance
//! (`we RE`, `C; 5`). A short line of letter fragments whose neighbour (the
//! nearest line with text above or below) was judged garbage is part of the
//! run, and flagged with it.

use crate::audit::decode::{is_blank, Document};
use crate::audit::garbage::{reads_as_text, TRIM};
use crate::audit::text::has_chars;
use crate::audit::words::DocumentWords;
use crate::diagnostic::LineMask;
use crate::rules::RuleSet;
use std::collections::BTreeSet;

/// The longest line (in visible characters) taken as debris.
pub const DEBRIS_MAX_CHARS: usize = 12;

/// Whether a line is short, has a letter, and no token of three
/// characters or more that reads as text (a word, a number, a date, a code,
/// an acronym, a name): letter fragments (`we RE`, `C; 5`), not a
/// distribution list (`NSA`), a page number or a date.
fn may_be_debris(text: &str, rules: &RuleSet, words: &DocumentWords) -> bool {
    let visible = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(DEBRIS_MAX_CHARS + 1)
        .count();
    visible <= DEBRIS_MAX_CHARS
        && text.chars().any(char::is_alphabetic)
        && !text.split_whitespace().any(|token| {
            // A form's label (`TO:`) is text however short.
            let long = has_chars(token.trim_matches(TRIM), 3) || token.ends_with(':');
            long && reads_as_text(token, rules.lexicon(), words.counts()) == Some(true)
        })
}

/// The lines (not removed, not explained by a rule, not in `garbage`) that
/// are debris beside the lines of `garbage`, found down the document and
/// then up it, each found line counting as garbage for the next.
pub fn beside_garbage(
    doc: &Document,
    rules: &RuleSet,
    removed: &LineMask,
    explained: &LineMask,
    garbage: &BTreeSet<usize>,
    words: &DocumentWords,
) -> BTreeSet<usize> {
    let mut found = BTreeSet::new();
    let candidate = |i: usize| {
        !removed[i]
            && !explained[i]
            && !is_blank(doc.line(i))
            && may_be_debris(doc.line(i), rules, words)
    };
    let mut last: Option<usize> = None;
    for i in 0..doc.len() {
        if is_blank(doc.line(i)) {
            continue;
        }
        if !garbage.contains(&i) && last.is_some_and(|l| garbage.contains(&l)) && candidate(i) {
            found.insert(i);
        }
        last = Some(i);
    }
    let mut next: Option<usize> = None;
    for i in (0..doc.len()).rev() {
        if is_blank(doc.line(i)) {
            continue;
        }
        if !garbage.contains(&i) && next.is_some_and(|n| garbage.contains(&n)) && candidate(i) {
            found.insert(i);
        }
        next = Some(i);
    }
    found
}
