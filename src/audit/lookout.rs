//! Lines that use any of a few words: the words of the lines removed
//! since the document's words were counted, looked for in every line that
//! stays, whose verdict may lean on them.

use crate::audit::words::{counted, WordCounts};
use crate::rules::lexicon::with_lowercase;

/// Some words looked for in many lines (those of the lines removed since
/// the words were counted), with a filter of bits set by each ASCII word's
/// length and first and last letters: a token of a line whose bit is clear
/// is none of them, and is neither lowered nor hashed. Most are.
pub struct Lookout<'a> {
    words: &'a WordCounts,
    filter: [u64; LOOKOUT_WORDS],
}

/// The filter's size, in 64-bit words.
const LOOKOUT_WORDS: usize = 64;

impl<'a> Lookout<'a> {
    pub fn new(words: &'a WordCounts) -> Lookout<'a> {
        let mut filter = [0u64; LOOKOUT_WORDS];
        for word in words.keys().filter(|w| w.is_ascii()) {
            let bit = Lookout::bit(word.as_bytes());
            filter[bit / 64] |= 1 << (bit % 64);
        }
        Lookout { words, filter }
    }

    /// The filter's bit of an ASCII token (lowered as the words are).
    fn bit(token: &[u8]) -> usize {
        let first = token.first().map_or(0, u8::to_ascii_lowercase);
        let last = token.last().map_or(0, u8::to_ascii_lowercase);
        (token.len() * 961 + usize::from(first) * 31 + usize::from(last)) % (LOOKOUT_WORDS * 64)
    }

    /// Whether `token` may be one of the words: a token that is not ASCII
    /// always may (lowering it may change its length).
    fn may_be(&self, token: &str) -> bool {
        if !token.is_ascii() {
            return true;
        }
        let bit = Lookout::bit(token.as_bytes());
        self.filter[bit / 64] & (1 << (bit % 64)) != 0
    }

    /// Whether `line` uses any of the words, as
    /// [`crate::audit::words::word_counts`] reads words.
    pub fn used_in(&self, line: &str) -> bool {
        !self.words.is_empty()
            && line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| self.may_be(w) && counted(w))
                .any(|w| with_lowercase(w, |lower| self.words.contains_key(lower)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::words::word_counts;

    #[test]
    fn a_lookout_finds_the_lines_a_scan_of_every_token_finds() {
        let words =
            word_counts(["Sheet HEADER of the Über-draft", "page 12 \u{3a9}mega"].into_iter());
        let lookout = Lookout::new(&words);
        for line in [
            "SHEET",
            "the header.",
            "\u{fc}ber alles",
            "nothing here",
            "pag\u{e9} and Page",
            "\u{3c9}MEGA",
            "12 34",
            "s h e e t",
            "",
        ] {
            let scanned = line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| counted(w))
                .any(|w| words.contains_key(&w.to_lowercase()));
            assert_eq!(lookout.used_in(line), scanned, "{line:?}");
        }
        assert!(!Lookout::new(&WordCounts::default()).used_in("sheet"));
    }
}
