//! The order documents are audited in. An audit holds several times its
//! document, so large documents are audited one after another on one
//! worker (whose freed memory the next one reuses), beside the small ones
//! on the others: a run's peak memory is set by its largest document, not
//! by the number of workers times it. What is written does not depend on
//! the order.

/// Documents of this many bytes or more are audited one at a time.
pub const LARGE_DOCUMENT: u64 = 16 * 1024 * 1024;

/// The documents of `sizes` (bytes) audited one at a time, in input
/// order, and the others, largest first (ties in input order): the
/// workers then end on the smallest documents, together, instead of one
/// waiting while another audits a long document met last.
pub fn one_at_a_time(sizes: impl Iterator<Item = u64>) -> (Vec<usize>, Vec<usize>) {
    let (mut large, mut small) = (Vec::new(), Vec::new());
    for (k, size) in sizes.enumerate() {
        if size >= LARGE_DOCUMENT {
            large.push(k);
        } else {
            small.push((std::cmp::Reverse(size), k));
        }
    }
    small.sort_unstable();
    (large, small.into_iter().map(|(_, k)| k).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_documents_are_audited_one_at_a_time_and_the_rest_in_parallel() {
        let sizes = [
            10,
            LARGE_DOCUMENT,
            0,
            LARGE_DOCUMENT - 1,
            4 * LARGE_DOCUMENT,
        ];
        let (large, small) = one_at_a_time(sizes.into_iter());
        assert_eq!(large, [1, 4]);
        assert_eq!(small, [3, 0, 2]);
        // Of equal sizes, the first given goes first.
        let (_, small) = one_at_a_time([5, 9, 5, 9].into_iter());
        assert_eq!(small, [1, 3, 0, 2]);
    }
}
