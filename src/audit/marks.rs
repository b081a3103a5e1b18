//! How much of a line is marks (characters that are neither letters,
//! digits nor white space): the first question the garbage judgement asks
//! of every line, twice (`repair` and `recount`), so it is answered without
//! a branch per byte where it can be.

use std::collections::BTreeSet;

/// A garbage line's score: the share of its characters that are neither
/// letters nor digits. Returns (score, distinct marks, longest letter run,
/// visible characters).
/// One pass, no allocation for a line whose marks are ASCII.
pub fn garbage_score(text: &str) -> (f64, usize, usize, usize) {
    if text.is_ascii() {
        ascii_garbage_score(text.as_bytes())
    } else {
        char_garbage_score(text)
    }
}

/// Whether an ASCII byte is white space as `char::is_whitespace` says: the
/// space, and tab to carriage return.
#[inline]
fn ascii_blank(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

/// Visible characters and the marks among them (neither letter, digit nor
/// white space) of an ASCII line, counted without branches so that the
/// compiler vectorises the loop: enough to settle the lines whose marks
/// are at most half of them (nearly every line of text) without the full
/// [`garbage_score`], asked of every line.
fn ascii_visible_and_marks(bytes: &[u8]) -> (usize, usize) {
    // Counted in bytes, a chunk of at most 255 at a time: sixteen lanes.
    let (mut words, mut blank) = (0usize, 0usize);
    for chunk in bytes.chunks(255) {
        let (mut w, mut k) = (0u8, 0u8);
        for &b in chunk {
            w = w.wrapping_add(u8::from(
                ((b | 0x20).wrapping_sub(b'a') < 26) | (b.wrapping_sub(b'0') < 10),
            ));
            k = k.wrapping_add(u8::from(ascii_blank(b)));
        }
        words += usize::from(w);
        blank += usize::from(k);
    }
    let marks = bytes.len() - words - blank;
    (words + marks, marks)
}

/// The number of visible characters of a line whose marks are at most half
/// of them (see [`ascii_visible_and_marks`]): the judgement of garbage
/// asks the full score only of a line whose share of marks is above one
/// half. `None` when the line needs [`garbage_score`].
pub fn mostly_text(text: &str) -> Option<usize> {
    if !text.is_ascii() {
        return None;
    }
    let (visible, marks) = ascii_visible_and_marks(text.as_bytes());
    (2 * marks <= visible).then_some(visible)
}

/// [`garbage_score`] character by character.
fn char_garbage_score(text: &str) -> (f64, usize, usize, usize) {
    let (mut visible, mut symbols) = (0usize, 0usize);
    // Distinct marks: ASCII ones as bits, others (rare) in a set.
    let mut ascii_marks = 0u128;
    let mut other_marks: BTreeSet<char> = BTreeSet::new();
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c.is_alphanumeric() {
            visible += 1;
            run += 1;
            longest = longest.max(run);
            continue;
        }
        run = 0;
        if c.is_whitespace() {
            continue;
        }
        visible += 1;
        symbols += 1;
        if c.is_ascii() {
            ascii_marks |= 1u128 << (c as u32);
        } else {
            other_marks.insert(c);
        }
    }
    if visible == 0 {
        return (0.0, 0, 0, 0);
    }
    let marks = ascii_marks.count_ones() as usize + other_marks.len();
    (symbols as f64 / visible as f64, marks, longest, visible)
}

/// [`garbage_score`] of an ASCII line, byte by byte: most lines are, and
/// every line is scored (an ASCII character is alphanumeric, or white
/// space — tab to carriage return, and the space — as `char` says).
fn ascii_garbage_score(bytes: &[u8]) -> (f64, usize, usize, usize) {
    let (mut visible, mut symbols) = (0usize, 0usize);
    let mut marks = 0u128;
    let (mut longest, mut run) = (0, 0);
    for &b in bytes {
        if b.is_ascii_alphanumeric() {
            visible += 1;
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
            if !ascii_blank(b) {
                visible += 1;
                symbols += 1;
                marks |= 1u128 << b;
            }
        }
    }
    if visible == 0 {
        return (0.0, 0, 0, 0);
    }
    (
        symbols as f64 / visible as f64,
        marks.count_ones() as usize,
        longest,
        visible,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_blanks_are_the_white_space_chars() {
        for b in 0..128u8 {
            assert_eq!(ascii_blank(b), char::from(b).is_whitespace(), "{b}");
        }
    }

    #[test]
    fn an_ascii_line_scores_byte_by_byte_as_it_does_char_by_char() {
        let lines = [
            "",
            " \t ",
            "ACTION:S",
            ".,;:' ~ ^",
            "a\x0bb\x0c\r\n",
            "~~SECRET~~ NOFORN",
            "- 3 -",
            "\x7f\x00 x_y",
            "The talks went on; 12:30 p.m.",
        ];
        for line in lines {
            let score = char_garbage_score(line);
            assert_eq!(ascii_garbage_score(line.as_bytes()), score, "{line:?}");
            let (visible, marks) = ascii_visible_and_marks(line.as_bytes());
            assert_eq!(visible, score.3, "{line:?}");
            assert_eq!(marks as f64 / visible.max(1) as f64, score.0, "{line:?}");
            assert_eq!(mostly_text(line).is_some(), score.0 <= 0.5, "{line:?}");
        }
    }
}
