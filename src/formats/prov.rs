//! W3C PROV-JSON for a run: the audit as an activity (the tool's version,
//! the rules' hash and the options that change outputs; times only from
//! `SOURCE_DATE_EPOCH`), the tool as a software agent, and per document the
//! original, the cleaned text, the diff and the report as entities, with
//! `used`, `wasGeneratedBy`, `wasDerivedFrom` and `wasAssociatedWith`.

use crate::audit::json;
use crate::audit::report::{CLEANED_FILE, DIFF_FILE, PROVENANCE_FILE};
use crate::batch::bag::sha256_file;
use crate::batch::{BatchOptions, BatchResult};
use serde_json::{json, Map, Value};

/// The namespace of the run's own identifiers.
const NAMESPACE: &str = "urn:declass:";

fn typed(value: &str, kind: &str) -> Value {
    json!({ "$": value, "type": kind })
}

/// The SHA-256 of a report file the run wrote, if it can be read.
fn written_sha256(path: &std::path::Path) -> Option<String> {
    sha256_file(path).ok().map(|(hash, _)| hash)
}

pub fn prov(result: &BatchResult, options: &BatchOptions) -> String {
    let summary = &result.summary;
    let mut entity = Map::new();
    let mut used = Map::new();
    let mut generated = Map::new();
    let mut derived = Map::new();
    let activity_id = "declass:audit";
    let mut activity = json!({
        "prov:type": typed("declass:Audit", "prov:QUALIFIED_NAME"),
        "declass:version": summary.tool.version,
        "declass:rules_sha256": summary.tool.rules_sha256,
        "declass:repair": options.audit.repair.map_or("none", |c| c.as_str()),
        "declass:markup": options.audit.markup,
        "declass:max_bytes": options.max_bytes,
    });
    if let Some(time) = &summary.generated_at {
        activity["prov:startTime"] = typed(time, "xsd:dateTime");
        activity["prov:endTime"] = typed(time, "xsd:dateTime");
    }
    for (n, row) in summary.documents.iter().enumerate() {
        let id = |part: &str| format!("declass:document{}-{part}", n + 1);
        let original = id("original");
        entity.insert(
            original.clone(),
            json!({
                "prov:label": row.path,
                "prov:type": typed("declass:Original", "prov:QUALIFIED_NAME"),
                "declass:sha256": row.sha256,
            }),
        );
        used.insert(
            format!("_:used{}", n + 1),
            json!({ "prov:activity": activity_id, "prov:entity": original }),
        );
        let folder = options.out.join(&row.report);
        for (part, file, kind) in [
            ("cleaned", CLEANED_FILE, "declass:CleanedText"),
            ("diff", DIFF_FILE, "declass:Diff"),
            ("report", PROVENANCE_FILE, "declass:ProvenanceReport"),
        ] {
            let path = folder.join(file);
            if !path.is_file() {
                continue;
            }
            let output = id(part);
            let mut attributes = json!({
                "prov:label": format!("{}/{file}", row.report),
                "prov:type": typed(kind, "prov:QUALIFIED_NAME"),
            });
            if let Some(hash) = written_sha256(&path) {
                attributes["declass:sha256"] = json!(hash);
            }
            entity.insert(output.clone(), attributes);
            generated.insert(
                format!("_:generated{}-{part}", n + 1),
                json!({ "prov:entity": output, "prov:activity": activity_id }),
            );
            derived.insert(
                format!("_:derived{}-{part}", n + 1),
                json!({
                    "prov:generatedEntity": output,
                    "prov:usedEntity": original,
                    "prov:activity": activity_id,
                }),
            );
        }
    }
    let document = json!({
        "prefix": { "declass": NAMESPACE },
        "agent": {
            "declass:software": {
                "prov:type": typed("prov:SoftwareAgent", "prov:QUALIFIED_NAME"),
                "prov:label": format!("{} {}", summary.tool.name, summary.tool.version),
            }
        },
        "activity": { activity_id: activity },
        "wasAssociatedWith": {
            "_:associated": { "prov:activity": activity_id, "prov:agent": "declass:software" }
        },
        "entity": entity,
        "used": used,
        "wasGeneratedBy": generated,
        "wasDerivedFrom": derived,
    });
    json::to_bytes(&document)
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .unwrap_or_default()
}
