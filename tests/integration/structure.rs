//! The structure stage on documents written for these tests
//! (`tests/fixtures/structure/`): one signal each.

use crate::common::root;
use declass::audit::{audit_document, AuditOptions, DocumentAudit};
use declass::rules::RuleSet;
use std::collections::BTreeSet;

fn audit(name: &str) -> (Vec<String>, DocumentAudit) {
    let path = root().join("tests/fixtures/structure").join(name);
    let bytes = std::fs::read(&path).unwrap();
    let original = String::from_utf8(bytes.clone())
        .unwrap()
        .split('\n')
        .map(str::to_string)
        .collect();
    let rules = RuleSet::builtin().unwrap();
    (
        original,
        audit_document(name, name, bytes, &rules, &AuditOptions::default()),
    )
}

fn cleaned(audit: &DocumentAudit) -> String {
    String::from_utf8(audit.cleaned().unwrap()).unwrap()
}

fn lines_of(audit: &DocumentAudit, rule: &str) -> Vec<usize> {
    audit
        .provenance
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.line as usize)
        .collect()
}

fn joins(audit: &DocumentAudit) -> Vec<(usize, usize)> {
    audit
        .provenance
        .actions
        .iter()
        .filter(|a| a.kind == declass::model::ActionKind::JoinParagraph)
        .map(|a| (a.line as usize, a.end_line as usize))
        .collect()
}

#[test]
fn headers_in_unseen_wording_are_learned_from_repetition() {
    let (original, audit) = audit("learned-headers.txt");
    // No rule knows these lines: they are found only because they repeat.
    let rules = RuleSet::builtin().unwrap();
    for line in [
        "KONINKRIJK DER NEDERLANDEN",
        "Gezantschap te Moskou",
        "Archive copy, not for circulation",
    ] {
        assert!(
            rules.rules().iter().all(|r| !r.regex.is_match(line)),
            "a rule matches {line:?}"
        );
    }
    let learned = lines_of(&audit, "repeated-sheet-header");
    let expected: Vec<usize> = original
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            l.contains("KONINKRIJK") || l.contains("Gezantschap") || l.contains("Archive copy")
        })
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(learned, expected);
    let finding = audit
        .provenance
        .findings
        .iter()
        .find(|f| f.rule == "repeated-sheet-header")
        .unwrap();
    assert!(
        finding.message.contains("same line as lines 8, 15"),
        "{}",
        finding.message
    );
    let text = cleaned(&audit);
    assert!(!text.contains("KONINKRIJK") && !text.contains("Archive copy"));
    assert!(text.contains("The Minister called on the Commissar"));
    // Three sheets, split at the form feeds.
    let pages = &audit.provenance.pages;
    assert_eq!(pages.len(), 3);
    assert_eq!((pages[1].start_line, pages[1].start_column), (8, Some(1)));
}

#[test]
fn a_line_repeated_inside_the_body_is_not_furniture() {
    let (_, audit) = audit("repeated-body-line.txt");
    assert!(lines_of(&audit, "repeated-sheet-header").is_empty());
    assert_eq!(cleaned(&audit).matches("Yes.").count(), 4);
}

#[test]
fn catchwords_and_the_mark_between_are_removed_and_the_paragraph_rejoined() {
    let (original, audit) = audit("catchwords.txt");
    assert_eq!(lines_of(&audit, "catchword"), [4, 11]);
    assert_eq!(lines_of(&audit, "sheet-mark"), [13]);
    let catchword = audit
        .provenance
        .findings
        .iter()
        .find(|f| f.rule == "catchword")
        .unwrap();
    assert!(
        catchword.message.contains("line 8"),
        "{}",
        catchword.message
    );
    let mark = audit
        .provenance
        .findings
        .iter()
        .find(|f| f.rule == "sheet-mark")
        .unwrap();
    assert!(mark.message.contains("catchword on line 11") && mark.message.contains("line 15"));
    let text = cleaned(&audit);
    assert_eq!(text.matches("members of").count(), 1);
    assert_eq!(text.matches("the talks").count(), 1);
    assert!(!text.contains("B File"));
    // The hard-wrapped paragraph split by the catchword and page number joins
    // line for line: its lines stay as they were.
    assert_eq!(joins(&audit), [(2, 8)]);
    assert!(text.contains(&format!("{}\n{}\n", original[1], original[7])));
}

#[test]
fn hard_wrapped_paragraph_rejoins_across_a_page_but_a_new_paragraph_does_not() {
    let (original, audit) = audit("wrapped-join.txt");
    assert_eq!(joins(&audit), [(3, 11)]);
    let text = cleaned(&audit);
    assert!(text.contains(&format!("{}\n{}\n", original[2], original[10])));
    assert!(text.contains(&format!("{}\n\n{}\n", original[11], original[17])));
    let numbers: Vec<Option<u32>> = audit.provenance.pages.iter().map(|p| p.number).collect();
    assert_eq!(numbers, [None, Some(2), Some(3)]);
    // Each page says where its text went in cleaned.txt.
    let page2 = &audit.provenance.pages[1];
    let cleaned_lines: Vec<&str> = text.lines().collect();
    let start = page2.cleaned_start_line.unwrap();
    assert_eq!(cleaned_lines[start - 1], original[10]);
}

#[test]
fn unwrapped_prose_rejoins_with_one_space_and_a_title_stays_alone() {
    let (original, audit) = audit("unwrapped-join.txt");
    assert_eq!(joins(&audit), [(5, 11)]);
    let text = cleaned(&audit);
    assert!(text.contains(&format!("{} {}\n", original[4], original[10])));
    assert!(text.starts_with(&format!("{}\n\n", original[0])));
}

#[test]
fn inline_page_marker_is_a_boundary_at_its_column_and_glued_marks_get_their_own_findings() {
    let (original, audit) = audit("inline-and-glued.txt");
    let pages = &audit.provenance.pages;
    assert_eq!(pages.len(), 2);
    let column = original[0].find("[Page 88]").unwrap() + 1;
    assert_eq!(
        (pages[1].number, pages[1].start_line, pages[1].start_column),
        (Some(88), 1, Some(column))
    );
    assert!(cleaned(&audit).starts_with(
        "The Secretary of State replied that the question would be studied with care"
    ));
    let line4: Vec<(&str, usize, usize)> = audit
        .provenance
        .findings
        .iter()
        .filter(|f| f.line == 4)
        .map(|f| {
            (
                f.category.as_str(),
                f.column as usize,
                f.end_column as usize,
            )
        })
        .collect();
    let stamp = original[3].find("~~").unwrap() + 1;
    assert_eq!(
        line4,
        [
            ("declassification", 1, stamp),
            ("classification", stamp, original[3].len() + 1)
        ]
    );
}

#[test]
fn pages_cover_the_document_in_order() {
    for name in [
        "learned-headers.txt",
        "catchwords.txt",
        "wrapped-join.txt",
        "unwrapped-join.txt",
    ] {
        let (original, audit) = audit(name);
        let pages = &audit.provenance.pages;
        assert_eq!(pages[0].start_line, 1, "{name}");
        assert_eq!(pages.last().unwrap().end_line, original.len() - 1, "{name}");
        for pair in pages.windows(2) {
            let follows = pair[1].start_line == pair[0].end_line + 1
                || (pair[1].start_column.is_some() && pair[1].start_line == pair[0].end_line);
            assert!(follows, "{name}: {pair:?}");
        }
        let indexes: BTreeSet<usize> = pages.iter().map(|p| p.index).collect();
        assert_eq!(indexes.len(), pages.len());
    }
}

#[test]
fn a_pair_of_stamps_with_a_gap_is_a_sheet_boundary() {
    let (original, audit) = audit("stamp-pair.txt");
    let pages = &audit.provenance.pages;
    assert_eq!(pages.len(), 2);
    assert_eq!((pages[0].end_line, pages[1].start_line), (4, 5));
    assert_eq!(joins(&audit), [(2, 9)]);
    assert!(cleaned(&audit).contains(&format!("{}\n{}\n", original[1], original[8])));
}

#[test]
fn a_word_split_across_a_learned_sheet_header_is_mended_at_once() {
    // The page number goes with its rule, the header only once learned from
    // the sheets: the word's tail comes up after both.
    let (_, audit) = audit("word-split-across-sheet-header.txt");
    assert_eq!(lines_of(&audit, "repeated-sheet-header"), [1, 8, 14]);
    let text = cleaned(&audit);
    assert!(
        text.contains("the terms it suggested\nfor the ports"),
        "{text}"
    );
    // As the cleaned text, audited again, reads it: nothing more changes.
    assert_audited_again_unchanged(&text);
}

/// A paragraph that a page break split, joined line to line, whose first
/// part ends in a word split at the line end (`Comi-` / `ntern`): the join
/// brings the parts onto consecutive lines, so the word is mended in the
/// same audit, as the cleaned text audited again mends it.
#[test]
fn a_word_split_across_a_joined_page_break_is_mended_at_once() {
    let (_, audit) = audit("word-split-across-a-joined-page-break.txt");
    assert_eq!(lines_of(&audit, "broken-hyphenation"), [5]);
    let text = cleaned(&audit);
    assert!(
        text.contains("between the Comintern\nand the Embassy on the communication"),
        "{text}"
    );
    assert_audited_again_unchanged(&text);
}

/// The same in unwrapped prose, whose parts are joined with a space: the
/// word is mended, not left as `Comi- ntern` inside the joined line.
#[test]
fn a_word_split_across_an_unwrapped_page_break_is_mended() {
    let (_, audit) = audit("word-split-across-an-unwrapped-page-break.txt");
    assert_eq!(lines_of(&audit, "broken-hyphenation"), [5]);
    assert_eq!(joins(&audit), [(5, 11)]);
    let text = cleaned(&audit);
    assert!(
        text.contains("extended between the Comintern and the Embassy would be settled"),
        "{text}"
    );
    assert_audited_again_unchanged(&text);
}

/// A page marker the page break splits (`participated in [Page` / stamp,
/// page number / `764] the occupation`) is whole once the paragraph's
/// parts are joined with a space: it goes from both parts, as one finding,
/// and the joined line does not keep it for a second audit to remove.
#[test]
fn a_page_marker_split_across_an_unwrapped_page_break_is_removed_from_both_parts() {
    let (_, audit) = audit("page-marker-split-across-an-unwrapped-page-break.txt");
    assert_eq!(joins(&audit), [(5, 11)]);
    let markers: Vec<_> = audit
        .provenance
        .findings
        .iter()
        .filter(|f| f.rule == "frus-page-marker")
        .map(|f| (f.line, f.end_line, &*f.text))
        .collect();
    assert_eq!(markers, [(5, 11, "[Page 764]")]);
    let text = cleaned(&audit);
    assert!(
        text.contains("which participated in the occupation of the northern ports"),
        "{text}"
    );
    assert_audited_again_unchanged(&text);
}

/// Audits a cleaned `text` again: nothing more changes.
fn assert_audited_again_unchanged(text: &str) {
    let rules = RuleSet::builtin().unwrap();
    let again = audit_document(
        "c.txt",
        "c.txt",
        text.as_bytes().to_vec(),
        &rules,
        &AuditOptions::default(),
    );
    assert_eq!(cleaned(&again), text);
}
