//! How much of a line reads as text: each token is a word (of the lexicon,
//! or one the document uses again), a number, a code (`DC/R`, `OCT-01`), an
//! acronym, an initial or a name; or a mark; or neither. A line whose
//! tokens are mostly neither, with no real word of four letters, is OCR
//! garbage (`ebb Haat leas Gr`, `ig &`); so is a line of marks alone that is
//! no decorative row, a lone lower-case letter or digit, and a line of
//! Cyrillic look-alikes in a Latin document.

use crate::audit::text::has_chars;
use crate::audit::words::{used_again, WordCounts};
use crate::rules::lexicon::Lexicon;
use std::borrow::Cow;

/// Characters trimmed from a token's ends before it is judged.
pub const TRIM: &[char] = &[
    '.', ',', ';', ':', '\'', '"', '(', ')', '[', ']', '!', '?', '\u{2018}', '\u{2019}',
    '\u{201C}', '\u{201D}', '-', '#', '*', '_', '\u{2022}',
];
/// Separators inside a code (`DC/R`, `OCT-01`, `ACTION:S`, `DISA(DFOISR)`,
/// `5B(2)`).
const CODE_SEPARATORS: &[char] = &['-', '/', ':', '.', '&', '(', ')'];
/// Marks a decorative row is made of (`* * *`, `. . . .`).
const DECORATION: &[char] = &['*', '.', '-', '=', '_', '~'];
/// A list bullet left alone on its line (an empty Markdown item) is text.
const BULLETS: &[char] = &['-', '*', '+'];
/// An all-capital word this short is taken as an acronym (USIA, JEF), and
/// one this long or longer as text (SECSTATE, UNNUMBERED), even when the
/// lexicon does not know them.
const ACRONYM_LETTERS: usize = 4;
const LONG_CAPITALS: usize = 8;
/// A line with this many words of the lexicon is text, however garbled the
/// rest of it.
const TEXT_WORDS: usize = 3;
/// A line is garbage when less than this share of its visible characters
/// is in tokens that read as text (`judge` stops reading a line's tokens
/// once the share is reached, counted as twice the characters: a half).
const TEXT_SHARE: f64 = 0.5;
const _: () = assert!(TEXT_SHARE == 0.5);

/// What kind of garbage a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Garbage {
    /// Marks alone (`| ° |`, `})`), not a decorative row.
    Marks,
    /// One or two characters that are no initial or number (`a`, `4`, `ii`).
    Fragment,
    /// Tokens that are mostly neither words, numbers, codes nor names.
    Gibberish,
    /// Cyrillic letters that OCR read for Latin ones.
    Cyrillic,
}

/// Whether a token reads as text: `None` for a mark.
pub fn reads_as_text(token: &str, lexicon: &Lexicon, counts: &WordCounts) -> Option<bool> {
    // A token that begins and ends with a letter or digit has no mark to
    // trim (none of TRIM is one): most tokens.
    let bare_ends = |t: &str| {
        let bytes = t.as_bytes();
        bytes.first().is_some_and(u8::is_ascii_alphanumeric)
            && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
    };
    let core = if bare_ends(token) {
        token
    } else {
        token.trim_matches(TRIM)
    };
    if core.is_empty() {
        return None;
    }
    let used = |w: &str| lexicon.contains(w) || used_again(counts, w);
    // A word of ASCII letters alone (most tokens) is no number,
    // abbreviation, code or compound, nor cut short by an apostrophe: the
    // tests for those are passed over.
    let plain = core.bytes().all(|b| b.is_ascii_alphabetic());
    if !plain {
        if let Some(text) = number_abbreviation_or_code(token, core) {
            return Some(text);
        }
    }
    let letters = core.chars().count();
    if core.chars().all(|c| c.is_uppercase()) {
        // A field label (IWFO:) is text too.
        let label = token.ends_with(':');
        return Some(label || letters <= ACRONYM_LETTERS || letters >= LONG_CAPITALS || used(core));
    }
    // An initial or a title (R., Mr.).
    let bare =
        token.trim_matches(|c: char| matches!(c, '\u{2018}' | '\u{2019}' | '"' | '\'' | '('));
    let mut chars = bare.chars();
    if chars.next().is_some_and(char::is_uppercase) {
        let rest = chars.as_str().trim_end_matches('.');
        if !has_chars(rest, 2) && rest.chars().all(char::is_lowercase) {
            return Some(true);
        }
    }
    if plain {
        return Some(used(core) || name_like_word(core));
    }
    // A compound of parts that read as text (Lt-Col, well-known).
    if core.contains('-')
        && core
            .split('-')
            .all(|p| !p.is_empty() && reads_as_text(p, lexicon, counts) == Some(true))
    {
        return Some(true);
    }
    let base = core.split(['\'', '\u{2019}']).next().unwrap_or(core);
    if !base.chars().all(char::is_alphabetic) {
        return Some(false);
    }
    if used(base) || used(core) {
        return Some(true);
    }
    Some(name_like_word(base))
}

/// Whether `core` (`token` trimmed of marks) reads as a number (12, 6:38,
/// 2-15-75, 3., 15A), an abbreviation of letters and periods (p.m., U.S.)
/// or a code of capitals and digits with separators (DC/R, OCT-01); `None`
/// when it is none of them.
fn number_abbreviation_or_code(token: &str, core: &str) -> Option<bool> {
    let number = core.starts_with(|c: char| c.is_ascii_digit())
        && core
            .trim_end_matches(|c: char| c.is_ascii_uppercase())
            .chars()
            .all(|c| c.is_ascii_digit() || CODE_SEPARATORS.contains(&c) || c == ',');
    if number {
        let digits = core.chars().filter(char::is_ascii_digit).count();
        return Some(digits >= 2 || token.ends_with('.'));
    }
    if core.contains('.')
        && token.ends_with('.')
        && core
            .split('.')
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic))
    {
        return Some(true);
    }
    if core.contains(CODE_SEPARATORS)
        && core.split(CODE_SEPARATORS).all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    {
        return Some(true);
    }
    None
}

/// How many of a line's words (tokens of three letters or more, letters
/// alone) read as no word of the lexicon, none the document uses again and
/// no acronym or name, and how many words it has: what tells a stamp's line
/// that OCR garbled (`Exctuded iron automatle`) from one it read.
pub fn unread_words(text: &str, lexicon: &Lexicon, counts: &WordCounts) -> (usize, usize) {
    let (mut unread, mut words) = (0, 0);
    for (i, token) in text.split_whitespace().enumerate() {
        let core = token.trim_matches(TRIM);
        if !has_chars(core, 3) || !core.chars().all(char::is_alphabetic) {
            continue;
        }
        words += 1;
        // A capital at the head of a line says nothing of a name.
        let read = match reads_as_text(token, lexicon, counts) {
            Some(true) if i == 0 && name_like_word(core) => {
                lexicon.contains(core) || used_again(counts, core)
            }
            read => read == Some(true),
        };
        if !read {
            unread += 1;
        }
    }
    (unread, words)
}

/// Whether a word reads as a name: a capital, then small letters with a
/// vowel, four letters or more in all.
pub fn name_like_word(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(char::is_uppercase)
        && has_chars(word, 4)
        && chars.clone().all(char::is_lowercase)
        && chars.any(|c| "aeiouy".contains(c))
}

/// What kind of garbage a line is, if it is garbage.
pub fn judge(text: &str, lexicon: &Lexicon, counts: &WordCounts) -> Option<Garbage> {
    let text = without_tags(text);
    let visible = Visible::of(&text);
    if visible.count == 0 {
        return None;
    }
    if visible.cyrillic {
        return Some(Garbage::Cyrillic);
    }
    if !visible.alphanumeric {
        let decorative = visible.count >= 3 && visible.decoration;
        let bullet = visible.count == 1 && visible.first.is_some_and(|c| BULLETS.contains(&c));
        return (!decorative && !bullet).then_some(Garbage::Marks);
    }
    // The tokens read so far, and the characters of those that read as
    // text: most lines are text by that share alone, and once it is
    // reached (half the visible characters: TEXT_SHARE), no more is read.
    let mut tokens: Vec<(&str, Option<bool>)> = Vec::new();
    let mut text_chars = 0;
    for t in text.split_whitespace() {
        let verdict = reads_as_text(t, lexicon, counts);
        if verdict == Some(true) {
            text_chars += t.chars().count();
        }
        tokens.push((t, verdict));
        if visible.count > 2 && 2 * text_chars >= visible.count {
            return None;
        }
    }
    let as_text = |(_, r): &&(&str, Option<bool>)| *r == Some(true);
    if visible.count <= 2 && !tokens.iter().any(|t| as_text(&t)) {
        return Some(Garbage::Fragment);
    }
    let share = text_chars as f64 / visible.count as f64;
    if share >= TEXT_SHARE {
        return None;
    }
    // A real word: one of the lexicon, one the document uses again, or a
    // name; capitals taken as an acronym or a long word (`CONT`,
    // `COMINOLO`) only by their shape are none.
    let real_word = tokens.iter().filter(as_text).any(|(t, _)| {
        let core = t.trim_matches(TRIM);
        has_chars(core, 4)
            && core.chars().all(char::is_alphabetic)
            && (lexicon.contains(core) || used_again(counts, core) || name_like_word(core))
    });
    let words = tokens
        .iter()
        .filter(|(t, _)| {
            let core = t.trim_matches(TRIM);
            has_chars(core, 2) && lexicon.contains(core)
        })
        .count();
    (!real_word && words < TEXT_WORDS).then_some(Garbage::Gibberish)
}

/// What [`judge`] reads of a line's visible (non-space) characters, in one
/// pass: how many, whether any is Cyrillic or alphanumeric, whether all are
/// decoration, and the first.
struct Visible {
    count: usize,
    cyrillic: bool,
    alphanumeric: bool,
    decoration: bool,
    first: Option<char>,
}

impl Visible {
    fn of(text: &str) -> Visible {
        let mut visible = Visible {
            count: 0,
            cyrillic: false,
            alphanumeric: false,
            decoration: true,
            first: None,
        };
        for c in text.chars().filter(|c| !c.is_whitespace()) {
            visible.first.get_or_insert(c);
            visible.count += 1;
            visible.cyrillic |= ('\u{0400}'..='\u{04FF}').contains(&c);
            visible.alphanumeric |= c.is_alphanumeric();
            visible.decoration &= DECORATION.contains(&c);
        }
        visible
    }
}

/// The text without short markup tags (`<sup>`, `</sup>`); borrowed when it
/// has none.
fn without_tags(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        match rest[open..].find('>') {
            Some(close) if close <= 9 => rest = &rest[open + close + 1..],
            _ => {
                out.push('<');
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::parse("the\ntalks\nwent\non\nis\nfine\nmemorandum\naction\n")
    }

    fn judged(text: &str) -> Option<Garbage> {
        judge(text, &lexicon(), &WordCounts::default())
    }

    #[test]
    fn garbage_of_each_kind_is_seen() {
        assert_eq!(judged("| \u{b0} | {|"), Some(Garbage::Marks));
        assert_eq!(judged("a"), Some(Garbage::Fragment));
        assert_eq!(judged("4"), Some(Garbage::Fragment));
        assert_eq!(judged("ebb leas Gr gh"), Some(Garbage::Gibberish));
        assert_eq!(
            judged("ef Se\u{2014}-4 nye 218-928 ~. !"),
            Some(Garbage::Gibberish)
        );
        assert_eq!(judged("ig &"), Some(Garbage::Gibberish));
        assert_eq!(
            judged("\u{41c}\u{41d}\u{415} \u{41b}\u{415}\u{414}"),
            Some(Garbage::Cyrillic)
        );
    }

    #[test]
    fn tokens_read_as_text_by_kind() {
        let counts = WordCounts::default();
        let read = |t: &str| reads_as_text(t, &lexicon(), &counts);
        for (token, verdict) in [
            ("memorandum", Some(true)),
            ("(memorandum),", Some(true)),
            ("QZXWVQZX", Some(true)),
            ("QZXW", Some(true)),
            ("QZXWV", Some(false)),
            ("IWFO:", Some(true)),
            ("Mr", Some(true)),
            ("Mr.", Some(true)),
            ("qzxwv", Some(false)),
            ("Kovalev", Some(true)),
            ("Qzxwv", Some(false)),
            ("qzx-talks", Some(false)),
            ("went-on", Some(true)),
            ("memorandum's", Some(true)),
            ("15A", Some(true)),
            ("5", Some(false)),
            ("5.", Some(true)),
            ("p.m.", Some(true)),
            ("DC/R", Some(true)),
            ("x1y", Some(false)),
            ("--", None),
        ] {
            assert_eq!(read(token), verdict, "{token}");
        }
    }

    #[test]
    fn text_codes_names_and_decoration_are_not_garbage() {
        for line in [
            "The talks went on.",
            "U",
            "C",
            "P.",
            "16",
            "3.",
            "DC/R",
            "ACTION:S",
            "OCT-01 ARA-06",
            "* * *",
            "Karamessines",
            "Mr. D.E. Pratt",
            "SECSTATE",
            "JEF",
            "is",
            "Fine.",
            "Rec'd 6:38 p.m.",
            "- ",
            "<sup>12</sup> Memorandum",
            "DISA(DFOISR).",
            "\u{a7} 5B(2)",
            "went-on",
        ] {
            assert_eq!(judged(line), None, "{line}");
        }
    }

    #[test]
    fn a_stamp_line_is_told_garbled_by_its_unread_words() {
        let unread = |t: &str| unread_words(t, &lexicon(), &WordCounts::default());
        // A capital at the head of a line is no name; later it may be one.
        assert_eq!(unread("Exctuded the automatle"), (2, 3));
        assert_eq!(unread("the talks Wannall"), (0, 3));
        // Short tokens, numbers and acronyms are not counted.
        assert_eq!(unread("By JH NARA, 5/1/98 is fine"), (0, 2));
    }

    #[test]
    fn a_word_the_document_uses_again_is_text() {
        let mut counts = WordCounts::default();
        counts.insert("wannall".into(), 3);
        assert_eq!(judge("wannall", &lexicon(), &counts), None);
        assert_eq!(judged("wannall"), Some(Garbage::Gibberish));
    }
}
