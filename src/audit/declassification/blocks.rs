//! Declassification blocks: lines matched by declassification rules form
//! blocks, one per stamp. Lines of one stamp are often separated by blank
//! lines, by other marks that rules explain (a classification stamp between
//! two stamp lines), and OCR sometimes leaves one short unreadable line
//! inside a stamp: such a line, sandwiched between two stamp lines, belongs
//! to the block and is removed with it. A line of a `starts-block` rule (a
//! stamp's header, a one-line release) always begins a new block; a line of
//! a `block = false` rule (a cable's own instructions, an exemption code) is
//! a reference, not part of a release stamp.

use super::consensus::Reading;
use super::record::{AgencyLetter, BlockFields};
use crate::audit::decode::{is_blank, Document};
use crate::audit::scan::Match;
use crate::audit::text::has_chars;
use crate::diagnostic::LineMask;
use crate::model::{Category, Field};
use crate::rules::RuleSet;
use std::collections::BTreeSet;

/// Between two lines of one block there may be at most this many non-blank
/// lines that no rule explains, each at most [`MAX_INTERIOR_CHARS`]
/// characters long, and at most [`MAX_EXPLAINED_GAP`] lines that other
/// rules explain.
pub const MAX_INTERIOR_LINES: usize = 1;
pub const MAX_INTERIOR_CHARS: usize = 40;
pub const MAX_EXPLAINED_GAP: usize = 2;

/// The blocks of a document: line ranges (0-based, inclusive), and the
/// unmatched lines inside them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Blocks {
    pub ranges: Vec<(usize, usize)>,
    pub interior_lines: Vec<usize>,
}

impl Blocks {
    /// The block that holds line `line`, if any. The ranges are disjoint
    /// and in line order ([`group`] makes them so): the one to look at is
    /// the last that starts at or before the line, found by halving.
    pub fn holding(&self, line: usize) -> Option<usize> {
        let b = self
            .ranges
            .partition_point(|&(start, _)| start <= line)
            .checked_sub(1)?;
        (line <= self.ranges[b].1).then_some(b)
    }

    /// Which of a document's `lines` lie in a block.
    pub fn mask(&self, lines: usize) -> LineMask {
        let mut mask = LineMask::new(lines);
        for &(a, b) in &self.ranges {
            mask.mark(a..=b);
        }
        mask
    }
}

/// Groups stamp lines into blocks (line ranges), and finds interior lines.
pub fn group(doc: &Document, rules: &RuleSet, matches: &[Match]) -> Blocks {
    let mut explained = BTreeSet::new();
    let mut stamp_lines = BTreeSet::new();
    let mut block_starts = BTreeSet::new();
    for m in matches {
        let rule = rules.get(m.rule());
        explained.extend(m.line()..=m.end_line());
        if rule.category == Category::Declassification && rule.block {
            stamp_lines.extend(m.line()..=m.end_line());
            if rule.starts_block {
                block_starts.insert(m.line());
            }
        }
    }
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut interior_lines = Vec::new();
    for &line in &stamp_lines {
        if let Some(last) = ranges.last_mut() {
            let gap: Vec<usize> = (last.1 + 1..line)
                .filter(|&i| !is_blank(doc.line(i)))
                .collect();
            let (known, unknown): (Vec<usize>, Vec<usize>) =
                gap.into_iter().partition(|i| explained.contains(i));
            let joinable = !block_starts.contains(&line)
                && known.len() <= MAX_EXPLAINED_GAP
                && unknown.len() <= MAX_INTERIOR_LINES
                && unknown
                    .iter()
                    .all(|&i| !has_chars(doc.line(i).trim(), MAX_INTERIOR_CHARS + 1));
            if joinable {
                interior_lines.extend(unknown);
                last.1 = line;
                continue;
            }
        }
        ranges.push((line, line));
    }
    Blocks {
        ranges,
        interior_lines,
    }
}

/// What the stamp on the lines of `range` (0-based, inclusive) says, read
/// from its `readings`.
pub fn block_of(
    doc: &Document,
    rules: &RuleSet,
    range: (usize, usize),
    readings: &[Reading],
) -> BlockFields {
    let (start, end) = range;
    let first = |field: Field| readings.iter().find(|r| r.field == field).map(|r| &*r.text);
    let text = |field: Field| first(field).map(Box::from);
    let date = |field: Field| first(field).map(|t| Box::new(rules.dates().printed(t)));
    let agency = first(Field::Agency).map(str::to_string);
    let letter_date = first(Field::LetterDate).map(|t| rules.dates().printed(t));
    BlockFields {
        text: (start..=end)
            .map(|i| doc.line(i).trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n")
            .into_boxed_str(),
        executive_order: text(Field::ExecutiveOrder),
        sections: text(Field::Sections),
        agency_letter: (agency.is_some() || letter_date.is_some()).then(|| {
            Box::new(AgencyLetter {
                agency,
                date: letter_date,
            })
        }),
        publication_reference: text(Field::PublicationReference),
        reviewer: text(Field::Reviewer),
        case_number: text(Field::CaseNumber),
        archive: text(Field::Archive),
        review_date: date(Field::ReviewDate),
        release_date: date(Field::ReleaseDate),
        document_number: text(Field::DocumentNumber),
        release_year: text(Field::ReleaseYear),
        doc_id: text(Field::DocId),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_block_holding_a_line_is_the_range_around_it() {
        let blocks = Blocks {
            ranges: vec![(0, 0), (2, 4), (7, 7), (9, 12)],
            interior_lines: Vec::new(),
        };
        for line in 0..15 {
            let around = blocks
                .ranges
                .iter()
                .position(|&(a, b)| a <= line && line <= b);
            assert_eq!(blocks.holding(line), around, "line {line}");
        }
        assert_eq!(Blocks::default().holding(3), None);
    }
}
