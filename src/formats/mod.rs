//! Output formats of a batch run, for people and for CI: `human`, `json`
//! (the summary), `jsonl` (one finding per line), `junit` (one test case per
//! document, a failure per error finding) and `github` (workflow
//! annotations), `sarif` (SARIF 2.1.0). Each goes to standard output, or to a file with
//! `--format NAME=FILE`.

pub mod fixity;
pub mod github;
pub mod html;
pub mod human;
pub mod jsonl;
pub mod junit;
pub mod prov;
pub mod rules_page;
pub mod sarif;
pub mod style;

pub mod spec;

pub use spec::{Format, FormatSpec};
pub use style::Style;

use crate::batch::{BatchOptions, BatchResult};
use crate::rules::RuleSet;

/// Writes a run in `format` to `out`, the formats that list findings
/// streaming them document by document.
pub fn write(
    out: &mut dyn std::io::Write,
    format: Format,
    result: &BatchResult,
    rules: &RuleSet,
    options: &BatchOptions,
    style: Style,
) -> std::io::Result<()> {
    match format {
        Format::Human => out
            .write_all(human::human_summary(&result.summary, &options.out, style.color).as_bytes()),
        Format::Json => crate::audit::json::write(out, &result.summary),
        Format::Jsonl => jsonl::write_jsonl(out, result),
        Format::Junit => junit::write_junit(out, result, style),
        Format::Github => github::write_github(out, result, style),
        Format::Sarif => sarif::write_sarif(out, result, rules, &options.sarif),
        Format::Prov => out.write_all(prov::prov(result, options).as_bytes()),
        // A folder of pages, written by `html::write_pages`: nothing on its own.
        Format::Html => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::github::github_escape;
    use super::junit::xml;
    use super::*;
    use std::path::PathBuf;

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
