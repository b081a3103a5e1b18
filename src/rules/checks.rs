//! The built-in checks: mechanisms written in code rather than rules in
//! files (decoding problems, page structure, stamp consensus, validations,
//! repairs). Each has an id that rule files may not reuse, a category, a
//! default severity, a description, and an example document on which it
//! fires, which `declass rules test` runs through the audit.

use crate::diagnostic::Finding;
use crate::model::{Category, Severity};

/// One built-in check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    InputBinary,
    InputInvalidUtf8,
    InputEmpty,
    InputTooLarge,
    InputNotRegular,
    InputBom,
    InputWindows1252,
    DeclassificationBlock,
    CollapseBlankLines,
    Catchword,
    SheetMark,
    RepeatedSheetHeader,
    FormLabel,
    ParagraphJoin,
    OcrCorruptedStamp,
    StampsDisagree,
    NoDeclassificationAuthority,
    OrderBeforeSigning,
    OrderSuperseded,
    ArchiveNameAnachronism,
    ReviewBeforeDocument,
    UnstruckMarking,
    Mojibake,
    GarbageLine,
    BrokenHyphenation,
    CorruptedMarkingWord,
    GarbledStampLine,
    InterruptingFragment,
}

/// A document on which a check fires. `max_bytes` is the size limit to
/// audit it with, for the check that is about the limit; `special` names
/// the kind of file, for the check that is about files that are no regular
/// files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckExample {
    pub document: &'static [u8],
    pub max_bytes: Option<u64>,
    pub special: Option<&'static str>,
}

const fn doc(document: &'static [u8]) -> CheckExample {
    CheckExample {
        document,
        max_bytes: None,
        special: None,
    }
}

/// Two sheets of a telegram, each headed by the same repeated line.
const SHEETS: &[u8] = b"SECRET\n\nDEPARTMENT OF STATE TELEGRAM INCOMING\n\nThe minister said that the talks would go on through the week and that he\nwould report to the cabinet on their progress before the end of the month.\n\nSECRET\n\n\nSECRET\n\nDEPARTMENT OF STATE TELEGRAM INCOMING\n\nHe added that the delegation would stay in the capital until the work was\ndone, whatever the newspapers said of it, and asked for instructions.\n\nSECRET\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n";

/// Three copies of one stamp, one garbled by OCR.
const STAMPS: &[u8] = b"~~SECRET~~\n\nThe first sheet of the report goes on at some length here.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n\nThe second sheet of the report goes on at some length here.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n\nThe third sheet of the report goes on at some length here.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-9-75\n";

impl Check {
    pub const ALL: [Check; 28] = [
        Check::InputBinary,
        Check::InputInvalidUtf8,
        Check::InputEmpty,
        Check::InputTooLarge,
        Check::InputNotRegular,
        Check::InputBom,
        Check::InputWindows1252,
        Check::DeclassificationBlock,
        Check::CollapseBlankLines,
        Check::Catchword,
        Check::SheetMark,
        Check::RepeatedSheetHeader,
        Check::FormLabel,
        Check::ParagraphJoin,
        Check::OcrCorruptedStamp,
        Check::StampsDisagree,
        Check::NoDeclassificationAuthority,
        Check::OrderBeforeSigning,
        Check::OrderSuperseded,
        Check::ArchiveNameAnachronism,
        Check::ReviewBeforeDocument,
        Check::UnstruckMarking,
        Check::Mojibake,
        Check::GarbageLine,
        Check::BrokenHyphenation,
        Check::CorruptedMarkingWord,
        Check::GarbledStampLine,
        Check::InterruptingFragment,
    ];

    /// The id findings and actions of this check carry.
    pub fn id(self) -> &'static str {
        match self {
            Check::InputBinary => "input-binary",
            Check::InputInvalidUtf8 => "input-invalid-utf8",
            Check::InputEmpty => "input-empty",
            Check::InputTooLarge => "input-too-large",
            Check::InputNotRegular => "input-not-regular",
            Check::InputBom => "input-bom",
            Check::InputWindows1252 => "input-windows-1252",
            Check::DeclassificationBlock => "declassification-block",
            Check::CollapseBlankLines => "collapse-blank-lines",
            Check::Catchword => "catchword",
            Check::SheetMark => "sheet-mark",
            Check::RepeatedSheetHeader => "repeated-sheet-header",
            Check::FormLabel => "form-label",
            Check::ParagraphJoin => "paragraph-join",
            Check::OcrCorruptedStamp => "ocr-corrupted-stamp",
            Check::StampsDisagree => "stamps-disagree",
            Check::NoDeclassificationAuthority => "no-declassification-authority",
            Check::OrderBeforeSigning => "order-before-signing",
            Check::OrderSuperseded => "order-superseded",
            Check::ArchiveNameAnachronism => "archive-name-anachronism",
            Check::ReviewBeforeDocument => "review-before-document",
            Check::UnstruckMarking => "unstruck-marking-on-declassified",
            Check::Mojibake => "mojibake",
            Check::GarbageLine => "garbage-line",
            Check::BrokenHyphenation => "broken-hyphenation",
            Check::CorruptedMarkingWord => "corrupted-marking-word",
            Check::GarbledStampLine => "garbled-stamp-line",
            Check::InterruptingFragment => "interrupting-fragment",
        }
    }

    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.id() == id)
    }

    pub fn category(self) -> Category {
        use Check::*;
        match self {
            InputBinary | InputInvalidUtf8 | InputEmpty | InputTooLarge | InputNotRegular
            | InputBom | InputWindows1252 => Category::Input,
            DeclassificationBlock
            | StampsDisagree
            | NoDeclassificationAuthority
            | OrderBeforeSigning
            | OrderSuperseded
            | ArchiveNameAnachronism
            | ReviewBeforeDocument => Category::Declassification,
            CollapseBlankLines | Catchword | SheetMark | RepeatedSheetHeader | FormLabel
            | ParagraphJoin => Category::PageFurniture,
            OcrCorruptedStamp | Mojibake | GarbageLine | BrokenHyphenation
            | CorruptedMarkingWord | GarbledStampLine | InterruptingFragment => Category::OcrNoise,
            UnstruckMarking => Category::Classification,
        }
    }

    /// The severity of its findings unless the configuration overrides it.
    pub fn severity(self) -> Severity {
        use Check::*;
        match self {
            InputBinary
            | InputTooLarge
            | InputNotRegular
            | NoDeclassificationAuthority
            | OrderBeforeSigning
            | ReviewBeforeDocument => Severity::Error,
            InputInvalidUtf8
            | OcrCorruptedStamp
            | StampsDisagree
            | OrderSuperseded
            | ArchiveNameAnachronism => Severity::Warning,
            InputEmpty
            | InputBom
            | InputWindows1252
            | DeclassificationBlock
            | CollapseBlankLines
            | Catchword
            | SheetMark
            | RepeatedSheetHeader
            | FormLabel
            | ParagraphJoin
            | UnstruckMarking
            | Mojibake
            | GarbageLine
            | BrokenHyphenation
            | CorruptedMarkingWord
            | GarbledStampLine
            | InterruptingFragment => Severity::Info,
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            Check::InputBinary => "File contains NUL bytes: treated as binary and not audited",
            Check::InputInvalidUtf8 => "File is not valid UTF-8: decoded as Windows-1252",
            Check::InputEmpty => "File is empty",
            Check::InputTooLarge => "File is larger than --max-bytes: not audited",
            Check::InputNotRegular => {
                "No regular file (a FIFO, a device, a socket, a link met in a folder): not read"
            }
            Check::InputBom => "UTF-8 byte-order mark removed from the cleaned text",
            Check::InputWindows1252 => {
                "Line re-encoded from Windows-1252 to UTF-8 in the cleaned text"
            }
            Check::DeclassificationBlock => {
                "Unmatched line inside a declassification block, removed with the block"
            }
            Check::CollapseBlankLines => {
                "Blank line dropped so that removed lines leave at most one blank line"
            }
            Check::Catchword => "Typist's catchword: a short line at the foot of a sheet repeating the first words of the next",
            Check::SheetMark => "Short mark between a catchword and its continuation (filing or routing notation)",
            Check::RepeatedSheetHeader => {
                "Line repeated at the head or foot of two or more sheets, learned from the document"
            }
            Check::FormLabel => {
                "Printed form label with no value, which another sheet prints with its value"
            }
            Check::ParagraphJoin => "Paragraph split by a page break or removed lines, joined",
            Check::OcrCorruptedStamp => "A stamp's field garbled by OCR: the other copies of the stamp read it otherwise (with the suggested reading)",
            Check::StampsDisagree => {
                "Two declassification stamps of one document disagree on a field"
            }
            Check::NoDeclassificationAuthority => {
                "Classification markings and no declassification authority anywhere in the document"
            }
            Check::OrderBeforeSigning => "Executive order cited on a review dated before the order was signed (facts.toml)",
            Check::OrderSuperseded => "Executive order cited on a review dated well after it was replaced (facts.toml)",
            Check::ArchiveNameAnachronism => "NARS on a review dated after the archive became NARA, or NARA before (facts.toml)",
            Check::ReviewBeforeDocument => "Review dated before the document's own date",
            Check::UnstruckMarking => {
                "Classification marking not struck through on a document marked declassified"
            }
            Check::Mojibake => "UTF-8 text once read as Windows-1252 (\u{e2}\u{20ac}\u{2122} for \u{2019}), read back",
            Check::GarbageLine => {
                "Line of stray marks, scored by its share of marks, kinds of mark and longest word"
            }
            Check::BrokenHyphenation => {
                "Word split by a hyphen at a line end, joined as the document writes it"
            }
            Check::CorruptedMarkingWord => {
                "Marking word garbled by OCR (SECRFT, T0P SECRET), read as the marking it is"
            }
            Check::GarbledStampLine => "Line of a stamp that OCR garbled (most of its words read as no word, or a rule that reads garbled copies matched it): its stamp rule removes or keeps it; its text is not to be trusted",
            Check::InterruptingFragment => "Short line that reads as no prose, set between two parts of one sentence: removed, in the category of the stamp beside it, else as OCR noise",
        }
    }

    /// A document on which this check fires (with the built-in rules).
    pub fn example(self) -> CheckExample {
        match self {
            Check::InputBinary => doc(b"MEMO\0\x01\x02 binary"),
            Check::InputInvalidUtf8 => doc(b"The caf\xe9 on the corner.\n"),
            Check::InputEmpty => doc(b""),
            Check::InputTooLarge => CheckExample {
                document: b"A document of more than sixteen bytes.\n",
                max_bytes: Some(16),
                special: None,
            },
            Check::InputNotRegular => CheckExample {
                document: b"",
                max_bytes: None,
                special: Some("a FIFO (named pipe)"),
            },
            Check::InputBom => doc(b"\xef\xbb\xbfA memorandum.\n"),
            Check::InputWindows1252 => doc(b"The caf\xe9 on the corner.\n"),
            Check::DeclassificationBlock => doc(
                b"The talks went on.\n\nDECLASSIFIED\nof State letter, 2-15-75\nAug 9, 1973\n\nN.T. 12, NARS Date 4-2-75\n",
            ),
            Check::CollapseBlankLines => doc(b"The talks went on.\n\n[Page 764]\n\nThey ended.\n"),
            Check::Catchword | Check::SheetMark => doc(
                b"The minister said that the talks would go on through the week.\n\nHe would report\n\nD File\n\nHe would report to the cabinet on their progress before the end.\n",
            ),
            Check::RepeatedSheetHeader => doc(SHEETS),
            Check::FormLabel => doc(
                b"SECRET\n\nReceived at\n\nThe minister said that the talks would go on through the week and that he\nwould report to the cabinet on their progress before the end of the month.\n\nSECRET\n\n\nSECRET\n\nReceived at WTE 12:05\n\nHe added that the delegation would stay in the capital until the work was\ndone, whatever the newspapers said of it, and asked for instructions.\n\nSECRET\n",
            ),
            Check::ParagraphJoin => doc(
                b"The minister said that the talks, which had begun in the spring and had gone on through a long and difficult summer, would continue\n\n~~SECRET~~\n\n-3-\n\nthrough the week and that he would report to the cabinet before the end of the month.\n",
            ),
            Check::OcrCorruptedStamp => doc(STAMPS),
            Check::StampsDisagree => doc(
                b"~~SECRET~~\n\nThe report goes on at some length here.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n\nThe second sheet goes on at some length here.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E) and 5(D) or (E)\nBy NLT-HC, NARS Date 12-2-75\n\nThe last sheet goes on at some length here.\n\nDECLASSIFIED\nE.O. 12958, Sec. 3.5\nBy JFK-LIB, NARA Date 4-8-2001\n",
            ),
            Check::NoDeclassificationAuthority => doc(b"SECRET\n\nThe talks went on.\n"),
            Check::OrderBeforeSigning => doc(
                b"~~SECRET~~\n\nThe talks went on.\n\nDECLASSIFIED\nE.O. 12958, Sec. 3.4\nBy NLT-HC, NARS Date 12-2-75\n",
            ),
            Check::OrderSuperseded => doc(
                b"~~SECRET~~\n\nThe talks went on.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E)\nBy JFK-LIB, NARA Date 4-8-2001\n",
            ),
            Check::ArchiveNameAnachronism => doc(
                b"~~SECRET~~\n\nThe talks went on.\n\nDECLASSIFIED\nE.O. 12356, Sec. 3.4\nBy NLT-HC, NARS Date 12-2-87\n",
            ),
            Check::ReviewBeforeDocument => doc(
                b"~~SECRET~~\n\nDated April 5, 1976\n\nThe talks went on.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E)\nBy NLT-HC, NARS Date 12-2-75\n",
            ),
            Check::UnstruckMarking => doc(
                b"SECRET\n\nThe talks went on.\n\nDECLASSIFIED\nE.O. 11652, Sec. 3(E)\nBy NLT-HC, NARS Date 12-2-75\n",
            ),
            Check::Mojibake => doc("The People\u{e2}\u{20ac}\u{2122}s Republic.\n".as_bytes()),
            Check::GarbageLine => doc(b"The talks went on.\n\n.,;:' ~ ^\n\nThey ended.\n"),
            Check::BrokenHyphenation => doc(b"The talks went on and on, exploit-\ning every pause.\n"),
            Check::CorruptedMarkingWord => doc(b"SECRFT\n\nThe talks went on.\n"),
            Check::GarbledStampLine => doc(b"SECRET\n\nThe talks went on.\n\nGROUP 1\nExcluded from automatic\ncoungradlng and\ndeclassification\n"),
            Check::InterruptingFragment => doc(
                b"The delegation arrived on Tuesday and was met at the\n\nHO KOC\n\nstation by the deputy commissar.\n",
            ),
        }
    }

    /// A finding of this check on line `line` (1-based) about `text`.
    pub fn finding(self, line: usize, text: &str, message: String) -> Finding {
        Finding::new(
            self.id(),
            self.category(),
            self.severity(),
            line,
            text,
            message,
        )
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_read_back() {
        let mut ids: Vec<&str> = Check::ALL.iter().map(|c| c.id()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), Check::ALL.len());
        for check in Check::ALL {
            assert_eq!(Check::from_id(check.id()), Some(check));
        }
        assert_eq!(Check::from_id("page-word"), None);
    }
}
