//! Output formats of a batch run, for people and for CI: `human`, `json`
//! (the summary), `jsonl` (one finding per line), `junit` (one test case per
//! document, a failure per error finding) and `github` (workflow
//! annotations), `sarif` (SARIF 2.1.0). Each goes to standard output, or to a file with
//! `--format NAME=FILE`.

pub mod github;
pub mod human;
pub mod jsonl;
pub mod junit;
pub mod sarif;
pub mod style;

pub use style::Style;

use crate::batch::BatchResult;
use crate::rules::RuleSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Junit,
    Github,
    Sarif,
}

impl Format {
    pub const NAMES: [(&'static str, Format); 6] = [
        ("human", Format::Human),
        ("json", Format::Json),
        ("jsonl", Format::Jsonl),
        ("junit", Format::Junit),
        ("github", Format::Github),
        ("sarif", Format::Sarif),
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

pub fn render(
    format: Format,
    result: &BatchResult,
    rules: &RuleSet,
    out: &Path,
    style: Style,
) -> String {
    match format {
        Format::Human => human::human_summary(&result.summary, out, style.color),
        Format::Json => match serde_json::to_string_pretty(&result.summary) {
            Ok(json) => json + "\n",
            Err(e) => format!("{{\"error\": {:?}}}\n", e.to_string()),
        },
        Format::Jsonl => jsonl::jsonl(result),
        Format::Junit => junit::junit(result, style),
        Format::Github => github::github(result, style),
        Format::Sarif => sarif::sarif(result, rules),
    }
}

#[cfg(test)]
mod tests {
    use super::github::github_escape;
    use super::junit::xml;
    use super::*;

    #[test]
    fn format_specs_parse() {
        assert_eq!(
            "junit=out/report.xml".parse::<FormatSpec>().unwrap(),
            FormatSpec {
                format: Format::Junit,
                file: Some(PathBuf::from("out/report.xml"))
            }
        );
        assert_eq!("json".parse::<FormatSpec>().unwrap().file, None);
        assert!("xml"
            .parse::<FormatSpec>()
            .unwrap_err()
            .contains("unknown format"));
        assert!("json=".parse::<FormatSpec>().is_err());
    }

    #[test]
    fn escapes() {
        assert_eq!(xml("a<b & \"c\""), "a&lt;b &amp; &quot;c&quot;");
        assert_eq!(github_escape("50%\nnext", false), "50%25%0Anext");
        assert_eq!(github_escape("a:b,c", true), "a%3Ab%2Cc");
    }
}
