//! The options of an audit that do not come from the document or the
//! rules: timestamp, `--repair`, `--markup`, severities of the
//! configuration.

use crate::diagnostic::{Change, Edit};
use crate::model::{ActionKind, Confidence, Markup, Severity};
use std::collections::BTreeMap;

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
    pub severity: BTreeMap<String, Severity>,
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

    /// The edit as it is made, or `None` when `--repair` or `--markup`
    /// leave the text as it is.
    pub fn keep(&self, mut edit: Edit) -> Option<Edit> {
        if edit.confidence.is_some_and(|c| !self.repairs(c)) {
            return None;
        }
        if edit.markup {
            match self.markup {
                Markup::Bracket => {}
                Markup::Leave => return None,
                Markup::Drop => {
                    if let Change::Span(span) = &mut edit.change {
                        span.kind = ActionKind::RemoveMatch;
                        span.replacement.clear();
                    }
                }
            }
        }
        Some(edit)
    }
}
