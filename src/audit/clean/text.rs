//! The cleaned text as what each original line of a document becomes,
//! written straight from the document.

use crate::audit::decode::Document;
use crate::audit::sink::Sink;
use crate::diagnostic::narrow;
use std::collections::BTreeMap;
use std::num::NonZeroU32;

/// What an original line becomes in the cleaned text, in four bytes:
/// removed, the same, or the index of its new text in
/// [`CleanText::changed`] (a long document's lines are many). A changed
/// line holds a character and its terminator, so a document of at most
/// `u32::MAX` bytes (`--max-bytes`) has fewer changed lines than the two
/// values kept for removed and the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Becomes(u32);

impl Becomes {
    const REMOVED: Becomes = Becomes(u32::MAX);
    /// Its text as decoded, unchanged.
    const SAME: Becomes = Becomes(u32::MAX - 1);
}

/// The cleaned text as what each original line becomes: the changed lines'
/// texts and nothing of the rest, so that the text is written straight
/// from the document (see [`CleanText::write`]), never held whole.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CleanText {
    lines: Vec<Becomes>,
    /// The new texts (changes inside a line, or a paragraph joined onto it).
    changed: Vec<Box<str>>,
}

impl CleanText {
    /// Every line of `doc` as it is.
    pub(super) fn same(doc: &Document) -> CleanText {
        CleanText {
            lines: vec![Becomes::SAME; doc.len()],
            changed: Vec::new(),
        }
    }

    /// The text that original line `index` becomes, without its terminator
    /// (`None`: removed).
    pub fn text<'a>(&'a self, doc: &'a Document, index: usize) -> Option<&'a str> {
        match self.lines[index] {
            Becomes::REMOVED => None,
            Becomes::SAME => Some(doc.line(index)),
            Becomes(changed) => self.changed.get(changed as usize).map(|t| &**t),
        }
    }

    pub(super) fn is_removed(&self, index: usize) -> bool {
        self.lines[index] == Becomes::REMOVED
    }

    pub(super) fn remove(&mut self, index: usize) {
        self.lines[index] = Becomes::REMOVED;
    }

    /// Line `index` becomes `text` (its earlier new text, if any, replaced).
    pub(super) fn change(&mut self, index: usize, text: &str) {
        match self.lines[index] {
            Becomes(changed) if (changed as usize) < self.changed.len() => {
                self.changed[changed as usize] = text.into();
            }
            _ => {
                // Always below `SAME` (see [`Becomes`]).
                self.lines[index] = Becomes(narrow(self.changed.len()).min(Becomes::SAME.0 - 1));
                self.changed.push(text.into());
            }
        }
    }

    /// Whether original line `index` is in the cleaned text byte for byte.
    pub fn is_unchanged(&self, doc: &Document, index: usize) -> bool {
        let Some(text) = self.text(doc, index) else {
            return false;
        };
        *doc.raw_content(index) == *text.as_bytes()
    }

    /// Writes the bytes original line `index` becomes, terminator included;
    /// returns whether it wrote any.
    pub fn put_line(&self, doc: &Document, index: usize, out: &mut dyn Sink) -> bool {
        let Some(text) = self.text(doc, index) else {
            return false;
        };
        let ending = doc.ending(index);
        out.put(text.as_bytes());
        out.put(ending.as_bytes());
        !text.is_empty() || !ending.is_empty()
    }

    /// Writes the whole cleaned text.
    pub fn write(&self, doc: &Document, out: &mut dyn Sink) {
        for index in 0..self.lines.len() {
            self.put_line(doc, index, out);
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    pub fn kept_lines(&self) -> usize {
        self.lines
            .iter()
            .filter(|l| **l != Becomes::REMOVED)
            .count()
    }

    /// Whether any line is removed.
    pub(super) fn any_removed(&self) -> bool {
        self.lines.contains(&Becomes::REMOVED)
    }

    /// The 1-based line of the cleaned text holding the text of each
    /// original line, in order (`None` where the text was removed, or past
    /// the four billionth line), the lines `moved` onto another (line →
    /// that line, an earlier one) at that line's. Made as they are read,
    /// not held: a long document's lines are millions.
    pub(super) fn line_numbers<'a>(
        &'a self,
        moved: &'a BTreeMap<usize, usize>,
    ) -> impl Iterator<Item = Option<NonZeroU32>> + 'a {
        // The lines others moved onto, with their numbers once read (a
        // document's joins are few); both lists are walked in line order.
        let mut targets: Vec<(usize, Option<NonZeroU32>)> =
            moved.values().map(|&to| (to, None)).collect();
        targets.sort_unstable_by_key(|&(to, _)| to);
        targets.dedup_by_key(|&mut (to, _)| to);
        let (mut next_target, mut moves) = (0, moved.iter().peekable());
        let mut next = 0u32;
        self.lines.iter().enumerate().map(move |(i, l)| {
            let mut number = if *l == Becomes::REMOVED {
                None
            } else {
                next = next.saturating_add(1);
                NonZeroU32::new(next).filter(|_| next < u32::MAX)
            };
            if let Some((_, &to)) = moves.next_if(|&(&from, _)| from == i) {
                number = targets
                    .binary_search_by_key(&to, |&(t, _)| t)
                    .ok()
                    .and_then(|k| targets[k].1);
            }
            if targets.get(next_target).is_some_and(|&(t, _)| t == i) {
                targets[next_target].1 = number;
                next_target += 1;
            }
            number
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};

    #[test]
    fn a_line_joined_onto_another_is_numbered_as_that_line() {
        let Decoded::Text(doc) = decode(b"a\nb\nc\nd\ne\nf\ng\n".to_vec()) else {
            unreachable!()
        };
        let mut text = CleanText::same(&doc);
        // Line 1 goes; line 3 is joined onto line 2, line 6 onto line 4.
        for removed in [1, 3, 6] {
            text.remove(removed);
        }
        let moved = BTreeMap::from([(3, 2), (6, 4)]);
        let numbers: Vec<Option<u32>> = text
            .line_numbers(&moved)
            .map(|n| n.map(NonZeroU32::get))
            .collect();
        assert_eq!(
            numbers,
            [Some(1), None, Some(2), Some(2), Some(3), Some(4), Some(3)]
        );
        let none = BTreeMap::new();
        assert_eq!(text.line_numbers(&none).filter(Option::is_some).count(), 4);
    }
}
