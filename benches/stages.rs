//! The stages of one document's audit, timed by criterion on a fixed input:
//! the five seeds and the nineteen development documents (200 KB of real
//! transcriptions, in the repository), read as one document. A slower stage
//! shows as a regression in `cargo bench`; the whole run against ripgrep is
//! measured by `scripts/bench.sh`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use declass::audit::decode::{decode, Decoded, Document};
use declass::audit::{audit_document, AuditOptions};
use declass::audit::{clean, declassification, diff, matches, scan, sheets};
use declass::diagnostic::{mark_removed, LineMask};
use declass::rules::RuleSet;
use std::hint::black_box;
use std::path::Path;

/// The fixed input: every seed and development document, one after another.
fn input() -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    for dir in ["seeds", "tests/fixtures/dev"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("fixture folder") {
            let path = entry.expect("fixture entry").path();
            if path.extension().is_some_and(|e| e == "txt") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    let mut bytes = Vec::new();
    for path in paths {
        bytes.extend(std::fs::read(path).expect("fixture document"));
        bytes.push(b'\n');
    }
    bytes
}

fn document(bytes: &[u8]) -> Document {
    match decode(bytes.to_vec()) {
        Decoded::Text(doc) => doc,
        Decoded::Binary { .. } => panic!("the fixtures are text"),
    }
}

fn stages(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("built-in rules");
    let bytes = input();
    let doc = document(&bytes);
    let found = scan::scan(&doc, &rules);
    // The proposals let go of what the matches read: the stages below read
    // the scan's own.
    let edits: Vec<_> = matches::proposals(&doc, &rules, &mut found.clone())
        .flat_map(|p| p.edits)
        .collect();
    let mut removed = LineMask::new(doc.len());
    mark_removed(&mut removed, &edits);

    let mut group = c.benchmark_group("stages");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(20);
    group.bench_function("decode", |b| b.iter(|| decode(black_box(bytes.clone()))));
    group.bench_function("scan", |b| b.iter(|| scan::scan(black_box(&doc), &rules)));
    group.bench_function("structure", |b| {
        b.iter(|| {
            sheets::analyse(
                black_box(&doc),
                &rules,
                &found,
                &removed,
                &Default::default(),
            )
        })
    });
    group.bench_function("declassification", |b| {
        b.iter(|| {
            let classification = declass::audit::classification::classify(&doc, &rules, &found);
            let blocks = declassification::blocks::group(&doc, &rules, &found);
            let dates =
                declass::audit::dates::document_dates(&doc, &rules, &blocks.mask(doc.len()));
            declassification::assemble(&doc, &rules, &found, &classification, &blocks, &dates)
        })
    });
    group.bench_function("clean+diff", |b| {
        b.iter(|| {
            let cleaned = clean::clean(black_box(&doc), edits.clone(), &|_: &str| false);
            let mut out = Vec::new();
            cleaned.text.write(&doc, &mut out);
            diff::write_unified(&doc, &cleaned.text, "bench.txt", &mut out)
        })
    });
    group.bench_function("whole audit", |b| {
        b.iter(|| {
            audit_document(
                "bench.txt",
                "bench.txt",
                black_box(bytes.clone()),
                &rules,
                &AuditOptions::default(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
