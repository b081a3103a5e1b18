//! Rule matches as findings: each match of the scan becomes a finding of
//! its rule with the edit the rule's action asks for; a line read through a
//! rule's `fuzzy-words` also becomes a `corrupted-marking-word` repair, which
//! carries the edit.

use crate::audit::decode::Document;
use crate::audit::scan::Match;
use crate::diagnostic::{position, shared, Change, Columns, Edit, Finding, LineMask, Proposal};
use crate::model::{ActionKind, Category, Confidence, RuleAction};
use crate::rules::{Check, RuleSet};

/// The findings and proposed edits of every match, in match order: made
/// one match at a time, as they are taken (a long document's are many).
/// What each match read goes once its proposals are made: the later stages
/// read the matches' places only, and a long document's readings are many.
pub fn proposals<'a>(
    doc: &'a Document,
    rules: &'a RuleSet,
    matches: &'a mut [Match],
) -> impl Iterator<Item = Proposal> + 'a {
    let mut columns: Option<(usize, Columns)> = None;
    matches.iter_mut().flat_map(move |m| {
        if columns.as_ref().is_none_or(|(line, _)| *line != m.line()) {
            columns = Some((m.line(), Columns::new(doc.line(m.line()))));
        }
        let (first, second) = match columns.as_mut() {
            Some((_, line_columns)) => of_match(doc, rules, m, line_columns),
            None => (None, None),
        };
        m.read = None;
        first.into_iter().chain(second)
    })
}

/// The proposals of one match: its finding with its edit; or, for a marking
/// word OCR garbled, its finding alone, then the repair of the word.
fn of_match(
    doc: &Document,
    rules: &RuleSet,
    m: &Match,
    line_columns: &mut Columns,
) -> (Option<Proposal>, Option<Proposal>) {
    let edit = edit(rules, m);
    let finding = finding(doc, rules, m, line_columns);
    let garbled = m
        .fuzzy()
        .filter(|&(_, distance)| distance > 0 || !edges_only(doc.line(m.line())));
    match garbled {
        None => {
            let otherwise = suggestion(rules, m);
            let proposal = Proposal {
                finding,
                edits: edit.into_iter().collect(),
                otherwise,
            };
            (Some(proposal), None)
        }
        Some((word, distance)) => {
            let mut repair = Check::CorruptedMarkingWord.finding(
                m.line() + 1,
                doc.line(m.line()),
                format!(
                    "garbled marking word read as {word:?} ({distance} edit{} after OCR look-alikes)",
                    if distance == 1 { "" } else { "s" }
                ),
            );
            repair.suggestion = Some(word.into());
            repair.confidence = Some(fuzzy_confidence(distance));
            (
                Some(Proposal::report(finding)),
                Some(Proposal::with_edits(repair, edit.into_iter().collect())),
            )
        }
    }
}

/// The proposal of a match that the seam of a join splits in two: `head`,
/// its part at the end of one line, and `tail`, its part at the start of
/// the line joined to it (the scan saw neither part whole). One finding,
/// from the head's start to the tail's end, reading the parts as the join
/// puts them; the edit the rule asks for made on each part (the head takes
/// a replacement, the tail goes).
pub fn across_a_join(doc: &Document, rules: &RuleSet, head: &Match, tail: &Match) -> Proposal {
    let mut finding = finding(doc, rules, head, &mut Columns::new(doc.line(head.line())));
    let tail_line = doc.line(tail.line());
    finding.end_line = position(tail.line() + 1);
    finding.end_column = position(Columns::new(tail_line).at(tail.end()));
    finding.text = format!("{} {}", finding.text, &tail_line[tail.start()..tail.end()]).into();
    let mut tail = tail.clone();
    tail.read = None;
    Proposal {
        edits: edit(rules, head)
            .into_iter()
            .chain(edit(rules, &tail))
            .collect(),
        otherwise: suggestion(rules, head),
        finding,
    }
}

/// Whether a line's only marks stand at its ends ("SECRET.", "_ SECRET"):
/// a marking read exactly, with stray marks beside it, is no garbled word.
fn edges_only(line: &str) -> bool {
    line.trim_matches(|c: char| !c.is_alphanumeric())
        .chars()
        .all(|c| c.is_alphabetic() || c.is_whitespace())
}

/// Which lines some rule explains, as a mask over the document's lines.
pub fn explained(lines: usize, matches: &[Match]) -> LineMask {
    let mut explained = LineMask::new(lines);
    for m in matches {
        explained.mark(m.line()..=m.end_line());
    }
    explained
}

/// Which lines a rule reads and leaves as they are (a `flag` rule: a
/// redaction code, a reference), as a mask over the document's lines.
pub fn flagged(lines: usize, rules: &RuleSet, matches: &[Match]) -> LineMask {
    let mut flagged = LineMask::new(lines);
    for m in matches
        .iter()
        .filter(|m| rules.get(m.rule()).action == RuleAction::Flag)
    {
        flagged.mark(m.line()..=m.end_line());
    }
    flagged
}

fn finding(doc: &Document, rules: &RuleSet, m: &Match, columns: &mut Columns) -> Finding {
    let rule = rules.get(m.rule());
    let text = doc.line(m.line());
    let column = columns.at(m.start());
    let (end_column, matched) = if m.end_line() > m.line() {
        let last = doc.line(m.end_line());
        let joined = (m.line()..=m.end_line())
            .map(|i| doc.line(i))
            .collect::<Vec<_>>()
            .join("\n");
        (last.chars().count() + 1, joined)
    } else {
        (columns.at(m.end()), text[m.start()..m.end()].to_string())
    };
    let message = match m.level() {
        Some(level) if m.struck => format!("{}: {level}, struck through", rule.message),
        Some(level) => format!("{}: {level}", rule.message),
        None => rule.message.clone(),
    };
    let mut finding = Finding {
        line: position(m.line() + 1),
        end_line: position(m.end_line() + 1),
        column: position(column),
        end_column: position(end_column),
        // The rule's message, with the level it read: one of a few per
        // rule, held once for all its findings.
        message: shared(&message),
        ..Finding::new(
            &rule.id,
            rule.category,
            rule.severity,
            m.line() + 1,
            &matched,
            String::new(),
        )
    };
    if rule.category == Category::OcrNoise {
        let invisible: Vec<String> = finding
            .text
            .chars()
            .filter(|c| invisible(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !invisible.is_empty() {
            finding.message = format!("{} ({})", finding.message, invisible.join(" ")).into();
        }
        finding.confidence = Some(rule.confidence);
    }
    finding
}

/// What a repair of OCR noise by a rule suggests when it is not made.
fn suggestion(rules: &RuleSet, m: &Match) -> Option<String> {
    match rules.get(m.rule()).action {
        RuleAction::Replace => m.replacement().map(str::to_string),
        RuleAction::RemoveMatch | RuleAction::RemoveLine => Some(String::new()),
        RuleAction::Flag => None,
    }
}

/// Characters that do not show on screen: controls, zero-width and format
/// characters, variation selectors, the byte-order mark, the soft hyphen.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// How sure the reading of a garbled marking word is: one edit away, or
/// only confusable characters, is high; two edits is medium.
fn fuzzy_confidence(distance: usize) -> Confidence {
    if distance <= 1 {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

/// The edit a rule's action asks for, with how sure it is: the rule's own
/// confidence for OCR noise, the reading's for a garbled marking word, and
/// none (always made) otherwise.
fn edit(rules: &RuleSet, m: &Match) -> Option<Edit> {
    let rule = rules.get(m.rule());
    let confidence = if let Some((_, distance)) = m.fuzzy() {
        Some(fuzzy_confidence(distance))
    } else {
        (rule.category == Category::OcrNoise).then_some(rule.confidence)
    };
    let span = |kind: ActionKind, replacement: String| {
        Change::span(kind, m.line(), m.start(), m.end(), replacement)
    };
    let change = match rule.action {
        RuleAction::Flag => return None,
        RuleAction::RemoveLine => Change::remove_lines(m.line(), m.end_line()),
        RuleAction::RemoveMatch => span(ActionKind::RemoveMatch, String::new()),
        RuleAction::Replace => span(
            ActionKind::Replace,
            m.replacement().unwrap_or_default().to_string(),
        ),
    };
    Some(Edit {
        rule: crate::diagnostic::RuleId::of(&rule.id),
        confidence,
        markup: rule.markup,
        change,
    })
}
