//! JSON Lines: one finding per line, with the document's path.

use crate::batch::BatchResult;
use crate::diagnostic::Finding;
use serde::Serialize;
use std::io::Write;

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// Writes the findings, document by document, as they are read.
pub fn write_jsonl(out: &mut dyn Write, result: &BatchResult) -> std::io::Result<()> {
    let mut written = Ok(());
    result.each_reported(|doc| {
        for finding in &doc.findings {
            if written.is_err() {
                return;
            }
            let line = Line {
                path: &doc.path,
                finding,
            };
            written = serde_json::to_writer(&mut *out, &line)
                .map_err(std::io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
        }
    });
    written
}

pub fn jsonl(result: &BatchResult) -> String {
    let mut bytes = Vec::new();
    let _ = write_jsonl(&mut bytes, result);
    String::from_utf8_lossy(&bytes).into_owned()
}
