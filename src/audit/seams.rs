//! Rule matches across the seam of a join. A paragraph whose parts are
//! joined with a space (unwrapped prose) is one line of the cleaned text,
//! and the rules that remove or replace a match inside a line read it so
//! when the cleaned text is audited again: a page marker that the page
//! break split (`participated in [Page` / … / `764] the attack`) is whole
//! only across the join's seam. Each seam is read as the join makes it; a
//! match that begins in one line and ends in the next is proposed on both
//! parts, as one finding.

use crate::audit::decode::{is_blank, Document};
use crate::audit::matches;
use crate::audit::scan;
use crate::audit::spans::{self, SpanMap};
use crate::diagnostic::{Change, Edit, JoinMode, Proposal};
use crate::rules::RuleSet;
use std::collections::{BTreeMap, HashSet};

/// A line as the changes inside it so far leave it.
struct Side<'d> {
    line: usize,
    text: std::borrow::Cow<'d, str>,
    /// From the repaired line's offsets back to the line as written.
    map: Option<SpanMap>,
}

impl Side<'_> {
    /// The span of the line as written that gave `start..end` of the line
    /// as repaired: a change it reaches into is taken whole, and the edit
    /// made on the span covers it (as the lines that repairs reveal a
    /// match in are edited, `leftovers`).
    fn original(&self, start: usize, end: usize) -> (usize, usize) {
        match &self.map {
            Some(map) => map.original(start, end),
            None => (start, end),
        }
    }
}

/// The proposals of the matches across the seams of the joins with a space
/// among `joins`, the lines read as `edits` leave them.
pub fn across_joins(
    doc: &Document,
    rules: &RuleSet,
    joins: &[Edit],
    edits: &[Edit],
) -> Vec<Proposal> {
    let seams: Vec<(usize, usize)> = joins
        .iter()
        .filter_map(|e| match e.change {
            Change::Join {
                first,
                second,
                mode: JoinMode::Space,
            } => Some((first as usize, second as usize)),
            _ => None,
        })
        .collect();
    if seams.is_empty() {
        return Vec::new();
    }
    let lines: HashSet<usize> = seams.iter().flat_map(|&(a, b)| [a, b]).collect();
    let by_line: BTreeMap<usize, Vec<&Edit>> =
        spans::span_edits_by_line(edits, |line| lines.contains(&line));
    let side = |line: usize| -> Side {
        let written = doc.line(line);
        let edits = by_line.get(&line).map(Vec::as_slice).unwrap_or_default();
        match spans::repaired_with_map(written, line, edits) {
            Some((text, map)) => Side {
                line,
                text: text.into(),
                map: Some(map),
            },
            None => Side {
                line,
                text: written.into(),
                map: None,
            },
        }
    };
    seams
        .into_iter()
        .flat_map(|(first, second)| seam(doc, rules, &side(first), &side(second)))
        .collect()
}

/// The proposals of the matches across the seam of `head` and `tail`, each
/// keeping words of its own besides the match.
fn seam(doc: &Document, rules: &RuleSet, head: &Side, tail: &Side) -> Vec<Proposal> {
    let head_text = head.text.trim_end();
    let tail_text = tail.text.trim_start();
    let lead = tail.text.len() - tail_text.len();
    // As the cleaning joins them.
    let joined = format!("{head_text} {tail_text}");
    let cut = head_text.len();
    scan::span_matches(&joined, rules)
        .into_iter()
        .filter(|m| m.start() < cut && m.end() > cut + 1)
        .filter_map(|m| {
            let tail_end = m.end() - cut - 1;
            if is_blank(&head_text[..m.start()]) || is_blank(&tail_text[tail_end..]) {
                return None;
            }
            let (start, end) = head.original(m.start(), cut);
            let head_part = m.moved(head.line, start, end);
            let (start, end) = tail.original(lead, lead + tail_end);
            let tail_part = head_part.clone().moved(tail.line, start, end);
            Some(matches::across_a_join(doc, rules, &head_part, &tail_part))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::audit::audited_with_builtin_rules;

    const SPLIT: &str = include_str!(
        "../../tests/fixtures/structure/page-marker-split-across-an-unwrapped-page-break.txt"
    );

    fn cleaned(text: &str) -> String {
        let audit = audited_with_builtin_rules(text);
        String::from_utf8(audit.cleaned().unwrap()).unwrap()
    }

    /// A marker split by the page break goes from the joined line, also
    /// where a change inside either part (a zero-width space removed) is
    /// made on the same characters: the marker's edit covers it.
    #[test]
    fn a_split_marker_goes_whatever_changes_its_parts_hold() {
        for text in [
            SPLIT.to_string(),
            SPLIT.replace("in [Page\n", "in [Pa\u{200b}ge\n"),
            SPLIT.replace("\n764] the", "\n7\u{200b}64] the"),
        ] {
            let once = cleaned(&text);
            assert!(
                once.contains("which participated in the occupation of the northern ports"),
                "{once}"
            );
            assert_eq!(cleaned(&once), once);
        }
    }

    /// A marker whole in the first part is the scan's: the seam reads
    /// nothing more (what the next part begins with is no marker).
    #[test]
    fn a_marker_whole_in_one_part_is_not_read_again_across_the_seam() {
        let whole = SPLIT.replace("in [Page\n", "in [Page 763] the\n");
        let once = cleaned(&whole);
        assert!(
            once.contains("participated in the 764] the occupation"),
            "{once}"
        );
        assert_eq!(cleaned(&once), once);
    }
}
