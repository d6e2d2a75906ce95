//! The pipeline glue the `accord` binary runs and the stage benchmark
//! measures: one file through ingest and extraction (`pipeline`), matching
//! over the ledger (`matching`), and compliance commands with evidence
//! discovery (`compliance`). One copy, so what is measured is what runs.

pub mod compliance;
pub mod matching;
pub mod pipeline;
