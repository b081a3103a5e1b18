//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

use crate::audit::report::{TOOL_NAME, TOOL_VERSION};
use crate::batch::BatchResult;
use crate::config::SarifLinks;
use crate::model::Severity;
use crate::rules::{Check, RuleSet};
use std::collections::BTreeMap;
use std::io::Write;

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A path as a SARIF artifact URI: relative paths stay relative, with
/// forward slashes and spaces escaped.
/// The characters a path segment keeps as they are in a URI: letters,
/// digits, `-`, `.`, `_`, `~` (RFC 3986 unreserved), and `/` between segments.
const URI_KEEPS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'/');

/// Where a document is, as a SARIF artifact location: a relative path is a
/// relative URI reference against `%SRCROOT%` (the folder the audit ran in,
/// the repository root to GitHub code scanning); an absolute path is a
/// `file:` URI. Every character that is not unreserved is percent-encoded
/// (`#`, `?`, `[`, spaces, letters beyond ASCII as their UTF-8 bytes).
fn artifact_location(path: &str) -> serde_json::Value {
    let path = path.replace('\\', "/");
    let encoded = percent_encoding::utf8_percent_encode(&path, URI_KEEPS).to_string();
    if path.starts_with('/') {
        serde_json::json!({ "uri": format!("file://{encoded}") })
    } else {
        serde_json::json!({ "uri": encoded, "uriBaseId": "%SRCROOT%" })
    }
}

/// A rule's help: what it finds, its category and default severity (and,
/// with a `[sarif]` table in the configuration, a link to its page).
fn help(description: &str, category: &str, severity: Severity, origin: &str) -> String {
    format!(
        "{description}. Category: {category}; default severity: {}; {origin}. See the README's sections on rules and checks.",
        sarif_level(severity)
    )
}

/// The rules' descriptors (file rules, then built-in checks), each with
/// its help link when the configuration gives one.
fn descriptors(rules: &RuleSet, links: &SarifLinks) -> Vec<serde_json::Value> {
    let mut descriptors: Vec<serde_json::Value> = rules
        .rules()
        .iter()
        .map(|r| {
            serde_json::json!({
                "id": r.id,
                "shortDescription": { "text": r.message },
                "fullDescription": { "text": r.description },
                "help": { "text": help(&r.description, r.category.as_str(), r.severity, "a rule of the rule files") },
                "defaultConfiguration": { "level": sarif_level(r.severity) },
                "properties": { "category": r.category.as_str() },
            })
        })
        .collect();
    descriptors.extend(Check::ALL.iter().map(|check| {
        serde_json::json!({
            "id": check.id(),
            "shortDescription": { "text": check.description() },
            "fullDescription": { "text": check.description() },
            "help": { "text": help(check.description(), check.category().as_str(), check.severity(), "a built-in check") },
            "defaultConfiguration": { "level": sarif_level(check.severity()) },
            "properties": { "category": check.category().as_str() },
        })
    }));
    for descriptor in &mut descriptors {
        if let Some(uri) = descriptor["id"].as_str().and_then(|id| links.help(id)) {
            descriptor["helpUri"] = serde_json::json!(uri);
        }
    }
    descriptors
}

/// SARIF 2.1.0: one run, the rules (file rules and built-in checks) with
/// their descriptions and default levels, one result per finding with its
/// physical location. Columns count Unicode code points, as in the reports.
pub fn write_sarif(
    out: &mut dyn Write,
    result: &BatchResult,
    rules: &RuleSet,
    links: &SarifLinks,
) -> std::io::Result<()> {
    let descriptors = descriptors(rules, links);
    let index: BTreeMap<String, usize> = descriptors
        .iter()
        .enumerate()
        .filter_map(|(i, d)| Some((d["id"].as_str()?.to_string(), i)))
        .collect();
    let mut driver = serde_json::json!({
        "name": TOOL_NAME,
        "version": TOOL_VERSION,
    });
    if let Some(uri) = links.information() {
        driver["informationUri"] = serde_json::json!(uri);
    }
    driver["rules"] = serde_json::json!(descriptors);
    let log = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": RESULTS_PLACE,
        }],
    });
    let text = serde_json::to_string_pretty(&log).map_err(std::io::Error::from)?;
    // The results stream into their place in the log, one at a time.
    let place = format!("\"{RESULTS_PLACE}\"");
    let (head, tail) = text
        .split_once(&place)
        .ok_or_else(|| std::io::Error::other("SARIF log without its results' place"))?;
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let indent = " ".repeat(head[line_start..].len() - head[line_start..].trim_start().len());
    out.write_all(head.as_bytes())?;
    let mut count = 0usize;
    let mut written = Ok(());
    result.each_reported(|doc| {
        for f in &doc.findings {
            if written.is_err() {
                return;
            }
            let mut result = serde_json::json!({
                "ruleId": f.rule,
                "level": sarif_level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(&doc.path),
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
            if let Some(i) = index.get(&*f.rule) {
                result["ruleIndex"] = serde_json::json!(i);
            }
            written = write_result(&mut *out, &result, &indent, count);
            count += 1;
        }
    });
    written?;
    if count == 0 {
        out.write_all(b"[]")?;
    } else {
        write!(out, "\n{indent}]")?;
    }
    out.write_all(tail.as_bytes())?;
    out.write_all(b"\n")
}

/// The string standing in the log for its results while the rest is laid
/// out (no finding's text can be it: the log is split at its first quote).
const RESULTS_PLACE: &str = "declass:results";

/// One result in the results array, laid out as the pretty printer lays
/// out the rest of the log, `indent` being the array's own indentation.
fn write_result(
    out: &mut dyn Write,
    result: &serde_json::Value,
    indent: &str,
    index: usize,
) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(result).map_err(std::io::Error::from)?;
    out.write_all(if index == 0 { b"[" } else { b"," })?;
    for line in text.lines() {
        write!(out, "\n{indent}  {line}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_locations_are_relative_uris_against_the_source_root_or_file_uris() {
        assert_eq!(
            artifact_location("docs/ä #1 [x]?.txt"),
            serde_json::json!({ "uri": "docs/%C3%A4%20%231%20%5Bx%5D%3F.txt", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location("/srv/a 100%.txt"),
            serde_json::json!({ "uri": "file:///srv/a%20100%25.txt" })
        );
    }
}
