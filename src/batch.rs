//! Batch stage: finds the input documents, audits each one, writes its
//! outputs, and writes the summary of the run.
//!
//! A file that cannot be read is reported with its reason and the run goes
//! on for the others. Documents are taken in path order, so the summary is
//! the same from run to run.

use crate::error::AuditError;
use crate::model::{ActionKind, Category, DeclassStatus, Level, Severity};
use crate::output::{report_dir, sanitize, OutputRoot};
use crate::pipeline::{audit_document, builtin_finding, not_audited, AuditOptions, DocumentAudit};
use crate::report::{
    to_json_bytes, Tool, CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE, SCHEMA_VERSION, SUMMARY_FILE,
};
use crate::rules::{check, RuleSet};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Largest file audited by default (bytes).
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// A progress bar is shown only for runs of more documents than this.
pub const PROGRESS_MIN_FILES: usize = 8;
/// The extension of the files a folder is searched for.
pub const INPUT_EXTENSION: &str = "txt";

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
}

/// One document to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub source: InputSource,
    /// The path shown in reports (as found from the command line).
    pub display: String,
    /// The path relative to its input root: names the output folder and is
    /// written in the diff headers.
    pub relative: PathBuf,
}

#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub paths: Vec<PathBuf>,
    pub out: PathBuf,
    pub max_bytes: u64,
    pub audit: AuditOptions,
    /// Documents audited at once; 0 is one per core.
    pub jobs: usize,
    /// Findings at or above this severity fail the run (exit 1); `None`
    /// never fails on findings.
    pub fail_on: Option<Severity>,
    /// Which files of a folder are read.
    pub selection: Selection,
    /// Findings already known: not reported by the formats, never failing.
    pub baseline: Option<crate::baseline::Baseline>,
    /// Show a progress bar on standard error (for more than
    /// [`PROGRESS_MIN_FILES`] documents).
    pub progress: bool,
}

impl BatchOptions {
    pub fn new(paths: Vec<PathBuf>, out: PathBuf) -> BatchOptions {
        BatchOptions {
            paths,
            out,
            max_bytes: DEFAULT_MAX_BYTES,
            audit: AuditOptions::default(),
            jobs: 0,
            fail_on: Some(Severity::Error),
            selection: Selection::default(),
            baseline: None,
            progress: false,
        }
    }
}

/// The findings of one document, for the output formats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFindings {
    pub path: String,
    pub findings: Vec<crate::finding::Finding>,
}

/// Finding counts, by severity and by category (every key present).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub total: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    pub by_category: BTreeMap<Category, usize>,
}

impl Default for Counts {
    fn default() -> Counts {
        Counts {
            total: 0,
            by_severity: Severity::ALL.iter().map(|&s| (s, 0)).collect(),
            by_category: Category::ALL.iter().map(|&c| (c, 0)).collect(),
        }
    }
}

impl Counts {
    fn add(&mut self, severity: Severity, category: Category, n: usize) {
        self.total += n;
        *self.by_severity.entry(severity).or_default() += n;
        *self.by_category.entry(category).or_default() += n;
    }

    fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        for (k, v) in &other.by_severity {
            *self.by_severity.entry(*k).or_default() += v;
        }
        for (k, v) in &other.by_category {
            *self.by_category.entry(*k).or_default() += v;
        }
    }

    pub fn severity(&self, severity: Severity) -> usize {
        self.by_severity.get(&severity).copied().unwrap_or(0)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SummaryRow {
    pub path: String,
    /// The folder of this document's outputs, relative to the output folder.
    pub report: String,
    pub sha256: String,
    pub highest: Option<Level>,
    pub declassification_status: DeclassStatus,
    /// The consensus declassification authority ("E.O. 11652 · NLT-HC · NARS 1975-12-02").
    pub authority: Option<String>,
    pub findings: Counts,
    pub lines_changed: usize,
    pub pages: usize,
    pub catchwords: usize,
    pub joins: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputProblem {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub documents: usize,
    pub unreadable: usize,
    pub findings: Counts,
    pub lines_changed: usize,
    pub pages: usize,
    pub catchwords: usize,
    pub joins: usize,
    pub by_status: BTreeMap<DeclassStatus, usize>,
    /// Findings left out because the baseline knows them.
    pub known_from_baseline: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub schema_version: u32,
    pub tool: Tool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
    pub documents: Vec<SummaryRow>,
    pub unreadable: Vec<InputProblem>,
    pub totals: Totals,
}

/// How a run ended, from best to worst; it decides the exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Every document audited, no finding at the `--fail-on` severity.
    Clean,
    /// Some document had a finding at the `--fail-on` severity or above.
    Findings,
    /// Some input could not be read.
    InputFailed,
}

#[derive(Debug, Clone)]
pub struct BatchResult {
    pub summary: Summary,
    pub outcome: Outcome,
    /// Every document's findings that are reported (not in the baseline),
    /// in path order.
    pub documents: Vec<DocumentFindings>,
    /// Every document's findings, baseline or not.
    pub all_documents: Vec<DocumentFindings>,
}

/// `generated_at` from `SOURCE_DATE_EPOCH`, when it is set.
pub fn generated_at_from_env() -> Result<Option<String>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(None),
        Ok(value) => {
            let seconds: u64 = value.trim().parse().map_err(|_| {
                format!("SOURCE_DATE_EPOCH must be a whole number of seconds, not {value:?}")
            })?;
            let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
            Ok(Some(humantime::format_rfc3339_seconds(time).to_string()))
        }
    }
}

fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn display_path(path: &Path) -> String {
    let text = slash_path(path);
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// Which files of a folder are documents: those matching one of the
/// `--glob` patterns (default `*.txt`) and none of the excluded patterns,
/// matched against the path below the folder.
#[derive(Debug, Clone)]
pub struct Selection {
    include: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl Selection {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Selection, globset::Error> {
        let build = |patterns: &[String]| {
            let mut set = globset::GlobSetBuilder::new();
            for pattern in patterns {
                set.add(
                    globset::GlobBuilder::new(pattern)
                        .case_insensitive(true)
                        .literal_separator(false)
                        .build()?,
                );
            }
            set.build()
        };
        Ok(Selection {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    fn selects(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }
}

impl Default for Selection {
    fn default() -> Selection {
        let all = format!("*.{INPUT_EXTENSION}");
        Selection::new(&[all], &[]).unwrap_or_else(|_| unreachable!("a fixed pattern"))
    }
}

/// A file in a folder that tells the walk what to leave out, besides
/// `.gitignore` and `.ignore` files.
pub const IGNORE_FILE: &str = ".declassignore";

/// Finds the documents named by `paths`: files as given, folders walked in
/// name order for the files the selection takes, honouring `.gitignore`,
/// `.ignore` and `.declassignore` files and skipping hidden ones; the output
/// folder is never read as input.
pub fn collect_inputs(
    paths: &[PathBuf],
    out: &Path,
    selection: &Selection,
) -> (Vec<Input>, Vec<AuditError>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    let several = paths.len() > 1;
    let out_canonical = out.canonicalize().ok();
    for root in paths {
        if root.as_os_str() == "-" {
            inputs.push(Input {
                source: InputSource::Stdin,
                display: "-".to_string(),
                relative: PathBuf::from("stdin"),
            });
            continue;
        }
        let prefix = if several {
            sanitize(root)
        } else {
            PathBuf::new()
        };
        let metadata = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(source) => {
                problems.push(AuditError::Read {
                    path: root.clone(),
                    source,
                });
                continue;
            }
        };
        if !metadata.is_dir() {
            let relative = if several {
                prefix
            } else {
                root.file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| sanitize(root))
            };
            inputs.push(Input {
                source: InputSource::File(root.clone()),
                display: display_path(root),
                relative,
            });
            continue;
        }
        let out_dir = out_canonical.clone();
        let walker = ignore::WalkBuilder::new(root)
            .standard_filters(true)
            .require_git(false)
            .follow_links(false)
            .add_custom_ignore_filename(IGNORE_FILE)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |e| {
                let is_dir = e.file_type().is_some_and(|t| t.is_dir());
                !(is_dir
                    && out_dir
                        .as_ref()
                        .is_some_and(|out| e.path().canonicalize().is_ok_and(|p| p == *out)))
            })
            .build();
        for entry in walker {
            match entry {
                Ok(entry) => {
                    let is_file = entry.file_type().is_some_and(|t| t.is_file());
                    let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                    if is_file && selection.selects(relative) {
                        inputs.push(Input {
                            source: InputSource::File(entry.path().to_path_buf()),
                            display: display_path(entry.path()),
                            relative: prefix.join(relative),
                        });
                    }
                }
                Err(err) => problems.push(AuditError::Walk {
                    path: root.clone(),
                    reason: err.to_string(),
                }),
            }
        }
    }
    let mut seen = BTreeSet::new();
    inputs.retain(|input| seen.insert(input.display.clone()));
    (inputs, problems)
}

/// Output folders of the inputs: the relative path without extension, or
/// with it where two inputs would otherwise share a folder.
fn report_dirs(inputs: &[Input]) -> Vec<PathBuf> {
    let plain: Vec<PathBuf> = inputs.iter().map(|i| report_dir(&i.relative)).collect();
    let mut count: BTreeMap<&PathBuf, usize> = BTreeMap::new();
    for dir in &plain {
        *count.entry(dir).or_default() += 1;
    }
    inputs
        .iter()
        .zip(&plain)
        .map(|(input, dir)| {
            if count[dir] > 1 {
                sanitize(&input.relative)
            } else {
                dir.clone()
            }
        })
        .collect()
}

enum Loaded {
    Bytes(Vec<u8>),
    TooLarge { bytes: u64, sha256: String },
}

fn read_input(input: &Input, max_bytes: u64) -> Result<Loaded, AuditError> {
    let (path, mut reader): (PathBuf, Box<dyn Read>) = match &input.source {
        InputSource::Stdin => (PathBuf::from("-"), Box::new(std::io::stdin().lock())),
        InputSource::File(path) => {
            let file = std::fs::File::open(path).map_err(|source| AuditError::Read {
                path: path.clone(),
                source,
            })?;
            (path.clone(), Box::new(file))
        }
    };
    let read_err = |source| AuditError::Read {
        path: path.clone(),
        source,
    };
    let mut bytes = Vec::new();
    (&mut reader)
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 <= max_bytes {
        return Ok(Loaded::Bytes(bytes));
    }
    // Too large to audit: still hash every byte, so its fixity is recorded.
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    let rest = std::io::copy(&mut reader, &mut hasher).map_err(read_err)?;
    Ok(Loaded::TooLarge {
        bytes: bytes.len() as u64 + rest,
        sha256: format!("{:x}", hasher.finalize()),
    })
}

fn audit_input(
    input: &Input,
    rules: &RuleSet,
    options: &BatchOptions,
) -> Result<DocumentAudit, AuditError> {
    let diff_path = slash_path(&input.relative);
    Ok(match read_input(input, options.max_bytes)? {
        Loaded::Bytes(bytes) => {
            audit_document(&input.display, &diff_path, bytes, rules, &options.audit)
        }
        Loaded::TooLarge { bytes, sha256 } => {
            let finding = builtin_finding(
                check::TOO_LARGE,
                1,
                "",
                format!(
                    "{bytes} bytes is more than the limit of {} bytes (--max-bytes): not audited",
                    options.max_bytes
                ),
            );
            not_audited(
                &input.display,
                usize::try_from(bytes).unwrap_or(usize::MAX),
                sha256,
                finding,
                rules,
                &options.audit,
            )
        }
    })
}

fn write_outputs(root: &OutputRoot, dir: &Path, audit: &DocumentAudit) -> Result<(), AuditError> {
    if let Some(cleaned) = &audit.cleaned {
        root.write(dir, CLEANED_FILE, cleaned)?;
    }
    if let Some(diff) = &audit.diff {
        root.write(dir, DIFF_FILE, diff)?;
    }
    let json = to_json_bytes(&audit.provenance).map_err(|source| AuditError::Json {
        path: root.path().join(dir).join(PROVENANCE_FILE),
        source,
    })?;
    root.write(dir, PROVENANCE_FILE, &json)?;
    Ok(())
}

fn summary_row(audit: &DocumentAudit, dir: &Path) -> SummaryRow {
    let p = &audit.provenance;
    let mut findings = Counts::default();
    for f in &p.findings {
        findings.add(f.severity, f.category, 1);
    }
    SummaryRow {
        path: p.source.path.clone(),
        report: slash_path(dir),
        sha256: p.source.sha256.clone(),
        highest: p.classification.highest,
        declassification_status: p.declassification.status,
        authority: p.declassification.authority.clone(),
        findings,
        lines_changed: p.diff.as_ref().map_or(0, |d| d.lines_removed),
        pages: p.pages.len(),
        catchwords: p
            .findings
            .iter()
            .filter(|f| f.rule == check::CATCHWORD)
            .count(),
        joins: p
            .actions
            .iter()
            .filter(|a| a.kind == ActionKind::JoinParagraph)
            .count(),
    }
}

/// Audits every input and writes every output, then the summary.
/// `Err` only when the run cannot start (no output folder, no input);
/// problems with single files are in the result.
pub fn run(options: &BatchOptions, rules: &RuleSet) -> Result<BatchResult, AuditError> {
    let root = OutputRoot::create(&options.out)?;
    let (inputs, mut problems) =
        collect_inputs(&options.paths, root.canonical(), &options.selection);
    if inputs.is_empty() && problems.is_empty() {
        return Err(AuditError::NoInput {
            paths: options
                .paths
                .iter()
                .map(|p| display_path(p))
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let dirs = report_dirs(&inputs);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .build()
        .map_err(|e| AuditError::Threads {
            reason: e.to_string(),
        })?;
    let bar = if options.progress && inputs.len() > PROGRESS_MIN_FILES {
        indicatif::ProgressBar::new(inputs.len() as u64)
    } else {
        indicatif::ProgressBar::hidden()
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} documents {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // Documents are audited in parallel; results come back in input order,
    // so every output is the same whatever the number of jobs.
    let results: Vec<Result<(SummaryRow, DocumentFindings), AuditError>> = pool.install(|| {
        inputs
            .par_iter()
            .zip(dirs.par_iter())
            .map(|(input, dir)| {
                let audited = audit_input(input, rules, options).and_then(|audit| {
                    write_outputs(&root, dir, &audit)?;
                    Ok((
                        summary_row(&audit, dir),
                        DocumentFindings {
                            path: audit.provenance.source.path.clone(),
                            findings: audit.provenance.findings,
                        },
                    ))
                });
                bar.inc(1);
                audited
            })
            .collect()
    });
    bar.finish_and_clear();
    let mut rows = Vec::with_capacity(inputs.len());
    let mut documents = Vec::with_capacity(inputs.len());
    for result in results {
        match result {
            Ok((row, findings)) => {
                rows.push(row);
                documents.push(findings);
            }
            Err(err) => problems.push(err),
        }
    }
    let unreadable: Vec<InputProblem> = problems
        .iter()
        .map(|e| InputProblem {
            path: match e {
                AuditError::Read { path, .. }
                | AuditError::Write { path, .. }
                | AuditError::OutsideOutput { path, .. }
                | AuditError::Walk { path, .. }
                | AuditError::Json { path, .. } => display_path(path),
                AuditError::NoInput { .. } | AuditError::Threads { .. } => String::new(),
            },
            reason: e.to_string(),
        })
        .collect();

    let mut totals = Totals {
        documents: rows.len(),
        unreadable: unreadable.len(),
        findings: Counts::default(),
        lines_changed: 0,
        pages: 0,
        catchwords: 0,
        joins: 0,
        by_status: BTreeMap::new(),
        known_from_baseline: 0,
    };
    for row in &rows {
        totals.findings.merge(&row.findings);
        totals.lines_changed += row.lines_changed;
        totals.pages += row.pages;
        totals.catchwords += row.catchwords;
        totals.joins += row.joins;
        *totals
            .by_status
            .entry(row.declassification_status)
            .or_default() += 1;
    }
    // The findings reported: all of them, or those the baseline does not know.
    let all_documents = documents.clone();
    if let Some(baseline) = &options.baseline {
        totals.known_from_baseline = baseline.filter(&mut documents);
    }
    let failing = options.fail_on.is_some_and(|threshold| {
        documents
            .iter()
            .flat_map(|d| &d.findings)
            .any(|f| f.severity >= threshold)
    });
    let outcome = if !unreadable.is_empty() {
        Outcome::InputFailed
    } else if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    let summary = Summary {
        schema_version: SCHEMA_VERSION,
        tool: Tool::new(rules.sha256()),
        generated_at: options.audit.generated_at.clone(),
        documents: rows,
        unreadable,
        totals,
    };
    let json = to_json_bytes(&summary).map_err(|source| AuditError::Json {
        path: options.out.join(SUMMARY_FILE),
        source,
    })?;
    root.write(Path::new(""), SUMMARY_FILE, &json)?;
    Ok(BatchResult {
        summary,
        outcome,
        documents,
        all_documents,
    })
}

/// Escapes control and invisible characters before text reaches a terminal.
fn terminal_safe(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_control() || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().collect::<Vec<_>>()
            } else {
                vec![c]
            }
        })
        .collect()
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
        let highest = row.highest.map_or("unmarked", Level::as_str);
        let authority = row
            .authority
            .as_deref()
            .map(|a| format!("  {}", terminal_safe(a)))
            .unwrap_or_default();
        text.push_str(&format!(
            "{:<width$}  {:<12}  {:<31}  {}  {} lines changed{authority}\n",
            terminal_safe(&row.path),
            highest,
            row.declassification_status.as_str(),
            counts(&row.findings),
            row.lines_changed,
        ));
    }
    for problem in &summary.unreadable {
        text.push_str(&format!("unreadable: {}\n", terminal_safe(&problem.reason)));
    }
    let t = &summary.totals;
    text.push_str(&format!(
        "{} documents, {} unreadable: {}; {} lines changed; reports in {}\n",
        t.documents,
        t.unreadable,
        counts(&t.findings),
        t.lines_changed,
        terminal_safe(&display_path(out)),
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::*;

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
