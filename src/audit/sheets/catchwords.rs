//! Catchwords: a typist's catchword is a short line at the foot of a sheet
//! that repeats the first words of the next sheet's first line. It is
//! removed; short marks between it and its continuation ("D File") are marks
//! at the sheet boundary and are removed too.

use crate::audit::decode::{is_blank, Document};
use crate::audit::text::{ends_sentence, folded_words, has_chars, trimmed};
use crate::diagnostic::LineMask;
use crate::rules::lexicon::with_lowercase;

/// A catchword has at most this many words and characters.
pub const CATCHWORD_MAX_WORDS: usize = 4;
pub const CATCHWORD_MAX_CHARS: usize = 30;
/// How many lines after a catchword its continuation is looked for,
/// counted as the cleaned text has them: lines removed are not counted
/// (the furniture between two sheets of a telegram can be long), and the
/// blank lines around them count as the one the cleaning leaves. The
/// cleaned text, audited again, finds the same catchwords.
pub const CATCHWORD_LOOKAHEAD: usize = 24;
/// Between a catchword and its continuation there may be at most this many
/// short marks (page numbers, filing notes, garbled stamps), each at most
/// this long.
pub const SHEET_MARKS_MAX: usize = 3;
pub const SHEET_MARK_MAX_CHARS: usize = 20;

/// A catchword, its continuation and the marks between (0-based lines).
pub struct Catchword {
    pub line: usize,
    pub continues: usize,
    /// Short marks between the catchword and its continuation.
    pub marks: Vec<usize>,
}

/// The catchwords of a document whose `explained` lines are not body text,
/// its lines read as `line` gives them (as the changes inside them leave
/// them: a control character inside the continuation's first word goes).
pub fn find_catchwords<'d>(
    doc: &Document,
    explained: &LineMask,
    line: &dyn Fn(usize) -> &'d str,
) -> Vec<Catchword> {
    let n = doc.len();
    let body = |i: usize| !explained[i] && !is_blank(line(i));
    let isolated = |i: usize| (i == 0 || !body(i - 1)) && (i + 1 >= n || !body(i + 1));
    let mut found = Vec::new();
    for x in 0..n {
        // A line with text beside it (nearly every line) is asked no more.
        if !body(x) || !isolated(x) {
            continue;
        }
        let text = trimmed(line(x));
        if text.len() > 4 * CATCHWORD_MAX_CHARS
            || has_chars(text, CATCHWORD_MAX_CHARS + 1)
            || ends_sentence(text)
            || !text.chars().any(char::is_alphabetic)
        {
            continue;
        }
        let words = folded_words(text);
        if words.len() > CATCHWORD_MAX_WORDS {
            continue;
        }
        let mut marks = Vec::new();
        // Lines of the cleaned text since the catchword, and the gap
        // (blank and removed lines) before line `y`.
        let (mut counted, mut blanks, mut touched) = (0, 0, false);
        for y in x + 1..explained.len() {
            let removed = explained[y];
            if !body(y) {
                touched |= removed;
                blanks += usize::from(!removed);
                continue;
            }
            // The cleaning leaves one blank line of a gap it removed lines
            // from, and every blank line of one it did not.
            counted += 1 + if touched { blanks.min(1) } else { blanks };
            (blanks, touched) = (0, false);
            if counted > CATCHWORD_LOOKAHEAD {
                break;
            }
            if begins_with_words(line(y), &words) {
                found.push(Catchword {
                    line: x,
                    continues: y,
                    marks,
                });
                break;
            }
            let short = !has_chars(trimmed(line(y)), SHEET_MARK_MAX_CHARS + 1);
            if marks.len() < SHEET_MARKS_MAX && short && isolated(y) {
                marks.push(y);
                continue;
            }
            break;
        }
    }
    found
}

/// Whether `line` begins with `words` (folded as
/// [`folded_words`] folds them) and goes on after them: the words of a line
/// that begins otherwise (nearly every line) are not all folded.
fn begins_with_words(line: &str, words: &[String]) -> bool {
    let mut next = line.split_whitespace();
    words
        .iter()
        .all(|w| next.next().is_some_and(|n| with_lowercase(n, |n| n == w)))
        && next.next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};

    fn catchwords(text: &str) -> Vec<(usize, usize, Vec<usize>)> {
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let explained = LineMask::new(doc.len());
        find_catchwords(&doc, &explained, &|i| doc.line(i))
            .into_iter()
            .map(|c| (c.line, c.continues, c.marks))
            .collect()
    }

    #[test]
    fn a_continuation_begins_with_the_folded_words_and_goes_on() {
        for (catchword, line) in [
            ("members of", "Members OF the press"),
            ("members of", "members of"),
            ("members of", "members"),
            ("members of", "members at the door"),
            (
                "\u{39f}\u{394}\u{39f}\u{3a3}",
                "\u{3bf}\u{3b4}\u{3bf}\u{3c2} two",
            ),
            (
                "\u{39f}\u{394}\u{39f}\u{3a3}",
                "\u{3bf}\u{3b4}\u{3bf}\u{3c3} two",
            ),
            ("x", ""),
        ] {
            let words = folded_words(catchword);
            let next = folded_words(line);
            let folded = next.len() > words.len() && next[..words.len()] == words[..];
            assert_eq!(
                begins_with_words(line, &words),
                folded,
                "{catchword:?} {line:?}"
            );
        }
    }

    #[test]
    fn a_short_line_repeating_the_next_sheets_start_is_a_catchword() {
        let text = "the delegation arrived on tuesday.\n\nmembers of\n\n- 2 -\n\nmembers of the press were waiting.\n";
        assert_eq!(catchwords(text), vec![(2, 6, vec![4])]);
    }

    #[test]
    fn a_line_in_a_paragraph_or_ending_a_sentence_is_no_catchword() {
        assert!(catchwords("the talks went on.\nmembers of\n\nmembers of the press.\n").is_empty());
        assert!(
            catchwords("the talks went on.\n\nMembers left.\n\nMembers left the hall.\n")
                .is_empty()
        );
    }

    #[test]
    fn the_continuation_is_looked_for_over_lines_as_the_cleaning_leaves_them() {
        // Thirty lines of removed furniture and the blank lines between
        // are one blank line of the cleaned text; thirty blank lines that
        // nothing was removed from stay thirty.
        let doc = |gap: &str| {
            let text =
                format!("the talks went on and\n\nmembers of\n{gap}members of the press waited.\n");
            let Decoded::Text(doc) = decode(text.into_bytes()) else {
                unreachable!()
            };
            doc
        };
        let removed = doc(&"\nSECRET\n".repeat(15));
        let explained: LineMask = (0..removed.len())
            .map(|i| removed.line(i) == "SECRET")
            .collect();
        let found = find_catchwords(&removed, &explained, &|i| removed.line(i));
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].line, found[0].continues), (2, 33));
        let blank = doc(&"\n".repeat(30));
        let explained = LineMask::new(blank.len());
        assert!(find_catchwords(&blank, &explained, &|i| blank.line(i)).is_empty());
    }

    #[test]
    fn the_continuation_must_come_within_a_few_short_marks() {
        let text = "the talks went on.\n\nmembers of\n\nA long line of other text that is no mark.\n\nmembers of the press.\n";
        assert!(catchwords(text).is_empty());
    }
}
