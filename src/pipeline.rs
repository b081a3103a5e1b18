//! One document through every stage:
//! decode → scan → classification → declassification → clean → diff → report.
//!
//! Pure: bytes in, report and output bytes out; no file is read or written
//! here (that is the batch stage's job).

use crate::classification::{classify, Classification};
use crate::clean::{clean, Edit};
use crate::declassification::{assemble, Declassification};
use crate::decode::{decode, sha256_hex, Decoded, Document};
use crate::diff::unified;
use crate::finding::{column_of, Finding};
use crate::model::{
    ActionKind, Category, Confidence, DeclassStatus, Encoding, LineEndingStyle, Markup, RuleAction,
};
use crate::repair::repair;
use crate::report::{
    DiffFile, OutputFile, Provenance, Publication, Source, Tool, CLEANED_FILE, DIFF_FILE,
    SCHEMA_VERSION,
};
use crate::rules::{builtin_check, check, RuleSet};
use crate::scan::{scan, Match};
use crate::structure::{analyse, Page};

/// Options that do not come from the document or the rules.
#[derive(Debug, Clone)]
pub struct AuditOptions {
    /// Timestamp to record (from `SOURCE_DATE_EPOCH`); none by default.
    pub generated_at: Option<String>,
    /// Repairs of OCR noise at or above this confidence change the cleaned
    /// text; `None` makes none.
    pub repair: Option<Confidence>,
    /// What to do with footnote markup.
    pub markup: Markup,
    /// Severities given to findings of these rules, whatever the rule says.
    pub severity: std::collections::BTreeMap<String, crate::model::Severity>,
}

impl Default for AuditOptions {
    fn default() -> AuditOptions {
        AuditOptions {
            generated_at: None,
            repair: Some(Confidence::High),
            markup: Markup::default(),
            severity: Default::default(),
        }
    }
}

impl AuditOptions {
    /// Whether a repair of this confidence is made.
    pub fn repairs(&self, confidence: Confidence) -> bool {
        self.repair.is_some_and(|threshold| confidence >= threshold)
    }
}

/// What auditing one document produced.
#[derive(Debug, Clone)]
pub struct DocumentAudit {
    pub provenance: Provenance,
    /// `None` when the document was not audited (binary).
    pub cleaned: Option<Vec<u8>>,
    pub diff: Option<Vec<u8>>,
}

/// A finding of a built-in check.
pub fn builtin_finding(id: &str, line: usize, text: &str, message: String) -> Finding {
    let (category, severity, _) = builtin_check(id).unwrap_or((
        crate::model::Category::Input,
        crate::model::Severity::Error,
        "",
    ));
    Finding {
        rule: id.to_string(),
        category,
        severity,
        line,
        end_line: line,
        column: 1,
        end_column: text.chars().count() + 1,
        text: text.to_string(),
        message,
        suggestion: None,
        confidence: None,
        applied: None,
    }
}

fn unmarked() -> (Classification, Declassification) {
    (
        Classification {
            highest: None,
            markings: Vec::new(),
        },
        Declassification {
            status: DeclassStatus::Unmarked,
            authority: None,
            consensus: Default::default(),
            blocks: Vec::new(),
            references: Vec::new(),
        },
    )
}

/// A report for a file that was not decoded: binary or too large.
pub fn not_audited(
    path: &str,
    bytes: usize,
    sha256: String,
    finding: Finding,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let (classification, declassification) = unmarked();
    DocumentAudit {
        provenance: Provenance {
            schema_version: SCHEMA_VERSION,
            tool: Tool::new(rules.sha256()),
            generated_at: options.generated_at.clone(),
            source: Source {
                path: path.to_string(),
                bytes,
                sha256,
                encoding: Encoding::Binary,
                bom: false,
                line_ending: LineEndingStyle::None,
                lines: 0,
            },
            cleaned: None,
            diff: None,
            classification,
            declassification,
            publication: None,
            document_dates: Vec::new(),
            pages: Vec::new(),
            findings: vec![finding],
            actions: Vec::new(),
        },
        cleaned: None,
        diff: None,
    }
}

/// Audits one document. `path` is recorded in the report; `diff_path` is
/// written in the diff's headers.
pub fn audit_document(
    path: &str,
    diff_path: &str,
    raw: Vec<u8>,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let mut audit = audit_bytes(path, diff_path, raw, rules, options);
    for finding in &mut audit.provenance.findings {
        if let Some(&severity) = options.severity.get(&finding.rule) {
            finding.severity = severity;
        }
    }
    audit
}

fn audit_bytes(
    path: &str,
    diff_path: &str,
    raw: Vec<u8>,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let bytes = raw.len();
    let doc = match decode(raw) {
        Decoded::Text(doc) => doc,
        Decoded::Binary {
            sha256,
            first_nul,
            utf16,
            ..
        } => {
            let why = if utf16 {
                "it starts with a UTF-16 byte-order mark; convert it to UTF-8 first".to_string()
            } else {
                format!("NUL byte at offset {first_nul}")
            };
            let finding = builtin_finding(
                check::BINARY,
                1,
                "",
                format!("binary file, not audited: {why}"),
            );
            return not_audited(path, bytes, sha256, finding, rules, options);
        }
    };
    audit_text(path, diff_path, &doc, rules, options)
}

fn decode_findings(doc: &Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    if doc.raw.is_empty() {
        findings.push(builtin_finding(
            check::EMPTY,
            1,
            "",
            "empty file: nothing to audit".to_string(),
        ));
    }
    if doc.encoding == Encoding::Windows1252 {
        let first_bad = (0..doc.len())
            .find(|&i| std::str::from_utf8(doc.raw_line(i)).is_err())
            .unwrap_or(0);
        let text = if doc.is_empty() {
            ""
        } else {
            doc.line(first_bad)
        };
        findings.push(builtin_finding(
            check::INVALID_UTF8,
            first_bad + 1,
            text,
            format!(
                "not valid UTF-8 (first bad byte on line {}): decoded as Windows-1252; check the characters of this document",
                first_bad + 1
            ),
        ));
    }
    findings
}

fn match_finding(doc: &Document, rules: &RuleSet, m: &Match, options: &AuditOptions) -> Finding {
    let rule = rules.get(m.rule);
    let text = doc.line(m.line);
    let (end_column, matched) = if m.end_line > m.line {
        let last = doc.line(m.end_line);
        let joined = (m.line..=m.end_line)
            .map(|i| doc.line(i))
            .collect::<Vec<_>>()
            .join("\n");
        (last.chars().count() + 1, joined)
    } else {
        (column_of(text, m.end), text[m.start..m.end].to_string())
    };
    let message = match m.level {
        Some(level) if m.struck => format!("{}: {level}, struck through", rule.description),
        Some(level) => format!("{}: {level}", rule.description),
        None => rule.description.clone(),
    };
    let mut finding = Finding {
        rule: rule.id.clone(),
        category: rule.category,
        severity: rule.severity,
        line: m.line + 1,
        end_line: m.end_line + 1,
        column: column_of(text, m.start),
        end_column,
        text: matched,
        message,
        suggestion: None,
        confidence: None,
        applied: None,
    };
    if rule.category == Category::OcrNoise {
        let invisible: Vec<String> = finding
            .text
            .chars()
            .filter(|c| invisible(*c))
            .map(|c| format!("U+{:04X}", c as u32))
            .collect();
        if !invisible.is_empty() {
            finding.message = format!("{} ({})", finding.message, invisible.join(" "));
        }
        finding.confidence = Some(rule.confidence);
        finding.applied = Some(match_edit(rules, m, options).is_some());
        if !finding.applied.unwrap_or(false) {
            finding.suggestion = match rule.action {
                RuleAction::Replace => m.replacement.clone(),
                RuleAction::RemoveMatch | RuleAction::RemoveLine => Some(String::new()),
                RuleAction::Flag => None,
            };
        }
    }
    finding
}

/// Characters that do not show on screen: controls, zero-width and format
/// characters, variation selectors, the byte-order mark, the soft hyphen.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{FE00}'..='\u{FE0F}')
}

/// How sure the reading of a garbled marking word is: one edit away, or
/// only confusable characters, is high; two edits is medium.
fn fuzzy_confidence(distance: usize) -> Confidence {
    if distance <= 1 {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

fn match_edit(rules: &RuleSet, m: &Match, options: &AuditOptions) -> Option<Edit> {
    let rule = rules.get(m.rule);
    if rule.category == Category::OcrNoise && !options.repairs(rule.confidence) {
        return None;
    }
    if let Some((_, distance)) = &m.fuzzy {
        if !options.repairs(fuzzy_confidence(*distance)) {
            return None;
        }
    }
    let markup = if rule.markup {
        options.markup
    } else {
        Markup::Bracket
    };
    let span = |kind: ActionKind, replacement: String| Edit::Span {
        rule: rule.id.clone(),
        kind,
        line: m.line,
        start: m.start,
        end: m.end,
        replacement,
    };
    match rule.action {
        RuleAction::Flag => None,
        RuleAction::RemoveLine => Some(Edit::RemoveLines {
            rule: rule.id.clone(),
            line: m.line,
            end_line: m.end_line,
        }),
        RuleAction::RemoveMatch => Some(span(ActionKind::RemoveMatch, String::new())),
        RuleAction::Replace => match markup {
            Markup::Bracket => Some(span(
                ActionKind::Replace,
                m.replacement.clone().unwrap_or_default(),
            )),
            Markup::Drop => Some(span(ActionKind::RemoveMatch, String::new())),
            Markup::Leave => None,
        },
    }
}

/// The bibliographic facts that rules' `publication` patterns read from the
/// regions they matched (a repository's cover sheet).
fn publication(doc: &Document, rules: &RuleSet, matches: &[Match]) -> Option<Publication> {
    let mut found = Publication::default();
    for m in matches {
        let rule = rules.get(m.rule);
        if rule.publication.is_empty() {
            continue;
        }
        let text = (m.line..=m.end_line)
            .map(|i| doc.line(i))
            .collect::<Vec<_>>()
            .join("\n");
        for pattern in &rule.publication {
            let Some(caps) = pattern.captures(&text) else {
                continue;
            };
            let get = |name: &str| caps.name(name).map(|m| m.as_str().trim().to_string());
            found.title = found.title.or_else(|| get("title"));
            found.author = found.author.or_else(|| get("author"));
            found.journal = found.journal.or_else(|| get("journal"));
            found.year = found
                .year
                .or_else(|| get("year").and_then(|y| y.parse().ok()));
        }
    }
    (found != Publication::default()).then_some(found)
}

/// Sets where each sheet's text is in the cleaned text.
fn map_pages(mut pages: Vec<Page>, numbers: &[Option<usize>]) -> Vec<Page> {
    for page in &mut pages {
        let range = page.start_line - 1..page.end_line;
        page.cleaned_start_line = range.clone().find_map(|i| numbers[i]);
        page.cleaned_end_line = range.rev().find_map(|i| numbers[i]);
    }
    pages
}

fn audit_text(
    path: &str,
    diff_path: &str,
    doc: &Document,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let mut findings = decode_findings(doc);
    let matches = scan(doc, rules);
    let classification = classify(doc, rules, &matches);
    let assembled = assemble(doc, rules, &matches, &classification);

    findings.extend(
        matches
            .iter()
            .map(|m| match_finding(doc, rules, m, options)),
    );
    for m in &matches {
        let Some((word, distance)) = &m.fuzzy else {
            continue;
        };
        let confidence = fuzzy_confidence(*distance);
        let mut finding = builtin_finding(
            check::CORRUPTED_MARKING_WORD,
            m.line + 1,
            doc.line(m.line),
            format!(
                "garbled marking word read as {word:?} ({distance} edit{} after OCR look-alikes)",
                if *distance == 1 { "" } else { "s" }
            ),
        );
        finding.suggestion = Some(word.clone());
        finding.confidence = Some(confidence);
        finding.applied = Some(options.repairs(confidence));
        findings.push(finding);
    }
    findings.extend(assembled.findings);
    let mut edits: Vec<Edit> = matches
        .iter()
        .filter_map(|m| match_edit(rules, m, options))
        .collect();
    for &line in &assembled.interior_lines {
        findings.push(builtin_finding(
            check::DECLASSIFICATION_BLOCK,
            line + 1,
            doc.line(line),
            "line inside a declassification block that no rule reads (OCR damage?): removed with the block".to_string(),
        ));
        edits.push(Edit::RemoveLines {
            rule: check::DECLASSIFICATION_BLOCK.to_string(),
            line,
            end_line: line,
        });
    }
    // Lines removed whole so far, as a mask over the document's lines.
    let mut whole = vec![false; doc.len()];
    for edit in &edits {
        if let Edit::RemoveLines { line, end_line, .. } = edit {
            whole[*line..=*end_line].fill(true);
        }
    }
    let mut explained = vec![false; doc.len()];
    for m in &matches {
        explained[m.line..=m.end_line].fill(true);
    }
    let repairs = repair(doc, rules, &whole, &explained, options);
    findings.extend(repairs.findings);
    for edit in &repairs.edits {
        if let Edit::RemoveLines { line, end_line, .. } = edit {
            whole[*line..=*end_line].fill(true);
        }
    }
    edits.extend(repairs.edits);
    let structure = analyse(doc, rules, &matches, &whole);
    findings.extend(structure.findings);
    edits.extend(structure.edits);
    edits.extend(structure.joins.iter().map(|j| Edit::Join {
        first: j.first,
        second: j.second,
        mode: j.mode,
    }));
    findings.sort_by(|a, b| (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule)));

    let cleaned = clean(doc, edits);
    let cleaned_bytes = cleaned.to_bytes(doc);
    let pages = map_pages(structure.pages, &cleaned.cleaned_line_numbers());
    let diff = unified(doc, &cleaned, diff_path);
    let provenance = Provenance {
        schema_version: SCHEMA_VERSION,
        tool: Tool::new(rules.sha256()),
        generated_at: options.generated_at.clone(),
        source: Source {
            path: path.to_string(),
            bytes: doc.raw.len(),
            sha256: doc.sha256.clone(),
            encoding: doc.encoding,
            bom: doc.bom,
            line_ending: doc.line_ending,
            lines: doc.len(),
        },
        cleaned: Some(OutputFile {
            path: CLEANED_FILE.to_string(),
            bytes: cleaned_bytes.len(),
            sha256: sha256_hex(&cleaned_bytes),
            lines: cleaned.kept_lines(),
        }),
        diff: Some(DiffFile {
            path: DIFF_FILE.to_string(),
            bytes: diff.bytes.len(),
            sha256: sha256_hex(&diff.bytes),
            lines_removed: diff.lines_removed,
            lines_added: diff.lines_added,
        }),
        classification,
        declassification: assembled.declassification,
        publication: publication(doc, rules, &matches),
        document_dates: assembled.document_dates,
        pages,
        findings,
        actions: cleaned.actions,
    };
    DocumentAudit {
        provenance,
        cleaned: Some(cleaned_bytes),
        diff: Some(diff.bytes),
    }
}
