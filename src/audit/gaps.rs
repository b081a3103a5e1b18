//! The gaps of a document: runs of lines that a reader passes over
//! between two lines of text (blank, removed, or fragments a broken
//! sentence may hold), found over the whole document or only where given
//! lines lie.

use std::ops::Range;

/// The runs of lines `passable` (each a gap between two lines of text, or
/// at either end of the document), of all `n` lines or only those
/// `holding` one of the lines given (in order).
pub fn gaps(
    n: usize,
    holding: Option<&[usize]>,
    passable: impl Fn(usize) -> bool,
) -> Vec<Range<usize>> {
    let gap_from = |start: usize| start..(start..n).find(|&i| !passable(i)).unwrap_or(n);
    let mut gaps: Vec<Range<usize>> = Vec::new();
    match holding {
        Some(lines) => {
            for &line in lines {
                let found = gaps.last().is_some_and(|gap| gap.contains(&line));
                if found || line >= n || !passable(line) {
                    continue;
                }
                let start = (0..line).rev().find(|&i| !passable(i)).map_or(0, |i| i + 1);
                gaps.push(gap_from(start));
            }
        }
        None => {
            let mut start = 0;
            while start < n {
                if passable(start) {
                    let gap = gap_from(start);
                    start = gap.end;
                    gaps.push(gap);
                } else {
                    start += 1;
                }
            }
        }
    }
    gaps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines 1–2 and 5 may be passed over; 0, 3, 4 and 6 are text.
    const PASSABLE: [bool; 7] = [false, true, true, false, false, true, false];

    #[test]
    fn every_run_of_passable_lines_is_a_gap() {
        assert_eq!(gaps(7, None, |i| PASSABLE[i]), vec![1..3, 5..6]);
        assert_eq!(gaps(3, None, |_| true), vec![0..3]);
        assert!(gaps(0, None, |_| true).is_empty());
    }

    #[test]
    fn only_the_gaps_holding_the_lines_given_each_once() {
        assert_eq!(gaps(7, Some(&[2]), |i| PASSABLE[i]), vec![1..3]);
        assert_eq!(gaps(7, Some(&[1, 2, 5]), |i| PASSABLE[i]), vec![1..3, 5..6]);
        // A line of text, or past the end, holds no gap.
        assert!(gaps(7, Some(&[3, 9]), |i| PASSABLE[i]).is_empty());
    }
}
