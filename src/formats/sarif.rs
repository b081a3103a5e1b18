//! SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

use crate::audit::report::{TOOL_NAME, TOOL_VERSION};
use crate::batch::BatchResult;
use crate::model::Severity;
use crate::rules::{Check, RuleSet};
use std::collections::BTreeMap;

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
pub fn sarif(result: &BatchResult, rules: &RuleSet) -> String {
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
    descriptors.extend(Check::ALL.iter().map(|check| {
        serde_json::json!({
            "id": check.id(),
            "shortDescription": { "text": check.description() },
            "defaultConfiguration": { "level": sarif_level(check.severity()) },
            "properties": { "category": check.category().as_str() },
        })
    }));
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
