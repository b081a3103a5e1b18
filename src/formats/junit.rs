//! JUnit XML: one test case per document, a failure per finding at the
//! `--fail-on` severity, an error per unreadable input.

use super::style::{failing, Style};
use crate::batch::BatchResult;

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

pub fn junit(result: &BatchResult, style: Style) -> String {
    let failures: usize = result
        .documents
        .iter()
        .map(|d| {
            d.findings
                .iter()
                .filter(|f| failing(style, f.severity))
                .count()
        })
        .sum();
    let errors = result.summary.unreadable.len();
    let tests = result.documents.len() + errors;
    let mut text = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    text.push_str(&format!(
        "<testsuites name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n  <testsuite name=\"declass\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n"
    ));
    for doc in &result.documents {
        text.push_str(&format!(
            "    <testcase classname=\"declass\" name=\"{}\">",
            xml(&doc.path)
        ));
        let mut any = false;
        for f in doc.findings.iter().filter(|f| failing(style, f.severity)) {
            any = true;
            text.push_str(&format!(
                "\n      <failure type=\"{}\" message=\"{}:{}: {}\">{}:{}:{}: {} [{}] {}</failure>",
                xml(&f.rule),
                f.line,
                f.column,
                xml(&f.message),
                xml(&doc.path),
                f.line,
                f.column,
                f.severity,
                xml(&f.rule),
                xml(&f.text)
            ));
        }
        text.push_str(if any {
            "\n    </testcase>\n"
        } else {
            "</testcase>\n"
        });
    }
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
