//! The inputs of a run: files named on the command line, folders walked
//! for the files the selection takes, standard input; each read once, up to
//! the size limit.

use crate::audit::report::{
    CLEANED_FILE, DIFF_FILE, HTML_DIR, ORIGINALS_DIR, PROVENANCE_FILE, SHARD_FILE, SUMMARY_FILE,
};
use crate::batch::output::{report_dir, sanitize, TEMP_PREFIX};
use crate::error::AuditError;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The files a report folder holds.
const REPORT_FILES: [&str; 3] = [CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE];

/// The extension of the files a folder is searched for.
pub const INPUT_EXTENSION: &str = "txt";

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
    /// A path named on the command line that is no regular file (a FIFO,
    /// a device, a socket): never read, reported with its kind.
    Special {
        path: PathBuf,
        kind: &'static str,
    },
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

/// A path as text with forward slashes (a backslash is a separator only on
/// Windows; elsewhere it is part of a file name and kept).
pub fn slash_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// What a symbolic link met in a folder walk is: links there are not
/// followed, so a walk never leaves its folder or meets a document twice.
const LINK_IN_FOLDER: &str =
    "a symbolic link in a folder (links there are not followed: name its target to audit it)";

/// What kind of file a path that is no regular file or folder is.
fn special_kind(metadata: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = metadata.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    let _ = metadata;
    "not a regular file"
}

/// Root prefixes made unique: two roots named alike (`docs`, `../docs`) get
/// `docs` and `docs~2`.
fn root_prefixes(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut taken = std::collections::HashSet::new();
    paths
        .iter()
        .map(|root| {
            let plain = sanitize(root);
            let mut prefix = plain.clone();
            let mut n = 1;
            while !taken.insert(prefix.clone()) {
                n += 1;
                let mut name = plain.as_os_str().to_os_string();
                name.push(format!("~{n}"));
                prefix = PathBuf::from(name);
            }
            prefix
        })
        .collect()
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

/// Whether the folder `root` is the folder `out` (canonical) or inside it.
fn within(root: &Path, out: &Path) -> bool {
    root.canonicalize().is_ok_and(|r| r.starts_with(out))
}

/// Refuses a run one of whose `paths` is a folder that is the output
/// folder `out` or inside it (it would read its own outputs, or write its
/// reports into the collection it reads), or whose `cache` is (its entries
/// would be taken for reports by `verify`, a bag or a merge). Called before
/// anything is written. (A file inside it may be named as input: a cleaned
/// text audited again.)
pub fn refuse_in_output(
    paths: &[PathBuf],
    out: &Path,
    cache: Option<&Path>,
) -> Result<(), AuditError> {
    let refuse = |path: &Path, what| {
        Err(AuditError::InOutput {
            path: path.to_path_buf(),
            out: out.to_path_buf(),
            what,
        })
    };
    let Some(canonical) = resolved(out) else {
        return Ok(());
    };
    let cache_inside = cache.filter(|c| resolved(c).is_some_and(|c| c.starts_with(&canonical)));
    if let Some(cache) = cache_inside {
        return refuse(cache, "the cache folder");
    }
    let inside = paths
        .iter()
        .filter(|root| root.as_os_str() != "-" && root.is_dir())
        .find(|root| within(root, &canonical));
    match inside {
        Some(path) => refuse(path, "an input folder"),
        None => Ok(()),
    }
}

/// `path` made absolute through its nearest folder that exists (canonical),
/// the rest as written: where a folder not yet made will be.
fn resolved(path: &Path) -> Option<PathBuf> {
    let mut rest = Vec::new();
    let mut at = path;
    loop {
        if let Ok(found) = at.canonicalize() {
            return Some(rest.iter().rev().fold(found, |p, part| p.join(part)));
        }
        rest.push(at.file_name()?.to_owned());
        at = match at.parent()? {
            p if p.as_os_str().is_empty() => Path::new("."),
            p => p,
        };
    }
}

/// Finds the documents named by `paths`: files as given, folders walked in
/// name order for the files the selection takes, honouring `.gitignore`,
/// `.ignore` and `.declassignore` files and skipping hidden ones; the output
/// folder and the cache's (`cache`, whose entries hold cleaned texts) are
/// passed over where they lie inside a root (a root inside the output
/// folder is refused before: [`refuse_in_output`]).
pub fn collect_inputs(
    paths: &[PathBuf],
    (out, cache): (&Path, Option<&Path>),
    selection: &Selection,
) -> (Vec<Input>, Vec<AuditError>) {
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    let several = paths.len() > 1;
    let skipped: Vec<PathBuf> = [Some(out), cache]
        .into_iter()
        .flatten()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    let prefixes = root_prefixes(paths);
    for (root, root_prefix) in paths.iter().zip(prefixes) {
        if root.as_os_str() == "-" {
            inputs.push(Input {
                source: InputSource::Stdin,
                display: "-".to_string(),
                relative: PathBuf::from("stdin"),
            });
            continue;
        }
        let prefix = if several { root_prefix } else { PathBuf::new() };
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
            let source = if metadata.is_file() {
                InputSource::File(root.clone())
            } else {
                InputSource::Special {
                    path: root.clone(),
                    kind: special_kind(&metadata),
                }
            };
            inputs.push(Input {
                source,
                display: display_path(root),
                relative,
            });
            continue;
        }
        walk(
            root,
            &prefix,
            skipped.clone(),
            selection,
            &mut inputs,
            &mut problems,
        );
    }
    // The same file named twice is audited once; two files are never taken
    // for one because their names display alike.
    let mut seen = std::collections::HashSet::new();
    inputs.retain(|input| seen.insert(input.source.clone()));
    (inputs, problems)
}

/// Walks folder `root` in name order for the files the selection takes,
/// leaving out the output folder `out`.
fn walk(
    root: &Path,
    prefix: &Path,
    skipped: Vec<PathBuf>,
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
                && !skipped.is_empty()
                && e.path().canonicalize().is_ok_and(|p| skipped.contains(&p)))
        })
        .build();
    for entry in walker {
        match entry {
            Ok(entry) => {
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                let Some(kind) = entry.file_type() else {
                    continue; // standard input: never met in a folder
                };
                if kind.is_dir() || !selection.selects(relative) {
                    continue;
                }
                // A link or a special file the selection takes is listed
                // with a finding, never skipped in silence.
                let path = entry.path().to_path_buf();
                let source = if kind.is_file() {
                    InputSource::File(path)
                } else if kind.is_symlink() {
                    InputSource::Special {
                        path,
                        kind: LINK_IN_FOLDER,
                    }
                } else {
                    let kind = entry
                        .metadata()
                        .map_or("not a regular file", |m| special_kind(&m));
                    InputSource::Special { path, kind }
                };
                inputs.push(Input {
                    source,
                    display: display_path(entry.path()),
                    relative: prefix.join(relative),
                });
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
    // Every folder distinct, and none named as a file the run writes (a
    // document `summary.json.txt`, or `a/cleaned.txt.txt` beside `a.txt`):
    // such a name gets `~2`, `~3`.
    let mut taken = std::collections::HashSet::new();
    inputs
        .iter()
        .zip(&plain)
        .map(|(input, dir)| {
            let dir = if count[dir] > 1 {
                sanitize(&input.relative)
            } else {
                dir.clone()
            };
            // A name the sweep would take for a killed run's temporary is
            // shown with `_` for its leading `.`.
            let dir = match dir.file_name().and_then(|n| n.to_str()) {
                Some(name) if name.starts_with(TEMP_PREFIX) => {
                    dir.with_file_name(format!("_{}", &name[1..]))
                }
                _ => dir,
            };
            let mut candidate = dir.clone();
            let mut n = 1;
            while reserved(&candidate) || !taken.insert(candidate.clone()) {
                n += 1;
                let mut name = dir.as_os_str().to_os_string();
                name.push(format!("~{n}"));
                candidate = PathBuf::from(name);
            }
            candidate
        })
        .collect()
}

/// Whether a report folder's name is one the run writes for itself: a
/// report's files, the summary, a shard's manifest, a bag's originals and
/// the HTML report at the top, temporary folders.
fn reserved(dir: &Path) -> bool {
    let Some(last) = dir.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    REPORT_FILES.contains(&last)
        || (dir.parent().is_none_or(|p| p.as_os_str().is_empty())
            && [SUMMARY_FILE, SHARD_FILE, ORIGINALS_DIR, HTML_DIR].contains(&last))
        || last.starts_with(TEMP_PREFIX)
}

pub enum Loaded {
    Bytes(Vec<u8>),
    TooLarge {
        bytes: u64,
        sha256: String,
    },
    /// Not read: no regular file.
    Special(&'static str),
}

/// How many bytes reading `input` will hold: its size as its metadata
/// gives it, up to the `max_bytes` read of a file too large (0 when not
/// known: standard input, no regular file, no metadata).
pub fn expected_bytes(input: &Input, max_bytes: u64) -> u64 {
    match &input.source {
        InputSource::File(path) => {
            std::fs::metadata(path).map_or(0, |m| m.len().min(max_bytes.saturating_add(1)))
        }
        InputSource::Stdin | InputSource::Special { .. } => 0,
    }
}

pub fn read_input(input: &Input, max_bytes: u64) -> Result<Loaded, AuditError> {
    // The buffer sized to the file (when its size is known and within the
    // limit): read_to_end would otherwise double it as it grows, and the
    // bytes become the document's text as they are.
    let mut expected = 0;
    let (path, mut reader): (PathBuf, Box<dyn Read>) = match &input.source {
        InputSource::Stdin => (PathBuf::from("-"), Box::new(std::io::stdin().lock())),
        InputSource::File(path) => {
            let file = std::fs::File::open(path).map_err(|source| AuditError::Read {
                path: path.clone(),
                source,
            })?;
            expected = file.metadata().map_or(0, |m| m.len().min(max_bytes));
            (path.clone(), Box::new(file))
        }
        InputSource::Special { kind, .. } => return Ok(Loaded::Special(kind)),
    };
    let read_err = |source| AuditError::Read {
        path: path.clone(),
        source,
    };
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1));
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
