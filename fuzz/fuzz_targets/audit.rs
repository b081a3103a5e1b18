//! The whole audit of one document: never a panic; the report serialises
//! and says no finding twice (one rule at one place); the cleaned text and
//! diff are there for every decoded document, and auditing the cleaned
//! text again changes nothing more.
#![no_main]

use declass::audit::report::to_json_bytes;
use declass::audit::{audit_document, AuditOptions};
use declass::rules::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    let options = AuditOptions::default();
    let audit = audit_document("fuzz.txt", "fuzz.txt", data.to_vec(), rules(), &options);
    to_json_bytes(&audit.provenance).expect("the report serialises");
    let twice = declass::audit::decided::said_twice(&audit.provenance.findings);
    assert!(twice.is_empty(), "finding said twice: {twice:?}");
    if let Some(cleaned) = audit.cleaned() {
        assert!(audit.diff().is_some());
        let again = audit_document("fuzz.txt", "fuzz.txt", cleaned.clone(), rules(), &options);
        assert_eq!(again.cleaned().as_deref(), Some(&cleaned[..]), "cleaning is idempotent");
    }
});
