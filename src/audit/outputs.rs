//! A document's outputs besides its report: the cleaned text and the diff,
//! written on demand from the document and what each of its lines becomes,
//! straight into the file (or any [`Sink`]) — never held whole, so a large
//! document costs its own bytes and little more.

use crate::audit::clean::CleanText;
use crate::audit::decode::Document;
use crate::audit::diff::{self, DiffStats};
use crate::audit::sink::{Fixity, HashSink, Sink};

/// The document and its cleaned text, ready to be written.
#[derive(Debug, Clone)]
pub struct Outputs {
    doc: Document,
    clean: CleanText,
    /// The path written in the diff's headers.
    diff_path: String,
}

impl Outputs {
    pub fn new(doc: Document, clean: CleanText, diff_path: &str) -> Outputs {
        Outputs {
            doc,
            clean,
            diff_path: diff_path.to_string(),
        }
    }

    /// How many lines the cleaned text has.
    pub fn kept_lines(&self) -> usize {
        self.clean.kept_lines()
    }

    /// Writes `cleaned.txt`.
    pub fn write_cleaned(&self, out: &mut dyn Sink) {
        self.clean.write(&self.doc, out);
    }

    /// Writes `changes.diff`; returns the lines it takes away and adds.
    pub fn write_diff(&self, out: &mut dyn Sink) -> DiffStats {
        diff::write_unified(&self.doc, &self.clean, &self.diff_path, out)
    }

    /// The cleaned text's length and hash, by writing it into a hash.
    pub fn cleaned_fixity(&self) -> Fixity {
        let mut hash = HashSink::default();
        self.write_cleaned(&mut hash);
        hash.finish()
    }

    /// The diff's length, hash and line counts, by writing it into a hash.
    pub fn diff_fixity(&self) -> (Fixity, DiffStats) {
        let mut hash = HashSink::default();
        let stats = self.write_diff(&mut hash);
        (hash.finish(), stats)
    }

    /// The cleaned text, in memory.
    pub fn cleaned(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.write_cleaned(&mut bytes);
        bytes
    }

    /// The diff, in memory.
    pub fn diff(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        self.write_diff(&mut bytes);
        bytes
    }
}
