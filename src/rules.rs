//! Rule files: loading, validation, compilation and self-test.
//!
//! A rule set is read from TOML sources (the five built-in files, or every
//! `*.toml` in a `--rules` folder) by one loader, so the built-in rules and a
//! user's are checked the same way. All line rules are compiled together into
//! one [`RegexSet`] that the scanner runs once per line as a prefilter; only
//! the rules it reports are then run on their own to find spans.

use crate::dates::DateFormats;
use crate::error::RuleError;
use crate::facts::Facts;
use crate::model::{Category, Confidence, Field, Level, PageBreak, RuleAction, Severity};
use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The data files of a rule set, read by name rather than as rule files.
pub const DATES_FILE: &str = "dates.toml";
pub const FACTS_FILE: &str = "facts.toml";

/// The built-in rule and data files, compiled into the binary.
const BUILTIN: [(&str, &str); 7] = [
    (
        "classification.toml",
        include_str!("../rules/classification.toml"),
    ),
    (
        "declassification.toml",
        include_str!("../rules/declassification.toml"),
    ),
    (
        "page-furniture.toml",
        include_str!("../rules/page-furniture.toml"),
    ),
    ("ocr-noise.toml", include_str!("../rules/ocr-noise.toml")),
    (
        "boilerplate.toml",
        include_str!("../rules/boilerplate.toml"),
    ),
    (DATES_FILE, include_str!("../rules/dates.toml")),
    (FACTS_FILE, include_str!("../rules/facts.toml")),
];

/// Name of the capture group a classification rule uses for the level.
pub const LEVEL_GROUP: &str = "level";
/// Name of the capture group whose participation marks a struck-through stamp.
pub const STRUCK_GROUP: &str = "struck";
/// Capture groups a `publication` pattern may have.
pub const PUBLICATION_GROUPS: [&str; 4] = ["title", "author", "journal", "year"];
/// Name of the capture group holding a printed page number.
pub const PAGE_GROUP: &str = "page";
/// Cache size of the rule set's lazy DFA.
pub const SET_DFA_CACHE_BYTES: usize = 64 << 20;
/// How many lines a region rule looks ahead for its `until` line by default.
pub const DEFAULT_REGION_LINES: usize = 40;

/// Ids of the checks that are mechanisms in code, not rules in files.
pub mod check {
    pub const BINARY: &str = "input-binary";
    pub const INVALID_UTF8: &str = "input-invalid-utf8";
    pub const EMPTY: &str = "input-empty";
    pub const TOO_LARGE: &str = "input-too-large";
    pub const BOM: &str = "input-bom";
    pub const WINDOWS_1252: &str = "input-windows-1252";
    pub const DECLASSIFICATION_BLOCK: &str = "declassification-block";
    pub const COLLAPSE_BLANK_LINES: &str = "collapse-blank-lines";
    pub const CATCHWORD: &str = "catchword";
    pub const SHEET_MARK: &str = "sheet-mark";
    pub const REPEATED_SHEET_HEADER: &str = "repeated-sheet-header";
    pub const FORM_LABEL: &str = "form-label";
    pub const PARAGRAPH_JOIN: &str = "paragraph-join";
    pub const OCR_CORRUPTED_STAMP: &str = "ocr-corrupted-stamp";
    pub const STAMPS_DISAGREE: &str = "stamps-disagree";
    pub const NO_DECLASSIFICATION_AUTHORITY: &str = "no-declassification-authority";
    pub const ORDER_BEFORE_SIGNING: &str = "order-before-signing";
    pub const ORDER_SUPERSEDED: &str = "order-superseded";
    pub const ARCHIVE_NAME_ANACHRONISM: &str = "archive-name-anachronism";
    pub const REVIEW_BEFORE_DOCUMENT: &str = "review-before-document";
    pub const UNSTRUCK_MARKING: &str = "unstruck-marking-on-declassified";
    pub const MOJIBAKE: &str = "mojibake";
    pub const GARBAGE_LINE: &str = "garbage-line";
    pub const BROKEN_HYPHENATION: &str = "broken-hyphenation";
    pub const CORRUPTED_MARKING_WORD: &str = "corrupted-marking-word";
}

/// The built-in checks: id, category, severity, description. A rule file may
/// not reuse these ids.
pub const BUILTIN_CHECKS: [(&str, Category, Severity, &str); 25] = [
    (
        check::BINARY,
        Category::Input,
        Severity::Error,
        "File contains NUL bytes: treated as binary and not audited",
    ),
    (
        check::INVALID_UTF8,
        Category::Input,
        Severity::Warning,
        "File is not valid UTF-8: decoded as Windows-1252",
    ),
    (
        check::EMPTY,
        Category::Input,
        Severity::Info,
        "File is empty",
    ),
    (
        check::TOO_LARGE,
        Category::Input,
        Severity::Error,
        "File is larger than --max-bytes: not audited",
    ),
    (
        check::BOM,
        Category::Input,
        Severity::Info,
        "UTF-8 byte-order mark removed from the cleaned text",
    ),
    (
        check::WINDOWS_1252,
        Category::Input,
        Severity::Info,
        "Line re-encoded from Windows-1252 to UTF-8 in the cleaned text",
    ),
    (
        check::DECLASSIFICATION_BLOCK,
        Category::Declassification,
        Severity::Info,
        "Unmatched line inside a declassification block, removed with the block",
    ),
    (
        check::COLLAPSE_BLANK_LINES,
        Category::PageFurniture,
        Severity::Info,
        "Blank line dropped so that removed lines leave at most one blank line",
    ),
    (
        check::CATCHWORD,
        Category::PageFurniture,
        Severity::Info,
        "Typist's catchword: a short line at the foot of a sheet repeating the first words of the next",
    ),
    (
        check::SHEET_MARK,
        Category::PageFurniture,
        Severity::Info,
        "Short mark between a catchword and its continuation (filing or routing notation)",
    ),
    (
        check::REPEATED_SHEET_HEADER,
        Category::PageFurniture,
        Severity::Info,
        "Line repeated at the head or foot of two or more sheets, learned from the document",
    ),
    (
        check::FORM_LABEL,
        Category::PageFurniture,
        Severity::Info,
        "Printed form label with no value, which another sheet prints with its value",
    ),
    (
        check::PARAGRAPH_JOIN,
        Category::PageFurniture,
        Severity::Info,
        "Paragraph split by a page break or removed lines, joined",
    ),
    (
        check::OCR_CORRUPTED_STAMP,
        Category::OcrNoise,
        Severity::Warning,
        "A stamp's field garbled by OCR: the other copies of the stamp read it otherwise (with the suggested reading)",
    ),
    (
        check::STAMPS_DISAGREE,
        Category::Declassification,
        Severity::Warning,
        "Two declassification stamps of one document disagree on a field",
    ),
    (
        check::NO_DECLASSIFICATION_AUTHORITY,
        Category::Declassification,
        Severity::Error,
        "Classification markings and no declassification authority anywhere in the document",
    ),
    (
        check::ORDER_BEFORE_SIGNING,
        Category::Declassification,
        Severity::Error,
        "Executive order cited on a review dated before the order was signed (facts.toml)",
    ),
    (
        check::ORDER_SUPERSEDED,
        Category::Declassification,
        Severity::Warning,
        "Executive order cited on a review dated well after it was replaced (facts.toml)",
    ),
    (
        check::ARCHIVE_NAME_ANACHRONISM,
        Category::Declassification,
        Severity::Warning,
        "NARS on a review dated after the archive became NARA, or NARA before (facts.toml)",
    ),
    (
        check::REVIEW_BEFORE_DOCUMENT,
        Category::Declassification,
        Severity::Error,
        "Review dated before the document's own date",
    ),
    (
        check::UNSTRUCK_MARKING,
        Category::Classification,
        Severity::Info,
        "Classification marking not struck through on a document marked declassified",
    ),
    (
        check::MOJIBAKE,
        Category::OcrNoise,
        Severity::Info,
        "UTF-8 text once read as Windows-1252 (\u{e2}\u{20ac}\u{2122} for \u{2019}), read back",
    ),
    (
        check::GARBAGE_LINE,
        Category::OcrNoise,
        Severity::Info,
        "Line of stray marks, scored by its share of marks, kinds of mark and longest word",
    ),
    (
        check::BROKEN_HYPHENATION,
        Category::OcrNoise,
        Severity::Info,
        "Word split by a hyphen at a line end, joined as the document writes it",
    ),
    (
        check::CORRUPTED_MARKING_WORD,
        Category::OcrNoise,
        Severity::Info,
        "Marking word garbled by OCR (SECRFT, T0P SECRET), read as the marking it is",
    ),
];

/// Category and severity of a built-in check.
pub fn builtin_check(id: &str) -> Option<(Category, Severity, &'static str)> {
    BUILTIN_CHECKS
        .iter()
        .find(|(name, ..)| *name == id)
        .map(|&(_, category, severity, description)| (category, severity, description))
}

fn yes() -> bool {
    true
}

/// A rule as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleSpec {
    id: String,
    category: Category,
    severity: Severity,
    description: String,
    pattern: String,
    action: RuleAction,
    #[serde(default)]
    replacement: Option<String>,
    /// Region rules: the pattern starts a region that ends at the first
    /// following line matching `until`.
    #[serde(default)]
    until: Option<String>,
    #[serde(default)]
    max_lines: Option<usize>,
    /// Declassification rules: a matched line begins a new block.
    #[serde(default)]
    starts_block: bool,
    /// Declassification rules: `false` for a line that is recorded with its
    /// fields but is no part of a release stamp (a cable's instructions, an
    /// exemption code).
    #[serde(default = "yes")]
    block: bool,
    /// Page-furniture rules: where a match puts a page boundary.
    #[serde(default)]
    page_break: Option<PageBreak>,
    /// OCR-noise rules: how sure the repair is (default high).
    #[serde(default)]
    confidence: Option<Confidence>,
    /// OCR-noise rules: the match is conversion markup that `--markup`
    /// keeps, drops or leaves.
    #[serde(default)]
    markup: bool,
    /// Region rules: the region starts within this many lines of the top.
    #[serde(default)]
    within_first_lines: Option<usize>,
    /// Region rules: some line of the region must match this.
    #[serde(default)]
    must_contain: Option<String>,
    /// Boilerplate region rules: multi-line patterns over the region's text
    /// whose `title`, `author`, `journal` and `year` groups are the
    /// publication's bibliographic facts.
    #[serde(default)]
    publication: Vec<String>,
    /// Whole-line marking words that OCR may garble: a short line within OCR
    /// distance of one of them is read as a match of this rule.
    #[serde(default)]
    fuzzy_words: Vec<String>,
    #[serde(default)]
    examples: Option<Examples>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(rename = "match", default)]
    pub matches: Vec<String>,
    #[serde(rename = "no-match", default)]
    pub no_match: Vec<String>,
    /// For `replace` rules: [line, line after the replacement].
    #[serde(default)]
    pub replace: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
}

/// Where a rule was written.
#[derive(Debug, Clone)]
pub struct Origin {
    pub file: PathBuf,
    pub line: usize,
}

/// A compiled, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub category: Category,
    pub severity: Severity,
    pub description: String,
    pub action: RuleAction,
    pub replacement: Option<String>,
    pub regex: Regex,
    /// For region rules: the pattern that ends the region, and how far to look.
    pub until: Option<(Regex, usize)>,
    /// For region rules: how near the top the region starts, and what it
    /// must contain.
    pub within_first_lines: Option<usize>,
    pub must_contain: Option<Regex>,
    /// Patterns reading a publication's facts from the region.
    pub publication: Vec<Regex>,
    /// A line this rule matches begins a new declassification block.
    pub starts_block: bool,
    /// Whether this rule's lines form declassification blocks.
    pub block: bool,
    /// The stamp fields its capture groups read.
    pub fields: Vec<Field>,
    /// Where a match of this rule puts a page boundary, if anywhere.
    pub page_break: Option<PageBreak>,
    /// How sure the rule's repair is (OCR-noise rules).
    pub confidence: Confidence,
    /// Whether the match is conversion markup (see `--markup`).
    pub markup: bool,
    /// Marking words this rule also reads when OCR garbled them.
    pub fuzzy_words: Vec<String>,
    /// Whether the pattern has a `page` capture group (a printed page number).
    pub has_page: bool,
    pub examples: Examples,
    pub origin: Origin,
    /// Whether the pattern has `level` / `struck` capture groups.
    pub has_level: bool,
    pub has_struck: bool,
}

impl Rule {
    /// Whether the scanner needs capture groups for this rule's matches.
    pub fn needs_captures(&self) -> bool {
        self.has_level
            || self.has_page
            || !self.fields.is_empty()
            || self.action == RuleAction::Replace
    }
}

/// One source text of a rule set: a file name and its contents.
#[derive(Debug, Clone)]
pub struct RuleSource {
    pub file: PathBuf,
    pub text: String,
}

/// All rules in use, with the prefilter that matches them in one pass.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    set: RegexSet,
    sha256: String,
    dates: DateFormats,
    facts: Facts,
}

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

    /// The same rules without those whose ids are given. Built-in checks
    /// cannot be left out (their severity can be changed instead).
    pub fn without(self, ids: &[String]) -> Result<RuleSet, RuleError> {
        if let Some(id) = ids
            .iter()
            .find(|id| !self.rules.iter().any(|r| &r.id == *id))
        {
            return Err(RuleError::Unknown {
                rule: id.clone(),
                reason: if builtin_check(id).is_some() {
                    "is a built-in check, which cannot be disabled (override its severity instead)"
                } else {
                    "is no rule of the rule set"
                },
            });
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
        Ok(RuleSet { rules, set, ..self })
    }

    /// Parses, validates and compiles rule sources. Refuses the whole set at
    /// the first rule that is malformed, with its file, line and id. The data
    /// files (`dates.toml`, `facts.toml`) are taken from the built-in set when
    /// the sources do not include them.
    pub fn from_sources(mut sources: Vec<RuleSource>) -> Result<RuleSet, RuleError> {
        for data in [DATES_FILE, FACTS_FILE] {
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
            if name == FACTS_FILE {
                facts = Some(Facts::parse(source)?);
                continue;
            }
            for rule in parse_source(source)? {
                if let Some(first) = seen.get(&rule.id) {
                    return Err(invalid(
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
        Ok(RuleSet {
            rules,
            set,
            sha256: format!("{:x}", hasher.finalize()),
            dates: dates.ok_or_else(|| missing(DATES_FILE))?,
            facts: facts.ok_or_else(|| missing(FACTS_FILE))?,
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
    pub fn facts(&self) -> &Facts {
        &self.facts
    }

    /// SHA-256 over the rule sources in use (file names and contents).
    pub fn sha256(&self) -> &str {
        &self.sha256
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
        for (id, category, severity, description) in BUILTIN_CHECKS {
            text.push_str(&format!(
                "{id:<34} {category:<16} {severity:<7} {description} (built-in)\n"
            ));
        }
        text
    }

    /// How many examples the rules and date formats carry.
    pub fn example_count(&self) -> usize {
        self.rules
            .iter()
            .map(|r| {
                r.examples.matches.len() + r.examples.no_match.len() + r.examples.replace.len()
            })
            .sum::<usize>()
            + self.dates.example_count()
    }

    /// Runs every rule's examples. Returns the failures (empty when all pass).
    pub fn test_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for rule in &self.rules {
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
                        if level.and_then(Level::from_marking).is_none() {
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
                let index = self.rules.iter().position(|r| r.id == rule.id);
                if let Some(index) = index {
                    if rule.regex.is_match(example) && !self.set.matches(example).matched(index) {
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
            self.dates
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
        failures
    }
}

/// The `*.toml` files directly in `dir`, in name order.
fn dir_sources(dir: &Path) -> Result<Vec<RuleSource>, RuleError> {
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
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
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

/// The prefilter of a rule set: all its patterns in one `RegexSet`. All
/// rules run on every line through it; a larger cache of lazy-DFA
/// transitions keeps it from rebuilding states on long inputs.
fn rule_set(rules: &[Rule]) -> Result<RegexSet, regex::Error> {
    RegexSetBuilder::new(rules.iter().map(|r| r.regex.as_str()))
        .dfa_size_limit(SET_DFA_CACHE_BYTES)
        .build()
}

fn builtin_sources() -> Vec<RuleSource> {
    BUILTIN
        .iter()
        .map(|(name, text)| RuleSource {
            file: Path::new("rules").join(name),
            text: (*text).to_string(),
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn invalid(origin: &Origin, id: &str, reason: String) -> RuleError {
    RuleError::Invalid {
        file: origin.file.clone(),
        line: origin.line,
        rule: id.to_string(),
        reason,
    }
}

fn line_of(text: &str, byte: usize) -> usize {
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

fn parse_source(source: &RuleSource) -> Result<Vec<Rule>, RuleError> {
    let file: RuleFile = toml::from_str(&source.text).map_err(|e| toml_error(source, &e))?;
    let mut rules = Vec::with_capacity(file.rule.len());
    for spanned in file.rule {
        let origin = Origin {
            file: source.file.clone(),
            line: line_of(&source.text, spanned.span().start),
        };
        let table = spanned.into_inner();
        let id = table
            .get("id")
            .and_then(|v| v.as_str())
            .unwrap_or("<no id>")
            .to_string();
        let spec: RuleSpec = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| invalid(&origin, &id, e.message().to_string()))?;
        rules.push(compile(spec, origin)?);
    }
    Ok(rules)
}

fn is_kebab_case(id: &str) -> bool {
    !id.is_empty()
        && id.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

fn compile(spec: RuleSpec, origin: Origin) -> Result<Rule, RuleError> {
    let id = spec.id.clone();
    let refuse = |reason: String| invalid(&origin, &id, reason);
    if !is_kebab_case(&spec.id) {
        return Err(refuse(
            "id must be kebab-case (lower-case letters and digits joined by '-')".into(),
        ));
    }
    if BUILTIN_CHECKS.iter().any(|(name, ..)| *name == spec.id) {
        return Err(refuse("id is reserved for a built-in check".into()));
    }
    if !Category::RULES.contains(&spec.category) {
        return Err(refuse(format!(
            "category `{}` is not a rule category",
            spec.category
        )));
    }
    if spec.description.trim().is_empty() {
        return Err(refuse("description is empty".into()));
    }
    let examples = spec.examples.unwrap_or(Examples {
        matches: Vec::new(),
        no_match: Vec::new(),
        replace: Vec::new(),
    });
    if !examples.replace.is_empty() && spec.action != RuleAction::Replace {
        return Err(refuse("`examples.replace` is for `replace` rules".into()));
    }
    if examples.matches.is_empty() || examples.no_match.is_empty() {
        return Err(refuse(
            "a rule needs at least one `examples.match` and one `examples.no-match`".into(),
        ));
    }
    match (spec.action, &spec.replacement) {
        (RuleAction::Replace, None) => {
            return Err(refuse("action `replace` needs a `replacement`".into()))
        }
        (RuleAction::Replace, Some(_)) => {}
        (other, Some(_)) => {
            return Err(refuse(format!(
                "`replacement` is only for action `replace`, not `{}`",
                other.as_str()
            )))
        }
        (_, None) => {}
    }
    let regex = Regex::new(&spec.pattern).map_err(|e| refuse(format!("pattern: {e}")))?;
    if regex.is_match("") {
        return Err(refuse("pattern matches the empty string".into()));
    }
    let names: Vec<&str> = regex.capture_names().flatten().collect();
    let has_level = names.contains(&LEVEL_GROUP);
    let has_struck = names.contains(&STRUCK_GROUP);
    let has_page = names.contains(&PAGE_GROUP);
    let mut fields = Vec::new();
    for name in &names {
        match Field::from_name(name) {
            Some(field) if spec.category == Category::Declassification => fields.push(field),
            _ if [LEVEL_GROUP, STRUCK_GROUP, PAGE_GROUP].contains(name) => {}
            _ if spec.action == RuleAction::Replace => {}
            _ => {
                return Err(refuse(format!(
                    "capture group `{name}` is not one this rule's category reads (declassification rules name stamp fields: {})",
                    Field::ALL.map(Field::as_str).join(", ")
                )))
            }
        }
    }
    if (spec.confidence.is_some() || spec.markup) && spec.category != Category::OcrNoise {
        return Err(refuse(
            "`confidence` and `markup` are for ocr-noise rules".into(),
        ));
    }
    if spec.markup && spec.action != RuleAction::Replace {
        return Err(refuse("a `markup` rule must use action `replace`".into()));
    }
    if !spec.fuzzy_words.is_empty() && spec.action != RuleAction::RemoveLine {
        return Err(refuse("`fuzzy-words` go with action `remove-line`".into()));
    }
    if !spec.block && spec.category != Category::Declassification {
        return Err(refuse("`block` is only for declassification rules".into()));
    }
    if spec.page_break.is_some() && spec.category != Category::PageFurniture {
        return Err(refuse(
            "`page-break` is only for page-furniture rules".into(),
        ));
    }
    if spec.page_break == Some(PageBreak::Inline) && spec.action == RuleAction::RemoveLine {
        return Err(refuse(
            "an `inline` page break keeps the rest of the line: use `remove-match` or `flag`"
                .into(),
        ));
    }
    if spec.category == Category::Classification && !has_level {
        return Err(refuse(format!(
            "a classification rule needs a `(?P<{LEVEL_GROUP}>...)` group"
        )));
    }
    if spec.starts_block && spec.category != Category::Declassification {
        return Err(refuse(
            "`starts-block` is only for declassification rules".into(),
        ));
    }
    let until = match (&spec.until, spec.max_lines) {
        (Some(until), max) => {
            if !matches!(spec.action, RuleAction::RemoveLine | RuleAction::Flag) {
                return Err(refuse(
                    "a region rule (`until`) must use action `remove-line` or `flag`".into(),
                ));
            }
            let until = Regex::new(until).map_err(|e| refuse(format!("until: {e}")))?;
            Some((until, max.unwrap_or(DEFAULT_REGION_LINES)))
        }
        (None, Some(_)) => return Err(refuse("`max-lines` goes with `until`".into())),
        (None, None) => None,
    };
    if (spec.within_first_lines.is_some()
        || spec.must_contain.is_some()
        || !spec.publication.is_empty())
        && until.is_none()
    {
        return Err(refuse(
            "`within-first-lines`, `must-contain` and `publication` go with `until`".into(),
        ));
    }
    let must_contain = spec
        .must_contain
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|e| refuse(format!("must-contain: {e}")))?;
    let mut publication = Vec::new();
    for pattern in &spec.publication {
        let regex = Regex::new(pattern).map_err(|e| refuse(format!("publication: {e}")))?;
        if let Some(name) = regex
            .capture_names()
            .flatten()
            .find(|n| !PUBLICATION_GROUPS.contains(n))
        {
            return Err(refuse(format!(
                "publication group `{name}` is not one of {}",
                PUBLICATION_GROUPS.join(", ")
            )));
        }
        publication.push(regex);
    }
    Ok(Rule {
        id: spec.id,
        category: spec.category,
        severity: spec.severity,
        description: spec.description.trim().to_string(),
        action: spec.action,
        replacement: spec.replacement,
        regex,
        until,
        within_first_lines: spec.within_first_lines,
        must_contain,
        publication,
        starts_block: spec.starts_block,
        block: spec.block,
        fields,
        page_break: spec.page_break,
        confidence: spec.confidence.unwrap_or(Confidence::High),
        markup: spec.markup,
        fuzzy_words: spec.fuzzy_words,
        has_page,
        examples,
        origin,
        has_level,
        has_struck,
    })
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
    fn builtin_rules_load_and_pass_their_examples() {
        let set = RuleSet::builtin().expect("built-in rules load");
        assert!(set.rules().len() >= 15);
        let failures = set.test_examples();
        assert!(failures.is_empty(), "{failures:#?}");
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
