//! Everything a person or a script sees. Chosen once per call: human text or one JSON document,
//! colour or not, which units, how much to say. Only `commands/` and this module print.

pub mod chart;
pub mod flags;
pub mod text;
pub mod triage;
pub mod views;

use std::io::{self, IsTerminal, Write};

use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::model::Units;

/// How this call prints.
#[derive(Clone, Debug)]
pub struct Output {
    pub json: bool,
    pub color: bool,
    pub units: Units,
    pub quiet: bool,
    /// stdin and stderr are terminals: we may ask questions.
    pub interactive: bool,
    /// stdout is a terminal.
    pub stdout_tty: bool,
    pub utf8: bool,
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
    /// Decides colour and interactivity once, from the flags and the environment.
    pub fn new(json: bool, no_color: bool, units: Units, quiet: bool) -> Output {
        let stdout_tty = io::stdout().is_terminal();
        let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
        let interactive = io::stdin().is_terminal() && io::stderr().is_terminal();
        Output {
            json,
            color: stdout_tty && !no_color && !no_color_env && !dumb,
            units,
            quiet,
            interactive,
            stdout_tty,
            utf8: locale_is_utf8(),
        }
    }

    /// An output for tests and library callers: plain, not interactive.
    pub fn plain(units: Units) -> Output {
        Output {
            json: false,
            color: false,
            units,
            quiet: false,
            interactive: false,
            stdout_tty: false,
            utf8: true,
        }
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
        if io::stderr().is_terminal() && self.color {
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

/// Whether the terminal can show Unicode, from the usual locale variables.
fn locale_is_utf8() -> bool {
    for var in ["LC_ALL", "LC_CTYPE", "LANG"] {
        if let Ok(v) = std::env::var(var)
            && !v.is_empty()
        {
            let v = v.to_ascii_lowercase();
            return v.contains("utf-8") || v.contains("utf8");
        }
    }
    // No locale set at all (common in containers and CI): modern terminals are UTF-8.
    true
}
