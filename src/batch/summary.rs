//! The summary of a run, as written to `summary.json` (the wire types), and
//! the findings of each document that the output formats and the baseline
//! read.

use crate::audit::json;
use crate::audit::report::{Tool, SUMMARY_FILE};
use crate::audit::DocumentAudit;
use crate::batch::inputs::slash_path;
use crate::batch::output::OutputRoot;
use crate::diagnostic::Finding;
use crate::error::AuditError;
use crate::model::{ActionKind, Category, DeclassStatus, Level, Severity};
use crate::rules::Check;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// The findings of one document, for the output formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFindings {
    pub path: String,
    pub findings: Vec<Finding>,
}

/// Finding counts, by severity and by category (every key present).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: usize,
    pub by_severity: Tally<Severity, { Severity::ALL.len() }>,
    pub by_category: Tally<Category, { Category::ALL.len() }>,
}

impl Counts {
    pub fn add(&mut self, severity: Severity, category: Category, n: usize) {
        self.total += n;
        self.by_severity.add(severity, n);
        self.by_category.add(category, n);
    }

    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.by_severity.merge(&other.by_severity);
        self.by_category.merge(&other.by_category);
    }

    pub fn severity(&self, severity: Severity) -> usize {
        self.by_severity.get(severity)
    }
}

/// A small enum whose values are counted (severities, categories).
pub trait Tallied: Copy + Ord + Serialize + for<'de> Deserialize<'de> + 'static {
    /// Every value, in order: its position is [`Tallied::index`].
    const EVERY: &'static [Self];
    fn index(self) -> usize;
}

impl Tallied for Severity {
    const EVERY: &'static [Severity] = &[Severity::Info, Severity::Warning, Severity::Error];
    fn index(self) -> usize {
        self as usize
    }
}

impl Tallied for Category {
    const EVERY: &'static [Category] = &Category::ALL;
    fn index(self) -> usize {
        self as usize
    }
}

/// A count for each of the `N` values of `K`, written as a map with every
/// key, in order: an array where a map would take two allocations for each
/// document of a run (a run may hold a million rows).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tally<K, const N: usize> {
    counts: [usize; N],
    values: std::marker::PhantomData<K>,
}

impl<K, const N: usize> Default for Tally<K, N> {
    fn default() -> Self {
        Tally {
            counts: [0; N],
            values: std::marker::PhantomData,
        }
    }
}

impl<K: Tallied, const N: usize> Tally<K, N> {
    pub fn get(&self, key: K) -> usize {
        self.counts.get(key.index()).copied().unwrap_or(0)
    }

    pub fn add(&mut self, key: K, n: usize) {
        if let Some(count) = self.counts.get_mut(key.index()) {
            *count += n;
        }
    }

    pub fn merge(&mut self, other: &Self) {
        for (count, n) in self.counts.iter_mut().zip(other.counts) {
            *count += n;
        }
    }

    /// Each value with its count, in order.
    pub fn iter(&self) -> impl Iterator<Item = (K, usize)> + '_ {
        K::EVERY.iter().map(|&k| (k, self.get(k)))
    }
}

impl<K: Tallied, const N: usize> Serialize for Tally<K, N> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de, K: Tallied, const N: usize> Deserialize<'de> for Tally<K, N> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let counts = BTreeMap::<K, usize>::deserialize(deserializer)?;
        let mut tally = Tally::default();
        for (key, n) in counts {
            tally.add(key, n);
        }
        Ok(tally)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub path: String,
    /// The folder of this document's outputs, relative to the output folder.
    pub report: String,
    pub sha256: String,
    pub highest: Option<Level>,
    pub declassification_status: DeclassStatus,
    /// The consensus declassification authority ("E.O. 11652 · NLT-HC · NARS 1975-12-02").
    pub authority: Option<String>,
    pub findings: Counts,
    pub lines_changed: usize,
    pub pages: usize,
    pub catchwords: usize,
    pub joins: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputProblem {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub documents: usize,
    pub unreadable: usize,
    pub findings: Counts,
    pub lines_changed: usize,
    pub pages: usize,
    pub catchwords: usize,
    pub joins: usize,
    pub by_status: BTreeMap<DeclassStatus, usize>,
    /// Findings left out because the baseline knows them.
    pub known_from_baseline: usize,
}

impl Totals {
    /// The totals over the rows.
    pub fn of(rows: &[SummaryRow], unreadable: usize) -> Totals {
        let mut totals = Totals {
            documents: rows.len(),
            unreadable,
            findings: Counts::default(),
            lines_changed: 0,
            pages: 0,
            catchwords: 0,
            joins: 0,
            by_status: BTreeMap::new(),
            known_from_baseline: 0,
        };
        for row in rows {
            totals.findings.merge(&row.findings);
            totals.lines_changed += row.lines_changed;
            totals.pages += row.pages;
            totals.catchwords += row.catchwords;
            totals.joins += row.joins;
            *totals
                .by_status
                .entry(row.declassification_status)
                .or_default() += 1;
        }
        totals
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub documents: Vec<SummaryRow>,
    pub unreadable: Vec<InputProblem>,
    pub totals: Totals,
}

impl SummaryRow {
    /// The row of an audited document whose outputs are in `dir`.
    pub fn of(audit: &DocumentAudit, dir: &Path) -> SummaryRow {
        let p = &audit.provenance;
        let mut findings = Counts::default();
        for f in &p.findings {
            findings.add(f.severity, f.category, 1);
        }
        SummaryRow {
            path: p.source.path.clone(),
            report: slash_path(dir),
            sha256: p.source.sha256.clone(),
            highest: p.classification.highest.clone(),
            declassification_status: p.declassification.status,
            authority: p.declassification.authority.clone(),
            findings,
            lines_changed: p.diff.as_ref().map_or(0, |d| d.lines_removed),
            pages: p.pages.len(),
            catchwords: p
                .findings
                .iter()
                .filter(|f| f.rule == Check::Catchword.id())
                .count(),
            joins: p
                .actions
                .iter()
                .filter(|a| a.kind == ActionKind::JoinParagraph)
                .count(),
        }
    }
}

/// Writes `summary.json` at the top of the output folder, streamed: a run
/// of many documents never holds its text whole.
pub fn write_summary(root: &OutputRoot, summary: &Summary) -> Result<(), AuditError> {
    root.write_with(Path::new(""), SUMMARY_FILE, &|w| json::write(w, summary))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn every_in_order<K: Tallied + std::fmt::Debug>() {
        for (i, k) in K::EVERY.iter().enumerate() {
            assert_eq!(k.index(), i, "{k:?}");
        }
        assert!(K::EVERY.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_tally_is_written_and_read_as_the_map_of_every_key_it_replaces() {
        every_in_order::<Severity>();
        every_in_order::<Category>();
        // Every value has its count (none falls past the array).
        let mut every = Counts::default();
        for (&severity, &category) in Severity::EVERY.iter().cycle().zip(Category::EVERY) {
            every.add(severity, category, 1);
        }
        assert!(Category::EVERY
            .iter()
            .all(|&c| every.by_category.get(c) == 1));
        assert!(Severity::EVERY.iter().all(|&s| every.severity(s) == 2));
        let mut counts = Counts::default();
        counts.add(Severity::Warning, Category::OcrNoise, 2);
        counts.add(Severity::Error, Category::Input, 1);
        // The counts as they were written before: maps of every key.
        #[derive(Serialize)]
        struct Maps {
            total: usize,
            by_severity: BTreeMap<Severity, usize>,
            by_category: BTreeMap<Category, usize>,
        }
        let mut expected = Maps {
            total: 3,
            by_severity: Severity::ALL.iter().map(|&s| (s, 0)).collect(),
            by_category: Category::ALL.iter().map(|&c| (c, 0)).collect(),
        };
        expected
            .by_severity
            .extend([(Severity::Warning, 2), (Severity::Error, 1)]);
        expected
            .by_category
            .extend([(Category::OcrNoise, 2), (Category::Input, 1)]);
        let written = serde_json::to_string(&counts).unwrap();
        assert_eq!(written, serde_json::to_string(&expected).unwrap());
        assert_eq!(serde_json::from_str::<Counts>(&written).unwrap(), counts);
        // A key left out reads as none.
        let partial = r#"{"total":2,"by_severity":{"warning":2},"by_category":{"ocr-noise":2}}"#;
        let read: Counts = serde_json::from_str(partial).unwrap();
        assert_eq!(read.severity(Severity::Warning), 2);
        assert_eq!(read.severity(Severity::Error), 0);
        assert_eq!(read.by_category.get(Category::OcrNoise), 2);
    }
}
