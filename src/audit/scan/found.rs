//! What the scan finds: one match of one rule, and how matches nested in
//! another of their category on one line are dropped.

use crate::diagnostic::narrow;
use crate::model::{Field, Level};
use crate::rules::RuleSet;

/// One match of one rule. Most matches read nothing beyond their span: what
/// a match reads is held apart ([`Read`]), so the many plain matches of a
/// long document stay small.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// Where it is (see the accessors below).
    place: Place,
    pub struck: bool,
    /// For rules with a `page` group: the printed page number.
    pub page: Option<u32>,
    /// What the match read, if anything (see the accessors below).
    pub read: Option<Box<Read>>,
}

/// The rule of a match and where it is, in four bytes each (see
/// [`crate::diagnostic::narrow`]): a match is forty bytes, not sixty-four,
/// and a long document's matches are hundreds of thousands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    rule: u32,
    line: u32,
    end_line: u32,
    start: u32,
    end: u32,
}

/// What a match read from its text, beyond its span: 64 bytes, each part
/// boxed to its size (a long document's stamps are many).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    /// For classification rules: the level read from the `level` group.
    pub level: Option<Level>,
    /// For declassification rules: the stamp fields read, with their byte
    /// spans in the line (four bytes each: see [`Read::field`]).
    pub fields: Box<[(Field, u32, u32)]>,
    /// For `replace` rules: the replacement with its groups expanded.
    pub replacement: Option<Box<str>>,
    /// For a line read through a rule's `fuzzy-words`: the word OCR garbled,
    /// and the edit distance to it.
    pub fuzzy: Option<Box<(String, usize)>>,
}

impl Read {
    /// A stamp field read over bytes `start..end` of its line (a span past
    /// the four billionth byte of a line is not kept).
    pub fn field(field: Field, start: usize, end: usize) -> Option<(Field, u32, u32)> {
        Some((field, u32::try_from(start).ok()?, u32::try_from(end).ok()?))
    }
}

impl Match {
    /// A match of rule `rule` over bytes `start..end` of line `line`, with
    /// nothing read from it.
    pub(super) fn plain(rule: usize, line: usize, start: usize, end: usize) -> Match {
        Match {
            place: Place {
                rule: narrow(rule),
                line: narrow(line),
                end_line: narrow(line),
                start: narrow(start),
                end: narrow(end),
            },
            struck: false,
            page: None,
            read: None,
        }
    }

    /// Index of the rule in the rule set.
    #[inline]
    pub fn rule(&self) -> usize {
        self.place.rule as usize
    }

    /// 0-based line of the match.
    #[inline]
    pub fn line(&self) -> usize {
        self.place.line as usize
    }

    /// 0-based last line of the match (of a region; its line otherwise).
    #[inline]
    pub fn end_line(&self) -> usize {
        self.place.end_line as usize
    }

    /// Byte span in the text of its line (for a region, the whole first
    /// line).
    #[inline]
    pub fn start(&self) -> usize {
        self.place.start as usize
    }

    #[inline]
    pub fn end(&self) -> usize {
        self.place.end as usize
    }

    /// This match reaching to line `end_line` (a region).
    pub fn through(mut self, end_line: usize) -> Match {
        self.place.end_line = narrow(end_line);
        self
    }

    /// This match moved to bytes `start..end` of line `line` alone.
    pub fn moved(mut self, line: usize, start: usize, end: usize) -> Match {
        self.place.line = narrow(line);
        self.place.end_line = narrow(line);
        self.place.start = narrow(start);
        self.place.end = narrow(end);
        self
    }

    /// This match with what it read (held only when it read something).
    pub(super) fn reading(self, read: Read) -> Match {
        Match {
            read: (read != Read::default()).then(|| Box::new(read)),
            ..self
        }
    }

    /// The classification level read, if any.
    pub fn level(&self) -> Option<&Level> {
        self.read.as_ref().and_then(|r| r.level.as_ref())
    }

    /// The stamp fields read, with their byte spans in the line.
    pub fn fields(&self) -> impl Iterator<Item = (Field, usize, usize)> + '_ {
        self.read
            .as_ref()
            .map_or(&[][..], |r| &r.fields)
            .iter()
            .map(|&(field, start, end)| (field, start as usize, end as usize))
    }

    /// The replacement with its groups expanded, for `replace` rules.
    pub fn replacement(&self) -> Option<&str> {
        self.read.as_ref().and_then(|r| r.replacement.as_deref())
    }

    /// The marking word OCR garbled and the edit distance to it.
    pub fn fuzzy(&self) -> Option<(&str, usize)> {
        self.read
            .as_ref()
            .and_then(|r| r.fuzzy.as_deref())
            .map(|(word, distance)| (word.as_str(), *distance))
    }
}

/// Removes matches lying inside another match of the same category on the
/// same line (of two matches of one span, the earlier is kept). Sorted by
/// start, then longest first: a match lies inside an earlier one exactly
/// when an earlier one of its category reaches as far; linear after the sort,
/// however many matches a long line has.
pub(super) fn drop_nested(line_matches: &mut Vec<Match>, rules: &RuleSet) {
    if line_matches.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..line_matches.len()).collect();
    order.sort_by_key(|&i| {
        let m = &line_matches[i];
        (
            rules.get(m.rule()).category,
            m.start(),
            std::cmp::Reverse(m.end()),
            i,
        )
    });
    let mut keep = vec![true; line_matches.len()];
    let mut reach: Option<(crate::model::Category, usize)> = None;
    for i in order {
        let m = &line_matches[i];
        let category = rules.get(m.rule()).category;
        match reach {
            Some((c, end)) if c == category && m.end() <= end => keep[i] = false,
            Some((c, end)) if c == category => reach = Some((c, end.max(m.end()))),
            _ => reach = Some((category, m.end())),
        }
    }
    let mut flags = keep.into_iter();
    line_matches.retain(|_| flags.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_match_is_forty_bytes_and_reads_back_where_it_is() {
        // The bench's 40 MB document has 182,344 matches.
        assert!(std::mem::size_of::<Match>() <= 40);
        let m = Match::plain(7, 12, 3, 9);
        assert_eq!(
            (m.rule(), m.line(), m.end_line(), m.start(), m.end()),
            (7, 12, 12, 3, 9)
        );
        let region = m.clone().through(20);
        assert_eq!((region.line(), region.end_line()), (12, 20));
        let moved = region.moved(30, 1, 4);
        assert_eq!(
            (
                moved.rule(),
                moved.line(),
                moved.end_line(),
                moved.start(),
                moved.end()
            ),
            (7, 30, 30, 1, 4)
        );
    }
}
