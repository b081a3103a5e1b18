//! Noise injected into clean paragraphs by a seeded generator written for
//! this test: the cleaner must give back the clean paragraphs for every
//! high-confidence kind of damage, change nothing else, and clean a cleaned
//! text into itself.

use crate::common::root;
use declass::audit::{audit_document, AuditOptions};
use declass::rules::RuleSet;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules"))
}

/// The paragraphs of the seed no rule touches (seed 000 has no finding).
fn paragraphs() -> Vec<String> {
    std::fs::read_to_string(root().join("seeds/000_96a48f1db65970d1.txt"))
        .unwrap()
        .split('\n')
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// xorshift64*: a small seeded generator, the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// `text` audited with the default options.
fn audited(text: &str) -> declass::audit::DocumentAudit {
    audit_document(
        "noise.txt",
        "noise.txt",
        text.as_bytes().to_vec(),
        rules(),
        &AuditOptions::default(),
    )
}

fn clean(text: &str) -> String {
    String::from_utf8(audited(text).cleaned().expect("text")).unwrap()
}

fn document(paragraphs: &[String]) -> String {
    paragraphs.join("\n\n") + "\n"
}

fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// UTF-8 read as Windows-1252: the classic mojibake.
fn mojibake(text: &str) -> String {
    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(text.as_bytes());
    decoded.into_owned()
}

fn trials(
    kind: &str,
    damage: impl Fn(&mut Rng, &[String]) -> Vec<String>,
    compare: fn(&str) -> String,
) {
    let clean_paragraphs = paragraphs();
    let expected = document(&clean_paragraphs);
    assert_eq!(
        clean(&expected),
        expected,
        "the clean paragraphs must come through unchanged"
    );
    for seed in 1..=24u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let damaged = document(&damage(&mut rng, &clean_paragraphs));
        let once = clean(&damaged);
        assert_eq!(
            compare(&once),
            compare(&expected),
            "{kind}, seed {seed}:\n{damaged}"
        );
        assert_eq!(
            clean(&once),
            once,
            "{kind}, seed {seed}: cleaning again changed the text"
        );
    }
}

fn exact(text: &str) -> String {
    text.to_string()
}

#[test]
fn mojibake_is_repaired() {
    trials(
        "mojibake",
        |rng, ps| {
            let mut ps = ps.to_vec();
            let i = rng.below(ps.len());
            ps[i] = mojibake(&ps[i]);
            ps
        },
        exact,
    );
}

#[test]
fn zero_width_characters_are_removed() {
    trials(
        "zero-width",
        |rng, ps| {
            ps.iter()
                .map(|p| {
                    let mut chars: Vec<char> = p.chars().collect();
                    for _ in 0..3 {
                        let at = rng.below(chars.len() + 1);
                        chars.insert(
                            at,
                            ['\u{200B}', '\u{200C}', '\u{2060}', '\u{FEFF}'][rng.below(4)],
                        );
                    }
                    chars.into_iter().collect()
                })
                .collect()
        },
        exact,
    );
}

#[test]
fn garbage_lines_are_removed() {
    trials(
        "garbage",
        |rng, ps| {
            let mut ps = ps.to_vec();
            let garbage = [".,;:' ~ ^", "~ ^ ~ ,", "|:;. ,'", "-~=~ ;"][rng.below(4)];
            ps.insert(rng.below(ps.len() + 1), garbage.to_string());
            ps
        },
        exact,
    );
}

#[test]
fn garbled_marking_words_are_read_as_stamps_and_removed() {
    trials(
        "marking",
        |rng, ps| {
            let mut ps = ps.to_vec();
            let stamp = [
                "SECRFT",
                "T0P SECRET",
                "C0NFIDENTIAL",
                "~~SECRFT~~",
                "5ECRET",
                "DECLASSIFTED",
            ][rng.below(6)];
            // A garbled stamp, then a struck one, as on a declassified sheet
            // (a bare unstruck stamp would make the document an error).
            ps.insert(rng.below(ps.len() + 1), format!("{stamp}\n\nDECLASSIFIED"));
            ps
        },
        exact,
    );
}

#[test]
fn words_split_at_a_line_end_are_joined() {
    trials(
        "hyphenation",
        |rng, ps| {
            let mut ps = ps.to_vec();
            let i = rng.below(ps.len());
            let words: Vec<&str> = ps[i].split(' ').collect();
            let long: Vec<usize> = (0..words.len())
                .filter(|&k| {
                    words[k].len() >= 8 && words[k].chars().all(|c| c.is_ascii_lowercase())
                })
                .collect();
            if let Some(&k) = long.get(rng.below(long.len().max(1))) {
                let cut = 3 + rng.below(words[k].len() - 5);
                let mut head = words[..k].join(" ");
                head.push(' ');
                head.push_str(&words[k][..cut]);
                let mut tail = words[k][cut..].to_string();
                for w in &words[k + 1..] {
                    tail.push(' ');
                    tail.push_str(w);
                }
                ps[i] = format!("{}-\n{tail}", head.trim_start());
            }
            ps
        },
        // The lines stay where they were; the words must be the clean ones.
        squeeze,
    );
}

#[test]
fn low_confidence_repairs_are_reported_not_made() {
    let text = "Talks with the Anglo-\nSoviet commission went on.\n";
    let audit = audit_document(
        "t.txt",
        "t.txt",
        text.as_bytes().to_vec(),
        rules(),
        &AuditOptions::default(),
    );
    assert_eq!(String::from_utf8(audit.cleaned().unwrap()).unwrap(), text);
    let finding = audit
        .provenance
        .findings
        .iter()
        .find(|f| f.rule == "broken-hyphenation")
        .expect("the split is reported");
    assert_eq!(finding.confidence, Some(declass::model::Confidence::Low));
    assert_eq!(finding.applied, Some(false));
    assert_eq!(finding.suggestion.as_deref(), Some("Anglo-Soviet"));
    // --repair none changes nothing, even what is sure.
    let options = AuditOptions {
        repair: None,
        ..AuditOptions::default()
    };
    let moji = mojibake("The Ambassador\u{2019}s note.\n");
    let audit = audit_document(
        "m.txt",
        "m.txt",
        moji.as_bytes().to_vec(),
        rules(),
        &options,
    );
    assert_eq!(String::from_utf8(audit.cleaned().unwrap()).unwrap(), moji);
    let finding = audit
        .provenance
        .findings
        .iter()
        .find(|f| f.rule == "mojibake")
        .unwrap();
    assert_eq!(
        (finding.applied, finding.suggestion.as_deref()),
        (Some(false), Some("\u{2019}"))
    );
}

#[test]
fn correct_latin1_and_short_legitimate_lines_are_left_alone() {
    let text = "Caf\u{e9} cr\u{e8}me na\u{ef}ve \u{e9}migr\u{e9}\n\nACTION:S\n\nDC/R\n\nU\n\nC\n\nJEF\n\n060355Z\n\n* * *\n\nWell-known\n";
    assert_eq!(clean(text), text);
}

#[test]
fn an_articles_own_heading_and_email_are_not_a_cover_sheet() {
    let text = "## Oxford University\n\nThe Comintern and its agents, 1921-1927\n\nemail: author@example.org\n\nThe article begins here.\n";
    assert_eq!(clean(text), text);
}

#[test]
fn footnote_markup_is_bracketed_dropped_or_left() {
    use declass::model::Markup;
    let text = "As the note says.<sup>12</sup> Then it ends.\n";
    let run = |markup: Markup| {
        let options = AuditOptions {
            markup,
            ..AuditOptions::default()
        };
        let audit = audit_document(
            "m.txt",
            "m.txt",
            text.as_bytes().to_vec(),
            rules(),
            &options,
        );
        String::from_utf8(audit.cleaned().unwrap()).unwrap()
    };
    assert_eq!(
        run(Markup::Bracket),
        "As the note says.[12] Then it ends.\n"
    );
    assert_eq!(run(Markup::Drop), "As the note says. Then it ends.\n");
    assert_eq!(run(Markup::Leave), text);
}

#[test]
fn invisible_characters_are_recorded_with_their_code_point() {
    let text = "de\u{200B}classified and re\u{00AD}viewed\n";
    let audit = audit_document(
        "z.txt",
        "z.txt",
        text.as_bytes().to_vec(),
        rules(),
        &AuditOptions::default(),
    );
    let messages: Vec<&str> = audit
        .provenance
        .findings
        .iter()
        .map(|f| &*f.message)
        .collect();
    assert!(
        messages.iter().any(|m| m.contains("U+200B")),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m.contains("U+00AD")),
        "{messages:?}"
    );
}

/// The findings of one rule on `text`: (line, confidence, applied).
fn findings_of(text: &str, rule: &str) -> Vec<(usize, Option<String>, Option<bool>)> {
    audited(text)
        .provenance
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| {
            (
                f.line as usize,
                f.confidence.map(|c| format!("{c:?}").to_lowercase()),
                f.applied,
            )
        })
        .collect()
}

const BODY: &str = "The minister said that the talks would go on through the week.\n\n";

#[test]
fn a_stamp_line_ocr_garbled_is_reported_as_noise_and_a_clean_one_is_not() {
    // Lines 5 and 6 of the downgrading group are garbled, lines 4 and 7 read.
    let garbled = format!(
        "SECRET\n\n{BODY}GROUP 1\nExctuded iron automatle\ncoungrading and\ndeclassification\n"
    );
    let lines: Vec<usize> = findings_of(&garbled, "garbled-stamp-line")
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(lines, [6, 7], "{garbled}");
    let read = format!(
        "SECRET\n\n{BODY}GROUP 1\nExcluded from automatic\ndowngrading and\ndeclassification\n"
    );
    assert!(findings_of(&read, "garbled-stamp-line").is_empty());
    // The garbled lines still go with their stamp.
    let cleaned = clean(&garbled);
    assert!(!cleaned.contains("automatle") && cleaned.contains("minister"));
}

#[test]
fn a_line_one_stamp_pattern_reads_alone_is_not_judged_on_its_words() {
    // `classified-by` reads the reviewer's code whatever it spells.
    let text = format!("{BODY}CONFIDENTIAL\nClassified by Xqzv Wrtp\n");
    assert!(findings_of(&text, "garbled-stamp-line").is_empty());
}

#[test]
fn a_rule_for_garbled_copies_reports_its_lines_as_noise() {
    let text = format!("{BODY}Approved For Release 2OO1/^90J^^-gg^jJ^O63OAOOO2OOO5OOO1-3\n");
    assert_eq!(
        findings_of(&text, "garbled-stamp-line")
            .into_iter()
            .map(|f| f.0)
            .collect::<Vec<_>>(),
        [3]
    );
}

#[test]
fn letter_fragments_beside_a_garbled_line_are_flagged_not_removed() {
    let text = format!("{BODY}ebb leas Gr gh\nwe RE\n\n{BODY}");
    let found = findings_of(&text, "garbage-line");
    assert!(
        found.contains(&(4, Some("low".into()), Some(false))),
        "{found:?}"
    );
    assert!(clean(&text).contains("we RE"));
    // Not beside garbage, or no fragment: an acronym, a label, a number.
    for line in ["we RE", "NSA", "TO:", "16"] {
        let alone = format!("{BODY}{line}\n\n{BODY}");
        assert!(findings_of(&alone, "garbage-line").is_empty(), "{line}");
        let beside = format!("{BODY}ebb leas Gr gh\n{line}\n\n{BODY}");
        let lines: Vec<usize> = findings_of(&beside, "garbage-line")
            .into_iter()
            .map(|f| f.0)
            .collect();
        assert_eq!(lines.contains(&4), line == "we RE", "{line}: {lines:?}");
    }
}

/// The parts of a word split at a line end and mended (`docu-` /
/// `ments`) are no words of the cleaned text: a line that leant on one of
/// them as a word used elsewhere is judged without it at once, as the
/// cleaned text audited again judges it (found by the audit fuzzer).
#[test]
fn the_parts_of_a_mended_word_count_as_the_word_not_as_its_parts() {
    let text = "MEMORANDUM FOR THE RECORD\n\n\
        The committee met on Tuesday to review the docu-\n\
        ments that the embassy had sent from the capital\n\
        in the course of the previous month.\n\n\
        Clearly the third world countries are attempting, through constant\n\
        reiteration and in disregard of western dissents, to establish these\n\
        positions. We are concerned over the time-consuming digressions that\n\
        are forced on us in protecting our positions with respect to those our-\n\
        MENTS AND OVERsentative for\n\
        the new economic order, and the delegations will be told so.\n";
    let cleaned = clean(text);
    assert!(
        cleaned.contains("review the documents\nthat the embassy"),
        "{cleaned}"
    );
    assert!(!cleaned.contains("OVERsentative"), "{cleaned}");
    assert_eq!(clean(&cleaned), cleaned);
}

/// A line of mojibake that its repair leaves as marks alone (a bullet,
/// `â€¢`) is removed with one finding that says so, not one from the
/// repairs and another from the reading of what the repairs leave.
#[test]
fn a_line_judged_as_its_repairs_leave_it_has_one_garbage_finding() {
    let text = "The delegation arrived on Tuesday.\n\n\u{e2}\u{20ac}\u{a2}\n\nThe press waited.\n";
    let audit = audited(text);
    let on_bullet: Vec<&str> = audit
        .provenance
        .findings
        .iter()
        .filter(|f| f.rule == "garbage-line" && f.line == 3)
        .map(|f| &*f.message)
        .collect();
    assert_eq!(on_bullet.len(), 1, "{on_bullet:?}");
    assert!(!clean(text).contains('\u{2022}'));
}
