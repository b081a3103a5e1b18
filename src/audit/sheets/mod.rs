//! Structure stage: the document as sheets, beyond what single-line rules see.
//!
//! - **Catchwords** ([`catchwords`]).
//! - **Sheets.** Runs of lines that are not body text (blank lines and lines
//!   removed by rules or as catchwords) are sheet boundaries when they carry a
//!   break signal: a rule's `page-break` (`end`, `start`, or `inline` inside a
//!   line), a catchword, a classification stamp next to a declassification
//!   block, two stamps in one run (the foot of one sheet and the head of the
//!   next), or a stamp beside two or more blank lines in a row.
//! - **Learned furniture** ([`learned`]): repeated sheet headers and form
//!   labels.
//!
//! Paragraph joins across the boundaries found here are in [`crate::audit::joins`].

pub mod catchwords;
pub mod learned;
pub mod pages;

use crate::audit::decode::{is_blank, ByLine, Document};
use crate::audit::scan::Match;
use crate::diagnostic::{Edit, Finding, LineMask, Proposal};
use crate::model::{Category, PageBreak};
use crate::rules::{Check, RuleSet};
use catchwords::{find_catchwords, Catchword};
use learned::learn_repeated;
use pages::sheets;
pub use pages::{map_pages, printed_page, Boundary, Page};
use std::collections::{BTreeMap, BTreeSet};

/// What the page structure is: the findings and removals of its
/// furniture, the sheets, and what the joins need.
#[derive(Debug, Clone, Default)]
pub struct Sheets {
    /// The lines of furniture, each with its finding: removed whole (see
    /// [`Sheets::proposals`]). A line and a finding, not a proposal, until
    /// taken: a long document's furniture is tens of thousands of lines.
    pub removals: Vec<(usize, Finding)>,
    /// Sheets, with original lines only (cleaned lines are set after cleaning).
    pub pages: Vec<Page>,
    /// The boundaries between the sheets, in order.
    pub boundaries: Vec<Boundary>,
    /// Lines removed whole, by earlier stages or as furniture here.
    pub removed: LineMask,
}

/// The break signals of a document's lines: where rules say a sheet
/// starts (with its printed number) or ends, and the categories of the
/// rules that match each line.
#[derive(Debug, Default)]
struct Signals {
    starts: BTreeMap<usize, Option<u32>>,
    ends: BTreeSet<usize>,
    /// A bit per category of the rules that match each line (a byte a
    /// line, not a set: a long document has hundreds of thousands of
    /// matches).
    categories: Vec<u8>,
}

// Every category has its bit in a line's byte.
const _: () = assert!(Category::ALL.len() <= 8);

impl Signals {
    fn bit(category: Category) -> u8 {
        1 << (category as u8)
    }

    /// Whether a rule of `category` matches line `line`.
    fn has(&self, line: usize, category: Category) -> bool {
        self.categories
            .get(line)
            .is_some_and(|&bits| bits & Self::bit(category) != 0)
    }

    /// The line after which a run of lines that are not body text ends a
    /// sheet, if it carries a break signal.
    fn boundary_in(
        &self,
        doc: &Document,
        run: std::ops::Range<usize>,
        explained: &LineMask,
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
    explained: &LineMask,
    catchwords: &[Catchword],
) -> Vec<Boundary> {
    let n = doc.len();
    let mut signals = Signals {
        ends: catchwords.iter().map(|c| c.line).collect(),
        categories: vec![0; n],
        ..Signals::default()
    };
    let mut boundaries = Vec::new();
    for m in matches {
        let rule = rules.get(m.rule());
        if let Some(bits) = signals.categories.get_mut(m.line()) {
            *bits |= Signals::bit(rule.category);
        }
        match rule.page_break {
            Some(PageBreak::Start) => {
                signals.starts.entry(m.line()).or_insert(m.page);
            }
            Some(PageBreak::End) => {
                signals.ends.insert(m.end_line());
            }
            Some(PageBreak::Inline) => boundaries.push(Boundary {
                line: m.line(),
                at: Some(m.start()),
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

impl Sheets {
    /// The removals of the furniture as proposals, made one at a time as
    /// they are taken.
    pub fn proposals(&mut self) -> impl Iterator<Item = Proposal> {
        std::mem::take(&mut self.removals)
            .into_iter()
            .map(|(line, finding)| removal(line, finding))
    }
}

/// The proposal to remove line `line` (0-based) as `finding` reports it.
fn removal(line: usize, finding: Finding) -> Proposal {
    let edit = Edit::remove_lines(&finding.rule, line, line);
    Proposal::with_edits(finding, vec![edit])
}

/// What the structural pass has found so far.
struct Pass {
    removals: Vec<(usize, Finding)>,
    removed: LineMask,
}

impl Pass {
    /// Reports a line of furniture and removes it.
    fn remove(&mut self, line: usize, finding: Finding) {
        self.removed.set(line, true);
        self.removals.push((line, finding));
    }

    /// Reports catchwords (and the marks beside them) and removes them.
    fn catchwords(&mut self, doc: &Document, catchwords: &[Catchword]) {
        for (line, finding) in catchword_findings(doc, catchwords) {
            self.remove(line, finding);
        }
    }
}

/// The findings of catchwords and of the marks beside them, each with the
/// line it removes.
fn catchword_findings(doc: &Document, catchwords: &[Catchword]) -> Vec<(usize, Finding)> {
    let mut found = Vec::new();
    for c in catchwords {
        let finding = Check::Catchword.finding(
            c.line + 1,
            doc.line(c.line),
            format!(
                "catchword: repeats the start of line {}, the first line of the next sheet",
                c.continues + 1
            ),
        );
        found.push((c.line, finding));
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
            found.push((mark, finding));
        }
    }
    found
}

/// Catchwords that lines removed after the page structure reveal (a
/// garbled line between a catchword and its continuation, confirmed
/// removed later), as the cleaned text, audited again, finds them: looked
/// for again over the lines that stay, read as `repaired` gives them, and
/// removed as the structure removes them.
pub fn late_catchwords(
    doc: &Document,
    removed: &LineMask,
    repaired: &ByLine<String>,
) -> Vec<Proposal> {
    let line = |i: usize| doc.line_read_as(repaired, i);
    catchword_findings(doc, &find_catchwords(doc, removed, &line))
        .into_iter()
        .map(|(line, finding)| removal(line, finding))
        .collect()
}

/// Runs the structural pass. `removed` marks the lines that earlier stages
/// remove whole; every other non-blank line is body text, read as
/// `repaired` gives it where changes inside it are made.
pub fn analyse(
    doc: &Document,
    rules: &RuleSet,
    matches: &[Match],
    removed: &LineMask,
    repaired: &ByLine<String>,
) -> Sheets {
    let mut pass = Pass {
        removals: Vec::new(),
        removed: removed.clone(),
    };
    let line = |i: usize| repaired.get(&i).map_or(doc.line(i), String::as_str);
    let mut catchwords = find_catchwords(doc, &pass.removed, &line);
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
    let later = find_catchwords(doc, &pass.removed, &line);
    pass.catchwords(doc, &later);
    catchwords.extend(later);
    let boundaries = find_boundaries(doc, rules, matches, &pass.removed, &catchwords);
    Sheets {
        removals: pass.removals,
        pages: sheets(doc, &boundaries),
        boundaries,
        removed: pass.removed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};
    use crate::audit::scan::scan;
    use crate::diagnostic::mark_removed;

    /// The structure of `text` with the built-in rules, the lines its rules
    /// remove counted as removed.
    fn analysed(text: &str) -> Sheets {
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let rules = RuleSet::builtin().unwrap();
        let matches = scan(&doc, &rules);
        let edits: Vec<Edit> = matches
            .iter()
            .filter(|m| rules.get(m.rule()).action == crate::model::RuleAction::RemoveLine)
            .map(|m| Edit::remove_lines("r", m.line(), m.end_line()))
            .collect();
        let mut removed = LineMask::new(doc.len());
        mark_removed(&mut removed, &edits);
        analyse(&doc, &rules, &matches, &removed, &ByLine::default())
    }

    fn boundaries(text: &str) -> Vec<(usize, Option<u32>)> {
        analysed(text)
            .boundaries
            .iter()
            .map(|b| (b.line, b.number))
            .collect()
    }

    #[test]
    fn a_page_number_starts_a_sheet_and_gives_its_number() {
        let text = "First sheet of the memorandum.\n\n- 2 -\n\nSecond sheet of it.\n";
        assert_eq!(boundaries(text), vec![(1, Some(2))]);
        let pages = analysed(text).pages;
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[1].start_line, pages[1].number), (3, Some(2)));
    }

    #[test]
    fn a_separator_ends_a_sheet() {
        let text = "First sheet.\n\n---\n\nSecond sheet.\n";
        assert_eq!(boundaries(text), vec![(2, None)]);
    }

    #[test]
    fn two_stamps_in_a_run_are_a_foot_and_a_head() {
        let text = "The talks went on.\n\nSECRET\n\nSECRET\n\nThey ended at noon.\n";
        assert_eq!(boundaries(text), vec![(2, None)]);
    }

    #[test]
    fn blank_lines_alone_are_no_boundary() {
        assert_eq!(
            boundaries("The talks went on.\n\n\n\nThey ended at noon.\n"),
            vec![]
        );
    }

    #[test]
    fn an_inline_marker_is_a_boundary_inside_its_line() {
        let sheets = analysed("The talks [Page 12] went on.\n");
        assert_eq!(sheets.boundaries[0].at, Some(10));
        assert_eq!(sheets.pages[1].start_column, Some(11));
        assert_eq!(sheets.pages[1].number, Some(12));
    }

    #[test]
    fn furniture_is_proposed_for_removal_with_its_finding() {
        let text = "The minister said that the talks would go on.\n\nHe would report\n\nD File\n\nHe would report to the cabinet before the end.\n";
        let mut sheets = analysed(text);
        assert!(sheets.removed[2] && sheets.removed[4]);
        let proposals: Vec<Proposal> = sheets.proposals().collect();
        let rules: Vec<(&str, u32)> = proposals
            .iter()
            .map(|p| (&*p.finding.rule, p.finding.line))
            .collect();
        assert_eq!(rules, vec![("catchword", 3), ("sheet-mark", 5)]);
        let removes = |p: &Proposal| match p.edits.as_slice() {
            [edit] => edit.removed_lines(),
            _ => None,
        };
        assert_eq!(
            proposals.iter().map(removes).collect::<Vec<_>>(),
            vec![Some(2..=2), Some(4..=4)]
        );
        assert!(sheets.removals.is_empty());
    }
}
