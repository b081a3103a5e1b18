//! Garbled marking words: a short line no rule matched, read as the
//! closest of the rules' `fuzzy-words` after OCR look-alikes.

use super::found::{Match, Read};
use crate::audit::distance::within;
use crate::audit::text::has_chars;
use crate::rules::rule::{Bag, FuzzyWord};
use crate::rules::RuleSet;

/// Lines longer than this are not compared with marking words.
pub const FUZZY_MAX_CHARS: usize = 40;

/// How many edits a garbled reading of a marking word of `letters` letters
/// may be from it: none below six letters, one to seven, two to eleven,
/// three to fifteen, and a fifth of the letters beyond.
fn allowed_edits(letters: usize) -> usize {
    match letters {
        0..=5 => 0,
        6..=7 => 1,
        8..=11 => 2,
        12..=15 => 3,
        n => n / 5,
    }
}

/// The marking word a garbled short line stands for, with the distance.
/// `line` is the line's letters without white space (OCR splits and merges
/// words), `length` its length in characters.
fn fuzzy_word<'a>(
    line: &str,
    length: usize,
    bag: &Bag,
    words: &'a [FuzzyWord],
) -> Option<(&'a String, usize)> {
    words
        .iter()
        .filter_map(|w| {
            let allowed = allowed_edits(w.letters);
            // The edits are at least the difference in length, and at least
            // the excess of either's characters over the other's.
            if length.abs_diff(w.length) > allowed || bag.fewest_edits(&w.bag) > allowed {
                return None;
            }
            within(line, &w.key, allowed).map(|d| (&w.word, d))
        })
        .min_by_key(|&(_, d)| d)
}

/// Whether a line no rule matched is short enough, and not blank, to be
/// read as a garbled marking word.
pub(super) fn may_be_garbled_marking(text: &str) -> bool {
    !text.trim().is_empty() && !has_chars(text, FUZZY_MAX_CHARS + 1)
}

/// Whether a short line is within `slack` more edits than the scan allows
/// of some rule's marking word (`SCORET`, two edits from SECRET): what a
/// line may be where its place says it is no text.
pub fn near_marking_word(text: &str, rules: &RuleSet, slack: usize) -> bool {
    if !may_be_garbled_marking(text) {
        return false;
    }
    let (letters, _) = rules.vocabulary().marking_letters(text);
    let line: String = letters.chars().filter(|c| !c.is_whitespace()).collect();
    let length = line.chars().count();
    let bag = Bag::of(&line);
    rules.rules().iter().flat_map(|r| &r.fuzzy_words).any(|w| {
        let allowed = allowed_edits(w.letters) + slack;
        length.abs_diff(w.length) <= allowed
            && bag.fewest_edits(&w.bag) <= allowed
            && within(&line, &w.key, allowed).is_some()
    })
}

/// Reads a short line no rule matched as a garbled marking word, through
/// the rules' `fuzzy-words`.
pub(super) fn fuzzy_matches(index: usize, text: &str, rules: &RuleSet, out: &mut Vec<Match>) {
    let (letters, struck) = rules.vocabulary().marking_letters(text);
    if letters.is_empty() {
        return;
    }
    // A line of real words ("SECRETARY", "Confidently", "Secrets") is no
    // garbled marking; a marking word itself in capitals, with stray marks
    // beside it ("SECRET.", "_ SECRET"), is the marking.
    let words = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .all(|w| w.is_empty() || rules.lexicon().contains(w));
    let capitals = !text.chars().any(char::is_lowercase);
    if words && !capitals {
        return;
    }
    let line: String = letters.chars().filter(|c| !c.is_whitespace()).collect();
    let length = line.chars().count();
    let bag = Bag::of(&line);
    // The closest word of any rule; the first rule of equals.
    let best = rules
        .rules()
        .iter()
        .enumerate()
        .filter(|(_, rule)| !rule.fuzzy_words.is_empty())
        .filter_map(|(i, rule)| {
            fuzzy_word(&line, length, &bag, &rule.fuzzy_words).map(|(w, d)| (d, i, w))
        })
        .filter(|&(d, _, _)| !words || d == 0)
        .min_by_key(|&(d, i, _)| (d, i));
    if let Some((distance, rule_index, word)) = best {
        let rule = rules.get(rule_index);
        let level = rule
            .has_level
            .then(|| {
                let vocabulary = rules.vocabulary();
                vocabulary
                    .level(word)
                    .or_else(|| vocabulary.level_prefix(word))
            })
            .flatten();
        let mut found = Match::plain(rule_index, index, 0, text.len());
        found.struck = struck && rule.has_struck;
        out.push(found.reading(Read {
            level,
            fuzzy: Some(Box::new((word.clone(), distance))),
            ..Read::default()
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bag_of_characters_never_counts_more_edits_than_there_are() {
        let words = ["SECRET", "TOPSECRET", "CONFIDENTIAL", "EYESONLY", "NOFORN"];
        let lines = [
            "SECRET",
            "SFCRET",
            "S3CRET",
            "SCORET",
            "ECRETS",
            "TOPSEKRET",
            "C0NF1DENT1AL",
            "EYESONIY",
            "NOF0RN",
            "XXXXXX",
            "",
            "ÉSECRET",
            "SECRETSECRET",
        ];
        for word in words {
            for line in lines {
                let bound = Bag::of(line).fewest_edits(&Bag::of(word));
                let distance = within(line, word, usize::MAX).unwrap_or(usize::MAX);
                assert!(bound <= distance, "{line} / {word}: {bound} > {distance}");
            }
        }
        // It tells words apart that the length alone does not.
        assert!(Bag::of("XXXXXX").fewest_edits(&Bag::of("SECRET")) > 2);
    }
}
