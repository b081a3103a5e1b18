//! The human summary: one line per document, problems, and a total line.

use crate::batch::display_path;
use crate::batch::summary::{Counts, Summary};
use crate::model::{Level, Severity};
use std::path::Path;

/// "1 line changed", "2 lines changed".
fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Escapes control and invisible characters before text reaches a terminal.
fn terminal_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control()
            || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(unsafe_char) {
        return text.into();
    }
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        if unsafe_char(c) {
            safe.extend(c.escape_unicode());
        } else {
            safe.push(c);
        }
    }
    safe.into()
}

/// The human summary: one line per document, problems, and a total line;
/// with `color`, error and warning counts stand out (ANSI colours).
pub fn human_summary(summary: &Summary, out: &Path, color: bool) -> String {
    let width = summary
        .documents
        .iter()
        .map(|r| terminal_safe(&r.path).chars().count())
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    let paint = |n: usize, code: &str, label: &str| {
        if color && n > 0 {
            format!("\u{1b}[{code}m{n} {label}\u{1b}[0m")
        } else {
            format!("{n} {label}")
        }
    };
    let counts = |c: &Counts| {
        format!(
            "{}, {}, {} info",
            paint(c.severity(Severity::Error), "1;31", "error"),
            paint(c.severity(Severity::Warning), "33", "warning"),
            c.severity(Severity::Info)
        )
    };
    for row in &summary.documents {
        let highest = row.highest.as_ref().map_or("unmarked", Level::as_str);
        let authority = row
            .authority
            .as_deref()
            .map(|a| format!("  {}", terminal_safe(a)))
            .unwrap_or_default();
        text.push_str(&format!(
            "{:<width$}  {:<12}  {:<31}  {}  {}{authority}\n",
            terminal_safe(&row.path),
            highest,
            row.declassification_status.as_str(),
            counts(&row.findings),
            plural(row.lines_changed, "line changed", "lines changed"),
        ));
    }
    let t = &summary.totals;
    // The rows count every finding; those a baseline knows neither fail
    // the run nor reach the other formats.
    let known = match t.known_from_baseline {
        0 => String::new(),
        n => format!(" ({n} known from the baseline)"),
    };
    text.push_str(&format!(
        "{}, {} unreadable: {}{known}; {}; reports in {}\n",
        plural(t.documents, "document", "documents"),
        t.unreadable,
        counts(&t.findings),
        plural(t.lines_changed, "line changed", "lines changed"),
        terminal_safe(&display_path(out)),
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::report::{Tool, SCHEMA_VERSION};
    use crate::batch::summary::{SummaryRow, Totals};
    use crate::model::{Category, DeclassStatus};
    use std::collections::BTreeMap;

    #[test]
    fn control_and_invisible_characters_reach_the_terminal_escaped() {
        assert_eq!(
            terminal_safe("a\tb\u{1b}[31m\u{200B}é.txt"),
            "a\\u{9}b\\u{1b}[31m\\u{200b}é.txt"
        );
        assert!(matches!(
            terminal_safe("box/plain é.txt"),
            std::borrow::Cow::Borrowed("box/plain é.txt")
        ));
    }

    fn summary(errors: usize) -> Summary {
        let mut findings = Counts::default();
        findings.add(Severity::Error, Category::Input, errors);
        let row = SummaryRow {
            path: "a\u{1b}[31m.txt".into(),
            report: "a".into(),
            sha256: String::new(),
            highest: None,
            declassification_status: DeclassStatus::Unmarked,
            authority: None,
            findings: findings.clone(),
            lines_changed: 0,
            pages: 1,
            catchwords: 0,
            joins: 0,
        };
        Summary {
            schema_version: SCHEMA_VERSION,
            tool: Tool::new(""),
            generated_at: None,
            documents: vec![row],
            unreadable: Vec::new(),
            totals: Totals {
                documents: 1,
                unreadable: 0,
                findings,
                lines_changed: 0,
                pages: 1,
                catchwords: 0,
                joins: 0,
                by_status: BTreeMap::new(),
                known_from_baseline: 0,
            },
        }
    }

    #[test]
    fn colour_only_when_asked_and_paths_never_reach_the_terminal_raw() {
        let plain = human_summary(&summary(1), Path::new("out"), false);
        assert!(!plain.contains('\u{1b}'), "{plain:?}");
        assert!(
            plain.contains("a\\u{1b}[31m.txt"),
            "control characters in paths are escaped: {plain:?}"
        );
        let coloured = human_summary(&summary(1), Path::new("out"), true);
        assert!(
            coloured.contains("\u{1b}[1;31m1 error\u{1b}[0m"),
            "{coloured:?}"
        );
        let calm = human_summary(&summary(0), Path::new("out"), true);
        assert!(
            !calm.contains("\u{1b}[1;31m"),
            "no colour for zero errors: {calm:?}"
        );
    }
}
