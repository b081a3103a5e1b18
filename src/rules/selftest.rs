//! `declass rules test` for rule files: every rule's examples (match,
//! no-match, replace) and the date formats' examples, with typed outcomes.

use super::dates::DateFormats;
use super::rule::{Rule, LEVEL_GROUP};
use super::source::{DATES_FILE, VOCABULARY_FILE};
use super::vocabulary::Vocabulary;
use regex::RegexSet;
use std::path::PathBuf;

/// A rule example that did not behave as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub rule: String,
    pub file: PathBuf,
    pub line: usize,
    pub example: String,
    pub reason: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: rule `{}`: example {:?} {}",
            self.file.display(),
            self.line,
            self.rule,
            self.example,
            self.reason
        )
    }
}

/// How many examples the rules and date formats carry.
pub fn example_count(rules: &[Rule], dates: &DateFormats) -> usize {
    rules
        .iter()
        .map(|r| r.examples.matches.len() + r.examples.no_match.len() + r.examples.replace.len())
        .sum::<usize>()
        + dates.example_count()
}

/// Runs every rule's examples, alone and through the rule set's prefilter
/// `set`, and the date formats' examples. Returns the failures (empty when
/// all pass).
pub fn test_examples(
    rules: &[Rule],
    set: &RegexSet,
    dates: &DateFormats,
    vocabulary: &Vocabulary,
) -> Vec<ExampleFailure> {
    let mut failures = Vec::new();
    for rule in rules {
        let fail = |example: &str, reason: &str| ExampleFailure {
            rule: rule.id.clone(),
            file: rule.origin.file.clone(),
            line: rule.origin.line,
            example: example.to_string(),
            reason: reason.to_string(),
        };
        for example in &rule.examples.matches {
            match rule.regex.captures(example) {
                None => failures.push(fail(example, "should match but does not")),
                Some(caps) if rule.has_level => {
                    let level = caps.name(LEVEL_GROUP).map(|m| m.as_str());
                    if level.and_then(|l| vocabulary.level(l)).is_none() {
                        failures.push(fail(
                            example,
                            "matches, but its `level` group is not a classification level",
                        ));
                    }
                }
                Some(_) => {}
            }
            // Every example must also pass the prefilter: a rule the set
            // misses is a rule that never runs.
            let index = rules.iter().position(|r| r.id == rule.id);
            if let Some(index) = index {
                if rule.regex.is_match(example) && !set.matches(example).matched(index) {
                    failures.push(fail(example, "matches alone but not in the rule set"));
                }
            }
        }
        for example in &rule.examples.no_match {
            if rule.regex.is_match(example) {
                failures.push(fail(example, "should not match but does"));
            }
        }
        if let Some(template) = &rule.replacement {
            for (line, expected) in &rule.examples.replace {
                let got = rule.regex.replace_all(line, template.as_str());
                if got != *expected {
                    failures.push(fail(line, &format!("becomes {got:?}, not {expected:?}")));
                }
            }
        }
    }
    failures.extend(
        dates
            .test_examples()
            .into_iter()
            .map(|reason| ExampleFailure {
                rule: "date-formats".to_string(),
                file: PathBuf::from(DATES_FILE),
                line: 1,
                example: String::new(),
                reason,
            }),
    );
    failures.extend(
        vocabulary
            .test_examples()
            .into_iter()
            .map(|reason| ExampleFailure {
                rule: "vocabulary".to_string(),
                file: PathBuf::from(VOCABULARY_FILE),
                line: 1,
                example: String::new(),
                reason,
            }),
    );
    failures
}
