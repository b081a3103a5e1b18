//! Output formats of a batch run, for people and for CI: `human`, `json`
//! (the summary), `jsonl` (one finding per line), `junit` (one test case per
//! document, a failure per error finding) and `github` (workflow
//! annotations), `sarif` (SARIF 2.1.0). Each goes to standard output, or to a file with
//! `--format NAME=FILE`.

use crate::batch::{human_summary, BatchResult};
use crate::finding::Finding;
use crate::model::Severity;
use crate::report::{TOOL_NAME, TOOL_VERSION};
use crate::rules::{RuleSet, BUILTIN_CHECKS};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Junit,
    Github,
    Sarif,
}

impl Format {
    pub const NAMES: [(&'static str, Format); 6] = [
        ("human", Format::Human),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("junit", Format::Junit),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
    ];
}

/// A format and where it goes (`None`: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub file: Option<PathBuf>,
}

impl FromStr for FormatSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<FormatSpec, String> {
        let (name, file) = match text.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some(_) => return Err(format!("{text:?}: a file name must follow '='")),
            None => (text, None),
        };
        let format = Format::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::NAMES.iter().map(|(n, _)| *n).collect();
                format!("unknown format {name:?} (one of {})", names.join(", "))
            })?;
        Ok(FormatSpec { format, file })
    }
}

/// How the findings of a run are shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Findings at or above this severity fail the run (`None`: never).
    pub fail_on: Option<Severity>,
}

pub fn render(
    format: Format,
    result: &BatchResult,
    rules: &RuleSet,
    out: &Path,
    style: Style,
) -> String {
    match format {
        Format::Human => human_summary(&result.summary, out, style.color),
        Format::Json => match serde_json::to_string_pretty(&result.summary) {
            Ok(json) => json + "\n",
            Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
        },
        Format::Jsonl => jsonl(result),
        Format::Junit => junit(result, style),
        Format::Github => github(result, style),
        Format::Sarif => sarif(result, rules),
    }
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF artifact URI: relative paths stay relative, with
/// forward slashes and spaces escaped.
fn artifact_uri(path: &str) -> String {
    path.replace('\\', "/")
        .replace('%', "%25")
        .replace(' ', "%20")
}

/// SARIF 2.1.0: one run, the rules (file rules and built-in checks) with
/// their descriptions and default levels, one result per finding with its
/// physical location. Columns count Unicode code points, as in the reports.
fn sarif(result: &BatchResult, rules: &RuleSet) -> String {
    let mut descriptors: Vec<serde_json::Value> = rules
        .rules()
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "shortDescription": { "text": r.description },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
                "properties": { "category": r.category.as_str() },
            })
        })
        .collect();
    descriptors.extend(
        BUILTIN_CHECKS
            .iter()
            .map(|(id, category, severity, description)| {
                serde_json::json!({
                    "id": id,
                    "shortDescription": { "text": description },
                    "defaultConfiguration": { "level": sarif_level(*severity) },
                    "properties": { "category": category.as_str() },
                })
            }),
    );
    let index: BTreeMap<String, usize> = descriptors
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((d["id"].as_str()?.to_string(), i)))
        .collect();
    let mut results = Vec::new();
    for doc in &result.documents {
        for f in &doc.findings {
            let mut result = serde_json::json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": artifact_uri(&doc.path) },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column.max(1),
                            "snippet": { "text": f.text },
                        }
                    }
                }],
            });
            if let Some(i) = index.get(&f.rule) {
                result["ruleIndex"] = serde_json::json!(i);
            }
            results.push(result);
        }
    }
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": TOOL_NAME,
                "version": TOOL_VERSION,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    serde_json::to_string_pretty(&log).map_or_else(
        |e| format!("{{\"error\": {:?}}}", e.to_string()),
        |s| s + "\n",
    )
}

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

fn jsonl(result: &BatchResult) -> String {
    let mut text = String::new();
    for doc in &result.documents {
        for finding in &doc.findings {
            if let Ok(line) = serde_json::to_string(&Line {
                path: &doc.path,
                finding,
            }) {
                text.push_str(&line);
                text.push('\n');
            }
        }
    }
    text
}

fn failing(style: Style, severity: Severity) -> bool {
    style.fail_on.is_some_and(|threshold| severity >= threshold)
}

/// Escapes text for XML attributes and content.
fn xml(text: &str) -> String {
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

fn junit(result: &BatchResult, style: Style) -> String {
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

/// Escapes a GitHub workflow command's data (`%`, newlines) or, with
/// `property`, a property value (also `:` and `,`).
fn github_escape(text: &str, property: bool) -> String {
    let mut out = text
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    if property {
        out = out.replace(':', "%3A").replace(',', "%2C");
    }
    out
}

fn github(result: &BatchResult, style: Style) -> String {
    let mut text = String::new();
    for doc in &result.documents {
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
    }
    for problem in &result.summary.unreadable {
        text.push_str(&format!(
            "::error file={}::{}\n",
            github_escape(&problem.path, true),
            github_escape(&problem.reason, false)
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_specs_parse() {
        assert_eq!(
            "junit=out/report.xml".parse::<FormatSpec>().unwrap(),
            FormatSpec {
                format: Format::Junit,
                file: Some(PathBuf::from("out/report.xml"))
            }
        );
        assert_eq!("json".parse::<FormatSpec>().unwrap().file, None);
        assert!("xml"
            .parse::<FormatSpec>()
            .unwrap_err()
            .contains("unknown format"));
        assert!("json=".parse::<FormatSpec>().is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(github_escape("50%\nnext", false), "50%25%0Anext");
        assert_eq!(github_escape("a:b,c", true), "a%3Ab%2Cc");
    }
}
