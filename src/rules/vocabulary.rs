//! The vocabulary that rules' captures are read with, from
//! `rules/vocabulary.toml`: classification levels and their order, the
//! characters OCR confuses with the letters of marking words, and how the
//! one-line declassification authority is phrased.

use crate::error::RuleError;
use crate::model::Level;
use crate::rules::source::{toml_error, RuleSource};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LevelSpec {
    /// Held once for the process (see [`Level`]): every marking found
    /// holds its level.
    name: arcstr::ArcStr,
    /// Other spellings read as this level.
    #[serde(default)]
    also: Vec<String>,
    /// Whether the level is a classification that only a declassification
    /// authority lifts (UNCLASSIFIED and the official-use markings are not).
    #[serde(default = "yes")]
    classified: bool,
    #[serde(default)]
    examples: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct LookAlikes {
    pairs: Vec<(char, char)>,
    #[serde(default)]
    examples: Vec<(String, String)>,
}

/// How the one-line authority is phrased.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuthorityPhrases {
    pub separator: String,
    executive_order: String,
    release_date: String,
    #[serde(default)]
    examples: Vec<(String, String, String)>,
}

impl AuthorityPhrases {
    /// "E.O. 11652" for order `11652`.
    pub fn executive_order(&self, order: &str) -> String {
        self.executive_order.replace("{}", order)
    }

    /// "released 2017-10-26" for date `2017-10-26`.
    pub fn release_date(&self, date: &str) -> String {
        self.release_date.replace("{}", date)
    }

    fn phrase(&self, part: &str, value: &str) -> Option<String> {
        match part {
            "executive-order" => Some(self.executive_order(value)),
            "release-date" => Some(self.release_date(value)),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct VocabularyFile {
    level: Vec<LevelSpec>,
    look_alikes: LookAlikes,
    authority: AuthorityPhrases,
    #[serde(default)]
    words: MarkingWords,
}

/// Words of markings and stamps that the English word list lacks
/// (declassified, NOFORN, Dept.): read as words, never as OCR garbage.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MarkingWords {
    list: Vec<String>,
}

/// The vocabulary in use.
#[derive(Debug, Clone)]
pub struct Vocabulary {
    file: PathBuf,
    /// Levels, lowest first, each with its names folded for comparison.
    levels: Vec<(LevelSpec, Vec<String>)>,
    look_alikes: LookAlikes,
    pub authority: AuthorityPhrases,
    words: MarkingWords,
}

fn yes() -> bool {
    true
}

/// A marking's letters without white space or hyphens, in upper case
/// ("S-E-C-R-E-T" reads as SECRET).
fn folded(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

impl Vocabulary {
    pub fn parse(source: &RuleSource) -> Result<Vocabulary, RuleError> {
        let file: VocabularyFile =
            toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
        if file.level.is_empty() {
            return Err(RuleError::Syntax {
                file: source.file.clone(),
                line: 1,
                reason: "no classification level (`[[level]]`)".to_string(),
            });
        }
        Ok(Vocabulary {
            file: source.file.clone(),
            levels: file
                .level
                .into_iter()
                .map(|l| {
                    let keys = std::iter::once(l.name.as_str())
                        .chain(l.also.iter().map(String::as_str))
                        .map(folded)
                        .collect();
                    (l, keys)
                })
                .collect(),
            look_alikes: file.look_alikes,
            authority: file.authority,
            words: file.words,
        })
    }

    /// The words of markings and stamps that the word list lacks.
    pub fn words(&self) -> &[String] {
        &self.words.list
    }

    /// The level a rule captured: case and white space do not matter.
    pub fn level(&self, text: &str) -> Option<Level> {
        let key = folded(text);
        self.levels
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(l, _)| Level(l.name.clone()))
    }

    /// Whether a level is a classification that needs a declassification
    /// authority to lift (a level the vocabulary does not know is taken as
    /// one).
    pub fn is_classified(&self, level: &Level) -> bool {
        self.levels
            .iter()
            .find(|(l, _)| l.name == level.0)
            .is_none_or(|(l, _)| l.classified)
    }

    /// The rank of a level, lowest 0 (unknown names rank below all).
    pub fn rank(&self, level: &Level) -> Option<usize> {
        self.levels.iter().position(|(l, _)| l.name == level.0)
    }

    /// The letters of a short line as a marking word would read: look-alike
    /// characters mapped, punctuation inside words dropped, upper case,
    /// single spaces; and whether strike-through marks (`~~`, `-`) surround
    /// it.
    pub fn marking_letters(&self, line: &str) -> (String, bool) {
        let trimmed = line.trim();
        let struck = (trimmed.starts_with("~~") && trimmed.ends_with("~~") && trimmed.len() > 4)
            || (trimmed.starts_with('-') && trimmed.ends_with('-') && trimmed.len() > 2);
        let mut out = String::with_capacity(trimmed.len());
        for word in trimmed.split_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
            // A letter that stands for another only in a word of capitals
            // (l for I in "CONFlDENTIAL", not in "Filled").
            let lower_word = word
                .chars()
                .any(|c| c.is_lowercase() && !self.is_look_alike(c));
            for c in word.chars() {
                let c = if c.is_lowercase() && lower_word {
                    c
                } else {
                    self.look_alike(c)
                };
                if c.is_alphabetic() {
                    out.extend(c.to_uppercase());
                }
            }
        }
        (out.trim_end().to_string(), struck)
    }

    fn is_look_alike(&self, c: char) -> bool {
        self.look_alikes.pairs.iter().any(|(from, _)| *from == c)
    }

    fn look_alike(&self, c: char) -> char {
        self.look_alikes
            .pairs
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c, |(_, to)| *to)
    }

    /// Whether `word` is one of the words a level's names are made of
    /// (`OFFICIAL`, `USE`, `ONLY`), written in capitals.
    pub fn is_level_word(&self, word: &str) -> bool {
        !word.is_empty()
            && word.chars().all(char::is_uppercase)
            && self.levels.iter().any(|(l, _)| {
                std::iter::once(l.name.as_str())
                    .chain(l.also.iter().map(String::as_str))
                    .any(|name| name.split_whitespace().any(|w| w == word))
            })
    }

    /// The level a marking word begins with ("SECRET NOFORN" → SECRET),
    /// the longest if several do.
    pub fn level_prefix(&self, text: &str) -> Option<Level> {
        let key = folded(text);
        self.levels
            .iter()
            .flat_map(|(l, keys)| keys.iter().map(move |k| (l, k)))
            .filter(|(_, k)| key.starts_with(k.as_str()))
            .max_by_key(|(_, k)| k.len())
            .map(|(l, _)| Level(l.name.clone()))
    }

    pub fn example_count(&self) -> usize {
        self.levels
            .iter()
            .map(|(l, _)| l.examples.len())
            .sum::<usize>()
            + self.look_alikes.examples.len()
            + self.authority.examples.len()
    }

    /// Runs the vocabulary's examples; returns what failed.
    pub fn test_examples(&self) -> Vec<String> {
        let file = self.file.display();
        let mut failures = Vec::new();
        for (level, _) in &self.levels {
            for example in &level.examples {
                if self.level(example).map(|l| l.0) != Some(level.name.clone()) {
                    failures.push(format!(
                        "{file}: level `{}`: {example:?} does not read as it",
                        level.name
                    ));
                }
            }
        }
        for (line, letters) in &self.look_alikes.examples {
            let (got, _) = self.marking_letters(line);
            if got != *letters {
                failures.push(format!(
                    "{file}: look-alikes: {line:?} reads {got:?}, not {letters:?}"
                ));
            }
        }
        for (part, value, phrase) in &self.authority.examples {
            let got = self.authority.phrase(part, value);
            if got.as_deref() != Some(phrase.as_str()) {
                failures.push(format!(
                    "{file}: authority `{part}`: {value:?} reads {got:?}, not {phrase:?}"
                ));
            }
        }
        failures
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary() -> Vocabulary {
        Vocabulary::parse(&RuleSource {
            file: PathBuf::from("vocabulary.toml"),
            text: include_str!("../../rules/vocabulary.toml").to_string(),
        })
        .unwrap()
    }

    #[test]
    fn levels_are_ordered_and_read_loosely() {
        let v = vocabulary();
        let rank = |name: &str| v.rank(&v.level(name).unwrap());
        assert!(rank("TOP SECRET") > rank("SECRET"));
        assert!(rank("CONFIDENTIAL") > rank("RESTRICTED"));
        assert_eq!(v.level("top   secret"), Some(Level("TOP SECRET".into())));
        assert_eq!(v.level("SECRETS"), None);
        assert_eq!(v.level("S E C R E T"), Some(Level("SECRET".into())));
        assert!(v.test_examples().is_empty(), "{:?}", v.test_examples());
    }

    #[test]
    fn a_wrong_example_fails() {
        let text = include_str!("../../rules/vocabulary.toml").replace(
            "\"T0P 5ECRET\", \"TOP SECRET\"",
            "\"T0P 5ECRET\", \"T0P SECRET\"",
        );
        let v = Vocabulary::parse(&RuleSource {
            file: PathBuf::from("vocabulary.toml"),
            text,
        })
        .unwrap();
        let failures = v.test_examples();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(failures[0].contains("look-alikes"), "{failures:?}");
    }
}
