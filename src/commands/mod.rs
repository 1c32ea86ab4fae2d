//! One file per subcommand: read the arguments, call the domain code, print. This file only
//! builds the per-call context and dispatches.

mod coach;
pub mod completions;
pub(crate) mod config;
mod demo;
mod export;
mod import;
mod pain;
mod plan;
mod redflags;
mod report;
mod routine;
mod run;
mod shoes;
mod stats;

use std::io::{BufRead, Write};

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::error::UsageError;
use crate::model::{Config, Data, Units};
use crate::output::Output;
use crate::settings::Settings;
use crate::store::Store;

/// What every command gets: this call's settings (its moment, units, terminal), where the data
/// is, and how to print. Built once per call.
pub struct Ctx {
    pub settings: Settings,
    pub store: Store,
    pub out: Output,
}

impl Ctx {
    /// Reads the store (a missing one is empty).
    pub fn load(&self) -> Result<Data> {
        self.store.load()
    }

    /// The display units of this call for a store with this config.
    pub fn units(&self, config: &Config) -> Units {
        self.settings.units(config)
    }

    /// Asks a yes/no question on the terminal that may be left unanswered: `None` when the
    /// answer is skipped (Enter).
    pub fn ask_yes_no(&self, question: &str) -> Result<Option<bool>> {
        self.ask(
            question,
            "[y/n/Enter to skip]",
            "please answer y or n, or press Enter to skip",
            None,
        )
    }

    /// Asks for a confirmation on the terminal; Enter (or the end of input) is no.
    pub fn confirm(&self, question: &str) -> Result<bool> {
        Ok(self.ask(question, "[y/N]", "please answer y or n (Enter keeps it)", Some(false))? == Some(true))
    }

    /// The prompt on stderr, the answer from a stdin line; `empty` is what Enter means.
    fn ask(&self, question: &str, choices: &str, again: &str, empty: Option<bool>) -> Result<Option<bool>> {
        let mut err = std::io::stderr().lock();
        loop {
            write!(err, "{} {choices} ", self.out.finish(question))?;
            err.flush()?;
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line)? == 0 {
                writeln!(err)?;
                return Ok(empty);
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "" => return Ok(empty),
                "y" | "yes" => return Ok(Some(true)),
                "n" | "no" => return Ok(Some(false)),
                _ => writeln!(err, "{again}")?,
            }
        }
    }

    /// Confirms a removal: asks on a terminal, refuses off one unless `--yes` was given.
    pub fn confirm_removal(&self, what: &str, yes: bool) -> Result<bool> {
        if yes {
            return Ok(true);
        }
        if !self.settings.interactive() {
            return Err(UsageError(format!(
                "removing {what} needs confirmation: pass --yes to remove it without a terminal"
            ))
            .into());
        }
        self.confirm(&format!("Remove {what}?"))
    }
}

pub fn dispatch(cli: Cli) -> Result<()> {
    let g = cli.global;
    let settings = Settings::from_args(&g);
    let mut ctx = Ctx {
        store: Store::locate(g.data_dir.as_deref())?,
        out: Output::new(&settings),
        settings,
    };
    match cli.command {
        Command::Run(c) => run::run(&mut ctx, c),
        Command::Pain(c) => pain::run(&mut ctx, c),
        Command::Shoes(a) => shoes::run(&mut ctx, a),
        Command::Coach(a) => coach::run(&mut ctx, a),
        Command::Plan(a) => plan::run(&mut ctx, a),
        Command::Redflags(a) => redflags::run(&mut ctx, a),
        Command::Routine(a) => routine::run(&mut ctx, a),
        Command::Stats(a) => stats::run(&mut ctx, a),
        Command::Report(a) => report::run(&mut ctx, a),
        Command::Import(a) => import::run(&mut ctx, a),
        Command::Export(a) => export::run(&mut ctx, a),
        Command::Config(a) => config::run(&mut ctx, a),
        Command::Demo(a) => demo::run(&mut ctx, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man(a) => completions::man(&ctx, a),
    }
}
