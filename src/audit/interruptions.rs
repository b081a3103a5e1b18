//! Lines set into a broken sentence. Where a sentence stops on one line and
//! goes on a few lines further, what stands between — besides blank lines
//! and lines already removed — is no part of it: a fragment of a stamp set
//! into the text, a reviewer's mark, OCR debris. Its place is the evidence
//! that the line alone could not give: a removal held back as uncertain (a
//! garbled line only flagged) is made sure, and a short line that reads as
//! no prose is removed, in the category of the stamp it stands beside (else
//! as OCR noise). Prose is never taken: a line with words enough to read is
//! no fragment, and a gap holding more than a few lines is a passage.

use crate::audit::decode::{is_blank, Document, Reread};
use crate::audit::gaps;
use crate::audit::garbage::name_like_word;
use crate::audit::lookout::Lookout;
use crate::audit::repair::{garbage_line, garbage_verdict, text_whatever_the_words};
use crate::audit::scan::near_marking_word;
use crate::audit::text::{
    ends_sentence, has_chars, starts_like_prose, starts_lower, stops_mid_sentence, trimmed,
};
use crate::audit::words::{self, DocumentWords, WordCounts};
use crate::diagnostic::{narrow, Change, Edit, LineMask, Proposal};
use crate::model::{Category, Confidence};
use crate::rules::{Check, RuleSet};
use std::collections::HashSet;

/// A line of at most this many visible characters may be a fragment.
pub const FRAGMENT_MAX_CHARS: usize = 30;
/// A number of this many digits or more is a reference, a date or a count:
/// a line with one is no fragment.
pub const REFERENCE_DIGITS: usize = 3;
/// A single word in capitals inside a broken sentence is taken for a
/// garbled marking word at this many more edits than the scan allows.
pub const MARKING_SLACK: usize = 1;
/// At most this many lines are taken out of one gap.
pub const GAP_MAX_LINES: usize = 3;
/// The part before the gap is a full line of prose: at least this long.
pub const PROSE_MIN_CHARS: usize = 40;

/// Whether a short line reads as no prose: it neither starts in lower case
/// (it could go on with the sentence) nor ends a sentence, has a letter, no
/// number of a few digits (a reference, a date, a count), and no word of
/// three letters or more that the lexicon knows or the document uses again,
/// and no name — the words of a marking level in capitals count as no words
/// (`HO KOC`, `LY`, `Upp. 2,5,6,8`, `QEEICIA USE-ONLY Li`; not `on`,
/// `Fensterwald`, `sightings.`, `Ref: SAIG 1320`).
pub fn fragment(text: &str, rules: &RuleSet, counts: &WordCounts) -> bool {
    let lexicon = rules.lexicon();
    let text = trimmed(text);
    // Counted only as far as the bound: most lines are longer.
    let visible = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .take(FRAGMENT_MAX_CHARS + 1)
        .count();
    if visible > FRAGMENT_MAX_CHARS
        || !text.chars().any(char::is_alphabetic)
        || starts_lower(text)
        || ends_sentence(text)
        || text
            .split(|c: char| !c.is_ascii_digit())
            .any(|number| number.len() >= REFERENCE_DIGITS)
    {
        return false;
    }
    let word = |w: &str| {
        let letters = w.chars().count();
        name_like_word(w) || (letters >= 3 && (lexicon.contains(w) || words::used_again(counts, w)))
    };
    let words: Vec<&str> = text
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .collect();
    // A line of short words alone ("OF", "ON") is text too, and so is one
    // word in capitals alone: initials or a name (I, HFM, STALIN).
    let all_words = words.iter().all(|w| lexicon.contains(w));
    // (Two capitals that are no word, LY, are the split-off end of a
    // stamp more often than initials.)
    let initials = words.len() == 1
        && words[0].chars().all(char::is_uppercase)
        && words[0].chars().count() != 2;
    !all_words
        && !initials
        && !words
            .iter()
            .filter(|w| !rules.vocabulary().is_level_word(w))
            .any(|w| word(w))
}

/// Whether line `second` goes on with the sentence that line `first` stops
/// in the middle of: `first` is a full line, or the lower-case end of a
/// sentence begun above it (which a join may make one line with it), that
/// ends no sentence, and `second` starts in lower case, or `first` stops on
/// a word or comma and `second` is a full line of prose too.
pub fn sentence_goes_on(first: &str, second: &str) -> bool {
    let (first, second) = (trimmed(first), trimmed(second));
    (has_chars(first, PROSE_MIN_CHARS) || starts_lower(first))
        && !ends_sentence(first)
        && starts_like_prose(second)
        && (starts_lower(second)
            || (stops_on_a_small_word_or_mark(first) && has_chars(second, PROSE_MIN_CHARS)))
}

/// Whether a line stops in the middle of a sentence on a word in lower case
/// or on a comma, a semicolon or a dash — or, in a line written in capitals
/// (a telegram), on any word; not on a number. A line of mixed case that ends on a
/// capitalised word may be a heading or a title ("Representative of Russian
/// Republic to Esthonia"), after which a new paragraph starts.
fn stops_on_a_small_word_or_mark(text: &str) -> bool {
    if !stops_mid_sentence(text) {
        return false;
    }
    if text.ends_with([',', ';', '-', '\u{2013}', '\u{2014}']) {
        return true;
    }
    // A number at the end (a date, a time, a reference) may end a heading
    // or a dateline as well as a sentence: only a word counts.
    let capitals = !text.chars().any(char::is_lowercase);
    text.split_whitespace().next_back().is_some_and(|word| {
        word.starts_with(char::is_lowercase) || (capitals && word.starts_with(char::is_alphabetic))
    })
}

/// The line a proposal removes, when it removes one line and nothing else.
pub fn removes_one_line(proposal: &Proposal) -> Option<usize> {
    match proposal.edits.as_slice() {
        [edit] => match edit.change {
            Change::RemoveLines { line, end_line } if line == end_line => Some(line as usize),
            _ => None,
        },
        _ => None,
    }
}

/// What the audit knows of each line when the held proposals are decided.
pub struct Known<'a> {
    /// The lines removed so far.
    pub removed: &'a LineMask,
    /// The category of the stamp a removed line belongs to (classification
    /// or declassification).
    pub stamps: &'a [Option<Category>],
    /// What the lines with in-line repairs read as once they are made (as
    /// the cleaned text, audited again, will read them).
    pub repaired: Reread<'a>,
    /// The lines a rule reads and leaves as they are (`flag` rules).
    pub explained: &'a LineMask,
    pub words: &'a DocumentWords<'a>,
    /// The lines judged garbage already (flagged, held or removed).
    pub judged: &'a HashSet<usize>,
    /// Only the gaps holding these lines (in order) are read: the lines
    /// gone since the confirmation, once the joins are known; every gap
    /// when `None`.
    pub holding: Option<&'a [usize]>,
}

/// The held-back proposals, those that stand in a broken sentence made
/// sure, with removals of the fragments found there.
pub fn confirm(
    doc: &Document,
    rules: &RuleSet,
    mut held: Vec<Proposal>,
    known: &Known,
) -> Vec<Proposal> {
    let n = doc.len();
    let mut removed = known.removed.clone();
    let mut counts: Option<WordCounts> = None;
    let mut judged = known.judged.clone();
    let mut found = Vec::new();
    // A pass removes lines whose words the next pass no longer counts: a
    // word used there and once more reads as the document's in the pass,
    // and as none once the cleaned text is audited again (`Upp.` twice:
    // one garbled line goes, the other is then a fragment). So passes run
    // until one removes a line that takes no word below two uses.
    for _ in 0..CONFIRM_PASSES {
        let counted = counts.as_ref().unwrap_or_else(|| known.words.counts());
        let before = found.len();
        let sure = pass(doc, rules, &mut held, &mut found, known, &removed, counted);
        let gone: Vec<usize> = sure
            .into_iter()
            .chain(found[before..].iter().filter_map(removes_one_line))
            .filter(|&l| l < n && !removed[l])
            .collect();
        if gone.is_empty() {
            break;
        }
        let line_text = |i: usize| known.repaired.get(i).unwrap_or(doc.line(i));
        let gone_counts = words::word_counts(gone.iter().map(|&l| line_text(l)));
        let crossed: WordCounts = gone_counts
            .iter()
            .filter(|&(word, k)| words::falls_below_two(counted, word, *k))
            .map(|(word, k)| (word.clone(), *k))
            .collect();
        for l in gone {
            removed.set(l, true);
        }
        if crossed.is_empty() {
            break;
        }
        let mut next = counted.clone();
        words::subtract(&mut next, &gone_counts);
        // The lines that leant on a word that went are judged again, as
        // the cleaned text, audited again, judges them: garbage so judged
        // is held, and the next pass may find it in a broken sentence.
        let rejudged = judged_again(doc, rules, known, &removed, &crossed, &next, &mut judged);
        held.extend(rejudged);
        counts = Some(next);
    }
    held.extend(found);
    held
}

/// The garbage removals of the lines not yet judged garbage, still in the
/// text, that use a word of `crossed` (one no longer used twice), judged
/// with `counts`; the lines judged join `judged`.
fn judged_again(
    doc: &Document,
    rules: &RuleSet,
    known: &Known,
    removed: &LineMask,
    crossed: &WordCounts,
    counts: &WordCounts,
    judged: &mut HashSet<usize>,
) -> Vec<Proposal> {
    let line_text = |i: usize| known.repaired.get(i).unwrap_or(doc.line(i));
    let crossed = Lookout::new(crossed);
    let again: Vec<Proposal> = (0..doc.len())
        .filter(|&i| !removed[i] && !known.explained[i] && !judged.contains(&i))
        .filter(|&i| !text_whatever_the_words(line_text(i)) && crossed.used_in(line_text(i)))
        .filter_map(|i| {
            garbage_line(
                doc,
                rules,
                i,
                line_text(i),
                || known.words.vocabulary(),
                || counts,
            )
        })
        .collect();
    judged.extend(again.iter().map(|p| p.finding.line_index()));
    again
}

/// At most this many passes of [`confirm`] (each after one that took a
/// word below two uses): bounded whatever the document.
pub const CONFIRM_PASSES: usize = 4;

/// One pass of [`confirm`] over the lines not `removed`, judging fragments
/// by `counts`: makes the held removals in broken sentences sure, adds the
/// fragments found to `found`, and returns the lines it made sure.
fn pass(
    doc: &Document,
    rules: &RuleSet,
    held: &mut [Proposal],
    found: &mut Vec<Proposal>,
    known: &Known,
    removed: &LineMask,
    counts: &WordCounts,
) -> Vec<usize> {
    let Known {
        stamps,
        repaired,
        explained,
        words,
        ..
    } = *known;
    let n = doc.len();
    let line_text = |i: usize| repaired.get(i).unwrap_or(doc.line(i));
    // The first held proposal removing each line, by line: eight bytes a
    // held line, not four a line of the document (the held are few).
    let mut held_at: Vec<(u32, u32)> = held
        .iter()
        .enumerate()
        .map_while(|(i, proposal)| Some((u32::try_from(i).ok()?, proposal)))
        .filter_map(|(i, proposal)| {
            removes_one_line(proposal)
                .filter(|&l| l < n && !removed[l])
                .map(|line| (narrow(line), i))
        })
        .collect();
    held_at.sort_unstable();
    held_at.dedup_by_key(|&mut (line, _)| line);
    let held_by = |line: usize| {
        held_at
            .binary_search_by_key(&narrow(line), |&(l, _)| l)
            .ok()
            .map(|k| held_at[k].1 as usize)
    };
    let held_here = |i: usize| {
        held_by(i).is_some()
            && held_verdict_stands(line_text(i), repaired.contains(i), rules, words)
    };
    // A line a flag rule reads (a redaction code) is never a fragment.
    let candidate = |i: usize| {
        let text = line_text(i);
        !removed[i]
            && !is_blank(text)
            && (held_here(i) || (!explained[i] && fragment(text, rules, counts)))
    };
    let passable = |i: usize| removed[i] || is_blank(line_text(i)) || candidate(i);
    let mut sure = Vec::new();
    for gap in gaps::gaps(n, known.holding, passable) {
        let (start, end) = (gap.start, gap.end);
        let lines: Vec<usize> = gap.clone().filter(|&i| candidate(i)).collect();
        let (Some(a), true) = (start.checked_sub(1), end < n) else {
            continue;
        };
        // A line in lower case may be the sentence going on, unless the
        // line after the gap is that (and the line was judged garbled).
        let lower = lines.iter().any(|&i| starts_lower(line_text(i)));
        if lines.is_empty()
            || lines.len() > GAP_MAX_LINES
            || !sentence_goes_on(line_text(a), line_text(end))
            || (lower && !starts_lower(line_text(end)))
        {
            continue;
        }
        for line in lines {
            let place = format!(
                "it stands between two parts of one sentence (lines {} and {})",
                a + 1,
                end + 1
            );
            match held_by(line).filter(|_| held_here(line)) {
                Some(i) => {
                    make_sure(&mut held[i], &place);
                    sure.push(line);
                }
                None => found.push(fragment_removal(
                    doc,
                    line,
                    &place,
                    stamp_beside(line, gap.clone(), removed, stamps),
                )),
            }
        }
    }
    sure
}

/// Whether a held garbage verdict may be made sure on a line that reads
/// `text` (once its in-line repairs, if `repaired`, are made): not a line
/// that ends a sentence; not one word in capitals alone, a name or initials
/// (STALIN, a signature), unless it is a marking word garbled a little more
/// than the scan reads alone (SCORET); and a repaired line only if it still
/// reads as garbage, as the cleaned text audited again will read it.
fn held_verdict_stands(text: &str, repaired: bool, rules: &RuleSet, words: &DocumentWords) -> bool {
    let text = trimmed(text);
    !ends_sentence(text)
        && (text.split_whitespace().count() > 1
            || !text.starts_with(char::is_uppercase)
            || near_marking_word(text, rules, MARKING_SLACK))
        && (!repaired
            || garbage_verdict(text, rules, || words.vocabulary(), || words.counts()).is_some())
}

/// Makes a held removal sure, saying where the line stands.
fn make_sure(proposal: &mut Proposal, place: &str) {
    proposal.finding.confidence = Some(Confidence::High);
    proposal.finding.message = format!("{}; {place}", proposal.finding.message).into();
    for edit in &mut proposal.edits {
        edit.confidence = Some(Confidence::High);
    }
}

/// The category of the stamp nearest to `line` among the removed lines of
/// its gap, if one of them belongs to a stamp.
fn stamp_beside(
    line: usize,
    gap: std::ops::Range<usize>,
    removed: &LineMask,
    stamps: &[Option<Category>],
) -> Option<Category> {
    gap.filter(|&i| removed[i])
        .filter_map(|i| stamps[i].map(|c| (i.abs_diff(line), c)))
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

fn fragment_removal(doc: &Document, line: usize, place: &str, stamp: Option<Category>) -> Proposal {
    let check = Check::InterruptingFragment;
    let text = doc.line(line);
    let message = match stamp {
        Some(category) => format!(
            "short line that reads as no prose: {place}, beside a {} stamp, as a part of it",
            category.as_str()
        ),
        None => format!("short line that reads as no prose: {place}"),
    };
    let mut finding = check.finding(line + 1, text, message);
    if let Some(category) = stamp {
        finding.category = category;
    }
    finding.confidence = Some(Confidence::High);
    let edit = Edit::repair(
        check.id(),
        Confidence::High,
        Change::remove_lines(line, line),
    );
    Proposal::with_edits(finding, vec![edit])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::audited_with_builtin_rules;

    /// The cleaned text of `text`, and the rule and category of each
    /// finding that names the broken sentence.
    fn audit(text: &str) -> (String, Vec<(String, Category)>) {
        let audit = audited_with_builtin_rules(text);
        let placed = audit
            .provenance
            .findings
            .iter()
            .filter(|f| f.message.contains("between two parts of one sentence"))
            .map(|f| (f.rule.to_string(), f.category))
            .collect();
        (String::from_utf8(audit.cleaned().unwrap()).unwrap(), placed)
    }

    const BEFORE: &str = "The delegation arrived on Tuesday and was met at the";
    const AFTER: &str = "station by the deputy commissar, who took it to the hotel.";

    #[test]
    fn a_short_line_of_no_prose_inside_a_sentence_is_removed() {
        let (cleaned, placed) = audit(&format!("{BEFORE}\n\nHO KOC\n\n{AFTER}\n"));
        assert_eq!(cleaned, format!("{BEFORE}\n{AFTER}\n"));
        assert_eq!(
            placed,
            [("interrupting-fragment".to_string(), Category::OcrNoise)]
        );
    }

    #[test]
    fn words_names_sentence_ends_and_references_are_never_fragments() {
        for line in [
            "on",
            "Fensterwald",
            "Intourist Guide in Moscow.",
            "Ref: SAIG 1320 (IN 30265)",
            "Congressman Richard Ichord",
        ] {
            let (cleaned, placed) = audit(&format!("{BEFORE}\n\n{line}\n\n{AFTER}\n"));
            assert!(cleaned.contains(line), "{line} was removed");
            assert!(placed.is_empty(), "{line}");
        }
    }

    #[test]
    fn names_initials_and_short_words_stay_and_a_garbled_marking_goes() {
        for line in ["STALIN", "HFM", "OF", "IT.\"", "25X1"] {
            let (cleaned, placed) = audit(&format!("{BEFORE}\n\n{line}\n\n{AFTER}\n"));
            assert!(cleaned.contains(line), "{line} was removed");
            assert!(placed.is_empty(), "{line}");
        }
        // Two edits from SECRET: flagged alone, removed inside a sentence.
        let (cleaned, _) = audit(&format!("{BEFORE}\n\nSCORET\n\n{AFTER}\n"));
        assert!(!cleaned.contains("SCORET"), "{cleaned}");
    }

    #[test]
    fn no_fragment_is_taken_between_finished_sentences() {
        let text =
            format!("{BEFORE} station.\n\nHO KOC\n\nThe hotel was full of reporters that night.\n");
        let (cleaned, placed) = audit(&text);
        assert!(cleaned.contains("HO KOC"));
        assert!(placed.is_empty());
    }

    #[test]
    fn a_garbled_line_only_flagged_alone_is_removed_inside_a_sentence() {
        // Alone, `Po: a` is flagged and kept (a low-confidence verdict).
        let (alone, _) = audit("The hotel was full.\n\nPo: a\n\nThe press waited.\n");
        assert!(alone.contains("Po: a"));
        let (cleaned, placed) = audit(&format!("{BEFORE}\n\nPo: a\n\n{AFTER}\n"));
        assert!(!cleaned.contains("Po: a"));
        assert_eq!(placed, [("garbage-line".to_string(), Category::OcrNoise)]);
    }

    #[test]
    fn a_line_that_leant_on_a_word_of_a_fragment_removed_is_judged_again() {
        // `qx` is used twice until the fragment `[qx` goes: then the other
        // line reads as garbled, in a broken sentence, and goes at once, as
        // the cleaned text audited again would take it.
        let text = format!(
            "The committee met on Tuesday to review the draft and the\n[qx\n\
             terms that the embassy had sent from the capital last month.\n\n\
             {BEFORE}\nqx . Zv a . Pw\n{AFTER}\n"
        );
        let (cleaned, placed) = audit(&text);
        assert!(!cleaned.contains("[qx"), "{cleaned}");
        assert!(!cleaned.contains("Zv a"), "{cleaned}");
        assert_eq!(placed.len(), 2, "{placed:?}");
        assert_eq!(audit(&cleaned).0, cleaned);
    }

    #[test]
    fn a_line_reported_beside_garbage_is_judged_again_when_its_word_goes() {
        // `qx . Zv a . Pw`, read with `qx` as a word, is only reported as
        // letter fragments beside the stray marks; once `[qx` goes it reads
        // as garbled, and its verdict replaces the report (found by the
        // audit fuzzer).
        let text = format!(
            "The committee met on Tuesday to review the draft and the\n[qx\n\
             terms that the embassy had sent from the capital last month.\n\n\
             {BEFORE}\n\n~|~ ^^\n\nqx . Zv a . Pw\n{AFTER}\n"
        );
        let (cleaned, placed) = audit(&text);
        assert!(!cleaned.contains("Zv a"), "{cleaned}");
        assert!(!cleaned.contains("~|~"), "{cleaned}");
        assert_eq!(placed.len(), 2, "{placed:?}");
        assert_eq!(audit(&cleaned).0, cleaned);
    }

    #[test]
    fn a_line_in_lower_case_may_be_the_sentence_going_on() {
        // `citi` could go on with the sentence unless the line after the gap
        // does.
        let text = format!("{BEFORE}\n\nciti\n\nStation and hotel were both full of reporters.\n");
        assert!(audit(&text).0.contains("citi"));
        let (cleaned, _) = audit(&format!("{BEFORE}\n\nciti\n\n{AFTER}\n"));
        assert!(!cleaned.contains("citi"));
    }

    #[test]
    fn a_fragment_after_a_lower_case_line_the_join_took_is_removed() {
        // `xaWadIT quoi` may go on with the sentence, so the gap is left
        // alone; the join then makes it so, and `LE` stands between the
        // joined paragraph and the part after it (as a second audit reads).
        let before = "The ambassador said that the British government would continue to press the Katanga authorities to accept the plan and that";
        let after = "THE STATE DEPARTMENT HAS OTHER EVIDENCE THAT KATANGA SEEKS TO PLAY ON THE DIFFERENCES BETWEEN THE TWO GOVERNMENTS.";
        let text = format!("{before}\n\nxaWadIT quoi\n\nLE\n\n{after}\n");
        let (cleaned, placed) = audit(&text);
        assert_eq!(cleaned, format!("{before} xaWadIT quoi {after}\n"));
        assert_eq!(
            placed,
            [("interrupting-fragment".to_string(), Category::OcrNoise)]
        );
    }

    #[test]
    fn a_fragment_beside_a_region_found_late_is_removed() {
        // The downgrading group reaches its end only once the page markers'
        // lines and the garbled lines inside it go: the confirmation saw
        // `EA` before `GROUP 1`, the region's first line, and left it; once
        // the region goes, `EA` stands inside the sentence (the property
        // tests' find, seed 13102).
        let text = "\nzero width\nEA\nGROUP 1\nwords [Page 12] more words\n,a,\nwords [Page 12] more words\nExcluded from automatic\nii\nii\nwords [Page 12] more words\n\u{e2}\u{20ac}\u{201d} mojibake\ndeclassification\nzero width";
        let (cleaned, placed) = audit(text);
        assert_eq!(cleaned, "\nzero width\nzero width");
        // Beside the group's stamp, as a part of it.
        let fragment = (
            "interrupting-fragment".to_string(),
            Category::Classification,
        );
        assert!(placed.contains(&fragment), "{placed:?}");
        // A line judged garbled, held and left unsure by the confirmation,
        // is made sure there too (seed 13102 again, shrunk anew).
        let (cleaned, _) = audit(&text.replace("\nEA\n", "\neA,\n"));
        assert_eq!(cleaned, "\nzero width\nzero width");
    }

    #[test]
    fn a_title_case_heading_before_a_paragraph_is_no_broken_sentence() {
        let text = "Plenipotentiary Representative of Russian Republic to Esthonia\n\nHO KOC\n\nFrom the first days of her existence Soviet Russia had hoped for peace.\n";
        let (cleaned, placed) = audit(text);
        assert!(cleaned.contains("HO KOC"));
        assert!(placed.is_empty());
    }

    #[test]
    fn a_line_that_repairs_change_is_not_taken_on_its_raw_verdict() {
        // Mojibake makes the line read as garbage as written; read back, it
        // is a dated line of the letter (the audit fuzzer's find).
        let text = format!("{BEFORE}\n\n\u{e2}\u{20ac}\u{153}March 20th.\n\n{AFTER}\n");
        let (cleaned, placed) = audit(&text);
        assert!(cleaned.contains("\u{201c}March 20th."), "{cleaned}");
        assert!(placed.is_empty());
    }

    #[test]
    fn a_fragment_beside_a_stamp_is_part_of_it() {
        let text = format!("{BEFORE}\n\nPortion(s) Postponed Under\n\nUpp. 2,5,6,8\n\n{AFTER}\n");
        let (cleaned, placed) = audit(&text);
        assert_eq!(cleaned, format!("{BEFORE}\n{AFTER}\n"));
        assert_eq!(
            placed,
            [(
                "interrupting-fragment".to_string(),
                Category::Declassification
            )]
        );
    }
}
