//! Classification stage: the markings found by classification rules, with
//! their level and whether they are struck through, and the highest level.

use crate::audit::decode::Document;
use crate::audit::scan::Match;
use crate::diagnostic::column_of;
use crate::model::{Category, Level};
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marking {
    pub line: usize,
    pub column: usize,
    pub level: Level,
    pub struck: bool,
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The highest level marked anywhere, struck or not; `null` when unmarked.
    pub highest: Option<Level>,
    pub markings: Vec<Marking>,
}

pub fn classify(doc: &Document, rules: &RuleSet, matches: &[Match]) -> Classification {
    let markings: Vec<Marking> = matches
        .iter()
        .filter(|m| rules.get(m.rule).category == Category::Classification)
        .filter_map(|m| {
            let text = doc.line(m.line);
            Some(Marking {
                line: m.line + 1,
                column: column_of(text, m.start),
                level: m.level.clone()?,
                struck: m.struck,
                text: text[m.start..m.end].trim().to_string(),
            })
        })
        .collect();
    Classification {
        highest: markings
            .iter()
            .max_by_key(|m| rules.vocabulary().rank(&m.level))
            .map(|m| m.level.clone()),
        markings,
    }
}
