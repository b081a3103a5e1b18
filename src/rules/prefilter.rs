//! The patterns the prefilter runs. Every line goes through one `RegexSet`
//! of all the rules; a line it reports for a rule is then matched by that
//! rule's own regex, which alone decides. So the set may run a looser
//! pattern than the rule — one that matches wherever the rule matches, and
//! sometimes where it does not — if that makes its automaton smaller: a
//! lazy DFA over seventy patterns builds states for every count of a
//! bounded repetition (`[ -~]{0,30}`) and for every optional lead-in of an
//! unanchored pattern (`(?:By:?[ \t]+)?(?P<reviewer>…)?…NARA`).
//!
//! The loosening keeps the language a superset of the rule's: a bounded
//! repetition `X{m,n}` becomes `X{m,}` (from `n ≥ m + 2`); capture groups become plain groups;
//! and where the pattern is not anchored at that end, the optional pieces at
//! its start and end (`X?`, `X*`) are dropped, since a match of `A B C` with
//! `A` and `C` optional contains a match of `B`.

use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

/// The pattern the prefilter runs for `pattern`: a superset of its matches.
/// A pattern the parser refuses is returned as it is (the rule's own
/// compilation reports it).
pub fn loosened(pattern: &str) -> String {
    match regex_syntax::Parser::new().parse(pattern) {
        Ok(hir) => trim_optional_ends(loosen(&hir)).to_string(),
        Err(_) => pattern.to_string(),
    }
}

/// Bounded repetitions unbounded, capture groups plain, everywhere.
fn loosen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Repetition(rep) => Hir::repetition(Repetition {
            min: rep.min,
            // `X?` and `X{2,3}` count too little to matter.
            max: rep.max.filter(|&max| max < rep.min.saturating_add(2)),
            greedy: rep.greedy,
            sub: Box::new(loosen(&rep.sub)),
        }),
        HirKind::Capture(Capture { sub, .. }) => loosen(sub),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(loosen).collect()),
        HirKind::Alternation(parts) => Hir::alternation(parts.iter().map(loosen).collect()),
        _ => hir.clone(),
    }
}

/// Whether a piece may match nothing and asserts nothing: `X?`, `X*`.
fn optional(hir: &Hir) -> bool {
    matches!(hir.kind(), HirKind::Repetition(rep) if rep.min == 0)
}

/// The pattern without the optional pieces at an end it is not anchored at.
fn trim_optional_ends(hir: Hir) -> Hir {
    let HirKind::Concat(parts) = hir.kind() else {
        return hir;
    };
    let start = parts.iter().take_while(|p| optional(p)).count();
    let end = parts.len() - parts.iter().rev().take_while(|p| optional(p)).count();
    if start >= end {
        return hir;
    }
    Hir::concat(parts[start..end].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    #[test]
    fn bounded_repetitions_and_optional_ends_are_loosened() {
        assert_eq!(
            loosened("^[ -~]{0,30}?(?P<c>GROUP)"),
            loosened("^[ -~]*?GROUP")
        );
        assert_eq!(
            loosened("(?:By:?[ ]+)?(?P<r>[A-Z]+)?[ ]*NARA[0-9]*"),
            "(?:NARA)"
        );
        // Anchored ends are kept, and so is a pattern made only of optional
        // pieces.
        assert_eq!(loosened("^x?y$"), r"(?:\Ax?y\z)");
        assert_eq!(loosened("a?"), "a?");
    }

    #[test]
    fn a_loosened_pattern_matches_wherever_the_rule_does() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        for rule in rules.rules() {
            let loose = Regex::new(&loosened(rule.regex.as_str())).unwrap();
            for example in &rule.examples.matches {
                assert!(
                    loose.is_match(example),
                    "{}: {example:?} lost by {}",
                    rule.id,
                    loose.as_str()
                );
            }
        }
    }
}
