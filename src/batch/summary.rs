//! The summary of a run, as written to `summary.json` (the wire types), and
//! the findings of each document that the output formats and the baseline
//! read.

use crate::audit::report::Tool;
use crate::audit::DocumentAudit;
use crate::batch::inputs::slash_path;
use crate::diagnostic::Finding;
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_category: BTreeMap<Category, usize>,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            total: 0,
            by_severity: Severity::ALL.iter().map(|&s| (s, 0)).collect(),
            by_category: Category::ALL.iter().map(|&c| (c, 0)).collect(),
        }
    }
}

impl Counts {
    pub fn add(&mut self, severity: Severity, category: Category, n: usize) {
        self.total += n;
        *self.by_severity.entry(severity).or_default() += n;
        *self.by_category.entry(category).or_default() += n;
    }

    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        for (k, v) in &other.by_severity {
            *self.by_severity.entry(*k).or_default() += v;
        }
        for (k, v) in &other.by_category {
            *self.by_category.entry(*k).or_default() += v;
        }
    }

    pub fn severity(&self, severity: Severity) -> usize {
        self.by_severity.get(&severity).copied().unwrap_or(0)
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
