//! The `declass` command line: parses arguments, calls the library, and maps
//! the outcome to an exit code (0 success, 1 error findings, 2 bad usage,
//! unreadable rules or input).

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};
use declass::baseline::Baseline;
use declass::batch::{self, BatchOptions, Outcome};
use declass::config::{Config, FailOn, RepairSetting, CONFIG_FILE};
use declass::formats::{self, FormatSpec, Style};
use declass::model::Markup;
use declass::output::write_atomic;
use declass::pipeline::AuditOptions;
use declass::rules::builtin_check;
use declass::rules::RuleSet;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "declass",
    version,
    about = "Audit transcriptions of declassified documents: stamps, declassification authorities, page furniture and noise; writes a cleaned text, a diff and a provenance report per document"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Audit documents: files, folders (walked for *.txt) or - for standard input.
    Audit {
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
        /// Output format, as NAME (standard output) or NAME=FILE; repeat for
        /// several: human, json (the summary), jsonl (one finding per line),
        /// junit, github (workflow annotations), sarif (SARIF 2.1.0).
        #[arg(long = "format", value_name = "FORMAT[=FILE]", default_value = "human")]
        formats: Vec<FormatSpec>,
        /// Findings at or above this severity make the run fail (exit 1) [default: error]
        #[arg(long, value_enum)]
        fail_on: Option<FailOn>,
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
        /// Files larger than this many bytes are hashed but not audited.
        #[arg(long, default_value_t = batch::DEFAULT_MAX_BYTES)]
        max_bytes: u64,
        /// Report and fail only on findings not recorded in this baseline.
        #[arg(long)]
        baseline: Option<PathBuf>,
        /// Record every finding of this run as a baseline.
        #[arg(long)]
        write_baseline: Option<PathBuf>,
        /// Repairs of OCR noise at or above this confidence change the
        /// cleaned text; the others are reported with their suggestion [default: high]
        #[arg(long, value_enum)]
        repair: Option<RepairSetting>,
        /// Footnote markup left by conversion (<sup>12</sup>): bracket it
        /// ([12]), drop it, or leave it [default: bracket]
        #[arg(long, value_enum)]
        markup: Option<MarkupArg>,
    },
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
}

#[derive(Subcommand, Debug)]
enum RulesCommand {
    /// List every rule: id, category, severity, description.
    List {
        #[arg(long)]
        rules: Option<PathBuf>,
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
enum MarkupArg {
    Bracket,
    Drop,
    Leave,
}

#[derive(Subcommand, Debug)]
enum ConfigCommand {
    /// Print the configuration that an audit here would use, as TOML.
    Show {
        #[arg(long)]
        config: Option<PathBuf>,
    },
}

const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

fn load_config(file: Option<&std::path::Path>) -> anyhow::Result<declass::config::Loaded> {
    let here = std::env::current_dir().context("current folder")?;
    Ok(Config::load(file, &here)?)
}

/// The rules an audit uses: `--rules DIR` or the built-in rules, with the
/// configuration's extra rule folders, less its disabled rules.
fn rules_in_effect(dir: Option<&std::path::Path>, config: &Config) -> anyhow::Result<RuleSet> {
    Ok(RuleSet::load(dir, &config.rules)?.without(&config.disable)?)
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Audit {
            paths,
            out,
            rules,
            config,
            formats,
            fail_on,
            jobs,
            quiet,
            globs,
            max_bytes,
            baseline,
            write_baseline,
            repair,
            markup,
        } => {
            let baseline = baseline.as_deref().map(Baseline::load).transpose()?;
            let loaded = load_config(config.as_deref())?;
            let file = loaded.config;
            let rules = rules_in_effect(rules.as_deref(), &file)?;
            for id in file.severity.keys() {
                let known =
                    rules.rules().iter().any(|r| &r.id == id) || builtin_check(id).is_some();
                anyhow::ensure!(
                    known,
                    "severity override for `{id}`, which is no rule or check"
                );
            }
            let generated_at = batch::generated_at_from_env().map_err(anyhow::Error::msg)?;
            let fail_on = fail_on
                .or(file.fail_on)
                .unwrap_or(FailOn::Error)
                .threshold();
            let include = if globs.is_empty() {
                file.glob.clone()
            } else {
                globs
            };
            let selection = if include.is_empty() && file.ignore.is_empty() {
                batch::Selection::default()
            } else {
                let include = if include.is_empty() {
                    vec!["*.txt".to_string()]
                } else {
                    include
                };
                batch::Selection::new(&include, &file.ignore).context("--glob or ignore")?
            };
            let interactive = std::io::stderr().is_terminal() && std::env::var_os("CI").is_none();
            let paths = if !paths.is_empty() {
                paths
            } else if !file.paths.is_empty() {
                file.paths.clone()
            } else {
                vec![PathBuf::from(".")]
            };
            let options = BatchOptions {
                paths,
                out: out
                    .or(file.out.clone())
                    .unwrap_or_else(|| PathBuf::from("reports")),
                max_bytes,
                jobs: jobs.or(file.jobs).unwrap_or(0),
                fail_on,
                progress: interactive && !quiet,
                selection,
                baseline,
                audit: AuditOptions {
                    generated_at,
                    repair: repair
                        .or(file.repair)
                        .unwrap_or(RepairSetting::High)
                        .threshold(),
                    markup: match markup {
                        Some(MarkupArg::Bracket) => Markup::Bracket,
                        Some(MarkupArg::Drop) => Markup::Drop,
                        Some(MarkupArg::Leave) => Markup::Leave,
                        None => file.markup.unwrap_or_default(),
                    },
                    severity: file.severity.clone(),
                },
            };
            let result = batch::run(&options, &rules)?;
            if let Some(file) = &write_baseline {
                let record = Baseline::from_documents(&result.all_documents);
                write_atomic(file, record.to_json().as_bytes())
                    .with_context(|| format!("cannot write {}", file.display()))?;
            }
            for problem in &result.summary.unreadable {
                eprintln!("declass: {}", problem.reason);
            }
            let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            for spec in &formats {
                let style = Style {
                    color: color && spec.file.is_none(),
                    fail_on,
                };
                let text = formats::render(spec.format, &result, &rules, &options.out, style);
                match &spec.file {
                    None => print!("{text}"),
                    Some(file) => write_atomic(file, text.as_bytes())
                        .with_context(|| format!("cannot write {}", file.display()))?,
                }
            }
            Ok(match result.outcome {
                Outcome::Clean => ExitCode::SUCCESS,
                Outcome::Findings => ExitCode::from(EXIT_FINDINGS),
                Outcome::InputFailed => ExitCode::from(EXIT_TROUBLE),
            })
        }
        Command::Config {
            command: ConfigCommand::Show { config },
        } => {
            let loaded = load_config(config.as_deref())?;
            match &loaded.file {
                Some(file) => println!("# from {}", file.display()),
                None => println!("# no {CONFIG_FILE} found: defaults"),
            }
            print!("{}", loaded.config.to_toml());
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::List { rules, config },
        } => {
            let config = load_config(config.as_deref())?.config;
            print!("{}", rules_in_effect(rules.as_deref(), &config)?.listing());
            Ok(ExitCode::SUCCESS)
        }
        Command::Rules {
            command: RulesCommand::Test { rules, config },
        } => {
            let config = load_config(config.as_deref())?.config;
            let rules = rules_in_effect(rules.as_deref(), &config)?;
            let failures = rules.test_examples();
            let examples = rules.example_count();
            for failure in &failures {
                eprintln!("FAIL {failure}");
            }
            println!(
                "{} rules, {} examples: {} passed, {} failed",
                rules.rules().len(),
                examples,
                examples.saturating_sub(failures.len()),
                failures.len()
            );
            Ok(if failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_FINDINGS)
            })
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(EXIT_TROUBLE)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("declass: {err:#}");
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}
