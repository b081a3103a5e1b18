//! GitHub workflow annotations (`::error file=…::message`).

use super::style::{failing, Style};
use crate::batch::BatchResult;
use crate::model::Severity;
use std::io::Write;

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

/// Writes the annotations, document by document, as the findings are read.
pub fn write_github(
    out: &mut dyn Write,
    result: &BatchResult,
    style: Style,
) -> std::io::Result<()> {
    let mut written = Ok(());
    result.each_reported(|doc| {
        for f in &doc.findings {
            // Errors and warnings always; notes only when they fail the run.
            let command = match f.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info if failing(style, Severity::Info) => "notice",
                Severity::Info => continue,
            };
            if written.is_ok() {
                written = writeln!(
                    out,
                    "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}",
                    github_escape(&doc.path, true),
                    f.line,
                    f.end_line,
                    f.column,
                    f.end_column,
                    github_escape(&f.rule, true),
                    github_escape(&f.message, false)
                );
            }
        }
    });
    written?;
    for problem in &result.summary.unreadable {
        writeln!(
            out,
            "::error file={}::{}",
            github_escape(&problem.path, true),
            github_escape(&problem.reason, false)
        )?;
    }
    Ok(())
}

pub fn github(result: &BatchResult, style: Style) -> String {
    let mut bytes = Vec::new();
    let _ = write_github(&mut bytes, result, style);
    String::from_utf8_lossy(&bytes).into_owned()
}
