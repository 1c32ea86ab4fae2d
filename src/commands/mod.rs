//! One file per subcommand: read the arguments, call the domain code, print. This file only
//! builds the per-call context and dispatches.

mod coach;
mod completions;
mod config;
mod demo;
mod export;
mod import;
mod pain;
mod redflags;
mod routine;
mod run;
mod shoes;
mod stats;

use std::io::{BufRead, Write};

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::error::UsageError;
use crate::output::Output;
use crate::store::Store;

/// What every command gets: where the data is and how to print.
pub struct Ctx {
    pub store: Store,
    pub out: Output,
    /// `--units` as given on the command line; `None` means "use the config".
    pub units_flag: Option<crate::model::Units>,
}

impl Ctx {
    /// Loads the store and settles the display units from the flag or the config.
    pub fn load(&mut self) -> Result<crate::model::Data> {
        let data = self.store.load()?;
        self.settle_units(&data);
        Ok(data)
    }

    /// Display units: `--units` wins, then the config.
    pub fn settle_units(&mut self, data: &crate::model::Data) {
        self.out.units = self.units_flag.unwrap_or(data.config.units);
    }

    /// Asks a yes/no question on the terminal. `None` when the answer is skipped (Enter).
    pub fn ask_yes_no(&self, question: &str) -> Result<Option<bool>> {
        let mut err = std::io::stderr().lock();
        loop {
            write!(err, "{question} [y/n, Enter to skip] ")?;
            err.flush()?;
            let mut line = String::new();
            if std::io::stdin().lock().read_line(&mut line)? == 0 {
                writeln!(err)?;
                return Ok(None);
            }
            match line.trim().to_ascii_lowercase().as_str() {
                "" => return Ok(None),
                "y" | "yes" => return Ok(Some(true)),
                "n" | "no" => return Ok(Some(false)),
                _ => writeln!(err, "please answer y or n, or press Enter to skip")?,
            }
        }
    }

    /// Confirms a removal: asks on a terminal, refuses off one unless `--yes` was given.
    pub fn confirm_removal(&self, what: &str, yes: bool) -> Result<bool> {
        if yes {
            return Ok(true);
        }
        if !self.out.interactive {
            return Err(UsageError(format!(
                "removing {what} needs confirmation: pass --yes to remove it without a terminal"
            ))
            .into());
        }
        Ok(self.ask_yes_no(&format!("Remove {what}?"))? == Some(true))
    }
}

pub fn dispatch(cli: Cli) -> Result<()> {
    let g = cli.global;
    let store = Store::locate(g.data_dir.as_deref())?;
    let out = Output::new(g.json, g.no_color, g.units.unwrap_or_default(), g.quiet);
    let mut ctx = Ctx {
        store,
        out,
        units_flag: g.units,
    };
    match cli.command {
        Command::Run(c) => run::run(&mut ctx, c),
        Command::Pain(c) => pain::run(&mut ctx, c),
        Command::Shoes(a) => shoes::run(&mut ctx, a),
        Command::Coach(a) => coach::run(&mut ctx, a),
        Command::Redflags(a) => redflags::run(&mut ctx, a),
        Command::Routine(a) => routine::run(&mut ctx, a),
        Command::Stats(a) => stats::run(&mut ctx, a),
        Command::Import(a) => import::run(&mut ctx, a),
        Command::Export(a) => export::run(&mut ctx, a),
        Command::Config(a) => config::run(&mut ctx, a),
        Command::Demo(a) => demo::run(&mut ctx, a),
        Command::Completions(a) => completions::completions(a),
        Command::Man => completions::man(),
    }
}
