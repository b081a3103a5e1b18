//! Shards of a run (`--shard K/N`): each document belongs to one shard by a
//! stable hash of its path, so that adding a file moves no other file
//! between shards; each shard writes its documents' reports and summary as
//! a run does, and `shard.json`, which says what `declass merge` needs to
//! put the shards together as one run over every input.

use crate::audit::report::Tool;
use crate::batch::summary::InputProblem;
use crate::model::Confidence;
use crate::model::Markup;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::str::FromStr;

pub use crate::audit::report::SHARD_FILE;

/// Shard `index` of `count` (0 ≤ index < count).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("a shard is K/N (0 ≤ K < N), not {text:?}"))?;
        let parse = |n: &str| n.trim().parse::<usize>().ok();
        match (parse(index), parse(count)) {
            (Some(index), Some(count)) if index < count => Ok(Shard { index, count }),
            _ => Err(format!("a shard is K/N with 0 ≤ K < N, not {text:?}")),
        }
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether the document read at `path` (as its report records it)
    /// belongs to this shard: the first eight bytes of the path's SHA-256,
    /// modulo the number of shards.
    pub fn holds(&self, path: &str) -> bool {
        let digest = Sha256::digest(path.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % self.count as u64) as usize == self.index
    }
}

/// The options of a run that its outputs record, which every shard must
/// share and the merge writes again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunOptions {
    pub repair: Option<Confidence>,
    pub markup: Markup,
    pub max_bytes: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_at: Option<String>,
}

/// What a shard writes to `shard.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub shard: Shard,
    pub tool: Tool,
    pub options: RunOptions,
    /// How many documents the whole run has, over every shard.
    pub inputs: usize,
    /// For each row of this shard's summary, in order, its place among all
    /// the run's documents.
    pub order: Vec<usize>,
    /// Problems met while looking for the inputs (every shard meets the
    /// same ones): they come first in the run's list of unreadable inputs.
    pub search_problems: Vec<InputProblem>,
    /// This shard's documents that could not be read or written, with
    /// their place among all the run's documents.
    pub failed: Vec<(usize, InputProblem)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_parse_and_split_documents_stably() {
        assert_eq!("1/4".parse::<Shard>(), Ok(Shard { index: 1, count: 4 }));
        for bad in ["4/4", "1", "a/b", "1/0", "-1/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
        // Each path in exactly one shard, whatever the others.
        let paths: Vec<String> = (0..200).map(|n| format!("docs/{n}.txt")).collect();
        for count in [1, 3, 4] {
            let mut sizes = vec![0; count];
            for path in &paths {
                let owners: Vec<usize> = (0..count)
                    .filter(|&index| Shard { index, count }.holds(path))
                    .collect();
                assert_eq!(owners.len(), 1, "{path}");
                sizes[owners[0]] += 1;
            }
            assert!(sizes.iter().all(|&n| n > 0), "{sizes:?}");
        }
    }
}
