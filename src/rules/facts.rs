//! Facts for validating declassification stamps, read from
//! `rules/facts.toml`: executive orders and when they were signed and
//! replaced, the NARS → NARA change, presidential-library office codes. Each
//! fact carries its source and whether it is verified.

use crate::error::RuleError;
use crate::rules::dates::Date;
use crate::rules::source::{toml_error, RuleSource};
use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Archive {
    pub old_name: String,
    pub new_name: String,
    pub renamed: Date,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ExecutiveOrder {
    pub number: String,
    pub signed: Date,
    #[serde(default)]
    pub replaced_by: Option<String>,
    #[serde(default)]
    pub replaced: Option<Date>,
    #[serde(default)]
    pub templates: Vec<String>,
    pub source: String,
    pub verified: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Library {
    pub prefix: String,
    pub name: String,
    pub verified: bool,
    pub source: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Facts {
    pub superseded_grace_years: i32,
    pub archive: Archive,
    pub executive_order: Vec<ExecutiveOrder>,
    pub library: Vec<Library>,
}

impl Facts {
    pub fn parse(source: &RuleSource) -> Result<Facts, RuleError> {
        let facts: Facts = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
        for order in &facts.executive_order {
            if order.replaced.is_some() != order.replaced_by.is_some() {
                return Err(RuleError::Syntax {
                    file: source.file.clone(),
                    line: 1,
                    reason: format!(
                        "executive order {}: `replaced` and `replaced-by` go together",
                        order.number
                    ),
                });
            }
        }
        Ok(facts)
    }

    pub fn order(&self, number: &str) -> Option<&ExecutiveOrder> {
        self.executive_order.iter().find(|o| o.number == number)
    }

    /// The library whose office code begins `code`, longest prefix first.
    pub fn library(&self, code: &str) -> Option<&Library> {
        let code = code.trim().to_uppercase();
        self.library
            .iter()
            .filter(|l| code.starts_with(&l.prefix))
            .max_by_key(|l| l.prefix.len())
    }

    /// Every template reading of a stamp line the facts know.
    pub fn templates(&self) -> impl Iterator<Item = &str> {
        self.executive_order
            .iter()
            .flat_map(|o| o.templates.iter().map(String::as_str))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts::parse(&RuleSource {
            file: "rules/facts.toml".into(),
            text: include_str!("../../rules/facts.toml").to_string(),
        })
        .unwrap()
    }

    #[test]
    fn facts_load_and_answer() {
        let f = facts();
        assert_eq!(f.order("11652").unwrap().signed.to_string(), "1972-03-08");
        assert_eq!(f.archive.renamed.to_string(), "1985-04-01");
        assert_eq!(f.library("NLRR-123").unwrap().prefix, "NLRR");
        assert_eq!(f.library("NLR 95-1").unwrap().prefix, "NLR");
        assert!(f.library("XYZ").is_none());
        // Every order that was replaced names an order the file knows.
        for order in &f.executive_order {
            if let Some(next) = &order.replaced_by {
                let next = f.order(next).unwrap();
                assert_eq!(Some(next.signed), order.replaced, "{}", order.number);
            }
        }
    }
}
