//! Pages: the sheets of the original between the boundaries the structure
//! finds, with their printed numbers, and where their text ends up in the
//! cleaned text.

use crate::audit::decode::Document;
use crate::diagnostic::column_of;
use serde::{Deserialize, Serialize};
use std::num::NonZeroU32;

/// One sheet of the original document. Lines are 1-based; `start_column` is
/// set where the sheet starts inside a line (after an inline page marker).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page {
    pub index: usize,
    /// The printed page number, where the document gives one.
    pub number: Option<u32>,
    pub start_line: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_column: Option<usize>,
    pub end_line: usize,
    /// Where the sheet's text is in `cleaned.txt` (`null` if none of it is).
    pub cleaned_start_line: Option<usize>,
    pub cleaned_end_line: Option<usize>,
}

/// A boundary between two sheets: after line `line` (whole-line boundary),
/// or inside line `line` at byte `at` (inline marker).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Boundary {
    pub line: usize,
    pub at: Option<usize>,
    pub number: Option<u32>,
}

/// The sheets between the boundaries (which come sorted).
pub fn sheets(doc: &Document, boundaries: &[Boundary]) -> Vec<Page> {
    let n = doc.len();
    if n == 0 {
        return Vec::new();
    }
    let mut pages = Vec::with_capacity(boundaries.len() + 1);
    let mut start = (0usize, None::<usize>);
    let mut number: Option<u32> = None;
    for b in boundaries {
        let end_line = b.line;
        pages.push(Page {
            index: pages.len() + 1,
            number,
            start_line: start.0 + 1,
            start_column: start.1.map(|byte| column_of(doc.line(start.0), byte)),
            end_line: end_line + 1,
            cleaned_start_line: None,
            cleaned_end_line: None,
        });
        start = match b.at {
            Some(byte) => (b.line, Some(byte)),
            None => (b.line + 1, None),
        };
        // A printed number equal to the sheet's own is a number at its foot.
        number = b.number.filter(|&v| number != Some(v));
    }
    pages.push(Page {
        index: pages.len() + 1,
        number,
        start_line: start.0 + 1,
        start_column: start.1.map(|byte| column_of(doc.line(start.0), byte)),
        end_line: n,
        cleaned_start_line: None,
        cleaned_end_line: None,
    });
    pages
}

/// Sets where each sheet's text is in the cleaned text, from the cleaned
/// line number of each original line.
/// The printed number of the page that holds `column` (1-based, the line's
/// start when `None`) of `line` (1-based), where the document gives one.
/// `pages` come in order.
pub fn printed_page(pages: &[Page], line: usize, column: Option<usize>) -> Option<u32> {
    let starts_after = |page: &Page| {
        page.start_line > line
            || (page.start_line == line
                && page
                    .start_column
                    .is_some_and(|start| column.unwrap_or(1) < start))
    };
    let at = pages.partition_point(|page| !starts_after(page));
    at.checked_sub(1).and_then(|i| pages[i].number)
}

/// `pages` with the lines of the cleaned text each spans, from the cleaned
/// line `numbers` of the original lines, in order. The pages come in order
/// (one may begin on the line where the one before ends): the numbers are
/// read once, each given to the pages around its line.
pub fn map_pages(
    mut pages: Vec<Page>,
    numbers: impl Iterator<Item = Option<NonZeroU32>>,
) -> Vec<Page> {
    for page in &mut pages {
        page.cleaned_start_line = None;
        page.cleaned_end_line = None;
    }
    // The first page that has not ended before the line.
    let mut open = 0;
    for (i, number) in numbers.enumerate() {
        let Some(number) = number.map(|n| n.get() as usize) else {
            continue;
        };
        while pages.get(open).is_some_and(|page| page.end_line <= i) {
            open += 1;
        }
        let open_at = open.min(pages.len());
        let around = pages[open_at..]
            .iter_mut()
            .take_while(|page| page.start_line.saturating_sub(1) <= i)
            .filter(|page| i < page.end_line);
        for page in around {
            page.cleaned_start_line.get_or_insert(number);
            page.cleaned_end_line = Some(number);
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(index: usize, number: Option<u32>, start: (usize, Option<usize>), end: usize) -> Page {
        Page {
            index,
            number,
            start_line: start.0,
            start_column: start.1,
            end_line: end,
            cleaned_start_line: None,
            cleaned_end_line: None,
        }
    }

    #[test]
    fn a_change_is_on_the_printed_page_of_its_sheet() {
        // Sheet 2 (printed 12) starts inside line 20, at column 30, after
        // an inline marker; sheet 3 has no printed number.
        let pages = [
            page(1, Some(11), (1, None), 20),
            page(2, Some(12), (20, Some(30)), 40),
            page(3, None, (41, None), 50),
        ];
        assert_eq!(printed_page(&pages, 5, None), Some(11));
        assert_eq!(printed_page(&pages, 20, None), Some(11));
        assert_eq!(printed_page(&pages, 20, Some(29)), Some(11));
        assert_eq!(printed_page(&pages, 20, Some(31)), Some(12));
        assert_eq!(printed_page(&pages, 40, None), Some(12));
        assert_eq!(printed_page(&pages, 45, None), None);
        assert_eq!(printed_page(&[], 1, None), None);
    }

    #[test]
    fn each_sheet_spans_the_cleaned_lines_of_its_original_lines() {
        // Sheets of every length, some sharing their first line with the
        // end of the one before (an inline marker), over lines whose text
        // is sometimes removed; read line by line against each sheet's
        // range read whole.
        let numbers: Vec<Option<NonZeroU32>> = (0..60u32)
            .scan(0, |next, i| {
                let kept = i % 3 != 1 && i % 7 != 0;
                *next += u32::from(kept);
                Some(NonZeroU32::new(*next).filter(|_| kept))
            })
            .collect();
        let mut pages = Vec::new();
        let (mut start, mut index) = (1, 0);
        while start <= 60 {
            let end = (start + index % 5).min(60);
            let shared = index % 2 == 1 && end > start;
            pages.push(page(index, None, (start, None), end));
            start = if shared { end } else { end + 1 };
            index += 1;
        }
        let mapped = map_pages(pages.clone(), numbers.iter().copied());
        for (page, got) in pages.iter().zip(&mapped) {
            let number = |i: usize| numbers[i].map(|n| n.get() as usize);
            let range = page.start_line - 1..page.end_line;
            assert_eq!(
                got.cleaned_start_line,
                range.clone().find_map(number),
                "{page:?}"
            );
            assert_eq!(
                got.cleaned_end_line,
                range.rev().find_map(number),
                "{page:?}"
            );
        }
        assert!(mapped.iter().any(|p| p.cleaned_start_line.is_none()));
        assert!(mapped
            .iter()
            .any(|p| p.cleaned_start_line != p.cleaned_end_line));
    }
}
