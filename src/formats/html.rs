//! A static, offline HTML report of a run: `index.html`, a table of the
//! documents (highest classification, declassification status and
//! authority, findings by severity, lines changed), sortable and filterable
//! when JavaScript runs and readable when it does not; and a page per
//! document with the original and the cleaned text side by side, line
//! numbers and printed page numbers, each removed or repaired line marked
//! with its rule, message and confidence, and the declassification fields
//! with their support. No external asset; every text from a document or a
//! file name is escaped.

// XML's escaping serves HTML content and attribute values alike.
use super::junit::xml as escape;
use crate::batch::{BatchOptions, BatchResult};
use serde_json::Value;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The folder of the per-document pages, inside the report's folder.
pub const DOCUMENTS_DIR: &str = "documents";

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:1.5em;color:#111}\
table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.2em .5em;vertical-align:top;text-align:left}\
th{background:#eee}th[data-sort]{cursor:pointer}.num{text-align:right}\
.side{display:grid;grid-template-columns:1fr 1fr;gap:1em}\
.text td{border:none;font-family:ui-monospace,monospace;white-space:pre-wrap;padding:0 .4em}\
.text td.n{color:#888;text-align:right;user-select:none}\
tr.removed td.t{background:#fdd}tr.removed .line{text-decoration:line-through}tr.repaired td.t{background:#ffd}\
tr.page td{background:#def;font-family:system-ui,sans-serif;font-weight:bold}\
.why{display:block;text-decoration:none;font-family:system-ui,sans-serif;font-size:.85em;color:#633}\
.error{color:#a00;font-weight:bold}.warning{color:#a60}";

/// Sorts the table by a clicked header and filters its rows by the text
/// typed; without JavaScript the table is shown as written.
const SCRIPT: &str = "document.querySelectorAll('input[data-filter]').forEach(function(box){\
var rows=document.querySelectorAll(box.dataset.filter+' tbody tr');\
box.addEventListener('input',function(){var q=box.value.toLowerCase();\
rows.forEach(function(r){r.hidden=q&&r.textContent.toLowerCase().indexOf(q)<0;});});});\
document.querySelectorAll('th[data-sort]').forEach(function(th,i){th.addEventListener('click',function(){\
var body=th.closest('table').tBodies[0];var col=Array.prototype.indexOf.call(th.parentNode.children,th);\
var num=th.dataset.sort==='n';var dir=th.dataset.dir==='a'?-1:1;th.dataset.dir=dir===1?'a':'d';\
Array.from(body.rows).sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent;\
return dir*(num?(parseFloat(x)||0)-(parseFloat(y)||0):x.localeCompare(y));}).forEach(function(r){body.appendChild(r);});});});";

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<title>{}</title><style>{STYLE}</style></head>\n<body>\n{body}<script>{SCRIPT}</script>\n</body></html>\n",
        escape(title)
    )
}

/// The pages of the report: `index.html`, then `documents/N.html` per
/// document, as (path inside the report's folder, text).
pub fn pages(result: &BatchResult, options: &BatchOptions) -> Vec<(PathBuf, String)> {
    let summary = &result.summary;
    let mut pages = Vec::with_capacity(summary.documents.len() + 1);
    let mut rows = String::new();
    for (n, row) in summary.documents.iter().enumerate() {
        let by = &row.findings.by_severity;
        let count = |s: crate::model::Severity| by.get(s);
        let _ = writeln!(
            rows,
            "<tr><td><a href=\"{DOCUMENTS_DIR}/{}.html\">{}</a></td><td>{}</td><td>{}</td><td>{}</td>\
<td class=\"num error\">{}</td><td class=\"num warning\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            n + 1,
            escape(&row.path),
            escape(row.highest.as_ref().map_or("—", |l| l.as_str())),
            escape(row.declassification_status.as_str()),
            escape(row.authority.as_deref().unwrap_or("—")),
            count(crate::model::Severity::Error),
            count(crate::model::Severity::Warning),
            count(crate::model::Severity::Info),
            row.lines_changed,
        );
        pages.push((
            Path::new(DOCUMENTS_DIR).join(format!("{}.html", n + 1)),
            document_page(row, &options.out),
        ));
    }
    let body = format!(
        "<h1>declass report</h1>\n<p>{} documents, {} unreadable; rules SHA-256 {}</p>\n\
<p><label>Filter <input data-filter=\"#documents\" type=\"search\"></label></p>\n\
<table id=\"documents\"><thead><tr><th data-sort=\"t\">Document</th><th data-sort=\"t\">Highest</th>\
<th data-sort=\"t\">Declassification</th><th data-sort=\"t\">Authority</th><th data-sort=\"n\">Errors</th>\
<th data-sort=\"n\">Warnings</th><th data-sort=\"n\">Info</th><th data-sort=\"n\">Lines changed</th></tr></thead>\n<tbody>\n{rows}</tbody></table>\n",
        summary.totals.documents,
        summary.totals.unreadable,
        escape(&summary.tool.rules_sha256),
    );
    pages.insert(
        0,
        (PathBuf::from("index.html"), page("declass report", &body)),
    );
    pages
}

/// One document's page, from its report and its original.
fn document_page(row: &crate::batch::SummaryRow, out: &Path) -> String {
    let folder = out.join(&row.report);
    let report: Value = std::fs::read(folder.join(crate::audit::report::PROVENANCE_FILE))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(Value::Null);
    let original = crate::batch::output::read_regular(Path::new(&row.path)).map(|bytes| {
        if report["source"]["encoding"] == "windows-1252" {
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        }
    });
    let cleaned = std::fs::read(folder.join(crate::audit::report::CLEANED_FILE))
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let mut body = format!(
        "<p><a href=\"../index.html\">All documents</a></p>\n<h1>{}</h1>\n",
        escape(&row.path)
    );
    let _ = writeln!(
        body,
        "<table><tr><th>SHA-256</th><td>{}</td></tr><tr><th>Highest classification</th><td>{}</td></tr>\
<tr><th>Declassification</th><td>{}</td></tr><tr><th>Authority</th><td>{}</td></tr></table>",
        escape(&row.sha256),
        escape(row.highest.as_ref().map_or("—", |l| l.as_str())),
        escape(row.declassification_status.as_str()),
        escape(row.authority.as_deref().unwrap_or("—")),
    );
    if let Some(consensus) = report["declassification"]["consensus"]
        .as_object()
        .filter(|c| !c.is_empty())
    {
        body.push_str("<h2>Declassification fields</h2>\n<table><tr><th>Field</th><th>Value</th><th>Support</th></tr>\n");
        for (field, agreed) in consensus {
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{} of {}</td></tr>",
                escape(field),
                escape(agreed["value"].as_str().unwrap_or("")),
                agreed["support"],
                agreed["of"]
            );
        }
        body.push_str("</table>\n");
    }
    let (Ok(original), Ok(cleaned)) = (original, cleaned) else {
        body.push_str("<p>The original or the cleaned text could not be read.</p>\n");
        return page(&row.path, &body);
    };
    body.push_str("<h2>Original and cleaned text</h2>\n<div class=\"side\">\n");
    let starts = |key| page_starts(&report, key);
    body.push_str(&column(
        "original",
        "Original",
        &original,
        &starts("start_line"),
        &line_marks(&report),
    ));
    body.push_str(&column(
        "cleaned",
        "Cleaned",
        &cleaned,
        &starts("cleaned_start_line"),
        &BTreeMap::new(),
    ));
    body.push_str("</div>\n");
    page(&row.path, &body)
}

/// What each original line had done to it (its class: removed, repaired,
/// or none) and the notes (rule, message, confidence) of the findings on it.
fn line_marks(report: &Value) -> BTreeMap<usize, (&'static str, Vec<String>)> {
    let mut marks: BTreeMap<usize, (&'static str, Vec<String>)> = BTreeMap::new();
    for action in report["actions"].as_array().into_iter().flatten() {
        let (Some(line), Some(end)) = (action["line"].as_u64(), action["end_line"].as_u64()) else {
            continue;
        };
        let class = match action["kind"].as_str() {
            Some("remove-line" | "collapse-blank-lines") => "removed",
            Some("join-paragraph" | "transcode" | "strip-bom") => continue,
            _ => "repaired",
        };
        let lines = if class == "removed" {
            line..=end
        } else {
            line..=line
        };
        for l in lines {
            let mark = marks.entry(l as usize).or_insert((class, Vec::new()));
            if class == "removed" {
                mark.0 = "removed";
            }
        }
    }
    for finding in report["findings"].as_array().into_iter().flatten() {
        let Some(line) = finding["line"].as_u64() else {
            continue;
        };
        // A finding on a line left as it is (a flag, a repair not made)
        // is shown beside it too, with no mark on the line.
        {
            let mark = marks.entry(line as usize).or_insert(("", Vec::new()));
            let confidence = finding["confidence"]
                .as_str()
                .map(|c| format!(" (confidence {c})"))
                .unwrap_or_default();
            mark.1.push(format!(
                "{}: {}{confidence}",
                finding["rule"].as_str().unwrap_or(""),
                finding["message"].as_str().unwrap_or("")
            ));
        }
    }
    marks
}

/// The printed page numbers where sheets start, by line (`key` names the
/// line: `start_line` in the original, `cleaned_start_line` in the cleaned
/// text).
fn page_starts(report: &Value, key: &str) -> BTreeMap<usize, String> {
    report["pages"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| {
            let line = p[key].as_u64()? as usize;
            let label = match p["number"].as_u64() {
                Some(n) => format!("sheet {} · printed page {n}", p["index"]),
                None => format!("sheet {}", p["index"]),
            };
            Some((line, label))
        })
        .collect()
}

/// One side of the page: `text` line by line with its numbers, sheet and
/// printed page markers (`pages`), and for the original the marks of what
/// was done to each line.
fn column(
    id: &str,
    caption: &str,
    text: &str,
    pages: &BTreeMap<usize, String>,
    marks: &BTreeMap<usize, (&'static str, Vec<String>)>,
) -> String {
    let mut out = format!("<table class=\"text\" id=\"{id}\"><caption>{caption}</caption>\n");
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(label) = pages.get(&n) {
            let _ = writeln!(
                out,
                "<tr class=\"page\"><td></td><td>{}</td></tr>",
                escape(label)
            );
        }
        let (class, notes) = marks
            .get(&n)
            .map_or(("", &[][..]), |(c, v)| (*c, v.as_slice()));
        let why: String = notes
            .iter()
            .map(|note| format!("<span class=\"why\">{}</span>", escape(note)))
            .collect();
        let _ = writeln!(
            out,
            "<tr class=\"{class}\"><td class=\"n\">{n}</td><td class=\"t\"><span class=\"line\">{}</span>{why}</td></tr>",
            escape(line)
        );
    }
    out.push_str("</table>\n");
    out
}
