//! Scanning any text with the built-in rules: never a panic, and every
//! match lies inside its line.
#![no_main]

use declass::audit::decode::{decode, Decoded};
use declass::audit::scan::scan;
use declass::rules::RuleSet;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules load"))
}

fuzz_target!(|data: &[u8]| {
    if let Decoded::Text(doc) = decode(data.to_vec()) {
        for m in scan(&doc, rules()) {
            assert!(m.line() <= m.end_line() && m.end_line() < doc.len());
            assert!(m.start() <= m.end() && m.end() <= doc.line(m.line()).len());
        }
    }
});
