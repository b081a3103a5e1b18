//! `declass` audits plain-text transcriptions of declassified documents.
//!
//! A ground floor and three wings, each importing only from below:
//!
//! - [`model`], [`error`] and [`diagnostic`]: the typed vocabulary (severities,
//!   categories, fields), the library's errors, and what every stage
//!   produces (findings, edits, proposals, actions); [`config`]:
//!   `declass.toml`.
//! - [`rules`]: the rule set (rule files, data files, the built-in checks),
//!   loaded, compiled and self-tested.
//! - [`audit`]: one document, pure, bytes in and a document audit out, one
//!   module per stage: decode → scan → classification → declassification →
//!   matches → repair → sheets → joins → clean → diff → report.
//! - [`batch`]: the inputs of a run, the pool that audits them, the outputs
//!   written, the summary and the baseline; [`formats`] renders a run for
//!   people and for CI.
//!
//! ```
//! use declass::audit::{audit_document, AuditOptions};
//! use declass::rules::RuleSet;
//!
//! let rules = RuleSet::builtin()?;
//! let text = b"~~SECRET~~\n\nThe talks went on [Page 764] for hours.\n\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n";
//! let audit = audit_document("memo.txt", "memo.txt", text.to_vec(), &rules, &AuditOptions::default());
//!
//! assert_eq!(audit.cleaned().as_deref(), Some(&b"The talks went on for hours.\n"[..]));
//! let report = &audit.provenance;
//! assert_eq!(report.classification.markings[0].struck, true);
//! assert_eq!(report.declassification.blocks[0].start_line, 5);
//! assert!(report.actions.iter().all(|a| !a.rule.is_empty()));
//! # Ok::<(), declass::error::RuleError>(())
//! ```
#![deny(unsafe_code)]

pub mod audit;
pub mod batch;
pub mod config;
pub mod diagnostic;
pub mod error;
pub mod formats;
pub mod merge;
pub mod model;
pub mod rules;
pub mod selftest;
pub mod verify;
