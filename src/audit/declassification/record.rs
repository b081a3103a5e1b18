//! The declassification record of a document, as its report carries it:
//! the stamps (blocks) and the fields read from them, the references, the
//! consensus of the stamps' fields, the status and the authority.

use crate::model::{DeclassStatus, Field};
use crate::rules::dates::{Date, PrintedDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyLetter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PrintedDate>,
}

/// One declassification stamp and the fields read from it. A long
/// document has tens of thousands, each with few of its fields: the texts
/// are boxed `str`s and the dates and the agency letter boxed apart, so an
/// absent field takes eight bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub start_line: usize,
    pub end_line: usize,
    /// The block's non-blank lines as printed, joined with newlines.
    pub text: Box<str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executive_order: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sections: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency_letter: Option<Box<AgencyLetter>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publication_reference: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub case_number: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_date: Option<Box<PrintedDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<Box<PrintedDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_number: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_year: Option<Box<str>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_id: Option<Box<str>>,
}

/// A line read for its fields that is no part of a release stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub rule: String,
    pub line: usize,
    pub fields: BTreeMap<Field, String>,
}

/// The majority reading of a field across the stamps of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agreed {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iso: Option<Date>,
    /// How many stamps read it, of how many that have the field.
    pub support: usize,
    pub of: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declassification {
    pub status: DeclassStatus,
    /// The consensus authority in one line ("E.O. 11652 · NLT-HC · NARS
    /// 1975-12-02"), when there is one.
    pub authority: Option<String>,
    pub consensus: BTreeMap<Field, Agreed>,
    pub blocks: Vec<Block>,
    pub references: Vec<Reference>,
}

impl Declassification {
    /// Neither markings nor authority.
    pub fn unmarked() -> Declassification {
        Declassification {
            status: DeclassStatus::Unmarked,
            authority: None,
            consensus: BTreeMap::new(),
            blocks: Vec::new(),
            references: Vec::new(),
        }
    }
}
