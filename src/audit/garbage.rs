//! How much of a line reads as text: each token is a word (of the lexicon,
//! or one the document uses again), a number, a code (`DC/R`, `OCT-01`), an
//! acronym, an initial or a name; or a mark; or neither. A line whose
//! tokens are mostly neither, with no real word of four letters, is OCR
//! garbage (`ebb Haat leas Gr`, `ig &`); so is a line of marks alone that is
//! no decorative row, a lone lower-case letter or digit, and a line of
//! Cyrillic look-alikes in a Latin document.

use crate::audit::decode::{ByLine, Document};
use crate::audit::spans::SpanMap;
use crate::audit::text::has_chars;
use crate::rules::lexicon::{with_lowercase, Lexicon};
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::HashMap;

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
/// is in tokens that read as text.
const TEXT_SHARE: f64 = 0.5;

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

/// How often the document uses each word (lower case, two letters or more).
/// The maps of words are hashed with foldhash: several times faster than
/// the standard SipHash on short words, and seeded at random, so a document
/// cannot be written to make its words collide.
pub type WordCounts = HashMap<String, usize, foldhash::fast::RandomState>;

/// The document's words of three letters or more (lower case, hyphens
/// inside kept), each with how often it is used: a word is in the set while
/// a line uses it, so lines can be taken out and rewritten without
/// gathering the words again.
#[derive(Debug, Default)]
pub struct WordSet(HashMap<String, usize, foldhash::fast::RandomState>);

impl WordSet {
    /// The words of `lines`.
    fn of<'a>(lines: impl Iterator<Item = &'a str>) -> WordSet {
        let mut words = WordSet::default();
        for line in lines {
            words.add(line);
        }
        words
    }

    /// Whether the document uses `word` (lower case).
    pub fn contains(&self, word: &str) -> bool {
        self.0.contains_key(word)
    }

    /// Adds the words of `line`.
    fn add(&mut self, line: &str) {
        vocabulary_words(line, |lower| match self.0.get_mut(lower) {
            Some(n) => *n += 1,
            None => {
                self.0.insert(lower.to_string(), 1);
            }
        });
    }

    /// Takes out the words of `line`, added before.
    fn remove(&mut self, line: &str) {
        vocabulary_words(line, |lower| {
            if let Some(n) = self.0.get_mut(lower) {
                *n -= 1;
                if *n == 0 {
                    self.0.remove(lower);
                }
            }
        });
    }
}

/// Whether a token split at non-alphanumerics counts as a word: two
/// characters or more, not all digits.
pub fn counted(w: &str) -> bool {
    has_chars(w, 2) && !w.chars().all(|c| c.is_ascii_digit())
}

/// Counts the words of the document's lines.
pub fn word_counts<'a>(lines: impl Iterator<Item = &'a str>) -> WordCounts {
    let mut counts = WordCounts::default();
    for line in lines {
        for w in line.split(|c: char| !c.is_alphanumeric()) {
            if counted(w) {
                with_lowercase(w, |lower| match counts.get_mut(lower) {
                    Some(n) => *n += 1,
                    None => {
                        counts.insert(lower.to_string(), 1);
                    }
                });
            }
        }
    }
    counts
}

/// Calls `f` with each lower-case word of three letters or more of `line`
/// (hyphens inside kept), for judging garbage and compounds.
fn vocabulary_words(line: &str, mut f: impl FnMut(&str)) {
    for w in line.split(|c: char| !c.is_alphanumeric() && c != '-') {
        let w = w.trim_matches('-');
        if has_chars(w, 3) {
            with_lowercase(w, &mut f);
        }
    }
}

/// The document's words, gathered once, and only when a stage asks for
/// them: how often each is used, and the set of them.
pub struct DocumentWords<'d> {
    doc: &'d Document,
    /// Lines read as repaired (line → text, and the map from its offsets
    /// back to the line as written) instead of as written.
    repaired: ByLine<(String, SpanMap)>,
    /// Lines not read: removed.
    skipped: Vec<bool>,
    counts: OnceCell<WordCounts>,
    vocabulary: OnceCell<WordSet>,
}

impl<'d> DocumentWords<'d> {
    /// The words of `doc`, reading the lines in `repaired` as repaired and
    /// leaving out the lines `skipped` marks.
    pub fn new(
        doc: &'d Document,
        repaired: ByLine<(String, SpanMap)>,
        skipped: Vec<bool>,
    ) -> DocumentWords<'d> {
        DocumentWords {
            doc,
            repaired,
            skipped,
            counts: OnceCell::new(),
            vocabulary: OnceCell::new(),
        }
    }

    /// The same words with the lines `gone` marks left out too (lines a
    /// later stage removed, as the cleaned text audited again will not
    /// have them), whose words are `gone_counts`: the counts and the set of
    /// words, if made, lose them.
    pub fn without(mut self, gone: &[bool], gone_counts: &WordCounts) -> DocumentWords<'d> {
        self.skipped.resize(self.doc.len(), false);
        let mut vocabulary = self.vocabulary.take();
        for (i, &g) in gone.iter().enumerate() {
            if g && !self.skipped[i] {
                if let Some(words) = vocabulary.as_mut() {
                    words.remove(self.read(i));
                }
                self.skipped[i] = true;
            }
        }
        if let Some(words) = vocabulary {
            self.vocabulary = OnceCell::from(words);
        }
        if let Some(counts) = self.counts.get_mut() {
            subtract(counts, gone_counts);
        }
        self
    }

    /// The same words with `lines` read as rewritten (changes made inside
    /// them since the words were gathered: a word split at a line end and
    /// mended), whose words that the rewriting adds are `more` (those it
    /// takes away went with [`DocumentWords::without`]); the set of words,
    /// if made, is changed to match.
    pub fn rewritten(mut self, lines: Vec<(usize, (String, SpanMap))>, more: &WordCounts) -> Self {
        let mut vocabulary = self.vocabulary.take();
        for (line, now) in lines {
            if let Some(words) = vocabulary.as_mut() {
                words.remove(self.read(line));
                words.add(&now.0);
            }
            self.repaired.insert(line, now);
        }
        if let Some(words) = vocabulary {
            self.vocabulary = OnceCell::from(words);
        }
        if let Some(counts) = self.counts.get_mut() {
            for (word, n) in more {
                *counts.entry(word.clone()).or_insert(0) += n;
            }
        }
        self
    }

    /// Whether line `index` was left out when the words were gathered.
    pub fn skipped(&self, index: usize) -> bool {
        self.skipped.get(index).copied().unwrap_or(false)
    }

    /// Line `index` as it is read: repaired, or as written.
    pub fn read(&self, index: usize) -> &str {
        self.repaired
            .get(&index)
            .map_or(self.doc.line(index), |(text, _)| text.as_str())
    }

    /// The counts, when a stage has asked for them already.
    pub fn counts_made(&self) -> Option<&WordCounts> {
        self.counts.get()
    }

    /// How often each word of two letters or more is used.
    pub fn counts(&self) -> &WordCounts {
        self.counts.get_or_init(|| word_counts(self.lines()))
    }

    /// The lines read, as read.
    fn lines(&self) -> impl Iterator<Item = &str> {
        (0..self.doc.len())
            .filter(|&i| !self.skipped.get(i).copied().unwrap_or(false))
            .map(|i| self.read(i))
    }

    /// Line `index` as the changes inside it leave it, with the map back to
    /// the line as written, when changes inside it are made.
    pub fn repaired(&self, index: usize) -> Option<(&str, &SpanMap)> {
        self.repaired.get(&index).map(|(t, m)| (t.as_str(), m))
    }

    /// The words of three letters or more, lower case.
    pub fn vocabulary(&self) -> &WordSet {
        self.vocabulary.get_or_init(|| WordSet::of(self.lines()))
    }

    /// The counts alone, the rest let go (what the cleaning still needs).
    pub fn into_counts(self) -> WordCounts {
        self.counts();
        self.counts.into_inner().unwrap_or_default()
    }
}

/// Whether `gone` more uses of `word` (lower case) taken from `counts` leave
/// it used fewer than twice when it was used twice or more: the one change
/// of counts a verdict reads (see [`used_again`]).
pub fn falls_below_two(counts: &WordCounts, word: &str, gone: usize) -> bool {
    let was = counts.get(word).copied().unwrap_or(0);
    was >= 2 && was.saturating_sub(gone) < 2
}

/// Takes the words of removed lines (`gone`) from `counts`.
pub fn subtract(counts: &mut WordCounts, gone: &WordCounts) {
    for (word, n) in gone {
        if let Some(count) = counts.get_mut(word) {
            *count = count.saturating_sub(*n);
            if *count == 0 {
                counts.remove(word);
            }
        }
    }
}

/// Whether the document uses `word` (any case) twice or more.
pub fn used_again(counts: &WordCounts, word: &str) -> bool {
    with_lowercase(word, |lower| counts.get(lower).is_some_and(|&n| n >= 2))
}

/// Whether a token reads as text: `None` for a mark.
pub fn reads_as_text(token: &str, lexicon: &Lexicon, counts: &WordCounts) -> Option<bool> {
    let core = token.trim_matches(TRIM);
    if core.is_empty() {
        return None;
    }
    let used = |w: &str| lexicon.contains(w) || used_again(counts, w);
    let digits = core.chars().filter(char::is_ascii_digit).count();
    // A number (12, 6:38, 2-15-75, 3.), with a letter after it (15A).
    let number = core.starts_with(|c: char| c.is_ascii_digit())
        && core
            .trim_end_matches(|c: char| c.is_ascii_uppercase())
            .chars()
            .all(|c| c.is_ascii_digit() || CODE_SEPARATORS.contains(&c) || c == ',');
    if number {
        return Some(digits >= 2 || token.ends_with('.'));
    }
    // An abbreviation of letters and periods (p.m., U.S., D.C.).
    if core.contains('.')
        && token.ends_with('.')
        && core
            .split('.')
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic))
    {
        return Some(true);
    }
    // A code of capitals and digits with separators (DC/R, OCT-01).
    if core.contains(CODE_SEPARATORS)
        && core.split(CODE_SEPARATORS).all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
    {
        return Some(true);
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
    let tokens: Vec<(&str, Option<bool>)> = text
        .split_whitespace()
        .map(|t| (t, reads_as_text(t, lexicon, counts)))
        .collect();
    let as_text = |(_, r): &&(&str, Option<bool>)| *r == Some(true);
    if visible.count <= 2 && !tokens.iter().any(|t| as_text(&t)) {
        return Some(Garbage::Fragment);
    }
    let text_chars: usize = tokens
        .iter()
        .filter(as_text)
        .map(|(t, _)| t.chars().count())
        .sum();
    // Most lines are text by their share alone: no word is looked up again.
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
