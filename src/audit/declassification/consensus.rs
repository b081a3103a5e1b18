//! Consensus: the same stamp is usually applied to every sheet. For each
//! field the majority reading across the blocks is taken. A block that
//! disagrees within a small edit distance, or whose other fields agree with
//! the majority (the same stamp, garbled), is reported as OCR corruption with
//! the suggested reading and its support; a block that disagrees otherwise
//! is another stamp, and the disagreement is a discrepancy.

use super::record::Agreed;
use crate::audit::decode::Document;
use crate::audit::distance::within;
use crate::diagnostic::{narrow, Finding, Shared, Texts};
use crate::model::{Confidence, Field, Severity};
use crate::rules::{Check, RuleSet};

/// Two readings of a field are near (one is an OCR corruption of the other)
/// when their edit distance is at most this, or at most a third of the
/// majority reading's length.
pub const NEAR_DISTANCE: usize = 2;

/// One field read from one stamp line: 64 bytes, its texts held once for
/// the document (a long document's stamps are tens of thousands, each read
/// field by field, and most copies of a stamp read the same).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reading {
    pub field: Field,
    /// 0-based line, byte span in the line.
    pub line: u32,
    pub start: u32,
    pub end: u32,
    pub text: Shared,
    /// The date, for a date that reads as one: what it is compared by
    /// instead of `printed` (see [`Reading::key`]).
    date: Option<Shared>,
    /// The text in upper case without white space, for edit distances.
    pub printed: Shared,
}

impl Reading {
    /// `text`, read as `field` at `start..end` of `line`; its texts are
    /// those `texts` holds, or are held there.
    pub fn new(
        (rules, texts): (&RuleSet, &mut Texts),
        field: Field,
        (line, start, end): (usize, usize, usize),
        text: &str,
    ) -> Reading {
        let printed = texts.text(&key(text));
        let date = field
            .is_date()
            .then(|| rules.dates().parse_date(text))
            .flatten();
        Reading {
            field,
            line: narrow(line),
            start: narrow(start),
            end: narrow(end),
            date: date.map(|d| texts.text(&d.to_string())),
            printed,
            text: texts.text(text),
        }
    }

    /// What readings are compared by: the date for a date that reads as
    /// one, else the text in upper case without white space.
    pub fn key(&self) -> &str {
        self.date.as_deref().unwrap_or(&self.printed)
    }
}

/// The key two readings are compared by: upper case, no white space.
fn key(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_uppercase)
        .collect()
}

/// How many edits OCR may have made to a reading printed as `printed`.
fn allowed_edits(printed: &str) -> usize {
    NEAR_DISTANCE.max(printed.chars().count() / 3)
}

/// Whether `reading` agrees with `majority`, or is within OCR distance of it
/// as printed.
pub fn close(reading: &Reading, majority: &Reading) -> bool {
    reading.key() == majority.key()
        || within(
            &reading.printed,
            &majority.printed,
            allowed_edits(&majority.printed),
        )
        .is_some()
}

/// Whether either of two readings is [`close`] to the other: the edit
/// distance is the same both ways, so it is computed once, against the
/// larger of the two allowances.
fn close_either_way(x: &Reading, y: &Reading) -> bool {
    x.key() == y.key()
        || within(
            &x.printed,
            &y.printed,
            allowed_edits(&x.printed).max(allowed_edits(&y.printed)),
        )
        .is_some()
}

struct FieldVote<'a> {
    /// The majority reading's key, the reading, and how many read it.
    majority: Option<(String, &'a Reading, usize)>,
    of: usize,
}

fn vote<'a>(rules: &RuleSet, readings: &[&'a Reading]) -> FieldVote<'a> {
    let mut counts: Vec<(String, &Reading, usize)> = Vec::new();
    for reading in readings {
        let k = reading.key();
        match counts.iter_mut().find(|(key, ..)| key == k) {
            Some(entry) => entry.2 += 1,
            None => counts.push((k.to_string(), reading, 1)),
        }
    }
    // Most readings first; a tie goes to a reading that a known template
    // has (the templates keyed only then: most votes have one leader);
    // otherwise there is no majority.
    let top = counts.iter().map(|c| c.2).max().unwrap_or(0);
    let leaders: Vec<&(String, &Reading, usize)> = counts.iter().filter(|c| c.2 == top).collect();
    let winner = match leaders.as_slice() {
        [only] => Some((*only).clone()),
        _ => {
            let templates: Vec<String> = rules.facts().templates().map(key).collect();
            let in_template = |k: &str| templates.iter().any(|t| t.contains(k));
            let templated: Vec<&&(String, &Reading, usize)> =
                leaders.iter().filter(|(k, ..)| in_template(k)).collect();
            match templated.as_slice() {
                [only] => Some((**only).clone()),
                _ => None,
            }
        }
    };
    FieldVote {
        majority: winner.filter(|(_, _, n)| *n >= 2 || readings.len() == 1),
        of: readings.len(),
    }
}

impl Reading {
    /// A finding of `check` over this reading's span.
    pub fn finding(&self, doc: &Document, check: Check, message: String) -> Finding {
        let line = self.line as usize;
        check.finding(line + 1, &self.text, message).at_span(
            doc.line(line),
            self.start as usize,
            self.end as usize,
        )
    }
}

/// Every block's readings in one vector, in block order: one allocation,
/// given back whole once the stamps are assembled, where a vector a block
/// left tens of thousands of small ones behind (a long document's stamps).
#[derive(Debug, Default)]
pub struct Readings {
    all: Vec<Reading>,
    /// Where each block's readings start in `all`, and where the last end.
    starts: Vec<usize>,
}

impl Readings {
    /// The readings of `blocks` blocks: `all`, each of block `block_of`
    /// (alongside), a block's in the order given. They come in block order
    /// (the scan's matches come in line order); any others are put in it.
    pub fn new(blocks: usize, all: Vec<Reading>, block_of: &[usize]) -> Readings {
        if !block_of.is_sorted() {
            let mut keyed: Vec<(usize, Reading)> = block_of.iter().copied().zip(all).collect();
            keyed.sort_by_key(|(b, _)| *b);
            let (sorted, all): (Vec<usize>, Vec<Reading>) = keyed.into_iter().unzip();
            return Readings::new(blocks, all, &sorted);
        }
        // Where each block starts: after the readings of the blocks before.
        let mut starts = vec![0; blocks + 1];
        for &b in block_of {
            starts[b + 1] += 1;
        }
        for b in 0..blocks {
            starts[b + 1] += starts[b];
        }
        Readings { all, starts }
    }

    /// The readings of block `block`.
    pub fn of(&self, block: usize) -> &[Reading] {
        &self.all[self.starts[block]..self.starts[block + 1]]
    }

    /// Each block's readings, in block order.
    pub fn iter(&self) -> impl Iterator<Item = &[Reading]> + '_ {
        self.starts.windows(2).map(|w| &self.all[w[0]..w[1]])
    }
}

/// Copies of a stamp that disagree with no majority are each reported up to
/// this many.
const NO_MAJORITY_EACH: usize = 3;
/// How many readings a message lists at most.
pub const LISTED: usize = 5;
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
        if close_either_way(x, y) {
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
pub fn cluster(readings: &Readings) -> Vec<Vec<usize>> {
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
                stamps[s].iter().all(|&c| readings.of(c).is_empty())
                    || stamps[s]
                        .iter()
                        .filter(|&&c| !readings.of(c).is_empty())
                        .take(3)
                        .any(|&c| same_stamp(readings.of(c), block))
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
                // Blocks come in order: a stamp's copies stay sorted unless
                // stamps were merged.
                if !rest.is_empty() {
                    stamps[first].sort_unstable();
                }
            }
        }
    }
    stamps
}

/// One stamp: its copies, and the majority reading of each field (in
/// the fields' order: a vector, as a map's nodes are large and a long
/// document's stamps many).
pub struct Stamp<'a> {
    pub blocks: Vec<usize>,
    pub agreed: Vec<(Field, (String, &'a Reading, Agreed))>,
}

impl<'a> Stamp<'a> {
    /// The majority reading of `field`, if the stamp has one.
    pub fn agreed(&self, field: Field) -> Option<&(String, &'a Reading, Agreed)> {
        self.agreed
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, a)| a)
    }
}

pub fn consensus<'a>(
    doc: &Document,
    rules: &RuleSet,
    readings: &'a Readings,
    blocks: Vec<usize>,
    findings: &mut Vec<Finding>,
) -> Stamp<'a> {
    let mut agreed = Vec::new();
    for field in Field::ALL.into_iter().filter(|f| f.is_stamp_field()) {
        let copies: Vec<&Reading> = blocks
            .iter()
            .filter_map(|&b| readings.of(b).iter().find(|r| r.field == field))
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
                let mut finding = r.finding(doc, Check::OcrCorruptedStamp,
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
            if reading.key() == majority_key {
                continue;
            }
            let near = close(reading, majority);
            let mut finding = reading.finding(
                doc,
                Check::OcrCorruptedStamp,
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
            finding.suggestion = Some((*majority.text).into());
            finding.confidence = Some(if near {
                Confidence::High
            } else {
                Confidence::Medium
            });
            finding.applied = Some(false);
            findings.push(finding);
        }
        let value = Agreed {
            value: majority.text.to_string(),
            iso: field
                .is_date()
                .then(|| rules.dates().parse_date(&majority.text))
                .flatten(),
            support,
            of: vote.of,
        };
        agreed.push((field, (majority_key, majority, value)));
    }
    agreed.sort_by_key(|(field, _)| *field);
    Stamp { blocks, agreed }
}

/// One finding for a stamp that differs from the document's main stamp.
pub fn disagreement(doc: &Document, main: &Stamp, other: &Stamp) -> Option<Finding> {
    let differing: Vec<String> = other
        .agreed
        .iter()
        .filter_map(|(field, (k, _, value))| {
            let (main_key, _, main_value) = main.agreed(*field)?;
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
        .iter()
        .map(|(_, a)| a)
        .min_by_key(|(_, r, _)| (r.line, r.start))?;
    if differing.is_empty() {
        return None;
    }
    Some(first.finding(doc, Check::StampsDisagree,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_block_has_its_own_readings_in_the_order_given_whatever_the_order_of_blocks() {
        let rules = RuleSet::builtin().unwrap();
        let mut texts = Texts::default();
        let mut reading = |text: &str| {
            Reading::new(
                (&rules, &mut texts),
                Field::Reviewer,
                (0, 0, text.len()),
                text,
            )
        };
        let texts_of = |readings: &Readings, block: usize| -> Vec<String> {
            readings
                .of(block)
                .iter()
                .map(|r| r.text.to_string())
                .collect()
        };
        // In block order, as the scan gives them; block 1 reads nothing.
        let all = vec![reading("A"), reading("B"), reading("C")];
        let readings = Readings::new(4, all, &[0, 0, 2]);
        assert_eq!(texts_of(&readings, 0), ["A", "B"]);
        assert!(readings.of(1).is_empty() && readings.of(3).is_empty());
        assert_eq!(texts_of(&readings, 2), ["C"]);
        assert_eq!(
            readings.iter().map(<[Reading]>::len).collect::<Vec<_>>(),
            [2, 0, 1, 0]
        );
        // Out of block order: put in it, each block's in the order given.
        let all = vec![reading("X"), reading("Y"), reading("Z"), reading("W")];
        let readings = Readings::new(3, all, &[2, 0, 2, 0]);
        assert_eq!(texts_of(&readings, 0), ["Y", "W"]);
        assert!(readings.of(1).is_empty());
        assert_eq!(texts_of(&readings, 2), ["X", "Z"]);
    }

    #[test]
    fn readings_close_either_way_as_close_asked_both_ways() {
        let rules = RuleSet::builtin().unwrap();
        let reading = |field, text: &str| {
            Reading::new(
                (&rules, &mut Texts::default()),
                field,
                (0, 0, text.len()),
                text,
            )
        };
        let texts = [
            "NLT-HC",
            "NLT-HG",
            "NL T-HC",
            "NLT-HCXYZ",
            "N",
            "NLS-KP",
            "NARS",
            "NARA",
            "NND 961375",
            "NND 96137",
            "N ND 881375",
        ];
        for a in texts {
            for b in texts {
                let (x, y) = (reading(Field::Reviewer, a), reading(Field::Reviewer, b));
                assert_eq!(
                    close_either_way(&x, &y),
                    close(&x, &y) || close(&y, &x),
                    "{a} {b}"
                );
            }
        }
        // Dates compare by the date they read.
        let (x, y) = (
            reading(Field::ReviewDate, "12-2-75"),
            reading(Field::ReviewDate, "12/2/75"),
        );
        assert!(close_either_way(&x, &y));
    }
}
