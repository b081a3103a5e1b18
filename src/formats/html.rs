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
use crate::audit::declassification::Agreed;
use crate::audit::sheets::Page;
use crate::batch::{BatchOptions, BatchResult};
use crate::model::{ActionKind, Confidence, Encoding};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

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

/// A page's head, up to its body, titled `title`.
fn page_head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
<title>{}</title><style>{STYLE}</style></head>\n<body>\n",
        escape(title)
    )
}

/// A page's end, after its body.
fn page_end(page: &mut String) {
    let _ = write!(page, "<script>{SCRIPT}</script>\n</body></html>\n");
}

fn page(title: &str, body: &str) -> String {
    let mut page = page_head(title);
    page.push_str(body);
    page_end(&mut page);
    page
}

/// What a document's page shows of its report (`provenance.json`), read
/// as typed values: a long document's report is tens of megabytes, and a
/// JSON tree of it many times that. The findings and actions are read
/// without the texts the page does not show.
#[derive(Deserialize)]
struct PageReport {
    source: PageSource,
    declassification: PageDeclassification,
    #[serde(default)]
    pages: Vec<Page>,
    #[serde(default)]
    findings: Vec<PageFinding>,
    #[serde(default)]
    actions: Vec<PageAction>,
}

#[derive(Deserialize)]
struct PageSource {
    encoding: Encoding,
}

#[derive(Deserialize)]
struct PageDeclassification {
    /// By field name, in the order of their names.
    #[serde(default)]
    consensus: BTreeMap<String, Agreed>,
}

#[derive(Deserialize)]
struct PageFinding {
    #[serde(default)]
    rule: String,
    line: usize,
    #[serde(default)]
    message: String,
    #[serde(default)]
    confidence: Option<Confidence>,
}

#[derive(Deserialize)]
struct PageAction {
    kind: ActionKind,
    line: usize,
    /// Left out where it is `line`.
    #[serde(default)]
    end_line: Option<usize>,
}

/// Writes the pages of the report through `write` (path inside the
/// report's folder, text), one at a time: `documents/N.html` per document,
/// then `index.html`. A page holds its document's texts side by side, and
/// a run's documents are many: no two pages are held at once.
pub fn write_pages<E>(
    result: &BatchResult,
    options: &BatchOptions,
    mut write: impl FnMut(&Path, &str) -> Result<(), E>,
) -> Result<(), E> {
    let summary = &result.summary;
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
        write(
            &Path::new(DOCUMENTS_DIR).join(format!("{}.html", n + 1)),
            &document_page(row, &options.out),
        )?;
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
    write(Path::new("index.html"), &page("declass report", &body))
}

/// One document's page, from its report and its original, made in one
/// string (its texts side by side are many times the document).
fn document_page(row: &crate::batch::SummaryRow, out: &Path) -> String {
    let folder = out.join(&row.report);
    let report: Option<PageReport> =
        std::fs::read(folder.join(crate::audit::report::PROVENANCE_FILE))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok());
    let windows_1252 = report
        .as_ref()
        .is_some_and(|r| r.source.encoding == Encoding::Windows1252);
    let original = crate::batch::output::read_regular(Path::new(&row.path)).map(|bytes| {
        if windows_1252 {
            encoding_rs::WINDOWS_1252.decode(&bytes).0.into_owned()
        } else {
            String::from_utf8_lossy(&bytes).into_owned()
        }
    });
    let cleaned = std::fs::read(folder.join(crate::audit::report::CLEANED_FILE))
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let mut html = page_head(&row.path);
    let _ = writeln!(
        html,
        "<p><a href=\"../index.html\">All documents</a></p>\n<h1>{}</h1>",
        escape(&row.path)
    );
    let _ = writeln!(
        html,
        "<table><tr><th>SHA-256</th><td>{}</td></tr><tr><th>Highest classification</th><td>{}</td></tr>\
<tr><th>Declassification</th><td>{}</td></tr><tr><th>Authority</th><td>{}</td></tr></table>",
        escape(&row.sha256),
        escape(row.highest.as_ref().map_or("—", |l| l.as_str())),
        escape(row.declassification_status.as_str()),
        escape(row.authority.as_deref().unwrap_or("—")),
    );
    if let Some(consensus) = report
        .as_ref()
        .map(|r| &r.declassification.consensus)
        .filter(|c| !c.is_empty())
    {
        html.push_str("<h2>Declassification fields</h2>\n<table><tr><th>Field</th><th>Value</th><th>Support</th></tr>\n");
        for (field, agreed) in consensus {
            let _ = writeln!(
                html,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{} of {}</td></tr>",
                escape(field),
                escape(&agreed.value),
                agreed.support,
                agreed.of
            );
        }
        html.push_str("</table>\n");
    }
    let (Ok(original), Ok(cleaned)) = (original, cleaned) else {
        html.push_str("<p>The original or the cleaned text could not be read.</p>\n");
        page_end(&mut html);
        return html;
    };
    html.push_str("<h2>Original and cleaned text</h2>\n<div class=\"side\">\n");
    let (sheets, marks) = report.map_or_else(Default::default, |r| {
        let marks = line_marks(&r);
        (r.pages, marks)
    });
    let starts = |line: fn(&Page) -> Option<usize>| page_starts(&sheets, line);
    let original_starts = starts(|p| Some(p.start_line));
    column(
        &mut html,
        ("original", "Original"),
        &original,
        &original_starts,
        &marks,
    );
    drop((original, marks));
    let cleaned_starts = starts(|p| p.cleaned_start_line);
    let none = BTreeMap::new();
    column(
        &mut html,
        ("cleaned", "Cleaned"),
        &cleaned,
        &cleaned_starts,
        &none,
    );
    html.push_str("</div>\n");
    page_end(&mut html);
    html
}

/// What each original line had done to it (its class: removed, repaired,
/// or none) and the notes (rule, message, confidence) of the findings on it.
fn line_marks(report: &PageReport) -> BTreeMap<usize, (&'static str, Vec<String>)> {
    let mut marks: BTreeMap<usize, (&'static str, Vec<String>)> = BTreeMap::new();
    for action in &report.actions {
        let class = match action.kind {
            ActionKind::RemoveLine | ActionKind::CollapseBlankLines => "removed",
            ActionKind::JoinParagraph | ActionKind::Transcode | ActionKind::StripBom => continue,
            ActionKind::RemoveMatch | ActionKind::Replace => "repaired",
        };
        let lines = if class == "removed" {
            action.line..=action.end_line.unwrap_or(action.line)
        } else {
            action.line..=action.line
        };
        for l in lines {
            let mark = marks.entry(l).or_insert((class, Vec::new()));
            if class == "removed" {
                mark.0 = "removed";
            }
        }
    }
    for finding in &report.findings {
        // A finding on a line left as it is (a flag, a repair not made)
        // is shown beside it too, with no mark on the line.
        let mark = marks.entry(finding.line).or_insert(("", Vec::new()));
        let confidence = finding
            .confidence
            .map(|c| format!(" (confidence {})", c.as_str()))
            .unwrap_or_default();
        mark.1
            .push(format!("{}: {}{confidence}", finding.rule, finding.message));
    }
    marks
}

/// The printed page numbers where sheets start, by the line `line` gives
/// (`start_line` in the original, `cleaned_start_line` in the cleaned
/// text).
fn page_starts(sheets: &[Page], line: fn(&Page) -> Option<usize>) -> BTreeMap<usize, String> {
    sheets
        .iter()
        .filter_map(|p| {
            let label = match p.number {
                Some(n) => format!("sheet {} · printed page {n}", p.index),
                None => format!("sheet {}", p.index),
            };
            Some((line(p)?, label))
        })
        .collect()
}

/// One side of the page, written onto `html`: `text` line by line with its
/// numbers, sheet and printed page markers (`pages`), and for the original
/// the marks of what was done to each line.
fn column(
    html: &mut String,
    (id, caption): (&str, &str),
    text: &str,
    pages: &BTreeMap<usize, String>,
    marks: &BTreeMap<usize, (&'static str, Vec<String>)>,
) {
    let _ = writeln!(
        html,
        "<table class=\"text\" id=\"{id}\"><caption>{caption}</caption>"
    );
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if let Some(label) = pages.get(&n) {
            let _ = writeln!(
                html,
                "<tr class=\"page\"><td></td><td>{}</td></tr>",
                escape(label)
            );
        }
        let (class, notes) = marks
            .get(&n)
            .map_or(("", &[][..]), |(c, v)| (*c, v.as_slice()));
        let _ = write!(
            html,
            "<tr class=\"{class}\"><td class=\"n\">{n}</td><td class=\"t\"><span class=\"line\">{}</span>",
            escape(line)
        );
        for note in notes {
            let _ = write!(html, "<span class=\"why\">{}</span>", escape(note));
        }
        html.push_str("</td></tr>\n");
    }
    html.push_str("</table>\n");
}
