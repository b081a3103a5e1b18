//! The rules' reference page (`declass rules list --html`): one static
//! HTML page with a section per rule and built-in check, its id as the
//! section's anchor, so that a published copy is what the SARIF log's
//! `helpUri` links to (`[sarif] help-uri = "https://…/rules.html#{rule}"`).

use crate::audit::report::{TOOL_NAME, TOOL_VERSION};
use crate::formats::junit::xml;
use crate::rules::{Check, RuleSet};
use std::fmt::Write;

/// One section: the id as heading and anchor, the description, the facts
/// a reader looks up, and the examples the rule is tested with.
fn section(out: &mut String, id: &str, description: &str, facts: &[(&str, String)]) {
    let id = xml(id);
    let _ = write!(
        out,
        "<section id=\"{id}\">\n<h2><a href=\"#{id}\">{id}</a></h2>\n<p>{}</p>\n<dl>\n",
        xml(description)
    );
    for (name, value) in facts.iter().filter(|(_, v)| !v.is_empty()) {
        let _ = writeln!(out, "<dt>{name}</dt><dd>{value}</dd>");
    }
    out.push_str("</dl>\n</section>\n");
}

/// A list of examples, each as code.
fn examples<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items
        .into_iter()
        .map(|e| format!("<code>{}</code>", xml(e)))
        .collect();
    items.join("<br>")
}

/// The page, for the rules in effect (with the configuration's rule
/// folders and disabled rules) and every built-in check.
pub fn rules_page(rules: &RuleSet) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <title>{TOOL_NAME} {TOOL_VERSION}: rules</title>\n\
         <style>body{{font-family:sans-serif;max-width:60em;margin:auto}}dt{{font-weight:bold}}code{{white-space:pre-wrap}}</style>\n\
         </head>\n<body>\n<h1>{TOOL_NAME} {TOOL_VERSION}: rules and built-in checks</h1>\n\
         <p>Rules' SHA-256: <code>{}</code>. Each finding of a report names one of these by its id.</p>\n",
        rules.sha256()
    );
    out.push_str("<nav><ul>\n");
    let ids = rules
        .rules()
        .iter()
        .map(|r| r.id.as_str())
        .chain(Check::ALL.iter().map(|c| c.id()));
    for id in ids {
        let id = xml(id);
        let _ = writeln!(out, "<li><a href=\"#{id}\">{id}</a></li>");
    }
    out.push_str("</ul></nav>\n<main>\n");
    for rule in rules.rules() {
        let origin = format!("{}:{}", rule.origin.file.display(), rule.origin.line);
        let replace = rule
            .examples
            .replace
            .iter()
            .map(|(from, to)| format!("<code>{}</code> → <code>{}</code>", xml(from), xml(to)))
            .collect::<Vec<_>>()
            .join("<br>");
        let facts = [
            ("Category", rule.category.as_str().to_string()),
            ("Severity", rule.severity.as_str().to_string()),
            ("Action", rule.action.as_str().to_string()),
            ("Defined in", xml(&origin)),
            (
                "Matches",
                examples(rule.examples.matches.iter().map(String::as_str)),
            ),
            (
                "Does not match",
                examples(rule.examples.no_match.iter().map(String::as_str)),
            ),
            ("Replaces", replace),
        ];
        section(&mut out, &rule.id, &rule.description, &facts);
    }
    for check in Check::ALL {
        let example = check.example();
        let document = String::from_utf8_lossy(example.document);
        let facts = [
            ("Category", check.category().as_str().to_string()),
            ("Severity", check.severity().as_str().to_string()),
            ("Defined in", "a built-in check".to_string()),
            ("Fires on", examples([document.as_ref()])),
        ];
        section(&mut out, check.id(), check.description(), &facts);
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
