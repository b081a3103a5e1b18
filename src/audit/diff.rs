//! Diff stage: a unified diff from the original bytes to the cleaned text.
//!
//! The cleaner already knows which original line became which cleaned line,
//! so the diff is built from that alignment in one linear pass (no diff
//! search, whatever the document's length) and grouped into hunks with
//! `similar`. Removed and context lines are the original bytes, so `patch`
//! applied to the original file reproduces `cleaned.txt` byte for byte. The
//! lines are written straight from the document and the cleaned lines into
//! a [`Sink`]; only the runs up to the next long unchanged stretch are
//! held.

use crate::audit::clean::CleanText;
use crate::audit::decode::Document;
use crate::audit::sink::Sink;
use similar::{group_diff_ops, DiffOp};

/// Lines of context around each change.
pub const CONTEXT_LINES: usize = 3;

/// How many lines the diff takes away and adds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DiffStats {
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

/// Whether original line `index` is in the cleaned text as a line: an
/// empty last line without terminator (a file that was only a BOM) is no
/// line at all.
fn has_line(doc: &Document, clean: &CleanText, index: usize) -> bool {
    clean
        .text(doc, index)
        .is_some_and(|t| !t.is_empty() || !doc.ending(index).is_empty())
}

/// The runs of unchanged and changed lines, as diff operations given to
/// `op` in order; returns the lines taken away and added.
fn operations(doc: &Document, clean: &CleanText, mut op: impl FnMut(DiffOp)) -> DiffStats {
    let n = doc.len();
    let mut stats = DiffStats::default();
    let (mut i, mut new_len_total) = (0, 0);
    while i < n {
        let start = i;
        let new_start = new_len_total;
        let unchanged = |k: usize| clean.is_unchanged(doc, k);
        if unchanged(i) {
            while i < n && unchanged(i) {
                i += 1;
            }
            new_len_total += i - start;
            op(DiffOp::Equal {
                old_index: start,
                new_index: new_start,
                len: i - start,
            });
            continue;
        }
        while i < n && !unchanged(i) {
            new_len_total += usize::from(has_line(doc, clean, i));
            i += 1;
        }
        let (old_len, new_len) = (i - start, new_len_total - new_start);
        stats.lines_removed += old_len;
        stats.lines_added += new_len;
        op(if new_len == 0 {
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
    stats
}

/// Writes the diff into `out`; `path` is written in the `--- a/` and
/// `+++ b/` headers. Returns the lines it takes away and adds.
pub fn write_unified(
    doc: &Document,
    clean: &CleanText,
    path: &str,
    out: &mut dyn Sink,
) -> DiffStats {
    // The operations are grouped into hunks a stretch at a time: a run of
    // unchanged lines longer than twice the context ends every hunk before
    // it, so the stretches end there (the run ends one and begins the next,
    // as `group_diff_ops` trims it at either end) and a long document's
    // operations are never all held.
    let mut header = false;
    let mut stretch: Vec<DiffOp> = Vec::new();
    let mut write = |stretch: Vec<DiffOp>, out: &mut dyn Sink| {
        for group in group_diff_ops(stretch, CONTEXT_LINES) {
            if !header {
                let (old, new) = (header_name("a/", path), header_name("b/", path));
                out.put(format!("--- {old}\n+++ {new}\n").as_bytes());
                header = true;
            }
            write_hunk(out, doc, clean, &group);
        }
    };
    let stats = operations(doc, clean, |op| {
        let ends_hunks = matches!(op, DiffOp::Equal { len, .. } if len > 2 * CONTEXT_LINES);
        stretch.push(op);
        if ends_hunks && stretch.len() > 1 {
            write(std::mem::take(&mut stretch), &mut *out);
            stretch.push(op);
        }
    });
    write(stretch, out);
    stats
}

fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        _ => format!("{},{}", start + 1, len),
    }
}

/// One line of a hunk: its sign, its bytes (`text` then `ending`), and
/// the marker of a last line without terminator.
fn write_line(out: &mut dyn Sink, sign: u8, text: &[u8], ending: &[u8]) {
    out.put(&[sign]);
    out.put(text);
    out.put(ending);
    let terminated = if ending.is_empty() {
        text.ends_with(b"\n")
    } else {
        ending.ends_with(b"\n")
    };
    if !terminated {
        out.put(b"\n\\ No newline at end of file\n");
    }
}

fn write_hunk(out: &mut dyn Sink, doc: &Document, clean: &CleanText, group: &[DiffOp]) {
    let (Some(first), Some(last)) = (group.first(), group.last()) else {
        return;
    };
    let old = first.old_range().start..last.old_range().end;
    let new = first.new_range().start..last.new_range().end;
    out.put(
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
                    write_line(out, b' ', &doc.raw_content(k), doc.ending(k).as_bytes());
                }
            }
            _ => {
                for k in op.old_range() {
                    write_line(out, b'-', &doc.raw_content(k), doc.ending(k).as_bytes());
                }
                for k in op.old_range().filter(|&k| has_line(doc, clean, k)) {
                    let text = clean.text(doc, k).unwrap_or_default();
                    let ending = doc.ending(k);
                    write_line(out, b'+', text.as_bytes(), ending.as_bytes());
                }
            }
        }
    }
}
