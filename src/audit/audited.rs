//! What auditing one document produces: its report and the outputs to
//! write; and the report of a file that was not audited (binary, too
//! large, not a regular file), which has no outputs.

use crate::audit::options::AuditOptions;
use crate::audit::outputs;
use crate::audit::report::{Provenance, Source};
use crate::diagnostic::Finding;
use crate::model::Encoding;
use crate::rules::{Check, RuleSet};

/// What auditing one document produced.
#[derive(Debug, Clone)]
pub struct DocumentAudit {
    pub provenance: Provenance,
    /// The cleaned text and the diff, to be written; `None` when the
    /// document was not audited (binary, too large, not a regular file).
    pub outputs: Option<outputs::Outputs>,
}

impl DocumentAudit {
    /// The cleaned text, in memory (for a test or a library caller; the
    /// batch writes it straight to its file).
    pub fn cleaned(&self) -> Option<Vec<u8>> {
        self.outputs.as_ref().map(outputs::Outputs::cleaned)
    }

    /// The diff, in memory.
    pub fn diff(&self) -> Option<Vec<u8>> {
        self.outputs.as_ref().map(outputs::Outputs::diff)
    }
}

/// A report for a file that was not decoded: binary or too large.
pub fn not_audited(
    path: &str,
    bytes: usize,
    sha256: String,
    finding: Finding,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let encoding = if finding.rule == Check::InputBinary.id() {
        Encoding::Binary
    } else {
        Encoding::NotRead
    };
    let source = Source::not_decoded(path, bytes, sha256, encoding);
    let mut provenance = Provenance::new(source, rules.sha256(), options.generated_at.clone());
    provenance.findings.push(finding);
    DocumentAudit {
        provenance,
        outputs: None,
    }
}

/// A report for a file larger than `limit` bytes, hashed but not audited.
pub fn too_large(
    path: &str,
    bytes: u64,
    sha256: String,
    limit: u64,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let finding = Check::InputTooLarge.finding(
        1,
        "",
        format!("{bytes} bytes is more than the limit of {limit} bytes (--max-bytes): not audited"),
    );
    let bytes = usize::try_from(bytes).unwrap_or(usize::MAX);
    not_audited(path, bytes, sha256, finding, rules, options)
}

/// A report for a path that is no regular file (a FIFO, a device, a
/// socket), which is never read: reading could block or never end.
pub fn not_regular(
    path: &str,
    kind: &str,
    rules: &RuleSet,
    options: &AuditOptions,
) -> DocumentAudit {
    let finding =
        Check::InputNotRegular.finding(1, "", format!("{kind}, not a regular file: not read"));
    not_audited(path, 0, String::new(), finding, rules, options)
}
