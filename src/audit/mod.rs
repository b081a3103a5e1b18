//! One document through every stage, in order:
//! [`decode`] → [`scan`] → [`classification`] → [`declassification`] (with
//! the document's own [`dates`]) → [`matches`] (rule matches as findings) →
//! [`garbled`] (stamp lines OCR garbled) → [`repair`] and [`hyphenation`] →
//! [`sheets`] (with the late regions, and the words counted again by
//! [`recount`]) → [`interruptions`] → [`joins`] → [`clean`] → [`report`];
//! the cleaned text and the [`diff`] are written later from [`outputs`].
//!
//! Pure: bytes in, a [`DocumentAudit`] ([`audited`]) out; no file is read or written here
//! (that is the batch's job). Each stage returns its findings with the edits
//! it proposes ([`Proposal`]); this module, through [`decided`], alone
//! decides which edits are made — those at or above `--repair`, with
//! `--markup` applied ([`options`]) — and records on each repair whether it
//! was made.

pub mod audited;
pub mod classification;
pub mod clean;
pub mod dates;
pub mod debris;
pub mod decided;
pub mod declassification;
pub mod decode;
pub mod diff;
pub mod distance;
pub mod gaps;
pub mod garbage;
pub mod garbled;
pub mod hyphenation;
pub mod interruptions;
pub mod joins;
pub mod json;
pub mod leftovers;
pub mod lookout;
pub mod marks;
pub mod matches;
pub mod mending;
pub mod options;
pub mod outputs;
pub mod publication;
pub mod recount;
pub mod repair;
pub mod report;
pub mod scan;
pub mod seams;
pub mod sheets;
pub mod sink;
pub mod spans;
pub mod text;
pub mod words;

use crate::audit::decode::ByLine;
use crate::diagnostic::{
    mark_removed, sort_in_place_by, Change, Edit, JoinMode, LineMask, Proposal,
};
use crate::rules::RuleSet;
pub use audited::{not_audited, not_regular, too_large, DocumentAudit};
use classification::{classify, Classification};
use clean::{clean, CleanText};
use decided::{repaired_lines, Decided};
use declassification::Declassification;
use decode::{decode, Decoded, Document};
use mending::{confirm_mended, mend_across_removals, mended, recount_and_judge, take_mending};
pub use options::AuditOptions;
use report::{Provenance, Source};
use words::DocumentWords;

/// Audits one document. `path` is recorded in the report; `diff_path` is
/// written in the diff's headers. The report records the length and hash
/// of the cleaned text and of the diff, made for it here.
pub fn audit_document(
    path: &str,
    diff_path: &str,
    raw: Vec<u8>,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let mut audit = audit_to_write(path, diff_path, raw, rules, options);
    if let Some(outputs) = &audit.outputs {
        let cleaned = outputs.cleaned_fixity();
        let (diff, stats) = outputs.diff_fixity();
        audit
            .provenance
            .record_cleaned(cleaned, outputs.kept_lines());
        audit.provenance.record_diff(diff, stats);
    }
    audit
}

/// As [`audit_document`], but the report's records of the cleaned text and
/// the diff are left for the writer to make as it writes them
/// ([`Provenance::record_cleaned`], [`Provenance::record_diff`]): each is
/// then made once, not once to hash it and once to write it.
pub fn audit_to_write(
    path: &str,
    diff_path: &str,
    raw: Vec<u8>,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let bytes = raw.len();
    let mut audit = match decode(raw) {
        Decoded::Text(doc) => {
            let (provenance, clean) = audit_text(path, &doc, rules, options);
            DocumentAudit {
                provenance,
                outputs: Some(outputs::Outputs::new(doc, clean, diff_path)),
            }
        }
        Decoded::Binary {
            sha256,
            first_nul,
            utf16,
            ..
        } => {
            let finding = decode::binary_finding(first_nul, utf16);
            not_audited(path, bytes, sha256, finding, rules, options)
        }
    };
    for finding in &mut audit.provenance.findings {
        if let Some(&severity) = options.severity.get(&*finding.rule) {
            finding.severity = severity;
        }
    }
    audit
}

/// The document's words, gathered once if a stage needs them, from the
/// lines that stay so far as the changes inside them (`edits`, and the
/// `mojibake` repairs the options make) leave them: the words the cleaned
/// text will have (a word with a zero-width space in it is one word; a
/// word used only in a stamp is not the text's).
fn document_words<'d>(
    doc: &'d Document,
    edits: &[Edit],
    mojibake: &[(usize, Proposal)],
    removed: &LineMask,
    options: &AuditOptions,
) -> DocumentWords<'d> {
    let repairs: Vec<Edit> = mojibake
        .iter()
        .flat_map(|(_, p)| p.edits.iter().cloned())
        .filter_map(|e| options.keep(e))
        .collect();
    let repaired = spans::span_edits_by_line(edits.iter().chain(&repairs), |line| !removed[line])
        .into_iter()
        .filter_map(|(line, edits)| {
            spans::repaired_with_map(doc.line(line), line, &edits).map(|r| (line, r))
        })
        .collect();
    DocumentWords::new(doc, repaired, removed.clone())
}

/// The built-in repairs: mojibake first, then, with the document's words
/// counted as those repairs leave them, garbage and hyphenation; then what
/// in-line changes leave of a line is read again: a line they leave blank,
/// as a line a rule removes, or as a stray fragment goes now, so that the
/// page structure sees it gone, as it will when the cleaned text is audited
/// again. `removed` gains the lines removed; the words are returned for the
/// stages after, with the lines removed before the repairs (whose
/// hyphenation saw only those gone).
fn repairs<'d>(
    doc: &'d Document,
    rules: &RuleSet,
    matches: &[scan::Match],
    removed: &mut LineMask,
    decided: &mut Decided,
    options: &AuditOptions,
) -> (DocumentWords<'d>, LineMask) {
    let mojibake = repair::mojibake_repairs(doc, rules, removed);
    let words = document_words(doc, &decided.edits, &mojibake, removed, options);
    let explained = matches::explained(doc.len(), matches);
    let garbled = garbled::garbled_stamp_lines(doc, rules, &decided.findings, &words);
    decided.take(garbled, options);
    let before = decided.edits.len();
    let removed_before = removed.clone();
    let repairs = repair::repair(doc, rules, removed, &explained, mojibake, &words);
    decided.take_or_hold(repairs, options);
    let judged = decided.judged_garbage();
    let (leftovers, blanked) =
        leftovers::leftovers(doc, rules, &decided.edits, removed, &judged, &words);
    decided.take_or_hold(leftovers, options);
    decided.edits.extend(blanked);
    mark_removed(removed, &decided.edits[before..]);
    (words, removed_before)
}

/// What the confirmed removals (`removed` against `before`, the lines
/// removed until then) reveal: regions that now reach their end and
/// catchwords that now stand next to their continuation; then the
/// words split across any line removed since the repairs' hyphenation
/// (`before_repairs`: by the repairs themselves, the page structure or the
/// confirmation), and the splits left as they were that the words other
/// mendings made now decide; then the joins of paragraphs over the lines
/// that stay, read as repaired (`repaired`, found anew when words were
/// mended), with the regions and fragments they reveal, and the words
/// split at the end of a part joined to the next (found again once
/// mended). Returns the joins, and the words as the mendings left them.
#[allow(clippy::too_many_arguments)]
fn after_confirm<'d>(
    doc: &Document,
    rules: &RuleSet,
    scanned: &scan::Scanned,
    decided: &mut Decided,
    (removed, before, before_repairs): (&mut LineMask, &LineMask, &LineMask),
    (repaired, boundaries, flagged): (ByLine<String>, &[sheets::Boundary], &LineMask),
    words: DocumentWords<'d>,
    options: &AuditOptions,
) -> (Vec<Edit>, DocumentWords<'d>) {
    let (mut repaired, mut words) = (repaired, words);
    // The lines removed once the confirmation is made: the gaps lines
    // removed later open are read for fragments again, once joined.
    let confirmed = removed.clone();
    if *removed != *before {
        let mut late = scan::late_regions(doc, rules, scanned, removed, &repaired);
        decided.take_removing(matches::proposals(doc, rules, &mut late), removed, options);
        let catchwords = sheets::late_catchwords(doc, removed, &repaired);
        decided.take_removing(catchwords, removed, options);
    }
    let across = mend_across_removals(
        doc,
        rules,
        decided,
        removed,
        before_repairs,
        &words,
        options,
    );
    // Splits left as they were, read with the words other mendings made.
    let unmended: Vec<usize> = decided.splits(false).collect();
    let again = hyphenation::hyphenation_again(doc, rules, &unmended, removed, &words, |c| {
        options.repairs(c)
    });
    // Lines read otherwise since the confirmation (words mended).
    let mut changed = Vec::new();
    if take_mending(doc, rules, decided, removed, &words, options, again) || across {
        let known = (scanned, flagged);
        words = confirm_mended(doc, rules, decided, removed, known, words, options);
        let after = decided::repaired_in_order(doc, &decided.edits, removed);
        (repaired, changed) = decided::read_otherwise(repaired, after);
    }
    let reading = Reading {
        boundaries,
        repaired: &repaired,
        flagged,
        confirmed: &confirmed,
        changed: &changed,
    };
    let joined = joins_and_what_they_reveal(
        doc, rules, scanned, decided, removed, reading, &words, options,
    );
    // A word split at the end of a paragraph's part joined to the next:
    // joined line to line, the parts now stand on consecutive lines; joined
    // with a space (unwrapped prose), they would read `Comi- ntern`.
    let pairs: Vec<(usize, usize)> = joined
        .iter()
        .filter_map(|edit| match edit.change {
            Change::Join { first, second, .. } => Some((first as usize, second as usize)),
            _ => None,
        })
        .collect();
    let proposals =
        hyphenation::hyphenation_across_joins(doc, rules, &pairs, &mended(decided), &words);
    if !take_mending(doc, rules, decided, removed, &words, options, proposals) {
        return (joined, words);
    }
    let words = confirm_mended(
        doc,
        rules,
        decided,
        removed,
        (scanned, flagged),
        words,
        options,
    );
    let after = decided::repaired_in_order(doc, &decided.edits, removed);
    let (now, again) = decided::read_otherwise(repaired, after);
    changed.extend(again);
    changed.sort_unstable();
    changed.dedup();
    let reading = Reading {
        boundaries,
        repaired: &now,
        flagged,
        confirmed: &confirmed,
        changed: &changed,
    };
    let joined = joins_and_what_they_reveal(
        doc, rules, scanned, decided, removed, reading, &words, options,
    );
    (joined, words)
}

/// The joins of paragraphs, and the regions they bring within reach: a
/// paragraph joined is one line of the cleaned text, so a region whose
/// window (which counts lines) reaches its end only once the paragraph's
/// parts are one is found, as the cleaned text, audited again, finds it.
/// The joins are found again without the lines such a region removes; a
/// few rounds at most. Then the fragments in the gaps that lines gone
/// since the confirmation (`confirmed`) open — removed late, or joined
/// onto the paragraph before, which reads as one line — or that border a
/// line read otherwise since (`changed`: a word mended) are taken, and
/// the joins found again without them.
#[allow(clippy::too_many_arguments)]
fn joins_and_what_they_reveal(
    doc: &Document,
    rules: &RuleSet,
    scanned: &scan::Scanned,
    decided: &mut Decided,
    removed: &mut LineMask,
    reading: Reading,
    words: &DocumentWords,
    options: &AuditOptions,
) -> Vec<Edit> {
    let Reading {
        boundaries,
        repaired,
        flagged,
        confirmed,
        changed,
    } = reading;
    let mut joined = joins::find_joins(doc, removed, boundaries, repaired);
    for _ in 0..JOIN_REGION_ROUNDS {
        // Lines appended to the line before them are no line of their own.
        let mut gone = removed.clone();
        for edit in &joined {
            if let Change::Join {
                second,
                mode: JoinMode::Space,
                ..
            } = edit.change
            {
                gone.set(second as usize, true);
            }
        }
        if gone == *removed {
            break;
        }
        let mut late = scan::late_regions(doc, rules, scanned, &gone, repaired);
        if !decided.take_removing(matches::proposals(doc, rules, &mut late), removed, options) {
            break;
        }
        joined = joins::find_joins(doc, removed, boundaries, repaired);
    }
    let read = (joined.as_slice(), repaired, confirmed, changed);
    if decided.fragments_in_late_gaps(doc, rules, removed, read, flagged, words, options) {
        joined = joins::find_joins(doc, removed, boundaries, repaired);
    }
    joined
}

/// How the lines read once the confirmation is made, for the joins and
/// the late gaps: the sheet boundaries, the lines as repaired, the lines a
/// flag rule reads, the lines removed at the confirmation, and the lines
/// read otherwise since (in order).
struct Reading<'a> {
    boundaries: &'a [sheets::Boundary],
    repaired: &'a ByLine<String>,
    flagged: &'a LineMask,
    confirmed: &'a LineMask,
    changed: &'a [usize],
}

/// How many times joins are found again after the regions they revealed.
const JOIN_REGION_ROUNDS: usize = 3;

/// The page structure's removals (sheet headers, page numbers, catchwords)
/// taken, and the regions that reach their end once those lines are gone;
/// the words counted again without the lines those regions remove (see
/// [`recount`]), and the garbage that reveals, held for confirmation.
fn page_structure<'d>(
    doc: &Document,
    rules: &RuleSet,
    scanned: &scan::Scanned,
    removed: &LineMask,
    decided: &mut Decided,
    words: DocumentWords<'d>,
    options: &AuditOptions,
) -> (sheets::Sheets, DocumentWords<'d>) {
    // The lines with changes inside them, as repaired: the page structure
    // reads them so (a catchword's continuation with a control character in
    // it), and so do the regions looked for again once it is known.
    let repaired = repaired_lines(doc, &decided.edits, removed);
    let mut sheets = sheets::analyse(doc, rules, &scanned.matches, removed, &repaired);
    decided.take(sheets.proposals(), options);
    let mut late = scan::late_regions(doc, rules, scanned, &sheets.removed, &repaired);
    decided.take_removing(
        matches::proposals(doc, rules, &mut late),
        &mut sheets.removed,
        options,
    );
    let explained = matches::explained(doc.len(), &scanned.matches);
    let words = recount_and_judge(
        doc,
        rules,
        decided,
        &sheets.removed,
        &explained,
        words,
        options,
    );
    (sheets, words)
}

/// What the rules find in the document as written: the scan's matches,
/// the classification, the document's own dates and its declassification,
/// with the proposals of the matches and of the stamps taken into
/// `decided`. The matches' readings are let go once read.
fn markings(
    doc: &Document,
    rules: &RuleSet,
    decided: &mut Decided,
    options: &AuditOptions,
) -> (
    scan::Scanned,
    Classification,
    Vec<dates::DocumentDate>,
    Declassification,
) {
    let mut scanned = scan::scan_all(doc, rules);
    let matches = &scanned.matches;
    let classification = classify(doc, rules, matches);
    let blocks = declassification::blocks::group(doc, rules, matches);
    let document_dates = dates::document_dates(doc, rules, &blocks.mask(doc.len()));
    let assembled = declassification::assemble(
        doc,
        rules,
        matches,
        &classification,
        &blocks,
        &document_dates,
    );
    // One-line removals too uncertain to make as they stand wait for the
    // page structure: their place in a broken sentence may confirm them.
    // What each match read goes as its proposals are taken (the
    // classification and the declassification are made of it already), so
    // that the findings are not made beside all of it.
    decided.take_or_hold(
        matches::proposals(doc, rules, &mut scanned.matches),
        options,
    );
    decided.take(assembled.proposals, options);
    (
        scanned,
        classification,
        document_dates,
        assembled.declassification,
    )
}

/// The report of a decoded document (without the records of its cleaned
/// text and diff, which are made from what it returns: what each line
/// becomes).
fn audit_text(
    path: &str,
    doc: &Document,
    rules: &RuleSet,
    options: &AuditOptions,
) -> (Provenance, CleanText) {
    let mut decided = Decided::new(decode::findings(doc));
    let (scanned, classification, document_dates, declassification) =
        markings(doc, rules, &mut decided, options);
    let matches = &scanned.matches;

    // Lines removed whole so far, as a mask over the document's lines.
    let mut removed = LineMask::new(doc.len());
    mark_removed(&mut removed, &decided.edits);
    let (words, before_repairs) = repairs(doc, rules, matches, &mut removed, &mut decided, options);

    let (sheets, words) =
        page_structure(doc, rules, &scanned, &removed, &mut decided, words, options);
    // Lines a flag rule reads are never fragments (the mask is the same
    // when the cleaned text is audited again, unlike the lines a rule edits).
    let flagged = matches::flagged(doc.len(), rules, matches);
    let structure_removed = sheets.removed.clone();
    let (mut removed, repaired) =
        decided.confirm(doc, rules, sheets.removed, &flagged, &words, options);
    // Lines the confirmed removals take away, and paragraphs joined into one
    // line, may let a region reach its end, as it will when the cleaned text
    // is audited again; the joins come last.
    let (joined, words) = after_confirm(
        doc,
        rules,
        &scanned,
        &mut decided,
        (&mut removed, &structure_removed, &before_repairs),
        (repaired, &sheets.boundaries, &flagged),
        words,
        options,
    );
    // A match the seam of a join splits is whole in the joined line.
    let across = seams::across_joins(doc, rules, &joined, &decided.edits);
    decided.take(across, options);
    decided.edits.extend(joined);
    let Decided {
        mut findings,
        edits,
        ..
    } = decided;
    sort_in_place_by(&mut findings, |a, b| {
        (a.line, a.column, &a.rule).cmp(&(b.line, b.column, &b.rule))
    });
    decided::one_finding_a_place(&mut findings);
    // What the cleaning does not need goes before it: its peak is the
    // audit's.
    let publication = publication::publication(doc, rules, matches);
    let counts = words.into_counts();
    let sheets::Sheets {
        pages, boundaries, ..
    } = sheets;
    drop((scanned, removed, structure_removed, flagged, boundaries));

    let stray = |text: &str| {
        matches!(
            garbage::judge(text, rules.lexicon(), &counts),
            Some(garbage::Garbage::Marks | garbage::Garbage::Fragment)
        )
    };
    let cleaned = clean(doc, edits, &stray);
    let pages = sheets::map_pages(pages, cleaned.cleaned_line_numbers());
    let mut actions = cleaned.actions;
    for action in &mut actions {
        action.page = sheets::printed_page(
            &pages,
            action.line as usize,
            action.column.map(|c| c.get() as usize),
        );
    }
    let provenance = Provenance {
        classification,
        declassification,
        publication,
        document_dates,
        pages,
        findings,
        actions,
        ..Provenance::new(
            Source::of(doc, path),
            rules.sha256(),
            options.generated_at.clone(),
        )
    };
    (provenance, cleaned.text)
}

/// A document of `text` audited with the built-in rules and the default
/// options, for the stages' own tests.
#[cfg(test)]
pub(crate) fn audited_with_builtin_rules(text: &str) -> DocumentAudit {
    let rules = RuleSet::builtin().expect("the built-in rules load");
    audit_document(
        "t.txt",
        "t.txt",
        text.as_bytes().to_vec(),
        &rules,
        &AuditOptions::default(),
    )
}
