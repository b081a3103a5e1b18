//! Declassification stage: groups the lines matched by declassification rules
//! into blocks (one per stamp) and decides the document's status.
//!
//! Lines of one stamp are often separated by blank lines, by other marks that
//! rules explain (a classification stamp between two stamp lines), and OCR
//! sometimes leaves one short unreadable line inside a stamp: such a line,
//! sandwiched between two stamp lines, belongs to the block and is removed
//! with it. A line of a `starts-block` rule (a stamp's header, a one-line
//! release) always begins a new block.

use crate::classification::Classification;
use crate::decode::Document;
use crate::model::{Category, DeclassStatus};
use crate::rules::RuleSet;
use crate::scan::Match;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Between two lines of one block there may be at most this many non-blank
/// lines that no rule explains, each at most [`MAX_INTERIOR_CHARS`]
/// characters long, and at most [`MAX_EXPLAINED_GAP`] lines that other
/// rules explain.
pub const MAX_INTERIOR_LINES: usize = 1;
pub const MAX_INTERIOR_CHARS: usize = 40;
pub const MAX_EXPLAINED_GAP: usize = 2;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub start_line: usize,
    pub end_line: usize,
    /// The block's non-blank lines, joined with newlines.
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declassification {
    pub status: DeclassStatus,
    pub blocks: Vec<Block>,
}

/// The blocks of a document, and the unmatched lines (0-based) inside them.
pub struct Assembled {
    pub declassification: Declassification,
    pub interior_lines: Vec<usize>,
}

fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

pub fn assemble(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    classification: &Classification,
) -> Assembled {
    let mut explained = BTreeSet::new();
    let mut stamp_lines = BTreeSet::new();
    let mut block_starts = BTreeSet::new();
    for m in matches {
        let rule = rules.get(m.rule);
        explained.extend(m.line..=m.end_line);
        if rule.category == Category::Declassification {
            stamp_lines.extend(m.line..=m.end_line);
            if rule.starts_block {
                block_starts.insert(m.line);
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
                    .all(|&i| doc.line(i).trim().chars().count() <= MAX_INTERIOR_CHARS);
            if joinable {
                interior_lines.extend(unknown);
                last.1 = line;
                continue;
            }
        }
        ranges.push((line, line));
    }

    let blocks: Vec<Block> = ranges
        .iter()
        .map(|&(start, end)| Block {
            start_line: start + 1,
            end_line: end + 1,
            text: (start..=end)
                .map(|i| doc.line(i).trim())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect();
    let status = match (blocks.is_empty(), classification.markings.is_empty()) {
        (false, _) => DeclassStatus::Declassified,
        (true, false) => DeclassStatus::ClassifiedWithoutAuthority,
        (true, true) => DeclassStatus::Unmarked,
    };
    Assembled {
        declassification: Declassification { status, blocks },
        interior_lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classification::classify;
    use crate::decode::{decode, Decoded};
    use crate::scan::scan;

    fn assembled(text: &str) -> Assembled {
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let rules = RuleSet::builtin().unwrap();
        let matches = scan(&doc, &rules);
        let classification = classify(&doc, &rules, &matches);
        assemble(&doc, &rules, &matches, &classification)
    }

    fn blocks(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
        let assembled = assembled(text);
        let ranges = assembled
            .declassification
            .blocks
            .iter()
            .map(|b| (b.start_line, b.end_line))
            .collect();
        (ranges, assembled.interior_lines)
    }

    #[test]
    fn lines_of_one_stamp_join_across_blanks_and_other_marks() {
        let text = "DECLASSIFIED\n\nE.O. 11652, Sec. 3(E)\n~~SECRET~~\nBy NLT-HC, NARS Date 12-2-75\n\nBody text that goes on for a while here.\n";
        assert_eq!(blocks(text), (vec![(1, 5)], vec![]));
    }

    #[test]
    fn one_short_unread_line_inside_a_stamp_belongs_to_it() {
        let text =
            "DECLASSIFIED\nof State letter, 2-15-75\nAug 9, 1973\n\nN.T. 12, NARS Date 4-2-75\n";
        assert_eq!(blocks(text), (vec![(1, 5)], vec![2]));
    }

    #[test]
    fn a_header_starts_a_new_block_and_body_text_separates_blocks() {
        let text = "DECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\nDECLASSIFIED\nE.O. 11652, Sec. 3(E)\nA long line of body text that is no part of any stamp at all.\nBy NLT-HC, NARS Date 12-2-75\n";
        assert_eq!(blocks(text), (vec![(1, 2), (3, 4), (6, 6)], vec![]));
    }

    #[test]
    fn status_follows_markings_and_blocks() {
        let status = |text: &str| assembled(text).declassification.status;
        assert_eq!(
            status("SECRET\nbody\n"),
            DeclassStatus::ClassifiedWithoutAuthority
        );
        assert_eq!(
            status("SECRET\nDECLASSIFIED\n"),
            DeclassStatus::Declassified
        );
        assert_eq!(status("body\n"), DeclassStatus::Unmarked);
    }
}
