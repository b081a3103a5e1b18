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
//!
//! Paragraph joins across the boundaries found here are in [`crate::audit::joins`].

use crate::audit::decode::{is_blank, Document};
use crate::audit::scan::Match;
use crate::audit::text::{ends_sentence, folded_words, name_like};
use crate::diagnostic::{column_of, Edit, Finding, Proposal};
use crate::model::{Category, PageBreak};
use crate::rules::{Check, RuleSet};
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

/// What the page structure is: the findings and removals of its
/// furniture, the sheets, and what the joins need.
#[derive(Debug, Clone, Default)]
pub struct Sheets {
    pub proposals: Vec<Proposal>,
    /// Sheets, with original lines only (cleaned lines are set after cleaning).
    pub pages: Vec<Page>,
    /// The boundaries between the sheets, in order.
    pub boundaries: Vec<Boundary>,
    /// Lines removed whole, by earlier stages or as furniture here.
    pub removed: Vec<bool>,
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
pub struct Boundary {
    pub line: usize,
    pub at: Option<usize>,
    pub number: Option<u32>,
}

/// The break signals of a document's lines: where rules say a sheet
/// starts (with its printed number) or ends, and the categories of the
/// rules that match each line.
#[derive(Debug, Default)]
struct Signals {
    starts: BTreeMap<usize, Option<u32>>,
    ends: BTreeSet<usize>,
    categories: BTreeMap<usize, BTreeSet<Category>>,
}

impl Signals {
    /// Whether a rule of `category` matches line `line`.
    fn has(&self, line: usize, category: Category) -> bool {
        self.categories
            .get(&line)
            .is_some_and(|c| c.contains(&category))
    }

    /// The line after which a run of lines that are not body text ends a
    /// sheet, if it carries a break signal.
    fn boundary_in(
        &self,
        doc: &Document,
        run: std::ops::Range<usize>,
        explained: &[bool],
    ) -> Option<usize> {
        let n = doc.len();
        if let Some(end) = run.clone().rev().find(|l| self.ends.contains(l)) {
            return Some(end);
        }
        if let Some(start) = run.clone().find(|l| self.starts.contains_key(l)) {
            return Some(start - 1);
        }
        let stamps: Vec<usize> = run
            .clone()
            .filter(|&l| self.has(l, Category::Classification))
            .collect();
        let declassification = run.clone().any(|l| self.has(l, Category::Declassification));
        if !stamps.is_empty() && declassification {
            // A stamp next to a declassification block: the foot of a sheet.
            return run.clone().rev().find(|&l| explained[l]);
        }
        if stamps.len() >= 2 {
            // Two stamps: the foot of one sheet and the head of the next.
            return Some(stamps[0]);
        }
        // Blank lines in a row: a gap between sheets, when a stamp borders it.
        run.clone()
            .find(|&l| {
                l + 1 < n
                    && is_blank(doc.line(l))
                    && is_blank(doc.line(l + 1))
                    && (stamps.contains(&(l.wrapping_sub(1)))
                        || (l + 2 < n && stamps.contains(&(l + 2))))
            })
            .map(|l| l.saturating_sub(1))
    }
}

fn find_boundaries(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    explained: &[bool],
    catchwords: &[Catchword],
) -> Vec<Boundary> {
    let n = doc.len();
    let mut signals = Signals {
        ends: catchwords.iter().map(|c| c.line).collect(),
        ..Signals::default()
    };
    let mut boundaries = Vec::new();
    for m in matches {
        let rule = rules.get(m.rule);
        signals
            .categories
            .entry(m.line)
            .or_default()
            .insert(rule.category);
        match rule.page_break {
            Some(PageBreak::Start) => {
                signals.starts.entry(m.line).or_insert(m.page);
            }
            Some(PageBreak::End) => {
                signals.ends.insert(m.end_line);
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
    if let (Some(first_body), Some(last_body)) = (first_body, last_body) {
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
            let number = run
                .clone()
                .find_map(|l| signals.starts.get(&l).copied().flatten());
            if let Some(line) = signals.boundary_in(doc, run, explained) {
                boundaries.push(Boundary {
                    line,
                    at: None,
                    number,
                });
            }
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

/// Zone kind of a body line near a sheet's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Head,
    Foot,
}

/// The body lines at the head and foot of each sheet: line → (sheet, zone).
fn zones(pages: &[Page], body: impl Fn(usize) -> bool) -> BTreeMap<usize, (usize, Zone)> {
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
    zoned
}

/// Lines repeated at the edges of consecutive sheets and (almost) nowhere
/// else, standing apart from the text: each group of occurrences of one line.
fn repeated_lines(
    doc: &Document,
    zoned: &BTreeMap<usize, (usize, Zone)>,
    body: impl Fn(usize) -> bool,
) -> Vec<Vec<usize>> {
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
    let repeated: Vec<Vec<usize>> = in_zones
        .into_iter()
        .filter(|(key, occurrences)| {
            let sheets: Vec<usize> = occurrences
                .iter()
                .map(|i| zoned[i].0)
                .collect::<BTreeSet<usize>>()
                .into_iter()
                .collect();
            let consecutive = sheets.windows(2).any(|w| w[1] == w[0] + 1);
            let elsewhere = in_body.get(key).copied().unwrap_or(0);
            // Names and initials are text: a single word (a signature, a
            // typist's initials) is never learned, nor a name at the foot.
            let signature = occurrences.iter().all(|i| {
                let line = doc.line(*i);
                name_like(line)
                    && (line.split_whitespace().count() == 1 || zoned[i].1 == Zone::Foot)
            });
            consecutive && !signature && occurrences.len() > EDGE_RATIO * elsewhere
        })
        .map(|(_, occurrences)| occurrences)
        .collect();
    // Furniture stands apart from the text: each occurrence's neighbours are
    // blank, removed, or repeated edge lines themselves.
    let candidate: BTreeSet<usize> = repeated.iter().flatten().copied().collect();
    let apart = |i: usize| {
        let clear = |j: usize| !body(j) || candidate.contains(&j);
        (i == 0 || clear(i - 1)) && (i + 1 >= doc.len() || clear(i + 1))
    };
    repeated
        .into_iter()
        .filter(|occurrences| occurrences.iter().all(|&i| apart(i)))
        .collect()
}

/// Findings for the repeated sheet headers, and the lines they remove.
fn repeated_headers(
    doc: &Document,
    zoned: &BTreeMap<usize, (usize, Zone)>,
    body: impl Fn(usize) -> bool,
) -> Vec<(usize, Finding)> {
    let mut found = Vec::new();
    for occurrences in repeated_lines(doc, zoned, body) {
        let sheets: BTreeSet<usize> = occurrences.iter().map(|i| zoned[i].0).collect();
        for &i in &occurrences {
            let others: Vec<String> = occurrences
                .iter()
                .filter(|&&o| o != i)
                .map(|o| (o + 1).to_string())
                .collect();
            let finding = Check::RepeatedSheetHeader.finding(
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
            );
            found.push((i, finding));
        }
    }
    found
}

/// Form labels: a short edge line that another sheet's edge prints with a
/// value after it. Edge lines are sorted by their words, so the lines that
/// extend a label follow it.
fn form_labels(
    doc: &Document,
    zoned: &BTreeMap<usize, (usize, Zone)>,
    learned: &BTreeSet<usize>,
    body: impl Fn(usize) -> bool,
) -> Vec<(usize, Finding)> {
    let mut heads: Vec<(Vec<String>, usize, usize)> = zoned
        .iter()
        .filter(|(i, _)| !learned.contains(i))
        .map(|(&i, &(sheet, _))| (folded_words(doc.line(i)), sheet, i))
        .collect();
    heads.sort();
    let alone = |i: usize| (i == 0 || !body(i - 1)) && (i + 1 >= doc.len() || !body(i + 1));
    // The line with the value is a short field standing on its own, not a
    // sentence or the first line of a paragraph.
    let field = |j: usize| {
        let line = doc.line(j).trim();
        line.chars().count() <= FORM_FIELD_MAX_CHARS && !ends_sentence(line) && alone(j)
    };
    let mut found = Vec::new();
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
        let from = heads.partition_point(|(words, ..)| words <= label);
        let filled = heads[from..]
            .iter()
            .take_while(|(words, ..)| words.starts_with(label))
            .find(|(_, other, j)| other.abs_diff(*sheet) == 1 && field(*j));
        if let Some((_, _, j)) = filled {
            let finding = Check::FormLabel.finding(
                i + 1,
                doc.line(*i),
                format!(
                    "printed form label with no value: line {} carries the same label with its value, and is kept",
                    j + 1
                ),
            );
            found.push((*i, finding));
        }
    }
    found
}

/// Lines learned as furniture from the document's sheets: repeated sheet
/// headers, then form labels; each with its finding.
fn learn_repeated(doc: &Document, pages: &[Page], removed: &[bool]) -> Vec<(usize, Finding)> {
    let body = |i: usize| !removed[i] && !is_blank(doc.line(i));
    let zoned = zones(pages, body);
    let mut learned = repeated_headers(doc, &zoned, body);
    let lines: BTreeSet<usize> = learned.iter().map(|(i, _)| *i).collect();
    learned.extend(form_labels(doc, &zoned, &lines, body));
    learned
}

/// What the structural pass has found so far.
struct Pass {
    proposals: Vec<Proposal>,
    removed: Vec<bool>,
}

impl Pass {
    /// Reports a line of furniture and removes it.
    fn remove(&mut self, line: usize, finding: Finding) {
        self.removed[line] = true;
        let edit = Edit::remove_lines(&finding.rule, line, line);
        self.proposals
            .push(Proposal::with_edits(finding, vec![edit]));
    }

    /// Reports catchwords (and the marks beside them) and removes them.
    fn catchwords(&mut self, doc: &Document, catchwords: &[Catchword]) {
        for c in catchwords {
            let finding = Check::Catchword.finding(
                c.line + 1,
                doc.line(c.line),
                format!(
                    "catchword: repeats the start of line {}, the first line of the next sheet",
                    c.continues + 1
                ),
            );
            self.remove(c.line, finding);
            for &mark in &c.marks {
                let finding = Check::SheetMark.finding(
                    mark + 1,
                    doc.line(mark),
                    format!(
                        "short line between the catchword on line {} and its continuation on line {}: taken as a mark at the sheet boundary (filing or routing notation), not text",
                        c.line + 1,
                        c.continues + 1
                    ),
                );
                self.remove(mark, finding);
            }
        }
    }
}

/// Runs the structural pass. `removed` marks the lines that earlier stages
/// remove whole; every other non-blank line is body text.
pub fn analyse(doc: &Document, rules: &RuleSet, matches: &[Match], removed: &[bool]) -> Sheets {
    let mut pass = Pass {
        proposals: Vec::new(),
        removed: removed.to_vec(),
    };
    let mut catchwords = find_catchwords(doc, &pass.removed);
    pass.catchwords(doc, &catchwords);

    // Sheets from the signals the rules and catchwords give; repeated
    // headers learned on them; then sheets again, now that the learned lines
    // are known to be furniture (they no longer split a run of furniture).
    let provisional = find_boundaries(doc, rules, matches, &pass.removed, &catchwords);
    for (line, finding) in learn_repeated(doc, &sheets(doc, &provisional), &pass.removed) {
        pass.remove(line, finding);
    }
    // With the learned furniture known, catchwords whose continuation lay
    // beyond it are found too.
    let later = find_catchwords(doc, &pass.removed);
    pass.catchwords(doc, &later);
    catchwords.extend(later);
    let boundaries = find_boundaries(doc, rules, matches, &pass.removed, &catchwords);
    Sheets {
        proposals: pass.proposals,
        pages: sheets(doc, &boundaries),
        boundaries,
        removed: pass.removed,
    }
}

/// Sets where each sheet's text is in the cleaned text, from the cleaned
/// line number of each original line.
pub fn map_pages(mut pages: Vec<Page>, numbers: &[Option<usize>]) -> Vec<Page> {
    for page in &mut pages {
        let range = page.start_line - 1..page.end_line;
        page.cleaned_start_line = range.clone().find_map(|i| numbers[i]);
        page.cleaned_end_line = range.rev().find_map(|i| numbers[i]);
    }
    pages
}
