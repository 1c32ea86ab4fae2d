//! What one call of lumbar runs with, decided once in `commands::dispatch` and passed down as
//! `&Settings`: the moment of the call, the display units, how much to print and in which form,
//! and what the terminal is. Nothing below reads the clock or the environment for these again.

use std::io::IsTerminal;

use chrono::{DateTime, FixedOffset};

use crate::cli::GlobalArgs;
use crate::model::{Config, Units, when};

/// The streams and locale this call runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// The locale is UTF-8 (or names none), so lumbar's own glyphs can be shown.
    pub utf8: bool,
    /// Columns of the terminal stdout is on, when it is one and says.
    pub width: Option<u16>,
}

impl Terminal {
    /// The streams of this process and the locale of its environment.
    pub fn detect() -> Terminal {
        let stdout = std::io::stdout().is_terminal();
        Terminal {
            stdin: std::io::stdin().is_terminal(),
            stdout,
            stderr: std::io::stderr().is_terminal(),
            utf8: locale_is_utf8(),
            // Asked of the terminal itself (no `tput` fallback): only when stdout is one.
            width: if stdout {
                crossterm::terminal::window_size()
                    .ok()
                    .map(|w| w.columns)
                    .filter(|c| *c > 0)
            } else {
                None
            },
        }
    }

    /// No terminal anywhere, UTF-8: what tests and pipes see.
    pub fn none() -> Terminal {
        Terminal {
            stdin: false,
            stdout: false,
            stderr: false,
            utf8: true,
            width: None,
        }
    }
}

/// One call's settings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// The moment of this call. The clock is read once, here; every "now", "today", default
    /// date and "in the future" check of the call uses this value.
    pub now: DateTime<FixedOffset>,
    /// `--units`; `None` follows the config, see [`Settings::units`].
    units: Option<Units>,
    /// `--json`: one JSON document on stdout.
    pub json: bool,
    /// `-q`: only essential output.
    pub quiet: bool,
    /// ANSI colour on stdout (see [`decide_color`]).
    pub color: bool,
    pub term: Terminal,
}

impl Settings {
    /// Reads the clock, the streams and the environment, once.
    pub fn from_args(g: &GlobalArgs) -> Settings {
        let term = Terminal::detect();
        Settings {
            now: when::now(),
            units: g.units,
            json: g.json,
            quiet: g.quiet,
            color: decide_color(g.no_color, &term),
            term,
        }
    }

    /// Plain settings at a given moment, with no terminal: for tests and library callers.
    pub fn plain(now: DateTime<FixedOffset>, units: Option<Units>) -> Settings {
        Settings {
            now,
            units,
            json: false,
            quiet: false,
            color: false,
            term: Terminal::none(),
        }
    }

    /// The display units of this call: `--units` when given, else the runner's config. The one
    /// place they are decided, so a flag, a table and a summary of one call always agree.
    pub fn units(&self, config: &Config) -> Units {
        display_units(self.units, config)
    }

    /// `--units` as typed, if it was.
    pub fn units_flag(&self) -> Option<Units> {
        self.units
    }

    /// stdin and stderr are terminals: questions may be asked.
    pub fn interactive(&self) -> bool {
        self.term.stdin && self.term.stderr
    }
}

/// `--units` when given, else the config's units.
pub(crate) fn display_units(flag: Option<Units>, config: &Config) -> Units {
    flag.unwrap_or(config.units)
}

/// Colour on stdout: a terminal, no `--no-color`, no non-empty `NO_COLOR`, and `TERM` not `dumb`.
/// (A `--color auto|always|never` choice and `CLICOLOR_FORCE` belong here too.)
fn decide_color(no_color: bool, term: &Terminal) -> bool {
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb");
    term.stdout && !no_color && !no_color_env && !dumb
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_follow_the_flag_then_the_config() {
        let now = DateTime::parse_from_rfc3339("2026-11-25T20:00:00+00:00").unwrap();
        let mi = Config {
            units: Units::Mi,
            ..Config::default()
        };
        assert_eq!(Settings::plain(now, None).units(&mi), Units::Mi);
        assert_eq!(Settings::plain(now, Some(Units::Km)).units(&mi), Units::Km);
        assert_eq!(Settings::plain(now, None).units(&Config::default()), Units::Km);
        assert!(!Settings::plain(now, None).interactive());
    }
}
