//! Changes inside a line: span edits applied in one sorted pass (a removal
//! takes one space with it where it leaves two), and the map from a
//! repaired line's offsets back to the line as written, so that what a
//! repair reveals can be edited on the original.

use std::borrow::Borrow;

use crate::diagnostic::{narrow, sort_in_place_by_key, Action, Change, Columns, Edit, SpanChange};

/// A span edit of one line: its rule and change.
pub type SpanEdit<'e> = (&'e str, &'e Change);

fn whitespace_before(text: &str, at: usize) -> Option<usize> {
    text[..at]
        .chars()
        .next_back()
        .filter(|c| c.is_whitespace())
        .map(char::len_utf8)
}

fn whitespace_after(text: &str, at: usize) -> Option<usize> {
    text[at..]
        .chars()
        .next()
        .filter(|c| c.is_whitespace())
        .map(char::len_utf8)
}

/// The changes inside lines among `edits`, gathered by line (in line
/// order, each line's in the order given) for the lines `keep` holds: one
/// pass, however many lines have changes; borrowed, as a long document's
/// are many.
pub fn span_edits_by_line<'e>(
    edits: impl IntoIterator<Item = &'e Edit>,
    keep: impl Fn(usize) -> bool,
) -> std::collections::BTreeMap<usize, Vec<&'e Edit>> {
    let mut by_line: std::collections::BTreeMap<usize, Vec<&Edit>> = Default::default();
    for edit in edits {
        if let Some(line) = edit.changed_line().filter(|&line| keep(line)) {
            by_line.entry(line).or_default().push(edit);
        }
    }
    by_line
}

/// What line `line` reads as once the span edits among `edits` are made on
/// it (`None` when none touches it).
pub fn repaired_line<E: Borrow<Edit>>(text: &str, line: usize, edits: &[E]) -> Option<String> {
    repaired_with_map(text, line, edits).map(|(repaired, _)| repaired)
}

/// The repaired line (as [`repaired_line`]) with the map from its byte
/// offsets back to the line as written.
pub fn repaired_with_map<E: Borrow<Edit>>(
    text: &str,
    line: usize,
    edits: &[E],
) -> Option<(String, SpanMap)> {
    let mut spans: Vec<SpanEdit> = edits
        .iter()
        .map(Borrow::borrow)
        .filter(|e| matches!(&e.change, Change::Span(span) if span.line == line))
        .map(|e| (&*e.rule, &e.change))
        .collect();
    if spans.is_empty() {
        return None;
    }
    spans.sort_by_key(|(_, change)| span_order(change));
    let (repaired, _, changed) = apply_spans(text, line, &spans);
    Some((repaired, SpanMap { changed }))
}

/// Where byte offsets of a repaired line stand in the line as written: the
/// spans each change took there and gave in the repaired line, in order;
/// between them the text is as written.
#[derive(Debug, Clone, Default)]
pub struct SpanMap {
    changed: Vec<((usize, usize), (usize, usize))>,
}

impl SpanMap {
    /// The span of the line as written that gave `start..end` of the
    /// repaired line: a change that the span reaches into is taken whole.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (
            self.map(start, false),
            self.map(end, true).max(self.map(start, false)),
        )
    }

    fn map(&self, offset: usize, closing: bool) -> usize {
        let (mut kept_from, mut kept_out_from) = (0, 0);
        for &((from, to), (out_from, out_to)) in &self.changed {
            let (before, within) = if closing {
                (offset <= out_from, offset <= out_to)
            } else {
                (offset < out_from, offset < out_to)
            };
            if before {
                return kept_from + (offset - kept_out_from);
            }
            if within {
                return if closing { to } else { from };
            }
            (kept_from, kept_out_from) = (to, out_to);
        }
        kept_from + (offset - kept_out_from)
    }
}

/// The order span edits are applied in: by start, and of two at one start
/// the longer first (an edit that covers others wins over them).
pub fn span_order(change: &Change) -> (usize, std::cmp::Reverse<usize>) {
    match change {
        Change::Span(span) => (span.start, std::cmp::Reverse(span.end)),
        _ => (0, std::cmp::Reverse(0)),
    }
}

/// Sorts `edits` as the cleaning makes them: by line, removals before
/// changes inside the line (in [`span_order`]) before joins. The keys are
/// four-byte numbers when every line and offset of the text (`text_len`
/// bytes) fits (half the memory: a long document's edits are hundreds of
/// thousands).
pub fn sort_edits(edits: &mut [Edit], text_len: usize) {
    let key = |e: &Edit| match &e.change {
        Change::RemoveLines { line, .. } => (*line as usize, 0u8, (0, std::cmp::Reverse(0))),
        change @ Change::Span(span) => (span.line, 1, span_order(change)),
        Change::Join { second, .. } => (*second as usize, 2, (0, std::cmp::Reverse(0))),
    };
    if u32::try_from(text_len).is_ok() {
        sort_in_place_by_key(edits, |e| {
            let (line, class, (start, std::cmp::Reverse(end))) = key(e);
            (
                narrow(line),
                class,
                (narrow(start), std::cmp::Reverse(narrow(end))),
            )
        });
    } else {
        sort_in_place_by_key(edits, key);
    }
}

/// Applies the span edits of one line in order, skipping any that overlaps
/// one already applied.
/// Returns the new text, an action per change, and the span each change
/// took in `text` and gave in the new text.
#[allow(clippy::type_complexity)]
pub fn apply_spans(
    text: &str,
    line: usize,
    spans: &[SpanEdit],
) -> (String, Vec<Action>, Vec<((usize, usize), (usize, usize))>) {
    let mut out = String::with_capacity(text.len());
    let mut actions = Vec::new();
    let mut changed = Vec::new();
    let mut cursor = 0usize;
    let mut columns = Columns::new(text);
    for (position, &(rule, change)) in spans.iter().enumerate() {
        let Change::Span(span) = change else {
            continue;
        };
        let SpanChange {
            kind,
            start,
            end,
            replacement,
            ..
        } = &**span;
        let (mut start, mut end) = (*start, *end);
        if start < cursor || end > text.len() {
            continue;
        }
        if replacement.is_empty() {
            let next_start = spans.get(position + 1).map_or(text.len(), |e| match e.1 {
                Change::Span(span) => span.start,
                _ => text.len(),
            });
            let open_before = start == 0 || whitespace_before(text, start).is_some();
            let open_after = end == text.len() || whitespace_after(text, end).is_some();
            if open_before && open_after {
                if let Some(width) = whitespace_after(text, end).filter(|w| end + w <= next_start) {
                    end += width;
                } else if let Some(width) =
                    whitespace_before(text, start).filter(|w| start - w >= cursor)
                {
                    start -= width;
                }
            }
        }
        out.push_str(&text[cursor..start]);
        changed.push(((start, end), (out.len(), out.len() + replacement.len())));
        out.push_str(replacement);
        actions.push(Action {
            rule: crate::diagnostic::RuleId::of(rule),
            kind: *kind,
            line: crate::diagnostic::position(line + 1),
            end_line: crate::diagnostic::position(line + 1),
            column: std::num::NonZeroU32::new(crate::diagnostic::position(columns.at(start))),
            texts: Action::texts(text[start..end].into(), replacement.as_str().into()),
            page: None,
        });
        cursor = end;
    }
    out.push_str(&text[cursor..]);
    (out, actions, changed)
}
