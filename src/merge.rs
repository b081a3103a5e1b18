//! `declass merge`: the outputs of the shards of a run (`--shard K/N`) put
//! together as the output of one run over every input — the report
//! folders, `summary.json`, every format and the exit code, byte for byte
//! what one run writes. Every shard of the run must be there once, audited
//! by the same version with the same rules and options.

use crate::audit::report::{Tool, CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE, SUMMARY_FILE};
use crate::batch::baseline::Baseline;
use crate::batch::findings::{from_report, outcome, Findings};
use crate::batch::output::{Content, OutputRoot};
use crate::batch::shard::{ShardManifest, SHARD_FILE};
use crate::batch::{
    conclude, write_summary, BatchOptions, BatchResult, DocumentFindings, InputProblem, Summary,
    SummaryRow,
};
use crate::error::MergeError;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One shard's output folder, read.
struct ShardOutput {
    dir: PathBuf,
    manifest: ShardManifest,
    summary: Summary,
}

fn read(path: &Path) -> Result<Vec<u8>, MergeError> {
    std::fs::read(path).map_err(|source| MergeError::Read {
        path: path.to_path_buf(),
        source,
    })
}

fn parse<T: for<'de> Deserialize<'de>>(path: &Path, bytes: &[u8]) -> Result<T, MergeError> {
    serde_json::from_slice(bytes).map_err(|e| MergeError::Invalid {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })
}

fn read_shard(dir: &Path) -> Result<ShardOutput, MergeError> {
    let manifest_path = dir.join(SHARD_FILE);
    if !manifest_path.is_file() {
        return Err(MergeError::NotAShard {
            path: dir.to_path_buf(),
        });
    }
    let manifest: ShardManifest = parse(&manifest_path, &read(&manifest_path)?)?;
    let summary_path = dir.join(SUMMARY_FILE);
    let summary: Summary = parse(&summary_path, &read(&summary_path)?)?;
    if summary.documents.len() != manifest.order.len() {
        return Err(MergeError::Invalid {
            path: manifest_path,
            reason: format!(
                "{} documents in the summary, {} in the shard's order",
                summary.documents.len(),
                manifest.order.len()
            ),
        });
    }
    Ok(ShardOutput {
        dir: dir.to_path_buf(),
        manifest,
        summary,
    })
}

/// Checks that the shards are one run's, each there once.
fn check(shards: &[ShardOutput], tool: &Tool) -> Result<(), MergeError> {
    let Some(first) = shards.first() else {
        return Err(MergeError::Missing { shard: 0, count: 1 });
    };
    let count = first.manifest.shard.count;
    let mut seen: Vec<Option<&Path>> = vec![None; count];
    for shard in shards {
        let m = &shard.manifest;
        let mismatch = |what, theirs: String, ours: String| MergeError::Mismatch {
            path: shard.dir.clone(),
            first: first.dir.clone(),
            what,
            theirs,
            ours,
        };
        if m.shard.count != count {
            return Err(mismatch(
                "the number of shards",
                m.shard.count.to_string(),
                count.to_string(),
            ));
        }
        if m.tool != first.manifest.tool {
            return Err(mismatch(
                "the version or rules",
                format!("{:?}", m.tool),
                format!("{:?}", first.manifest.tool),
            ));
        }
        if m.options != first.manifest.options {
            return Err(mismatch(
                "the options",
                format!("{:?}", m.options),
                format!("{:?}", first.manifest.options),
            ));
        }
        if m.inputs != first.manifest.inputs || m.search_problems != first.manifest.search_problems
        {
            return Err(mismatch(
                "the inputs",
                m.inputs.to_string(),
                first.manifest.inputs.to_string(),
            ));
        }
        match seen[m.shard.index] {
            Some(other) => {
                return Err(MergeError::Duplicate {
                    shard: m.shard.to_string(),
                    first: other.to_path_buf(),
                    second: shard.dir.clone(),
                })
            }
            None => seen[m.shard.index] = Some(&shard.dir),
        }
    }
    if let Some(missing) = seen.iter().position(Option::is_none) {
        return Err(MergeError::Missing {
            shard: missing,
            count,
        });
    }
    if first.manifest.tool != *tool {
        return Err(MergeError::Mismatch {
            path: first.dir.clone(),
            first: PathBuf::from("this declass"),
            what: "the version or rules",
            theirs: format!("{:?}", first.manifest.tool),
            ours: format!("{tool:?}"),
        });
    }
    Ok(())
}

/// Copies a document's report folder into the merged output, and reads
/// its findings back.
fn take_report(
    root: &OutputRoot,
    shard: &Path,
    row: &SummaryRow,
) -> Result<DocumentFindings, MergeError> {
    let folder = shard.join(&row.report);
    let mut contents = Vec::new();
    for name in [CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE] {
        let path = folder.join(name);
        if name == PROVENANCE_FILE || path.exists() {
            contents.push((name, read(&path)?));
        }
    }
    let provenance = folder.join(PROVENANCE_FILE);
    let findings =
        from_report(&contents[contents.len() - 1].1).map_err(|e| MergeError::Invalid {
            path: provenance,
            reason: e.to_string(),
        })?;
    let files: Vec<(&str, Content)> = contents
        .iter()
        .map(|(name, bytes)| (*name, Content::Bytes(bytes)))
        .collect();
    root.write_folder(Path::new(&row.report), &files)?;
    Ok(findings)
}

/// Merges the shards' outputs into `options.out` (which must be none of
/// them) and returns the run's result, as one run over every input would.
/// `options` gives the merge's own choices (output folder, `--fail-on`,
/// baseline); the options the shards recorded are set in the returned copy.
pub fn merge(
    shard_dirs: &[PathBuf],
    tool: &Tool,
    options: &BatchOptions,
) -> Result<(BatchResult, BatchOptions), MergeError> {
    let shards = shard_dirs
        .iter()
        .map(|d| read_shard(d))
        .collect::<Result<Vec<_>, _>>()?;
    check(&shards, tool)?;
    let root = OutputRoot::create(&options.out)?;
    for shard in &shards {
        if shard.dir.canonicalize().ok().as_deref() == Some(root.canonical()) {
            return Err(MergeError::Invalid {
                path: shard.dir.clone(),
                reason: "the merged output cannot be one of the shards".into(),
            });
        }
    }
    root.sweep();
    let mut rows: Vec<(usize, &ShardOutput, &SummaryRow)> = shards
        .iter()
        .flat_map(|s| {
            s.manifest
                .order
                .iter()
                .zip(&s.summary.documents)
                .map(move |(&i, row)| (i, s, row))
        })
        .collect();
    rows.sort_by_key(|(index, _, _)| *index);
    // Each document's findings read once, for what they say for the run;
    // the formats read them again from the merged reports.
    let baseline = options.baseline.as_ref().map(Baseline::index);
    let mut outcomes = Vec::with_capacity(rows.len());
    for (_, shard, row) in &rows {
        let findings = take_report(&root, &shard.dir, row)?;
        outcomes.push(outcome(findings, baseline.as_ref(), options.fail_on));
    }
    let first = &shards[0].manifest;
    let mut failed: Vec<&(usize, InputProblem)> =
        shards.iter().flat_map(|s| &s.manifest.failed).collect();
    failed.sort_by_key(|(index, _)| *index);
    let unreadable: Vec<InputProblem> = first
        .search_problems
        .iter()
        .cloned()
        .chain(failed.into_iter().map(|(_, p)| p.clone()))
        .collect();
    let mut run = options.clone();
    run.max_bytes = first.options.max_bytes;
    run.audit.repair = first.options.repair;
    run.audit.markup = first.options.markup;
    run.audit.generated_at = first.options.generated_at.clone();
    let rows = rows.into_iter().map(|(_, _, row)| row.clone()).collect();
    let findings = Findings::Reports {
        out: run.out.clone(),
    };
    let result = conclude(
        (rows, &outcomes),
        unreadable,
        tool.clone(),
        &run,
        findings,
        baseline,
    );
    write_summary(&root, &result.summary)?;
    Ok((result, run))
}
