//! The formats of `declass verify`: each file checked, as a line for
//! people, as JSON, or as findings for CI (one test case or annotation per
//! file; a file that does not hold is an error).

use super::spec::Format;
use super::style::Style;
use super::{github, jsonl, junit};
use crate::audit::json;
use crate::audit::report::{Tool, SCHEMA_VERSION};
use crate::batch::findings::Findings;
use crate::batch::summary::{DocumentFindings, Summary, Totals};
use crate::batch::{BatchResult, Outcome};
use crate::model::Severity;
use crate::verify::{Checked, Fixity};
use serde::Serialize;
use std::collections::BTreeMap;

/// The JSON of a verification: the files checked and how many of each.
#[derive(Debug, Serialize)]
struct Verification<'a> {
    schema_version: u32,
    files: &'a [Checked],
    totals: BTreeMap<Fixity, usize>,
}

/// How many files are in each state (every state named, zero or not).
pub fn totals(checked: &[Checked]) -> BTreeMap<Fixity, usize> {
    let mut totals: BTreeMap<Fixity, usize> = [
        Fixity::Ok,
        Fixity::Changed,
        Fixity::Missing,
        Fixity::Unreadable,
    ]
    .into_iter()
    .map(|f| (f, 0))
    .collect();
    for c in checked {
        *totals.entry(c.fixity).or_default() += 1;
    }
    totals
}

/// The verification rendered in `format`; `None` for a format that does
/// not fit it (SARIF describes the rules of an analysis, PROV a run).
pub fn render(format: Format, checked: &[Checked], style: Style) -> Option<String> {
    Some(match format {
        Format::Human => human(checked),
        Format::Json => {
            let verification = Verification {
                schema_version: SCHEMA_VERSION,
                files: checked,
                totals: totals(checked),
            };
            json::to_bytes(&verification)
                .ok()
                .and_then(|b| String::from_utf8(b).ok())
                .unwrap_or_default()
        }
        Format::Jsonl => jsonl::jsonl(&as_run(checked)),
        Format::Junit => junit::junit(&as_run(checked), style),
        Format::Github => github::github(&as_run(checked), style),
        Format::Sarif | Format::Prov | Format::Html => return None,
    })
}

fn human(checked: &[Checked]) -> String {
    let mut text = String::new();
    for c in checked {
        let state = c.fixity.as_str();
        let detail = match (c.fixity, &c.reason) {
            (Fixity::Ok, _) => String::new(),
            (Fixity::Changed, _) => format!(
                "  recorded {} found {}",
                c.expected_sha256,
                c.found_sha256.as_deref().unwrap_or("-")
            ),
            (_, Some(reason)) => format!("  {reason}"),
            (_, None) => String::new(),
        };
        let read_from = c
            .read_from
            .as_ref()
            .map(|p| format!("  (read from {})", p.escape_debug()))
            .unwrap_or_default();
        text.push_str(&format!(
            "{state:<11}{}{detail}{read_from}\n",
            c.path.escape_debug()
        ));
    }
    let totals = totals(checked);
    let counted: Vec<String> = totals
        .iter()
        .map(|(f, n)| format!("{n} {}", f.as_str()))
        .collect();
    text.push_str(&format!(
        "{} files checked: {}\n",
        checked.len(),
        counted.join(", ")
    ));
    text
}

/// The verification as a run whose documents are the files checked, each
/// with one finding, for the CI formats.
fn as_run(checked: &[Checked]) -> BatchResult {
    let documents: Vec<DocumentFindings> = checked
        .iter()
        .map(|c| DocumentFindings {
            path: c.path.clone(),
            findings: vec![c.finding()],
        })
        .collect();
    let fails = checked.iter().any(|c| c.fixity != Fixity::Ok);
    BatchResult {
        summary: Summary {
            schema_version: SCHEMA_VERSION,
            tool: Tool::new(""),
            generated_at: None,
            documents: Vec::new(),
            unreadable: Vec::new(),
            totals: Totals::default(),
        },
        outcome: if fails {
            Outcome::Findings
        } else {
            Outcome::Clean
        },
        failing: documents
            .iter()
            .map(|d| d.findings.iter().any(|f| f.severity >= Severity::Error))
            .collect(),
        findings: Findings::Held(documents),
        baseline: None,
        notes: Vec::new(),
    }
}
