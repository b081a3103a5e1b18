//! The `declass` command line: parses arguments, runs the command, and maps
//! how it ended to an exit code (0 success, 1 findings at the `--fail-on`
//! severity or failing rule examples, 2 bad usage, unreadable rules,
//! configuration or input).

mod cli;

use clap::Parser;
use cli::{Cli, Ended};
use std::process::ExitCode;

/// jemalloc, which returns freed pages to the system a second after they
/// are freed (`.cargo/config.toml`): a long document's audit frees much
/// on its way (the scan's readings, the edits once made).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const EXIT_FINDINGS: u8 = 1;
const EXIT_TROUBLE: u8 = 2;

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
    match cli::run(cli) {
        Ok(Ended::Success) => ExitCode::SUCCESS,
        Ok(Ended::Findings) => ExitCode::from(EXIT_FINDINGS),
        Ok(Ended::Trouble) => ExitCode::from(EXIT_TROUBLE),
        Err(err) => {
            eprintln!("declass: {}", said_once(&err));
            ExitCode::from(EXIT_TROUBLE)
        }
    }
}

/// The error and its causes, `: ` between them, each cause left out where
/// the message before it says it already (the library's errors quote the
/// error of the system that caused them).
fn said_once(err: &anyhow::Error) -> String {
    let mut text = err.to_string();
    for cause in err.chain().skip(1) {
        let cause = cause.to_string();
        if !text.contains(&cause) {
            text.push_str(": ");
            text.push_str(&cause);
        }
    }
    text
}
