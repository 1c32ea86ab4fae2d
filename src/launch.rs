//! From the raw command line to a parsed [`Cli`]: the shell-completion protocol, `--help` that
//! names the data folder actually in use, and clap's own words (help, version, usage errors)
//! written like everything else lumbar writes: coloured per stream as `--color` and the
//! environment say, lumbar's glyphs in ASCII under a locale that is not UTF-8, and control
//! characters in what was typed shown as escapes.

use std::ffi::OsString;
use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::output::glyphs;
use crate::output::text::escape;
use crate::settings::{Early, early_data_dir};
use crate::store::Store;

/// Reads the command line, or ends the process: after a completion request (`COMPLETE=bash
/// lumbar -- ...`), `--help`, `--version`, or a usage error (exit 2).
pub fn parse() -> Cli {
    let args: Vec<OsString> = std::env::args_os().collect();
    let early = Early::detect(&args);
    clap_complete::CompleteEnv::with_factory(move || command(early.ascii)).complete();
    let mut cmd = with_data_folder(command(early.ascii), &args);
    match cmd
        .try_get_matches_from_mut(&args)
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => exit_with(&e, &args, early),
    }
}

/// The command line as clap sees it, with lumbar's own help texts folded to ASCII when asked.
pub fn command(ascii: bool) -> clap::Command {
    let cmd = Cli::command();
    if ascii { fold_texts(cmd) } else { cmd }
}

/// Every help text of a command and its subcommands, folded to ASCII (see [`glyphs`]).
fn fold_texts(cmd: clap::Command) -> clap::Command {
    let fold = |s: &clap::builder::StyledStr| glyphs::fold(&s.to_string()).into_owned();
    let mut cmd = cmd.mut_args(|mut a| {
        if let Some(help) = a.get_help().map(fold) {
            a = a.help(help);
        }
        if let Some(long) = a.get_long_help().map(fold) {
            a = a.long_help(long);
        }
        a
    });
    if let Some(about) = cmd.get_about().map(fold) {
        cmd = cmd.about(about);
    }
    if let Some(about) = cmd.get_long_about().map(fold) {
        cmd = cmd.long_about(about);
    }
    if let Some(after) = cmd.get_after_help().map(fold) {
        cmd = cmd.after_help(after);
    }
    if let Some(after) = cmd.get_after_long_help().map(fold) {
        cmd = cmd.after_long_help(after);
    }
    cmd.mut_subcommands(fold_texts)
}

/// Where the store of this call is, and what decided it, for `--help`.
pub fn data_folder(args: &[OsString]) -> Option<(std::path::PathBuf, &'static str)> {
    let flag = early_data_dir(args);
    let env = std::env::var_os("LUMBAR_DATA_DIR").filter(|v| !v.is_empty());
    let why = if flag.is_some() {
        "--data-dir"
    } else if env.is_some() {
        "$LUMBAR_DATA_DIR"
    } else if std::env::var_os("XDG_DATA_HOME").is_some_and(|v| !v.is_empty()) {
        "$XDG_DATA_HOME/lumbar"
    } else {
        "the default"
    };
    let explicit = flag.or(env.map(std::path::PathBuf::from));
    let store = Store::locate(explicit.as_deref()).ok()?;
    Some((store.dir().to_path_buf(), why))
}

/// `--data-dir` and the top-level notes name the folder this call would use.
fn with_data_folder(cmd: clap::Command, args: &[OsString]) -> clap::Command {
    let Some((dir, why)) = data_folder(args) else {
        return cmd;
    };
    let shown = escape(&dir.display().to_string()).into_owned();
    let cmd = cmd.mut_arg("data_dir", |a| {
        a.help(format!("Folder that holds the store [in use: {shown}, from {why}]"))
    });
    let after = cmd.get_after_help().map(|s| s.to_string()).unwrap_or_default();
    let after = after
        .lines()
        .map(|l| {
            if l.starts_with("Data: ") {
                format!("Data: {shown}/lumbar.json (from {why}).")
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    cmd.after_help(after)
}

/// Prints clap's help, version or error the way lumbar prints, and exits with clap's code.
fn exit_with(e: &clap::Error, args: &[OsString], early: Early) -> ! {
    let to_stderr = e.use_stderr();
    let color = if to_stderr {
        early.color_stderr
    } else {
        early.color_stdout
    };
    let rendered = e.render();
    let text = if color {
        rendered.ansi().to_string()
    } else {
        rendered.to_string()
    };
    let text = glyphs::finish(&text, early.ascii);
    // A typed argument with control characters would reach the terminal through clap's quote of
    // it: such errors are printed plain, each line escaped.
    let typed_controls = args.iter().any(|a| a.to_string_lossy().chars().any(|c| c.is_control()));
    let text = if to_stderr && typed_controls {
        let plain = glyphs::finish(&rendered.to_string(), early.ascii).into_owned();
        let lines: Vec<String> = plain
            .split('\n')
            .map(|l| glyphs::unmark(&escape(l)).into_owned())
            .collect();
        lines.join("\n")
    } else {
        text.into_owned()
    };
    let written = if to_stderr {
        std::io::stderr().write_all(text.as_bytes())
    } else {
        let mut out = std::io::stdout().lock();
        out.write_all(text.as_bytes()).and_then(|_| out.flush())
    };
    // A closed pipe (`lumbar --help | head -1`) is not a failure.
    let _ = written;
    std::process::exit(e.exit_code())
}

/// The error that ends a call, on stderr: `error: ` and the cause chain, each line with control
/// characters escaped (a message may quote a file's content), lumbar's glyphs in ASCII under a
/// locale that is not UTF-8, text from outside as typed.
pub fn print_error(e: &anyhow::Error) {
    let text = format!("error: {e:#}");
    let ascii = !crate::settings::locale_is_utf8();
    let lines: Vec<String> = text
        .split('\n')
        .map(|l| glyphs::finish(&escape(l), ascii).into_owned())
        .collect();
    let _ = writeln!(std::io::stderr(), "{}", lines.join("\n"));
}
