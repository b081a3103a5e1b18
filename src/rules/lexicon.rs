//! English words, from `rules/words.txt`: one word a line, lower case,
//! `#` lines are comments. The audit tells OCR garbage from text by how
//! much of a line reads as words, numbers, codes and names.

use std::collections::HashSet;

/// The word list in use (hashed with foldhash: looked up for nearly every
/// word of every document, several times faster than SipHash).
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    words: HashSet<String, foldhash::fast::RandomState>,
}

impl Lexicon {
    pub fn parse(text: &str) -> Lexicon {
        Lexicon {
            words: text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_lowercase)
                .collect(),
        }
    }

    /// Adds words (any case) to the list.
    pub fn extend<'a>(&mut self, words: impl IntoIterator<Item = &'a String>) {
        self.words
            .extend(words.into_iter().map(|w| w.to_lowercase()));
    }

    /// Whether `word` (any case) is an English word of the list.
    pub fn contains(&self, word: &str) -> bool {
        with_lowercase(word, |lower| self.words.contains(lower))
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }
}

/// The longest ASCII word lowered without allocating (longer ones are
/// rare).
const STACK_WORD: usize = 64;

thread_local! {
    /// Where [`with_lowercase`] lowers an ASCII word.
    static LOWERED: std::cell::RefCell<String> = std::cell::RefCell::new(String::with_capacity(STACK_WORD));
}

/// Calls `f` with `word` in lower case, as `str::to_lowercase` gives it,
/// without allocating for a word already in lower case or a short ASCII
/// one: words are looked up for nearly every token of every document.
pub fn with_lowercase<R>(word: &str, f: impl FnOnce(&str) -> R) -> R {
    if word.is_ascii() && word.len() <= STACK_WORD {
        if !word.bytes().any(|b| b.is_ascii_uppercase()) {
            return f(word);
        }
        // Lowered in a buffer of this thread's, as a `str` all along: a
        // byte buffer would be checked again as UTF-8 (a sixth of a
        // lookup's cost). A nested call, if `f` made one, allocates.
        return LOWERED.with(|buffer| match buffer.try_borrow_mut() {
            Ok(mut lower) => {
                lower.clear();
                lower.push_str(word);
                lower.make_ascii_lowercase();
                f(&lower)
            }
            Err(_) => f(&word.to_ascii_lowercase()),
        });
    }
    if word.chars().all(char::is_lowercase) {
        f(word)
    } else {
        f(&word.to_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_skipped_and_case_does_not_matter() {
        let lexicon = Lexicon::parse("# a comment\nreport\n\nTelegram\n");
        assert_eq!(lexicon.len(), 2);
        assert!(lexicon.contains("REPORT") && lexicon.contains("telegram"));
        assert!(!lexicon.contains("comment"));
    }

    #[test]
    fn words_are_lowered_as_to_lowercase_lowers_them() {
        for word in [
            "REPORT",
            "report",
            "Télégramme",
            "ΟΔΟΣ",
            "x1-B",
            &"A".repeat(80),
        ] {
            assert_eq!(with_lowercase(word, str::to_string), word.to_lowercase());
        }
        // A word lowered while another is held in the thread's buffer.
        let nested = with_lowercase("Foreign", |a| {
            with_lowercase("OFFICE", |b| format!("{a} {b}"))
        });
        assert_eq!(nested, "foreign office");
    }
}
