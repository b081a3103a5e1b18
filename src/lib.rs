//! `declass` audits plain-text transcriptions of declassified documents.
//!
//! The pipeline, one module per stage:
//! [`decode`] → [`scan`] → [`classification`] → [`declassification`] →
//! [`repair`] → [`structure`] → [`clean`] → [`diff`] → [`report`] → [`batch`]. [`pipeline`] runs one
//! document through the stages; [`batch`] walks the inputs and writes the
//! outputs; [`rules`] loads and checks the rule files.
//!
//! ```
//! use declass::pipeline::{audit_document, AuditOptions};
//! use declass::rules::RuleSet;
//!
//! let rules = RuleSet::builtin()?;
//! let text = b"~~SECRET~~\n\nThe talks went on [Page 764] for hours.\n\nDECLASSIFIED\nBy NLT-HC, NARS Date 12-2-75\n";
//! let audit = audit_document("memo.txt", "memo.txt", text.to_vec(), &rules, &AuditOptions::default());
//!
//! assert_eq!(audit.cleaned.as_deref(), Some(&b"The talks went on for hours.\n"[..]));
//! let report = &audit.provenance;
//! assert_eq!(report.classification.markings[0].struck, true);
//! assert_eq!(report.declassification.blocks[0].start_line, 5);
//! assert!(report.actions.iter().all(|a| !a.rule.is_empty()));
//! # Ok::<(), declass::error::RuleError>(())
//! ```
#![deny(unsafe_code)]

pub mod baseline;
pub mod batch;
pub mod classification;
pub mod clean;
pub mod config;
pub mod dates;
pub mod declassification;
pub mod decode;
pub mod diff;
pub mod error;
pub mod facts;
pub mod finding;
pub mod formats;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod repair;
pub mod report;
pub mod rules;
pub mod scan;
pub mod structure;
