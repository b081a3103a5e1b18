//! Dates as printed on stamps and in documents, read with the formats of
//! `rules/dates.toml` and kept beside their ISO 8601 form.

use crate::error::RuleError;
use crate::rules::source::{toml_error, RuleSource};
use regex::Regex;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A calendar date (proleptic Gregorian), checked to exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

fn leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap(year) => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days).then_some(Date { year, month, day })
    }

    /// Reads `YYYY-MM-DD`.
    pub fn from_iso(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// The same day `years` years later (28 February for 29 February).
    pub fn plus_years(self, years: i32) -> Date {
        Date::new(self.year + years, self.month, self.day).unwrap_or(Date {
            year: self.year + years,
            month: 2,
            day: 28,
        })
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let text = String::deserialize(d)?;
        Date::from_iso(&text).ok_or_else(|| serde::de::Error::custom(format!("not a date: {text}")))
    }
}

/// A date as printed, with its reading (`null` where it cannot be read).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PrintedDate {
    pub printed: String,
    pub iso: Option<Date>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DatesFile {
    two_digit_year_pivot: u8,
    months: Vec<Vec<String>>,
    format: Vec<FormatSpec>,
    document_dates: DocumentDatesSpec,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FormatSpec {
    id: String,
    #[serde(rename = "description")]
    _description: String,
    pattern: String,
    examples: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DocumentDatesSpec {
    prefixes: Vec<String>,
    examples: Vec<(String, String)>,
    no_match: Vec<String>,
}

#[derive(Debug, Clone)]
struct Format {
    id: String,
    regex: Regex,
    examples: Vec<(String, String)>,
}

/// The date formats in use.
#[derive(Debug, Clone)]
pub struct DateFormats {
    pivot: u8,
    months: Vec<Vec<String>>,
    formats: Vec<Format>,
    prefixes: Vec<String>,
    document_examples: Vec<(String, String)>,
    document_no_match: Vec<String>,
    file: std::path::PathBuf,
}

impl DateFormats {
    pub fn parse(source: &RuleSource) -> Result<DateFormats, RuleError> {
        let syntax = |line: usize, reason: String| RuleError::Syntax {
            file: source.file.clone(),
            line,
            reason,
        };
        let spec: DatesFile = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
        if spec.months.len() != 12 || spec.months.iter().any(Vec::is_empty) {
            return Err(syntax(
                1,
                "`months` needs twelve non-empty lists of names".into(),
            ));
        }
        let mut formats = Vec::new();
        for f in spec.format {
            let regex = Regex::new(&f.pattern).map_err(|e| RuleError::Invalid {
                file: source.file.clone(),
                line: 1,
                rule: f.id.clone(),
                reason: format!("pattern: {e}"),
            })?;
            let names: Vec<&str> = regex.capture_names().flatten().collect();
            let has = |n: &str| names.contains(&n);
            if !(has("d") && has("y") && (has("m") || has("month"))) {
                return Err(RuleError::Invalid {
                    file: source.file.clone(),
                    line: 1,
                    rule: f.id.clone(),
                    reason: "a date format needs groups `d`, `y` and `m` or `month`".into(),
                });
            }
            formats.push(Format {
                id: f.id,
                regex,
                examples: f.examples,
            });
        }
        Ok(DateFormats {
            pivot: spec.two_digit_year_pivot,
            months: spec
                .months
                .into_iter()
                .map(|names| names.into_iter().map(|n| n.to_lowercase()).collect())
                .collect(),
            formats,
            prefixes: spec.document_dates.prefixes,
            document_examples: spec.document_dates.examples,
            document_no_match: spec.document_dates.no_match,
            file: source.file.clone(),
        })
    }

    fn month(&self, name: &str) -> Option<u8> {
        let name = name.trim_end_matches('.').to_lowercase();
        self.months
            .iter()
            .position(|names| names.contains(&name))
            .map(|i| i as u8 + 1)
    }

    fn year(&self, text: &str) -> Option<i32> {
        let value: i32 = text.parse().ok()?;
        Some(match text.len() {
            2 if value < i32::from(self.pivot) => 2000 + value,
            2 => 1900 + value,
            _ => value,
        })
    }

    /// Reads a whole printed date.
    pub fn parse_date(&self, printed: &str) -> Option<Date> {
        let text = printed.trim();
        // A date's day and year are read as numbers: a text without a digit
        // is none (most lines; spares each format's search).
        if !text.bytes().any(|b| b.is_ascii_digit()) {
            return None;
        }
        self.formats.iter().find_map(|f| {
            let caps = f.regex.captures(text)?;
            let day = caps.name("d")?.as_str().parse().ok()?;
            let month = match (caps.name("m"), caps.name("month")) {
                (Some(m), _) => m.as_str().parse().ok()?,
                (None, Some(name)) => self.month(name.as_str())?,
                (None, None) => return None,
            };
            let year = self.year(caps.name("y")?.as_str())?;
            Date::new(year, month, day)
        })
    }

    pub fn printed(&self, printed: &str) -> PrintedDate {
        PrintedDate {
            printed: printed.trim().to_string(),
            iso: self.parse_date(printed),
        }
    }

    /// The date a line states as the document's own: a date alone on the
    /// line, or after one of the document-date prefixes.
    pub fn document_date(&self, line: &str) -> Option<PrintedDate> {
        let mut text = line.trim().trim_end_matches('.').trim();
        for prefix in &self.prefixes {
            if let Some(rest) = text.strip_prefix(prefix.as_str()) {
                if rest.starts_with([' ', '\t']) || prefix.ends_with(':') {
                    text = rest.trim();
                    break;
                }
            }
        }
        let iso = self.parse_date(text)?;
        Some(PrintedDate {
            printed: text.to_string(),
            iso: Some(iso),
        })
    }

    /// Runs the examples of the date formats. Returns one message per failure.
    pub fn test_examples(&self) -> Vec<String> {
        let mut failures = Vec::new();
        let file = self.file.display();
        for f in &self.formats {
            for (printed, iso) in &f.examples {
                if !f.regex.is_match(printed) {
                    failures.push(format!(
                        "{file}: format `{}`: {printed:?} does not match",
                        f.id
                    ));
                }
                let got = self.parse_date(printed).map(|d| d.to_string());
                if got.as_deref() != Some(iso.as_str()) {
                    failures.push(format!(
                        "{file}: format `{}`: {printed:?} reads {got:?}, not {iso}",
                        f.id
                    ));
                }
            }
        }
        for (line, iso) in &self.document_examples {
            let got = self
                .document_date(line)
                .and_then(|d| d.iso)
                .map(|d| d.to_string());
            if got.as_deref() != Some(iso.as_str()) {
                failures.push(format!(
                    "{file}: document-dates: {line:?} reads {got:?}, not {iso}"
                ));
            }
        }
        for line in &self.document_no_match {
            if self.document_date(line).is_some() {
                failures.push(format!(
                    "{file}: document-dates: {line:?} should not be a document date"
                ));
            }
        }
        failures
    }

    pub fn example_count(&self) -> usize {
        self.formats.iter().map(|f| f.examples.len()).sum::<usize>()
            + self.document_examples.len()
            + self.document_no_match.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formats() -> DateFormats {
        DateFormats::parse(&RuleSource {
            file: "rules/dates.toml".into(),
            text: include_str!("../../rules/dates.toml").to_string(),
        })
        .unwrap()
    }

    #[test]
    fn reads_the_forms_seen_on_stamps() {
        let f = formats();
        assert!(f.test_examples().is_empty(), "{:?}", f.test_examples());
        assert_eq!(f.parse_date("745-75"), None);
        assert_eq!(f.parse_date("2-30-75"), None);
        assert_eq!(f.parse_date("Smarch 3, 1946"), None);
        assert_eq!(
            f.parse_date("2/29/00").map(|d| d.to_string()),
            Some("2000-02-29".into())
        );
    }

    #[test]
    fn document_dates_are_whole_lines() {
        let f = formats();
        assert_eq!(
            f.document_date("Dated April 5, 1946").unwrap().printed,
            "April 5, 1946"
        );
        assert!(f
            .document_date("RECEIVED 060355Z (1055 PM EST) HED")
            .is_none());
    }

    #[test]
    fn dates_order_and_print_as_iso() {
        let a = Date::new(1975, 12, 2).unwrap();
        let b = Date::from_iso("1985-04-01").unwrap();
        assert!(a < b);
        assert_eq!(a.to_string(), "1975-12-02");
        assert_eq!(serde_json::to_value(a).unwrap(), "1975-12-02");
        assert_eq!(
            Date::new(1996, 2, 29).unwrap().plus_years(1).to_string(),
            "1997-02-28"
        );
    }
}
