//! `lumbar completions SHELL` and `lumbar man`, both generated from the clap types in `cli.rs`
//! so they can never disagree with the real command line.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

pub fn completions(a: CompletionsArgs) -> Result<()> {
    // Rendered into memory first: clap_complete panics on a write error, and a closed pipe
    // (`lumbar completions bash | head`) is not a crash.
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "lumbar", &mut buf);
    emit(&buf)
}

/// One page, lumbar(1). clap_mangen's own subcommand list points at a page per command
/// (lumbar-run(1), ...) that nobody installs, so that section is replaced by COMMANDS: every
/// command with its usage, what it does and its examples.
pub fn man() -> Result<()> {
    let mut cmd = Cli::command();
    cmd.build();
    let page = clap_mangen::Man::new(cmd.clone());
    let mut buf = Vec::new();
    page.render_title(&mut buf)
        .and_then(|_| page.render_name_section(&mut buf))
        .and_then(|_| page.render_synopsis_section(&mut buf))
        .and_then(|_| page.render_description_section(&mut buf))
        .and_then(|_| page.render_options_section(&mut buf))
        .context("cannot render the man page")?;
    buf.extend_from_slice(b".SH COMMANDS\n");
    buf.extend_from_slice(b"Every command also takes the options above; `lumbar COMMAND --help` lists its own.\n");
    commands_section(&cmd, &mut buf);
    if let Some(after) = cmd.get_after_help() {
        // The top-level examples and the data folder note, under a name man readers expect.
        buf.extend_from_slice(b".SH EXAMPLES\n");
        preformatted(after.to_string().trim_start_matches("Examples:\n"), &mut buf);
    }
    page.render_version_section(&mut buf)
        .context("cannot render the man page")?;
    emit(&buf)
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
            buf.extend_from_slice(format!(".TP\n\\fB{}\\fR\n{}\n", roff(usage), roff(&about)).as_bytes());
            if let Some(after) = sub.get_after_help() {
                buf.extend_from_slice(b".RS\n");
                preformatted(&after.to_string(), buf);
                buf.extend_from_slice(b".RE\n");
            }
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

/// Escapes text for roff: backslashes, hyphens, non-ASCII characters, and a leading dot or quote
/// that would read as a request.
/// An empty line becomes `.sp` so it stays a blank line and not a paragraph break.
fn roff(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\e"),
            '-' => escaped.push_str("\\-"),
            // Named by code point, so the page needs no input-encoding guess (groff -k).
            c if !c.is_ascii() => escaped.push_str(&format!("\\[u{:04X}]", u32::from(c))),
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

fn emit(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)?;
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::roff;

    #[test]
    fn roff_escapes_requests_and_backslashes() {
        assert_eq!(roff(".hidden"), "\\&.hidden");
        assert_eq!(roff("'quoted"), "\\&'quoted");
        assert_eq!(roff("a\\b"), "a\\eb");
        assert_eq!(roff("--json"), "\\-\\-json");
        assert_eq!(roff(""), ".sp");
        assert_eq!(roff("0–10"), "0\\[u2013]10");
    }
}
