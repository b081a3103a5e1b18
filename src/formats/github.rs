//! GitHub workflow annotations (`::error file=…::message`).

use super::style::{failing, Style};
use crate::batch::BatchResult;
use crate::model::Severity;

/// Escapes a GitHub workflow command's data (`%`, newlines) or, with
/// `property`, a property value (also `:` and `,`).
pub fn github_escape(text: &str, property: bool) -> String {
    let mut out = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

pub fn github(result: &BatchResult, style: Style) -> String {
    let mut text = String::new();
    result.each_reported(|doc| {
        for f in &doc.findings {
            // Errors and warnings always; notes only when they fail the run.
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info if failing(style, Severity::Info) => "notice",
                Severity::Info => continue,
            };
            text.push_str(&format!(
                "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
                github_escape(&doc.path, true),
                f.line,
                f.end_line,
                f.column,
                f.end_column,
                github_escape(&f.rule, true),
                github_escape(&f.message, false)
            ));
        }
    });
    for problem in &result.summary.unreadable {
        text.push_str(&format!(
            "::error file={}::{}\n",
            github_escape(&problem.path, true),
            github_escape(&problem.reason, false)
        ));
    }
    text
}
