//! Diff stage: a unified diff from the original bytes to the cleaned text.
//!
//! The cleaner already knows which original line became which cleaned line,
//! so the diff is built from that alignment in one linear pass (no diff
//! search, whatever the document's length) and grouped into hunks with
//! `similar`. Removed and context lines are the original bytes, so `patch`
//! applied to the original file reproduces `cleaned.txt` byte for byte.

use crate::audit::clean::Cleaned;
use crate::audit::decode::Document;
use similar::{group_diff_ops, DiffOp};
use std::borrow::Cow;

/// Lines of context around each change.
pub const CONTEXT_LINES: usize = 3;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diff {
    pub bytes: Vec<u8>,
    pub lines_removed: usize,
    pub lines_added: usize,
}

/// A file name in a diff header: as it is, or quoted C-style as GNU diff
/// writes it (and GNU patch and `git apply` read it) when it holds a control
/// character, a quote or a backslash, so a name can never break the diff.
fn header_name(prefix: &str, path: &str) -> String {
    let plain = !path
        .chars()
        .any(|c| c.is_control() || c == '"' || c == '\\');
    if plain {
        return format!("{prefix}{path}");
    }
    let mut out = format!("\"{prefix}");
    for c in path.chars() {
        match c {
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("\\{b:03o}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Builds the diff; `path` is written in the `--- a/` and `+++ b/` headers.
pub fn unified(doc: &Document, cleaned: &Cleaned, path: &str) -> Diff {
    let n = doc.len();
    let mut new_lines: Vec<Cow<[u8]>> = Vec::with_capacity(n);
    let mut ops = Vec::new();
    let (mut lines_removed, mut lines_added) = (0, 0);
    let mut i = 0;
    while i < n {
        let start = i;
        let new_start = new_lines.len();
        let unchanged = |k: usize| cleaned.is_unchanged(doc, k);
        if unchanged(i) {
            while i < n && unchanged(i) {
                new_lines.push(Cow::Borrowed(doc.raw_line(i)));
                i += 1;
            }
            ops.push(DiffOp::Equal {
                old_index: start,
                new_index: new_start,
                len: i - start,
            });
            continue;
        }
        while i < n && !unchanged(i) {
            // An empty last line without terminator (a file that was only a
            // BOM) is no line at all in the cleaned text.
            if let Some(bytes) = cleaned.line_bytes(doc, i).filter(|b| !b.is_empty()) {
                new_lines.push(bytes);
            }
            i += 1;
        }
        let (old_len, new_len) = (i - start, new_lines.len() - new_start);
        lines_removed += old_len;
        lines_added += new_len;
        ops.push(if new_len == 0 {
            DiffOp::Delete {
                old_index: start,
                old_len,
                new_index: new_start,
            }
        } else {
            DiffOp::Replace {
                old_index: start,
                old_len,
                new_index: new_start,
                new_len,
            }
        });
    }
    let mut bytes = Vec::new();
    if lines_removed + lines_added > 0 {
        let (old, new) = (header_name("a/", path), header_name("b/", path));
        bytes.extend_from_slice(format!("--- {old}\n+++ {new}\n").as_bytes());
        for group in group_diff_ops(ops, CONTEXT_LINES) {
            write_hunk(&mut bytes, doc, &new_lines, &group);
        }
    }
    Diff {
        bytes,
        lines_removed,
        lines_added,
    }
}

fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, len),
    }
}

fn write_line(out: &mut Vec<u8>, sign: u8, line: &[u8]) {
    out.push(sign);
    out.extend_from_slice(line);
    if !line.ends_with(b"\n") {
        out.extend_from_slice(b"\n\\ No newline at end of file\n");
    }
}

fn write_hunk(out: &mut Vec<u8>, doc: &Document, new_lines: &[Cow<[u8]>], group: &[DiffOp]) {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return;
    };
    let old = first.old_range().start..last.old_range().end;
    let new = first.new_range().start..last.new_range().end;
    out.extend_from_slice(
        format!(
            "@@ -{} +{} @@\n",
            range(old.start, old.len()),
            range(new.start, new.len())
        )
        .as_bytes(),
    );
    for op in group {
        match *op {
            DiffOp::Equal { old_index, len, .. } => {
                for k in old_index..old_index + len {
                    write_line(out, b' ', doc.raw_line(k));
                }
            }
            _ => {
                for k in op.old_range() {
                    write_line(out, b'-', doc.raw_line(k));
                }
                for line in &new_lines[op.new_range()] {
                    write_line(out, b'+', line);
                }
            }
        }
    }
}
