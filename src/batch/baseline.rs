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
        let mut record = Recorder::default();
        documents.iter().for_each(|doc| record.add(doc));
        record.finish()
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

    /// The baseline as an index for filtering documents one at a time.
    pub fn index(&self) -> BaselineIndex {
        BaselineIndex {
            counts: self
                .findings
                .iter()
                .map(|e| ((e.path.clone(), e.rule.clone(), e.text.clone()), e.count))
                .collect(),
        }
    }

    /// Removes the findings the baseline knows; returns how many.
    pub fn filter(&self, documents: &mut [DocumentFindings]) -> usize {
        let index = self.index();
        documents.iter_mut().map(|doc| index.filter(doc)).sum()
    }
}

/// A baseline recorded document by document.
#[derive(Debug, Default)]
pub struct Recorder {
    counts: BTreeMap<Key, usize>,
}

impl Recorder {
    /// Records every finding of one document.
    pub fn add(&mut self, doc: &DocumentFindings) {
        for f in &doc.findings {
            *self
                .counts
                .entry((doc.path.clone(), f.rule.to_string(), f.text.to_string()))
                .or_default() += 1;
        }
    }

    pub fn finish(self) -> Baseline {
        Baseline {
            schema_version: BASELINE_VERSION,
            findings: self
                .counts
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
}

/// A baseline's entries by key, built once for a run.
#[derive(Debug, Clone, Default)]
pub struct BaselineIndex {
    counts: BTreeMap<Key, usize>,
}

impl BaselineIndex {
    /// Removes from one document the findings the baseline knows (as many
    /// of each as it records); returns how many. Documents are independent:
    /// a key names its document's path.
    pub fn filter(&self, doc: &mut DocumentFindings) -> usize {
        let mut used: BTreeMap<Key, usize> = BTreeMap::new();
        let before = doc.findings.len();
        doc.findings.retain(|f| {
            let key = (doc.path.clone(), f.rule.to_string(), f.text.to_string());
            let recorded = self.counts.get(&key).copied().unwrap_or(0);
            let n = used.entry(key).or_default();
            if *n < recorded {
                *n += 1;
                false
            } else {
                true
            }
        });
        before - doc.findings.len()
    }
}
