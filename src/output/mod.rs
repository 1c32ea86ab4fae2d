//! Everything a person or a script sees. Chosen once per call from its settings: human text or
//! one JSON document, colour or not, how much to say; the display units follow `--units`, else
//! the store's config ([`Output::units`]). Only `commands/` and this module print, and only this
//! module turns the coach's facts into words.

pub mod chart;
pub mod decision;
pub mod explain;
pub mod flags;
pub mod glyphs;
pub mod review;
pub mod table;
pub mod text;
pub mod triage;
pub mod views;

use std::borrow::Cow;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use serde::Serialize;

use crate::model::{Config, Units};
use crate::settings::{Settings, Terminal, display_units};

pub use table::{Cell, Column, Table};

/// How this call prints: built once from the call's [`Settings`].
#[derive(Clone, Debug)]
pub struct Output {
    pub json: bool,
    /// Colour on stdout.
    pub color: bool,
    /// Colour on stderr (warnings, prompts).
    pub color_stderr: bool,
    pub quiet: bool,
    /// stdin and stderr are terminals: we may ask questions.
    pub interactive: bool,
    /// The locale shows Unicode; when not, lumbar's own glyphs are written as ASCII.
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
            color_stderr: s.color_stderr,
            quiet: s.quiet,
            interactive: s.interactive(),
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
            color_stderr: false,
            quiet: false,
            interactive: false,
            utf8: true,
            term: Terminal::none(),
            units_flag: Some(units),
        }
    }

    /// The display units of this call for a store with this config (`--units`, else the config).
    pub fn units(&self, config: &Config) -> Units {
        display_units(self.units_flag, config)
    }

    /// lumbar's own glyphs are written as ASCII in this call.
    pub fn ascii(&self) -> bool {
        !self.utf8
    }

    /// `text` as this call writes it: lumbar's glyphs in ASCII when the locale needs it, text
    /// from outside as typed (see [`glyphs`]). Every method here that prints applies it; code
    /// that writes to a stream itself (a prompt, the timer) calls it.
    pub fn finish<'a>(&self, text: &'a str) -> Cow<'a, str> {
        glyphs::finish(text, self.ascii())
    }

    /// The width tables and prose may use on stdout: the terminal's, or `None` for a pipe.
    pub fn width(&self) -> Option<usize> {
        self.term.width.map(usize::from)
    }

    /// Prose wrapped to this call's width ([`prose_width`](Self::prose_width)).
    pub fn wrap(&self, text: &str, first: &str, rest: &str) -> String {
        self.wrap_lines(text, first, rest).join("\n")
    }

    /// A one-line message ("Logged run ...", a flag after an entry) wrapped to a terminal's width,
    /// and left whole when stdout is not a terminal, so a pipe gets one line to `grep`.
    pub fn wrap_on_terminal(&self, text: &str, first: &str, rest: &str) -> String {
        match self.width() {
            Some(_) => self.wrap(text, first, rest),
            None => format!("{first}{text}"),
        }
    }

    /// [`wrap`](Self::wrap), as lines.
    pub fn wrap_lines(&self, text: &str, first: &str, rest: &str) -> Vec<String> {
        text::wrap_lines(text, self.prose_width(), first, rest)
    }

    /// The width prose is wrapped to on stdout: 80 columns, or the terminal's when narrower.
    pub fn prose_width(&self) -> usize {
        self.width().map_or(text::DEFAULT_WIDTH, |w| w.min(text::DEFAULT_WIDTH))
    }

    /// Paints text for stdout when colour is on there.
    pub fn paint(&self, tone: Tone, text: &str) -> String {
        paint(self.color, tone, text)
    }

    /// Paints text for stderr when colour is on there.
    pub fn paint_stderr(&self, tone: Tone, text: &str) -> String {
        paint(self.color_stderr, tone, text)
    }

    /// Prints the one JSON document of a `--json` call. Every character is kept as it is;
    /// under a locale that is not UTF-8 those beyond ASCII are written as `\u` escapes, which
    /// every JSON reader turns back into the same text.
    pub fn json<T: Serialize + ?Sized>(&self, value: &T) -> Result<()> {
        let text = serde_json::to_string_pretty(value).context("cannot write JSON")?;
        let text = glyphs::unmark(&text);
        let text = if self.ascii() { ascii_json(&text) } else { text };
        let mut out = io::stdout().lock();
        out.write_all(text.as_bytes())?;
        writeln!(out)?;
        out.flush()?;
        Ok(())
    }

    /// Human text for stdout (data the command was asked for). Never used with --json.
    pub fn print(&self, text: &str) -> Result<()> {
        let text = self.finish(text);
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
            eprintln!("{}", self.finish(text));
        } else {
            let _ = self.print(text);
        }
    }

    /// What `-q` keeps besides the new id: a red flag, an urgent coach flag. On stdout normally;
    /// on stderr under `-q`, whose stdout holds the id alone (`id=$(lumbar -q run add ...)`).
    pub fn essential(&self, text: &str) -> Result<()> {
        if self.quiet {
            eprintln!("{}", self.finish(text));
            Ok(())
        } else {
            self.print(text)
        }
    }

    /// A message that is not data: always stderr, silenced by -q.
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{}", self.finish(text));
        }
    }

    /// A warning: always stderr, even with -q.
    pub fn warn(&self, text: &str) {
        eprintln!("{} {}", self.paint_stderr(Tone::Warn, "warning:"), self.finish(text));
    }

    pub fn yes_no(value: Option<bool>) -> &'static str {
        match value {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        }
    }
}

fn paint(on: bool, tone: Tone, text: &str) -> String {
    if on {
        let style = tone.style();
        format!("{}{text}{}", style.render(), style.render_reset())
    } else {
        text.to_string()
    }
}

/// JSON text with every character beyond ASCII written as a `\u` escape (a surrogate pair
/// beyond the first plane). Outside strings JSON is ASCII, so this changes only string contents
/// and never their meaning.
fn ascii_json(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut units = [0u16; 2];
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::ascii_json;

    #[test]
    fn ascii_json_reads_back_as_the_same_text() {
        let doc = serde_json::json!({"notes": "blå → 🏃 “x”", "n": 1});
        let text = serde_json::to_string(&doc).unwrap();
        let ascii = ascii_json(&text);
        assert!(ascii.is_ascii(), "{ascii}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&ascii).unwrap(), doc);
    }
}
