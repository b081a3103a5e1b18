//! JUnit XML: one test case per document, failed (one `failure` element,
//! as the JUnit schema allows) when the document has findings at the
//! `--fail-on` severity — each of them a line of the failure's text — and
//! one test case with an error per unreadable input. `failures` counts the
//! failed test cases.

use super::style::{failing, Style};
use crate::batch::summary::DocumentFindings;
use crate::batch::BatchResult;
use crate::diagnostic::Finding;

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

pub fn junit(result: &BatchResult, style: Style) -> String {
    let failures = result.failing.iter().filter(|&&f| f).count();
    let errors = result.summary.unreadable.len();
    let tests = result.document_count() + errors;
    let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    text.push_str(&format!(
        "<testsuites name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"
    ));
    result.each_reported(|doc| {
        text.push_str(&format!(
            "    <testcase classname=\"declass\" name=\"{}\">",
            xml(&doc.path)
        ));
        let found = failing_in(doc, style);
        let Some(first) = found.first() else {
            text.push_str("</testcase>\n");
            return;
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
    });
    for problem in &result.summary.unreadable {
        text.push_str(&format!(
            "    <testcase classname=\"declass\" name=\"{}\"><error message=\"{}\"/></testcase>\n",
            xml(&problem.path),
            xml(&problem.reason)
        ));
    }
    text.push_str("  </testsuite>\n</testsuites>\n");
    text
}
