//! Prose predicates: how a line of text ends and begins, whether it reads
//! like a name, and its words — what the page structure and paragraph joins
//! judge lines by.

/// Lower-cased words of a line, punctuation kept.
pub fn folded_words(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_lowercase).collect()
}

/// `text.trim()`, giving `text` itself at once when it begins and ends with
/// a visible ASCII character (nearly every line): trimming decodes a
/// character at each end to see that.
pub fn trimmed(text: &str) -> &str {
    let bytes = text.as_bytes();
    if bytes.first().is_some_and(u8::is_ascii_graphic)
        && bytes.last().is_some_and(u8::is_ascii_graphic)
    {
        text
    } else {
        text.trim()
    }
}

/// Whether `text` has `n` characters or more, without counting them all
/// where its length in bytes settles it (a character takes one to four):
/// lines and words are measured so for nearly every token of a document.
pub fn has_chars(text: &str, n: usize) -> bool {
    if text.len() < n {
        false
    } else if text.len() >= n.saturating_mul(4) {
        true
    } else {
        n == 0 || text.chars().nth(n - 1).is_some()
    }
}

/// Removes trailing note markup from a line's end: `<sup>12</sup>`, or a
/// note number glued to the sentence (`accepted.1`).
pub fn strip_trailing_markup(mut text: &str) -> &str {
    loop {
        text = text.trim_end();
        if text.ends_with('>') {
            match text.rfind('<') {
                Some(open) => text = &text[..open],
                None => return text,
            }
        } else if text.ends_with(|c: char| c.is_ascii_digit()) {
            // A note number glued to the end: after markup (`<sup>12`), or
            // right after a sentence's end (`accepted.1`).
            let stem = text.trim_end_matches(|c: char| c.is_ascii_digit());
            let glued = stem.ends_with(['>', '.', '!', '?', '"', '\u{201D}'])
                && text.len() - stem.len() <= 3;
            if !glued {
                return text;
            }
            text = stem;
        } else {
            return text;
        }
    }
}

/// Whether a line ends a sentence (or a heading-like field that introduces
/// what follows): a final `.`, `!`, `?` or `:`, possibly inside closing quotes
/// or brackets, possibly followed by footnote markup.
pub fn ends_sentence(text: &str) -> bool {
    let text = strip_trailing_markup(text);
    let inner = text.trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']']);
    inner.ends_with(['.', '!', '?', ':'])
}

/// Whether a line stops in the middle of a sentence: on a letter, a digit, a
/// comma, a semicolon or a dash (not on a closing bracket or quote).
pub fn stops_mid_sentence(text: &str) -> bool {
    strip_trailing_markup(text)
        .chars()
        .next_back()
        .is_some_and(|c| {
            c.is_alphanumeric() || matches!(c, ',' | ';' | '-' | '\u{2013}' | '\u{2014}')
        })
}

/// Opening quotes and the inverted marks that open a sentence.
const OPENERS: [char; 6] = ['"', '\'', '\u{201C}', '\u{2018}', '\u{A1}', '\u{BF}'];

/// Whether a line starts in lower case (after opening quotes), with a word
/// rather than a list mark (`b.`, `a)`).
pub fn starts_lower(text: &str) -> bool {
    let text = text.trim_start().trim_start_matches(OPENERS);
    let mut chars = text.chars();
    let list_mark = chars.next().is_some_and(char::is_alphabetic)
        && chars.next().is_some_and(|c| c == '.' || c == ')');
    !list_mark && text.chars().next().is_some_and(char::is_lowercase)
}

/// Whether a line can continue a paragraph: it starts with a letter, a digit
/// or an opening quote (not a list mark, heading mark, bracket or markup).
pub fn starts_like_prose(text: &str) -> bool {
    text.trim_start()
        .chars()
        .next()
        .is_some_and(|c| c.is_alphanumeric() || OPENERS.contains(&c))
}

/// Whether a line looks like a signature or a typist's initials ("SMITH",
/// "J. STALIN", "JRL"): at most three words of letters, with initials.
pub fn name_like(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 3
        && words.iter().all(|w| {
            let w = w.trim_end_matches('.');
            !w.is_empty() && w.chars().all(char::is_alphabetic)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trimmed_is_trim() {
        for text in [
            "",
            " ",
            "a",
            " a ",
            "a b",
            "\ta\r",
            "\u{a0}a",
            "a\u{2003}",
            "\u{e9}",
            "- 2 -",
        ] {
            assert_eq!(trimmed(text), text.trim(), "{text:?}");
        }
    }

    #[test]
    fn has_chars_agrees_with_counting_them() {
        for text in [
            "",
            "a",
            "ab",
            "é",
            "éé",
            "日本語",
            "a日",
            "𝔘𝔑",
            "naïve",
            "abcdefgh",
        ] {
            for n in 0..10 {
                assert_eq!(
                    has_chars(text, n),
                    text.chars().count() >= n,
                    "{text:?} {n}"
                );
            }
        }
    }

    #[test]
    fn sentence_ends_see_through_quotes_and_note_markup() {
        assert!(ends_sentence("He said \"no.\""));
        assert!(ends_sentence("It was accepted.<sup>12</sup>"));
        assert!(ends_sentence("It was accepted.1"));
        assert!(ends_sentence("Subject:"));
        assert!(!ends_sentence("the treaty of"));
        assert!(stops_mid_sentence("the treaty of"));
        assert!(stops_mid_sentence("first,"));
        assert!(!stops_mid_sentence("(see above)"));
    }

    #[test]
    fn starts_and_names() {
        assert!(starts_lower("\u{201C}and then"));
        assert!(starts_lower("\u{A1}cover and deception"));
        assert!(!starts_lower("b. Instant memo"));
        assert!(starts_like_prose("\u{BF}Qu\u{E9}?"));
        assert!(!starts_lower("And then"));
        assert!(starts_like_prose("\"Quoted"));
        assert!(!starts_like_prose("- a list item"));
        assert!(name_like("J. STALIN"));
        assert!(name_like("JRL"));
        assert!(!name_like("The talks went on"));
        assert_eq!(folded_words("The  Talks, went"), ["the", "talks,", "went"]);
    }
}
