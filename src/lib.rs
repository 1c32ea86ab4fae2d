//! lumbar: a running coach and lower-back-pain logger that keeps a runner's history in one
//! local JSON file. The binary is a thin shell around [`run`]; everything else is reachable
//! here so tests can drive the parsers, rules and importers without the binary.

pub mod cli;
pub mod commands;
pub mod content;
pub mod demo;
pub mod error;
pub mod fsutil;
pub mod import;
pub mod launch;
pub mod model;
pub mod output;
pub mod redflags;
pub mod report;
pub mod rules;
pub mod settings;
pub mod shoes;
pub mod stats;
pub mod store;
pub mod timer;

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    commands::dispatch(cli)
}
