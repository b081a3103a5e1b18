//! Rule files: loading, validation, compilation and self-test.
//!
//! A rule set is read from TOML sources (the five built-in files, or every
//! `*.toml` in a `--rules` folder) by one loader, so the built-in rules and a
//! user's are checked the same way. All line rules are compiled together into
//! one [`RegexSet`] that the scanner runs once per line as a prefilter; only
//! the rules it reports are then run on their own to find spans.

pub mod checks;
pub mod dates;
pub mod facts;
pub mod lexicon;
pub mod prefilter;
pub mod rule;
pub mod selftest;
pub mod source;
pub mod spec;
pub mod vocabulary;

pub use checks::Check;
pub use rule::{
    Examples, Origin, Rule, CONTROL_GROUP, DEFAULT_REGION_LINES, LEVEL_GROUP, PAGE_GROUP,
    PUBLICATION_GROUPS, STRUCK_GROUP,
};
pub use selftest::ExampleFailure;
pub use source::{toml_error, RuleSource, DATES_FILE, FACTS_FILE, LEXICON_FILE, VOCABULARY_FILE};

use crate::config::Config;
use crate::error::RuleError;
use dates::DateFormats;
use facts::Facts;
use lexicon::Lexicon;
use regex::{RegexSet, RegexSetBuilder};
use sha2::{Digest, Sha256};
use source::{builtin_sources, dir_sources, file_name};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use vocabulary::Vocabulary;

/// Cache size of the rule set's lazy DFA.
pub const SET_DFA_CACHE_BYTES: usize = 64 << 20;

/// All rules in use, with the prefilter that matches them in one pass.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    set: RegexSet,
    sha256: String,
    dates: DateFormats,
    facts: Facts,
    vocabulary: Vocabulary,
    lexicon: Lexicon,
}

impl RuleSet {
    /// The rule files compiled into the binary.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        RuleSet::from_sources(builtin_sources())
    }

    /// The rules of `dir` (or the built-in rules), with the rule files of
    /// `extra` folders added.
    pub fn load(dir: Option<&Path>, extra: &[PathBuf]) -> Result<RuleSet, RuleError> {
        let mut sources = match dir {
            Some(dir) => dir_sources(dir)?,
            None => builtin_sources(),
        };
        for folder in extra {
            sources.extend(dir_sources(folder)?);
        }
        RuleSet::from_sources(sources)
    }

    /// The rules an audit uses under a configuration: those of `dir` (or
    /// the built-in rules) with the configuration's extra rule folders, less
    /// its disabled rules. Its severity overrides must name rules or checks.
    pub fn configured(dir: Option<&Path>, config: &Config) -> Result<RuleSet, RuleError> {
        let rules = RuleSet::load(dir, &config.rules)?.without(&config.disable)?;
        if let Some(id) = config
            .severity
            .keys()
            .find(|id| !rules.rules.iter().any(|r| &r.id == *id) && Check::from_id(id).is_none())
        {
            return Err(RuleError::Unknown {
                rule: id.clone(),
                reason: "has a severity override in the configuration, but is no rule or check",
            });
        }
        Ok(rules)
    }

    /// The same rules without those whose ids are given. Built-in checks
    /// cannot be left out (their severity can be changed instead).
    pub fn without(self, ids: &[String]) -> Result<RuleSet, RuleError> {
        if let Some(id) = ids
            .iter()
            .find(|id| !self.rules.iter().any(|r| &r.id == *id))
        {
            return Err(RuleError::Unknown {
                rule: id.clone(),
                reason: if Check::from_id(id).is_some() {
                    "is a built-in check, which cannot be disabled (override its severity instead)"
                } else {
                    "is no rule of the rule set"
                },
            });
        }
        if ids.is_empty() {
            // Nothing left out: the same set, not compiled again.
            return Ok(self);
        }
        let rules: Vec<Rule> = self
            .rules
            .into_iter()
            .filter(|r| !ids.contains(&r.id))
            .collect();
        let set = rule_set(&rules).map_err(|_| RuleError::Unknown {
            rule: ids.join(", "),
            reason: "left a rule set that does not compile",
        })?;
        // The hash names the rules in effect: the disabled ones are part of it.
        let sha256 = if ids.is_empty() {
            self.sha256.clone()
        } else {
            let mut disabled: Vec<&String> = ids.iter().collect();
            disabled.sort();
            disabled.dedup();
            let mut hasher = Sha256::new();
            hasher.update(self.sha256.as_bytes());
            for id in disabled {
                hasher.update(b"\0disabled\0");
                hasher.update(id.as_bytes());
            }
            format!("{:x}", hasher.finalize())
        };
        Ok(RuleSet {
            rules,
            set,
            sha256,
            ..self
        })
    }

    /// Parses, validates and compiles rule sources. Refuses the whole set at
    /// the first rule that is malformed, with its file, line and id. The data
    /// files (`dates.toml`, `facts.toml`) are taken from the built-in set when
    /// the sources do not include them.
    pub fn from_sources(mut sources: Vec<RuleSource>) -> Result<RuleSet, RuleError> {
        for data in [DATES_FILE, FACTS_FILE, VOCABULARY_FILE, LEXICON_FILE] {
            if !sources.iter().any(|s| file_name(&s.file) == data) {
                sources.extend(
                    builtin_sources()
                        .into_iter()
                        .filter(|s| file_name(&s.file) == data),
                );
            }
        }
        sources.sort_by(|a, b| a.file.file_name().cmp(&b.file.file_name()));
        let mut dates = None;
        let mut facts = None;
        let mut vocabulary = None;
        let mut lexicon = None;
        let mut hasher = Sha256::new();
        let mut rules: Vec<Rule> = Vec::new();
        let mut seen: BTreeMap<String, Origin> = BTreeMap::new();
        for source in &sources {
            let name = file_name(&source.file);
            hasher.update(name.as_bytes());
            hasher.update([0]);
            hasher.update(source.text.as_bytes());
            hasher.update([0]);
            if name == DATES_FILE {
                dates = Some(DateFormats::parse(source)?);
                continue;
            }
            if name == LEXICON_FILE {
                lexicon = Some(Lexicon::parse(&source.text));
                continue;
            }
            if name == VOCABULARY_FILE {
                vocabulary = Some(Vocabulary::parse(source)?);
                continue;
            }
            if name == FACTS_FILE {
                facts = Some(Facts::parse(source)?);
                continue;
            }
            for rule in spec::parse_source(source)? {
                if let Some(first) = seen.get(&rule.id) {
                    return Err(spec::invalid(
                        &rule.origin,
                        &rule.id,
                        format!(
                            "duplicate id: already defined at {}:{}",
                            first.file.display(),
                            first.line
                        ),
                    ));
                }
                seen.insert(rule.id.clone(), rule.origin.clone());
                rules.push(rule);
            }
        }
        let set = rule_set(&rules).map_err(|e| RuleError::Syntax {
            file: sources.first().map(|s| s.file.clone()).unwrap_or_default(),
            line: 1,
            reason: format!("the rules do not compile together: {e}"),
        })?;
        let missing = |file: &str| RuleError::NoRuleFiles {
            file: PathBuf::from(file),
        };
        let vocabulary = vocabulary.ok_or_else(|| missing(VOCABULARY_FILE))?;
        let mut lexicon = lexicon.ok_or_else(|| missing(LEXICON_FILE))?;
        lexicon.extend(vocabulary.words());
        Ok(RuleSet {
            rules,
            set,
            sha256: format!("{:x}", hasher.finalize()),
            dates: dates.ok_or_else(|| missing(DATES_FILE))?,
            facts: facts.ok_or_else(|| missing(FACTS_FILE))?,
            vocabulary,
            lexicon,
        })
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, index: usize) -> &Rule {
        &self.rules[index]
    }

    /// The prefilter over all rules: one pass per line says which rules match.
    pub fn set(&self) -> &RegexSet {
        &self.set
    }

    /// The date formats in use.
    pub fn dates(&self) -> &DateFormats {
        &self.dates
    }

    /// The facts in use.
    /// The vocabulary in use: levels, look-alikes, authority phrasing.
    pub fn vocabulary(&self) -> &Vocabulary {
        &self.vocabulary
    }

    /// The English words in use, for telling OCR garbage from text.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The facts in use.
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// SHA-256 over the rule sources in use (file names and contents).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// How many examples the rules and date formats carry.
    pub fn example_count(&self) -> usize {
        selftest::example_count(&self.rules, &self.dates) + self.vocabulary.example_count()
    }

    /// Runs every rule's examples (alone and through the prefilter) and the
    /// date formats'. Returns the failures (empty when all pass).
    pub fn test_examples(&self) -> Vec<ExampleFailure> {
        selftest::test_examples(&self.rules, &self.set, &self.dates, &self.vocabulary)
    }

    /// One line per rule, then per built-in check: id, category, severity,
    /// description.
    pub fn listing(&self) -> String {
        let mut text = String::new();
        for rule in &self.rules {
            text.push_str(&format!(
                "{:<34} {:<16} {:<7} {}\n",
                rule.id, rule.category, rule.severity, rule.description
            ));
        }
        for check in Check::ALL {
            text.push_str(&format!(
                "{:<34} {:<16} {:<7} {} (built-in)\n",
                check.id(),
                check.category(),
                check.severity(),
                check.description()
            ));
        }
        text
    }
}

/// The prefilter of a rule set: all its patterns, loosened (see
/// [`prefilter`]), in one `RegexSet`. All rules run on every line through
/// it; a line it reports for a rule is matched by the rule's own regex. A
/// larger cache of lazy-DFA transitions keeps it from rebuilding states on
/// long inputs.
fn rule_set(rules: &[Rule]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(rules.iter().map(|r| prefilter::loosened(r.regex.as_str())))
        .dfa_size_limit(SET_DFA_CACHE_BYTES)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<RuleSet, RuleError> {
        RuleSet::from_sources(vec![RuleSource {
            file: PathBuf::from("test.toml"),
            text: text.to_string(),
        }])
    }

    const GOOD: &str = r#"
[[rule]]
id = "page-word"
category = "page-furniture"
severity = "info"
description = "A page number"
pattern = '^PAGE \d+$'
action = "remove-line"
examples.match = ["PAGE 2"]
examples.no-match = ["PAGE two"]
"#;

    #[test]
    fn a_findings_message_is_the_rules_message_or_its_descriptions_lead_clause() {
        let set = load(GOOD).unwrap();
        assert_eq!(set.rules()[0].message, "A page number");
        let described = GOOD.replace(
            "\"A page number\"",
            "\"Page number on a line of its own (PAGE 2, Page 3 of 5)\"",
        );
        let set = load(&described).unwrap();
        assert_eq!(set.rules()[0].message, "Page number on a line of its own");
        let given = described.replace("pattern =", "message = \"Page number\"\npattern =");
        let set = load(&given).unwrap();
        assert_eq!(set.rules()[0].message, "Page number");
        assert!(set.rules()[0]
            .description
            .starts_with("Page number on a line"));
        for rule in RuleSet::builtin().unwrap().rules() {
            assert!(
                !rule.message.is_empty() && rule.message.len() <= rule.description.len(),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn builtin_rules_load_and_pass_their_examples() {
        let set = RuleSet::builtin().expect("built-in rules load");
        assert!(set.rules().len() >= 15);
        let failures = set.test_examples();
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn disabling_a_rule_changes_the_hash_of_the_rules_in_effect() {
        let all = RuleSet::builtin().unwrap();
        let hash = all.sha256().to_string();
        let same = RuleSet::builtin().unwrap().without(&[]).unwrap();
        assert_eq!(same.sha256(), hash);
        let one = RuleSet::builtin()
            .unwrap()
            .without(&["page-number-dashed".to_string()])
            .unwrap();
        assert_ne!(one.sha256(), hash);
        let twice = RuleSet::builtin()
            .unwrap()
            .without(&[
                "page-number-dashed".to_string(),
                "page-number-dashed".to_string(),
            ])
            .unwrap();
        assert_eq!(twice.sha256(), one.sha256());
    }

    #[test]
    fn a_good_rule_loads() {
        let set = load(GOOD).unwrap();
        assert_eq!(set.rules()[0].origin.line, 2);
        assert_eq!(set.sha256().len(), 64);
    }

    fn refusal(text: &str) -> String {
        load(text).expect_err("rule must be refused").to_string()
    }

    #[test]
    fn refuses_unknown_key_with_file_line_and_id() {
        let msg = refusal(&GOOD.replace("action =", "colour = \"red\"\naction ="));
        assert!(msg.starts_with("test.toml:2: rule `page-word`:"), "{msg}");
        assert!(msg.contains("colour"), "{msg}");
    }

    #[test]
    fn refuses_bad_pattern() {
        let msg = refusal(&GOOD.replace(r"'^PAGE \d+$'", "'^PAGE (\\d+$'"));
        assert!(
            msg.contains("rule `page-word`") && msg.contains("pattern"),
            "{msg}"
        );
    }

    #[test]
    fn refuses_duplicate_id() {
        let msg = refusal(&format!("{GOOD}\n{GOOD}"));
        assert!(
            msg.contains("duplicate id") && msg.contains("test.toml:13"),
            "{msg}"
        );
    }

    #[test]
    fn refuses_missing_examples() {
        let msg = refusal(&GOOD.replace(
            "examples.no-match = [\"PAGE two\"]",
            "examples.no-match = []",
        ));
        assert!(msg.contains("examples"), "{msg}");
        let msg = refusal(
            &GOOD
                .replace("examples.match = [\"PAGE 2\"]\n", "")
                .replace("examples.no-match = [\"PAGE two\"]\n", ""),
        );
        assert!(msg.contains("examples"), "{msg}");
    }

    #[test]
    fn refuses_other_malformed_rules() {
        for (from, to, want) in [
            ("id = \"page-word\"", "id = \"Page_Word\"", "kebab-case"),
            (
                "category = \"page-furniture\"",
                "category = \"input\"",
                "not a rule category",
            ),
            (
                "category = \"page-furniture\"",
                "category = \"weather\"",
                "unknown variant",
            ),
            (
                "action = \"remove-line\"",
                "action = \"replace\"",
                "needs a `replacement`",
            ),
            (
                "category = \"page-furniture\"",
                "category = \"classification\"",
                "level",
            ),
            (r"'^PAGE \d+$'", r"'^\s*$'", "empty string"),
            (
                "id = \"page-word\"",
                "id = \"collapse-blank-lines\"",
                "reserved",
            ),
            (
                "action = \"remove-line\"",
                "action = \"remove-line\"\nstarts-block = true",
                "only for declassification",
            ),
            (
                "action = \"remove-line\"",
                "action = \"remove-line\"\npage-break = \"inline\"",
                "keeps the rest of the line",
            ),
            (
                "category = \"page-furniture\"",
                "category = \"boilerplate\"\npage-break = \"end\"",
                "only for page-furniture",
            ),
            (
                r"'^PAGE \d+$'",
                r"'^PAGE (?P<colour>\d+)$'",
                "capture group `colour`",
            ),
            (
                "action = \"remove-line\"",
                "action = \"remove-line\"\nblock = false",
                "only for declassification",
            ),
            (
                "category = \"page-furniture\"",
                "category = \"boilerplate\"\nkeep-first = true",
                "`keep-first` goes with",
            ),
            (
                "action = \"remove-line\"",
                "action = \"remove-line\"\ngarbled = true",
                "`garbled` goes with",
            ),
        ] {
            let msg = refusal(&GOOD.replace(from, to));
            assert!(msg.contains(want), "{from} -> {to}: {msg}");
        }
    }

    #[test]
    fn failing_examples_are_reported_with_rule_id() {
        let set = load(&GOOD.replace("\"PAGE two\"", "\"PAGE 22\"")).unwrap();
        let failures = set.test_examples();
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].rule, "page-word");
        assert!(failures[0].to_string().contains("should not match"));
    }

    #[test]
    fn a_wrong_replacement_fails_its_example() {
        let rule = r#"
[[rule]]
id = "lig"
category = "ocr-noise"
severity = "info"
description = "Ligature"
pattern = '(?P<x>\x{FB03})'
action = "replace"
replacement = "${x}"
examples.match = ["o\uFB03ce"]
examples.no-match = ["office"]
examples.replace = [["o\uFB03ce", "office"]]
"#;
        let failures = load(rule).unwrap().test_examples();
        assert_eq!(failures.len(), 1, "{failures:?}");
        assert!(
            failures[0].reason.contains("not \"office\""),
            "{}",
            failures[0]
        );
        let fixed = load(&rule.replace("${x}", "ffi")).unwrap();
        assert!(fixed.test_examples().is_empty());
    }

    #[test]
    fn rules_sha_changes_with_content() {
        let a = load(GOOD).unwrap();
        let b = load(&GOOD.replace("A page number", "A page number.")).unwrap();
        assert_ne!(a.sha256(), b.sha256());
    }
}
