//! The document's words: how often each is used (two letters or more), and
//! the set of those of three letters or more, gathered once from the lines
//! that stay (read as repaired) and kept up to date as later stages remove
//! or rewrite lines. The garbage judgement leans on them: a word the
//! document uses again is text.

use crate::audit::decode::{ByLine, Document};
use crate::audit::spans::SpanMap;
use crate::audit::text::has_chars;
use crate::diagnostic::LineMask;
use crate::rules::lexicon::with_lowercase;
use std::cell::OnceCell;
use std::collections::HashMap;

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
        // Most words neither begin nor end with a hyphen: not trimmed.
        let w = if w.starts_with('-') || w.ends_with('-') {
            w.trim_matches('-')
        } else {
            w
        };
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
    skipped: LineMask,
    counts: OnceCell<WordCounts>,
    vocabulary: OnceCell<WordSet>,
    /// How many of the audit's edits (kept in the order made) the lines
    /// read as rewritten take in: a line only edits after them can have
    /// changed since.
    edits_seen: usize,
}

impl<'d> DocumentWords<'d> {
    /// The words of `doc`, reading the lines in `repaired` as repaired and
    /// leaving out the lines `skipped` marks.
    pub fn new(
        doc: &'d Document,
        repaired: ByLine<(String, SpanMap)>,
        skipped: LineMask,
    ) -> DocumentWords<'d> {
        DocumentWords {
            doc,
            repaired,
            skipped,
            counts: OnceCell::new(),
            vocabulary: OnceCell::new(),
            edits_seen: 0,
        }
    }

    /// The same words with the lines `gone` marks left out too (lines a
    /// later stage removed, as the cleaned text audited again will not
    /// have them), whose words are `gone_counts`: the counts and the set of
    /// words, if made, lose them.
    pub fn without(mut self, gone: &LineMask, gone_counts: &WordCounts) -> DocumentWords<'d> {
        self.skipped.resize(self.doc.len(), false);
        let mut vocabulary = self.vocabulary.take();
        for (i, g) in gone.iter().enumerate() {
            if g && !self.skipped[i] {
                if let Some(words) = vocabulary.as_mut() {
                    words.remove(self.read(i));
                }
                self.skipped.set(i, true);
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

    /// How many of the audit's edits the lines as read take in.
    pub fn edits_seen(&self) -> usize {
        self.edits_seen
    }

    /// The same words, taking in the first `edits` of the audit's edits.
    pub fn seeing(mut self, edits: usize) -> Self {
        self.edits_seen = edits;
        self
    }

    /// Whether line `index` was left out when the words were gathered.
    pub fn skipped(&self, index: usize) -> bool {
        self.skipped.get(index).unwrap_or(false)
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
            .filter(|&i| !self.skipped.get(i).unwrap_or(false))
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
