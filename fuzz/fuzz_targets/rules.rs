//! Loading any rule file: accepted or refused with a reason, never a panic;
//! an accepted set runs its own examples.
#![no_main]

use declass::rules::{RuleSet, RuleSource};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let source = RuleSource {
        file: PathBuf::from("fuzz.toml"),
        text,
    };
    match RuleSet::from_sources(vec![source]) {
        Ok(rules) => {
            let _ = rules.test_examples();
            let _ = rules.listing();
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
});
