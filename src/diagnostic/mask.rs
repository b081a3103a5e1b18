//! A yes or no for each line of a document (removed, explained, blank…):
//! one bit a line, where a `Vec<bool>` takes a byte. A long document's
//! stages hold several such masks at once (a million lines: 146 KB each,
//! not 1.2 MB).

use bit_vec::BitVec;
use std::ops::{Index, Range, RangeInclusive};

#[derive(Clone, Default, PartialEq, Eq)]
pub struct LineMask(BitVec);

impl LineMask {
    /// `lines` lines, none marked.
    pub fn new(lines: usize) -> LineMask {
        LineMask(BitVec::from_elem(lines, false))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Line `line`'s mark; `None` past the last line.
    pub fn get(&self, line: usize) -> Option<bool> {
        self.0.get(line)
    }

    /// As many lines as `lines`, the lines added marked `value`.
    pub fn resize(&mut self, lines: usize, value: bool) {
        if lines > self.len() {
            self.0.grow(lines - self.len(), value);
        } else {
            self.0.truncate(lines);
        }
    }

    /// Marks line `line` (`true`) or clears it.
    pub fn set(&mut self, line: usize, value: bool) {
        self.0.set(line, value);
    }

    /// Marks every line of `lines`.
    pub fn mark(&mut self, lines: RangeInclusive<usize>) {
        for line in lines {
            self.0.set(line, true);
        }
    }

    /// Whether any line is marked.
    pub fn any(&self) -> bool {
        self.0.any()
    }

    /// Whether any line of `lines` is marked.
    pub fn any_in(&self, lines: Range<usize>) -> bool {
        lines.into_iter().any(|line| self[line])
    }

    /// Each line's mark, in order. Skipping it is linear (bits are read
    /// one at a time): from a line on, read by index.
    pub fn iter(&self) -> impl Iterator<Item = bool> + '_ {
        self.0.iter()
    }

    /// The marked lines, in order.
    pub fn marked(&self) -> impl Iterator<Item = usize> + '_ {
        self.iter().enumerate().filter_map(|(i, m)| m.then_some(i))
    }
}

/// `mask[line]` reads a line's mark, as it would from a `[bool]`.
impl Index<usize> for LineMask {
    type Output = bool;
    fn index(&self, line: usize) -> &bool {
        if self.0[line] {
            &true
        } else {
            &false
        }
    }
}

impl FromIterator<bool> for LineMask {
    fn from_iter<I: IntoIterator<Item = bool>>(marks: I) -> LineMask {
        LineMask(marks.into_iter().collect())
    }
}

impl std::fmt::Debug for LineMask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.marked()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_reads_back_each_line_as_a_vector_of_flags_would() {
        // Past one word of bits, with marks at both of its edges.
        let flags: Vec<bool> = (0..150).map(|i| i % 7 == 0 || i == 63 || i == 64).collect();
        let mut mask = LineMask::new(150);
        for (i, &f) in flags.iter().enumerate() {
            mask.set(i, f);
        }
        assert_eq!(mask.len(), 150);
        assert_eq!(mask.iter().collect::<Vec<_>>(), flags);
        assert_eq!(flags.iter().copied().collect::<LineMask>(), mask);
        for (i, &f) in flags.iter().enumerate() {
            assert_eq!(mask[i], f, "line {i}");
        }
        let marked: Vec<usize> = mask.marked().collect();
        let expected: Vec<usize> = (0..150).filter(|&i| flags[i]).collect();
        assert_eq!(marked, expected);
        assert!(mask.any_in(60..65) && !mask.any_in(65..70));
        assert!(mask.any() && !LineMask::new(70).any());
        assert_eq!((mask.get(149), mask.get(150)), (Some(false), None));
        let mut longer = mask.clone();
        longer.resize(160, true);
        assert!(longer[159] && longer.len() == 160 && !longer[149]);
        longer.resize(150, false);
        assert_eq!(longer, mask);
        mask.mark(65..=69);
        assert!(mask.any_in(65..70) && mask[69] && !mask[71]);
        mask.set(69, false);
        assert!(!mask[69]);
        assert!(std::mem::size_of_val(&mask) <= 32 && LineMask::new(0).is_empty());
    }
}
