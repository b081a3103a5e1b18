//! Accuracy against hand-made labels, scored as `tests/fixtures/gold/score.py`
//! (a copy of `../shared/gold/score.py`) scores it: line-level precision and
//! recall per kind, keep rate, join rate and declassification fields. Runs
//! on the seeds and on the development set of real documents
//! (`tests/fixtures/dev/`), prints the figures, and fails below floors set
//! just under what the tool reaches, so that no change loses accuracy
//! unseen. `cargo test score -- --nocapture` shows the table and the misses.

use crate::common::{audit, read_json, root, KINDS};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Findings that judge the whole document or re-flow text: neither credited
/// nor penalised in the line scores (as in score.py).
const NEUTRAL_RULES: [&str; 11] = [
    "no-declassification-authority",
    "order-before-signing",
    "order-superseded",
    "archive-name-anachronism",
    "review-before-document",
    "unstruck-marking-on-declassified",
    "stamps-disagree",
    "broken-hyphenation",
    "footnote-markup",
    "paragraph-join",
    "collapse-blank-lines",
];

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        1.0
    } else {
        a as f64 / b as f64
    }
}

impl Counts {
    fn precision(self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    fn recall(self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    fn f1(self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

#[derive(Debug, Default)]
struct Scores {
    kinds: BTreeMap<&'static str, Counts>,
    keep: (usize, usize),
    joins: (usize, usize),
    fields: (usize, usize),
    misses: Vec<String>,
}

impl Scores {
    fn kind(&self, kind: &str) -> Counts {
        self.kinds.get(kind).copied().unwrap_or_default()
    }

    fn micro_f1(&self) -> f64 {
        let mut all = Counts::default();
        for c in self.kinds.values() {
            all.tp += c.tp;
            all.fp += c.fp;
            all.fn_ += c.fn_;
        }
        all.f1()
    }

    fn print(&self, name: &str) {
        println!("accuracy on {name}:");
        for m in self.misses.iter().take(120) {
            println!("  {m}");
        }
        for kind in KINDS {
            let c = self.kind(kind);
            println!(
                "{kind:17} P={:.2} R={:.2} F1={:.2} (tp {} fp {} fn {})",
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            );
        }
        println!(
            "micro F1={:.2} keep={:.2} joins={:.2} fields={:.2}",
            self.micro_f1(),
            ratio(self.keep.0, self.keep.1),
            ratio(self.joins.0, self.joins.1),
            ratio(self.fields.0, self.fields.1)
        );
    }
}

fn norm(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Letters and digits only, markup tags dropped, lower case.
fn letters(text: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in text.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag && (c.is_alphanumeric() || c == '_') => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out
}

fn paragraphs(text: &str) -> Vec<String> {
    let mut paras = Vec::new();
    let mut current = String::new();
    for line in text.split('\n') {
        if line.trim().is_empty() {
            if !current.trim().is_empty() {
                paras.push(letters(&current));
            }
            current.clear();
        } else {
            current.push_str(line);
            current.push('\n');
        }
    }
    if !current.trim().is_empty() {
        paras.push(letters(&current));
    }
    paras
}

/// The longest run of a kept line's text made of word characters and
/// ordinary punctuation, at most 60 characters (score.py's probe).
fn probe(line: &str) -> String {
    let mut text = norm(line);
    // a word split at the line end may be rejoined
    if text.ends_with('-') {
        let stem =
            text[..text.len() - 1].trim_end_matches(|c: char| c.is_alphanumeric() || c == '_');
        text = stem.to_string();
    }
    let allowed =
        |c: char| c.is_alphanumeric() || " ,.;:'\u{2019}\"\u{201C}\u{201D}()-_".contains(c);
    let best = text
        .split(|c: char| !allowed(c))
        .max_by_key(|run| run.len())
        .unwrap_or("");
    best.chars().take(60).collect::<String>().trim().to_string()
}

fn lines_of(finding: &Value) -> Vec<usize> {
    let a = finding["line"].as_u64().unwrap_or(0) as usize;
    let b = finding["end_line"].as_u64().map_or(a, |b| b as usize);
    (a..=b).collect()
}

/// Audits `docs` and scores the reports against the labels in `gold`.
fn score(gold: &Path, docs: &Path) -> Scores {
    let gold = read_json(gold);
    let out = tempfile::tempdir().unwrap();
    let run = audit(&[docs], out.path()).assert();
    let code = run.get_output().status.code();
    assert!(matches!(code, Some(0) | Some(1)), "audit failed: {code:?}");
    let mut scores = Scores::default();
    for (name, g) in gold["documents"].as_object().unwrap() {
        let stem = Path::new(name).with_extension("");
        let source = String::from_utf8_lossy(&std::fs::read(docs.join(name)).unwrap()).into_owned();
        let src: Vec<&str> = source.split('\n').collect();
        let blank = |n: usize| n == 0 || n > src.len() || src[n - 1].trim().is_empty();
        let dir = out.path().join(&stem);
        let report = read_json(&dir.join("provenance.json"));
        let mut labels: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
        for label in g["labels"].as_array().unwrap() {
            labels
                .entry(label["kind"].as_str().unwrap().to_string())
                .or_default()
                .insert(label["line"].as_u64().unwrap() as usize);
        }
        let ambiguous: BTreeSet<usize> = g["ambiguous"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as usize)
                    .collect()
            })
            .unwrap_or_default();
        let mut found: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for f in report["findings"].as_array().unwrap() {
            let category = f["category"].as_str().unwrap_or("");
            let rule = f["rule"].as_str().unwrap_or("");
            if let Some(kind) = KINDS.iter().find(|k| **k == category) {
                if !NEUTRAL_RULES.contains(&rule) {
                    found
                        .entry(kind)
                        .or_default()
                        .extend(lines_of(f).into_iter().filter(|&n| !blank(n)));
                }
            }
        }
        for kind in KINDS {
            let want: BTreeSet<usize> = labels
                .get(kind)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&n| !blank(n) && !ambiguous.contains(&n))
                .collect();
            let got: BTreeSet<usize> = found
                .get(kind)
                .into_iter()
                .flatten()
                .copied()
                .filter(|n| !ambiguous.contains(n))
                .collect();
            let c = scores.kinds.entry(kind).or_default();
            c.tp += want.intersection(&got).count();
            c.fn_ += want.difference(&got).count();
            c.fp += got.difference(&want).count();
            for n in want.difference(&got) {
                scores
                    .misses
                    .push(format!("{name}:{n} missed {kind}: {:?}", src[n - 1]));
            }
            for n in got.difference(&want) {
                scores
                    .misses
                    .push(format!("{name}:{n} extra {kind}: {:?}", src[n - 1]));
            }
        }
        let cleaned = std::fs::read_to_string(dir.join("cleaned.txt")).unwrap_or_default();
        let flat = norm(&cleaned);
        for n in g["keep"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_u64)
        {
            let n = n as usize;
            if blank(n) {
                continue;
            }
            scores.keep.1 += 1;
            let p = probe(src[n - 1]);
            if !p.is_empty() && flat.contains(&p) {
                scores.keep.0 += 1;
            } else {
                scores.misses.push(format!(
                    "{name}:{n} lost from cleaned text: {:?}",
                    src[n - 1]
                ));
            }
        }
        let paras = paragraphs(&cleaned);
        for pair in g["joins"].as_array().into_iter().flatten() {
            let (a, b) = (
                pair[0].as_u64().unwrap() as usize,
                pair[1].as_u64().unwrap() as usize,
            );
            scores.joins.1 += 1;
            let first = src[a - 1].trim_end();
            let first = if first.ends_with('-') {
                first
                    .trim_end_matches('-')
                    .trim_end_matches(|c: char| c.is_alphanumeric())
            } else {
                first
            };
            let tail: String = {
                let l = letters(first);
                l.chars()
                    .skip(l.chars().count().saturating_sub(20))
                    .collect()
            };
            let head: String = letters(src[b - 1]).chars().take(20).collect();
            let joined = paras.iter().any(|p| match (p.find(&tail), p.find(&head)) {
                (Some(t), Some(h)) => t < h,
                _ => false,
            });
            if joined {
                scores.joins.0 += 1;
            } else {
                scores.misses.push(format!("{name}:{a}+{b} not rejoined"));
            }
        }
        let blob = report["declassification"].to_string().to_lowercase();
        if let Some(want) = g["declassification"].as_object() {
            for (key, value) in want {
                scores.fields.1 += 1;
                let value = match value {
                    Value::String(s) => s.to_lowercase(),
                    other => other.to_string().to_lowercase(),
                };
                if blob.contains(&value) {
                    scores.fields.0 += 1;
                } else {
                    scores.misses.push(format!(
                        "{name}: declassification {key}={value} not in report"
                    ));
                }
            }
        }
        let want = g["classification"]["highest"].as_str();
        if want != Some("?") {
            scores.fields.1 += 1;
            let got = report["classification"]["highest"].as_str();
            if want.map(norm) == got.map(norm) {
                scores.fields.0 += 1;
            } else {
                scores.misses.push(format!(
                    "{name}: highest classification {got:?}, expected {want:?}"
                ));
            }
        }
    }
    scores
}

/// Fails when a figure falls below its floor.
fn hold(scores: &Scores, floors: &[(&str, f64)]) {
    let mut below = Vec::new();
    for &(what, floor) in floors {
        let got = match what {
            "keep" => ratio(scores.keep.0, scores.keep.1),
            "joins" => ratio(scores.joins.0, scores.joins.1),
            "fields" => ratio(scores.fields.0, scores.fields.1),
            "micro" => scores.micro_f1(),
            kind => scores.kind(kind).f1(),
        };
        if got + 1e-9 < floor {
            below.push(format!("{what}: {got:.3} < floor {floor:.2}"));
        }
    }
    assert!(below.is_empty(), "accuracy fell: {below:#?}");
}

#[test]
fn score_on_the_development_set_of_real_documents() {
    let scores = score(
        &root().join("tests/fixtures/gold/dev.json"),
        &root().join("tests/fixtures/dev"),
    );
    scores.print("the development set (tests/fixtures/dev)");
    hold(
        &scores,
        &[
            ("classification", 0.90),
            ("declassification", 0.90),
            ("page-furniture", 0.90),
            ("ocr-noise", 0.80),
            ("boilerplate", 0.95),
            ("keep", 1.0),
            ("joins", 0.99),
            ("fields", 0.93),
        ],
    );
}

#[test]
fn score_on_the_seeds() {
    let scores = score(
        &root().join("tests/fixtures/gold/seeds.json"),
        &root().join("seeds"),
    );
    scores.print("the seeds");
    hold(
        &scores,
        &[
            ("classification", 1.0),
            ("declassification", 1.0),
            ("page-furniture", 1.0),
            ("boilerplate", 1.0),
            ("keep", 1.0),
            ("joins", 1.0),
        ],
    );
}

#[test]
fn the_fixtures_are_copies_of_the_shared_ones_where_those_exist() {
    let shared = root().join("../shared");
    if !shared.is_dir() {
        return;
    }
    let mut pairs = vec![
        ("tests/fixtures/gold/seeds.json", "gold/seeds.json"),
        ("tests/fixtures/gold/dev.json", "gold/dev.json"),
        ("tests/fixtures/gold/score.py", "gold/score.py"),
    ];
    let names: Vec<String> = std::fs::read_dir(shared.join("dev"))
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let dev: Vec<(String, String)> = names
        .iter()
        .map(|n| (format!("tests/fixtures/dev/{n}"), format!("dev/{n}")))
        .collect();
    pairs.extend(dev.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    for (ours, theirs) in pairs {
        let Ok(theirs_bytes) = std::fs::read(shared.join(theirs)) else {
            continue;
        };
        assert!(
            std::fs::read(root().join(ours)).ok() == Some(theirs_bytes),
            "{ours} differs from ../shared/{theirs}: copy it again"
        );
    }
    for entry in std::fs::read_dir(shared.join("seeds"))
        .into_iter()
        .flatten()
    {
        let entry = entry.unwrap();
        let ours = root().join("seeds").join(entry.file_name());
        assert_eq!(
            std::fs::read(&ours).ok(),
            std::fs::read(entry.path()).ok(),
            "{} differs from ../shared/seeds",
            ours.display()
        );
    }
}
