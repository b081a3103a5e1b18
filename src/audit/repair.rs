//! Repair stage: OCR and conversion damage that single-line patterns cannot
//! judge. Each repair carries a confidence; only repairs at or above the
//! `--repair` threshold change the cleaned text, the others are reported with
//! their suggested reading.
//!
//! - **Mojibake.** UTF-8 text once decoded as Windows-1252 or Latin-1
//!   ("â€™" for "’", "Ã©" for "é") is re-read as the bytes it came from; the
//!   repair is made only when those bytes are valid UTF-8, so text that is
//!   correct Latin-1 in the first place ("café") is left alone.
//! - **Garbage lines.** Lines of mixed stray marks (".,;:'", "~ ^ ~ ,") are
//!   removed; lines mostly of symbols, or of letter fragments with no word the
//!   document uses elsewhere, are flagged with their score. Short legitimate
//!   lines are never touched: routing symbols ("ACTION:S", "DC/R"), single
//!   letters, initials ("JEF"), date-time groups ("060355Z"), a decorative
//!   row of one mark ("* * *").
//! - **Broken hyphenation**, in [`crate::audit::hyphenation`].

use crate::audit::debris;
use crate::audit::decode::Document;
use crate::audit::garbage::{judge, Garbage};
use crate::audit::hyphenation;
use crate::audit::marks::{garbage_score, mostly_text};
use crate::audit::spans::repaired_line;
use crate::audit::text::has_chars;
use crate::audit::words::{DocumentWords, WordCounts, WordSet};
use crate::diagnostic::{Change, Edit, Finding, LineMask, Proposal};
use crate::model::{ActionKind, Category, Confidence, RuleAction};
use crate::rules::{Check, RuleSet};
use std::collections::BTreeSet;

fn span_finding(
    doc: &Document,
    check: Check,
    line: usize,
    start: usize,
    end: usize,
    message: String,
) -> Finding {
    let text = doc.line(line);
    check
        .finding(line + 1, &text[start..end], message)
        .at_span(text, start, end)
}

/// The byte a character stands for when UTF-8 was read as Windows-1252 (or
/// Latin-1, for the five bytes Windows-1252 leaves undefined).
fn as_byte(c: char) -> Option<u8> {
    let code = c as u32;
    if code < 0x80 {
        return Some(code as u8);
    }
    if (0x80..=0xFF).contains(&code) {
        return Some(code as u8);
    }
    let mut buffer = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(c.encode_utf8(&mut buffer));
    (!unmappable && bytes.len() == 1).then(|| bytes[0])
}

/// Finds runs of mojibake in a line: a UTF-8 lead byte read as a character
/// and followed by the continuation bytes it needs.
fn mojibake_runs(text: &str) -> Vec<(usize, usize, String)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut runs: Vec<(usize, usize, String)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let Some(lead) = as_byte(c) else {
            i += 1;
            continue;
        };
        let needed = match lead {
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => {
                i += 1;
                continue;
            }
        };
        if i + needed >= chars.len() {
            i += 1;
            continue;
        }
        let mut bytes = vec![lead];
        for k in 1..=needed {
            match chars.get(i + k).and_then(|&(_, c)| as_byte(c)) {
                Some(b @ 0x80..=0xBF) => bytes.push(b),
                _ => break,
            }
        }
        match std::str::from_utf8(&bytes) {
            Ok(decoded) if bytes.len() == needed + 1 => {
                let end = chars.get(i + needed + 1).map_or(text.len(), |&(b, _)| b);
                match runs.last_mut() {
                    Some(last) if last.1 == start => {
                        last.1 = end;
                        last.2.push_str(decoded);
                    }
                    _ => runs.push((start, end, decoded.to_string())),
                }
                i += needed + 1;
            }
            _ => i += 1,
        }
    }
    runs
}

/// Reads the mojibake of `text` back until nothing reads as mojibake any
/// more: text garbled several times (`ÃÂÂ¸`) loses one layer a round, and a
/// character read back can make mojibake with the one before it. Returns the
/// spans of `text` that change, each with what it stands for; one pass and
/// no allocation for a line without mojibake, at most one round a character.
fn read_back(text: &str) -> Vec<(usize, usize, String)> {
    let first = mojibake_runs(text);
    if first.is_empty() {
        return first;
    }
    // Each character of the text as read so far, with the span of `text` it
    // comes from and whether it was read back.
    let mut current: Vec<(char, usize, usize, bool)> = text
        .char_indices()
        .map(|(at, c)| (c, at, at + c.len_utf8(), false))
        .collect();
    let mut runs = first;
    for _ in 0..current.len() {
        if runs.is_empty() {
            break;
        }
        current = replaced(&current, &runs);
        let now: String = current.iter().map(|c| c.0).collect();
        runs = mojibake_runs(&now);
    }
    let mut out: Vec<(usize, usize, String)> = Vec::new();
    let mut previous_changed = false;
    for &(c, start, end, changed) in &current {
        match out.last_mut() {
            Some(last) if changed && previous_changed => {
                last.0 = last.0.min(start);
                last.1 = last.1.max(end);
                last.2.push(c);
            }
            _ if changed => out.push((start, end, c.to_string())),
            _ => {}
        }
        previous_changed = changed;
    }
    out
}

/// `current` with the mojibake `runs` (byte spans of its text) read back:
/// the characters of a run stand for the whole span the run covered.
fn replaced(
    current: &[(char, usize, usize, bool)],
    runs: &[(usize, usize, String)],
) -> Vec<(char, usize, usize, bool)> {
    let mut next = Vec::with_capacity(current.len());
    let mut runs = runs.iter().peekable();
    let mut at = 0;
    let mut i = 0;
    while i < current.len() {
        match runs.peek() {
            Some(&&(start, end, ref decoded)) if start == at => {
                let (mut from, mut to) = (usize::MAX, 0);
                while i < current.len() && at < end {
                    let (c, s, e, _) = current[i];
                    from = from.min(s);
                    to = to.max(e);
                    at += c.len_utf8();
                    i += 1;
                }
                next.extend(decoded.chars().map(|c| (c, from, to, true)));
                runs.next();
            }
            _ => {
                next.push(current[i]);
                at += current[i].0.len_utf8();
                i += 1;
            }
        }
    }
    next
}

/// Applies the OCR-noise removals of the rules (invisible characters) to a
/// repaired text: mojibake can stand for a zero-width space.
fn without_noise(rules: &RuleSet, text: String) -> String {
    rules
        .rules()
        .iter()
        .filter(|r| r.category == Category::OcrNoise && r.action == RuleAction::RemoveMatch)
        .fold(text, |t, r| r.regex.replace_all(&t, "").into_owned())
}

fn mojibake(doc: &Document, rules: &RuleSet, line: usize, out: &mut Vec<Proposal>) {
    mojibake_in(
        doc,
        rules,
        line,
        doc.line(line),
        &|start, end| (start, end),
        out,
    );
}

/// Mojibake repairs of `text`, which line `line` reads as (the line itself,
/// or what other repairs leave of it); `original` maps a span of `text` to
/// the span of the line as written that the repair replaces.
pub fn mojibake_in(
    doc: &Document,
    rules: &RuleSet,
    line: usize,
    text: &str,
    original: &dyn Fn(usize, usize) -> (usize, usize),
    out: &mut Vec<Proposal>,
) {
    if text.is_ascii() {
        return;
    }
    for (start, end, repaired) in read_back(text) {
        let repaired = without_noise(rules, repaired);
        let (start, end) = original(start, end);
        let finding = span_finding(
            doc,
            Check::Mojibake,
            line,
            start,
            end,
            format!(
                "UTF-8 text read as Windows-1252: {:?} stands for {:?}",
                &doc.line(line)[start..end],
                repaired
            ),
        );
        let kind = if repaired.is_empty() {
            ActionKind::RemoveMatch
        } else {
            ActionKind::Replace
        };
        let change = Change::span(kind, line, start, end, repaired.clone());
        out.push(Proposal::repair(
            finding,
            Confidence::High,
            vec![change],
            repaired,
        ));
    }
}

/// Share of stray marks above which a line is garbage, and the smallest
/// line (in visible characters) judged at all.
pub const GARBAGE_SHARE: f64 = 0.7;
pub const GARBAGE_FLAG_SHARE: f64 = 0.5;
// `mostly_text` settles the lines whose mark share is at most one half.
const _: () = assert!(GARBAGE_FLAG_SHARE >= 0.5 && GARBAGE_SHARE >= 0.5);
pub const GARBAGE_MIN_CHARS: usize = 3;
/// Lines longer than this (in visible characters) are not judged word by
/// word: OCR garbage that reads as no text comes in short lines.
pub const JUDGED_MAX_CHARS: usize = 48;
/// A line is flagged (not removed) only from this many visible characters.
pub const GARBAGE_FLAG_MIN_CHARS: usize = 5;

/// How sure it is that a line is garbage, and why; `None` for text.
/// Whether a line of marks is flagged as stray unless it holds a word the
/// document uses elsewhere: the one verdict the set of the document's words
/// (not their counts) decides.
fn flagged_unless_known(visible: usize, share: f64, marks: usize) -> bool {
    visible >= GARBAGE_FLAG_MIN_CHARS && share > GARBAGE_FLAG_SHARE && marks >= 2
}

/// Whether the verdict on `text` may lean on the set of the document's
/// words (see [`garbage_verdict`]); otherwise only on how often each is used.
pub fn verdict_reads_vocabulary(text: &str) -> bool {
    if mostly_text(text).is_some() {
        // A share at most one half is not above GARBAGE_FLAG_SHARE.
        return false;
    }
    let (share, marks, _, visible) = garbage_score(text);
    flagged_unless_known(visible, share, marks)
}

/// The verdict on a line of stray marks, by its [`garbage_score`]: sure
/// when its marks leave no word; flagged when they are most of the line and
/// it holds no word of three letters or more that the document uses
/// elsewhere (`words`, looked up only then).
fn stray_marks<'w>(
    text: &str,
    (share, marks, longest, visible): (f64, usize, usize, usize),
    words: impl Fn() -> &'w WordSet,
) -> Option<(Confidence, String)> {
    let known = || {
        text.split(|c: char| !c.is_alphabetic())
            .filter(|w| has_chars(w, 3))
            .any(|w| words().contains(&w.to_lowercase()))
    };
    let stray = || {
        format!(
            "line of stray marks: {:.0}% of it is neither letter nor digit, {marks} kinds of mark, longest word {longest} letters",
            share * 100.0
        )
    };
    if visible >= GARBAGE_MIN_CHARS && share >= GARBAGE_SHARE && marks >= 2 && longest < 3 {
        return Some((Confidence::High, stray()));
    }
    if flagged_unless_known(visible, share, marks) && !known() {
        return Some((Confidence::Low, stray()));
    }
    None
}

/// Whether [`garbage_verdict`] finds `text` no garbage whatever the
/// document's words: a long line of text (most lines), which is neither a
/// line of stray marks nor judged word by word. Lines whose words' counts
/// changed are judged again only when this does not settle them.
pub fn text_whatever_the_words(text: &str) -> bool {
    mostly_text(text).is_some_and(|visible| visible > JUDGED_MAX_CHARS)
}

pub fn garbage_verdict<'w>(
    text: &str,
    rules: &RuleSet,
    words: impl Fn() -> &'w WordSet,
    counts: impl Fn() -> &'w WordCounts,
) -> Option<(Confidence, String)> {
    // A line of text (marks at most half of it: nearly every line) is no
    // line of stray marks, which takes a share above GARBAGE_FLAG_SHARE.
    let visible = match mostly_text(text) {
        Some(visible) => visible,
        None => {
            let score = garbage_score(text);
            if let Some(stray) = stray_marks(text, score, words) {
                return Some(stray);
            }
            score.3
        }
    };
    if visible > JUDGED_MAX_CHARS {
        return None;
    }
    let (confidence, message) = match judge(text, rules.lexicon(), counts())? {
        Garbage::Marks => (Confidence::High, "line of marks alone, no text"),
        Garbage::Fragment => (
            Confidence::High,
            "fragment of one or two characters that is no initial or number",
        ),
        Garbage::Gibberish => (
            Confidence::Low,
            "garbled line: most of it reads as no word, number, code or name",
        ),
        Garbage::Cyrillic => (
            Confidence::Low,
            "Cyrillic letters read by OCR for Latin ones",
        ),
    };
    Some((confidence, message.to_string()))
}

/// Judges line `line` as it reads once `edits` (its own character repairs)
/// are made: as the cleaned text, audited again, reads it.
fn garbage<'w>(
    doc: &Document,
    rules: &RuleSet,
    line: usize,
    edits: &[Edit],
    words: impl Fn() -> &'w WordSet,
    counts: impl Fn() -> &'w WordCounts,
    out: &mut Vec<Proposal>,
) {
    let text = doc.line(line);
    let repaired = repaired_line(text, line, edits);
    let judged = repaired.as_deref().unwrap_or(text);
    out.extend(garbage_line(doc, rules, line, judged, words, counts));
}

/// The removal of line `line` as garbage when, read as `judged` (its
/// in-line repairs made), it is garbage.
pub fn garbage_line<'w>(
    doc: &Document,
    rules: &RuleSet,
    line: usize,
    judged: &str,
    words: impl Fn() -> &'w WordSet,
    counts: impl Fn() -> &'w WordCounts,
) -> Option<Proposal> {
    let (confidence, message) = garbage_verdict(judged, rules, words, counts)?;
    let finding = Check::GarbageLine.finding(line + 1, doc.line(line), message);
    let change = Change::remove_lines(line, line);
    let mut out = Vec::with_capacity(1);
    out.push(Proposal::repair(
        finding,
        confidence,
        vec![change],
        String::new(),
    ));
    out.pop()
}

/// The mojibake repairs of the lines that stay, each with its line: the
/// first repairs, made before the document's words are counted (the words
/// are those the repaired text will have).
pub fn mojibake_repairs(
    doc: &Document,
    rules: &RuleSet,
    removed: &LineMask,
) -> Vec<(usize, Proposal)> {
    let mut out = Vec::new();
    let mut found = Vec::new();
    for line in (0..doc.len()).filter(|&line| !removed[line]) {
        mojibake(doc, rules, line, &mut found);
        out.extend(found.drain(..).map(|p| (line, p)));
    }
    out
}

/// Proposes the repairs of every line that earlier stages keep.
pub fn repair(
    doc: &Document,
    rules: &RuleSet,
    removed: &LineMask,
    explained: &LineMask,
    mojibake: Vec<(usize, Proposal)>,
    document_words: &DocumentWords,
) -> Vec<Proposal> {
    let mut out = Vec::new();
    let words = || document_words.vocabulary();
    let counts = || document_words.counts();
    let mut mojibake = mojibake.into_iter().peekable();
    for line in 0..doc.len() {
        if removed[line] {
            continue;
        }
        let before = out.len();
        out.extend(std::iter::from_fn(|| mojibake.next_if(|(l, _)| *l == line)).map(|(_, p)| p));
        if !explained[line] {
            let edits: Vec<Edit> = out[before..]
                .iter()
                .flat_map(|p| p.edits.iter().cloned())
                .collect();
            garbage(doc, rules, line, &edits, words, counts, &mut out);
        }
        hyphenation::hyphenation(
            doc,
            line,
            removed,
            rules.lexicon(),
            document_words,
            &mut out,
        );
    }
    let garbage_id = Check::GarbageLine.id();
    let garbage: BTreeSet<usize> = out
        .iter()
        .filter(|p| p.finding.rule == garbage_id)
        .map(|p| p.finding.line_index())
        .collect();
    // Reported, never removed: the garbage beside may go, and the cleaned
    // text, audited again, must read the same.
    for line in debris::beside_garbage(doc, rules, removed, explained, &garbage, document_words) {
        let message = "short line of letter fragments beside a garbled line: debris of the same smudge or margin";
        let mut finding = Check::GarbageLine.finding(line + 1, doc.line(line), message.into());
        finding.confidence = Some(Confidence::Low);
        out.push(Proposal::report(finding));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mojibake_is_read_back_and_latin1_is_left_alone() {
        let runs = |t: &str| {
            mojibake_runs(t)
                .into_iter()
                .map(|r| r.2)
                .collect::<Vec<_>>()
        };
        assert_eq!(runs("People\u{e2}\u{20ac}\u{2122}s"), ["\u{2019}"]);
        assert_eq!(runs("communiqu\u{c3}\u{a9}"), ["\u{e9}"]);
        assert!(runs("café crème").is_empty());
        assert!(runs("People\u{2019}s").is_empty());
    }

    #[test]
    fn mojibake_of_mojibake_is_read_back_whole() {
        // ø encoded as UTF-8 and read as Windows-1252 five times over.
        let mut text = String::from("\u{f8}");
        for _ in 0..5 {
            let bytes = text.into_bytes();
            text = encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned();
        }
        let garbled = format!("x {text} y");
        assert_eq!(
            read_back(&garbled),
            [(2, 2 + text.len(), "\u{f8}".to_string())]
        );
        assert_eq!(
            read_back("communiqu\u{c3}\u{a9} and caf\u{e9}"),
            [(9, 13, "\u{e9}".to_string())]
        );
        assert!(read_back("caf\u{e9} cr\u{e8}me").is_empty());
    }

    #[test]
    fn a_line_settled_as_text_is_no_garbage_whatever_the_words() {
        let rules = RuleSet::builtin().unwrap();
        let (words, counts) = (WordSet::default(), WordCounts::default());
        let long = "qzx vbn wrt plk mnb vcx zlk qwp rtz xcv bnm lkj hgf dsa pqw rtv bnx";
        let lines = [
            (long, true),
            (
                "The minister said that the talks would go on through the week.",
                true,
            ),
            ("qzx vbn wrt", false),
            (
                ".,;:' ~ ^ .,;:' ~ ^ .,;:' ~ ^ .,;:' ~ ^ .,;:' ~ ^ .,;:' ~ ^",
                false,
            ),
            (
                "r\u{e9}sum\u{e9} of the talks that went on through the week and after",
                false,
            ),
        ];
        for (line, settled) in lines {
            assert_eq!(text_whatever_the_words(line), settled, "{line}");
            if settled {
                assert_eq!(
                    garbage_verdict(line, &rules, || &words, || &counts),
                    None,
                    "{line}"
                );
            }
        }
        // The same letters in a short line are judged word by word.
        assert!(garbage_verdict("qzx vbn wrt", &rules, || &words, || &counts).is_some());
    }

    #[test]
    fn garbage_scores_keep_short_legitimate_lines() {
        for keep in ["ACTION:S", "DC/R", "JEF", "060355Z", "* * *", "U", "- 3 -"] {
            let (share, marks, longest, _) = garbage_score(keep);
            let garbage = share >= GARBAGE_SHARE && marks >= 2 && longest < 3;
            assert!(
                !garbage || keep.chars().filter(|c| !c.is_whitespace()).count() < GARBAGE_MIN_CHARS,
                "{keep}"
            );
        }
        let (share, marks, longest, _) = garbage_score(".,;:' ~ ^");
        assert!(share >= GARBAGE_SHARE && marks >= 2 && longest < 3);
    }
}
