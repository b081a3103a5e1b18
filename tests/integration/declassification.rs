//! Declassification metadata on documents written for these tests
//! (`tests/fixtures/declassification/`): fields, formats, consensus, and each
//! validation on a document that passes it and one that fails it.

use crate::common::root;
use declass::audit::report::Provenance;
use declass::audit::{audit_document, AuditOptions};
use declass::diagnostic::Finding;
use declass::model::{DeclassStatus, Field, Severity};
use declass::rules::RuleSet;

fn audit(name: &str) -> Provenance {
    let bytes = std::fs::read(root().join("tests/fixtures/declassification").join(name)).unwrap();
    let rules = RuleSet::builtin().unwrap();
    audit_document(name, name, bytes, &rules, &AuditOptions::default()).provenance
}

fn found<'a>(report: &'a Provenance, rule: &str) -> Vec<&'a Finding> {
    report.findings.iter().filter(|f| f.rule == rule).collect()
}

/// The validations: each rule id, a document that fails it and one that passes.
const VALIDATIONS: [(&str, Severity, &str, &str); 7] = [
    (
        "no-declassification-authority",
        Severity::Error,
        "no-authority.txt",
        "valid.txt",
    ),
    (
        "order-before-signing",
        Severity::Error,
        "order-before-signing.txt",
        "valid.txt",
    ),
    (
        "order-superseded",
        Severity::Warning,
        "order-superseded.txt",
        "order-in-force.txt",
    ),
    (
        "archive-name-anachronism",
        Severity::Warning,
        "nars-after-1985.txt",
        "order-in-force.txt",
    ),
    (
        "review-before-document",
        Severity::Error,
        "review-before-document.txt",
        "valid.txt",
    ),
    (
        "unstruck-marking-on-declassified",
        Severity::Info,
        "unstruck.txt",
        "valid.txt",
    ),
    (
        "stamps-disagree",
        Severity::Warning,
        "two-stamps.txt",
        "garbled-copy.txt",
    ),
];

#[test]
fn each_validation_fails_one_document_and_passes_another() {
    for (rule, severity, failing, passing) in VALIDATIONS {
        let bad = audit(failing);
        let hits = found(&bad, rule);
        assert_eq!(hits.len(), 1, "{rule} on {failing}: {:?}", bad.findings);
        assert_eq!(hits[0].severity, severity, "{rule}");
        assert!(!hits[0].message.is_empty());
        assert!(
            found(&audit(passing), rule).is_empty(),
            "{rule} on {passing}"
        );
    }
}

#[test]
fn a_valid_document_has_no_validation_finding_and_reads_every_field() {
    let report = audit("valid.txt");
    let d = &report.declassification;
    assert_eq!(d.status, DeclassStatus::Declassified);
    assert_eq!(
        d.authority.as_deref(),
        Some("E.O. 11652 · NLT-HC · NARS 1975-12-02")
    );
    let block = &d.blocks[0].fields;
    assert_eq!(block.executive_order.as_deref(), Some("11652"));
    assert_eq!(block.sections.as_deref(), Some("3(E) and 5(D) or (E)"));
    let letter = block.agency_letter.as_ref().unwrap();
    assert_eq!(letter.agency.as_deref(), Some("Dept. of State"));
    let date = letter.date.as_ref().unwrap();
    assert_eq!(
        (date.printed.as_str(), date.iso.map(|d| d.to_string())),
        ("7-15-75", Some("1975-07-15".into()))
    );
    assert_eq!(block.reviewer.as_deref(), Some("NLT-HC"));
    assert_eq!(block.archive.as_deref(), Some("NARS"));
    assert_eq!(
        block.review_date.as_ref().unwrap().iso.unwrap().to_string(),
        "1975-12-02"
    );
    assert!(
        report.findings.iter().all(|f| f.severity == Severity::Info),
        "{:?}",
        report.findings
    );
    assert_eq!(report.document_dates[0].iso.to_string(), "1946-04-05");
}

#[test]
fn the_facts_behind_a_finding_are_cited() {
    let report = audit("order-before-signing.txt");
    let finding = found(&report, "order-before-signing")[0];
    assert!(
        finding.message.contains("13526") && finding.message.contains("2009-12-29"),
        "{}",
        finding.message
    );
    let anachronism = audit("nara-before-1985.txt");
    let finding = found(&anachronism, "archive-name-anachronism")[0];
    assert!(
        finding.message.contains("1985-04-01"),
        "{}",
        finding.message
    );
}

#[test]
fn two_different_stamps_make_a_discrepancy_and_the_main_stamp_is_the_authority() {
    let report = audit("two-stamps.txt");
    let d = &report.declassification;
    assert_eq!(d.status, DeclassStatus::DeclassifiedWithDiscrepancies);
    assert_eq!(d.blocks.len(), 3);
    assert_eq!(
        d.authority.as_deref(),
        Some("E.O. 11652 · NLT-HC · NARS 1975-12-02")
    );
    let finding = found(&report, "stamps-disagree")[0];
    assert!(
        finding.message.contains("12958") && finding.message.contains("11652"),
        "{}",
        finding.message
    );
}

#[test]
fn a_garbled_copy_is_repaired_by_consensus_with_its_support() {
    let report = audit("garbled-copy.txt");
    assert_eq!(report.declassification.status, DeclassStatus::Declassified);
    let ocr = found(&report, "ocr-corrupted-stamp");
    assert_eq!(ocr.len(), 1);
    assert_eq!(&*ocr[0].text, "11632");
    assert_eq!(ocr[0].suggestion.as_deref(), Some("11652"));
    assert!(ocr[0].message.contains("2 of 3"), "{}", ocr[0].message);
    let agreed = &report.declassification.consensus[&Field::ExecutiveOrder];
    assert_eq!(
        (agreed.value.as_str(), agreed.support, agreed.of),
        ("11652", 2, 3)
    );
}

#[test]
fn cia_release_lines_give_release_date_and_document_number() {
    let report = audit("cia-crest.txt");
    let d = &report.declassification;
    assert_eq!(d.status, DeclassStatus::Declassified);
    let agreed = &d.consensus[&Field::DocumentNumber];
    assert_eq!(agreed.value, "CIA-RDP80B01495R000200090015-8");
    assert_eq!(
        d.consensus[&Field::ReleaseDate].iso.unwrap().to_string(),
        "2006-04-21"
    );
    // The misread copy (letter O for zero) is an OCR corruption.
    let ocr = found(&report, "ocr-corrupted-stamp");
    assert_eq!(ocr.len(), 1);
    assert_eq!(&*ocr[0].text, "CIA-RDP80BO1495R000200090015-8");
    assert_eq!(
        ocr[0].suggestion.as_deref(),
        Some("CIA-RDP80B01495R000200090015-8")
    );
    // The exemption code is read, not taken for a release.
    assert!(d
        .references
        .iter()
        .any(|r| r.fields.get(Field::Exemption) == Some("25X1")));
}

#[test]
fn nara_nnd_authority_is_read() {
    let report = audit("nara-nnd.txt");
    let block = &report.declassification.blocks[0].fields;
    assert_eq!(block.case_number.as_deref(), Some("NND 979520"));
    assert_eq!(block.reviewer.as_deref(), Some("SW"));
    assert_eq!(block.archive.as_deref(), Some("NARA"));
    assert_eq!(
        block.review_date.as_ref().unwrap().iso.unwrap().to_string(),
        "2001-02-08"
    );
    assert_eq!(report.declassification.status, DeclassStatus::Declassified);
}

#[test]
fn a_statutory_release_is_a_release_even_under_an_unstruck_banner() {
    let report = audit("jfk-act.txt");
    let d = &report.declassification;
    assert_eq!(d.status, DeclassStatus::Declassified);
    assert_eq!(d.blocks[0].fields.case_number.as_deref(), Some("NW 53217"));
    assert_eq!(
        d.blocks[0]
            .fields
            .release_date
            .as_ref()
            .unwrap()
            .iso
            .unwrap()
            .to_string(),
        "2017-06-12"
    );
    assert!(found(&report, "no-declassification-authority").is_empty());
}

#[test]
fn a_cables_own_instructions_are_read_but_prove_no_release() {
    let report = audit("cable-instructions.txt");
    let d = &report.declassification;
    assert_eq!(d.status, DeclassStatus::ClassifiedWithoutAuthority);
    assert!(d.blocks.is_empty());
    let fields: Vec<(Field, &str)> = d.references.iter().flat_map(|r| r.fields.iter()).collect();
    assert!(fields.contains(&(Field::Decl, "DECL: OADR")));
    assert!(fields.contains(&(Field::Reason, "1.4(b), (d)")));
    assert!(fields.contains(&(Field::Exemption, "(b)(1)")));
    assert_eq!(found(&report, "no-declassification-authority").len(), 1);
}

#[test]
fn a_tie_between_readings_goes_to_the_one_a_known_template_has() {
    // Two stamps read 3(E), two 3(F): only the first is a release line the
    // facts know (E.O. 11652, Sec. 3(E) and 5(D) or (E)).
    let report = audit("template-tie.txt");
    let sections = &report.declassification.consensus[&Field::Sections];
    assert_eq!(sections.value, "3(E) and 5(D) or (E)");
    assert_eq!((sections.support, sections.of), (2, 4));
    // Two against two with neither in a template: no majority.
    let report = audit("untemplated-tie.txt");
    assert!(!report
        .declassification
        .consensus
        .contains_key(&Field::Sections));
    assert_eq!(
        report.declassification.consensus[&Field::ExecutiveOrder].value,
        "11652"
    );
}
