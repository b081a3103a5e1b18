//! Decode stage: raw bytes → a [`Document`] of lines.
//!
//! The bytes are hashed before anything else. UTF-8 is decoded as is (a BOM is
//! stripped and recorded); invalid UTF-8 falls back to Windows-1252; a file
//! with NUL bytes is binary and not decoded. Lines keep the byte range of the
//! original file they came from (with their terminator), so the diff can be
//! written against the original bytes exactly.

use crate::diagnostic::Finding;
use crate::model::{Encoding, LineEndingStyle};
use crate::rules::Check;
use sha2::{Digest, Sha256};

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A line's terminator, one byte a line in the table (its value is its
/// length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Ending {
    None = 0,
    Lf = 1,
    CrLf = 2,
}

impl Ending {
    fn as_str(self) -> &'static str {
        match self {
            Ending::None => "",
            Ending::Lf => "\n",
            Ending::CrLf => "\r\n",
        }
    }
}

/// Values kept for some lines of a document, by line: looked up for
/// nearly every line by several stages, so hashed with foldhash (a line
/// index needs no protection from crafted keys). Never iterated where order
/// shows in an output.
pub type ByLine<V> = std::collections::HashMap<usize, V, foldhash::fast::RandomState>;

/// The lines that read otherwise than the document: as `over` gives them
/// (the paragraphs joins make one line), else as `under` does (the lines
/// in-line repairs change). Two tables read as one, where merging them
/// would copy every repaired line of a long document.
#[derive(Debug, Clone, Copy)]
pub struct Reread<'a> {
    under: &'a ByLine<String>,
    over: Option<&'a ByLine<String>>,
}

impl<'a> Reread<'a> {
    /// The lines as `under` gives them.
    pub fn new(under: &'a ByLine<String>) -> Reread<'a> {
        Reread { under, over: None }
    }

    /// The lines as `over` gives them, else as `under` does.
    pub fn over(under: &'a ByLine<String>, over: &'a ByLine<String>) -> Reread<'a> {
        Reread {
            under,
            over: Some(over),
        }
    }

    /// What line `line` reads as, if otherwise than the document.
    pub fn get(&self, line: usize) -> Option<&'a str> {
        self.over
            .and_then(|over| over.get(&line))
            .or_else(|| self.under.get(&line))
            .map(String::as_str)
    }

    /// Whether line `line` reads otherwise than the document.
    pub fn contains(&self, line: usize) -> bool {
        self.get(line).is_some()
    }
}

/// Whether a line holds nothing but white space.
pub fn is_blank(text: &str) -> bool {
    // Stops at the first character that is not white space (nearly every
    // line's first): trimming both ends first took a pass from each.
    text.chars().all(char::is_whitespace)
}

/// A decoded text document, held once, as its text. A file of valid UTF-8
/// is its text (the original bytes are the text's bytes, a byte-order mark
/// included); a file decoded as Windows-1252 gives its bytes back line by
/// line, each line's text encoded again (every byte decodes to one
/// character, which encodes back to it): its bytes are not held beside.
#[derive(Debug, Clone)]
pub struct Document {
    /// The length of the file in bytes.
    bytes: usize,
    /// The first line whose bytes are not UTF-8 (Windows-1252).
    first_invalid: usize,
    /// The decoded text: the whole file when it is UTF-8.
    text: String,
    /// Where each line starts in the original bytes (it ends where the next
    /// starts), and its terminator: five bytes a line, whatever its length.
    starts: Offsets,
    endings: Vec<Ending>,
    /// Where each line's decoded text starts, when the text is not the
    /// original bytes (Windows-1252; it ends where the next starts).
    text_starts: Offsets,
    pub sha256: String,
    pub encoding: Encoding,
    pub bom: bool,
    pub line_ending: LineEndingStyle,
}

impl Document {
    /// The decoded text of line `index` (0-based), without its terminator.
    #[inline]
    pub fn line(&self, index: usize) -> &str {
        &self.text[self.text_range(index)]
    }

    /// The text of line `index` read as `repaired` gives the lines it holds
    /// (their changes inside made). Looked up each time, not gathered in a
    /// table of every line's text (sixteen bytes a line).
    #[inline]
    pub fn line_read_as<'a>(&'a self, repaired: &'a ByLine<String>, index: usize) -> &'a str {
        if repaired.is_empty() {
            return self.line(index);
        }
        repaired
            .get(&index)
            .map_or(self.line(index), String::as_str)
    }

    /// The original bytes of line `index` without its terminator (see
    /// [`Document::ending`]), a first line's byte-order mark included:
    /// borrowed from the text when it is UTF-8, encoded again from it when
    /// it was decoded from Windows-1252 (borrowed too where it is ASCII).
    pub fn raw_content(&self, index: usize) -> std::borrow::Cow<'_, [u8]> {
        if self.encoding != Encoding::Windows1252 {
            // The text's range, its first line's byte-order mark included.
            let end = self.text_range(index).end;
            return self.text.as_bytes()[self.starts.at(index)..end].into();
        }
        let (content, _, _) = encoding_rs::WINDOWS_1252.encode(self.line(index));
        if index == 0 && self.bom {
            return [UTF8_BOM, &content].concat().into();
        }
        content
    }

    /// The terminator of line `index`: `"\n"`, `"\r\n"` or `""` for a last
    /// line without one.
    pub fn ending(&self, index: usize) -> &'static str {
        self.endings[index].as_str()
    }

    /// Where the decoded text of line `index` is in the document's text.
    #[inline]
    fn text_range(&self, index: usize) -> std::ops::Range<usize> {
        if self.encoding == Encoding::Windows1252 {
            let end = match self.text_starts.get(index + 1) {
                Some(next) => next,
                None => self.text.len(),
            };
            return self.text_starts.at(index)..end;
        }
        let start = self.starts.at(index);
        let next = match self.starts.get(index + 1) {
            Some(next) => next,
            None => self.text.len(),
        };
        let bom = if index == 0 && self.bom {
            UTF8_BOM.len()
        } else {
            0
        };
        start + bom..next - self.endings[index] as usize
    }

    /// The length of the file in bytes.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The length in bytes of the decoded text (a capacity hint).
    pub fn text_len(&self) -> usize {
        self.text.len()
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.starts.len() == 0
    }

    /// How many lines are blank (see [`is_blank`]).
    pub fn blank_lines(&self) -> usize {
        (0..self.len()).filter(|&i| is_blank(self.line(i))).count()
    }
}

/// What the decode stage made of a file.
#[derive(Debug, Clone)]
pub enum Decoded {
    Text(Document),
    /// Not decoded: the bytes contain NUL. `utf16` tells whether it starts
    /// with a UTF-16 byte-order mark.
    Binary {
        sha256: String,
        bytes: usize,
        first_nul: usize,
        utf16: bool,
    },
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// Hashes and decodes one file's bytes.
pub fn decode(raw: Vec<u8>) -> Decoded {
    let sha256 = sha256_hex(&raw);
    if let Some(first_nul) = raw.iter().position(|&b| b == 0) {
        let utf16 = raw.starts_with(b"\xFF\xFE") || raw.starts_with(b"\xFE\xFF");
        return Decoded::Binary {
            sha256,
            bytes: raw.len(),
            first_nul,
            utf16,
        };
    }
    let (bom, bytes) = (raw.starts_with(UTF8_BOM), raw.len());
    // Valid UTF-8 (a byte-order mark is) becomes the text without a copy.
    let (text, raw, encoding) = match String::from_utf8(raw) {
        Ok(text) => (text, Vec::new(), Encoding::Utf8),
        Err(e) => (String::new(), e.into_bytes(), Encoding::Windows1252),
    };
    let mut doc = Document {
        bytes,
        first_invalid: 0,
        text,
        starts: Offsets::default(),
        endings: Vec::new(),
        text_starts: Offsets::default(),
        sha256,
        encoding,
        bom,
        line_ending: LineEndingStyle::None,
    };
    // The bytes of a Windows-1252 file go once its lines are decoded.
    split_lines(&mut doc, bom, &raw);
    Decoded::Text(doc)
}

/// Byte offsets into a text, in four bytes each when the text is shorter
/// than 4 GiB (a long document's lines are millions).
#[derive(Debug, Clone)]
enum Offsets {
    Narrow(Vec<u32>),
    Wide(Vec<usize>),
}

impl Default for Offsets {
    fn default() -> Offsets {
        Offsets::Narrow(Vec::new())
    }
}

impl Offsets {
    /// Room for `n` offsets of at most `max`.
    fn with_capacity(n: usize, max: usize) -> Offsets {
        if u32::try_from(max).is_ok() {
            Offsets::Narrow(Vec::with_capacity(n))
        } else {
            Offsets::Wide(Vec::with_capacity(n))
        }
    }

    /// Adds `offset`, at most the `max` given to [`Offsets::with_capacity`].
    fn push(&mut self, offset: usize) {
        match self {
            Offsets::Narrow(v) => v.push(crate::diagnostic::narrow(offset)),
            Offsets::Wide(v) => v.push(offset),
        }
    }

    fn get(&self, index: usize) -> Option<usize> {
        match self {
            Offsets::Narrow(v) => v.get(index).map(|&o| o as usize),
            Offsets::Wide(v) => v.get(index).copied(),
        }
    }

    #[inline]
    fn at(&self, index: usize) -> usize {
        match self {
            Offsets::Narrow(v) => v[index] as usize,
            Offsets::Wide(v) => v[index],
        }
    }

    fn len(&self) -> usize {
        match self {
            Offsets::Narrow(v) => v.len(),
            Offsets::Wide(v) => v.len(),
        }
    }
}

/// The finding for a file that is not decoded: binary.
pub fn binary_finding(first_nul: usize, utf16: bool) -> Finding {
    let why = if utf16 {
        "it starts with a UTF-16 byte-order mark; convert it to UTF-8 first".to_string()
    } else {
        format!("NUL byte at offset {first_nul}")
    };
    Check::InputBinary.finding(1, "", format!("binary file, not audited: {why}"))
}

/// What decoding found worth saying of a document: that it is empty, or
/// not valid UTF-8.
pub fn findings(doc: &Document) -> Vec<Finding> {
    let mut findings = Vec::new();
    if doc.bytes() == 0 {
        findings.push(Check::InputEmpty.finding(1, "", "empty file: nothing to audit".to_string()));
    }
    if doc.encoding == Encoding::Windows1252 {
        let first_bad = doc.first_invalid;
        let text = if doc.is_empty() {
            ""
        } else {
            doc.line(first_bad)
        };
        findings.push(Check::InputInvalidUtf8.finding(
            first_bad + 1,
            text,
            format!(
                "not valid UTF-8 (first bad byte on line {}): decoded as Windows-1252; check the characters of this document",
                first_bad + 1
            ),
        ));
    }
    findings
}

fn split_lines(doc: &mut Document, bom: bool, raw: &[u8]) {
    let offset = if bom { UTF8_BOM.len() } else { 0 };
    let (mut lf, mut crlf) = (0usize, 0usize);
    let mut start = 0usize;
    let transcode = doc.encoding == Encoding::Windows1252;
    let raw: &[u8] = if transcode { raw } else { doc.text.as_bytes() };
    let mut first_invalid = None;
    // The decoded text sized once: a byte of Windows-1252 past ASCII
    // decodes to two or three of UTF-8 (doubling from empty left a 40 MB
    // text in 64 MiB).
    let mut decoded_text = if transcode {
        let wide = raw.iter().filter(|b| !b.is_ascii()).count();
        String::with_capacity(raw.len().saturating_add(wide.saturating_mul(2)))
    } else {
        String::new()
    };
    // The table sized once: a line per newline, and one after the last.
    let lines = raw.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut starts = Offsets::with_capacity(lines, raw.len());
    let mut endings = Vec::with_capacity(lines);
    // A byte of Windows-1252 decodes to at most three of UTF-8.
    let mut text_starts = if transcode {
        Offsets::with_capacity(lines, raw.len().saturating_mul(3))
    } else {
        Offsets::default()
    };
    while start < raw.len() {
        let newline = raw[start..].iter().position(|&b| b == b'\n');
        let (content_end, ending, next) = match newline {
            Some(pos) => {
                let nl = start + pos;
                if nl > start && raw[nl - 1] == b'\r' {
                    crlf += 1;
                    (nl - 1, Ending::CrLf, nl + 1)
                } else {
                    lf += 1;
                    (nl, Ending::Lf, nl + 1)
                }
            }
            None => (raw.len(), Ending::None, raw.len()),
        };
        if transcode {
            if first_invalid.is_none() && std::str::from_utf8(&raw[start..next]).is_err() {
                first_invalid = Some(starts.len());
            }
            let content_start = if start == 0 { offset } else { start };
            text_starts.push(decoded_text.len());
            let (decoded, _) = encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(&raw[content_start..content_end]);
            decoded_text.push_str(&decoded);
        }
        starts.push(start);
        endings.push(ending);
        start = next;
    }
    if transcode {
        doc.text = decoded_text;
    }
    doc.first_invalid = first_invalid.unwrap_or(0);
    (doc.starts, doc.endings, doc.text_starts) = (starts, endings, text_starts);
    doc.line_ending = match (lf, crlf) {
        (0, 0) => LineEndingStyle::None,
        (_, 0) => LineEndingStyle::Lf,
        (0, _) => LineEndingStyle::Crlf,
        _ => LineEndingStyle::Mixed,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original bytes of line `i`, terminator included.
    fn raw_line(doc: &Document, i: usize) -> Vec<u8> {
        [&*doc.raw_content(i), doc.ending(i).as_bytes()].concat()
    }

    /// Every byte but NUL (binary) and the line feed (a line's end), in a
    /// file that is not UTF-8, is given back as it was from its line's
    /// decoded text: the bytes of a Windows-1252 file are not held.
    #[test]
    fn windows_1252_lines_give_back_their_bytes() {
        let every: Vec<u8> = (1..=255u8).filter(|&b| b != b'\n').collect();
        for bom in [false, true] {
            let mut file = if bom { UTF8_BOM.to_vec() } else { Vec::new() };
            file.extend_from_slice(&every);
            file.extend_from_slice(b"\r\nCR\rinside\r\n\xE9t\xE9\nno end \x81\x8D\x8F\x90\x9D");
            let doc = text(&file);
            assert_eq!(doc.encoding, Encoding::Windows1252);
            assert_eq!(doc.bom, bom);
            assert_eq!(doc.bytes(), file.len());
            let joined: Vec<u8> = (0..doc.len()).flat_map(|i| raw_line(&doc, i)).collect();
            assert_eq!(joined, file, "bom {bom}");
            // The first line is the first whose bytes are not UTF-8.
            assert_eq!(doc.first_invalid, 0);
        }
        let doc = text(b"fine\nstill fine\ncaf\xE9\n");
        assert_eq!(doc.first_invalid, 2);
        assert_eq!(&*doc.raw_content(0), b"fine");
    }

    fn text(raw: &[u8]) -> Document {
        match decode(raw.to_vec()) {
            Decoded::Text(doc) => doc,
            Decoded::Binary { .. } => panic!("decoded as binary"),
        }
    }

    #[test]
    fn lines_keep_their_raw_bytes() {
        let doc = text(b"one\r\ntwo\nthree");
        assert_eq!(doc.len(), 3);
        assert_eq!(doc.line(0), "one");
        assert_eq!(raw_line(&doc, 0), b"one\r\n");
        assert_eq!(doc.ending(2), "");
        assert_eq!(doc.line_ending, LineEndingStyle::Mixed);
        let joined: Vec<u8> = (0..doc.len()).flat_map(|i| raw_line(&doc, i)).collect();
        assert_eq!(joined, b"one\r\ntwo\nthree");
    }

    #[test]
    fn bom_is_stripped_and_recorded() {
        let doc = text(b"\xEF\xBB\xBFSECRET\n");
        assert!(doc.bom);
        assert_eq!(doc.line(0), "SECRET");
        assert_eq!(raw_line(&doc, 0), b"\xEF\xBB\xBFSECRET\n");
        assert_eq!(doc.line_ending, LineEndingStyle::Lf);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let doc = text(b"caf\xE9 \x93quoted\x94\nnext\n");
        assert_eq!(doc.encoding, Encoding::Windows1252);
        assert_eq!(doc.line(0), "caf\u{e9} \u{201c}quoted\u{201d}");
        assert_eq!(doc.line(1), "next");
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(
            decode(b"ab\0cd".to_vec()),
            Decoded::Binary { first_nul: 2, .. }
        ));
        assert!(matches!(
            decode(b"\xFF\xFEa\0".to_vec()),
            Decoded::Binary { utf16: true, .. }
        ));
    }

    #[test]
    fn empty_file_has_no_lines() {
        let doc = text(b"");
        assert!(doc.is_empty());
        assert_eq!(doc.line_ending, LineEndingStyle::None);
        assert_eq!(
            doc.sha256,
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }
}
