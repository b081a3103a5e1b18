//! The document's own dates ("6 APRIL 1946", "Dated April 5, 1946"), read
//! with the formats of `dates.toml` from the lines outside declassification
//! blocks (a stamp's dates are the review's, not the document's).

use crate::audit::decode::Document;
use crate::diagnostic::LineMask;
use crate::rules::dates::Date;
use crate::rules::RuleSet;
use serde::{Deserialize, Serialize};

/// A date the document gives as its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDate {
    pub line: usize,
    pub printed: String,
    pub iso: Date,
}

/// The dates the document gives as its own, on the lines that are not
/// `in_blocks`.
pub fn document_dates(doc: &Document, rules: &RuleSet, in_blocks: &LineMask) -> Vec<DocumentDate> {
    (0..doc.len())
        .filter(|&i| !in_blocks[i])
        .filter_map(|i| {
            let date = rules.dates().document_date(doc.line(i))?;
            Some(DocumentDate {
                line: i + 1,
                printed: date.printed,
                iso: date.iso?,
            })
        })
        .collect()
}
