//! Clean stage: applies the edits the earlier stages asked for and records
//! one [`Action`] per change.
//!
//! Whole-line removals are applied first (the first edit to claim a line
//! explains it); changes inside a line are applied in one sorted pass that
//! skips overlaps. A removal inside a line takes one neighbouring space with
//! it so that no double or trailing space is left. A line that a change
//! inside it leaves blank is removed. Finally, where lines were removed,
//! runs of blank lines are collapsed to one (to none at either end of the
//! document).

use crate::audit::decode::{is_blank, Document};
use crate::audit::spans::{self, apply_spans, SpanEdit};
use crate::diagnostic::{
    position, sort_in_place_by, Action, Change, Edit, JoinMode, RuleId, Shared, Texts,
};
use crate::model::{ActionKind, Encoding};
use crate::rules::Check;
use std::collections::BTreeMap;
use std::num::NonZeroU32;

mod text;
pub use text::CleanText;

/// The cleaned text, line by line against the original, and the actions
/// that made it.
#[derive(Debug, Clone)]
pub struct Cleaned {
    pub text: CleanText,
    pub actions: Vec<Action>,
    /// Lines whose text was joined onto another line: line → that line.
    pub moved: BTreeMap<usize, usize>,
}

impl Cleaned {
    /// The 1-based line of `cleaned.txt` holding the text of each original
    /// line, in order (`None` where the text was removed, or past the four
    /// billionth line).
    pub fn cleaned_line_numbers(&self) -> impl Iterator<Item = Option<NonZeroU32>> + '_ {
        self.text.line_numbers(&self.moved)
    }
}

/// The text being cleaned (what each line becomes so far) and the actions
/// recorded so far.
struct Cleaning<'a> {
    doc: &'a Document,
    stray: &'a dyn Fn(&str) -> bool,
    /// What each line becomes so far.
    text: CleanText,
    actions: Vec<Action>,
    /// The texts the actions hold (the lines re-encoded from
    /// Windows-1252), each held once.
    texts: Texts,
}

/// Applies the edits. `stray` tells a line's leftover that is no text (a
/// lone mark or letter a removal inside the line left behind): such a line
/// is removed, as a line left blank is.
pub fn clean<'a>(
    doc: &'a Document,
    mut edits: Vec<Edit>,
    stray: &'a dyn Fn(&str) -> bool,
) -> Cleaned {
    spans::sort_edits(&mut edits, doc.text_len());
    let mut cleaning = Cleaning {
        doc,
        stray,
        text: CleanText::same(doc),
        // At most one action an edit (a run of removed lines is one), and
        // one a blank line the collapses remove: room for all of them at
        // once. Room never written to is address space, not memory (its
        // pages are never touched), and is given back at the end; a vector
        // grown by copying would hold both copies at the audit's peak.
        actions: Vec::with_capacity(edits.len() + doc.blank_lines()),
        texts: Texts::default(),
    };
    // 1. Whole-line removals; 2. changes inside lines that are still there;
    // 3. paragraphs split by removed lines or page breaks; 4. blank runs
    // left by removals; 5. changes of decoding on lines that are kept.
    // The removals go once made: a long document's edits are mostly
    // removals, and the actions grow meanwhile.
    for edit in &edits {
        if let Change::RemoveLines { line, end_line } = &edit.change {
            cleaning.remove_lines(edit.rule, *line as usize, *end_line as usize);
        }
    }
    edits.retain(|e| !matches!(e.change, Change::RemoveLines { .. }));
    edits.shrink_to_fit();
    let mut spans_by_line: Vec<(usize, Vec<SpanEdit>)> = Vec::new();
    let mut joins = Vec::new();
    for edit in &edits {
        match &edit.change {
            Change::RemoveLines { .. } => {}
            Change::Span(span) => match spans_by_line.last_mut() {
                Some((l, spans)) if *l == span.line => spans.push((&edit.rule, &edit.change)),
                _ => spans_by_line.push((span.line, vec![(&edit.rule, &edit.change)])),
            },
            Change::Join {
                first,
                second,
                mode,
            } => joins.push((*first as usize, *second as usize, *mode)),
        }
    }
    for (line, spans) in spans_by_line {
        cleaning.change_inside(line, &spans);
    }
    // Every edit is made or noted: let them go before the joins, collapses
    // and the sort add to the actions (a long document's edits are many).
    drop(edits);
    let moved = cleaning.join_paragraphs(&joins);
    let decoded = cleaning.decoded_otherwise();
    cleaning.collapse_blank_runs(decoded.len());
    cleaning.record_decoding(&decoded);
    let Cleaning {
        text, mut actions, ..
    } = cleaning;
    // Indices sorted by comparing the actions themselves: the actions come
    // in a few sorted runs, and no copy of their keys is taken.
    let key = |a: &Action| (a.line, a.column.map_or(0, NonZeroU32::get), a.kind);
    sort_in_place_by(&mut actions, |a, b| key(a).cmp(&key(b)));
    actions.shrink_to_fit();
    Cleaned {
        text,
        actions,
        moved,
    }
}

impl<'a> Cleaning<'a> {
    /// Removes lines `line..=end_line` that are still there: each contiguous
    /// run of lines this edit claims is one action (the first edit to claim
    /// a line explains it).
    fn remove_lines(&mut self, rule: RuleId, line: usize, end_line: usize) {
        let end = end_line.saturating_add(1).min(self.doc.len());
        let claimed: Vec<usize> = (line..end).filter(|&i| !self.text.is_removed(i)).collect();
        self.remove_runs(&claimed, rule, ActionKind::RemoveLine);
    }

    /// Removes `lines` (in order), one action of `kind` by `rule` for each
    /// run of consecutive lines.
    fn remove_runs(&mut self, lines: &[usize], rule: RuleId, kind: ActionKind) {
        let mut from = 0;
        for at in 1..=lines.len() {
            if at == lines.len() || lines[at] != lines[at - 1] + 1 {
                let (first, last) = (lines[from], lines[at - 1]);
                let action = lines_action(rule, kind, (first, last));
                self.actions.push(action);
                from = at;
            }
        }
        for &i in lines {
            self.text.remove(i);
        }
    }

    /// Applies the span edits of a line that is still there; a line they
    /// leave blank is removed.
    fn change_inside(&mut self, line: usize, spans: &[SpanEdit]) {
        if self.text.is_removed(line) {
            return;
        }
        let text = self.doc.line(line);
        let (new_text, line_actions, _) = apply_spans(text, line, spans);
        let left_over = !line_actions.is_empty() && (self.stray)(&new_text);
        if (is_blank(&new_text) || left_over) && !is_blank(text) {
            self.text.remove(line);
            let rule = line_actions
                .first()
                .map_or(RuleId::of(""), |a: &Action| a.rule);
            let action = lines_action(rule, ActionKind::RemoveLine, (line, line));
            self.actions.push(action);
        } else if !line_actions.is_empty() {
            self.text.change(line, &new_text);
            self.actions.extend(line_actions);
        }
    }

    /// Joins the parts of paragraphs; returns the lines whose text moved
    /// onto another line (line → that line).
    fn join_paragraphs(&mut self, joins: &[(usize, usize, JoinMode)]) -> BTreeMap<usize, usize> {
        let doc = self.doc;
        let mut moved = BTreeMap::new();
        for &(first, second, mode) in joins {
            let target = moved.get(&first).copied().unwrap_or(first);
            let (Some(head), Some(tail)) =
                (self.text.text(doc, target), self.text.text(doc, second))
            else {
                continue;
            };
            let gap: Vec<usize> = (target + 1..second)
                .filter(|&k| !self.text.is_removed(k))
                .collect();
            if gap.iter().any(|&k| !is_blank(doc.line(k))) {
                continue;
            }
            let original = gap
                .iter()
                .map(|&k| doc.line(k))
                .collect::<Vec<_>>()
                .join("\n");
            let (original, replacement) = match mode {
                JoinMode::Space => {
                    let joined = format!("{} {}", head.trim_end(), tail.trim_start());
                    let original = std::iter::once(head)
                        .chain(gap.iter().map(|&k| doc.line(k)))
                        .chain(std::iter::once(tail))
                        .collect::<Vec<_>>()
                        .join("\n");
                    self.text.change(target, &joined);
                    self.text.remove(second);
                    moved.insert(second, target);
                    (original, joined)
                }
                JoinMode::Lines if gap.is_empty() => continue,
                JoinMode::Lines => (original, String::new()),
            };
            for k in gap {
                self.text.remove(k);
            }
            self.actions.push(Action {
                rule: RuleId::of(Check::ParagraphJoin.id()),
                kind: ActionKind::JoinParagraph,
                line: position(target + 1),
                end_line: position(second + 1),
                column: None,
                texts: Action::texts(original.into(), replacement.into()),
                page: None,
            });
        }
        moved
    }

    /// Where lines were removed, collapses runs of blank lines to one (to
    /// none at either end of the document), with room made for `more`
    /// actions after.
    fn collapse_blank_runs(&mut self, more: usize) {
        if !self.text.any_removed() {
            return;
        }
        let n = self.text.len();
        let doc = self.doc;
        let gap = |k: usize, text: &CleanText| text.text(doc, k).is_none_or(is_blank);
        // The lines to remove, run by run, are found first: their actions
        // are counted before any is made, so that the actions (a long
        // document's are many) grow once, to their size, not by doubling.
        let mut blank: Vec<usize> = Vec::new();
        let mut run_ends: Vec<usize> = Vec::new();
        let mut actions = 0;
        let mut i = 0;
        while i < n {
            if !gap(i, &self.text) {
                i += 1;
                continue;
            }
            let start = i;
            while i < n && gap(i, &self.text) {
                i += 1;
            }
            let end = i - 1;
            let touched = (start..=end).any(|k| self.text.is_removed(k));
            if !touched {
                continue;
            }
            let keep_one = start > 0 && end + 1 < n;
            let from = blank.len();
            blank.extend(
                (start..=end)
                    .filter(|&k| !self.text.is_removed(k))
                    .skip(usize::from(keep_one)),
            );
            // One action a stretch of consecutive lines (see `remove_runs`).
            let run = &blank[from..];
            actions += run.windows(2).filter(|w| w[1] != w[0] + 1).count();
            actions += usize::from(!run.is_empty());
            run_ends.push(blank.len());
        }
        self.actions.reserve_exact(actions + more);
        let rule = RuleId::of(Check::CollapseBlankLines.id());
        let mut from = 0;
        for to in run_ends {
            self.remove_runs(&blank[from..to], rule, ActionKind::CollapseBlankLines);
            from = to;
        }
    }

    /// The lines whose decoding changed them, so far kept: the first, after
    /// a byte-order mark, and those re-encoded from Windows-1252 (their
    /// bytes are not their text). Found before the blank runs are
    /// collapsed, so that the actions grow once for both.
    fn decoded_otherwise(&self) -> Vec<usize> {
        let doc = self.doc;
        if !doc.bom && doc.encoding != Encoding::Windows1252 {
            return Vec::new();
        }
        (0..self.text.len())
            .filter(|&k| !self.text.is_removed(k))
            .filter(|&k| {
                (k == 0 && doc.bom)
                    || (doc.encoding == Encoding::Windows1252
                        && *doc.raw_content(k) != *doc.line(k).as_bytes())
            })
            .collect()
    }

    /// Records the changes of decoding on the lines that are kept: the
    /// byte-order mark, lines re-encoded from Windows-1252.
    /// `lines` are those [`Cleaning::decoded_otherwise`] found.
    fn record_decoding(&mut self, lines: &[usize]) {
        let doc = self.doc;
        self.actions.reserve_exact(lines.len());
        for &k in lines {
            if self.text.is_removed(k) {
                continue;
            }
            if k == 0 && doc.bom {
                self.actions.push(Action {
                    rule: RuleId::of(Check::InputBom.id()),
                    kind: ActionKind::StripBom,
                    line: 1,
                    end_line: 1,
                    column: Some(NonZeroU32::MIN),
                    texts: Action::texts("\u{FEFF}".into(), Shared::default()),
                    page: None,
                });
            }
            if doc.encoding == Encoding::Windows1252
                && *doc.raw_content(k) != *doc.line(k).as_bytes()
            {
                let text = self.texts.text(doc.line(k));
                self.actions.push(Action {
                    rule: RuleId::of(Check::InputWindows1252.id()),
                    kind: ActionKind::Transcode,
                    line: position(k + 1),
                    end_line: position(k + 1),
                    column: None,
                    texts: Action::texts(text.clone(), text),
                    page: None,
                });
            }
        }
    }
}

/// The removal of lines `first..=last` (of one kind, by one rule): one
/// action. Their text is not repeated in it: the diff's removed lines
/// give it byte for byte, and the findings on those lines quote it.
fn lines_action(rule: RuleId, kind: ActionKind, (first, last): (usize, usize)) -> Action {
    Action {
        rule,
        kind,
        line: position(first + 1),
        end_line: position(last + 1),
        column: None,
        texts: None,
        page: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};
    use crate::audit::spans::repaired_with_map;

    fn doc(text: &str) -> Document {
        match decode(text.as_bytes().to_vec()) {
            Decoded::Text(d) => d,
            Decoded::Binary { .. } => unreachable!(),
        }
    }

    fn span(line: usize, start: usize, end: usize) -> Edit {
        Edit::certain(
            "r",
            Change::span(ActionKind::RemoveMatch, line, start, end, String::new()),
        )
    }

    fn remove(line: usize, end_line: usize) -> Edit {
        Edit::remove_lines("r", line, end_line)
    }

    /// The cleaned text's bytes.
    fn bytes(c: &Cleaned, d: &Document) -> Vec<u8> {
        let mut out = Vec::new();
        c.text.write(d, &mut out);
        out
    }

    fn clean(d: &Document, edits: Vec<Edit>) -> Cleaned {
        super::clean(d, edits, &|_| false)
    }

    fn cleaned(d: &Document, edits: Vec<Edit>) -> String {
        String::from_utf8(bytes(&clean(d, edits), d)).unwrap()
    }

    #[test]
    fn a_repaired_lines_offsets_map_back_to_the_line_as_written() {
        // "~~SECRE\x11\x11T~~ x" with the control characters removed reads
        // "~~SECRET~~ x"; "~~SECRET~~" there is bytes 0..12 as written.
        let text = "~~SECRE\x11\x11T~~ x";
        let (repaired, map) = repaired_with_map(text, 0, &[span(0, 7, 9)]).unwrap();
        assert_eq!(repaired, "~~SECRET~~ x");
        assert_eq!(map.original(0, 10), (0, 12));
        assert_eq!(map.original(11, 12), (13, 14));
        // A span that reaches into a replacement takes it whole.
        let mut edit = span(0, 2, 4);
        if let Change::Span(span) = &mut edit.change {
            span.replacement = "xyz".to_string();
        }
        let (repaired, map) = repaired_with_map("abcdef", 0, &[edit]).unwrap();
        assert_eq!(repaired, "abxyzef");
        assert_eq!(map.original(3, 6), (2, 5));
    }

    #[test]
    fn removal_inside_a_line_takes_one_space() {
        let d = doc("participated in [Page 764] the attack\n");
        assert_eq!(
            cleaned(&d, vec![span(0, 16, 26)]),
            "participated in the attack\n"
        );
        let d = doc("[Page 1] Start\nend [Page 2]\n");
        assert_eq!(
            cleaned(&d, vec![span(0, 0, 8), span(1, 4, 12)]),
            "Start\nend\n"
        );
        let d = doc("Date 12-2-75~~SECRET~~\n");
        assert_eq!(cleaned(&d, vec![span(0, 12, 22)]), "Date 12-2-75\n");
    }

    #[test]
    fn blank_runs_collapse_only_where_lines_were_removed() {
        let d = doc("a\n\n\n\nb\n\nSTAMP\n\nc\n");
        let c = clean(&d, vec![remove(6, 6)]);
        assert_eq!(
            String::from_utf8(bytes(&c, &d)).unwrap(),
            "a\n\n\n\nb\n\nc\n"
        );
        assert_eq!(c.actions.len(), 2);
        assert_eq!(c.actions[1].kind, ActionKind::CollapseBlankLines);
        assert_eq!(c.actions[1].line, 8);
    }

    #[test]
    fn blank_lines_collapsed_on_consecutive_lines_are_one_action() {
        let d = doc("a\n\nSTAMP\n\n\n\nFOOT\n\nb\n");
        let c = clean(&d, vec![remove(2, 2), remove(6, 6)]);
        assert_eq!(String::from_utf8(bytes(&c, &d)).unwrap(), "a\n\nb\n");
        let collapsed: Vec<(u32, u32)> = c
            .actions
            .iter()
            .filter(|a| a.kind == ActionKind::CollapseBlankLines)
            .map(|a| (a.line, a.end_line))
            .collect();
        // Lines 4-6 are blank and consecutive; line 8 follows a removed line.
        assert_eq!(collapsed, vec![(4, 6), (8, 8)]);
    }

    #[test]
    fn removed_edges_leave_no_blank_lines() {
        let d = doc("STAMP\n\ntext\n\nSTAMP");
        assert_eq!(cleaned(&d, vec![remove(0, 0), remove(4, 4)]), "text\n");
    }

    #[test]
    fn a_line_left_blank_is_removed_and_overlaps_are_skipped() {
        let d = doc("keep\n[Page 3]\nkeep\n");
        let c = clean(&d, vec![span(1, 0, 8), span(1, 2, 4)]);
        assert_eq!(String::from_utf8(bytes(&c, &d)).unwrap(), "keep\nkeep\n");
        assert_eq!(c.actions.len(), 1);
        assert_eq!(c.actions[0].kind, ActionKind::RemoveLine);
    }

    #[test]
    fn a_leftover_that_is_no_text_goes_with_its_line() {
        let d = doc("keep\n[Page 3] |\nkeep\n");
        let c = super::clean(&d, vec![span(1, 0, 8)], &|t: &str| t.trim() == "|");
        assert_eq!(String::from_utf8(bytes(&c, &d)).unwrap(), "keep\nkeep\n");
        assert_eq!(c.actions.len(), 1);
        assert_eq!(c.actions[0].kind, ActionKind::RemoveLine);
        assert_eq!((c.actions[0].line, c.actions[0].end_line), (2, 2));
        // The line's text is the diff's to give, not repeated in the action.
        assert!(c.actions[0].texts.is_none());
    }

    #[test]
    fn first_claim_explains_each_removed_line_once() {
        let d = doc("a\nb\nc\nd\n");
        let region = Edit::remove_lines("region", 1, 3);
        let c = clean(&d, vec![remove(1, 1), region, remove(2, 2)]);
        assert_eq!(String::from_utf8(bytes(&c, &d)).unwrap(), "a\n");
        let got: Vec<(&str, u32, u32)> = c
            .actions
            .iter()
            .map(|a| (&*a.rule, a.line, a.end_line))
            .collect();
        assert_eq!(got, vec![("r", 2, 2), ("region", 3, 4)]);
    }
}
