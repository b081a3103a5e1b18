//! A run's findings, document by document, in input order: held in memory
//! (a small run, `declass verify`), or read back from each document's
//! report when a format asks for them, one document at a time — so that a
//! run of 100,000 documents never holds them all.

use crate::audit::report::PROVENANCE_FILE;
use crate::batch::baseline::BaselineIndex;
use crate::batch::summary::{DocumentFindings, SummaryRow};
use crate::diagnostic::Finding;
use crate::model::Severity;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where a run's findings are.
#[derive(Debug, Clone)]
pub enum Findings {
    Held(Vec<DocumentFindings>),
    /// In `<out>/<row.report>/provenance.json` for each row of the summary.
    Reports {
        out: PathBuf,
    },
}

/// The part of a report the formats read.
#[derive(Deserialize)]
struct ReportFindings {
    source: ReportSource,
    findings: Vec<Finding>,
}

#[derive(Deserialize)]
struct ReportSource {
    path: String,
}

/// The findings a report (`provenance.json`, as bytes) records.
pub fn from_report(bytes: &[u8]) -> serde_json::Result<DocumentFindings> {
    let report: ReportFindings = serde_json::from_slice(bytes)?;
    Ok(DocumentFindings {
        path: report.source.path,
        findings: report.findings,
    })
}

/// What one document's findings say for the run: whether one it reports
/// fails it, and how many the baseline knows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentOutcome {
    pub failing: bool,
    pub known: usize,
}

/// The outcome of `doc`'s findings for a run that fails at `fail_on`,
/// leaving out those `baseline` knows.
pub fn outcome(
    mut doc: DocumentFindings,
    baseline: Option<&BaselineIndex>,
    fail_on: Option<Severity>,
) -> DocumentOutcome {
    let known = baseline.map_or(0, |b| b.filter(&mut doc));
    let failing = fail_on.is_some_and(|t| doc.findings.iter().any(|f| f.severity >= t));
    DocumentOutcome { failing, known }
}

impl Findings {
    /// How many documents there are (the rows of a run's summary, for
    /// findings read from the reports).
    pub fn count(&self, rows: &[SummaryRow]) -> usize {
        match self {
            Findings::Held(docs) => docs.len(),
            Findings::Reports { .. } => rows.len(),
        }
    }

    /// Each document's findings in order (the rows of a run's summary name
    /// the reports), those `baseline` knows left out. A report that cannot
    /// be read back gives a document with no findings.
    pub fn each(
        &self,
        rows: &[SummaryRow],
        baseline: Option<&BaselineIndex>,
        mut f: impl FnMut(&DocumentFindings),
    ) {
        let mut give = |mut doc: DocumentFindings| {
            if let Some(b) = baseline {
                b.filter(&mut doc);
            }
            f(&doc);
        };
        match self {
            Findings::Held(docs) => docs.iter().cloned().for_each(&mut give),
            Findings::Reports { out } => {
                for row in rows {
                    give(read(
                        &out.join(&row.report).join(PROVENANCE_FILE),
                        &row.path,
                    ));
                }
            }
        }
    }
}

fn read(path: &Path, document: &str) -> DocumentFindings {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| from_report(&bytes).ok())
        .unwrap_or_else(|| DocumentFindings {
            path: document.to_string(),
            findings: Vec::new(),
        })
}
