//! The gaps of a document: runs of lines that a reader passes over
//! between two lines of text (blank, removed, or fragments a broken
//! sentence may hold), found over the whole document or only where given
//! lines lie.

use std::ops::Range;

/// The runs of lines `passable` (each a gap between two lines of text, or
/// at either end of the document), of all `n` lines or only those
/// `holding` one of the lines given (in order), one by one: a long
/// document's gaps are hundreds of thousands, and each is read once.
pub fn gaps<'a>(
    n: usize,
    holding: Option<&'a [usize]>,
    passable: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut lines = holding.map(<[usize]>::iter);
    let mut last: Option<Range<usize>> = None;
    let mut start = 0;
    std::iter::from_fn(move || {
        let gap_from = |start: usize| start..(start..n).find(|&i| !passable(i)).unwrap_or(n);
        match &mut lines {
            Some(lines) => {
                for &line in lines {
                    let found = last.as_ref().is_some_and(|gap| gap.contains(&line));
                    if found || line >= n || !passable(line) {
                        continue;
                    }
                    let start = (0..line).rev().find(|&i| !passable(i)).map_or(0, |i| i + 1);
                    last = Some(gap_from(start));
                    return last.clone();
                }
                None
            }
            None => {
                while start < n {
                    if passable(start) {
                        let gap = gap_from(start);
                        start = gap.end;
                        return Some(gap);
                    }
                    start += 1;
                }
                None
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines 1–2 and 5 may be passed over; 0, 3, 4 and 6 are text.
    const PASSABLE: [bool; 7] = [false, true, true, false, false, true, false];

    #[test]
    fn every_run_of_passable_lines_is_a_gap() {
        assert_eq!(
            gaps(7, None, |i| PASSABLE[i]).collect::<Vec<_>>(),
            [1..3, 5..6]
        );
        assert_eq!(gaps(3, None, |_| true).collect::<Vec<_>>(), vec![0..3]);
        assert!(gaps(0, None, |_| true).next().is_none());
    }

    #[test]
    fn only_the_gaps_holding_the_lines_given_each_once() {
        assert_eq!(
            gaps(7, Some(&[2]), |i| PASSABLE[i]).collect::<Vec<_>>(),
            vec![1..3]
        );
        assert_eq!(
            gaps(7, Some(&[1, 2, 5]), |i| PASSABLE[i]).collect::<Vec<_>>(),
            [1..3, 5..6]
        );
        // A line of text, or past the end, holds no gap.
        assert!(gaps(7, Some(&[3, 9]), |i| PASSABLE[i]).next().is_none());
    }
}
