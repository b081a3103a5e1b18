//! How the findings of a run are shown: colour, and which severities fail
//! the run.

use crate::model::Severity;

/// How the findings of a run are shown.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    /// Findings at or above this severity fail the run (`None`: never).
    pub fail_on: Option<Severity>,
}

/// Whether findings of `severity` fail the run.
pub fn failing(style: Style, severity: Severity) -> bool {
    style.fail_on.is_some_and(|threshold| severity >= threshold)
}
