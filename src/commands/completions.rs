//! `lumbar completions SHELL` and `lumbar man`, both generated from the clap types in `cli.rs`
//! so they can never disagree with the real command line.
//!
//! Completions use clap_complete's own engine: the script `lumbar completions SHELL` prints
//! registers lumbar with the shell, and at each Tab the shell asks lumbar itself
//! (`COMPLETE=bash lumbar -- lumbar run add --shoe Peg`), which answers from the same clap
//! command, so every closed set (surfaces, areas, routines, config keys, ...) and the names and
//! ids in the store ([`candidates`]) complete.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::CommandFactory;

use super::Ctx;
use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::error::{InputError, UsageError};
use crate::fsutil::{self, shown};

/// The environment variable the completion protocol runs under (clap_complete's default).
const COMPLETE_VAR: &str = "COMPLETE";

pub fn completions(a: CompletionsArgs) -> Result<()> {
    let name = shell_name(a.shell);
    let shells = clap_complete::env::Shells::builtins();
    let shell = shells
        .completer(name)
        .with_context(|| format!("no completion support for {name}"))?;
    let mut buf = Vec::new();
    shell
        .write_registration(COMPLETE_VAR, "lumbar", "lumbar", &completer_path(), &mut buf)
        .context("cannot write the completion script")?;
    emit(&buf)
}

fn shell_name(shell: clap_complete::Shell) -> &'static str {
    match shell {
        clap_complete::Shell::Bash => "bash",
        clap_complete::Shell::Elvish => "elvish",
        clap_complete::Shell::Fish => "fish",
        clap_complete::Shell::PowerShell => "powershell",
        clap_complete::Shell::Zsh => "zsh",
        _ => "bash",
    }
}

/// The program the shell calls back at each Tab: this binary as it was invoked, made absolute
/// when it was named by a path (as clap_complete does), so the script keeps working from any
/// folder; a bare name is found on `PATH`.
fn completer_path() -> String {
    let invoked = std::env::args_os()
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| "lumbar".into());
    let path = if invoked.components().count() > 1 {
        std::path::absolute(&invoked).unwrap_or(invoked)
    } else {
        invoked
    };
    path.to_string_lossy().into_owned()
}

/// The candidates for values, as clap_complete asks for them. The closed sets come from the
/// types that parse them; the store's names and ids are read read-only, and any problem (no
/// store, an unreadable one) gives no candidates rather than an error in the middle of a line.
pub mod candidates {
    use clap_complete::CompletionCandidate;

    use crate::model::{Area, DESCRIPTORS, Data, Side, Surface, Timing, Units};
    use crate::store::Store;

    fn plain(names: &[&str]) -> Vec<CompletionCandidate> {
        names.iter().map(|n| CompletionCandidate::new(*n)).collect()
    }

    fn described(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<CompletionCandidate> {
        pairs
            .into_iter()
            .map(|(value, help)| CompletionCandidate::new(value).help(Some(help.into())))
            .collect()
    }

    pub fn surfaces() -> Vec<CompletionCandidate> {
        let mut c = plain(Surface::NAMES);
        c.push(CompletionCandidate::new("road").help(Some("asphalt".into())));
        c
    }

    pub fn weekdays() -> Vec<CompletionCandidate> {
        plain(&crate::cli::LongDay::NAMES)
    }

    pub fn areas() -> Vec<CompletionCandidate> {
        plain(Area::NAMES)
    }

    pub fn sides() -> Vec<CompletionCandidate> {
        plain(Side::NAMES)
    }

    pub fn timings() -> Vec<CompletionCandidate> {
        plain(Timing::NAMES)
    }

    /// Red-flag ids with their question, then the plain descriptors.
    pub fn symptoms() -> Vec<CompletionCandidate> {
        let cat = crate::redflags::catalogue();
        let mut c = described(cat.symptoms.iter().map(|s| (s.id.clone(), s.question.clone())));
        c.extend(
            DESCRIPTORS
                .iter()
                .map(|d| CompletionCandidate::new(*d).help(Some("descriptor".into()))),
        );
        c
    }

    pub fn routines() -> Vec<CompletionCandidate> {
        described(
            crate::content::routines()
                .iter()
                .map(|r| (r.id.clone(), r.title.clone())),
        )
    }

    pub fn config_keys() -> Vec<CompletionCandidate> {
        described(
            crate::commands::config::KEYS
                .iter()
                .map(|(k, _, m)| (k.to_string(), m.to_string())),
        )
    }

    /// The value of `config set KEY VALUE`, for the key typed before it.
    pub fn config_values(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
        let args: Vec<String> = line().iter().map(|w| w.to_string_lossy().into_owned()).collect();
        let key = args
            .iter()
            .position(|a| a == "set")
            .and_then(|i| args.get(i + 1))
            .map(|k| k.to_ascii_lowercase().replace('_', "-"));
        let values = match key.as_deref() {
            Some("units") => [Units::Km, Units::Mi].iter().map(|u| u.label().to_string()).collect(),
            Some("surface") => Surface::NAMES.iter().chain(&["none"]).map(|s| s.to_string()).collect(),
            Some("age") => vec!["none".to_string()],
            _ => Vec::new(),
        };
        let typed = current.to_string_lossy();
        values
            .into_iter()
            .filter(|v| v.starts_with(typed.as_ref()))
            .map(CompletionCandidate::new)
            .collect()
    }

    /// The words of the line being completed: the completion protocol runs
    /// `lumbar -- lumbar WORDS...`, so what follows the first `--`, program name first.
    fn line() -> Vec<std::ffi::OsString> {
        let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
        match args.iter().position(|a| a == "--") {
            Some(i) => args[i + 1..].to_vec(),
            None => args,
        }
    }

    /// `lumbar man WORDS`: the commands under the words already typed after `man`.
    pub fn command_words(current: &std::ffi::OsStr) -> Vec<CompletionCandidate> {
        let words: Vec<String> = line().iter().map(|w| w.to_string_lossy().into_owned()).collect();
        let after_man = words
            .iter()
            .position(|w| w == "man")
            .map_or(&[][..], |i| &words[i + 1..]);
        // The last word is the one being completed.
        let before = &after_man[..after_man.len().saturating_sub(1)];
        let root = <crate::cli::Cli as clap::CommandFactory>::command();
        let mut cmd = &root;
        for w in before {
            match cmd.get_subcommands().find(|s| s.get_name() == w.as_str()) {
                Some(sub) => cmd = sub,
                None => return Vec::new(),
            }
        }
        let typed = current.to_string_lossy();
        cmd.get_subcommands()
            .filter(|s| s.get_name() != "help" && s.get_name().starts_with(typed.as_ref()))
            .map(|s| CompletionCandidate::new(s.get_name().to_string()).help(s.get_about().cloned()))
            .collect()
    }

    /// The store of the line being completed: its `--data-dir`, else `LUMBAR_DATA_DIR`, else the
    /// default, read without a lock and without writing anything.
    fn stored() -> Option<Data> {
        let dir = crate::settings::early_data_dir(&line()).or_else(|| {
            std::env::var_os("LUMBAR_DATA_DIR")
                .filter(|v| !v.is_empty())
                .map(Into::into)
        });
        Store::locate(dir.as_deref()).ok()?.load().ok()
    }

    /// Pairs in use, by name (`none` for no shoe), with their id.
    pub fn shoes() -> Vec<CompletionCandidate> {
        let Some(data) = stored() else {
            return Vec::new();
        };
        let mut c = described(
            data.shoes
                .iter()
                .filter(|s| !s.removed && !s.retired)
                .map(|s| (s.name.clone(), format!("shoe {}", s.id))),
        );
        c.push(CompletionCandidate::new("none").help(Some("no shoe".into())));
        c
    }

    /// Every pair, retired ones too (`shoes retire|default|rename|rm`).
    pub fn all_shoes() -> Vec<CompletionCandidate> {
        let Some(data) = stored() else {
            return Vec::new();
        };
        described(
            data.shoes
                .iter()
                .filter(|s| !s.removed)
                .map(|s| (s.name.clone(), format!("shoe {}", s.id))),
        )
    }

    /// Run ids, newest first, each with its date and distance.
    pub fn run_ids() -> Vec<CompletionCandidate> {
        let Some(data) = stored() else {
            return Vec::new();
        };
        let units = data.config.units;
        described(data.runs.iter().rev().map(|r| {
            (
                r.id.to_string(),
                format!("{} {}", r.start.format("%Y-%m-%d %H:%M"), r.distance().display(units)),
            )
        }))
    }

    /// `--run`: `last`, then the run ids.
    pub fn run_refs() -> Vec<CompletionCandidate> {
        let mut c = vec![CompletionCandidate::new("last").help(Some("the latest run".into()))];
        c.extend(run_ids());
        c
    }

    /// Pain ids, newest first, each with its date and level.
    pub fn pain_ids() -> Vec<CompletionCandidate> {
        let Some(data) = stored() else {
            return Vec::new();
        };
        described(data.pain.iter().rev().map(|p| {
            (
                p.id.to_string(),
                format!("{} pain {}", p.at.format("%Y-%m-%d %H:%M"), p.level.0),
            )
        }))
    }
}

// ---------------------------------------------------------------------------------------------
// Man pages

/// `lumbar man [COMMAND...]` prints one page; `lumbar man --dir DIR` writes them all.
pub fn man(ctx: &Ctx, a: ManArgs) -> Result<()> {
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    if let Some(dir) = a.dir {
        return write_pages(ctx, &root, &dir, a.force);
    }
    let mut cmd = &root;
    for (depth, word) in a.command.iter().enumerate() {
        let found = cmd.get_subcommands().find(|s| s.get_name() == word.as_str());
        cmd = found.ok_or_else(|| unknown_command(cmd, &a.command[..=depth]))?;
    }
    emit(&page(cmd, &root))
}

/// The last word typed was not a command under the words before it.
fn unknown_command(parent: &clap::Command, typed: &[String]) -> InputError {
    let names: Vec<&str> = parent.get_subcommands().map(|s| s.get_name()).collect();
    let under = match typed.split_last() {
        Some((_, before)) if !before.is_empty() => format!("a command of `lumbar {}`", before.join(" ")),
        _ => "a lumbar command".to_string(),
    };
    let last = typed.last().map(String::as_str).unwrap_or_default();
    InputError::new("command", last, &format!("{under}: one of {}", names.join(", "))).suggesting(&names)
}

/// Every command, depth first: the root, `run`, `run add`, ...
fn every_command(cmd: &clap::Command) -> Vec<&clap::Command> {
    let mut all = vec![cmd];
    for sub in cmd.get_subcommands() {
        all.extend(every_command(sub));
    }
    all
}

/// The file name of a command's page: `lumbar.1`, `lumbar-run-add.1`.
fn file_name(cmd: &clap::Command) -> String {
    format!("{}.1", cmd.get_display_name().unwrap_or_else(|| cmd.get_name()))
}

/// Writes every page into `dir` with export's rules (`fsutil::write_new_file`): each page
/// whole or not at all, never over the store, its backups or its lock, never over anything that
/// is not a regular file, and over an existing page only with `force`. Every page is checked
/// before the first is written, so a refusal writes nothing.
fn write_pages(ctx: &Ctx, root: &clap::Command, dir: &Path, force: bool) -> Result<()> {
    let pages: Vec<(PathBuf, Vec<u8>)> = every_command(root)
        .into_iter()
        .map(|c| (dir.join(file_name(c)), page(c, root)))
        .collect();
    let keep = ctx.store.keep();
    if !dir.exists() {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create the folder {}", shown(dir)))?;
    }
    for (path, _) in &pages {
        refuse_in_words(path, force)?;
        fsutil::check_new_file(path, force, &keep, fsutil::OutputFlag::OUTPUT)?;
    }
    for (path, bytes) in &pages {
        let written = fsutil::write_new_file(path, bytes, force, &keep, fsutil::OutputFlag::OUTPUT)?;
        set_readable(&written);
    }
    if ctx.out.json {
        let files: Vec<String> = pages.iter().map(|(p, _)| p.display().to_string()).collect();
        return ctx.out.json(&serde_json::json!({ "written": files }));
    }
    ctx.out.done(&format!(
        "Wrote {} man pages to {} (read one with `man -l {}`)",
        pages.len(),
        shown(dir),
        shown(&pages[0].0)
    ));
    Ok(())
}

/// export's refusals, in the words of `man --dir`.
fn refuse_in_words(path: &Path, force: bool) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    if !meta.is_file() {
        return Err(UsageError(format!(
            "{} is {}, not a regular file; lumbar writes pages only as regular files: choose another --dir",
            shown(path),
            fsutil::kind(&meta)
        ))
        .into());
    }
    if !force {
        return Err(UsageError(format!(
            "{} already exists; pass --force to replace the pages, or choose another --dir",
            shown(path)
        ))
        .into());
    }
    Ok(())
}

/// Man pages are for everyone to read, unlike the health data the private temp file was for.
#[cfg(unix)]
fn set_readable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644));
}

#[cfg(not(unix))]
fn set_readable(_: &Path) {}

/// One command's page: clap_mangen's sections, then EXAMPLES, EXIT STATUS, ENVIRONMENT, FILES
/// and SEE ALSO; the top page also lists every command with its usage. Characters beyond ASCII
/// are written as groff's `\[uXXXX]`, so the page needs no guess at its encoding.
fn page(cmd: &clap::Command, root: &clap::Command) -> Vec<u8> {
    let is_root = std::ptr::eq(cmd, root);
    // clap_mangen's EXTRA section would hold the examples under a name nobody looks for.
    let man = clap_mangen::Man::new(cmd.clone().after_help(None::<&str>).after_long_help(None::<&str>));
    let mut buf = Vec::new();
    let rendered = man
        .render_title(&mut buf)
        .and_then(|_| man.render_name_section(&mut buf))
        .and_then(|_| man.render_synopsis_section(&mut buf))
        .and_then(|_| man.render_description_section(&mut buf))
        .and_then(|_| {
            if cmd.get_arguments().any(|a| !a.is_hide_set()) {
                man.render_options_section(&mut buf)
            } else {
                Ok(())
            }
        })
        .and_then(|_| {
            if cmd.has_subcommands() {
                man.render_subcommands_section(&mut buf)
            } else {
                Ok(())
            }
        });
    // Writing into memory cannot fail.
    debug_assert!(rendered.is_ok());
    if is_root {
        buf.extend_from_slice(b".SH COMMANDS\n");
        buf.extend_from_slice(
            b"Every command also takes the options above; each has its own page, and `lumbar COMMAND --help`.\n",
        );
        commands_section(cmd, &mut buf);
    }
    if let Some(after) = cmd.get_after_help() {
        let text = after.to_string();
        let (examples, rest) = match text.split_once("\n\n") {
            Some((e, r)) => (e.to_string(), Some(r.to_string())),
            None => (text.clone(), None),
        };
        buf.extend_from_slice(b".SH EXAMPLES\n");
        preformatted(examples.trim_start_matches("Examples:\n"), &mut buf);
        if let Some(rest) = rest {
            buf.extend_from_slice(b".PP\n");
            preformatted(&rest, &mut buf);
        }
    }
    standard_sections(cmd, &mut buf);
    see_also(cmd, root, &mut buf);
    buf.extend_from_slice(format!(".SH VERSION\nlumbar {}\n", env!("CARGO_PKG_VERSION")).as_bytes());
    ascii_roff(&buf)
}

/// EXIT STATUS, ENVIRONMENT and FILES, the same on every page but for what a command adds.
fn standard_sections(cmd: &clap::Command, buf: &mut Vec<u8>) {
    let mut exits = vec![
        ("0", "Done."),
        (
            "1",
            "Anything else: a file that cannot be read or written, a store that cannot be read.",
        ),
        (
            "2",
            "Bad input: a usage error, a value out of range or in an unknown form (the message names the field and the accepted forms), a file that cannot be parsed, a question that needs a terminal or --yes. Nothing is stored.",
        ),
    ];
    if cmd.get_arguments().any(|a| a.get_id() == "check") {
        exits.push((
            "3",
            "With --check: the coach says hold (an easy or shorter run, or walk-run).",
        ));
        exits.push(("4", "With --check: the coach says rest."));
    }
    buf.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for (code, what) in exits {
        tagged(code, what, buf);
    }
    buf.extend_from_slice(b".SH ENVIRONMENT\n");
    for (var, what) in [
        (
            "LUMBAR_DATA_DIR",
            "The folder that holds the store, as --data-dir (which wins over it).",
        ),
        (
            "XDG_DATA_HOME",
            "Without either, the store is in $XDG_DATA_HOME/lumbar, else in ~/.local/share/lumbar.",
        ),
        ("NO_COLOR", "When set and not empty, no colour (unless --color always)."),
        (
            "CLICOLOR_FORCE",
            "When set and not empty, colour even when not on a terminal (unless NO_COLOR or --color never).",
        ),
        (
            "TERM",
            "With auto colour, dumb (or unset) means no colour, except under CI.",
        ),
        (
            "CI",
            "When set, auto colour paints a terminal whatever TERM says, as cargo does (NO_COLOR still wins).",
        ),
        (
            "COLUMNS",
            "The width of a terminal that does not say its own; tables fit it by leaving out their least important columns. Output that is not a terminal has no width limit.",
        ),
        (
            "TZ",
            "The time zone dates are typed and shown in; every stored time keeps its UTC offset.",
        ),
        (
            "LC_ALL, LC_CTYPE, LANG",
            "The first one set decides the character set: when it is not UTF-8, lumbar writes its own symbols as ASCII (text you typed is shown as typed) and --json escapes every character beyond ASCII.",
        ),
        (
            "COMPLETE",
            "Set by the script of lumbar completions when the shell asks for completions; not for other use.",
        ),
    ] {
        tagged(var, what, buf);
    }
    buf.extend_from_slice(b".SH FILES\n");
    for (file, what) in [
        (
            "DIR/lumbar.json",
            "The store: every run, pain entry, shoe and setting, in one JSON file (DIR is --data-dir, $LUMBAR_DATA_DIR, $XDG_DATA_HOME/lumbar or ~/.local/share/lumbar). Owner-only permissions.",
        ),
        (
            "DIR/backups/lumbar.json.DATE.bak",
            "The versions a change replaced, named by their UTC date and time; the newest few are kept (a copy made before demo replaced real data is kept for good). To go back, copy one over lumbar.json.",
        ),
        (
            "DIR/lumbar.lock",
            "Held while a command changes the store, so that two lumbar processes never overwrite each other.",
        ),
    ] {
        tagged(file, what, buf);
    }
}

/// SEE ALSO: the top page, the parent, and the pages below this one.
fn see_also(cmd: &clap::Command, root: &clap::Command, buf: &mut Vec<u8>) {
    let mut pages: Vec<String> = Vec::new();
    let name = cmd.get_display_name().unwrap_or_else(|| cmd.get_name());
    if !std::ptr::eq(cmd, root) {
        pages.push("lumbar(1)".into());
        if let Some((parent, _)) = name.rsplit_once('-')
            && parent != "lumbar"
        {
            pages.push(format!("{parent}(1)"));
        }
    }
    pages.extend(
        cmd.get_subcommands()
            .map(|s| format!("{}(1)", s.get_display_name().unwrap_or_else(|| s.get_name()))),
    );
    if pages.is_empty() {
        return;
    }
    buf.extend_from_slice(b".SH \"SEE ALSO\"\n");
    let refs: Vec<String> = pages
        .iter()
        .map(|p| {
            let (n, s) = p.split_once('(').unwrap_or((p, "1)"));
            format!("\\fB{}\\fR({}", roff(n), s)
        })
        .collect();
    buf.extend_from_slice(format!("{}\n", refs.join(", ")).as_bytes());
}

fn tagged(tag: &str, text: &str, buf: &mut Vec<u8>) {
    buf.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{}\n", roff(tag), roff(text)).as_bytes());
}

/// Appends a tagged paragraph per leaf command, depth first, in the order of `--help`.
fn commands_section(cmd: &clap::Command, buf: &mut Vec<u8>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let has_children = sub.get_subcommands().any(|s| s.get_name() != "help");
        // A group such as `run` is listed through its commands, unless it also runs on its own.
        if !has_children || sub.is_args_conflicts_with_subcommands_set() {
            // A command that runs on its own and has subcommands has two usage lines: keep the first.
            let usage = sub.clone().render_usage().to_string();
            let usage = usage
                .trim_start_matches("Usage:")
                .lines()
                .next()
                .unwrap_or_default()
                .trim();
            let about = sub.get_about().map(|a| a.to_string()).unwrap_or_default();
            let page = sub.get_display_name().unwrap_or_else(|| sub.get_name());
            buf.extend_from_slice(
                format!(
                    ".TP\n\\fB{}\\fR\n{} (page: {}(1))\n",
                    roff(usage),
                    roff(&about),
                    roff(page)
                )
                .as_bytes(),
            );
        }
        commands_section(sub, buf);
    }
}

/// Text whose line breaks and indentation matter (examples), one roff line per line.
fn preformatted(text: &str, buf: &mut Vec<u8>) {
    buf.extend_from_slice(b".nf\n");
    for line in text.lines() {
        buf.extend_from_slice(format!("{}\n", roff(line)).as_bytes());
    }
    buf.extend_from_slice(b".fi\n");
}

/// Escapes text for roff: backslashes, hyphens, and a leading dot or quote that would read as
/// a request. An empty line becomes `.sp` so it stays a blank line and not a paragraph break.
/// (Characters beyond ASCII are named by [`ascii_roff`] over the whole page.)
fn roff(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\e"),
            '-' => escaped.push_str("\\-"),
            c => escaped.push(c),
        }
    }
    if escaped.is_empty() {
        ".sp".to_string()
    } else if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}

/// Every character beyond ASCII named by its code point (`\[u2013]`), which groff shows as the
/// character on a UTF-8 terminal and as its ASCII fallback elsewhere (groff -k not needed).
fn ascii_roff(page: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(page);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            out.push_str(&format!("\\[u{:04X}]", u32::from(c)));
        }
    }
    out.into_bytes()
}

fn emit(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::{ascii_roff, roff};

    #[test]
    fn roff_escapes_requests_and_backslashes() {
        assert_eq!(roff(".hidden"), "\\&.hidden");
        assert_eq!(roff("'quoted"), "\\&'quoted");
        assert_eq!(roff("a\\b"), "a\\eb");
        assert_eq!(roff("--json"), "\\-\\-json");
        assert_eq!(roff(""), ".sp");
        assert_eq!(ascii_roff("0–10 ·".as_bytes()), b"0\\[u2013]10 \\[u00B7]");
    }
}
