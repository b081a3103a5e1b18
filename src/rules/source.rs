//! Where rule sets come from: the built-in rule and data files compiled
//! into the binary, or the `*.toml` files of a folder; and how a TOML error
//! in one of them is reported with its file and line.

use crate::error::RuleError;
use std::path::{Path, PathBuf};

/// The data files of a rule set, read by name rather than as rule files.
pub const DATES_FILE: &str = "dates.toml";
pub const FACTS_FILE: &str = "facts.toml";
pub const VOCABULARY_FILE: &str = "vocabulary.toml";
pub const LEXICON_FILE: &str = "words.txt";

/// The built-in rule and data files, compiled into the binary.
const BUILTIN: [(&str, &str); 9] = [
    (
        "classification.toml",
        include_str!("../../rules/classification.toml"),
    ),
    (
        "declassification.toml",
        include_str!("../../rules/declassification.toml"),
    ),
    (
        "page-furniture.toml",
        include_str!("../../rules/page-furniture.toml"),
    ),
    ("ocr-noise.toml", include_str!("../../rules/ocr-noise.toml")),
    (
        "boilerplate.toml",
        include_str!("../../rules/boilerplate.toml"),
    ),
    (DATES_FILE, include_str!("../../rules/dates.toml")),
    (FACTS_FILE, include_str!("../../rules/facts.toml")),
    (VOCABULARY_FILE, include_str!("../../rules/vocabulary.toml")),
    (LEXICON_FILE, include_str!("../../rules/words.txt")),
];

/// One source text of a rule set: a file name and its contents.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub file: PathBuf,
    pub text: String,
}

/// The `*.toml` files directly in `dir`, in name order.
pub fn dir_sources(dir: &Path) -> Result<Vec<RuleSource>, RuleError> {
    let entries = std::fs::read_dir(dir).map_err(|source| RuleError::Io {
        file: dir.to_path_buf(),
        source,
    })?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|source| RuleError::Io {
            file: dir.to_path_buf(),
            source,
        })?;
        let path = entry.path();
        let data = path.file_name().is_some_and(|n| n == LEXICON_FILE);
        if (data || path.extension().is_some_and(|e| e == "toml")) && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(RuleError::NoRuleFiles {
            file: dir.to_path_buf(),
        });
    }
    let mut sources = Vec::with_capacity(files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).map_err(|source| RuleError::Io {
            file: file.clone(),
            source,
        })?;
        sources.push(RuleSource { file, text });
    }
    Ok(sources)
}

/// The built-in rule and data files.
pub fn builtin_sources() -> Vec<RuleSource> {
    BUILTIN
        .iter()
        .map(|(name, text)| RuleSource {
            file: Path::new("rules").join(name),
            text: (*text).to_string(),
        })
        .collect()
}

pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The 1-based line of byte `byte` of `text`.
pub fn line_of(text: &str, byte: usize) -> usize {
    text.as_bytes()[..byte.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A TOML error in a rule or data file, with the line it points at.
pub fn toml_error(source: &RuleSource, e: &toml::de::Error) -> RuleError {
    RuleError::Syntax {
        file: source.file.clone(),
        line: e
            .span()
            .map(|s| line_of(&source.text, s.start))
            .unwrap_or(1),
        reason: e.message().to_string(),
    }
}
