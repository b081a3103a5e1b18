//! What the audit has decided so far: the findings it keeps and the edits
//! it will make, and the one-line removals it holds until the page
//! structure can confirm them. Only edits the options allow are kept; a
//! repair records whether it was made.

use crate::audit::decode::{ByLine, Document, Reread};
use crate::audit::interruptions;
use crate::audit::joins;
use crate::audit::options::AuditOptions;
use crate::audit::spans;
use crate::audit::words::DocumentWords;
use crate::diagnostic::{mark_removed, Edit, Finding, LineMask, Position, Proposal, Texts};
use crate::model::Category;
use crate::rules::{Check, RuleSet};
use std::collections::{HashMap, HashSet};

/// The findings kept so far and the edits that will be made.
#[derive(Debug, Default)]
pub struct Decided {
    pub findings: Vec<Finding>,
    pub edits: Vec<Edit>,
    /// One-line removals too uncertain to make as they stand, held until
    /// the page structure is known (see [`Decided::confirm`]).
    held: Vec<Proposal>,
    /// The lines of garbage findings only reported, with no removal
    /// proposed (letter fragments beside a garbled line).
    reported: HashSet<usize>,
    /// The held removals the confirmation did not make sure: read again in
    /// the gaps that lines gone later open (see
    /// [`Decided::fragments_in_late_gaps`]).
    unsure: Vec<Proposal>,
    /// The texts and messages of the findings taken, each held once: a
    /// long document finds the same stamp, header or message again and again.
    texts: Texts,
}

impl Decided {
    /// Nothing decided yet but these findings.
    pub fn new(findings: Vec<Finding>) -> Decided {
        Decided {
            findings,
            ..Decided::default()
        }
    }

    /// Keeps each proposal's finding, and the edits the options allow; a
    /// repair records whether it was made, and its suggestion when not.
    pub fn take(&mut self, proposals: impl IntoIterator<Item = Proposal>, options: &AuditOptions) {
        for proposal in proposals {
            self.take_one(proposal, options);
        }
    }

    /// As [`Decided::take`], and marks in `removed` the lines the edits
    /// taken remove. Returns whether they remove any.
    pub fn take_removing(
        &mut self,
        proposals: impl IntoIterator<Item = Proposal>,
        removed: &mut LineMask,
        options: &AuditOptions,
    ) -> bool {
        let first = self.edits.len();
        self.take(proposals, options);
        let taken = &self.edits[first..];
        mark_removed(removed, taken);
        taken.iter().any(|e| e.removed_lines().is_some())
    }

    fn take_one(&mut self, proposal: Proposal, options: &AuditOptions) {
        if proposal.edits.is_empty() && proposal.finding.rule == Check::GarbageLine.id() {
            self.reported.insert(proposal.finding.line_index());
        }
        let mut finding = proposal.finding;
        let before = self.edits.len();
        self.edits
            .extend(proposal.edits.into_iter().filter_map(|e| options.keep(e)));
        if finding.confidence.is_some() {
            let applied = self.edits.len() > before;
            finding.applied = Some(applied);
            if !applied && proposal.otherwise.is_some() {
                finding.suggestion = proposal.otherwise.map(Into::into);
            }
        }
        finding.text = self.texts.hold(finding.text);
        finding.message = self.texts.hold(finding.message);
        self.findings.push(finding);
    }
}

impl Decided {
    /// Takes the proposals, except the one-line removals that `--repair`
    /// would not make as they stand: those are held for [`Decided::confirm`].
    /// One proposal at a time: a long document's proposals are many.
    pub fn take_or_hold(
        &mut self,
        proposals: impl IntoIterator<Item = Proposal>,
        options: &AuditOptions,
    ) {
        for proposal in proposals {
            if uncertain(&proposal, options) {
                self.held.push(proposal);
            } else {
                self.take_one(proposal, options);
            }
        }
    }

    /// Whether removals are held, waiting for [`Decided::confirm`].
    pub fn holds(&self) -> bool {
        !self.held.is_empty()
    }

    /// The lines judged as garbage so far (flagged, held or removed).
    pub fn judged_garbage(&self) -> HashSet<usize> {
        let garbage = Check::GarbageLine.id();
        self.findings
            .iter()
            .chain(self.held.iter().map(|p| &p.finding))
            .filter(|f| f.rule == garbage)
            .map(|f| f.line_index())
            .collect()
    }

    /// The lines of the words split at a line end that were mended
    /// (`mended`), or left as they were (their mending not sure enough).
    pub fn splits(&self, mended: bool) -> impl Iterator<Item = usize> + '_ {
        let hyphenation = Check::BrokenHyphenation.id();
        self.findings
            .iter()
            .filter(move |f| f.rule == hyphenation && f.applied == Some(mended))
            .map(|f| f.line_index())
    }

    /// The lines judged garbage with a verdict that stands, and those only
    /// reported (letter fragments beside a garbled line, with no verdict of
    /// their own): a line only reported is judged again when a word it
    /// leant on goes, and its verdict then replaces the report.
    pub fn verdicts(&self) -> (HashSet<usize>, HashSet<usize>) {
        let garbage = Check::GarbageLine.id();
        let mut verdicts: HashMap<usize, usize> = HashMap::new();
        for f in self
            .findings
            .iter()
            .chain(self.held.iter().map(|p| &p.finding))
        {
            if f.rule == garbage && self.reported.contains(&(f.line_index())) {
                *verdicts.entry(f.line_index()).or_default() += 1;
            }
        }
        let only_reported: HashSet<usize> = verdicts
            .into_iter()
            .filter(|&(_, n)| n == 1)
            .map(|(line, _)| line)
            .collect();
        let judged = self
            .judged_garbage()
            .into_iter()
            .filter(|line| !only_reported.contains(line))
            .collect();
        (judged, only_reported)
    }

    /// As [`Decided::take_or_hold`], for garbage verdicts given again to
    /// lines (`only_reported` as [`Decided::verdicts`] gave it): a verdict
    /// on a line only reported replaces the report.
    pub fn take_verdicts_again(
        &mut self,
        proposals: Vec<Proposal>,
        only_reported: &HashSet<usize>,
        options: &AuditOptions,
    ) {
        self.drop_reports_judged_again(&proposals, only_reported);
        self.take_or_hold(proposals, options);
    }

    /// Drops the reports of the lines in `only_reported` that `proposals`
    /// remove as garbage.
    fn drop_reports_judged_again(
        &mut self,
        proposals: &[Proposal],
        only_reported: &HashSet<usize>,
    ) {
        let garbage = Check::GarbageLine.id();
        let judged_again: HashSet<usize> = proposals
            .iter()
            .filter(|p| p.finding.rule == garbage)
            .filter_map(interruptions::removes_one_line)
            .filter(|line| only_reported.contains(line))
            .collect();
        if judged_again.is_empty() {
            return;
        }
        self.findings
            .retain(|f| f.rule != garbage || !judged_again.contains(&(f.line_index())));
        for line in &judged_again {
            self.reported.remove(line);
        }
    }

    /// Decides the held proposals once the page structure is known: those
    /// that stand in a broken sentence are made sure, with the fragments
    /// found there. Returns `removed` with the lines they remove, and what
    /// the lines with in-line repairs read as (the held removals add no
    /// change inside a line: the joins read the same).
    pub fn confirm(
        &mut self,
        doc: &Document,
        rules: &RuleSet,
        mut removed: LineMask,
        explained: &LineMask,
        words: &DocumentWords,
        options: &AuditOptions,
    ) -> (LineMask, ByLine<String>) {
        let repaired = repaired_lines(doc, &self.edits, &removed);
        let held = std::mem::take(&mut self.held);
        let read = Read {
            removed: &removed,
            repaired: Reread::new(&repaired),
            holding: None,
        };
        let confirmed = self.confirmed(doc, rules, held, read, explained, words, &|_| true);
        let unsure = confirmed.iter().filter(|p| uncertain(p, options)).cloned();
        self.unsure.extend(unsure);
        let before = self.edits.len();
        self.take(confirmed, options);
        mark_removed(&mut removed, &self.edits[before..]);
        (removed, repaired)
    }

    /// Takes the fragments in the gaps that lines gone since the
    /// confirmation (`confirmed`: the lines removed then) open or widen,
    /// as the cleaned text reads them: lines removed late (a region that
    /// reached its end, a catchword) and lines joined onto the paragraph
    /// before (`joins`; the paragraph is then one line, the lines with
    /// in-line changes read as `repaired` gives them). A gap a fragment
    /// stood in beside a line the confirmation could not pass (a region's
    /// first line, a lower-case line that may go on with the sentence) is
    /// read again once that line is gone, and so is a gap beside a line
    /// read otherwise since (`changed`, in order: a word mended across
    /// removed lines leaves the rest of its line). Marks the lines taken
    /// in `removed`; returns whether there were any.
    #[allow(clippy::too_many_arguments)]
    pub fn fragments_in_late_gaps(
        &mut self,
        doc: &Document,
        rules: &RuleSet,
        removed: &mut LineMask,
        (joins, repaired, confirmed, changed): (&[Edit], &ByLine<String>, &LineMask, &[usize]),
        explained: &LineMask,
        words: &DocumentWords,
        options: &AuditOptions,
    ) -> bool {
        if joins.is_empty() && *removed == *confirmed && changed.is_empty() {
            return false;
        }
        let mut gone = removed.clone();
        let read_as = joins::read_as_joined(doc, joins, repaired, &mut gone);
        let beside_changed = |i: usize| {
            let near = i.saturating_sub(1)..=i + 1;
            let from = changed.partition_point(|&c| c < *near.start());
            changed.get(from).is_some_and(|c| near.contains(c))
        };
        let late: Vec<usize> = (0..gone.len())
            .filter(|&i| (gone[i] && !confirmed[i]) || beside_changed(i))
            .collect();
        if late.is_empty() {
            return false;
        }
        let read = Read {
            removed: &gone,
            repaired: Reread::over(repaired, &read_as),
            holding: Some(&late),
        };
        // The removals left unsure, on lines still there, are held again:
        // those now in a broken sentence are made sure, the others were
        // reported already.
        let held: Vec<Proposal> = self
            .unsure
            .iter()
            .filter(|p| interruptions::removes_one_line(p).is_some_and(|l| !gone[l]))
            .cloned()
            .collect();
        let sure = |p: &Proposal| !uncertain(p, options);
        let found = self.confirmed(doc, rules, held, read, explained, words, &sure);
        let before = self.edits.len();
        self.take(found, options);
        mark_removed(removed, &self.edits[before..]);
        self.edits.len() > before
    }

    /// The held proposals `held` decided by [`interruptions::confirm`] on
    /// the lines as `read`, those it returns that `keep` keeps, the reports
    /// of lines they judge again dropped.
    #[allow(clippy::too_many_arguments)]
    fn confirmed(
        &mut self,
        doc: &Document,
        rules: &RuleSet,
        held: Vec<Proposal>,
        read: Read,
        explained: &LineMask,
        words: &DocumentWords,
        keep: &dyn Fn(&Proposal) -> bool,
    ) -> Vec<Proposal> {
        let stamps = stamp_lines(&self.findings, read.removed);
        let (judged, only_reported) = self.verdicts();
        let known = interruptions::Known {
            removed: read.removed,
            stamps: &stamps,
            repaired: read.repaired,
            explained,
            words,
            judged: &judged,
            holding: read.holding,
        };
        let mut confirmed = interruptions::confirm(doc, rules, held, &known);
        confirmed.retain(keep);
        self.drop_reports_judged_again(&confirmed, &only_reported);
        confirmed
    }
}

/// Whether `proposal` is a one-line removal that `--repair` would not make
/// as it stands (held until its place in a broken sentence is known).
fn uncertain(proposal: &Proposal, options: &AuditOptions) -> bool {
    interruptions::removes_one_line(proposal).is_some()
        && proposal
            .edits
            .iter()
            .any(|e| e.confidence.is_some_and(|c| !options.repairs(c)))
}

/// How the lines read when held proposals are decided: the lines removed,
/// what the lines with in-line changes read as, and the lines whose gaps
/// are read (every gap when `None`).
#[derive(Clone, Copy)]
struct Read<'a> {
    removed: &'a LineMask,
    repaired: Reread<'a>,
    holding: Option<&'a [usize]>,
}

/// One finding a rule a place, in `findings` sorted by place (line,
/// column, rule; stably, so in the order they were found): where stages
/// found the same thing twice (a line judged garbage by the repairs, held,
/// then by the reading of what its repairs or a mended word leave of it; a
/// stamp read garbled, held, then read again once the line's mojibake is
/// repaired), the finding whose change was made stands, else the first.
pub fn one_finding_a_place(findings: &mut Vec<Finding>) {
    let mut keep = vec![false; findings.len()];
    let mut start = 0;
    while start < findings.len() {
        let at = place(&findings[start]);
        let end = (start..findings.len())
            .find(|&i| place(&findings[i]) != at)
            .unwrap_or(findings.len());
        let chosen = (start..end)
            .find(|&i| findings[i].applied == Some(true))
            .unwrap_or(start);
        keep[chosen] = true;
        start = end;
    }
    let mut kept = keep.into_iter();
    findings.retain(|_| kept.next().unwrap_or(true));
}

/// Where a finding is said: its line, column and rule.
fn place(f: &Finding) -> (Position, Position, &str) {
    (f.line, f.column, &f.rule)
}

/// The places (rule, line, column) of `findings` said more than once: none
/// in a report (see [`one_finding_a_place`]); for the tests and the fuzzer.
pub fn said_twice(findings: &[Finding]) -> Vec<(String, usize, usize)> {
    let mut seen = HashSet::new();
    findings
        .iter()
        .map(place)
        .filter(|&at| !seen.insert(at))
        .map(|(line, column, rule)| (rule.to_string(), line as usize, column as usize))
        .collect()
}

/// What each line that in-line edits change (and no edit removes) reads as
/// once they are made.
pub fn repaired_lines<'a>(
    doc: &'a Document,
    edits: impl IntoIterator<Item = &'a Edit>,
    removed: &'a LineMask,
) -> ByLine<String> {
    repaired_in_order(doc, edits, removed).collect()
}

/// The repaired lines of [`repaired_lines`], one by one in line order.
pub fn repaired_in_order<'a>(
    doc: &'a Document,
    edits: impl IntoIterator<Item = &'a Edit>,
    removed: &'a LineMask,
) -> impl Iterator<Item = (usize, String)> + 'a {
    spans::span_edits_by_line(edits, |line| !removed[line])
        .into_iter()
        .filter_map(|(line, edits)| {
            spans::repaired_line(doc.line(line), line, &edits).map(|text| (line, text))
        })
}

/// The repaired lines `after` (see [`repaired_in_order`]) collected, with
/// the lines they read otherwise than `before` (gone, come or changed), in
/// order. Each line's reading before goes as its reading after is made: a
/// long document's repaired lines are many, and the two tables are never
/// held whole together.
pub fn read_otherwise(
    mut before: ByLine<String>,
    after: impl Iterator<Item = (usize, String)>,
) -> (ByLine<String>, Vec<usize>) {
    let mut now = ByLine::with_capacity_and_hasher(before.len(), Default::default());
    let mut lines = Vec::new();
    for (line, text) in after {
        if before.remove(&line).as_ref() != Some(&text) {
            lines.push(line);
        }
        now.insert(line, text);
    }
    lines.extend(before.into_keys());
    lines.sort_unstable();
    (now, lines)
}

/// For each line removed (in `removed`) as part of a classification or
/// declassification finding, that category.
fn stamp_lines(findings: &[Finding], removed: &LineMask) -> Vec<Option<Category>> {
    let mut stamps = vec![None; removed.len()];
    for f in findings.iter().filter(|f| f.applied != Some(false)) {
        if !matches!(
            f.category,
            Category::Classification | Category::Declassification
        ) {
            continue;
        }
        for i in f.line_indices().take_while(|&i| i < removed.len()) {
            if removed[i] {
                stamps[i].get_or_insert(f.category);
            }
        }
    }
    stamps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    fn finding(rule: &str, line: usize, applied: Option<bool>) -> Finding {
        Finding {
            applied,
            ..Finding::new(
                rule,
                Category::OcrNoise,
                Severity::Info,
                line,
                "x y",
                String::new(),
            )
        }
    }

    #[test]
    fn a_gap_beside_a_line_a_late_mending_changed_is_read_again() {
        // `ntern an` starts in lower case, so the confirmation left the gap
        // after it, and the garbled stamp in it unsure; the word is then
        // mended across the removed page furniture, leaving `an`, and the
        // stamp stands inside the sentence, as a second audit reads it (the
        // audit fuzzer's find, session 14).
        let text = "The delegation met the Comintern and the Embassy would be settled soon. In conclusion,\nhe said that the credit extended between the Comi-\n\n(CONTINUED NEXT PAGE)\n\n- 4 -\n\nntern an\n\n\nSEGREFTANOFORN\nOn that day the officials met the minister in the city\n";
        let clean = |text: &str| {
            let audit = crate::audit::audited_with_builtin_rules(text);
            String::from_utf8(audit.cleaned().unwrap()).unwrap()
        };
        let once = clean(text);
        assert!(!once.contains("SEGREF"), "{once}");
        assert_eq!(clean(&once), once);
    }

    #[test]
    fn lines_read_otherwise_are_those_whose_reading_changed_or_came_or_went() {
        let map = |pairs: &[(usize, &str)]| -> ByLine<String> {
            pairs.iter().map(|&(l, t)| (l, t.to_string())).collect()
        };
        let before = map(&[(1, "a"), (3, "b"), (5, "c")]);
        let after = [(1, "a"), (3, "B"), (7, "d")].map(|(l, t)| (l, t.to_string()));
        let (now, lines) = read_otherwise(before.clone(), after.clone().into_iter());
        assert_eq!(lines, vec![3, 5, 7]);
        assert_eq!(now, after.into_iter().collect::<ByLine<String>>());
        let (same, lines) = read_otherwise(before.clone(), before.clone().into_iter());
        assert!(lines.is_empty());
        assert_eq!(same, before);
    }

    #[test]
    fn one_finding_a_place_keeps_the_one_whose_change_was_made() {
        let mut findings = vec![
            finding("garbage-line", 3, Some(false)),
            finding("garbage-line", 3, Some(true)),
            finding("mojibake", 3, None),
            finding("garbage-line", 4, None),
            finding("garbage-line", 4, None),
        ];
        assert_eq!(
            said_twice(&findings),
            vec![
                ("garbage-line".to_string(), 3, 1),
                ("garbage-line".to_string(), 4, 1)
            ]
        );
        one_finding_a_place(&mut findings);
        assert!(said_twice(&findings).is_empty());
        let kept: Vec<_> = findings
            .iter()
            .map(|f| (&*f.rule, f.line, f.applied))
            .collect();
        assert_eq!(
            kept,
            vec![
                ("garbage-line", 3, Some(true)),
                ("mojibake", 3, None),
                ("garbage-line", 4, None)
            ]
        );
    }
}
