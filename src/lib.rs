//! `declass` audits plain-text transcriptions of declassified documents.
//!
//! The pipeline, one module per stage:
//! [`decode`] → [`scan`] → [`classification`] → [`declassification`] →
//! [`clean`] → [`diff`] → [`report`] → [`batch`]. [`pipeline`] runs one
//! document through the stages; [`batch`] walks the inputs and writes the
//! outputs; [`rules`] loads and checks the rule files.
#![deny(unsafe_code)]

pub mod batch;
pub mod classification;
pub mod clean;
pub mod declassification;
pub mod decode;
pub mod diff;
pub mod error;
pub mod finding;
pub mod model;
pub mod output;
pub mod pipeline;
pub mod report;
pub mod rules;
pub mod scan;
