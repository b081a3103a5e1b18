//! JUnit XML: one test case per document, failed (one `failure` element,
//! as the JUnit schema allows) when the document has findings at the
//! `--fail-on` severity — each of them a line of the failure's text — and
//! one test case with an error per unreadable input. `failures` counts the
//! failed test cases.

use super::style::{failing, Style};
use crate::batch::summary::DocumentFindings;
use crate::batch::BatchResult;
use crate::diagnostic::Finding;
use std::io::Write;

/// Escapes text for XML attributes and content.
pub fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control character, even escaped.
            c if c.is_control() && !matches!(c, '\n' | '\t') => {
                out.push_str(&format!("\\u{{{:04X}}}", c as u32))
            }
            c => out.push(c),
        }
    }
    out
}

/// The findings of `doc` at the `--fail-on` severity.
fn failing_in(doc: &DocumentFindings, style: Style) -> Vec<&Finding> {
    doc.findings
        .iter()
        .filter(|f| failing(style, f.severity))
        .collect()
}

/// Writes the test cases, document by document, as the findings are read.
pub fn write_junit(out: &mut dyn Write, result: &BatchResult, style: Style) -> std::io::Result<()> {
    let failures = result.failing.iter().filter(|&&f| f).count();
    let errors = result.summary.unreadable.len();
    let tests = result.document_count() + errors;
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        out,
        "<testsuites name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">"
    )?;
    let mut written = Ok(());
    result.each_reported(|doc| {
        if written.is_ok() {
            written = out.write_all(test_case(doc, style).as_bytes());
        }
    });
    written?;
    for problem in &result.summary.unreadable {
        writeln!(
            out,
            "    <testcase classname=\"declass\" name=\"{}\"><error message=\"{}\"/></testcase>",
            xml(&problem.path),
            xml(&problem.reason)
        )?;
    }
    out.write_all(b"  </testsuite>\n</testsuites>\n")
}

/// One document's test case: a failure listing its findings at the
/// `--fail-on` severity, if it has any.
fn test_case(doc: &DocumentFindings, style: Style) -> String {
    let mut text = format!(
        "    <testcase classname=\"declass\" name=\"{}\">",
        xml(&doc.path)
    );
    let found = failing_in(doc, style);
    let Some(first) = found.first() else {
        text.push_str("</testcase>\n");
        return text;
    };
    let message = format!(
        "{} finding{} at {}:{}: {}{}",
        found.len(),
        if found.len() == 1 { "" } else { "s" },
        first.line,
        first.column,
        first.message,
        if found.len() > 1 { " (and more)" } else { "" }
    );
    let lines: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{}: {} [{}] {}",
                xml(&doc.path),
                f.line,
                f.column,
                f.severity,
                xml(&f.rule),
                xml(&f.message)
            )
        })
        .collect();
    text.push_str(&format!(
        "\n      <failure type=\"{}\" message=\"{}\">{}</failure>\n    </testcase>\n",
        xml(&first.rule),
        xml(&message),
        lines.join("\n")
    ));
    text
}

pub fn junit(result: &BatchResult, style: Style) -> String {
    let mut bytes = Vec::new();
    let _ = write_junit(&mut bytes, result, style);
    String::from_utf8_lossy(&bytes).into_owned()
}
