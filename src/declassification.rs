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

use crate::classification::Classification;
use crate::dates::{Date, PrintedDate};
use crate::decode::{is_blank, Document};
use crate::finding::{column_of, Finding};
use crate::model::{Category, Confidence, DeclassStatus, Field, Severity};
use crate::pipeline::builtin_finding;
use crate::rules::{check, RuleSet};
use crate::scan::Match;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Between two lines of one block there may be at most this many non-blank
/// lines that no rule explains, each at most [`MAX_INTERIOR_CHARS`]
/// characters long, and at most [`MAX_EXPLAINED_GAP`] lines that other
/// rules explain.
pub const MAX_INTERIOR_LINES: usize = 1;
pub const MAX_INTERIOR_CHARS: usize = 40;
pub const MAX_EXPLAINED_GAP: usize = 2;
/// Two readings of a field are near (one is an OCR corruption of the other)
/// when their edit distance is at most this, or at most a third of the
/// majority reading's length.
pub const NEAR_DISTANCE: usize = 2;

/// One field read from one stamp line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub field: Field,
    /// 0-based line, byte span in the line.
    pub line: usize,
    pub start: usize,
    pub end: usize,
    pub text: String,
    /// What readings are compared by: the date for a date that reads as
    /// one, else the text in upper case without white space.
    pub key: String,
    /// The text in upper case without white space, for edit distances.
    pub printed: String,
}

impl Reading {
    fn new(
        rules: &RuleSet,
        field: Field,
        line: usize,
        start: usize,
        end: usize,
        text: String,
    ) -> Reading {
        let printed = key(&text);
        let date = field
            .is_date()
            .then(|| rules.dates().parse_date(&text))
            .flatten();
        Reading {
            field,
            line,
            start,
            end,
            key: date.map_or_else(|| printed.clone(), |d| d.to_string()),
            printed,
            text,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyLetter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PrintedDate>,
}

/// One declassification stamp and the fields read from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub start_line: usize,
    pub end_line: usize,
    /// The block's non-blank lines as printed, joined with newlines.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executive_order: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_letter: Option<AgencyLetter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<PrintedDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<PrintedDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<String>,
}

/// A line read for its fields that is no part of a release stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub rule: String,
    pub line: usize,
    pub fields: BTreeMap<Field, String>,
}

/// The majority reading of a field across the stamps of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreed {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<Date>,
    /// How many stamps read it, of how many that have the field.
    pub support: usize,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declassification {
    pub status: DeclassStatus,
    /// The consensus authority in one line ("E.O. 11652 · NLT-HC · NARS
    /// 1975-12-02"), when there is one.
    pub authority: Option<String>,
    pub consensus: BTreeMap<Field, Agreed>,
    pub blocks: Vec<Block>,
    pub references: Vec<Reference>,
}

/// A date the document gives as its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDate {
    pub line: usize,
    pub printed: String,
    pub iso: Date,
}

/// What the stage produced.
pub struct Assembled {
    pub declassification: Declassification,
    /// Unmatched lines (0-based) inside blocks, removed with them.
    pub interior_lines: Vec<usize>,
    pub findings: Vec<Finding>,
    pub document_dates: Vec<DocumentDate>,
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The key two readings are compared by: upper case, no white space.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

fn near(a: &str, b: &str) -> bool {
    strsim::levenshtein(a, b) <= NEAR_DISTANCE.max(b.chars().count() / 3)
}

/// Whether `reading` agrees with `majority`, or is within OCR distance of it
/// as printed.
fn close(reading: &Reading, majority: &Reading) -> bool {
    reading.key == majority.key || near(&reading.printed, &majority.printed)
}

/// Groups stamp lines into blocks (line ranges), and finds interior lines.
fn group(doc: &Document, rules: &RuleSet, matches: &[Match]) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut explained = BTreeSet::new();
    let mut stamp_lines = BTreeSet::new();
    let mut block_starts = BTreeSet::new();
    for m in matches {
        let rule = rules.get(m.rule);
        explained.extend(m.line..=m.end_line);
        if rule.category == Category::Declassification && rule.block {
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
    (ranges, interior_lines)
}

fn block_of(doc: &Document, rules: &RuleSet, range: (usize, usize), readings: &[Reading]) -> Block {
    let (start, end) = range;
    let first = |field: Field| {
        readings
            .iter()
            .find(|r| r.field == field)
            .map(|r| r.text.clone())
    };
    let date = |field: Field| first(field).map(|t| rules.dates().printed(&t));
    let agency = first(Field::Agency);
    let letter_date = date(Field::LetterDate);
    Block {
        start_line: start + 1,
        end_line: end + 1,
        text: (start..=end)
            .map(|i| doc.line(i).trim())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join("\n"),
        executive_order: first(Field::ExecutiveOrder),
        sections: first(Field::Sections),
        agency_letter: (agency.is_some() || letter_date.is_some()).then_some(AgencyLetter {
            agency,
            date: letter_date,
        }),
        publication_reference: first(Field::PublicationReference),
        reviewer: first(Field::Reviewer),
        case_number: first(Field::CaseNumber),
        archive: first(Field::Archive),
        review_date: date(Field::ReviewDate),
        release_date: date(Field::ReleaseDate),
        document_number: first(Field::DocumentNumber),
    }
}

struct FieldVote<'a> {
    /// The majority reading's key, the reading, and how many read it.
    majority: Option<(String, &'a Reading, usize)>,
    of: usize,
}

fn vote<'a>(rules: &RuleSet, readings: &[&'a Reading]) -> FieldVote<'a> {
    let mut counts: Vec<(String, &Reading, usize)> = Vec::new();
    for reading in readings {
        let k = &reading.key;
        match counts.iter_mut().find(|(key, ..)| key == k) {
            Some(entry) => entry.2 += 1,
            None => counts.push((k.clone(), reading, 1)),
        }
    }
    let templates: Vec<String> = rules.facts().templates().map(key).collect();
    let in_template = |k: &str| templates.iter().any(|t| t.contains(k));
    // Most readings first; a tie goes to a reading that a known template
    // has; otherwise there is no majority.
    let top = counts.iter().map(|c| c.2).max().unwrap_or(0);
    let leaders: Vec<&(String, &Reading, usize)> = counts.iter().filter(|c| c.2 == top).collect();
    let templated: Vec<&&(String, &Reading, usize)> =
        leaders.iter().filter(|(k, ..)| in_template(k)).collect();
    let winner = match (leaders.as_slice(), templated.as_slice()) {
        ([only], _) => Some((*only).clone()),
        (_, [only]) => Some((**only).clone()),
        _ => None,
    };
    FieldVote {
        majority: winner.filter(|(_, _, n)| *n >= 2 || readings.len() == 1),
        of: readings.len(),
    }
}

fn reading_finding(doc: &Document, reading: &Reading, id: &str, message: String) -> Finding {
    let mut finding = builtin_finding(id, reading.line + 1, &reading.text, message);
    let text = doc.line(reading.line);
    finding.column = column_of(text, reading.start);
    finding.end_column = column_of(text, reading.end);
    finding
}

/// Copies of a stamp that disagree with no majority are each reported up to
/// this many.
const NO_MAJORITY_EACH: usize = 3;
/// How many readings a message lists at most.
const LISTED: usize = 5;
/// How many of the most recent stamps a block is compared with.
const RECENT_STAMPS: usize = 8;

/// Whether two blocks are copies of one stamp: of the fields both have, at
/// least one agrees (or is near) and more agree than disagree, a date or an
/// identifier that disagrees counting twice (two stamps differ in them; OCR
/// garbles them only a little).
fn same_stamp(a: &[Reading], b: &[Reading]) -> bool {
    let (mut agree, mut differ) = (0, 0);
    for field in Field::ALL.into_iter().filter(|f| f.is_stamp_field()) {
        let (Some(x), Some(y)) = (
            a.iter().find(|r| r.field == field),
            b.iter().find(|r| r.field == field),
        ) else {
            continue;
        };
        if close(x, y) || close(y, x) {
            agree += 1;
        } else if field.is_date() || field.is_identifier() {
            differ += 2;
        } else {
            differ += 1;
        }
    }
    agree >= 1 && agree > differ
}

/// Groups the blocks into stamps: a block joins the recent stamps it is a
/// copy of (merging them); a block with no fields (a bare DECLASSIFIED)
/// joins the stamp before it.
fn cluster(readings: &[Vec<Reading>]) -> Vec<Vec<usize>> {
    let mut stamps: Vec<Vec<usize>> = Vec::new();
    for (b, block) in readings.iter().enumerate() {
        if block.is_empty() {
            match stamps.last_mut() {
                Some(last) => last.push(b),
                None => stamps.push(vec![b]),
            }
            continue;
        }
        // Every recent stamp this block is a copy of; several such stamps
        // are copies of one stamp that OCR garbled apart, and are merged.
        let from = stamps.len().saturating_sub(RECENT_STAMPS);
        let found: Vec<usize> = (from..stamps.len())
            .filter(|&s| {
                stamps[s].iter().all(|&c| readings[c].is_empty())
                    || stamps[s]
                        .iter()
                        .filter(|&&c| !readings[c].is_empty())
                        .take(3)
                        .any(|&c| same_stamp(&readings[c], block))
            })
            .collect();
        match found.split_first() {
            None => stamps.push(vec![b]),
            Some((&first, rest)) => {
                for &s in rest.iter().rev() {
                    let merged = stamps.remove(s);
                    stamps[first].extend(merged);
                }
                stamps[first].push(b);
                stamps[first].sort_unstable();
            }
        }
    }
    stamps
}

/// One stamp: its copies, and the majority reading of each field.
struct Stamp<'a> {
    blocks: Vec<usize>,
    agreed: BTreeMap<Field, (String, &'a Reading, Agreed)>,
}

fn consensus<'a>(
    doc: &Document,
    rules: &RuleSet,
    readings: &'a [Vec<Reading>],
    blocks: Vec<usize>,
    findings: &mut Vec<Finding>,
) -> Stamp<'a> {
    let mut agreed = BTreeMap::new();
    for field in Field::ALL.into_iter().filter(|f| f.is_stamp_field()) {
        let copies: Vec<&Reading> = blocks
            .iter()
            .filter_map(|&b| readings[b].iter().find(|r| r.field == field))
            .collect();
        if copies.is_empty() {
            continue;
        }
        let vote = vote(rules, &copies);
        let Some((majority_key, majority, support)) = vote.majority else {
            // Copies of one stamp that read a field differently, with no
            // majority to decide.
            let listed: Vec<String> = copies
                .iter()
                .take(LISTED)
                .map(|r| format!("{:?} (line {})", r.text, r.line + 1))
                .collect();
            // Each differing copy is reported when there are a few; beyond
            // that, one finding for the stamp's field.
            let reported = if copies.len() <= NO_MAJORITY_EACH {
                copies.len()
            } else {
                1
            };
            for r in copies.iter().take(reported) {
                let mut finding = reading_finding(
                    doc,
                    r,
                    check::OCR_CORRUPTED_STAMP,
                    format!(
                        "the copies of this stamp read its {field} differently and no majority decides: {}",
                        listed.join(", ")
                    ),
                );
                finding.severity = Severity::Info;
                finding.confidence = Some(Confidence::Low);
                finding.applied = Some(false);
                findings.push(finding);
            }
            continue;
        };
        let support_text = format!("{support} of {} copies read {:?}", vote.of, majority.text);
        for reading in &copies {
            if reading.key == majority_key {
                continue;
            }
            let near = close(reading, majority);
            let mut finding = reading_finding(
                doc,
                reading,
                check::OCR_CORRUPTED_STAMP,
                format!(
                    "OCR corruption of the stamp's {field}: reads {:?} where {support_text}{}",
                    reading.text,
                    if near {
                        ""
                    } else {
                        " (the rest of this copy agrees with them)"
                    }
                ),
            );
            // The stamp line is removed with its block: the suggestion is a
            // reading for the report, not a change to the text.
            finding.suggestion = Some(majority.text.clone());
            finding.confidence = Some(if near {
                Confidence::High
            } else {
                Confidence::Medium
            });
            finding.applied = Some(false);
            findings.push(finding);
        }
        let value = Agreed {
            value: majority.text.clone(),
            iso: field
                .is_date()
                .then(|| rules.dates().parse_date(&majority.text))
                .flatten(),
            support,
            of: vote.of,
        };
        agreed.insert(field, (majority_key, majority, value));
    }
    Stamp { blocks, agreed }
}

/// One finding for a stamp that differs from the document's main stamp.
fn disagreement(doc: &Document, main: &Stamp, other: &Stamp) -> Option<Finding> {
    let differing: Vec<String> = other
        .agreed
        .iter()
        .filter_map(|(field, (k, _, value))| {
            let (main_key, _, main_value) = main.agreed.get(field)?;
            (main_key != k).then(|| {
                format!(
                    "{field} {:?} (main stamp: {:?})",
                    value.value, main_value.value
                )
            })
        })
        .collect();
    let (_, first, _) = other
        .agreed
        .values()
        .min_by_key(|(_, r, _)| (r.line, r.start))?;
    if differing.is_empty() {
        return None;
    }
    Some(reading_finding(
        doc,
        first,
        check::STAMPS_DISAGREE,
        format!(
            "another declassification stamp ({} cop{}) disagrees with the document's main stamp ({} cop{}): {}",
            other.blocks.len(),
            if other.blocks.len() == 1 { "y" } else { "ies" },
            main.blocks.len(),
            if main.blocks.len() == 1 { "y" } else { "ies" },
            differing.join("; ")
        ),
    ))
}

fn validate(
    doc: &Document,
    rules: &RuleSet,
    stamps: &[Stamp],
    document_dates: &[DocumentDate],
) -> Vec<Finding> {
    let facts = rules.facts();
    let mut findings = Vec::new();
    let earliest = document_dates.iter().min_by_key(|d| d.iso);
    for stamp in stamps {
        let field = |f: Field| {
            stamp
                .agreed
                .get(&f)
                .map(|(_, reading, value)| (*reading, value))
        };
        let Some((review_reading, review)) =
            field(Field::ReviewDate).and_then(|(reading, value)| Some((reading, value.iso?)))
        else {
            continue;
        };
        if let Some((order_reading, value)) = field(Field::ExecutiveOrder) {
            if let Some(order) = facts.order(value.value.trim()) {
                if review < order.signed {
                    let mut f = reading_finding(
                        doc,
                        order_reading,
                        check::ORDER_BEFORE_SIGNING,
                        format!(
                            "E.O. {} cited on a review dated {review}, before the order was signed on {} ({})",
                            order.number, order.signed, order.source
                        ),
                    );
                    if !order.verified {
                        f.severity = Severity::Warning;
                    }
                    findings.push(f);
                }
                if let (Some(next), Some(replaced)) = (&order.replaced_by, order.replaced) {
                    if review > replaced.plus_years(facts.superseded_grace_years) {
                        findings.push(reading_finding(
                            doc,
                            order_reading,
                            check::ORDER_SUPERSEDED,
                            format!(
                                "E.O. {} cited on a review dated {review}, more than {} years after E.O. {next} replaced it on {replaced} ({})",
                                order.number, facts.superseded_grace_years, order.source
                            ),
                        ));
                    }
                }
            }
        }
        if let Some((archive_reading, value)) = field(Field::Archive) {
            let archive = value.value.trim();
            let a = &facts.archive;
            let wrong = (archive == a.old_name && review >= a.renamed)
                || (archive == a.new_name && review < a.renamed);
            if wrong {
                findings.push(reading_finding(
                    doc,
                    archive_reading,
                    check::ARCHIVE_NAME_ANACHRONISM,
                    format!(
                        "{archive} on a review dated {review}: the archive was {} until {} and {} from then on ({}); an old stamp, or a misread date",
                        a.old_name, a.renamed, a.new_name, a.source
                    ),
                ));
            }
        }
        if let Some(earliest) = earliest {
            if review < earliest.iso {
                findings.push(reading_finding(
                    doc,
                    review_reading,
                    check::REVIEW_BEFORE_DOCUMENT,
                    format!(
                        "review dated {review}, before the document's own date {} (line {})",
                        earliest.iso, earliest.line
                    ),
                ));
            }
        }
    }
    findings
}

fn authority(consensus: &BTreeMap<Field, Agreed>) -> Option<String> {
    let value = |f: Field| consensus.get(&f).map(|a| a.value.trim().to_string());
    let date = |f: Field| {
        consensus
            .get(&f)
            .map(|a| a.iso.map_or_else(|| a.value.clone(), |d| d.to_string()))
    };
    let mut parts = Vec::new();
    if let Some(order) = value(Field::ExecutiveOrder) {
        parts.push(format!("E.O. {order}"));
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
        parts.push(format!("released {release}"));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

pub fn assemble(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    classification: &Classification,
) -> Assembled {
    let (ranges, interior_lines) = group(doc, rules, matches);
    let in_block = |line: usize| ranges.iter().position(|&(a, b)| a <= line && line <= b);

    let mut readings: Vec<Vec<Reading>> = vec![Vec::new(); ranges.len()];
    let mut references = Vec::new();
    for m in matches {
        let rule = rules.get(m.rule);
        if rule.category != Category::Declassification {
            continue;
        }
        let text = doc.line(m.line);
        let read: Vec<Reading> = m
            .fields
            .iter()
            .map(|&(field, start, end)| {
                Reading::new(
                    rules,
                    field,
                    m.line,
                    start,
                    end,
                    collapse(&text[start..end]),
                )
            })
            .collect();
        match in_block(m.line).filter(|_| rule.block) {
            Some(b) => readings[b].extend(read),
            None if !read.is_empty() => references.push(Reference {
                rule: rule.id.clone(),
                line: m.line + 1,
                fields: read.into_iter().map(|r| (r.field, r.text)).collect(),
            }),
            None => {}
        }
    }

    let document_dates: Vec<DocumentDate> = (0..doc.len())
        .filter(|&i| in_block(i).is_none())
        .filter_map(|i| {
            let date = rules.dates().document_date(doc.line(i))?;
            Some(DocumentDate {
                line: i + 1,
                printed: date.printed,
                iso: date.iso?,
            })
        })
        .collect();

    let blocks: Vec<Block> = ranges
        .iter()
        .zip(&readings)
        .map(|(&range, rs)| block_of(doc, rules, range, rs))
        .collect();
    let mut findings = Vec::new();
    let stamps: Vec<Stamp> = cluster(&readings)
        .into_iter()
        .map(|copies| consensus(doc, rules, &readings, copies, &mut findings))
        .collect();
    // The document's main stamp is the one with most copies (the first of
    // equals); every other stamp that reads a field otherwise disagrees.
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
    findings.extend(validate(doc, rules, &stamps, &document_dates));
    let consensus: BTreeMap<Field, Agreed> = main
        .map(|m| {
            stamps[m]
                .agreed
                .iter()
                .map(|(f, (_, _, v))| (*f, v.clone()))
                .collect()
        })
        .unwrap_or_default();

    let released = !blocks.is_empty();
    let status = match (released, classification.markings.is_empty()) {
        (true, _) if discrepancies > 0 => DeclassStatus::DeclassifiedWithDiscrepancies,
        (true, _) => DeclassStatus::Declassified,
        (false, false) => DeclassStatus::ClassifiedWithoutAuthority,
        (false, true) => DeclassStatus::Unmarked,
    };
    if status == DeclassStatus::ClassifiedWithoutAuthority {
        if let Some(first) = classification.markings.first() {
            findings.push(builtin_finding(
                check::NO_DECLASSIFICATION_AUTHORITY,
                first.line,
                &first.text,
                format!(
                    "marked {} but no declassification authority (stamp, release line or statute) anywhere in the document",
                    classification.highest.map_or("classified", |l| l.as_str())
                ),
            ));
        }
    }
    let unstruck: Vec<&crate::classification::Marking> = classification
        .markings
        .iter()
        .filter(|m| !m.struck)
        .collect();
    if let (true, Some(first)) = (released, unstruck.first()) {
        let lines: Vec<String> = unstruck
            .iter()
            .take(LISTED)
            .map(|m| m.line.to_string())
            .collect();
        let mut f = builtin_finding(
            check::UNSTRUCK_MARKING,
            first.line,
            &first.text,
            format!(
                "{} classification marking{} not struck through (line{} {}{}) on a document that bears a declassification authority",
                unstruck.len(),
                if unstruck.len() == 1 { "" } else { "s" },
                if unstruck.len() == 1 { "" } else { "s" },
                lines.join(", "),
                if unstruck.len() > LISTED { ", …" } else { "" }
            ),
        );
        f.column = first.column;
        f.end_column = first.column + first.text.chars().count();
        findings.push(f);
    }
    Assembled {
        declassification: Declassification {
            status,
            authority: authority(&consensus).filter(|_| released),
            consensus,
            blocks,
            references,
        },
        interior_lines,
        findings,
        document_dates,
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
