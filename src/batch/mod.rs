//! The batch: finds the input documents, audits each one, writes its
//! outputs, and writes the summary of the run.
//!
//! A file that cannot be read is reported with its reason and the run goes
//! on for the others. Documents are taken in path order, so the summary is
//! the same from run to run.

pub mod bag;
pub mod baseline;
pub mod cache;
pub mod findings;
pub mod inputs;
pub mod output;
pub mod schedule;
pub mod shard;
pub mod summary;

pub use inputs::{
    collect_inputs, display_path, report_dirs, Input, InputSource, Selection, IGNORE_FILE,
    INPUT_EXTENSION,
};
pub use summary::{
    write_summary, Counts, DocumentFindings, InputProblem, Summary, SummaryRow, Totals,
};

use crate::audit::report::{
    to_json_bytes, Tool, CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE, SCHEMA_VERSION,
};
use crate::audit::sink::{HashSink, IoSink, Tee};
use crate::audit::{audit_to_write, json, not_regular, too_large, AuditOptions, DocumentAudit};
use crate::error::AuditError;
use crate::model::Severity;
use crate::rules::RuleSet;
use inputs::{read_input, slash_path, Loaded};
use output::{Content, OutputRoot};
use rayon::prelude::*;
use schedule::one_at_a_time;
use std::path::{Path, PathBuf};

/// Largest file audited by default (bytes).
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;
/// The most `--max-bytes` may be: just under 4 GiB, so that every line and
/// column of a document audited fits the four bytes a report's position
/// takes (`diagnostic::Position`). Such a document needs tens of GB.
pub const LARGEST_MAX_BYTES: u64 = u32::MAX as u64 - 1;
/// A progress bar is shown only for runs of more documents than this.
pub const PROGRESS_MIN_FILES: usize = 8;

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
    pub baseline: Option<baseline::Baseline>,
    /// Show a progress bar on standard error (for more than
    /// [`PROGRESS_MIN_FILES`] documents).
    pub progress: bool,
    /// Audit only the documents of this shard (`--shard K/N`).
    pub shard: Option<shard::Shard>,
    /// Reuse the outputs of unchanged documents kept in this folder.
    pub cache: Option<PathBuf>,
    /// Where the tool's and the rules' documentation is published (the
    /// SARIF log links to it).
    pub sarif: crate::config::SarifLinks,
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
            shard: None,
            cache: None,
            sarif: Default::default(),
        }
    }
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
    /// Every document's findings, in input order, read when a format asks
    /// ([`BatchResult::each_reported`], [`BatchResult::each_document`]).
    pub findings: findings::Findings,
    /// The baseline in effect: the findings it knows are not reported.
    pub baseline: Option<baseline::BaselineIndex>,
    /// For each document, whether a finding it reports fails the run.
    pub failing: Vec<bool>,
    /// What the run says besides its outputs (the cache's reuse, damaged
    /// cache entries), for standard error.
    pub notes: Vec<String>,
}

impl BatchResult {
    /// Each document's reported findings (those the baseline does not
    /// know), in input order.
    pub fn each_reported(&self, f: impl FnMut(&DocumentFindings)) {
        self.findings
            .each(&self.summary.documents, self.baseline.as_ref(), f);
    }

    /// How many documents have findings to read.
    pub fn document_count(&self) -> usize {
        self.findings.count(&self.summary.documents)
    }

    /// Each document's findings, baseline or not, in input order.
    pub fn each_document(&self, f: impl FnMut(&DocumentFindings)) {
        self.findings.each(&self.summary.documents, None, f);
    }
}

/// The last second an RFC 3339 date can write (9999-12-31T23:59:59Z).
pub const LAST_RFC3339_SECOND: u64 = 253_402_300_799;
/// Documents audited at once at most, whatever `--jobs` asks.
pub const MAX_JOBS: usize = 256;

/// `generated_at` from `SOURCE_DATE_EPOCH`, when it is set.
pub fn generated_at_from_env() -> Result<Option<String>, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Err(_) => Ok(None),
        Ok(value) => {
            let seconds: u64 = value
                .trim()
                .parse()
                .ok()
                .filter(|&s| s <= LAST_RFC3339_SECOND)
                .ok_or_else(|| {
                    format!("SOURCE_DATE_EPOCH must be a whole number of seconds up to {LAST_RFC3339_SECOND} (the end of year 9999), not {value:?}")
                })?;
            let time = std::time::UNIX_EPOCH + std::time::Duration::from_secs(seconds);
            Ok(Some(humantime::format_rfc3339_seconds(time).to_string()))
        }
    }
}

/// The path a document's diff names: the path it was read at, when that is
/// relative and stays below the current folder (`seeds/002_x.txt`), so that
/// `git apply` or `patch -p1` run where the audit ran finds the file;
/// otherwise its path relative to its input root.
fn diff_path(input: &Input) -> String {
    use std::path::Component;
    if let InputSource::File(path) = &input.source {
        let parts: Vec<Component> = path
            .components()
            .filter(|c| *c != Component::CurDir)
            .collect();
        if !parts.is_empty() && parts.iter().all(|c| matches!(c, Component::Normal(_))) {
            return slash_path(&parts.iter().collect::<PathBuf>());
        }
    }
    slash_path(&input.relative)
}

/// Audits what was read of one input.
fn audit_loaded(
    input: &Input,
    loaded: Loaded,
    rules: &RuleSet,
    options: &BatchOptions,
) -> DocumentAudit {
    let diff_path = diff_path(input);
    match loaded {
        Loaded::Bytes(bytes) => {
            audit_to_write(&input.display, &diff_path, bytes, rules, &options.audit)
        }
        Loaded::Special(kind) => not_regular(&input.display, kind, rules, &options.audit),
        Loaded::TooLarge { bytes, sha256 } => too_large(
            &input.display,
            bytes,
            sha256,
            options.max_bytes,
            rules,
            &options.audit,
        ),
    }
}

/// Writes the outputs a cache entry kept into the report folder `dir`;
/// the document's summary row and findings.
fn reuse(
    root: &OutputRoot,
    dir: &Path,
    entry: cache::Entry,
) -> Result<(SummaryRow, DocumentFindings), AuditError> {
    let files: Vec<(&str, Content)> = entry
        .files
        .iter()
        .map(|(name, path)| (name.as_str(), Content::SameAs(path)))
        .collect();
    root.write_folder(dir, &files)?;
    let row = SummaryRow {
        report: slash_path(dir),
        ..entry.row
    };
    let findings = DocumentFindings {
        path: row.path.clone(),
        findings: entry.findings,
    };
    Ok((row, findings))
}

/// Audits one input and writes its report folder `dir`, or, with a cache
/// whose entry for the same bytes, path, rules and options holds, writes
/// the outputs kept there. Returns its summary row and findings, whether
/// the cache gave them, and what went wrong with the cache (a damaged
/// entry, found and replaced; an entry that could not be kept).
fn audit_one(
    input: &Input,
    dir: &Path,
    root: &OutputRoot,
    rules: &RuleSet,
    options: &BatchOptions,
    cache: Option<&cache::Cache>,
    baseline: Option<&baseline::BaselineIndex>,
) -> Audited {
    let loaded = read_input(input, options.max_bytes)?;
    let key = match (cache, &loaded) {
        (Some(cache), Loaded::Bytes(bytes)) => Some(cache.key(
            &input.display,
            &diff_path(input),
            &crate::audit::decode::sha256_hex(bytes),
        )),
        _ => None,
    };
    let mut note = None;
    if let (Some(cache), Some(key)) = (cache, &key) {
        match cache.get(key) {
            cache::Lookup::Hit(entry) => {
                let (row, findings) = reuse(root, dir, *entry)?;
                let outcome = findings::outcome(findings, baseline, options.fail_on);
                return Ok((row, outcome, true, None));
            }
            cache::Lookup::Damaged(why) => {
                note = Some(format!(
                    "{}: cache entry damaged ({why}): audited again and the entry replaced",
                    input.display
                ));
            }
            cache::Lookup::Miss => {}
        }
    }
    let mut audit = audit_loaded(input, loaded, rules, options);
    let folder = write_outputs(root, dir, &mut audit)?;
    let row = SummaryRow::of(&audit, dir);
    let findings = DocumentFindings {
        path: audit.provenance.source.path.clone(),
        findings: audit.provenance.findings,
    };
    if let (Some(cache), Some(key)) = (cache, &key) {
        if let Err(e) = cache.put(key, &folder, &row, &findings.findings) {
            note = Some(format!("{}: not kept in the cache: {e}", input.display));
        }
    }
    let outcome = findings::outcome(findings, baseline, options.fail_on);
    Ok((row, outcome, false, note))
}

/// Writes a document's report folder as a unit: complete, or (if the run
/// is killed) absent. The cleaned text and the diff stream from the
/// document into their files, hashed as they go; the report, written
/// last, records those hashes.
fn write_outputs(
    root: &OutputRoot,
    dir: &Path,
    audit: &mut DocumentAudit,
) -> Result<PathBuf, AuditError> {
    let outputs = audit.outputs.as_ref();
    let report = std::cell::RefCell::new(&mut audit.provenance);
    let written = |out: &mut dyn std::io::Write, diff: bool| {
        let mut sink = Tee(IoSink::new(out), HashSink::default());
        let Some(outputs) = outputs else {
            return Ok(());
        };
        let stats = if diff {
            Some(outputs.write_diff(&mut sink))
        } else {
            outputs.write_cleaned(&mut sink);
            None
        };
        let Tee(file, hash) = sink;
        let mut report = report.borrow_mut();
        match stats {
            Some(stats) => report.record_diff(hash.finish(), stats),
            None => report.record_cleaned(hash.finish(), outputs.kept_lines()),
        }
        file.finish()
    };
    let cleaned = |out: &mut dyn std::io::Write| written(out, false);
    let diff = |out: &mut dyn std::io::Write| written(out, true);
    let provenance = |out: &mut dyn std::io::Write| json::write(out, &**report.borrow());
    let mut files: Vec<(&str, Content)> = Vec::with_capacity(3);
    if outputs.is_some() {
        files.push((CLEANED_FILE, Content::Written(&cleaned)));
        files.push((DIFF_FILE, Content::Written(&diff)));
    }
    files.push((PROVENANCE_FILE, Content::Written(&provenance)));
    root.write_folder(dir, &files)
}

/// A document audited or reused: its summary row, what its findings say
/// for the run, whether the cache gave it, and a note on the cache.
type Audited = Result<(SummaryRow, findings::DocumentOutcome, bool, Option<String>), AuditError>;

/// Audits the inputs (each with its report folder) in parallel and writes
/// their outputs; results come back in input order, so every output is the
/// same whatever the number of jobs.
fn audit_all(
    inputs: &[(&Input, &PathBuf)],
    root: &OutputRoot,
    options: &BatchOptions,
    rules: &RuleSet,
    cache: Option<&cache::Cache>,
    baseline: Option<&baseline::BaselineIndex>,
) -> Result<Vec<Audited>, AuditError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.min(MAX_JOBS).min(inputs.len().max(1)))
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
    let audit = |k: usize| {
        let (input, dir) = inputs[k];
        let audited = audit_one(input, dir, root, rules, options, cache, baseline);
        bar.inc(1);
        (k, audited)
    };
    // Large documents one after another on one worker, the small ones on
    // the others (see `schedule`).
    let (large, small) = one_at_a_time(
        inputs
            .iter()
            .map(|(input, _)| inputs::expected_bytes(input, options.max_bytes)),
    );
    // One vector, sized once, for every result (a run may have a million).
    let mut results = Vec::with_capacity(inputs.len());
    let first = pool.install(|| {
        rayon::join(
            || large.iter().map(|&k| audit(k)).collect::<Vec<_>>(),
            || {
                small
                    .par_iter()
                    .with_max_len(1)
                    .map(|&k| audit(k))
                    .collect_into_vec(&mut results)
            },
        )
        .0
    });
    bar.finish_and_clear();
    // In input order, whatever order they were audited in.
    results.extend(first);
    results.sort_unstable_by_key(|&(k, _)| k);
    Ok(results.into_iter().map(|(_, audited)| audited).collect())
}

/// The problems of a run as the summary lists them.
fn unreadable(e: &AuditError) -> InputProblem {
    InputProblem {
        path: match e {
            AuditError::Read { path, .. }
            | AuditError::Write { path, .. }
            | AuditError::OutsideOutput { path, .. }
            | AuditError::Walk { path, .. }
            | AuditError::InOutput { path, .. }
            | AuditError::Json { path, .. } => display_path(path),
            AuditError::NoInput { .. } | AuditError::Threads { .. } => String::new(),
        },
        reason: e.to_string(),
    }
}

/// A run's results taken apart: the summary's rows with what their
/// findings say and which inputs they are (in input order), the inputs
/// that failed, the notes on the cache and how many documents it gave.
struct Outcomes {
    rows: Vec<SummaryRow>,
    outcomes: Vec<findings::DocumentOutcome>,
    order: Vec<usize>,
    failed: Vec<(usize, InputProblem)>,
    notes: Vec<String>,
    reused: usize,
}

/// Takes apart the results of the inputs `selected`.
fn take_apart(mut results: Vec<Audited>, selected: &[usize]) -> Outcomes {
    let mut outcomes = Vec::with_capacity(results.len());
    let mut order = Vec::with_capacity(results.len());
    let (mut failed, mut notes, mut reused) = (Vec::new(), Vec::new(), 0);
    for (result, &index) in results.iter_mut().zip(selected) {
        match result {
            Ok((_, outcome, hit, note)) => {
                outcomes.push(*outcome);
                order.push(index);
                reused += usize::from(*hit);
                notes.extend(note.take());
            }
            Err(err) => failed.push((index, unreadable(err))),
        }
    }
    // The rows take the results' place (a run may have a million).
    let rows = results
        .into_iter()
        .filter_map(|r| r.ok().map(|(row, ..)| row))
        .collect();
    Outcomes {
        rows,
        outcomes,
        order,
        failed,
        notes,
        reused,
    }
}

/// The options a run's outputs record.
pub fn run_options(options: &BatchOptions) -> shard::RunOptions {
    shard::RunOptions {
        repair: options.audit.repair,
        markup: options.audit.markup,
        max_bytes: options.max_bytes,
        generated_at: options.audit.generated_at.clone(),
    }
}

/// Audits every input and writes every output, then the summary.
/// `Err` only when the run cannot start (no output folder, no input);
/// problems with single files are in the result.
pub fn run(options: &BatchOptions, rules: &RuleSet) -> Result<BatchResult, AuditError> {
    inputs::refuse_in_output(&options.paths, &options.out, options.cache.as_deref())?;
    let root = OutputRoot::create(&options.out)?;
    root.sweep();
    let skipped = (root.canonical(), options.cache.as_deref());
    let (inputs, problems) = collect_inputs(&options.paths, skipped, &options.selection);
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
    let search_problems: Vec<InputProblem> = problems.iter().map(unreadable).collect();
    // Report folders are named over every input, so that a shard names
    // each document's folder as the whole run does.
    let dirs = report_dirs(&inputs);
    let selected: Vec<usize> = (0..inputs.len())
        .filter(|&i| options.shard.is_none_or(|s| s.holds(&inputs[i].display)))
        .collect();
    let pairs: Vec<(&Input, &PathBuf)> = selected.iter().map(|&i| (&inputs[i], &dirs[i])).collect();
    let cache = options
        .cache
        .as_deref()
        .map(|dir| cache::Cache::open(dir, rules.sha256(), &options.audit))
        .transpose()?;
    let baseline = options.baseline.as_ref().map(baseline::Baseline::index);
    let results = audit_all(
        &pairs,
        &root,
        options,
        rules,
        cache.as_ref(),
        baseline.as_ref(),
    )?;
    let Outcomes {
        rows,
        outcomes,
        order,
        failed,
        mut notes,
        reused,
    } = take_apart(results, &selected);
    // The problems met looking for the inputs, then those of the documents.
    let problems = search_problems
        .iter()
        .cloned()
        .chain(failed.iter().map(|(_, p)| p.clone()))
        .collect();
    let result = conclude(
        (rows, &outcomes),
        problems,
        Tool::new(rules.sha256()),
        options,
        findings::Findings::Reports {
            out: options.out.clone(),
        },
        baseline,
    );
    let mut result = result;
    if cache.is_some() {
        notes.push(format!(
            "cache: {reused} of {} documents' outputs reused",
            pairs.len()
        ));
    }
    result.notes = notes;
    // A summary the disk cannot take ends the run in trouble, and the run
    // is still told: each document's line, each report not written.
    if let Err(e) = write_summary(&root, &result.summary) {
        result.notes.push(e.to_string());
        result.outcome = Outcome::InputFailed;
    }
    let summary = &result.summary;
    if let Some(shard) = options.shard {
        let manifest = shard::ShardManifest {
            shard,
            tool: summary.tool.clone(),
            options: run_options(options),
            inputs: inputs.len(),
            order,
            search_problems,
            failed,
        };
        let json = to_json_bytes(&manifest).map_err(|source| AuditError::Json {
            path: options.out.join(shard::SHARD_FILE),
            source,
        })?;
        root.write(Path::new(""), shard::SHARD_FILE, &json)?;
    }
    Ok(result)
}

/// The result of a run from its documents' rows and what their findings
/// say (in input order), its unreadable inputs, where its findings are and
/// the baseline that filters them: the totals, and how the run ends.
pub fn conclude(
    (rows, outcomes): (Vec<SummaryRow>, &[findings::DocumentOutcome]),
    unreadable: Vec<InputProblem>,
    tool: Tool,
    options: &BatchOptions,
    findings: findings::Findings,
    baseline: Option<baseline::BaselineIndex>,
) -> BatchResult {
    let mut totals = Totals::of(&rows, unreadable.len());
    totals.known_from_baseline = outcomes.iter().map(|o| o.known).sum();
    let failing: Vec<bool> = outcomes.iter().map(|o| o.failing).collect();
    let outcome = if !unreadable.is_empty() {
        Outcome::InputFailed
    } else if failing.contains(&true) {
        Outcome::Findings
    } else {
        Outcome::Clean
    };
    let summary = Summary {
        schema_version: SCHEMA_VERSION,
        tool,
        generated_at: options.audit.generated_at.clone(),
        documents: rows,
        unreadable,
        totals,
    };
    BatchResult {
        summary,
        outcome,
        findings,
        baseline,
        failing,
        notes: Vec::new(),
    }
}
