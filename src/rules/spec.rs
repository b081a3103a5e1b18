//! Rule files as written (TOML) and their compilation into [`Rule`]s: each
//! rule is parsed, checked against what its category allows, and compiled,
//! or refused with its file, line and id.

use super::checks::Check;
use super::rule::{
    Examples, FuzzyWord, Origin, Rule, CONTROL_GROUP, DEFAULT_REGION_LINES, LEVEL_GROUP,
    PAGE_GROUP, PUBLICATION_GROUPS, STRUCK_GROUP,
};
use super::source::{line_of, toml_error, RuleSource};
use crate::error::RuleError;
use crate::model::{Category, Confidence, Field, PageBreak, RuleAction, Severity};
use regex::Regex;
use serde::Deserialize;

fn yes() -> bool {
    true
}

/// Where a description's lead clause ends: before its first example in
/// parentheses, gloss after a colon or second clause after a semicolon.
const CLAUSE_ENDS: [&str; 3] = [" (", ": ", "; "];

/// The lead clause of a rule's description ("Classification stamp on a line
/// of its own (any case, …)" → "Classification stamp on a line of its
/// own"): the message of its findings unless the rule gives one.
pub fn lead_clause(description: &str) -> &str {
    let description = description.trim();
    let end = CLAUSE_ENDS
        .iter()
        .filter_map(|e| description.find(e))
        .min()
        .unwrap_or(description.len());
    description[..end].trim_end_matches(['.', ',']).trim_end()
}

/// A rule as written in a file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleSpec {
    id: String,
    category: Category,
    severity: Severity,
    description: String,
    /// What a finding of the rule says (short; the description stays for
    /// the rule's listing). Default: the description's lead clause.
    #[serde(default)]
    message: Option<String>,
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
    /// Region rules: no line of the region is longer (in characters): a
    /// stamp's lines are short, and a region never takes a line of prose.
    #[serde(default)]
    max_line_chars: Option<usize>,
    /// Boilerplate region rules: multi-line patterns over the region's text
    /// whose `title`, `author`, `journal` and `year` groups are the
    /// publication's bibliographic facts.
    #[serde(default)]
    publication: Vec<String>,
    /// Whole-line marking words that OCR may garble: a short line within OCR
    /// distance of one of them is read as a match of this rule.
    #[serde(default)]
    fuzzy_words: Vec<String>,
    /// Page-furniture rules: the first line the rule matches is the
    /// document's own (a report number in its heading), kept as text; the
    /// repeats on later sheets are furniture.
    #[serde(default)]
    keep_first: bool,
    /// The rule reads copies of a stamp that OCR garbled: each line it
    /// matches is also a `garbled-stamp-line` finding (OCR noise).
    #[serde(default)]
    garbled: bool,
    #[serde(default)]
    examples: Option<Examples>,
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

/// A refusal's reason; the caller adds the file, line and rule id.
type Refusal = String;

/// What every rule must be: a kebab-case id of its own, a rule category, a
/// description, examples of both kinds, a replacement exactly when it
/// replaces.
fn check_common(spec: &RuleSpec, examples: &Examples) -> Result<(), Refusal> {
    if !is_kebab_case(&spec.id) {
        return Err("id must be kebab-case (lower-case letters and digits joined by '-')".into());
    }
    if Check::from_id(&spec.id).is_some() {
        return Err("id is reserved for a built-in check".into());
    }
    if !Category::RULES.contains(&spec.category) {
        return Err(format!(
            "category `{}` is not a rule category",
            spec.category
        ));
    }
    if spec.description.trim().is_empty() {
        return Err("description is empty".into());
    }
    if !examples.replace.is_empty() && spec.action != RuleAction::Replace {
        return Err("`examples.replace` is for `replace` rules".into());
    }
    if examples.matches.is_empty() || examples.no_match.is_empty() {
        return Err(
            "a rule needs at least one `examples.match` and one `examples.no-match`".into(),
        );
    }
    match (spec.action, &spec.replacement) {
        (RuleAction::Replace, None) => Err("action `replace` needs a `replacement`".into()),
        (other, Some(_)) if other != RuleAction::Replace => Err(format!(
            "`replacement` is only for action `replace`, not `{}`",
            other.as_str()
        )),
        _ => Ok(()),
    }
}

/// What a pattern's capture groups read.
struct Groups {
    fields: Vec<Field>,
    has_level: bool,
    has_struck: bool,
    has_page: bool,
    has_control: bool,
}

/// Compiles the pattern and reads its capture groups: stamp fields for a
/// declassification rule, `level`, `struck` and `page` for any rule, any
/// name for a replacement's template.
fn compile_pattern(spec: &RuleSpec) -> Result<(Regex, Groups), Refusal> {
    let regex = Regex::new(&spec.pattern).map_err(|e| format!("pattern: {e}"))?;
    if regex.is_match("") {
        return Err("pattern matches the empty string".into());
    }
    let names: Vec<&str> = regex.capture_names().flatten().collect();
    let mut fields = Vec::new();
    for name in &names {
        match Field::from_name(name) {
            Some(field)
                if matches!(
                    spec.category,
                    Category::Declassification | Category::PageFurniture
                ) =>
            {
                fields.push(field)
            }
            _ if [LEVEL_GROUP, STRUCK_GROUP, PAGE_GROUP, CONTROL_GROUP].contains(name) => {}
            _ if spec.action == RuleAction::Replace => {}
            _ => {
                return Err(format!(
                    "capture group `{name}` is not one this rule's category reads (declassification and page-furniture rules name stamp fields: {})",
                    Field::ALL.map(Field::as_str).join(", ")
                ))
            }
        }
    }
    let groups = Groups {
        fields,
        has_level: names.contains(&LEVEL_GROUP),
        has_struck: names.contains(&STRUCK_GROUP),
        has_page: names.contains(&PAGE_GROUP),
        has_control: names.contains(&CONTROL_GROUP),
    };
    Ok((regex, groups))
}

/// Refuses the keys of other categories than the rule's.
fn check_category_keys(spec: &RuleSpec) -> Result<(), Refusal> {
    let only = |category: Category, keys: &str| {
        if spec.category == category {
            Ok(())
        } else {
            Err(keys.to_string())
        }
    };
    if spec.confidence.is_some() || spec.markup {
        only(
            Category::OcrNoise,
            "`confidence` and `markup` are for ocr-noise rules",
        )?;
    }
    if !spec.block {
        only(
            Category::Declassification,
            "`block` is only for declassification rules",
        )?;
    }
    if spec.page_break.is_some() {
        only(
            Category::PageFurniture,
            "`page-break` is only for page-furniture rules",
        )?;
    }
    if spec.starts_block {
        only(
            Category::Declassification,
            "`starts-block` is only for declassification rules",
        )?;
    }
    Ok(())
}

/// OCR-noise rules: markup is replaced; garbled markings are no noise.
fn check_ocr_noise(spec: &RuleSpec) -> Result<(), Refusal> {
    if spec.markup && spec.action != RuleAction::Replace {
        return Err("a `markup` rule must use action `replace`".into());
    }
    if !spec.fuzzy_words.is_empty() && spec.category == Category::OcrNoise {
        return Err("`fuzzy-words` read garbled markings: they are not for ocr-noise rules".into());
    }
    Ok(())
}

/// Page-furniture rules: an inline page break keeps the rest of its line.
fn check_page_furniture(spec: &RuleSpec) -> Result<(), Refusal> {
    if spec.page_break == Some(PageBreak::Inline) && spec.action == RuleAction::RemoveLine {
        return Err(
            "an `inline` page break keeps the rest of the line: use `remove-match` or `flag`"
                .into(),
        );
    }
    Ok(())
}

/// Classification rules read a level, or a control marking.
fn check_classification(spec: &RuleSpec, groups: &Groups) -> Result<(), Refusal> {
    if spec.category == Category::Classification && !groups.has_level && !groups.has_control {
        return Err(format!(
            "a classification rule needs a `(?P<{LEVEL_GROUP}>...)` group (a level) or a `(?P<{CONTROL_GROUP}>...)` group (a control marking)"
        ));
    }
    Ok(())
}

/// A region rule's parts: where it ends and how far to look, how near the
/// top it starts, what it must contain, the publication facts it reads.
struct Region {
    until: Option<(Regex, usize)>,
    must_contain: Option<Regex>,
    publication: Vec<Regex>,
}

fn compile_region(spec: &RuleSpec) -> Result<Region, Refusal> {
    let until = match (&spec.until, spec.max_lines) {
        (Some(until), max) => {
            if !matches!(spec.action, RuleAction::RemoveLine | RuleAction::Flag) {
                return Err(
                    "a region rule (`until`) must use action `remove-line` or `flag`".into(),
                );
            }
            let until = Regex::new(until).map_err(|e| format!("until: {e}"))?;
            Some((until, max.unwrap_or(DEFAULT_REGION_LINES)))
        }
        (None, Some(_)) => return Err("`max-lines` goes with `until`".into()),
        (None, None) => None,
    };
    if (spec.within_first_lines.is_some()
        || spec.must_contain.is_some()
        || spec.max_line_chars.is_some()
        || !spec.publication.is_empty())
        && until.is_none()
    {
        return Err(
            "`within-first-lines`, `must-contain`, `max-line-chars` and `publication` go with `until`"
                .into(),
        );
    }
    let must_contain = spec
        .must_contain
        .as_deref()
        .map(Regex::new)
        .transpose()
        .map_err(|e| format!("must-contain: {e}"))?;
    let mut publication = Vec::new();
    for pattern in &spec.publication {
        let regex = Regex::new(pattern).map_err(|e| format!("publication: {e}"))?;
        if let Some(name) = regex
            .capture_names()
            .flatten()
            .find(|n| !PUBLICATION_GROUPS.contains(n))
        {
            return Err(format!(
                "publication group `{name}` is not one of {}",
                PUBLICATION_GROUPS.join(", ")
            ));
        }
        publication.push(regex);
    }
    Ok(Region {
        until,
        must_contain,
        publication,
    })
}

/// Checks a rule as written and compiles it, or refuses it with its file,
/// line and id.
fn compile(spec: RuleSpec, origin: Origin) -> Result<Rule, RuleError> {
    let refuse = |reason: Refusal| invalid(&origin, &spec.id, reason);
    let examples = spec.examples.clone().unwrap_or(Examples {
        matches: Vec::new(),
        no_match: Vec::new(),
        replace: Vec::new(),
    });
    check_common(&spec, &examples).map_err(refuse)?;
    let (regex, groups) = compile_pattern(&spec).map_err(refuse)?;
    check_category_keys(&spec).map_err(refuse)?;
    check_ocr_noise(&spec).map_err(refuse)?;
    if !spec.fuzzy_words.is_empty() && spec.action != RuleAction::RemoveLine {
        return Err(refuse("`fuzzy-words` go with action `remove-line`".into()));
    }
    check_page_furniture(&spec).map_err(refuse)?;
    if spec.keep_first && (spec.category != Category::PageFurniture || spec.until.is_some()) {
        return Err(refuse(
            "`keep-first` goes with a single-line page-furniture rule".into(),
        ));
    }
    if spec.garbled
        && !matches!(
            spec.category,
            Category::Classification | Category::Declassification
        )
    {
        return Err(refuse(
            "`garbled` goes with a classification or declassification rule (a stamp)".into(),
        ));
    }
    check_classification(&spec, &groups).map_err(refuse)?;
    let region = compile_region(&spec).map_err(refuse)?;
    Ok(Rule {
        id: spec.id,
        category: spec.category,
        severity: spec.severity,
        message: match &spec.message {
            Some(message) if !message.trim().is_empty() => message.trim().to_string(),
            _ => lead_clause(&spec.description).to_string(),
        },
        description: spec.description.trim().to_string(),
        action: spec.action,
        replacement: spec.replacement,
        regex,
        until: region.until,
        within_first_lines: spec.within_first_lines,
        max_line_chars: spec.max_line_chars,
        must_contain: region.must_contain,
        publication: region.publication,
        starts_block: spec.starts_block,
        block: spec.block,
        fields: groups.fields,
        page_break: spec.page_break,
        confidence: spec.confidence.unwrap_or(Confidence::High),
        markup: spec.markup,
        fuzzy_words: spec.fuzzy_words.into_iter().map(FuzzyWord::new).collect(),
        keep_first: spec.keep_first,
        garbled: spec.garbled,
        has_page: groups.has_page,
        examples,
        origin,
        has_level: groups.has_level,
        has_struck: groups.has_struck,
        has_control: groups.has_control,
    })
}
