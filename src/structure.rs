//! Structure stage: the document as sheets, beyond what single-line rules see.
//!
//! - **Catchwords.** A typist's catchword is a short line at the foot of a
//!   sheet that repeats the first words of the next sheet's first line. It is
//!   removed; short marks between it and its continuation ("D File") are
//!   marks at the sheet boundary and are removed too.
//! - **Sheets.** Runs of lines that are not body text (blank lines and lines
//!   removed by rules or as catchwords) are sheet boundaries when they carry a
//!   break signal: a rule's `page-break` (`end`, `start`, or `inline` inside a
//!   line), a catchword, a classification stamp next to a declassification
//!   block, two stamps in one run (the foot of one sheet and the head of the
//!   next), or a stamp beside two or more blank lines in a row.
//! - **Repeated sheet headers**, learned per document: a line that recurs,
//!   after folding case, collapsing white space and masking digits, among the
//!   first or last body lines of two consecutive sheets or more, (almost)
//!   nowhere else in the body, and always apart from paragraph text, is page
//!   furniture — except a signature or initials at the foot ("SMITH", "JRL"),
//!   which repeat per message, not per sheet, and are text. A
//!   short line at the edge of a sheet that another sheet prints with a value
//!   after it on the next or previous sheet ("Received at" / "Received at WTE
//!   …") is a form label with no value, and is furniture too.
//! - **Paragraph joins.** Where removed lines or a page break split a
//!   paragraph — the text before stops mid-sentence, or does not end a
//!   sentence and the text after starts in lower case — the parts are joined:
//!   unwrapped prose (one long line per paragraph) with one space,
//!   hard-wrapped text (both parts blocks of several lines) by dropping the
//!   blank lines between. Unwrapped paragraphs are also joined across blank
//!   lines alone, where a PDF page break left no other trace.

use crate::clean::Edit;
use crate::decode::{is_blank, Document};
use crate::finding::{column_of, Finding};
use crate::model::{Category, PageBreak};
use crate::pipeline::builtin_finding;
use crate::rules::{check, RuleSet};
use crate::scan::Match;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A catchword has at most this many words and characters.
pub const CATCHWORD_MAX_WORDS: usize = 4;
pub const CATCHWORD_MAX_CHARS: usize = 30;
/// How many lines after a catchword its continuation is looked for (the
/// furniture between two sheets of a telegram can be long).
pub const CATCHWORD_LOOKAHEAD: usize = 24;
/// Between a catchword and its continuation there may be at most this many
/// short marks (page numbers, filing notes, garbled stamps), each at most
/// this long.
pub const SHEET_MARKS_MAX: usize = 3;
pub const SHEET_MARK_MAX_CHARS: usize = 20;
/// How many body lines at the head and at the foot of a sheet are its zones.
pub const ZONE_LINES: usize = 5;
/// A line repeated at sheet edges is furniture when it stands there more than
/// this many times as often as in the body (where a sheet boundary may have
/// been missed).
pub const EDGE_RATIO: usize = 3;
/// A form label has at most this many words, and the line that carries its
/// value at most this many characters.
pub const FORM_LABEL_MAX_WORDS: usize = 3;
pub const FORM_FIELD_MAX_CHARS: usize = 60;
/// A paragraph line at least this long is unwrapped prose.
pub const UNWRAPPED_MIN_CHARS: usize = 100;
/// Unwrapped prose is joined across blank lines alone (no removed line, no
/// page break between) to a part that starts with a capital only from a
/// paragraph at least this long: titles and captions are shorter.
pub const UNWRAPPED_UNCUT_MIN_CHARS: usize = 200;
/// In hard-wrapped text, a line at least this long is a full line of a
/// paragraph (shorter lines are headings, fields, signatures).
pub const WRAPPED_MIN_CHARS: usize = 40;

/// How two parts of a paragraph are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JoinMode {
    /// Unwrapped prose: the second line is appended to the first with a space.
    Space,
    /// Hard-wrapped text: the blank lines between the parts are dropped.
    Lines,
}

/// A join of line `second` onto the paragraph of line `first` (0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Join {
    pub first: usize,
    pub second: usize,
    pub mode: JoinMode,
}

/// One sheet of the original document. Lines are 1-based; `start_column` is
/// set where the sheet starts inside a line (after an inline page marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub index: usize,
    /// The printed page number, where the document gives one.
    pub number: Option<u32>,
    pub start_line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<usize>,
    pub end_line: usize,
    /// Where the sheet's text is in `cleaned.txt` (`null` if none of it is).
    pub cleaned_start_line: Option<usize>,
    pub cleaned_end_line: Option<usize>,
}

/// What the structure stage found.
#[derive(Debug, Clone, Default)]
pub struct Structure {
    pub findings: Vec<Finding>,
    pub edits: Vec<Edit>,
    pub joins: Vec<Join>,
    /// Sheets, with original lines only (cleaned lines are set after cleaning).
    pub pages: Vec<Page>,
}

/// Lower-cased words of a line, punctuation kept.
fn folded_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// The key two lines are compared by: case folded, white space collapsed,
/// digits masked — hashed on the fly, with the count of characters other
/// than masked digits that are letters or numerals. (`DefaultHasher::new` has fixed keys: the same everywhere.)
fn repeat_key(text: &str) -> (u64, usize) {
    use std::hash::Hasher;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let mut alphanumeric = 0;
    let mut space = false;
    for c in text.trim().chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            hasher.write_u32(' ' as u32);
            space = false;
        }
        if c.is_alphanumeric() && !c.is_ascii_digit() {
            alphanumeric += 1;
        }
        if c.is_ascii_digit() {
            hasher.write_u32('#' as u32);
        } else {
            for lower in c.to_lowercase() {
                hasher.write_u32(lower as u32);
            }
        }
    }
    (hasher.finish(), alphanumeric)
}

/// Removes trailing note markup from a line's end: `<sup>12</sup>`, or a
/// note number glued to the sentence (`accepted.1`).
fn strip_trailing_markup(mut text: &str) -> &str {
    loop {
        text = text.trim_end();
        if text.ends_with('>') {
            match text.rfind('<') {
                Some(open) => text = &text[..open],
                None => return text,
            }
        } else if text.ends_with(|c: char| c.is_ascii_digit()) {
            // A note number glued to the end: after markup (`<sup>12`), or
            // right after a sentence's end (`accepted.1`).
            let stem = text.trim_end_matches(|c: char| c.is_ascii_digit());
            let glued = stem.ends_with(['>', '.', '!', '?', '"', '\u{201D}'])
                && text.len() - stem.len() <= 3;
            if !glued {
                return text;
            }
            text = stem;
        } else {
            return text;
        }
    }
}

/// Whether a line ends a sentence (or a heading-like field that introduces
/// what follows): a final `.`, `!`, `?` or `:`, possibly inside closing quotes
/// or brackets, possibly followed by footnote markup.
pub fn ends_sentence(text: &str) -> bool {
    let text = strip_trailing_markup(text);
    let inner = text.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']']);
    inner.ends_with(['.', '!', '?', ':'])
}

/// Whether a line stops in the middle of a sentence: on a letter, a digit, a
/// comma, a semicolon or a dash (not on a closing bracket or quote).
fn stops_mid_sentence(text: &str) -> bool {
    strip_trailing_markup(text)
        .chars()
        .next_back()
        .is_some_and(|c| {
            c.is_alphanumeric() || matches!(c, ',' | ';' | '-' | '\u{2013}' | '\u{2014}')
        })
}

/// Whether a line starts in lower case (after opening quotes).
fn starts_lower(text: &str) -> bool {
    text.trim_start()
        .trim_start_matches(['"', '\'', '\u{201C}', '\u{2018}'])
        .chars()
        .next()
        .is_some_and(char::is_lowercase)
}

/// Whether a line can continue a paragraph: it starts with a letter, a digit
/// or an opening quote (not a list mark, heading mark, bracket or markup).
fn starts_like_prose(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || matches!(c, '"' | '\'' | '\u{201C}' | '\u{2018}'))
}

struct Catchword {
    line: usize,
    continues: usize,
    /// Short marks between the catchword and its continuation.
    marks: Vec<usize>,
}

fn find_catchwords(doc: &Document, explained: &[bool]) -> Vec<Catchword> {
    let n = doc.len();
    let body = |i: usize| !explained[i] && !is_blank(doc.line(i));
    let isolated = |i: usize| (i == 0 || !body(i - 1)) && (i + 1 >= n || !body(i + 1));
    let mut found = Vec::new();
    for x in 0..n {
        let text = doc.line(x).trim();
        if text.len() > 4 * CATCHWORD_MAX_CHARS
            || text.chars().count() > CATCHWORD_MAX_CHARS
            || !body(x)
            || !isolated(x)
            || ends_sentence(text)
            || !text.chars().any(char::is_alphabetic)
        {
            continue;
        }
        let words = folded_words(text);
        if words.len() > CATCHWORD_MAX_WORDS {
            continue;
        }
        let mut marks = Vec::new();
        for y in x + 1..(x + 1 + CATCHWORD_LOOKAHEAD).min(n) {
            if !body(y) {
                continue;
            }
            let next = folded_words(doc.line(y));
            if next.len() > words.len() && next[..words.len()] == words[..] {
                found.push(Catchword {
                    line: x,
                    continues: y,
                    marks,
                });
                break;
            }
            let short = doc.line(y).trim().chars().count() <= SHEET_MARK_MAX_CHARS;
            if marks.len() < SHEET_MARKS_MAX && short && isolated(y) {
                marks.push(y);
                continue;
            }
            break;
        }
    }
    found
}

/// A boundary between two sheets: after line `line` (whole-line boundary),
/// or inside line `line` at byte `at` (inline marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Boundary {
    line: usize,
    at: Option<usize>,
    number: Option<u32>,
}

fn find_boundaries(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    explained: &[bool],
    catchwords: &[Catchword],
) -> Vec<Boundary> {
    let n = doc.len();
    let mut starts: BTreeMap<usize, Option<u32>> = BTreeMap::new();
    let mut ends: BTreeSet<usize> = catchwords.iter().map(|c| c.line).collect();
    let mut categories: BTreeMap<usize, BTreeSet<Category>> = BTreeMap::new();
    let mut boundaries = Vec::new();
    for m in matches {
        let rule = rules.get(m.rule);
        categories.entry(m.line).or_default().insert(rule.category);
        match rule.page_break {
            Some(PageBreak::Start) => {
                starts.entry(m.line).or_insert(m.page);
            }
            Some(PageBreak::End) => {
                ends.insert(m.end_line);
            }
            Some(PageBreak::Inline) => boundaries.push(Boundary {
                line: m.line,
                at: Some(m.start),
                number: m.page,
            }),
            None => {}
        }
    }
    let body = |i: usize| !explained[i] && !is_blank(doc.line(i));
    let first_body = (0..n).find(|&i| body(i));
    let last_body = (0..n).rev().find(|&i| body(i));
    let (Some(first_body), Some(last_body)) = (first_body, last_body) else {
        boundaries.sort();
        return boundaries;
    };
    let mut i = first_body;
    while i < last_body {
        if body(i) {
            i += 1;
            continue;
        }
        let run_start = i;
        while i < n && !body(i) {
            i += 1;
        }
        let run = run_start..i;
        let number = run.clone().find_map(|l| starts.get(&l).copied().flatten());
        let after = if let Some(end) = run.clone().rev().find(|l| ends.contains(l)) {
            Some(end)
        } else if let Some(start) = run.clone().find(|l| starts.contains_key(l)) {
            Some(start - 1)
        } else {
            let kinds: BTreeSet<Category> = run
                .clone()
                .filter_map(|l| categories.get(&l))
                .flatten()
                .copied()
                .collect();
            let stamps: Vec<usize> = run
                .clone()
                .filter(|l| {
                    categories
                        .get(l)
                        .is_some_and(|c| c.contains(&Category::Classification))
                })
                .collect();
            // Blank lines in a row: a gap between sheets, when a stamp borders it.
            let wide_gap = run.clone().find(|&l| {
                l + 1 < n
                    && is_blank(doc.line(l))
                    && is_blank(doc.line(l + 1))
                    && (stamps.contains(&(l.wrapping_sub(1)))
                        || (l + 2 < n && stamps.contains(&(l + 2))))
            });
            if kinds.contains(&Category::Classification)
                && kinds.contains(&Category::Declassification)
            {
                // A stamp next to a declassification block: the foot of a sheet.
                run.clone().rev().find(|&l| explained[l])
            } else if stamps.len() >= 2 {
                // Two stamps: the foot of one sheet and the head of the next.
                Some(stamps[0])
            } else {
                wide_gap.map(|l| l.saturating_sub(1))
            }
        };
        if let Some(line) = after {
            boundaries.push(Boundary {
                line,
                at: None,
                number,
            });
        }
    }
    boundaries.sort();
    boundaries
}

fn sheets(doc: &Document, boundaries: &[Boundary]) -> Vec<Page> {
    let n = doc.len();
    if n == 0 {
        return Vec::new();
    }
    let mut pages = Vec::with_capacity(boundaries.len() + 1);
    let mut start = (0usize, None::<usize>);
    let mut number: Option<u32> = None;
    for b in boundaries {
        let end_line = b.line;
        pages.push(Page {
            index: pages.len() + 1,
            number,
            start_line: start.0 + 1,
            start_column: start.1.map(|byte| column_of(doc.line(start.0), byte)),
            end_line: end_line + 1,
            cleaned_start_line: None,
            cleaned_end_line: None,
        });
        start = match b.at {
            Some(byte) => (b.line, Some(byte)),
            None => (b.line + 1, None),
        };
        // A printed number equal to the sheet's own is a number at its foot.
        number = b.number.filter(|&v| number != Some(v));
    }
    pages.push(Page {
        index: pages.len() + 1,
        number,
        start_line: start.0 + 1,
        start_column: start.1.map(|byte| column_of(doc.line(start.0), byte)),
        end_line: n,
        cleaned_start_line: None,
        cleaned_end_line: None,
    });
    pages
}

/// Whether a line looks like a signature or a typist's initials ("SMITH",
/// "J. STALIN", "JRL"): at most three words of letters, with initials.
fn name_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            let w = w.trim_end_matches('.');
            !w.is_empty() && w.chars().all(char::is_alphabetic)
        })
}

/// Zone kind of a body line near a sheet's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Head,
    Foot,
}

fn learn_repeated(
    doc: &Document,
    pages: &[Page],
    explained: &[bool],
) -> (Vec<Finding>, Vec<(usize, &'static str)>) {
    let body = |i: usize| !explained[i] && !is_blank(doc.line(i));
    let mut zoned: BTreeMap<usize, (usize, Zone)> = BTreeMap::new();
    for (sheet, page) in pages.iter().enumerate() {
        let lines: Vec<usize> = (page.start_line - 1..page.end_line)
            .filter(|&i| body(i) && !(page.start_column.is_some() && i + 1 == page.start_line))
            .collect();
        // Head and foot zones take at most half the sheet's body lines each.
        let size = ZONE_LINES.min(lines.len() / 2);
        for &i in lines.iter().take(size) {
            zoned.insert(i, (sheet, Zone::Head));
        }
        for &i in lines.iter().rev().take(size) {
            zoned.entry(i).or_insert((sheet, Zone::Foot));
        }
    }
    let mut in_zones: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    let mut in_body: BTreeMap<u64, usize> = BTreeMap::new();
    for i in (0..doc.len()).filter(|&i| body(i)) {
        let (key, alphanumeric) = repeat_key(doc.line(i));
        if alphanumeric < 2 {
            continue;
        }
        if zoned.contains_key(&i) {
            in_zones.entry(key).or_default().push(i);
        } else {
            *in_body.entry(key).or_default() += 1;
        }
    }
    let repeated: BTreeMap<&u64, &Vec<usize>> = in_zones
        .iter()
        .filter(|(key, occurrences)| {
            let sheets: Vec<usize> = occurrences
                .iter()
                .map(|i| zoned[i].0)
                .collect::<BTreeSet<usize>>()
                .into_iter()
                .collect();
            let consecutive = sheets.windows(2).any(|w| w[1] == w[0] + 1);
            let elsewhere = in_body.get(*key).copied().unwrap_or(0);
            // Names and initials are text: a single word (a signature, a
            // typist's initials) is never learned, nor a name at the foot.
            let signature = occurrences.iter().all(|i| {
                let line = doc.line(*i);
                name_like(line)
                    && (line.split_whitespace().count() == 1 || zoned[i].1 == Zone::Foot)
            });
            consecutive && !signature && occurrences.len() > EDGE_RATIO * elsewhere
        })
        .collect();
    // Furniture stands apart from the text: each occurrence's neighbours are
    // blank, removed, or repeated edge lines themselves.
    let candidate: BTreeSet<usize> = repeated.values().flat_map(|o| o.iter().copied()).collect();
    let apart = |i: usize| {
        let clear = |j: usize| !body(j) || candidate.contains(&j);
        (i == 0 || clear(i - 1)) && (i + 1 >= doc.len() || clear(i + 1))
    };
    let mut findings = Vec::new();
    let mut lines = Vec::new();
    for occurrences in repeated.into_values() {
        if !occurrences.iter().all(|&i| apart(i)) {
            continue;
        }
        let sheets: BTreeSet<usize> = occurrences.iter().map(|i| zoned[i].0).collect();
        for &i in occurrences {
            let others: Vec<String> = occurrences
                .iter()
                .filter(|&&o| o != i)
                .map(|o| (o + 1).to_string())
                .collect();
            findings.push(builtin_finding(
                check::REPEATED_SHEET_HEADER,
                i + 1,
                doc.line(i),
                format!(
                    "repeated at the {} of {} sheets: same line as line {}",
                    if zoned[&i].1 == Zone::Head {
                        "head"
                    } else {
                        "foot"
                    },
                    sheets.len(),
                    others.join(", ")
                ),
            ));
            lines.push((i, check::REPEATED_SHEET_HEADER));
        }
    }
    // Form labels: a short edge line that another sheet's edge prints with a
    // value after it. Edge lines are sorted by their words, so the lines that
    // extend a label follow it.
    let learned: BTreeSet<usize> = lines.iter().map(|&(i, _)| i).collect();
    let mut heads: Vec<(Vec<String>, usize, usize)> = zoned
        .iter()
        .filter(|(i, _)| !learned.contains(i))
        .map(|(&i, &(sheet, _))| (folded_words(doc.line(i)), sheet, i))
        .collect();
    heads.sort();
    let alone = |i: usize| (i == 0 || !body(i - 1)) && (i + 1 >= doc.len() || !body(i + 1));
    for (label, sheet, i) in &heads {
        let text = doc.line(*i).trim();
        if label.len() < 2
            || label.len() > FORM_LABEL_MAX_WORDS
            || ends_sentence(text)
            || !text.starts_with(char::is_uppercase)
            || !alone(*i)
        {
            continue;
        }
        // The line with the value is a short field standing on its own, not
        // a sentence or the first line of a paragraph.
        let field = |j: usize| {
            let line = doc.line(j).trim();
            line.chars().count() <= FORM_FIELD_MAX_CHARS && !ends_sentence(line) && alone(j)
        };
        let from = heads.partition_point(|(words, ..)| words <= label);
        let filled = heads[from..]
            .iter()
            .take_while(|(words, ..)| words.starts_with(label))
            .find(|(_, other, j)| other.abs_diff(*sheet) == 1 && field(*j));
        if let Some((_, _, j)) = filled {
            findings.push(builtin_finding(
                check::FORM_LABEL,
                i + 1,
                doc.line(*i),
                format!(
                    "printed form label with no value: line {} carries the same label with its value, and is kept",
                    j + 1
                ),
            ));
            lines.push((*i, check::FORM_LABEL));
        }
    }
    (findings, lines)
}

fn find_joins(doc: &Document, removed: &[bool], boundaries: &[Boundary]) -> Vec<Join> {
    let n = doc.len();
    let kept_text = |i: usize| !removed[i] && !is_blank(doc.line(i));
    // Whole-line sheet boundaries, in order (boundaries come sorted).
    let breaks: Vec<usize> = boundaries
        .iter()
        .filter(|x| x.at.is_none())
        .map(|x| x.line)
        .collect();
    let mut joins = Vec::new();
    let mut previous: Option<usize> = None;
    for b in (0..n).filter(|&i| kept_text(i)) {
        let Some(a) = previous.replace(b) else {
            continue;
        };
        if b == a + 1 {
            continue;
        }
        let (first, second) = (doc.line(a).trim(), doc.line(b).trim());
        // OCR makes a lower-case start weak evidence ("ln reply" for "In"):
        // a part after a finished sentence is never joined.
        let continues =
            !ends_sentence(first) && (starts_lower(second) || stops_mid_sentence(first));
        if !starts_like_prose(second) || !continues {
            continue;
        }
        let next_break = breaks.partition_point(|&line| line < a);
        let cut = removed[a + 1..b].iter().any(|&r| r)
            || breaks.get(next_break).is_some_and(|&line| line < b);
        let alone = a == 0 || !kept_text(a - 1);
        let length = first.chars().count();
        let unwrapped = alone && length >= UNWRAPPED_MIN_CHARS;
        let second_is_prose = starts_lower(second) || second.chars().count() >= WRAPPED_MIN_CHARS;
        let evident = cut || starts_lower(second) || length >= UNWRAPPED_UNCUT_MIN_CHARS;
        if unwrapped && second_is_prose && evident {
            joins.push(Join {
                first: a,
                second: b,
                mode: JoinMode::Space,
            });
        } else if !unwrapped
            && cut
            && length >= WRAPPED_MIN_CHARS
            && second.chars().count() >= WRAPPED_MIN_CHARS
            && !alone
            && b + 1 < n
            && kept_text(b + 1)
        {
            joins.push(Join {
                first: a,
                second: b,
                mode: JoinMode::Lines,
            });
        }
    }
    joins
}

fn remove_line(structure: &mut Structure, removed: &mut [bool], rule: &str, line: usize) {
    removed[line] = true;
    structure.edits.push(Edit::RemoveLines {
        rule: rule.to_string(),
        line,
        end_line: line,
    });
}

/// Reports catchwords (and the marks beside them) and removes them.
fn record_catchwords(
    doc: &Document,
    catchwords: &[Catchword],
    structure: &mut Structure,
    removed: &mut [bool],
) {
    for c in catchwords {
        structure.findings.push(builtin_finding(
            check::CATCHWORD,
            c.line + 1,
            doc.line(c.line),
            format!(
                "catchword: repeats the start of line {}, the first line of the next sheet",
                c.continues + 1
            ),
        ));
        remove_line(structure, removed, check::CATCHWORD, c.line);
        for &mark in &c.marks {
            structure.findings.push(builtin_finding(
                check::SHEET_MARK,
                mark + 1,
                doc.line(mark),
                format!(
                    "short line between the catchword on line {} and its continuation on line {}: taken as a mark at the sheet boundary (filing or routing notation), not text",
                    c.line + 1,
                    c.continues + 1
                ),
            ));
            remove_line(structure, removed, check::SHEET_MARK, mark);
        }
    }
}

/// Runs the structural pass. `removed` marks the lines that earlier stages
/// remove whole; every other non-blank line is body text.
pub fn analyse(doc: &Document, rules: &RuleSet, matches: &[Match], removed: &[bool]) -> Structure {
    let mut removed = removed.to_vec();
    let mut structure = Structure::default();

    let mut catchwords = find_catchwords(doc, &removed);
    record_catchwords(doc, &catchwords, &mut structure, &mut removed);

    // Sheets from the signals the rules and catchwords give; repeated
    // headers learned on them; then sheets again, now that the learned lines
    // are known to be furniture (they no longer split a run of furniture).
    let provisional = find_boundaries(doc, rules, matches, &removed, &catchwords);
    let (findings, learned) = learn_repeated(doc, &sheets(doc, &provisional), &removed);
    structure.findings.extend(findings);
    for (line, rule) in learned {
        remove_line(&mut structure, &mut removed, rule, line);
    }
    // With the learned furniture known, catchwords whose continuation lay
    // beyond it are found too.
    let later = find_catchwords(doc, &removed);
    record_catchwords(doc, &later, &mut structure, &mut removed);
    catchwords.extend(later);
    let boundaries = find_boundaries(doc, rules, matches, &removed, &catchwords);
    structure.pages = sheets(doc, &boundaries);

    structure.joins = find_joins(doc, &removed, &boundaries);
    structure
}
