//! Broken hyphenation: a word split at a line end ("exploit-" / "ing") is
//! joined when both parts are lower case; a compound ("well-" / "known")
//! keeps its hyphen when the document writes it hyphenated elsewhere; a
//! split of capitalised parts is joined as the document writes it
//! elsewhere, and flagged, not changed, when the document does not say.

use crate::audit::decode::{is_blank, Document};
use crate::audit::words::{DocumentWords, WordSet};
use crate::diagnostic::{Change, LineMask, Proposal};
use crate::model::{ActionKind, Confidence};
use crate::rules::lexicon::Lexicon;
use crate::rules::{Check, RuleSet};
use std::collections::HashSet;

/// How a word split at a line end reads: whether it keeps its hyphen, how
/// sure that is, and why.
fn split_word(
    head: &str,
    tail: &str,
    lexicon: &Lexicon,
    words: &WordSet,
) -> (bool, Confidence, &'static str) {
    let lower = |w: &str| w.chars().all(char::is_lowercase);
    let joined = format!("{head}{tail}").to_lowercase();
    let hyphenated = format!("{head}-{tail}").to_lowercase();
    if words.contains(&hyphenated) {
        (
            true,
            Confidence::High,
            "the document writes it hyphenated elsewhere",
        )
    } else if words.contains(&joined) {
        (
            false,
            Confidence::High,
            "the document writes it as one word elsewhere",
        )
    } else if lower(head) && lower(tail) && lexicon.contains(&joined) {
        (
            false,
            Confidence::High,
            "both parts are lower case and make a word",
        )
    } else if lower(head) && lower(tail) {
        // Two lower-case parts that make no known word: perhaps a line
        // between them was lost (a removed line, OCR), so only suggested.
        (
            false,
            Confidence::Medium,
            "both parts are lower case, but the word is not in the word list",
        )
    } else {
        // Capitalised parts read most likely as a compound (Anglo-Soviet).
        (
            true,
            Confidence::Low,
            "undecidable: the document writes it neither way",
        )
    }
}

pub fn hyphenation(
    doc: &Document,
    line: usize,
    removed: &LineMask,
    lexicon: &Lexicon,
    document_words: &DocumentWords,
    out: &mut Vec<Proposal>,
) {
    // The line after it in the cleaned text: lines removed between go, and
    // so do lines that only their repairs leave blank (a line of a control
    // character), which the cleaning removes.
    let blanked = |j: usize| !is_blank(doc.line(j)) && is_blank(document_words.read(j));
    let Some(next) = (line + 1..doc.len()).find(|&j| !removed[j] && !blanked(j)) else {
        return;
    };
    hyphenation_to(doc, line, next, lexicon, document_words, out);
}

/// Words split at the end of a line that stays, whose next line with text
/// comes after lines removed since the repairs (a garbled line confirmed
/// inside the broken sentence) and blank lines only: the removal brings the
/// two parts together, as the cleaned text audited again reads them, so the
/// word is mended now. `mended` holds the lines already mended.
pub fn hyphenation_across_removals(
    doc: &Document,
    rules: &RuleSet,
    removed: &LineMask,
    removed_before: &LineMask,
    mended: &HashSet<usize>,
    document_words: &DocumentWords,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    for line in (0..doc.len()).filter(|&i| !removed[i] && !mended.contains(&i)) {
        if !ends_split(document_words.read(line)) {
            continue;
        }
        let Some(next) =
            (line + 1..doc.len()).find(|&j| !removed[j] && !is_blank(document_words.read(j)))
        else {
            continue;
        };
        if (line + 1..next).any(|j| removed[j] && !removed_before[j]) {
            hyphenation_to(doc, line, next, rules.lexicon(), document_words, &mut out);
        }
    }
    out
}

/// Words split at the end of the first line of each pair whose tail begins
/// the second (paragraphs joined over the blank lines and furniture of a
/// page break: joined line to line, the cleaned text has the two parts on
/// consecutive lines, and mends them when audited again; joined with a
/// space, they would read `Comi- ntern`). `mended` holds the lines already
/// mended.
pub fn hyphenation_across_joins(
    doc: &Document,
    rules: &RuleSet,
    pairs: &[(usize, usize)],
    mended: &HashSet<usize>,
    document_words: &DocumentWords,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    for &(line, next) in pairs {
        if !mended.contains(&line) && ends_split(document_words.read(line)) {
            hyphenation_to(doc, line, next, rules.lexicon(), document_words, &mut out);
        }
    }
    out
}

/// Words split at the end of the lines `unmended` (left as they were: not
/// sure enough), read again with the document's words as the changes so
/// far leave them: a word another split was mended into (`civili-` /
/// `zation`, by the word list) is a word the document writes, as the
/// cleaned text audited again reads it, and decides a split the word list
/// cannot (`civili-` / `zatioN`). Only the splits read otherwise now, and
/// as sure as `sure` asks, are proposed.
pub fn hyphenation_again(
    doc: &Document,
    rules: &RuleSet,
    unmended: &[usize],
    removed: &LineMask,
    document_words: &DocumentWords,
    sure: impl Fn(Confidence) -> bool,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    for &line in unmended.iter().filter(|&&l| l < doc.len() && !removed[l]) {
        hyphenation(
            doc,
            line,
            removed,
            rules.lexicon(),
            document_words,
            &mut out,
        );
    }
    out.retain(|p| p.edits.iter().any(|e| e.confidence.is_some_and(&sure)));
    out
}

/// Whether a line ends in a hyphen that may split a word (not a dash).
fn ends_split(text: &str) -> bool {
    let text = text.trim_end();
    text.ends_with('-') && !text.ends_with("--")
}

/// A word split at the end of line `line` whose tail begins line `next`.
/// Both lines are read as the changes inside them leave them (a control
/// character after the hyphen, or inside the tail, goes), the offsets
/// mapped back to the lines as written.
fn hyphenation_to(
    doc: &Document,
    line: usize,
    next: usize,
    lexicon: &Lexicon,
    document_words: &DocumentWords,
    out: &mut Vec<Proposal>,
) {
    let own = document_words.repaired(line);
    let text = own.map_or(doc.line(line), |(text, _)| text).trim_end();
    if !ends_split(text) {
        return;
    }
    let head_start = text[..text.len() - 1]
        .rfind(|c: char| !c.is_alphabetic())
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let head = &text[head_start..text.len() - 1];
    // The next line as the changes inside it leave it (a control character
    // inside the word's tail goes), its offsets mapped back to it as written.
    let repaired = document_words.repaired(next);
    let following = repaired.map_or(doc.line(next), |(text, _)| text);
    let lead = following.len() - following.trim_start().len();
    let tail_end = following[lead..]
        .find(|c: char| !c.is_alphabetic())
        .map_or(following.len(), |i| lead + i);
    let tail = &following[lead..tail_end];
    if head.is_empty() || tail.is_empty() {
        return;
    }
    let (lead, tail_end) =
        repaired.map_or((lead, tail_end), |(_, map)| map.original(lead, tail_end));
    let (keep_hyphen, confidence, why) =
        split_word(head, tail, lexicon, document_words.vocabulary());
    let word = if keep_hyphen {
        format!("{head}-{tail}")
    } else {
        format!("{head}{tail}")
    };
    // The head and the hyphen on the line as written.
    let (head_start, head_end) = own.map_or((head_start, text.len()), |(_, map)| {
        map.original(head_start, text.len())
    });
    let dash = own.map_or(text.len() - 1, |(_, map)| {
        map.original(text.len() - 1, text.len()).0
    });
    let message = format!("word split at the line end: {head}- / {tail} reads {word:?} ({why})");
    let written = doc.line(line);
    let finding = Check::BrokenHyphenation
        .finding(line + 1, &written[head_start..head_end], message)
        .at_span(written, head_start, head_end);
    let changes = vec![
        Change::span(
            ActionKind::Replace,
            line,
            dash,
            doc.line(line).len(),
            if keep_hyphen {
                format!("-{tail}")
            } else {
                tail.to_string()
            },
        ),
        Change::span(ActionKind::RemoveMatch, next, lead, tail_end, String::new()),
    ];
    out.push(Proposal::repair(finding, confidence, changes, word));
}

#[cfg(test)]
mod tests {
    use crate::audit::audited_with_builtin_rules;

    fn cleaned(text: &str) -> String {
        String::from_utf8(audited_with_builtin_rules(text).cleaned().unwrap()).unwrap()
    }

    /// A split the word list mends makes a word the document writes: a
    /// split of the same word that the word list cannot read (a capital
    /// at its end) is mended as the document writes it, as the cleaned
    /// text audited again mends it (found by the audit fuzzer).
    #[test]
    fn a_word_another_split_was_mended_into_decides_a_split() {
        let text = "The report said that this would be considered evidence of an ancient civili-\n\
                    zation on the far side, which the observers had long suspected.\n\n\
                    The second report said that this was evidence of an older civili-\n\
                    zatioN than the first, though nobody could say how old it was.\n";
        let once = cleaned(text);
        assert!(once.contains("ancient civilization\n"), "{once}");
        assert!(once.contains("older civilizatioN\n"), "{once}");
        assert_eq!(cleaned(&once), once);
    }
}
