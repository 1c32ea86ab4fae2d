//! lumbar: a running coach and lower-back-pain logger that keeps a runner's history in one
//! local JSON file. The binary is a thin shell around [`run`]; everything else is reachable
//! here so tests can drive the parsers, rules and importers without the binary.
//!
//! Supported systems: Linux, macOS and the BSDs. The store's guarantees rest on Unix file
//! semantics (`O_NOFOLLOW`, permission bits, hard links, an atomic rename, folder fsync), so
//! the modules that touch files are Unix-only and other systems are refused at compile time
//! rather than given weaker promises.

#[cfg(not(unix))]
compile_error!("lumbar supports Unix-like systems only (Linux, macOS, BSD): its store relies on Unix file semantics");

pub mod cli;
pub mod commands;
pub mod content;
pub mod demo;
pub mod error;
#[cfg(unix)]
pub mod fsutil;
pub mod import;
pub mod launch;
pub mod model;
pub mod output;
pub mod plan;
pub mod redflags;
pub mod report;
pub mod rules;
pub mod settings;
pub mod shoes;
pub mod stats;
#[cfg(unix)]
pub mod store;
pub mod timer;

/// Runs one parsed command line.
pub fn run(cli: cli::Cli) -> anyhow::Result<()> {
    commands::dispatch(cli)
}
