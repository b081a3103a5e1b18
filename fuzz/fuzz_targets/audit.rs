//! The whole audit of one document: never a panic; the report serialises,
//! reads back and is written again byte for byte; it says no finding twice
//! (one rule at one place); the cleaned text and diff are there for every
//! decoded document, and auditing the cleaned text again changes nothing
//! more.
#![no_main]

use declass::audit::report::{to_json_bytes, Provenance};
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
    let bytes = to_json_bytes(&audit.provenance).expect("the report serialises");
    let back: Provenance = serde_json::from_slice(&bytes).expect("the report reads back");
    assert_eq!(back, audit.provenance, "the report reads back as it was");
    assert_eq!(to_json_bytes(&back).expect("serialises again"), bytes);
    let twice = declass::audit::decided::said_twice(&audit.provenance.findings);
    assert!(twice.is_empty(), "finding said twice: {twice:?}");
    if let Some(cleaned) = audit.cleaned() {
        assert!(audit.diff().is_some());
        let again = audit_document("fuzz.txt", "fuzz.txt", cleaned.clone(), rules(), &options);
        assert_eq!(again.cleaned().as_deref(), Some(&cleaned[..]), "cleaning is idempotent");
    }
});
