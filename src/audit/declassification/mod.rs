//! Declassification stage: reads the declassification stamps of a document
//! as data, checks them, and repairs them by consensus.
//!
//! - **Blocks.** Lines matched by declassification rules form blocks, one per
//!   stamp. Lines of one stamp are often separated by blank lines, by other
//!   marks that rules explain (a classification stamp between two stamp
//!   lines), and OCR sometimes leaves one short unreadable line inside a stamp:
//!   such a line, sandwiched between two stamp lines, belongs to the block and
//!   is removed with it. A line of a `starts-block` rule (a stamp's header, a
//!   one-line release) always begins a new block; a line of a `block = false`
//!   rule (a cable's own instructions, an exemption code) is a reference, not
//!   part of a release stamp.
//! - **Fields.** The rules' named capture groups read the fields of a stamp
//!   (executive order, sections, agency letter, reviewer, archive, dates…);
//!   dates are read with the formats of `dates.toml`.
//! - **Consensus.** The same stamp is usually applied to every sheet. For each
//!   field the majority reading across the blocks is taken. A block that
//!   disagrees within a small edit distance, or whose other fields agree with
//!   the majority (the same stamp, garbled), is reported as OCR corruption with
//!   the suggested reading and its support; a block that disagrees otherwise
//!   is another stamp, and the disagreement is a discrepancy.
//! - **Validation** against `facts.toml`: an order cited before it was signed,
//!   or long after it was replaced; NARS after the archive became NARA, or
//!   NARA before; a review before the document's own date; markings without
//!   any authority; unstruck markings on a declassified document.

pub mod blocks;
pub mod consensus;
pub mod record;
pub mod validate;

pub use record::{
    AgencyLetter, Agreed, Block, BlockFields, Declassification, ReadFields, Reference,
};

use crate::audit::classification::Classification;
use crate::audit::dates::DocumentDate;
use crate::audit::decode::Document;
use crate::audit::scan::Match;
use crate::diagnostic::{shared, Edit, Proposal};
use crate::model::{Category, DeclassStatus, Field};
use crate::rules::vocabulary::AuthorityPhrases;
use crate::rules::{Check, RuleSet};
use blocks::{block_of, Blocks};
use consensus::{cluster, consensus, disagreement, Reading, Readings, Stamp};
use std::collections::{BTreeMap, HashSet};

/// What the stage produced: the declassification record, and its findings
/// with the removal of the unmatched lines inside blocks.
pub struct Assembled {
    pub declassification: Declassification,
    pub proposals: Vec<Proposal>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The one-line authority from the consensus fields, phrased as the
/// vocabulary says.
fn authority(phrases: &AuthorityPhrases, consensus: &BTreeMap<Field, Agreed>) -> Option<String> {
    let value = |f: Field| consensus.get(&f).map(|a| a.value.trim().to_string());
    let date = |f: Field| {
        consensus
            .get(&f)
            .map(|a| a.iso.map_or_else(|| a.value.clone(), |d| d.to_string()))
    };
    let mut parts = Vec::new();
    if let Some(order) = value(Field::ExecutiveOrder) {
        parts.push(phrases.executive_order(&order));
    }
    if let Some(reviewer) = value(Field::Reviewer) {
        parts.push(collapse(&reviewer));
    }
    match (value(Field::Archive), date(Field::ReviewDate)) {
        (Some(archive), Some(review)) => parts.push(format!("{archive} {review}")),
        (Some(archive), None) => parts.push(archive),
        (None, Some(review)) => parts.push(review),
        (None, None) => {}
    }
    parts.extend(value(Field::CaseNumber));
    parts.extend(value(Field::DocumentNumber));
    if let Some(release) = date(Field::ReleaseDate) {
        parts.push(phrases.release_date(&release));
    }
    (!parts.is_empty()).then(|| parts.join(&phrases.separator))
}

/// The fields read by the declassification matches: per block, and the
/// lines that are references rather than stamp lines.
fn read_fields(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    blocks: &Blocks,
) -> (Readings, Vec<Reference>) {
    // The block of a stamp line, `None` for a reference; a match of no
    // stamp rule reads nothing here.
    let block = |m: &Match| {
        let rule = rules.get(m.rule());
        let stamp = rule.block && rule.category == Category::Declassification;
        let reads = !rule.fields.is_empty() || rule.category == Category::Declassification;
        reads.then(|| blocks.holding(m.line()).filter(|_| stamp))
    };
    // Counted first: a long document's readings are hundreds of thousands,
    // and a vector grown to them would hold up to twice their room.
    let in_blocks = matches
        .iter()
        .filter(|m| matches!(block(m), Some(Some(_))))
        .map(|m| m.fields().count())
        .sum();
    let mut readings = Vec::with_capacity(in_blocks);
    let mut block_of = Vec::with_capacity(in_blocks);
    let mut references = Vec::new();
    let mut texts = crate::diagnostic::Texts::default();
    for m in matches {
        let Some(holding) = block(m) else {
            continue;
        };
        let rule = rules.get(m.rule());
        let text = doc.line(m.line());
        let read: Vec<Reading> = m
            .fields()
            .map(|(field, start, end)| {
                Reading::new(
                    (rules, &mut texts),
                    field,
                    (m.line(), start, end),
                    &collapse(&text[start..end]),
                )
            })
            .collect();
        match holding {
            Some(b) => {
                block_of.extend(std::iter::repeat_n(b, read.len()));
                readings.extend(read);
            }
            None if !read.is_empty() => references.push(Reference {
                rule: shared(&rule.id),
                line: m.line() + 1,
                fields: read.into_iter().map(|r| (r.field, r.text)).collect(),
            }),
            None => {}
        }
    }
    (
        Readings::new(blocks.ranges.len(), readings, &block_of),
        references,
    )
}

/// The stamps' consensus: each cluster of copies voted field by field, and
/// the document's main stamp (the one with most copies, the first of
/// equals). Every other stamp that reads a field otherwise disagrees with
/// it; returns how many do.
fn agree<'a>(
    doc: &Document,
    rules: &RuleSet,
    readings: &'a Readings,
    findings: &mut Vec<crate::diagnostic::Finding>,
) -> (Vec<Stamp<'a>>, Option<usize>, usize) {
    let stamps: Vec<Stamp> = cluster(readings)
        .into_iter()
        .map(|copies| consensus(doc, rules, readings, copies, findings))
        .collect();
    let main = stamps
        .iter()
        .enumerate()
        .max_by_key(|(i, s)| (s.blocks.len(), std::cmp::Reverse(*i)))
        .map(|(i, _)| i);
    let mut discrepancies = 0;
    if let Some(main) = main {
        for (i, other) in stamps.iter().enumerate() {
            if i != main {
                if let Some(f) = disagreement(doc, &stamps[main], other) {
                    discrepancies += 1;
                    findings.push(f);
                }
            }
        }
    }
    (stamps, main, discrepancies)
}

/// Reads, checks and repairs the declassification stamps of a document.
pub fn assemble(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    classification: &Classification,
    blocks: &Blocks,
    document_dates: &[DocumentDate],
) -> Assembled {
    let (readings, references) = read_fields(doc, rules, matches, blocks);
    let mut held = HashSet::new();
    let records: Vec<Block> = blocks
        .ranges
        .iter()
        .zip(readings.iter())
        .map(|(&(start, end), rs)| Block {
            start_line: start + 1,
            end_line: end + 1,
            fields: block_of(doc, rules, (start, end), rs).held(&mut held),
        })
        .collect();
    drop(held);
    let mut findings = Vec::new();
    let (stamps, main, discrepancies) = agree(doc, rules, &readings, &mut findings);
    findings.extend(validate::validate(doc, rules, &stamps, document_dates));
    let consensus: BTreeMap<Field, Agreed> = main
        .map(|m| {
            stamps[m]
                .agreed
                .iter()
                .map(|(f, (_, _, v))| (*f, v.clone()))
                .collect()
        })
        .unwrap_or_default();

    // A bare DECLASSIFIED line, with no field and nothing beside it, proves
    // no release: some block must read a field or be a stamp of its own.
    let released = records
        .iter()
        .zip(readings.iter())
        .any(|(block, read)| !read.is_empty() || block.fields.text.contains('\n'));
    let vocabulary = rules.vocabulary();
    let classified = classification
        .markings
        .iter()
        .any(|m| vocabulary.is_classified(&m.level));
    let status = match (released, !classified) {
        (true, _) if discrepancies > 0 => DeclassStatus::DeclassifiedWithDiscrepancies,
        (true, _) => DeclassStatus::Declassified,
        (false, false) => DeclassStatus::ClassifiedWithoutAuthority,
        (false, true) => DeclassStatus::Unmarked,
    };
    findings.extend(validate::markings(classification, status, vocabulary));
    let mut proposals: Vec<Proposal> = findings.into_iter().map(Proposal::report).collect();
    for &line in &blocks.interior_lines {
        let finding = Check::DeclassificationBlock.finding(
            line + 1,
            doc.line(line),
            "line inside a declassification block that no rule reads (OCR damage?): removed with the block".to_string(),
        );
        let edit = Edit::remove_lines(Check::DeclassificationBlock.id(), line, line);
        proposals.push(Proposal::with_edits(finding, vec![edit]));
    }
    Assembled {
        declassification: Declassification {
            status,
            authority: authority(&rules.vocabulary().authority, &consensus).filter(|_| released),
            consensus,
            blocks: records,
            references,
        },
        proposals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::classification::classify;
    use crate::audit::decode::{decode, Decoded};
    use crate::audit::scan::scan;
    use std::sync::Arc;

    fn assembled(text: &str) -> (Assembled, Blocks) {
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let rules = RuleSet::builtin().unwrap();
        let matches = scan(&doc, &rules);
        let classification = classify(&doc, &rules, &matches);
        let blocks = blocks::group(&doc, &rules, &matches);
        let assembled = assemble(&doc, &rules, &matches, &classification, &blocks, &[]);
        (assembled, blocks)
    }

    fn blocks(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
        let (assembled, blocks) = assembled(text);
        let ranges = assembled
            .declassification
            .blocks
            .iter()
            .map(|b| (b.start_line, b.end_line))
            .collect();
        (ranges, blocks.interior_lines)
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
        let status = |text: &str| assembled(text).0.declassification.status;
        assert_eq!(
            status("SECRET\nbody\n"),
            DeclassStatus::ClassifiedWithoutAuthority
        );
        assert_eq!(
            status("SECRET\nDECLASSIFIED\n"),
            DeclassStatus::ClassifiedWithoutAuthority,
            "a bare DECLASSIFIED proves no release"
        );
        assert_eq!(
            status("SECRET\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n"),
            DeclassStatus::Declassified
        );
        assert_eq!(
            status("UNCLASSIFIED\nbody\n"),
            DeclassStatus::Unmarked,
            "UNCLASSIFIED is a marking that needs no authority"
        );
        assert_eq!(
            status("LIMITED OFFICIAL USE\nbody\n"),
            DeclassStatus::Unmarked
        );
        assert_eq!(status("body\n"), DeclassStatus::Unmarked);
    }

    #[test]
    fn a_stamp_printed_again_is_held_once_and_written_in_each_block() {
        let stamp = "Approved For Release 2007/12/22 : CIA-RDP83B00551R004847830010-3";
        let other = "Approved For Release 2008/01/02 : CIA-RDP83B00551R004847830011-2";
        let text = format!(
            "{stamp}\nA long line of body text that is no part of any stamp at all.\n{stamp}\nMore body text that goes on for a while, to part the stamps.\n{other}\n"
        );
        let blocks = assembled(&text).0.declassification.blocks;
        let lines: Vec<_> = blocks.iter().map(|b| (b.start_line, b.end_line)).collect();
        assert_eq!(lines, [(1, 1), (3, 3), (5, 5)]);
        assert!(Arc::ptr_eq(&blocks[0].fields, &blocks[1].fields));
        assert!(!Arc::ptr_eq(&blocks[0].fields, &blocks[2].fields));
        assert_eq!(&*blocks[2].fields.text, other);
        // Each block is written whole, as one object, and read back so.
        let written = serde_json::to_string(&blocks[1]).unwrap();
        assert!(written.starts_with(&format!(
            "{{\"start_line\":3,\"end_line\":3,\"text\":\"{stamp}\""
        )));
        assert!(written.contains("\"document_number\":\"CIA-RDP83B00551R004847830010-3\""));
        assert_eq!(serde_json::from_str::<Block>(&written).unwrap(), blocks[1]);
    }
}
