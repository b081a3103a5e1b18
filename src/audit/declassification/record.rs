//! The declassification record of a document, as its report carries it:
//! the stamps (blocks) and the fields read from them, the references, the
//! consensus of the stamps' fields, the status and the authority.

use crate::diagnostic::Shared;
use crate::model::{DeclassStatus, Field};
use crate::rules::dates::{Date, PrintedDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct AgencyLetter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<PrintedDate>,
}

/// One declassification stamp: the lines it stands on, and what it says
/// ([`BlockFields`]). A long document has tens of thousands, most of them
/// the same stamp printed again (the release line on every sheet of a
/// CREST document): what a stamp says is held once for a document however
/// often it is printed ([`BlockFields::held`]), and written in each block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub start_line: usize,
    pub end_line: usize,
    #[serde(flatten)]
    pub fields: Arc<BlockFields>,
}

/// A stamp's text and the fields read from it: boxed `str`s, with the
/// dates and the agency letter boxed apart (eight bytes when absent).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BlockFields {
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

impl BlockFields {
    /// `self`, as held in `held`: the one already there when the same
    /// stamp was read before.
    pub fn held(self, held: &mut HashSet<Arc<BlockFields>>) -> Arc<BlockFields> {
        if let Some(same) = held.get(&self) {
            return Arc::clone(same);
        }
        let fields = Arc::new(self);
        held.insert(Arc::clone(&fields));
        fields
    }
}

/// A line read for its fields that is no part of a release stamp.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub rule: Shared,
    pub line: usize,
    pub fields: ReadFields,
}

/// The fields a line read, one reading each, in field order; written as a
/// map. A boxed slice: most such lines read one field, where a map's node
/// takes hundreds of bytes (a long document has thousands of them); each
/// text shared with the reading it was read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadFields(Box<[(Field, Shared)]>);

impl ReadFields {
    pub fn get(&self, field: Field) -> Option<&str> {
        self.0.iter().find(|(f, _)| *f == field).map(|(_, v)| &**v)
    }

    pub fn iter(&self) -> impl Iterator<Item = (Field, &str)> + '_ {
        self.0.iter().map(|(f, v)| (*f, &**v))
    }
}

impl<T: Into<Shared>> FromIterator<(Field, T)> for ReadFields {
    /// As a map collected: in field order, the last reading of a field kept.
    fn from_iter<I: IntoIterator<Item = (Field, T)>>(readings: I) -> ReadFields {
        let mut fields: Vec<(Field, Shared)> =
            readings.into_iter().map(|(f, v)| (f, v.into())).collect();
        fields.reverse();
        fields.sort_by_key(|(f, _)| *f);
        fields.dedup_by_key(|(f, _)| *f);
        ReadFields(fields.into_boxed_slice())
    }
}

impl Serialize for ReadFields {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for ReadFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(BTreeMap::<Field, String>::deserialize(deserializer)?
            .into_iter()
            .collect())
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_fields_are_collected_written_and_read_as_the_map_they_replace() {
        let readings = [
            (Field::Reviewer, "RB"),
            (Field::Exemption, "25X1"),
            (Field::Reviewer, "ADB"),
        ];
        let fields: ReadFields = readings.iter().copied().collect();
        let map: BTreeMap<Field, &str> = readings.iter().copied().collect();
        assert_eq!(
            fields.iter().collect::<Vec<_>>(),
            map.clone().into_iter().collect::<Vec<_>>()
        );
        assert_eq!(fields.get(Field::Reviewer), Some("ADB"));
        assert_eq!(fields.get(Field::Archive), None);
        let written = serde_json::to_string(&fields).unwrap();
        assert_eq!(written, serde_json::to_string(&map).unwrap());
        assert_eq!(
            serde_json::from_str::<ReadFields>(&written).unwrap(),
            fields
        );
    }
}
