//! Words counted again once the page structure is known: the repairs, the
//! page structure (sheet headers, page numbers, catchwords) and the regions
//! that reach their end only then remove lines whose words were counted
//! when the repairs judged the other lines. A word used there and once
//! elsewhere read as a word of the document; the cleaned text, audited
//! again, has it once and judges its line garbled (`ci` beside a repeated
//! sheet header that also reads `ci`). So the words are counted again
//! without those lines, and the kept lines that share a word with them are
//! judged again. The same holds of the lines the repairs changed inside
//! after the words were counted: a word split at a line end and mended
//! (`DOCU-` / `MENTS`) is one word of the cleaned text, and its parts no
//! longer count as words used elsewhere.

use crate::audit::decode::Document;
use crate::audit::lookout::Lookout;
use crate::audit::repair::{garbage_line, text_whatever_the_words, verdict_reads_vocabulary};
use crate::audit::spans::{self, SpanMap};
use crate::audit::words::{falls_below_two, word_counts, DocumentWords, WordCounts};
use crate::diagnostic::{Edit, LineMask, Proposal};
use crate::rules::RuleSet;
use std::collections::HashSet;

/// What is known of the lines when the late regions are found.
pub struct Lines<'a> {
    /// Removed once the page structure and the late regions are taken.
    pub after: &'a LineMask,
    /// Read by a rule: judged garbage only when changes inside the line
    /// leave it so (as [`crate::audit::leftovers`] judges it).
    pub explained: &'a LineMask,
    /// Judged garbage already with a verdict that stands (flagged, held or
    /// removed; not a line only reported beside a garbled line).
    pub judged: &'a HashSet<usize>,
    /// The changes made so far (the audit's edits, in the order made: the
    /// same list at every recount): those inside a line since the words
    /// were counted rewrite its words.
    pub edits: &'a [Edit],
}

/// The kept lines that changes inside them now read otherwise than when
/// the words were counted, as they now read: only a line that an edit made
/// since the words last took in the edits touches can (edits are only
/// added, and a line's reading is made of its edits).
fn rewritten(
    doc: &Document,
    words: &DocumentWords,
    lines: &Lines,
) -> Vec<(usize, (String, SpanMap))> {
    let since = lines.edits.get(words.edits_seen()..).unwrap_or_default();
    let touched: HashSet<usize> = since.iter().filter_map(Edit::changed_line).collect();
    if touched.is_empty() {
        return Vec::new();
    }
    spans::span_edits_by_line(lines.edits, |line| {
        touched.contains(&line) && !lines.after[line] && !words.skipped(line)
    })
    .into_iter()
    .filter_map(|(line, edits)| {
        let now = spans::repaired_with_map(doc.line(line), line, &edits)?;
        (now.0 != words.read(line)).then_some((line, now))
    })
    .collect()
}

/// The words `less` and `more` have in common taken from both: what a
/// change of counts takes away and adds, net.
fn net(less: &mut WordCounts, more: &mut WordCounts) {
    for (word, n) in more.iter_mut() {
        if let Some(m) = less.get_mut(word) {
            let common = (*m).min(*n);
            *m -= common;
            *n -= common;
        }
    }
    less.retain(|_, n| *n > 0);
    more.retain(|_, n| *n > 0);
}

/// The words without the lines removed since they were counted and with
/// the lines rewritten since as they now read, and the garbage removals of
/// kept lines that leant on a word those lines no longer have.
pub fn recount<'d>(
    doc: &Document,
    rules: &RuleSet,
    words: DocumentWords<'d>,
    lines: &Lines,
) -> (DocumentWords<'d>, Vec<Proposal>) {
    let gone: LineMask = lines
        .after
        .iter()
        .enumerate()
        .map(|(i, after)| after && !words.skipped(i))
        .collect();
    let rewritten = rewritten(doc, &words, lines);
    let words = words.seeing(lines.edits.len());
    if !gone.any() && rewritten.is_empty() {
        return (words, Vec::new());
    }
    let mut gone_words = word_counts(
        gone.iter()
            .enumerate()
            .filter(|&(_, g)| g)
            .map(|(i, _)| words.read(i))
            .chain(rewritten.iter().map(|(i, _)| words.read(*i))),
    );
    let mut new_words = word_counts(rewritten.iter().map(|(_, (text, _))| text.as_str()));
    net(&mut gone_words, &mut new_words);
    // The repairs judged every kept line with the counts as they were: a
    // verdict reads a word's count only as used twice or not, so only a
    // word that was and no longer is can change one; and the set of words
    // only for a line of marks (see `verdict_reads_vocabulary`). A line
    // with in-line changes was judged as other changes left it: judged
    // again whenever it uses a word that went.
    let crossed: Option<WordCounts> = words.counts_made().map(|before| {
        gone_words
            .iter()
            .filter(|&(word, n)| falls_below_two(before, word, *n))
            .map(|(word, n)| (word.clone(), *n))
            .collect()
    });
    let words = words
        .without(&gone, &gone_words)
        .rewritten(rewritten, &new_words);
    let gone_lookout = Lookout::new(&gone_words);
    let crossed_lookout = crossed.as_ref().map(Lookout::new);
    let may_change = |i: usize| {
        let text = words.read(i);
        if text_whatever_the_words(text) {
            return false;
        }
        match &crossed_lookout {
            Some(crossed) if !lines.explained[i] => {
                crossed.used_in(text)
                    || (verdict_reads_vocabulary(text) && gone_lookout.used_in(text))
            }
            _ => gone_lookout.used_in(text),
        }
    };
    let proposals = (0..doc.len())
        .filter(|&i| !lines.after[i])
        .filter(|&i| !lines.explained[i] || words.repaired(i).is_some())
        .filter(|&i| may_change(i) && !lines.judged.contains(&i))
        .filter_map(|i| {
            let judged = words.read(i);
            let mut proposal = garbage_line(
                doc,
                rules,
                i,
                judged,
                || words.vocabulary(),
                || words.counts(),
            )?;
            if words.repaired(i).is_some() {
                let message = &mut proposal.finding.message;
                *message =
                    format!("{message} (once the line's repairs are made: {judged:?})").into();
            }
            Some(proposal)
        })
        .collect();
    (words, proposals)
}
