//! Lines learned as furniture from the document's own sheets.
//!
//! - **Repeated sheet headers**: a line that recurs, after folding case,
//!   collapsing white space and masking digits, among the first or last body
//!   lines of two consecutive sheets or more, (almost) nowhere else in the
//!   body, and always apart from paragraph text, is page furniture — except
//!   a signature or initials at the foot ("SMITH", "JRL"), which repeat per
//!   message, not per sheet, and are text.
//! - **Form labels**: a short line at the edge of a sheet that another sheet
//!   prints with a value after it on the next or previous sheet ("Received
//!   at" / "Received at WTE …") is a form label with no value, and is
//!   furniture too.

use super::pages::Page;
use crate::audit::decode::{is_blank, Document};
use crate::audit::text::{ends_sentence, has_chars, name_like, trimmed};
use crate::diagnostic::{narrow, Finding, LineMask};
use crate::rules::lexicon::with_lowercase;
use crate::rules::Check;
use std::collections::BTreeSet;

/// How many body lines at the head and at the foot of a sheet are its zones.
pub const ZONE_LINES: usize = 5;
/// A line repeated at sheet edges is furniture when it stands there more than
/// this many times as often as in the body (where a sheet boundary may have
/// been missed).
pub const EDGE_RATIO: usize = 3;
/// A repeated header's finding names at most this many of the other lines
/// that repeat it, and counts the rest.
pub const OTHERS_NAMED: usize = 3;
/// A form label has at most this many words, and the line that carries its
/// value at most this many characters.
pub const FORM_LABEL_MAX_WORDS: usize = 3;
pub const FORM_FIELD_MAX_CHARS: usize = 60;

/// A line with fewer letters is compared only if it has this many digits:
/// a file number repeated on each sheet (62-116395), not a lone page number.
pub const FILE_NUMBER_DIGITS: usize = 5;

/// The key two lines are compared by: case folded, white space collapsed,
/// digits masked — hashed once over the folded text (written into `buffer`,
/// reused from line to line), with the count of characters other than
/// masked digits that are letters or numerals, and the count of digits.
/// (`DefaultHasher::new` has fixed keys: the same everywhere.)
fn repeat_key(text: &str, buffer: &mut String) -> (u64, usize, usize) {
    use std::hash::Hasher;
    buffer.clear();
    let mut alphanumeric = 0;
    let mut digits = 0;
    let mut space = false;
    for c in trimmed(text).chars() {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space {
            buffer.push(' ');
            space = false;
        }
        if c.is_ascii_digit() {
            digits += 1;
            buffer.push('#');
        } else {
            if c.is_alphanumeric() {
                alphanumeric += 1;
            }
            if c.is_ascii() {
                buffer.push(c.to_ascii_lowercase());
            } else {
                buffer.extend(c.to_lowercase());
            }
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    hasher.write(buffer.as_bytes());
    (hasher.finish(), alphanumeric, digits)
}

/// The first and last characters of a line's key (see [`repeat_key`]),
/// found without folding the line: lines with one key have the same ends.
fn key_ends(text: &str) -> Option<(char, char)> {
    let text = trimmed(text);
    let fold = |c: char, last: bool| {
        if c.is_ascii_digit() {
            Some('#')
        } else if c.is_ascii() {
            Some(c.to_ascii_lowercase())
        } else if last {
            c.to_lowercase().last()
        } else {
            c.to_lowercase().next()
        }
    };
    Some((
        fold(text.chars().next()?, false)?,
        fold(text.chars().next_back()?, true)?,
    ))
}

/// Zone kind of a body line near a sheet's edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Zone {
    Head,
    Foot,
}

/// The body lines at the head and foot of each sheet, in line order, each
/// with its sheet and zone: a sorted list, looked up by halving (a long
/// document has tens of thousands of them), twelve bytes a line. Lines
/// past the four billionth are in no zone.
struct Zoned(Vec<(u32, u32, Zone)>);

impl Zoned {
    /// The sheet and zone of line `line`, if it lies in a zone.
    fn get(&self, line: usize) -> Option<(usize, Zone)> {
        let line = u32::try_from(line).ok()?;
        self.0
            .binary_search_by_key(&line, |&(i, ..)| i)
            .ok()
            .map(|k| (self.0[k].1 as usize, self.0[k].2))
    }

    fn contains(&self, line: usize) -> bool {
        self.get(line).is_some()
    }

    /// The sheet of a line known to lie in a zone.
    fn sheet(&self, line: usize) -> usize {
        self.get(line).map_or(0, |(sheet, _)| sheet)
    }

    /// The zone of a line known to lie in a zone.
    fn zone(&self, line: usize) -> Zone {
        self.get(line).map_or(Zone::Head, |(_, zone)| zone)
    }

    fn iter(&self) -> impl Iterator<Item = (usize, usize, Zone)> + '_ {
        self.0
            .iter()
            .map(|&(i, sheet, zone)| (i as usize, sheet as usize, zone))
    }
}

/// The body lines at the head and foot of each sheet. A line that two
/// sheets claim (a page broken inside it) is the later sheet's head, or
/// else the first sheet's foot.
fn zones(pages: &[Page], body: impl Fn(usize) -> bool) -> Zoned {
    let mut claims: Vec<(u32, u32, Zone)> = Vec::new();
    for (sheet, page) in pages.iter().enumerate() {
        let Ok(sheet) = u32::try_from(sheet) else {
            break;
        };
        let in_zone =
            |&i: &usize| body(i) && !(page.start_column.is_some() && i + 1 == page.start_line);
        let lines = page.start_line - 1..page.end_line;
        // Head and foot zones take at most half the sheet's body lines each:
        // only the first and last few are read.
        let head: Vec<usize> = lines.clone().filter(in_zone).take(2 * ZONE_LINES).collect();
        let foot: Vec<usize> = if head.len() < 2 * ZONE_LINES {
            head.iter().rev().copied().collect()
        } else {
            lines.rev().filter(in_zone).take(ZONE_LINES).collect()
        };
        let size = ZONE_LINES.min(head.len() / 2);
        let claim = |zone: Zone| move |&i: &usize| Some((u32::try_from(i).ok()?, sheet, zone));
        claims.extend(head.iter().take(size).filter_map(claim(Zone::Head)));
        claims.extend(foot.iter().take(size).filter_map(claim(Zone::Foot)));
    }
    // In line order, each line's claims in the order they were made: the
    // last head claim wins, or else the first foot claim (kept in place).
    claims.sort_by_key(|&(i, ..)| i);
    let mut kept = 0usize;
    for k in 0..claims.len() {
        let claim = claims[k];
        match kept.checked_sub(1) {
            Some(last) if claims[last].0 == claim.0 => {
                if claim.2 == Zone::Head {
                    claims[last] = claim;
                }
            }
            _ => {
                claims[kept] = claim;
                kept += 1;
            }
        }
    }
    claims.truncate(kept);
    claims.shrink_to_fit();
    Zoned(claims)
}

/// Lines repeated at the edges of consecutive sheets and (almost) nowhere
/// else, standing apart from the text: each group of occurrences of one line.
fn repeated_lines(doc: &Document, zoned: &Zoned, body: impl Fn(usize) -> bool) -> Vec<Vec<usize>> {
    let mut buffer = String::new();
    let mut key_of = |i: usize| {
        let (key, alphanumeric, digits) = repeat_key(doc.line(i), &mut buffer);
        (alphanumeric >= 2 || digits >= FILE_NUMBER_DIGITS).then_some(key)
    };
    // The zone lines by key, grouped (in key order, each group in line
    // order); only keys met twice at least can repeat.
    let mut in_zones: Vec<(u64, usize)> = zoned
        .iter()
        .filter(|&(i, ..)| body(i))
        .filter_map(|(i, ..)| key_of(i).map(|key| (key, i)))
        .collect();
    in_zones.sort_unstable();
    let groups: Vec<(u64, Vec<usize>)> = in_zones
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() >= 2)
        .map(|group| (group[0].0, group.iter().map(|&(_, i)| i).collect()))
        .collect();
    drop(in_zones);
    // How often each of those keys stands in the body outside the zones.
    let mut in_body: std::collections::HashMap<u64, usize, foldhash::fast::RandomState> =
        groups.iter().map(|(key, _)| (*key, 0)).collect();
    if !in_body.is_empty() {
        // A line whose key's ends no repeated line's key has is passed over
        // without folding it whole.
        let ends: std::collections::HashSet<(char, char), foldhash::fast::RandomState> = groups
            .iter()
            .flat_map(|(_, occurrences)| occurrences)
            .filter_map(|&i| key_ends(doc.line(i)))
            .collect();
        let may_repeat = |i: usize| key_ends(doc.line(i)).is_some_and(|e| ends.contains(&e));
        for i in (0..doc.len()).filter(|&i| body(i) && may_repeat(i) && !zoned.contains(i)) {
            if let Some(count) = key_of(i).and_then(|key| in_body.get_mut(&key)) {
                *count += 1;
            }
        }
    }
    let repeated: Vec<Vec<usize>> = groups
        .into_iter()
        .filter(|(key, occurrences)| {
            let sheets: Vec<usize> = occurrences
                .iter()
                .map(|&i| zoned.sheet(i))
                .collect::<BTreeSet<usize>>()
                .into_iter()
                .collect();
            let consecutive = sheets.windows(2).any(|w| w[1] == w[0] + 1);
            let elsewhere = in_body.get(key).copied().unwrap_or(0);
            // Names and initials are text: a single word (a signature, a
            // typist's initials) is never learned, nor a name at the foot.
            let signature = occurrences.iter().all(|&i| {
                let line = doc.line(i);
                name_like(line)
                    && (line.split_whitespace().count() == 1 || zoned.zone(i) == Zone::Foot)
            });
            consecutive && !signature && occurrences.len() > EDGE_RATIO * elsewhere
        })
        .map(|(_, occurrences)| occurrences)
        .collect();
    // Furniture stands apart from the text: each occurrence's neighbours are
    // blank, removed, or repeated edge lines themselves.
    let candidate: BTreeSet<usize> = repeated.iter().flatten().copied().collect();
    let apart = |i: usize| {
        let clear = |j: usize| !body(j) || candidate.contains(&j);
        (i == 0 || clear(i - 1)) && (i + 1 >= doc.len() || clear(i + 1))
    };
    repeated
        .into_iter()
        .filter(|occurrences| occurrences.iter().all(|&i| apart(i)))
        .collect()
}

/// Findings for the repeated sheet headers, and the lines they remove.
fn repeated_headers(
    doc: &Document,
    zoned: &Zoned,
    body: impl Fn(usize) -> bool,
) -> Vec<(usize, Finding)> {
    let mut found = Vec::new();
    for occurrences in repeated_lines(doc, zoned, body) {
        let sheets: BTreeSet<usize> = occurrences.iter().map(|&i| zoned.sheet(i)).collect();
        for &i in &occurrences {
            // The first few other occurrences, and how many more: a
            // message stays short however many sheets repeat the line.
            let mut others: Vec<String> = occurrences
                .iter()
                .filter(|&&o| o != i)
                .take(OTHERS_NAMED)
                .map(|o| (o + 1).to_string())
                .collect();
            let more = occurrences.len() - 1 - others.len();
            if more > 0 {
                others.push(format!("{more} more"));
            }
            let finding = Check::RepeatedSheetHeader.finding(
                i + 1,
                doc.line(i),
                format!(
                    "repeated at the {} of {} sheets: same line as line{} {}",
                    if zoned.zone(i) == Zone::Head {
                        "head"
                    } else {
                        "foot"
                    },
                    sheets.len(),
                    if occurrences.len() > 2 { "s" } else { "" },
                    match others.split_last() {
                        Some((last, rest)) if more > 0 => format!("{} and {last}", rest.join(", ")),
                        _ => others.join(", "),
                    }
                ),
            );
            found.push((i, finding));
        }
    }
    found
}

/// A line's words in lower case joined by NUL (as
/// [`crate::audit::text::folded_words`] reads them), and
/// how many there are: one string, however many words.
fn folded_joined(line: &str) -> (String, usize) {
    let mut folded = String::with_capacity(line.len());
    let mut words = 0;
    for word in line.split_whitespace() {
        if words > 0 {
            folded.push('\0');
        }
        words += 1;
        with_lowercase(word, |lower| folded.push_str(lower));
    }
    (folded, words)
}

/// Form labels: a short edge line that another sheet's edge prints with a
/// value after it. Edge lines are sorted by their words, so the lines that
/// extend a label follow it.
fn form_labels(
    doc: &Document,
    zoned: &Zoned,
    learned: &BTreeSet<usize>,
    body: impl Fn(usize) -> bool,
) -> Vec<(usize, Finding)> {
    let alone = |i: usize| (i == 0 || !body(i - 1)) && (i + 1 >= doc.len() || !body(i + 1));
    // Only a line that may be a label (a few words) or carry a value (a
    // short field) takes part: a long line of prose is neither, and both
    // stand alone and end no sentence.
    let may_take_part = |i: usize| {
        let text = trimmed(doc.line(i));
        (text.split_whitespace().nth(FORM_LABEL_MAX_WORDS).is_none()
            || !has_chars(text, FORM_FIELD_MAX_CHARS + 1))
            && alone(i)
            && !ends_sentence(text)
    };
    // Each line's folded words joined by NUL, which sorts below every
    // character: sorted, the lines that extend a label's words follow it.
    // (One boxed string a line, not one a word, and the numbers in four
    // bytes: the zones of a long document are many; a zone's line and
    // sheet fit, see [`Zoned`].)
    let mut heads: Vec<(Box<str>, u32, u32, u32)> = zoned
        .iter()
        .filter(|&(i, ..)| !learned.contains(&i) && may_take_part(i))
        .map(|(i, sheet, _)| {
            let (folded, words) = folded_joined(doc.line(i));
            (
                folded.into_boxed_str(),
                narrow(words),
                narrow(sheet),
                narrow(i),
            )
        })
        .collect();
    heads.sort_unstable();
    // The line with the value is a short field standing on its own, not a
    // sentence or the first line of a paragraph.
    let field = |j: usize| {
        let line = trimmed(doc.line(j));
        !has_chars(line, FORM_FIELD_MAX_CHARS + 1) && !ends_sentence(line) && alone(j)
    };
    let mut found = Vec::new();
    for (label, words, sheet, i) in &heads {
        let (words, i) = (*words as usize, *i as usize);
        let text = trimmed(doc.line(i));
        if !(2..=FORM_LABEL_MAX_WORDS).contains(&words)
            || ends_sentence(text)
            || !text.starts_with(char::is_uppercase)
            || !alone(i)
        {
            continue;
        }
        let from = heads.partition_point(|(other, ..)| other <= label);
        let filled = heads[from..]
            .iter()
            .take_while(|(other, ..)| {
                other.starts_with(&**label) && other[label.len()..].starts_with('\0')
            })
            .find(|(_, _, other, j)| other.abs_diff(*sheet) == 1 && field(*j as usize));
        if let Some((_, _, _, j)) = filled {
            let finding = Check::FormLabel.finding(
                i + 1,
                doc.line(i),
                format!(
                    "printed form label with no value: line {} carries the same label with its value, and is kept",
                    j + 1
                ),
            );
            found.push((i, finding));
        }
    }
    found
}

/// Lines learned as furniture from the document's sheets: repeated sheet
/// headers, then form labels; each with its finding.
pub fn learn_repeated(doc: &Document, pages: &[Page], removed: &LineMask) -> Vec<(usize, Finding)> {
    let body = |i: usize| !removed[i] && !is_blank(doc.line(i));
    let zoned = zones(pages, body);
    let mut learned = repeated_headers(doc, &zoned, body);
    let lines: BTreeSet<usize> = learned.iter().map(|(i, _)| *i).collect();
    learned.extend(form_labels(doc, &zoned, &lines, body));
    learned
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::decode::{decode, Decoded};
    use crate::audit::sheets::pages::{sheets, Boundary};

    /// The lines learned from `text` cut into sheets after each line in
    /// `breaks` (0-based).
    fn learned(text: &str, breaks: &[usize]) -> Vec<(usize, String)> {
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let boundaries: Vec<Boundary> = breaks
            .iter()
            .map(|&line| Boundary {
                line,
                at: None,
                number: None,
            })
            .collect();
        let removed = LineMask::new(doc.len());
        learn_repeated(&doc, &sheets(&doc, &boundaries), &removed)
            .into_iter()
            .map(|(line, f)| (line, f.rule.to_string()))
            .collect()
    }

    #[test]
    fn a_keys_ends_are_the_ends_of_the_folded_line() {
        let mut buffer = String::new();
        for text in [
            "  Page 12 of 40 ",
            "DEPARTMENT OF STATE",
            "Ärger über ÖL",
            "x",
            "7",
        ] {
            repeat_key(text, &mut buffer);
            let folded = (buffer.chars().next(), buffer.chars().next_back());
            let ends = key_ends(text).map(|(a, b)| (Some(a), Some(b)));
            assert_eq!(ends, Some(folded), "{text}");
        }
        assert_eq!(key_ends("   "), None);
    }

    #[test]
    fn lines_compare_without_case_spacing_or_digits() {
        let key = |text: &str| repeat_key(text, &mut String::new());
        assert_eq!(key("PAGE 2  of  5"), key("page 7 of 9"));
        assert_ne!(key("PAGE 2"), key("PART 2"));
        assert_eq!(key("No. 12").1, 2);
    }

    #[test]
    fn a_header_on_consecutive_sheets_is_learned_and_a_signature_is_not() {
        let sheet = |topic: &str| {
            format!("Legation at Moscow\n\nThe minister spoke of the {topic}.\nHe asked about the {topic} again.\n\nSMITH\n")
        };
        let text = format!(
            "{}\n{}\n{}",
            sheet("grain shipments"),
            sheet("treaty of commerce"),
            sheet("fishing rights")
        );
        let found = learned(&text, &[6, 13]);
        let lines: Vec<usize> = found.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![0, 7, 14], "{found:?}");
        assert!(found.iter().all(|(_, r)| r == "repeated-sheet-header"));
    }

    #[test]
    fn a_header_repeated_on_many_sheets_names_a_few_and_counts_the_rest() {
        let sheet = "Legation at Moscow\n\nThe minister spoke of the grain shipments.\nHe asked about them again.\n";
        let text = sheet.repeat(6);
        let Decoded::Text(doc) = decode(text.as_bytes().to_vec()) else {
            unreachable!()
        };
        let boundaries: Vec<Boundary> = (1..6)
            .map(|k| Boundary {
                line: 4 * k - 1,
                at: None,
                number: None,
            })
            .collect();
        let found = learn_repeated(&doc, &sheets(&doc, &boundaries), &LineMask::new(doc.len()));
        assert_eq!(found.len(), 6);
        assert!(
            found[0]
                .1
                .message
                .ends_with("same line as lines 5, 9, 13 and 2 more"),
            "{}",
            found[0].1.message
        );
    }

    #[test]
    fn a_label_that_the_next_sheet_prints_with_a_value_is_a_form_label() {
        let text = "Received at\n\nThe minister spoke of the grain shipments.\nHe spoke of the treaty.\n\nReceived at WTE 12:05\n\nThe commissar replied at once to him.\nHe said the shipments would resume.\n";
        assert_eq!(learned(text, &[4]), vec![(0, "form-label".to_string())]);
    }
}
