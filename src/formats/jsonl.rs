//! JSON Lines: one finding per line, with the document's path.

use crate::batch::BatchResult;
use crate::diagnostic::Finding;
use serde::Serialize;

#[derive(Serialize)]
struct Line<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

pub fn jsonl(result: &BatchResult) -> String {
    let mut text = String::new();
    result.each_reported(|doc| {
        for finding in &doc.findings {
            if let Ok(line) = serde_json::to_string(&Line {
                path: &doc.path,
                finding,
            }) {
                text.push_str(&line);
                text.push('\n');
            }
        }
    });
    text
}
