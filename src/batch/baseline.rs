//! Baselines: a record of the findings a collection already has, so that a
//! CI run reports and fails only on new ones. Findings are matched by
//! document path, rule and the text they matched — not by line number or file
//! hash — so editing an unrelated line of a document does not wake old
//! findings; a finding that occurs twice needs two entries.

use crate::batch::summary::DocumentFindings;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub rule: String,
    pub text: String,
    /// How many findings of the document read so.
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub schema_version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{path}: cannot read baseline: {source}")]
    Io {
        path: std::path::PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not a declass baseline: {reason}")]
    Invalid {
        path: std::path::PathBuf,
        reason: String,
    },
}

type Key = (String, String, String);

impl Baseline {
    /// Records every finding of the documents.
    pub fn from_documents(documents: &[DocumentFindings]) -> Baseline {
        let mut counts: BTreeMap<Key, usize> = BTreeMap::new();
        for doc in documents {
            for f in &doc.findings {
                *counts
                    .entry((doc.path.clone(), f.rule.clone(), f.text.clone()))
                    .or_default() += 1;
            }
        }
        Baseline {
            schema_version: BASELINE_VERSION,
            findings: counts
                .into_iter()
                .map(|((path, rule, text), count)| Entry {
                    path,
                    rule,
                    text,
                    count,
                })
                .collect(),
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let text = std::fs::read_to_string(path).map_err(|source| BaselineError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        serde_json::from_str(&text).map_err(|e| BaselineError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).map_or_else(
            |e| format!("{{\"error\": {:?}}}", e.to_string()),
            |s| s + "\n",
        )
    }

    /// Removes the findings the baseline knows; returns how many.
    pub fn filter(&self, documents: &mut [DocumentFindings]) -> usize {
        let mut left: BTreeMap<Key, usize> = self
            .findings
            .iter()
            .map(|e| ((e.path.clone(), e.rule.clone(), e.text.clone()), e.count))
            .collect();
        let mut known = 0;
        for doc in documents {
            doc.findings.retain(|f| {
                let key = (doc.path.clone(), f.rule.clone(), f.text.clone());
                match left.get_mut(&key) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        known += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        known
    }
}
