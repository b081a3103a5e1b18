//! Classification stage: the markings found by classification rules, with
//! their level and whether they are struck through, and the highest level;
//! and the control markings (EYES ONLY, NO FOREIGN DISSEM), which carry no
//! level.

use crate::audit::decode::Document;
use crate::audit::scan::Match;
use crate::diagnostic::{column_of, position, Position, Shared, Texts};
use crate::model::{Category, Level};
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};

/// A classification marking: where it is (1-based, in four bytes each: a
/// long document's markings are tens of thousands), its level, whether it
/// is struck through, and how it reads (held once for a document however
/// often it is printed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Marking {
    pub line: Position,
    pub column: Position,
    pub level: Level,
    pub struck: bool,
    pub text: Shared,
}

/// A control or dissemination marking: where it is and how it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Control {
    pub line: Position,
    pub column: Position,
    pub text: Shared,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Classification {
    /// The highest level marked anywhere, struck or not; `null` when unmarked.
    pub highest: Option<Level>,
    pub markings: Vec<Marking>,
    /// Control markings, in the order of the document.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
}

pub fn classify(doc: &Document, rules: &RuleSet, matches: &[Match]) -> Classification {
    let mut markings = Vec::new();
    let mut controls = Vec::new();
    let mut texts = Texts::default();
    for m in matches
        .iter()
        .filter(|m| rules.get(m.rule()).category == Category::Classification)
    {
        let text = doc.line(m.line());
        let line = position(m.line() + 1);
        let column = position(column_of(text, m.start()));
        let printed = texts.text(text[m.start()..m.end()].trim());
        match m.level() {
            Some(level) => markings.push(Marking {
                line,
                column,
                level: level.clone(),
                struck: m.struck,
                text: printed,
            }),
            None => controls.push(Control {
                line,
                column,
                text: printed,
            }),
        }
    }
    markings.shrink_to_fit();
    controls.shrink_to_fit();
    Classification {
        highest: markings
            .iter()
            .max_by_key(|m| rules.vocabulary().rank(&m.level))
            .map(|m| m.level.clone()),
        markings,
        controls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};
    use crate::audit::scan::scan;

    #[test]
    fn a_marking_printed_on_every_sheet_holds_its_text_once() {
        assert!(std::mem::size_of::<Marking>() <= 32);
        let rules = RuleSet::builtin().expect("the built-in rules load");
        let text = "SECRET\n\nThe minister spoke.\n\nSECRET\n\nHe left.\n\nSECRET\n";
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let found = classify(&doc, &rules, &scan(&doc, &rules));
        let lines: Vec<u32> = found.markings.iter().map(|m| m.line).collect();
        assert_eq!(lines, vec![1, 5, 9]);
        assert!(found.markings.iter().all(|m| m.text == "SECRET"));
        let first = found.markings[0].text.as_str();
        assert!(found
            .markings
            .iter()
            .all(|m| std::ptr::eq(m.text.as_str(), first)));
        assert_eq!(found.highest.as_ref().map(Level::as_str), Some("SECRET"));
    }
}
