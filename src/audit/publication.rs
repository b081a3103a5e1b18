//! Publication facts: what a repository cover sheet says of the publication
//! (title, author, journal, year), read by the `publication` patterns of the
//! region rule that matched it.

use crate::audit::decode::Document;
use crate::audit::report::Publication;
use crate::audit::scan::Match;
use crate::rules::RuleSet;

/// The bibliographic facts that rules' `publication` patterns read from the
/// regions they matched.
pub fn publication(doc: &Document, rules: &RuleSet, matches: &[Match]) -> Option<Publication> {
    let mut found = Publication::default();
    for m in matches {
        let rule = rules.get(m.rule());
        if rule.publication.is_empty() {
            continue;
        }
        let text = (m.line()..=m.end_line())
            .map(|i| doc.line(i))
            .collect::<Vec<_>>()
            .join("\n");
        for pattern in &rule.publication {
            let Some(caps) = pattern.captures(&text) else {
                continue;
            };
            let get = |name: &str| caps.name(name).map(|m| m.as_str().trim().to_string());
            found.title = found.title.or_else(|| get("title"));
            found.author = found.author.or_else(|| get("author"));
            found.journal = found.journal.or_else(|| get("journal"));
            found.year = found
                .year
                .or_else(|| get("year").and_then(|y| y.parse().ok()));
        }
    }
    (found != Publication::default()).then_some(found)
}
