//! What one call of lumbar runs with, decided once in `commands::dispatch` and passed down as
//! `&Settings`: the moment of the call, the display units, how much to print and in which form,
//! and what the terminal is. Nothing below reads the clock or the environment for these again.
//!
//! Colour is decided per stream by `anstream` (the crate clap itself uses), so `NO_COLOR`,
//! `CLICOLOR_FORCE`, `CLICOLOR` and `TERM=dumb` mean here what they mean to clap, cargo and
//! ripgrep; `--color always|never` overrides them all.

use std::ffi::OsString;
use std::io::IsTerminal;

use chrono::{DateTime, FixedOffset};

use crate::cli::{ColorWhen, GlobalArgs};
use crate::model::{Config, Units, when};

/// The width a terminal is taken to have when it does not say and `COLUMNS` is not set.
pub const FALLBACK_WIDTH: u16 = 80;

/// The streams and locale this call runs with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terminal {
    pub stdin: bool,
    pub stdout: bool,
    pub stderr: bool,
    /// The locale is UTF-8 (or names none), so lumbar's own glyphs can be shown.
    pub utf8: bool,
    /// When stdout is a terminal, its columns: as the terminal says, else `COLUMNS`, else 80.
    /// `None` when stdout is not a terminal: piped output has no width limit.
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
            width: stdout.then(terminal_width),
        }
    }

    /// Lumbar's own glyphs are to be written as ASCII (the locale is not UTF-8).
    pub fn ascii(&self) -> bool {
        !self.utf8
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
    /// ANSI colour on stderr, decided apart from stdout (`lumbar coach 2>log` keeps its colours).
    pub color_stderr: bool,
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
            color: decide_color(g.color_when(), &std::io::stdout()),
            color_stderr: decide_color(g.color_when(), &std::io::stderr()),
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
            color_stderr: false,
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

/// Colour on one stream. `always` and `never` are final; `auto` is anstream's answer: off with a
/// non-empty `NO_COLOR`, on with a non-empty `CLICOLOR_FORCE`, off with `CLICOLOR=0`, else on
/// only on a terminal whose `TERM` is set and not `dumb`, or on any terminal when `CI` is set
/// (CI logs show colour whatever `TERM` says; cargo and clap do the same).
pub fn decide_color(when: ColorWhen, stream: &impl anstream::stream::RawStream) -> bool {
    match when {
        ColorWhen::Always => true,
        ColorWhen::Never => false,
        ColorWhen::Auto => anstream::AutoStream::choice(stream) != anstream::ColorChoice::Never,
    }
}

/// The columns of the terminal stdout is on: as it says, else `COLUMNS`, else 80.
fn terminal_width() -> u16 {
    crossterm::terminal::window_size()
        .ok()
        .map(|w| w.columns)
        .filter(|c| *c > 0)
        .or_else(|| std::env::var("COLUMNS").ok()?.trim().parse().ok().filter(|c| *c > 0))
        .unwrap_or(FALLBACK_WIDTH)
}

/// What must be known before the command line is parsed, for clap's own words (`--help`,
/// `--version`, usage errors): the colour of each stream and whether glyphs must be ASCII, from
/// the raw arguments and the environment. The last `--color`/`--no-color` wins, as clap would have it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Early {
    pub color_stdout: bool,
    pub color_stderr: bool,
    pub ascii: bool,
}

impl Early {
    pub fn detect(args: &[OsString]) -> Early {
        let when = early_color(args);
        Early {
            color_stdout: decide_color(when, &std::io::stdout()),
            color_stderr: decide_color(when, &std::io::stderr()),
            ascii: !locale_is_utf8(),
        }
    }
}

/// `--color WHEN`, `--color=WHEN` or `--no-color` among raw arguments (before a `--`).
pub fn early_color(args: &[OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut words = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = words.next() {
        let value = match a.as_ref() {
            "--" => break,
            "--no-color" => {
                when = ColorWhen::Never;
                continue;
            }
            "--color" => words.next().map(|v| v.into_owned()),
            a => a.strip_prefix("--color=").map(str::to_string),
        };
        if let Some(v) = value.and_then(|v| <ColorWhen as clap::ValueEnum>::from_str(&v, true).ok()) {
            when = v;
        }
    }
    when
}

/// `--data-dir DIR` or `--data-dir=DIR` among raw arguments (before a `--`), for `--help`.
pub fn early_data_dir(args: &[OsString]) -> Option<std::path::PathBuf> {
    let mut found = None;
    let mut words = args.iter().skip(1);
    while let Some(a) = words.next() {
        let text = a.to_string_lossy();
        if text == "--" {
            break;
        } else if text == "--data-dir" {
            found = words.next().map(std::path::PathBuf::from);
        } else if let Some(v) = text.strip_prefix("--data-dir=") {
            found = Some(std::path::PathBuf::from(v));
        }
    }
    found
}

/// Whether the terminal can show Unicode, from the usual locale variables.
pub fn locale_is_utf8() -> bool {
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

    fn args(words: &[&str]) -> Vec<OsString> {
        words.iter().map(OsString::from).collect()
    }

    #[test]
    fn the_last_colour_choice_before_a_double_dash_wins() {
        assert_eq!(early_color(&args(&["lumbar", "stats"])), ColorWhen::Auto);
        assert_eq!(early_color(&args(&["lumbar", "--color", "always"])), ColorWhen::Always);
        assert_eq!(
            early_color(&args(&["lumbar", "--color=never", "stats"])),
            ColorWhen::Never
        );
        assert_eq!(
            early_color(&args(&["lumbar", "--color", "always", "--no-color"])),
            ColorWhen::Never
        );
        assert_eq!(
            early_color(&args(&["lumbar", "--no-color", "--color=always"])),
            ColorWhen::Always
        );
        assert_eq!(early_color(&args(&["lumbar", "--", "--color=always"])), ColorWhen::Auto);
        assert_eq!(early_color(&args(&["lumbar", "--color", "purple"])), ColorWhen::Auto);
    }

    #[test]
    fn the_data_dir_is_found_in_both_spellings() {
        assert_eq!(early_data_dir(&args(&["lumbar", "--help"])), None);
        assert_eq!(
            early_data_dir(&args(&["lumbar", "--data-dir", "/a", "run", "--help"])),
            Some("/a".into())
        );
        assert_eq!(
            early_data_dir(&args(&["lumbar", "stats", "--data-dir=/b"])),
            Some("/b".into())
        );
        assert_eq!(early_data_dir(&args(&["lumbar", "--", "--data-dir=/b"])), None);
    }

    #[test]
    fn forced_choices_ignore_the_stream() {
        assert!(decide_color(ColorWhen::Always, &std::io::stdout()));
        assert!(!decide_color(ColorWhen::Never, &std::io::stdout()));
    }
}
