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
        if word.chars().all(|c| c.is_lowercase()) {
            self.words.contains(word)
        } else {
            self.words.contains(&word.to_lowercase())
        }
    }

    pub fn len(&self) -> usize {
        self.words.len()
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
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
}
