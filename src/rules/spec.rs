//! Rule files as written (TOML) and their compilation into [`Rule`]s: each
//! rule is parsed, checked against what its category allows, and compiled,
//! or refused with its file, line and id.

use super::checks::Check;
use super::source::{line_of, toml_error, RuleSource};
use super::{
    Origin, Rule, DEFAULT_REGION_LINES, LEVEL_GROUP, PAGE_GROUP, PUBLICATION_GROUPS, STRUCK_GROUP,
};
use crate::error::RuleError;
use crate::model::{Category, Confidence, Field, PageBreak, RuleAction, Severity};
use regex::Regex;
use serde::{Deserialize, Serialize};

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

pub fn invalid(origin: &Origin, id: &str, reason: String) -> RuleError {
    RuleError::Invalid {
        file: origin.file.clone(),
        line: origin.line,
        rule: id.to_string(),
        reason,
    }
}

pub fn parse_source(source: &RuleSource) -> Result<Vec<Rule>, RuleError> {
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
    if Check::from_id(&spec.id).is_some() {
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
    if !spec.fuzzy_words.is_empty() && spec.category == Category::OcrNoise {
        return Err(refuse(
            "`fuzzy-words` read garbled markings: they are not for ocr-noise rules".into(),
        ));
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
