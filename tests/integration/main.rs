//! Integration tests: one binary, one module per concern.

mod accuracy;
mod cache;
mod ci;
mod cli;
mod common;
mod declassification;
mod fixity;
mod inputs;
mod layering;
mod noise;
mod outputs;
mod properties;
mod robustness;
mod schema;
mod score;
mod shards;
mod structure;
