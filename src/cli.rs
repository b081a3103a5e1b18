//! The command line: the clap types, and how the command line is merged
//! over the configuration into the library's options. Each command returns
//! what it ended with; `main` maps that to an exit code.

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use declass::audit::AuditOptions;
use declass::batch::bag::{copy_originals, write_tags, BagOptions, DATA_DIR};
use declass::batch::baseline::Baseline;
use declass::batch::output::{write_atomic, write_atomic_with};
use declass::batch::{self, BatchOptions, Outcome};
use declass::config::{Config, FailOn, Loaded, RepairSetting, CONFIG_FILE};
use declass::formats::{self, FormatSpec, Style};
use declass::model::Markup;
use declass::rules::{Check, RuleSet};
use declass::selftest::check_examples;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// What a run takes for a setting neither the command line nor the
/// configuration gives (`config show` lists them).
const DEFAULT_PATH: &str = ".";
const DEFAULT_OUT: &str = "reports";
const DEFAULT_REPAIR: RepairSetting = RepairSetting::High;
const DEFAULT_FAIL_ON: FailOn = FailOn::Error;
/// One worker per core.
const DEFAULT_JOBS: usize = 0;

#[derive(Parser, Debug)]
#[command(
    name = "declass",
    version,
    about = "Audit transcriptions of declassified documents: stamps, declassification authorities, page furniture and noise; writes a cleaned text, a diff and a provenance report per document"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Audit documents: files, folders (walked for *.txt) or - for standard input.
    Audit(AuditArgs),
    /// Show the configuration in effect.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// List or test the rules.
    Rules {
        #[command(subcommand)]
        command: RulesCommand,
    },
    /// Prove fixity again: hash every original the reports in OUT name, and
    /// each report's cleaned text and diff, against the SHA-256 recorded.
    /// Exit 0 only when every file holds.
    Verify(VerifyArgs),
    /// Put the outputs of a run's shards (audit --shard K/N) together as
    /// the output of one run over every input: the report folders,
    /// summary.json, every --format and the exit code.
    Merge(MergeArgs),
}

#[derive(clap::Args, Debug)]
pub struct MergeArgs {
    /// The shards' output folders, every shard of the run once.
    #[arg(required = true)]
    shards: Vec<PathBuf>,
    /// Folder for the merged output [default: reports]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Folder of rule files the shards were audited with [default: built-in]
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Configuration file [default: declass.toml here or in a parent folder]
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
}

/// How a run (an audit, or shards merged) reports and ends: the formats,
/// the severity that fails it, the baseline.
#[derive(clap::Args, Debug)]
pub struct ReportArgs {
    /// Output format, as NAME (standard output) or NAME=FILE; repeat for
    /// several: human, json (the summary), jsonl (one finding per line),
    /// junit, github (workflow annotations), sarif (SARIF 2.1.0), prov
    /// (W3C PROV-JSON of the run), html (a static HTML report; html=DIR).
    #[arg(long = "format", value_name = "FORMAT[=FILE]", default_value = "human")]
    formats: Vec<FormatSpec>,
    /// Findings at or above this severity make the run fail (exit 1) [default: error]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Report and fail only on findings not recorded in this baseline.
    #[arg(long)]
    baseline: Option<PathBuf>,
    /// Record every finding of this run as a baseline.
    #[arg(long)]
    write_baseline: Option<PathBuf>,
}

impl ReportArgs {
    /// The `--fail-on` threshold over the configuration's, the baseline
    /// loaded, and the configuration's documentation links.
    fn apply(&self, file: &Config, options: &mut BatchOptions) -> anyhow::Result<()> {
        options.fail_on = self
            .fail_on
            .or(file.fail_on)
            .unwrap_or(DEFAULT_FAIL_ON)
            .threshold();
        options.baseline = self.baseline.as_deref().map(Baseline::load).transpose()?;
        options.sarif = file.sarif.clone();
        Ok(())
    }
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// The output folder of an audit (its report folders are read).
    out: PathBuf,
    /// Folder the collection is in now, once it has moved: each original
    /// is looked for under it by its recorded path, then by each shorter
    /// ending of that path [default: the paths as the audit recorded them].
    #[arg(long)]
    originals: Option<PathBuf>,
    /// Output format, as NAME (standard output) or NAME=FILE; repeat for
    /// several: human, json, jsonl, junit, github.
    #[arg(long = "format", value_name = "FORMAT", default_value = "human")]
    formats: Vec<FormatSpec>,
}

#[derive(clap::Args, Debug)]
pub struct AuditArgs {
    /// Files or folders to audit [default: the configuration's paths, or .]
    paths: Vec<PathBuf>,
    /// Folder for the reports [default: reports]
    #[arg(long)]
    out: Option<PathBuf>,
    /// Folder of rule files to use instead of the built-in rules.
    #[arg(long)]
    rules: Option<PathBuf>,
    /// Configuration file [default: declass.toml here or in a parent folder]
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
    /// Documents audited at once (0: one per core). Outputs are the same
    /// whatever the number.
    #[arg(long)]
    jobs: Option<usize>,
    /// No progress bar.
    #[arg(long)]
    quiet: bool,
    /// Files of a folder to read, as globs on the path below it
    /// (repeatable) [default: *.txt]. `.gitignore`, `.ignore` and
    /// `.declassignore` files are honoured, hidden files skipped.
    #[arg(long = "glob", value_name = "GLOB")]
    globs: Vec<String>,
    /// Files larger than this many bytes are hashed but not audited (at
    /// most 4294967294: a line or column of a report takes four bytes).
    #[arg(long, default_value_t = batch::DEFAULT_MAX_BYTES,
          value_parser = clap::value_parser!(u64).range(..=batch::LARGEST_MAX_BYTES))]
    max_bytes: u64,
    /// Repairs of OCR noise at or above this confidence change the
    /// cleaned text; the others are reported with their suggestion [default: high]
    #[arg(long, value_enum)]
    repair: Option<RepairSetting>,
    /// Footnote markup left by conversion (<sup>12</sup>): bracket it
    /// ([12]), drop it, or leave it [default: bracket]
    #[arg(long, value_enum)]
    markup: Option<MarkupArg>,
    /// Write the output folder as a BagIt 1.0 bag: the reports under data/,
    /// with bagit.txt, bag-info.txt and SHA-256 manifests.
    #[arg(long)]
    bag: bool,
    /// With --bag (implied): copy each original into data/originals/.
    #[arg(long)]
    bag_originals: bool,
    /// Audit only shard K of N (0 ≤ K < N): the documents whose path hashes
    /// to K. Each shard writes its reports, its summary and shard.json;
    /// `declass merge` puts the shards together as one run.
    #[arg(long, value_name = "K/N")]
    shard: Option<declass::batch::shard::Shard>,
    /// Keep each document's outputs in this folder, and reuse them when
    /// its bytes, path, the rules, the options and the version are the
    /// same (a damaged entry is found and replaced) [default: the
    /// configuration's cache, or none]
    #[arg(long, value_name = "DIR")]
    cache: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum RulesCommand {
    /// List every rule: id, category, severity, description.
    List {
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Write the rules' reference page instead: HTML, a section per
        /// rule and built-in check anchored by its id (what the SARIF log's
        /// help links can point to, once published).
        #[arg(long)]
        html: bool,
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Run every rule's own examples (and those of the date formats).
    Test {
        #[arg(long)]
        rules: Option<PathBuf>,
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum MarkupArg {
    Bracket,
    Drop,
    Leave,
}

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the configuration that an audit here would use, as TOML.
    Show {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Done, nothing to report.
    Success,
    /// Findings at the `--fail-on` severity, or failing rule examples.
    Findings,
    /// An input could not be read.
    Trouble,
}

/// Writes to standard output; `false` when a reader closed the pipe (as
/// `head` does), which ends the output quietly, as ripgrep does.
fn to_stdout(text: &str) -> bool {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => false,
        Err(_) => false,
    }
}

fn load_config(file: Option<&Path>) -> anyhow::Result<Loaded> {
    let here = std::env::current_dir().context("current folder")?;
    Ok(Config::load(file, &here)?)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<Ended> {
    match cli.command {
        Command::Audit(args) => audit(args),
        Command::Verify(args) => verify(args),
        Command::Merge(args) => merge(args),
        Command::Config {
            command: ConfigCommand::Show { config },
        } => {
            let loaded = load_config(config.as_deref())?;
            match &loaded.file {
                Some(file) => to_stdout(&format!("# from {}\n", file.display())),
                None => to_stdout(&format!("# no {CONFIG_FILE} found: defaults\n")),
            };
            to_stdout(&loaded.config.to_toml());
            to_stdout(&defaults_unset(&loaded.config));
            Ok(Ended::Success)
        }
        Command::Rules {
            command:
                RulesCommand::List {
                    rules,
                    html,
                    config,
                },
        } => {
            let config = load_config(config.as_deref())?.config;
            let rules = RuleSet::configured(rules.as_deref(), &config)?;
            to_stdout(&if html {
                declass::formats::rules_page::rules_page(&rules)
            } else {
                rules.listing()
            });
            Ok(Ended::Success)
        }
        Command::Rules {
            command: RulesCommand::Test { rules, config },
        } => {
            let config = load_config(config.as_deref())?.config;
            let rules = RuleSet::configured(rules.as_deref(), &config)?;
            let mut failures = rules.test_examples();
            failures.extend(check_examples(&rules));
            let examples = rules.example_count() + Check::ALL.len();
            for failure in &failures {
                eprintln!("FAIL {failure}");
            }
            to_stdout(&format!(
                "{} rules and {} built-in checks, {} examples: {} passed, {} failed\n",
                rules.rules().len(),
                Check::ALL.len(),
                examples,
                examples.saturating_sub(failures.len()),
                failures.len()
            ));
            Ok(if failures.is_empty() {
                Ended::Success
            } else {
                Ended::Findings
            })
        }
    }
}

/// The settings `file` leaves unset, with what a run takes for them, as
/// commented TOML lines.
fn defaults_unset(file: &Config) -> String {
    let mut unset = Config::default();
    if file.paths.is_empty() {
        unset.paths = vec![PathBuf::from(DEFAULT_PATH)];
    }
    if file.glob.is_empty() {
        unset.glob = vec![format!("*.{}", batch::INPUT_EXTENSION)];
    }
    unset.out = file.out.is_none().then(|| PathBuf::from(DEFAULT_OUT));
    unset.repair = file.repair.is_none().then_some(DEFAULT_REPAIR);
    unset.markup = file.markup.is_none().then(Markup::default);
    unset.fail_on = file.fail_on.is_none().then_some(DEFAULT_FAIL_ON);
    unset.jobs = file.jobs.is_none().then_some(DEFAULT_JOBS);
    let lines: String = unset
        .to_toml()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| match l {
            "jobs = 0" => format!("# {l}  (one worker a core)\n"),
            _ => format!("# {l}\n"),
        })
        .collect();
    if lines.is_empty() {
        return lines;
    }
    format!(
        "\n# not set, so the defaults (an option on the command line overrides either):\n{lines}"
    )
}

impl AuditArgs {
    /// The batch options: the command line over the configuration file over
    /// the defaults.
    fn options(self, file: &Config) -> anyhow::Result<BatchOptions> {
        let generated_at = batch::generated_at_from_env().map_err(anyhow::Error::msg)?;
        let include = if self.globs.is_empty() {
            file.glob.clone()
        } else {
            self.globs
        };
        let selection = if include.is_empty() && file.ignore.is_empty() {
            batch::Selection::default()
        } else {
            let include = if include.is_empty() {
                vec![format!("*.{}", batch::INPUT_EXTENSION)]
            } else {
                include
            };
            batch::Selection::new(&include, &file.ignore).context("--glob or ignore")?
        };
        let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
        let paths = if !self.paths.is_empty() {
            self.paths
        } else if !file.paths.is_empty() {
            file.paths.clone()
        } else {
            vec![PathBuf::from(DEFAULT_PATH)]
        };
        let mut options = BatchOptions {
            paths,
            out: self
                .out
                .or(file.out.clone())
                .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT)),
            max_bytes: self.max_bytes,
            jobs: self.jobs.or(file.jobs).unwrap_or(DEFAULT_JOBS),
            fail_on: None,
            progress: interactive && !self.quiet,
            shard: self.shard,
            cache: self.cache.or(file.cache.clone()),
            selection,
            baseline: None,
            sarif: Default::default(),
            audit: AuditOptions {
                generated_at,
                repair: self
                    .repair
                    .or(file.repair)
                    .unwrap_or(DEFAULT_REPAIR)
                    .threshold(),
                markup: match self.markup {
                    Some(MarkupArg::Bracket) => Markup::Bracket,
                    Some(MarkupArg::Drop) => Markup::Drop,
                    Some(MarkupArg::Leave) => Markup::Leave,
                    None => file.markup.unwrap_or_default(),
                },
                severity: file.severity.clone(),
            },
        };
        self.report.apply(file, &mut options)?;
        Ok(options)
    }
}

fn audit(args: AuditArgs) -> anyhow::Result<Ended> {
    let file = load_config(args.config.as_deref())?.config;
    let rules = RuleSet::configured(args.rules.as_deref(), &file)?;
    let formats = args.report.formats.clone();
    let write_baseline = args.report.write_baseline.clone();
    if args.shard.is_some() && (args.bag || args.bag_originals) {
        anyhow::bail!("--shard writes one part of a run: bag the merged output, not a shard");
    }
    let bag = (args.bag || args.bag_originals).then(|| BagOptions {
        originals: args.bag_originals,
        info: file.bag_info.clone(),
    });
    let mut options = args.options(&file)?;
    // A bag's reports are its payload, under data/.
    let bag_root = bag.as_ref().map(|_| options.out.clone());
    if let Some(root) = &bag_root {
        options.out = root.join(DATA_DIR);
    }
    let result = batch::run(&options, &rules)?;
    write_outputs(
        &result,
        &rules,
        &options,
        &formats,
        write_baseline.as_deref(),
    )?;
    // The bag's manifests last: they cover every file written into data/,
    // an HTML report there included.
    if let (Some(bag), Some(root)) = (&bag, &bag_root) {
        if bag.originals {
            copy_originals(root, &result.summary)?;
        }
        write_tags(
            root,
            bag,
            rules.sha256(),
            options.audit.generated_at.as_deref(),
        )?;
    }
    Ok(ended(result.outcome))
}

fn ended(outcome: Outcome) -> Ended {
    match outcome {
        Outcome::Clean => Ended::Success,
        Outcome::Findings => Ended::Findings,
        Outcome::InputFailed => Ended::Trouble,
    }
}

/// What a run writes besides its reports and summary: the baseline asked
/// for, its problems on standard error, and every format.
fn write_outputs(
    result: &batch::BatchResult,
    rules: &RuleSet,
    options: &BatchOptions,
    formats: &[FormatSpec],
    write_baseline: Option<&Path>,
) -> anyhow::Result<()> {
    if let Some(file) = write_baseline {
        let mut recorder = declass::batch::baseline::Recorder::default();
        result.each_document(|doc| recorder.add(doc));
        let record = recorder.finish();
        write_atomic(file, record.to_json().as_bytes())
            .with_context(|| format!("cannot write {}", file.display()))?;
    }
    // Each problem once, on standard error; the human summary counts them.
    for problem in &result.summary.unreadable {
        eprintln!("declass: {}", problem.reason);
    }
    for note in &result.notes {
        eprintln!("declass: {note}");
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for spec in formats {
        let style = Style {
            color: color && spec.file.is_none(),
            fail_on: options.fail_on,
        };
        if spec.format == formats::Format::Html {
            let dir = spec
                .file
                .clone()
                .unwrap_or_else(|| options.out.join(declass::audit::report::HTML_DIR));
            formats::html::write_pages(result, options, |path, text| {
                let path = dir.join(path);
                write_atomic(&path, text.as_bytes())
                    .with_context(|| format!("cannot write {}", path.display()))
            })?;
            continue;
        }
        let write = |out: &mut dyn std::io::Write| {
            formats::write(out, spec.format, result, rules, options, style)
        };
        if !emit(spec, &write)? {
            break;
        }
    }
    Ok(())
}

fn merge(args: MergeArgs) -> anyhow::Result<Ended> {
    let file = load_config(args.config.as_deref())?.config;
    let rules = RuleSet::configured(args.rules.as_deref(), &file)?;
    let out = args
        .out
        .or(file.out.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    let mut options = BatchOptions::new(Vec::new(), out);
    args.report.apply(&file, &mut options)?;
    let tool = declass::audit::report::Tool::new(rules.sha256());
    let (result, options) = declass::merge::merge(&args.shards, &tool, &options)?;
    write_outputs(
        &result,
        &rules,
        &options,
        &args.report.formats,
        args.report.write_baseline.as_deref(),
    )?;
    Ok(ended(result.outcome))
}

/// Writes a format where its spec says, streamed through a buffer:
/// standard output (`false` once the reader has gone: a broken pipe ends
/// the output quietly) or a file, atomically.
fn emit(
    spec: &FormatSpec,
    write: &dyn Fn(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> anyhow::Result<bool> {
    use std::io::Write;
    match &spec.file {
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            Ok(write(&mut out).and_then(|()| out.flush()).is_ok())
        }
        Some(file) => {
            write_atomic_with(file, write)
                .with_context(|| format!("cannot write {}", file.display()))?;
            Ok(true)
        }
    }
}

fn verify(args: VerifyArgs) -> anyhow::Result<Ended> {
    let checked = declass::verify::verify(&args.out, args.originals.as_deref())?;
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for spec in &args.formats {
        let style = Style {
            color: color && spec.file.is_none(),
            fail_on: Some(declass::model::Severity::Error),
        };
        let text = formats::fixity::render(spec.format, &checked, style)
            .context("verify writes human, json, jsonl, junit or github (sarif describes an analysis's rules, prov an audit)")?;
        if !emit(spec, &|out| out.write_all(text.as_bytes()))? {
            break;
        }
    }
    let holds = checked
        .iter()
        .all(|c| c.fixity == declass::verify::Fixity::Ok);
    Ok(if holds {
        Ended::Success
    } else {
        Ended::Findings
    })
}
