//! The formats a run can be written in, and `--format NAME[=FILE]`.

use std::path::PathBuf;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Junit,
    Github,
    Sarif,
    Prov,
    Html,
}

impl Format {
    pub const NAMES: [(&'static str, Format); 8] = [
        ("human", Format::Human),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("junit", Format::Junit),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
        ("prov", Format::Prov),
        ("html", Format::Html),
    ];
}

/// A format and where it goes (`None`: standard output).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatSpec {
    pub format: Format,
    pub file: Option<PathBuf>,
}

impl FromStr for FormatSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<FormatSpec, String> {
        let (name, file) = match text.split_once('=') {
            Some((name, file)) if !file.is_empty() => (name, Some(PathBuf::from(file))),
            Some(_) => return Err(format!("{text:?}: a file name must follow '='")),
            None => (text, None),
        };
        let format = Format::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| *f)
            .ok_or_else(|| {
                let names: Vec<&str> = Format::NAMES.iter().map(|(n, _)| *n).collect();
                format!("unknown format {name:?} (one of {})", names.join(", "))
            })?;
        Ok(FormatSpec { format, file })
    }
}
