//! Validation of the stamps against `facts.toml`: an order cited before it
//! was signed, or long after it was replaced; NARS after the archive became
//! NARA, or NARA before; a review before the document's own date; markings
//! without any authority; unstruck markings on a declassified document.

use super::consensus::{Stamp, LISTED};
use crate::audit::classification::{Classification, Marking};
use crate::audit::dates::DocumentDate;
use crate::audit::decode::Document;
use crate::diagnostic::{position, Finding};
use crate::model::{DeclassStatus, Field, Level, Severity};
use crate::rules::vocabulary::Vocabulary;
use crate::rules::{Check, RuleSet};

/// Checks each stamp's order, archive and review date against the facts
/// and the document's own dates.
pub fn validate(
    doc: &Document,
    rules: &RuleSet,
    stamps: &[Stamp],
    document_dates: &[DocumentDate],
) -> Vec<Finding> {
    let facts = rules.facts();
    let mut findings = Vec::new();
    let earliest = document_dates.iter().min_by_key(|d| d.iso);
    for stamp in stamps {
        let field = |f: Field| stamp.agreed(f).map(|(_, reading, value)| (*reading, value));
        let Some((review_reading, review)) =
            field(Field::ReviewDate).and_then(|(reading, value)| Some((reading, value.iso?)))
        else {
            continue;
        };
        if let Some((order_reading, value)) = field(Field::ExecutiveOrder) {
            if let Some(order) = facts.order(value.value.trim()) {
                if review < order.signed {
                    let mut f = order_reading.finding(doc, Check::OrderBeforeSigning,
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
                        findings.push(order_reading.finding(doc, Check::OrderSuperseded,
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
                findings.push(archive_reading.finding(doc, Check::ArchiveNameAnachronism,
                    format!(
                        "{archive} on a review dated {review}: the archive was {} until {} and {} from then on ({}); an old stamp, or a misread date",
                        a.old_name, a.renamed, a.new_name, a.source
                    ),
                ));
            }
        }
        if let Some(earliest) = earliest {
            if review < earliest.iso {
                findings.push(review_reading.finding(
                    doc,
                    Check::ReviewBeforeDocument,
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

/// Findings on the classification markings: marked with no authority, or
/// markings left unstruck on a declassified document.
pub fn markings(
    classification: &Classification,
    status: DeclassStatus,
    vocabulary: &Vocabulary,
) -> Vec<Finding> {
    let mut findings = Vec::new();
    if status == DeclassStatus::ClassifiedWithoutAuthority {
        let first = classification
            .markings
            .iter()
            .find(|m| vocabulary.is_classified(&m.level));
        if let Some(first) = first {
            findings.push(Check::NoDeclassificationAuthority.finding(
                first.line as usize,
                &first.text,
                format!(
                    "marked {} but no declassification authority (stamp, release line or statute) anywhere in the document",
                    classification
                        .highest
                        .as_ref()
                        .map_or("classified", Level::as_str)
                ),
            ));
        }
    }
    let released = matches!(
        status,
        DeclassStatus::Declassified | DeclassStatus::DeclassifiedWithDiscrepancies
    );
    let unstruck: Vec<&Marking> = classification
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
        let mut f = Check::UnstruckMarking.finding(
            first.line as usize,
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
        f.end_column = position(first.column as usize + first.text.chars().count());
        findings.push(f);
    }
    findings
}
