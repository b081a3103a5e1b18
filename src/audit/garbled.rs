//! Stamps that OCR garbled: a line of a classification or declassification
//! stamp is removed (or kept) by its stamp rule whatever OCR made of it, but
//! a reader of the report should know when its text is not to be trusted.
//! A line is reported as OCR noise (`garbled-stamp-line`) when a rule
//! written for garbled copies (`garbled = true`) matched it; and a line that
//! a stamp of several lines (a region, a declassification block) takes in by
//! its place, which no pattern read, when half its words or more read as no
//! word, or when it is marks alone.

use crate::audit::decode::Document;
use crate::audit::garbage::{self, Garbage};
use crate::audit::words::DocumentWords;
use crate::diagnostic::{Finding, Proposal};
use crate::model::Category;
use crate::rules::{Check, RuleSet};
use std::collections::{BTreeMap, HashSet};

/// Why a stamp's line reads as garbled, if it does.
fn garbled(
    text: &str,
    rule_reads_garbled: bool,
    in_block: bool,
    rules: &RuleSet,
    words: &DocumentWords,
) -> Option<String> {
    if rule_reads_garbled {
        return Some("line of a stamp OCR garbled, read by a rule for garbled copies".into());
    }
    // A line a rule's own pattern matched alone was read by the rule; a
    // line a stamp of several lines takes in by its place is judged here.
    if !in_block {
        return None;
    }
    let (unread, all) = garbage::unread_words(text, rules.lexicon(), words.counts());
    if unread > 0 && unread * 2 >= all {
        return Some(format!(
            "line of a stamp OCR garbled: {unread} of its {all} words read as no word"
        ));
    }
    let marks = garbage::judge(text, rules.lexicon(), words.counts()) == Some(Garbage::Marks);
    marks.then(|| "marks alone inside a stamp of several lines".into())
}

/// A `garbled-stamp-line` finding for each line of a stamp (the
/// classification and declassification findings in `findings`) that OCR
/// garbled, each line once.
pub fn garbled_stamp_lines(
    doc: &Document,
    rules: &RuleSet,
    findings: &[Finding],
    words: &DocumentWords,
) -> Vec<Proposal> {
    let garbled_rules: HashSet<&str> = rules
        .rules()
        .iter()
        .filter(|r| r.garbled)
        .map(|r| r.id.as_str())
        .collect();
    // Each line once, with whether a rule for garbled copies read it and
    // whether it lies inside a stamp of several lines.
    let mut lines: BTreeMap<usize, (bool, bool)> = BTreeMap::new();
    for f in findings {
        let stamp = matches!(
            f.category,
            Category::Classification | Category::Declassification
        );
        // Built-in checks speak of the document, not of a stamp's line; the
        // lines a declassification block takes in are the stamp's.
        let check = Check::from_id(&f.rule);
        if !stamp || check.is_some_and(|c| c != Check::DeclassificationBlock) {
            continue;
        }
        let several = f.end_line > f.line || check.is_some();
        for line in f.line_indices().take_while(|&i| i < doc.len()) {
            let entry = lines.entry(line).or_default();
            entry.0 |= garbled_rules.contains(&*f.rule);
            entry.1 |= several;
        }
    }
    lines
        .into_iter()
        .filter_map(|(line, (rule_reads_garbled, in_block))| {
            let text = doc.line(line);
            let message = garbled(text, rule_reads_garbled, in_block, rules, words)?;
            let finding = Check::GarbledStampLine.finding(line + 1, text, message);
            Some(Proposal::report(finding))
        })
        .collect()
}
