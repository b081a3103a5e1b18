//! Declassification stage: groups the lines matched by declassification rules
//! into blocks (one per stamp) and decides the document's status.
//!
//! Lines of one stamp are often separated by blank lines, and OCR sometimes
//! leaves one short unreadable line inside a stamp; such a line, sandwiched
//! between two stamp lines, belongs to the block and is removed with it.

use crate::classification::Classification;
use crate::decode::Document;
use crate::model::{Category, DeclassStatus};
use crate::rules::RuleSet;
use crate::scan::Match;
use serde::{Deserialize, Serialize};

/// At most this many non-blank unmatched lines may sit between two lines of
/// one block, each at most [`MAX_INTERIOR_CHARS`] characters long.
pub const MAX_INTERIOR_LINES: usize = 1;
pub const MAX_INTERIOR_CHARS: usize = 40;

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
    let mut lines: Vec<usize> = matches
        .iter()
        .filter(|m| rules.get(m.rule).category == Category::Declassification)
        .flat_map(|m| m.line..=m.end_line)
        .collect();
    lines.sort_unstable();
    lines.dedup();

    let mut ranges: Vec<(usize, usize)> = Vec::new();
    let mut interior_lines = Vec::new();
    for &line in &lines {
        if let Some(last) = ranges.last_mut() {
            let gap: Vec<usize> = (last.1 + 1..line)
                .filter(|&i| !is_blank(doc.line(i)))
                .collect();
            let joinable = gap.len() <= MAX_INTERIOR_LINES
                && gap
                    .iter()
                    .all(|&i| doc.line(i).trim().chars().count() <= MAX_INTERIOR_CHARS);
            if joinable {
                interior_lines.extend(gap);
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
