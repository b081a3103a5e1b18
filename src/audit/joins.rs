//! Paragraph joins. Where removed lines or a page break split a paragraph
//! — the text before stops mid-sentence, or does not end a sentence and the
//! text after starts in lower case — the parts are joined: unwrapped prose
//! (one long line per paragraph) with one space, hard-wrapped text (both
//! parts blocks of several lines) by dropping the blank lines between.
//! Unwrapped paragraphs are also joined across blank lines alone, where a PDF
//! page break left no other trace.

use crate::audit::decode::{is_blank, ByLine, Document, Reread};
use crate::audit::sheets::Boundary;
use crate::audit::text::{
    ends_sentence, has_chars, starts_like_prose, starts_lower, stops_mid_sentence, trimmed,
};
use crate::diagnostic::{Change, Edit, JoinMode, LineMask};
use crate::rules::Check;

/// A paragraph line at least this long is unwrapped prose.
pub const UNWRAPPED_MIN_CHARS: usize = 100;
/// Unwrapped prose is joined across blank lines alone (no removed line, no
/// page break between) to a part that starts with a capital only from a
/// paragraph at least this long: titles and captions are shorter.
pub const UNWRAPPED_UNCUT_MIN_CHARS: usize = 200;
/// In hard-wrapped text, a line at least this long is a full line of a
/// paragraph (shorter lines are headings, fields, signatures).
pub const WRAPPED_MIN_CHARS: usize = 40;

/// A document is double-spaced (OCR put a blank line after every line)
/// when at least this share of its text lines is followed by exactly one
/// blank line and then text, and nearly all of them are typewriter lines.
pub const DOUBLE_SPACED_SHARE: f64 = 0.6;

/// Whether OCR double-spaced the document: a single blank line is then a
/// line break, not a paragraph break.
fn double_spaced<'t>(line: impl Fn(usize) -> &'t str, blank: &LineMask) -> bool {
    let n = blank.len();
    let text = |i: usize| i < n && !blank[i];
    let lines = (0..n).filter(|&i| text(i)).count();
    let spaced = (0..n)
        .filter(|&i| text(i) && i + 2 < n && !text(i + 1) && text(i + 2))
        .count();
    // Unwrapped prose (a paragraph a line, blank lines between) is no
    // double spacing: its lines are long.
    let long = (0..n)
        .filter(|&i| text(i) && has_chars(line(i), UNWRAPPED_MIN_CHARS))
        .count();
    lines >= 4 && spaced as f64 >= DOUBLE_SPACED_SHARE * lines as f64 && long * 10 <= lines
}

/// A join of line `second` onto the paragraph of line `first` (0-based).
fn join(first: usize, second: usize, mode: JoinMode) -> Edit {
    Edit::certain(Check::ParagraphJoin.id(), Change::join(first, second, mode))
}

/// The joins of the paragraphs that `removed` lines (whole-line removals)
/// or sheet `boundaries` split.
/// Lines are read as `repaired` gives them once their in-line repairs are
/// made (as the cleaned text, audited again, reads them).
pub fn find_joins(
    doc: &Document,
    removed: &LineMask,
    boundaries: &[Boundary],
    repaired: &ByLine<String>,
) -> Vec<Edit> {
    let line = |i: usize| doc.line_read_as(repaired, i);
    let n = doc.len();
    let blank: LineMask = (0..n).map(|i| is_blank(line(i))).collect();
    let kept_text = |i: usize| !removed[i] && !blank[i];
    // Whole-line sheet boundaries, in order (boundaries come sorted).
    let breaks: Vec<usize> = boundaries
        .iter()
        .filter(|x| x.at.is_none())
        .map(|x| x.line)
        .collect();
    // The text line next to line `i` in a paragraph, before or after it:
    // the adjacent line, or in a double-spaced document the one past a
    // single blank line.
    let double = double_spaced(line, &blank);
    let beside = |i: usize, after: bool| -> bool {
        let at = |k: Option<usize>| k.filter(|&k| k < n);
        let step = |k: usize| {
            if after {
                k.checked_add(1)
            } else {
                k.checked_sub(1)
            }
        };
        match at(step(i)) {
            Some(k) if kept_text(k) => true,
            Some(k) if double && blank[k] && !removed[k] => at(step(k)).is_some_and(kept_text),
            _ => false,
        }
    };
    let mut joins = Vec::new();
    // Lines joined with a space onto the line before: whether the paragraph
    // they joined stands alone, and its length so far. A part is judged as
    // the paragraph it ends, so joining again after cleaning finds nothing.
    let mut joined: ByLine<(bool, usize)> = Default::default();
    let mut previous: Option<usize> = None;
    for b in (0..n).filter(|&i| kept_text(i)) {
        let Some(a) = previous.replace(b) else {
            continue;
        };
        let (alone, length) = joined.get(&a).copied().unwrap_or_else(|| {
            (
                a == 0 || !kept_text(a - 1),
                trimmed(line(a)).chars().count(),
            )
        });
        // In double-spaced text the next typewriter line is past one blank
        // line; after a long unwrapped line a blank line is a paragraph
        // break whatever the spacing (so the decision is the same when the
        // cleaned text, spaced differently, is audited again).
        let typewriter = length < UNWRAPPED_MIN_CHARS;
        let next_line = b == a + 1 || (double && typewriter && b == a + 2 && !removed[a + 1]);
        if next_line {
            continue;
        }
        let (first, second) = (trimmed(line(a)), trimmed(line(b)));
        // OCR makes a lower-case start weak evidence ("ln reply" for "In"):
        // a part after a finished sentence is never joined.
        let continues =
            !ends_sentence(first) && (starts_lower(second) || stops_mid_sentence(first));
        if !starts_like_prose(second) || !continues {
            continue;
        }
        let next_break = breaks.partition_point(|&line| line < a);
        let cut = removed.any_in(a + 1..b) || breaks.get(next_break).is_some_and(|&line| line < b);
        let unwrapped = alone && length >= UNWRAPPED_MIN_CHARS;
        // A part in capitals continues unwrapped prose only if it is unwrapped
        // prose itself: a short line after it is a heading, or typewriter text
        // (joining it would make a longer line that joins again when the
        // cleaned text is audited).
        let second_is_prose = starts_lower(second) || has_chars(second, UNWRAPPED_MIN_CHARS);
        let evident = cut || starts_lower(second) || length >= UNWRAPPED_UNCUT_MIN_CHARS;
        if unwrapped && second_is_prose && evident {
            joins.push(join(a, b, JoinMode::Space));
            joined.insert(b, (alone, length + 1 + second.chars().count()));
        } else if !unwrapped
            && cut
            && length >= WRAPPED_MIN_CHARS
            && (has_chars(second, WRAPPED_MIN_CHARS) || starts_lower(second))
            && (beside(a, false) || starts_lower(second))
            && (beside(b, true) || starts_lower(second))
        {
            joins.push(join(a, b, JoinMode::Lines));
        }
    }
    joins
}

/// The paragraphs that `joins` with a space make, as the cleaned text
/// reads them: each one's first line reads as its parts joined (as the
/// cleaning joins them, from the lines as `repaired` gives them), and the
/// lines of its other parts are gone (marked in `gone`). Returns what the
/// first lines of those paragraphs read as (to be read over `repaired`).
pub fn read_as_joined(
    doc: &Document,
    joins: &[Edit],
    repaired: &ByLine<String>,
    gone: &mut LineMask,
) -> ByLine<String> {
    let mut read: ByLine<String> = ByLine::default();
    // The first line of the paragraph each part joined so far belongs to.
    let mut paragraph_of: ByLine<usize> = Default::default();
    for edit in joins {
        let Change::Join {
            first,
            second,
            mode: JoinMode::Space,
        } = edit.change
        else {
            continue;
        };
        let (first, second) = (first as usize, second as usize);
        let target = paragraph_of.get(&first).copied().unwrap_or(first);
        let as_read = |line: usize| {
            Reread::over(repaired, &read)
                .get(line)
                .unwrap_or(doc.line(line))
        };
        let (head, tail) = (as_read(target), as_read(second));
        let joined = format!("{} {}", head.trim_end(), tail.trim_start());
        read.insert(target, joined);
        paragraph_of.insert(second, target);
        gone.set(second, true);
    }
    read
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::Decoded;

    fn joins(
        text: &str,
        removed_lines: &[usize],
        breaks: &[usize],
    ) -> Vec<(usize, usize, JoinMode)> {
        let Decoded::Text(doc) = crate::audit::decode::decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let mut removed = LineMask::new(doc.len());
        for &l in removed_lines {
            removed.set(l, true);
        }
        let boundaries: Vec<Boundary> = breaks
            .iter()
            .map(|&line| Boundary {
                line,
                at: None,
                number: None,
            })
            .collect();
        find_joins(&doc, &removed, &boundaries, &ByLine::default())
            .into_iter()
            .filter_map(|e| match e.change {
                Change::Join {
                    first,
                    second,
                    mode,
                } => Some((first as usize, second as usize, mode)),
                _ => None,
            })
            .collect()
    }

    const LONG: &str = "The Commissar said that his government had always sought good relations with its neighbours and would";

    #[test]
    fn unwrapped_prose_split_by_removed_lines_joins_with_a_space() {
        let text = format!("{LONG}\n\nSECRET\n\ncontinue to do so.\n");
        assert_eq!(joins(&text, &[2], &[]), vec![(0, 4, JoinMode::Space)]);
    }

    #[test]
    fn a_finished_sentence_is_never_joined() {
        let text = format!("{LONG} continue.\n\nSECRET\n\ncontinue to do so.\n");
        assert!(joins(&text, &[2], &[]).is_empty());
    }

    #[test]
    fn double_spaced_ocr_joins_across_a_sheet_boundary_like_single_spaced() {
        let text = "The minister left Moscow by the night train on Monday\n\nand reached the frontier early on the following day.\n\nThe delegation arrived on Tuesday and was met at the\n\nstation by the deputy commissar, who conducted it to\n\n\n\nthe hotel where members of the press were waiting in\n\nlarge numbers for a statement that never came at all.\n";
        assert_eq!(joins(text, &[], &[8]), vec![(6, 10, JoinMode::Lines)]);
        assert!(joins(text, &[], &[]).is_empty(), "no cut, no join");
    }

    #[test]
    fn hard_wrapped_text_cut_by_a_sheet_boundary_drops_the_blank_lines() {
        let text = "The delegation arrived on Tuesday and was met at the\nstation by the deputy commissar, who conducted it to\n\n\nthe hotel where members of the press were waiting in\nlarge numbers for a statement that never came at all.\n";
        assert_eq!(joins(text, &[], &[2]), vec![(1, 4, JoinMode::Lines)]);
        assert!(joins(text, &[], &[]).is_empty(), "no cut, no join");
    }
}
