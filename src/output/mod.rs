//! Everything a person or a script sees. Chosen once per call from its settings: human text or
//! one JSON document, colour or not, how much to say; the display units follow `--units`, else
//! the store's config ([`Output::units`]). Only `commands/` and this module print, and only this
//! module turns the coach's facts into words.

pub mod chart;
pub mod decision;
pub mod explain;
pub mod flags;
pub mod plan;
pub mod review;
pub mod text;
pub mod triage;
pub mod views;

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::model::{Config, Units};
use crate::settings::{Settings, Terminal, display_units};

/// How this call prints: built once from the call's [`Settings`].
#[derive(Clone, Debug)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    pub quiet: bool,
    /// stdin and stderr are terminals: we may ask questions.
    pub interactive: bool,
    /// stdout is a terminal.
    pub stdout_tty: bool,
    pub utf8: bool,
    /// The streams, locale and width this call prints to.
    pub term: Terminal,
    /// `--units`; the display units come from [`Output::units`] with the store's config.
    units_flag: Option<Units>,
}

/// The colours we use, by meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Urgent,
    Warn,
    Info,
    Good,
    Dim,
    Bold,
}

impl Tone {
    fn style(self) -> Style {
        match self {
            Tone::Urgent => Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
            Tone::Warn => Style::new().bold().fg_color(Some(AnsiColor::Yellow.into())),
            Tone::Info => Style::new().fg_color(Some(AnsiColor::Cyan.into())),
            Tone::Good => Style::new().fg_color(Some(AnsiColor::Green.into())),
            Tone::Dim => Style::new().dimmed(),
            Tone::Bold => Style::new().bold(),
        }
    }
}

impl Output {
    /// How a call with these settings prints.
    pub fn new(s: &Settings) -> Output {
        Output {
            json: s.json,
            color: s.color,
            quiet: s.quiet,
            interactive: s.interactive(),
            stdout_tty: s.term.stdout,
            utf8: s.term.utf8,
            term: s.term,
            units_flag: s.units_flag(),
        }
    }

    /// An output for tests and library callers: plain, not interactive, in `units`.
    pub fn plain(units: Units) -> Output {
        Output {
            json: false,
            color: false,
            quiet: false,
            interactive: false,
            stdout_tty: false,
            utf8: true,
            term: Terminal::none(),
            units_flag: Some(units),
        }
    }

    /// The display units of this call for a store with this config (`--units`, else the config).
    pub fn units(&self, config: &Config) -> Units {
        display_units(self.units_flag, config)
    }

    /// Paints text when colour is on.
    pub fn paint(&self, tone: Tone, text: &str) -> String {
        if self.color {
            let style = tone.style();
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Prints the one JSON document of a `--json` call.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let mut out = io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, value).context("cannot write JSON")?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }

    /// Human text for stdout (data the command was asked for). Never used with --json.
    pub fn print(&self, text: &str) -> Result<()> {
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        out.flush()?;
        Ok(())
    }

    /// A confirmation of a change ("logged run 12 …"): stdout in human mode, silenced by -q,
    /// sent to stderr under --json so stdout stays one document.
    pub fn done(&self, text: &str) {
        if self.quiet {
            return;
        }
        if self.json {
            eprintln!("{text}");
        } else {
            let _ = self.print(text);
        }
    }

    /// A message that is not data: always stderr, silenced by -q.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }

    /// A warning: always stderr, even with -q.
    pub fn warn(&self, text: &str) {
        eprintln!("{} {text}", self.paint_err(Tone::Warn, "warning:"));
    }

    fn paint_err(&self, tone: Tone, text: &str) -> String {
        if self.term.stderr && self.color {
            self.paint(tone, text)
        } else {
            text.to_string()
        }
    }

    /// A table in our house style: no outer borders, a rule under the header, fitted to the
    /// terminal, or to 80 columns when stdout is not one.
    pub fn table(&self, header: &[&str]) -> Table {
        let mut t = Table::new();
        // Only a rule under the header: columns are separated by their padding.
        t.load_preset(presets::NOTHING)
            .remove_style(comfy_table::TableComponent::VerticalLines)
            .remove_style(comfy_table::TableComponent::LeftBorder)
            .remove_style(comfy_table::TableComponent::RightBorder)
            .set_style(
                comfy_table::TableComponent::HeaderLines,
                if self.utf8 { '─' } else { '-' },
            )
            .set_style(
                comfy_table::TableComponent::MiddleHeaderIntersections,
                if self.utf8 { '─' } else { '-' },
            )
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_header(header.to_vec());
        let last = header.len().saturating_sub(1);
        for (i, c) in t.column_iter_mut().enumerate() {
            c.set_padding((0, if i == last { 0 } else { 1 }));
        }
        if !self.stdout_tty {
            t.set_width(80);
        }
        if !self.color {
            t.force_no_tty();
        } else {
            t.enforce_styling();
        }
        t
    }

    /// Columns that must never wrap (dates, numbers); the others share what width is left.
    pub fn keep_width(table: &mut Table, columns: &[usize]) {
        for &i in columns {
            if let Some(c) = table.column_mut(i) {
                c.set_constraint(comfy_table::ColumnConstraint::ContentWidth);
            }
        }
    }

    /// Right-aligns the numeric columns of a table built by [`table`](Self::table).
    pub fn align_right(table: &mut Table, columns: &[usize]) {
        for &i in columns {
            if let Some(c) = table.column_mut(i) {
                c.set_cell_alignment(comfy_table::CellAlignment::Right);
            }
        }
    }

    pub fn yes_no(value: Option<bool>) -> &'static str {
        match value {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        }
    }
}
