//! Shell completions, the man page, and examples in every command's --help.

mod common;

use std::process::Command as Process;

use clap::CommandFactory;
use common::Env;

fn lumbar_path() -> String {
    assert_cmd::cargo::cargo_bin("lumbar").to_string_lossy().into_owned()
}

/// Runs a bash script with `$LUMBAR` set to the binary; returns stdout, asserting success.
fn bash(script: &str) -> String {
    bash_in(script, std::path::Path::new("."))
}

/// As [`bash`], with `$WORK` set to a folder the script may write in.
fn bash_in(script: &str, work: &std::path::Path) -> String {
    let out = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env("LUMBAR", lumbar_path())
        .env("WORK", work)
        .output()
        .expect("bash is installed");
    assert!(
        out.status.success(),
        "bash -c {script:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn bash_completion_loads_and_completes_subcommands() {
    let registered = bash(r#"source <("$LUMBAR" completions bash) && complete -p lumbar"#);
    assert!(registered.contains("lumbar"), "{registered}");
    let words = bash(
        r#"source <("$LUMBAR" completions bash)
           COMP_WORDS=(lumbar st); COMP_CWORD=1; COMP_LINE="lumbar st"; COMP_POINT=${#COMP_LINE}
           _lumbar lumbar st lumbar; printf '%s\n' "${COMPREPLY[@]}""#,
    );
    let words: Vec<&str> = words.lines().collect();
    assert!(words.contains(&"stats"), "{words:?}");
    assert!(!words.contains(&"export"), "only what matches 'st': {words:?}");
}

#[test]
fn other_shells_name_the_subcommands() {
    let env = Env::new();
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        for sub in ["stats", "export", "redflags", "completions"] {
            assert!(script.contains(sub), "{shell} script lacks {sub}");
        }
    }
    assert!(env.ok(&["completions", "zsh"]).starts_with("#compdef lumbar"));
    assert!(env.ok(&["completions", "fish"]).contains("complete -c lumbar"));
}

#[test]
fn an_unknown_shell_is_bad_input() {
    let err = Env::new().fails(&["completions", "tcsh"], 2);
    assert!(err.contains("bash"), "the accepted shells are listed: {err}");
}

#[test]
fn man_page_is_roff() {
    let page = Env::new().ok(&["man"]);
    let th = page.lines().position(|l| l.starts_with(".TH lumbar 1"));
    assert!(
        th.is_some_and(|i| i < 5),
        "a .TH header at the top:\n{}",
        &page[..page.len().min(300)]
    );
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH COMMANDS",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert!(page.contains("lumbar stats") && page.contains("lumbar export"));
    assert!(
        !page.contains("lumbar\\-run(1)"),
        "no pointers to pages that are not installed"
    );
}

#[test]
fn man_page_renders_with_man_when_available() {
    // Where man is installed, it must accept the page; otherwise the roff checks above stand.
    let Ok(probe) = Process::new("man").arg("--version").output() else {
        return;
    };
    if !probe.status.success() {
        return;
    }
    let env = Env::new();
    let out = bash_in(
        r#""$LUMBAR" man > "$WORK/lumbar.1" && MANWIDTH=80 man -l "$WORK/lumbar.1""#,
        env.dir.path(),
    );
    assert!(
        out.contains("COMMANDS") && out.contains("lumbar stats [OPTIONS]"),
        "{out}"
    );
}

/// Every command path, as the words typed after `lumbar`.
fn command_paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut path = prefix.clone();
        path.push(sub.get_name().to_string());
        out.push(path.clone());
        command_paths(sub, path, out);
    }
}

#[test]
fn every_command_has_examples_in_its_help() {
    let mut paths = Vec::new();
    command_paths(&lumbar::cli::Cli::command(), Vec::new(), &mut paths);
    assert!(paths.len() > 25, "found {} commands", paths.len());
    let env = Env::new();
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let help = env.ok(&args);
        let examples = help.split("Examples:\n").nth(1);
        assert!(
            examples.is_some_and(|e| e
                .lines()
                .next()
                .is_some_and(|l| l.trim_start().starts_with("lumbar") || l.contains("<(lumbar"))),
            "`lumbar {}` has no examples",
            path.join(" ")
        );
    }
}
