//! `declass rules test` for the built-in checks: each check's example
//! document is audited with the rules in use, and must give a finding of
//! that check. (Rule files' own examples are tested in
//! [`crate::rules::selftest`], below the audit; this runs above it.)

use crate::audit::{audit_document, decode::sha256_hex, not_regular, too_large, AuditOptions};
use crate::rules::{Check, ExampleFailure, RuleSet};
use std::path::PathBuf;

/// Audits each built-in check's example; returns the checks whose example
/// gave no finding of theirs.
pub fn check_examples(rules: &RuleSet) -> Vec<ExampleFailure> {
    let options = AuditOptions::default();
    let mut failures = Vec::new();
    for check in Check::ALL {
        let example = check.example();
        let name = format!("{}.txt", check.id());
        let bytes = example.document.len() as u64;
        let audit = match example.max_bytes {
            _ if example.special.is_some() => {
                not_regular(&name, example.special.unwrap_or_default(), rules, &options)
            }
            Some(limit) if bytes > limit => {
                let sha256 = sha256_hex(example.document);
                too_large(&name, bytes, sha256, limit, rules, &options)
            }
            _ => audit_document(&name, &name, example.document.to_vec(), rules, &options),
        };
        let fired = audit
            .provenance
            .findings
            .iter()
            .any(|f| f.rule == check.id())
            || audit
                .provenance
                .actions
                .iter()
                .any(|a| a.rule == check.id());
        if !fired {
            failures.push(ExampleFailure {
                rule: check.id().to_string(),
                file: PathBuf::from("(built-in check)"),
                line: 0,
                example: String::from_utf8_lossy(example.document).into_owned(),
                reason: "gives no finding of this check".to_string(),
            });
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_check_fires_on_its_example() {
        let rules = RuleSet::builtin().unwrap();
        let failures = check_examples(&rules);
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
