//! The inputs of a run: files named on the command line, folders walked
//! for the files the selection takes, standard input; each read once, up to
//! the size limit.

use crate::batch::output::{report_dir, sanitize};
use crate::error::AuditError;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The extension of the files a folder is searched for.
pub const INPUT_EXTENSION: &str = "txt";

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
}

/// One document to audit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub source: InputSource,
    /// The path shown in reports (as found from the command line).
    pub display: String,
    /// The path relative to its input root: names the output folder and is
    /// written in the diff headers.
    pub relative: PathBuf,
}

pub fn slash_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

pub fn display_path(path: &Path) -> String {
    let text = slash_path(path);
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// Which files of a folder are documents: those matching one of the
/// `--glob` patterns (default `*.txt`) and none of the excluded patterns,
/// matched against the path below the folder.
#[derive(Debug, Clone)]
pub struct Selection {
    include: globset::GlobSet,
    exclude: globset::GlobSet,
}

impl Selection {
    pub fn new(include: &[String], exclude: &[String]) -> Result<Selection, globset::Error> {
        let build = |patterns: &[String]| {
            let mut set = globset::GlobSetBuilder::new();
            for pattern in patterns {
                set.add(
                    globset::GlobBuilder::new(pattern)
                        .case_insensitive(true)
                        .literal_separator(false)
                        .build()?,
                );
            }
            set.build()
        };
        Ok(Selection {
            include: build(include)?,
            exclude: build(exclude)?,
        })
    }

    fn selects(&self, relative: &Path) -> bool {
        self.include.is_match(relative) && !self.exclude.is_match(relative)
    }
}

impl Default for Selection {
    fn default() -> Selection {
        let all = format!("*.{INPUT_EXTENSION}");
        Selection::new(&[all], &[]).unwrap_or_else(|_| unreachable!("a fixed pattern"))
    }
}

/// A file in a folder that tells the walk what to leave out, besides
/// `.gitignore` and `.ignore` files.
pub const IGNORE_FILE: &str = ".declassignore";

/// Finds the documents named by `paths`: files as given, folders walked in
/// name order for the files the selection takes, honouring `.gitignore`,
/// `.ignore` and `.declassignore` files and skipping hidden ones; the output
/// folder is never read as input.
pub fn collect_inputs(
    paths: &[PathBuf],
    out: &Path,
    selection: &Selection,
) -> (Vec<Input>, Vec<AuditError>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    let several = paths.len() > 1;
    let out_canonical = out.canonicalize().ok();
    for root in paths {
        if root.as_os_str() == "-" {
            inputs.push(Input {
                source: InputSource::Stdin,
                display: "-".to_string(),
                relative: PathBuf::from("stdin"),
            });
            continue;
        }
        let prefix = if several {
            sanitize(root)
        } else {
            PathBuf::new()
        };
        let metadata = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(source) => {
                problems.push(AuditError::Read {
                    path: root.clone(),
                    source,
                });
                continue;
            }
        };
        if !metadata.is_dir() {
            let relative = if several {
                prefix
            } else {
                root.file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| sanitize(root))
            };
            inputs.push(Input {
                source: InputSource::File(root.clone()),
                display: display_path(root),
                relative,
            });
            continue;
        }
        walk(
            root,
            &prefix,
            out_canonical.clone(),
            selection,
            &mut inputs,
            &mut problems,
        );
    }
    let mut seen = BTreeSet::new();
    inputs.retain(|input| seen.insert(input.display.clone()));
    (inputs, problems)
}

/// Walks folder `root` in name order for the files the selection takes,
/// leaving out the output folder `out`.
fn walk(
    root: &Path,
    prefix: &Path,
    out: Option<PathBuf>,
    selection: &Selection,
    inputs: &mut Vec<Input>,
    problems: &mut Vec<AuditError>,
) {
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .require_git(false)
        .follow_links(false)
        .add_custom_ignore_filename(IGNORE_FILE)
        .sort_by_file_name(|a, b| a.cmp(b))
        .filter_entry(move |e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && out
                    .as_ref()
                    .is_some_and(|out| e.path().canonicalize().is_ok_and(|p| p == *out)))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let is_file = entry.file_type().is_some_and(|t| t.is_file());
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                if is_file && selection.selects(relative) {
                    inputs.push(Input {
                        source: InputSource::File(entry.path().to_path_buf()),
                        display: display_path(entry.path()),
                        relative: prefix.join(relative),
                    });
                }
            }
            Err(err) => problems.push(AuditError::Walk {
                path: root.to_path_buf(),
                reason: err.to_string(),
            }),
        }
    }
}

/// Output folders of the inputs: the relative path without extension, or
/// with it where two inputs would otherwise share a folder.
pub fn report_dirs(inputs: &[Input]) -> Vec<PathBuf> {
    let plain: Vec<PathBuf> = inputs.iter().map(|i| report_dir(&i.relative)).collect();
    let mut count: BTreeMap<&PathBuf, usize> = BTreeMap::new();
    for dir in &plain {
        *count.entry(dir).or_default() += 1;
    }
    inputs
        .iter()
        .zip(&plain)
        .map(|(input, dir)| {
            if count[dir] > 1 {
                sanitize(&input.relative)
            } else {
                dir.clone()
            }
        })
        .collect()
}

pub enum Loaded {
    Bytes(Vec<u8>),
    TooLarge { bytes: u64, sha256: String },
}

pub fn read_input(input: &Input, max_bytes: u64) -> Result<Loaded, AuditError> {
    let (path, mut reader): (PathBuf, Box<dyn Read>) = match &input.source {
        InputSource::Stdin => (PathBuf::from("-"), Box::new(std::io::stdin().lock())),
        InputSource::File(path) => {
            let file = std::fs::File::open(path).map_err(|source| AuditError::Read {
                path: path.clone(),
                source,
            })?;
            (path.clone(), Box::new(file))
        }
    };
    let read_err = |source| AuditError::Read {
        path: path.clone(),
        source,
    };
    let mut bytes = Vec::new();
    (&mut reader)
        .take(max_bytes + 1)
        .read_to_end(&mut bytes)
        .map_err(read_err)?;
    if bytes.len() as u64 <= max_bytes {
        return Ok(Loaded::Bytes(bytes));
    }
    // Too large to audit: still hash every byte, so its fixity is recorded.
    let mut hasher = Sha256::new();
    hasher.update(&bytes);
    let rest = std::io::copy(&mut reader, &mut hasher).map_err(read_err)?;
    Ok(Loaded::TooLarge {
        bytes: bytes.len() as u64 + rest,
        sha256: format!("{:x}", hasher.finalize()),
    })
}
