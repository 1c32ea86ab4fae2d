//! Output that fits where it goes: tables on terminals 40, 60, 80 and 120 columns wide (a real
//! pseudo-terminal, through script(1)) and into a pipe; colour as `--color`, `NO_COLOR`,
//! `CLICOLOR_FORCE` and `TERM` say; and every command under a locale that is not UTF-8.

mod common;

use std::collections::HashSet;
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command as Process, Stdio};
use std::time::Duration;

use common::Env;
use serde_json::Value;
use textwrap::core::display_width;

fn lumbar_path() -> String {
    assert_cmd::cargo::cargo_bin("lumbar").to_string_lossy().into_owned()
}

fn have_script() -> bool {
    let found = Process::new("script").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: needs script(1) from util-linux for a pseudo-terminal");
    }
    found
}

/// `'word'` for sh, with single quotes inside closed and reopened.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', r"'\''"))
}

/// A run of lumbar with stdout on a pseudo-terminal.
struct Terminal<'a> {
    env: &'a Env,
    /// `stty cols N` first; `None` leaves the terminal without a size (as script's is).
    cols: Option<u16>,
    vars: Vec<(&'a str, &'a str)>,
    /// Where stderr goes, inside the script (`2>/dev/null` unless a test wants it).
    stderr: String,
    input: &'a str,
}

impl<'a> Terminal<'a> {
    fn new(env: &'a Env, cols: Option<u16>) -> Terminal<'a> {
        Terminal {
            env,
            cols,
            vars: vec![("NO_COLOR", "1")],
            stderr: "2>/dev/null".into(),
            input: "",
        }
    }

    /// What the terminal showed, with `\r\n` as `\n`.
    fn run(&self, args: &[&str]) -> String {
        let mut command = String::new();
        if let Some(c) = self.cols {
            command.push_str(&format!("stty cols {c} rows 50; "));
        }
        command.push_str(&quote(&lumbar_path()));
        for a in args {
            command.push(' ');
            command.push_str(&quote(a));
        }
        command.push(' ');
        command.push_str(&self.stderr);
        let mut child = Process::new("script")
            .args(["-qec", &command, "/dev/null"])
            .env("SHELL", "/bin/sh")
            .env("LUMBAR_DATA_DIR", self.env.data_dir())
            .env("TZ", "UTC")
            .env("TERM", "xterm")
            .env_remove("NO_COLOR")
            // A CI runner sets CI, which paints any terminal (anstream's rule, as in cargo).
            .env_remove("CI")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CLICOLOR")
            .env_remove("COLUMNS")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_CTYPE")
            .envs(self.vars.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("script runs");
        child.stdin.take().unwrap().write_all(self.input.as_bytes()).unwrap();
        for _ in 0..600 {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap();
            panic!("lumbar {args:?} did not finish on the terminal");
        }
        let mut out = Vec::new();
        child.stdout.take().unwrap().read_to_end(&mut out).unwrap();
        String::from_utf8(out)
            .expect("utf-8 on the terminal")
            .replace("\r\n", "\n")
    }
}

/// A seeded demo history, plus a pair with a long name, runs in it, and pain with several
/// symptoms and notes: the cells that used to wrap letter by letter.
fn store() -> Env {
    let env = Env::new();
    env.ok(&["demo", "--weeks", "6", "--seed", "5"]);
    env.ok(&["shoes", "add", "Pegasus 41 Trail GORE-TEX Blue Ed."]);
    for (d, date) in [("8k", "3 days ago"), ("12k", "2 days ago")] {
        env.ok(&[
            "run",
            "add",
            d,
            "60:00",
            "--date",
            date,
            "--shoe",
            "Pegasus 41",
            "--surface",
            "trail",
            "--warmup",
        ]);
    }
    env.ok(&[
        "pain",
        "add",
        "4",
        "--when",
        "after",
        "--run",
        "last",
        "--symptom",
        "radiating",
        "--symptom",
        "spasm",
        "--symptom",
        "stiffness",
        "--notes",
        "tight after the hills",
    ]);
    env
}

/// Every table lumbar prints, as the words after `lumbar`.
fn table_commands(env: &Env) -> Vec<Vec<String>> {
    let run = env.json(&["run", "list", "--limit", "1"])["runs"][0]["id"].to_string();
    let pain = env.json(&["pain", "list", "--limit", "1"])["pain"][0]["id"].to_string();
    let gpx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gpx/garmin-activity.gpx");
    let commands: Vec<Vec<&str>> = vec![
        vec!["run", "list"],
        vec!["run", "show", &run],
        vec!["pain", "list"],
        vec!["pain", "show", &pain],
        vec!["shoes"],
        vec!["shoes", "--all"],
        vec!["stats", "--weeks", "6"],
        vec!["redflags", "--list"],
        vec!["config"],
        vec!["routine"],
        vec!["import", gpx.to_str().unwrap(), "--dry-run"],
    ];
    commands
        .into_iter()
        .map(|c| c.into_iter().map(str::to_string).collect())
        .collect()
}

fn is_rule(line: &str) -> bool {
    !line.trim().is_empty() && line.trim().chars().all(|c| c == '─' || c == '-')
}

/// The column names of the (first) table in `text`: the line above its rule, split where two
/// spaces part them.
fn header(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let rule = lines.iter().position(|l| is_rule(l)).expect("a table");
    lines[rule - 1]
        .split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

/// The footnote naming what was left out, joined when it wraps.
fn footnote(text: &str) -> Option<String> {
    let start = text.find("(not shown")?;
    let end = text[start..].find(')')? + start;
    Some(text[start..=end].split_whitespace().collect::<Vec<_>>().join(" "))
}

/// What the footnote calls a column whose header is cryptic.
fn footnote_name(header: &str) -> &str {
    match header {
        h if h.starts_with('/') => "pace",
        "max" => "max pain",
        h => h,
    }
}

/// The table and the lines that follow it up to the first blank line (the chart after it is
/// drawn to the width, not wrapped).
fn table_part(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| is_rule(l)).map_or(0, |r| r - 1);
    lines[start..]
        .iter()
        .take_while(|l| !l.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn words(text: &str) -> HashSet<String> {
    text.lines()
        .filter(|l| !is_rule(l))
        .flat_map(|l| l.split_whitespace())
        .map(str::to_string)
        .collect()
}

#[test]
fn tables_fit_terminals_of_40_60_80_and_120_columns() {
    if !have_script() {
        return;
    }
    let env = store();
    for command in table_commands(&env) {
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let piped = env.ok(&args);
        let piped_words = words(&piped);
        let all_columns = header(&piped);
        for cols in [40u16, 60, 80, 120] {
            let shown = Terminal::new(&env, Some(cols)).run(&args);
            let what = format!("`lumbar {}` at {cols} columns:\n{shown}", args.join(" "));
            for line in shown.lines() {
                assert!(
                    display_width(line) <= cols as usize,
                    "a line of {} in {what}",
                    display_width(line)
                );
            }
            // Cells wrap between words, never inside one: every word on the terminal is a whole
            // word of the piped output (or of the footnote).
            let note = footnote(&shown);
            let note_words: HashSet<String> = note.as_deref().map(words).unwrap_or_default();
            for w in words(&table_part(&shown)) {
                assert!(
                    piped_words.contains(&w) || note_words.contains(&w),
                    "{w:?} is broken in {what}"
                );
            }
            // What is left out is said, once, in the footnote.
            let kept = header(&shown);
            let dropped: Vec<&String> = all_columns.iter().filter(|c| !kept.contains(c)).collect();
            match &note {
                Some(note) => {
                    assert!(!dropped.is_empty(), "a footnote with nothing dropped in {what}");
                    for c in &dropped {
                        assert!(note.contains(footnote_name(c)), "{c} dropped but not named in {what}");
                    }
                }
                None => assert!(dropped.is_empty(), "{dropped:?} dropped silently in {what}"),
            }
            if cols == 120 && args[0] != "redflags" && args[0] != "config" {
                assert!(note.is_none(), "nothing needs dropping at 120 columns: {what}");
            }
        }
    }
}

#[test]
fn narrow_terminals_keep_the_essential_columns() {
    if !have_script() {
        return;
    }
    let env = store();
    let cases: [(&[&str], &[&str]); 5] = [
        (&["run", "list"], &["id", "date", "km", "time"]),
        (&["pain", "list"], &["id", "date", "pain"]),
        (&["shoes"], &["name", "km", "status"]),
        (&["stats", "--weeks", "6"], &["week", "km", "runs", "pain"]),
        (&["config"], &["key", "value"]),
    ];
    for (args, essential) in cases {
        let shown = Terminal::new(&env, Some(40)).run(args);
        let kept = header(&shown);
        for c in essential {
            assert!(
                kept.iter().any(|k| k == c),
                "`lumbar {}` at 40 lost {c}:\n{shown}",
                args.join(" ")
            );
        }
    }
    // The long shoe name wraps at its spaces on a terminal that has room for the column.
    let shown = Terminal::new(&env, Some(60)).run(&["shoes"]);
    assert!(
        shown.contains("Pegasus 41 Trail") && shown.contains("GORE-TEX"),
        "{shown}"
    );
    assert!(!shown.lines().any(|l| l.trim() == "P" || l.trim() == "e"), "{shown}");
}

#[test]
fn piped_tables_have_one_row_per_line_and_every_column() {
    let env = store();
    let counts = [
        (
            vec!["run", "list"],
            env.json(&["run", "list"])["runs"].as_array().unwrap().len(),
        ),
        (
            vec!["pain", "list"],
            env.json(&["pain", "list"])["pain"].as_array().unwrap().len(),
        ),
        (
            vec!["shoes", "--all"],
            env.json(&["shoes", "--all"])["shoes"].as_array().unwrap().len(),
        ),
        (vec!["stats", "--weeks", "6"], 6),
        (
            vec!["redflags", "--list"],
            env.json(&["redflags", "--list"])["symptoms"].as_array().unwrap().len(),
        ),
        (
            vec!["config"],
            env.json(&["config"])["config"].as_object().unwrap().len(),
        ),
        (
            vec!["routine"],
            env.json(&["routine"])["routines"].as_array().unwrap().len(),
        ),
    ];
    for (args, n) in counts {
        let text = env.ok(&args);
        let lines: Vec<&str> = text.lines().collect();
        let rule = lines.iter().position(|l| is_rule(l)).unwrap();
        let rows: Vec<&&str> = lines[rule + 1..]
            .iter()
            .take_while(|l| !l.trim().is_empty() && !l.contains(" runs · ") && !l.starts_with('*'))
            .collect();
        assert_eq!(rows.len(), n, "`lumbar {}`: one line per row:\n{text}", args.join(" "));
        assert!(footnote(&text).is_none(), "nothing is dropped into a pipe:\n{text}");
        // A cell that continued on a second line would start with spaces.
        assert!(rows.iter().all(|r| !r.starts_with("   ")), "{text}");
    }
    let runs = env.ok(&["run", "list"]);
    assert_eq!(
        header(&runs),
        [
            "id", "date", "km", "time", "/km", "surface", "warm-up", "stretch", "shoe"
        ]
    );
    assert!(
        runs.lines()
            .filter(|l| l.contains("Pegasus 41 Trail GORE-TEX Blue Ed."))
            .count()
            == 2,
        "the whole name on each row:\n{runs}"
    );
    let pain = env.ok(&["pain", "list", "--limit", "1"]);
    assert!(
        pain.lines().nth(2).unwrap().ends_with("radiating, spasm, stiffness"),
        "{pain}"
    );
    // A row is one line even where the piped output is very wide.
    let flags = env.ok(&["redflags", "--list"]);
    assert!(
        flags.lines().any(|l| display_width(l) > 100),
        "no width limit in a pipe:\n{flags}"
    );
}

#[test]
fn columns_sets_the_width_of_a_terminal_that_does_not_say() {
    if !have_script() {
        return;
    }
    let env = store();
    let mut t = Terminal::new(&env, None);
    t.vars.push(("COLUMNS", "50"));
    let shown = t.run(&["run", "list"]);
    assert!(shown.lines().all(|l| display_width(l) <= 50), "{shown}");
    assert!(
        footnote(&shown).is_some_and(|n| n.contains("50 columns") || n.starts_with("(not shown:")),
        "{shown}"
    );
    // Without COLUMNS either: 80.
    let shown = Terminal::new(&env, None).run(&["run", "list"]);
    assert!(shown.lines().all(|l| display_width(l) <= 80), "{shown}");
    // COLUMNS means nothing to a pipe.
    let piped = env.cmd().env("COLUMNS", "30").args(["run", "list"]).output().unwrap();
    let piped = String::from_utf8(piped.stdout).unwrap();
    assert!(
        footnote(&piped).is_none() && piped.lines().any(|l| display_width(l) > 30),
        "{piped}"
    );
}

fn painted(text: &str) -> bool {
    text.contains("\u{1b}[")
}

#[test]
fn color_always_paints_a_pipe_and_never_or_no_color_does_not() {
    let env = store();
    let run = |vars: &[(&str, &str)], args: &[&str]| {
        let mut c = env.cmd();
        c.env_remove("NO_COLOR").env("TERM", "xterm");
        for (k, v) in vars {
            c.env(k, v);
        }
        let out = c.args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    assert!(!painted(&run(&[], &["shoes"])), "auto: a pipe gets no colour");
    assert!(
        painted(&run(&[], &["--color", "always", "shoes"])),
        "--color always paints a pipe"
    );
    assert!(painted(&run(&[], &["--color=always", "coach"])));
    assert!(!painted(&run(&[], &["--color", "never", "shoes"])));
    assert!(
        painted(&run(&[("CLICOLOR_FORCE", "1")], &["shoes"])),
        "CLICOLOR_FORCE=1 paints a pipe"
    );
    assert!(
        !painted(&run(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], &["shoes"])),
        "NO_COLOR wins over it"
    );
    assert!(
        painted(&run(&[("NO_COLOR", "1")], &["--color", "always", "shoes"])),
        "the flag wins over NO_COLOR"
    );
    assert!(
        !painted(&run(&[("CLICOLOR_FORCE", "1")], &["--no-color", "shoes"])),
        "--no-color is --color never"
    );
    assert!(
        painted(&run(&[], &["--no-color", "--color", "always", "shoes"])),
        "the last one wins"
    );
    assert!(
        !painted(&run(&[], &["--color", "always", "--no-color", "shoes"])),
        "the last one wins"
    );
    // --json is never painted.
    assert!(!painted(&run(&[], &["--color", "always", "--json", "shoes"])));
    // clap's own help follows the same choice.
    assert!(painted(&run(&[], &["--color", "always", "--help"])));
    assert!(!painted(&run(&[], &["--help"])));
    let bad = env.cmd().args(["--color", "purple", "stats"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8(bad.stderr).unwrap();
    assert!(
        err.contains("auto") && err.contains("always") && err.contains("never"),
        "{err}"
    );
}

#[test]
fn colour_on_a_terminal_is_decided_per_stream() {
    if !have_script() {
        return;
    }
    let env = store();
    let err_file = env.dir.path().join("err.txt");
    let on = |vars: Vec<(&'static str, &'static str)>, args: &[&str]| {
        let mut t = Terminal::new(&env, Some(100));
        t.vars = vars;
        t.stderr = format!("2>{}", quote(err_file.to_str().unwrap()));
        let shown = t.run(args);
        (shown, std::fs::read_to_string(&err_file).unwrap_or_default())
    };
    let (shown, _) = on(vec![], &["shoes"]);
    assert!(painted(&shown), "auto on a terminal paints:\n{shown}");
    let (shown, _) = on(vec![("NO_COLOR", "1")], &["shoes"]);
    assert!(!painted(&shown), "NO_COLOR:\n{shown}");
    let (shown, _) = on(vec![("TERM", "dumb")], &["shoes"]);
    assert!(!painted(&shown), "TERM=dumb:\n{shown}");
    // A CI runner's log shows colour, as in cargo and clap: CI set paints even TERM=dumb.
    let (shown, _) = on(vec![("TERM", "dumb"), ("CI", "true")], &["shoes"]);
    assert!(painted(&shown), "TERM=dumb with CI set:\n{shown}");
    let (shown, _) = on(vec![("CI", "true"), ("NO_COLOR", "1")], &["shoes"]);
    assert!(!painted(&shown), "NO_COLOR beats CI:\n{shown}");
    let (shown, _) = on(vec![], &["--color", "never", "shoes"]);
    assert!(!painted(&shown));
    // stdout on the terminal, stderr into a file: the error is plain.
    let (_, err) = on(vec![], &["stats", "--weeks", "0"]);
    assert!(
        err.contains("must be a whole number of weeks from 1 to 5200") && !painted(&err),
        "{err}"
    );
    let (_, err) = on(vec![], &["--color", "always", "stats", "--weeks", "0"]);
    assert!(painted(&err), "{err}");
}

// ---------------------------------------------------------------------------------------------
// Under a locale that is not UTF-8

/// Every command, with realistic arguments, in an order that works on one store; each with the
/// exit code it should end with. The first word(s) name the command path.
fn every_command(env: &Env) -> Vec<(Vec<String>, i32)> {
    let gpx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/gpx/garmin-activity.gpx");
    let gpx = gpx.to_str().unwrap().to_string();
    let out_file = env.dir.path().join("export.csv").to_str().unwrap().to_string();
    let man_dir = env.dir.path().join("man").to_str().unwrap().to_string();
    let ics_file = env.dir.path().join("plan.ics").to_str().unwrap().to_string();
    let report_file = env.dir.path().join("report.html").to_str().unwrap().to_string();
    let demo_dir = env.dir.path().join("demo").to_str().unwrap().to_string();
    let last_run = || env.json(&["run", "list", "--limit", "1"])["runs"][0]["id"].to_string();
    let run_id = last_run();
    let pain_id = env.json(&["pain", "list", "--limit", "1"])["pain"][0]["id"].to_string();
    let s = |words: &[&str]| words.iter().map(|w| w.to_string()).collect::<Vec<_>>();
    let mut all = vec![
        (
            s(&[
                "run",
                "add",
                "5k",
                "28:30",
                "--surface",
                "road",
                "--no-warmup",
                "--no-stretch",
                "--rpe",
                "6",
                "--notes",
                "hilly",
            ]),
            0,
        ),
        (
            s(&[
                "run",
                "add",
                "10k",
                "55:00",
                "--date",
                "2 days ago",
                "--shoe",
                "none",
                "--warmup",
                "--stretch",
            ]),
            0,
        ),
        (s(&["run", "list"]), 0),
        (s(&["run", "list", "--since", "monday", "--limit", "3"]), 0),
        (s(&["run", "show", &run_id]), 0),
        (
            s(&["run", "edit", &run_id, "--surface", "trail", "--date", "yesterday"]),
            0,
        ),
        (s(&["pain", "add", "3", "--when", "after", "--run", "last"]), 0),
        (
            s(&[
                "pain",
                "add",
                "6",
                "--symptom",
                "leg-numbness",
                "--symptom",
                "radiating",
                "--notes",
                "left leg",
            ]),
            0,
        ),
        (s(&["pain", "add", "7", "--symptom", "fever"]), 0),
        (s(&["pain", "list", "--since", "3d ago"]), 0),
        (s(&["pain", "show", &pain_id]), 0),
        (s(&["pain", "edit", &pain_id, "--level", "2", "--side", "left"]), 0),
        (s(&["pain", "rm", &pain_id, "--yes"]), 0),
        (s(&["shoes"]), 0),
        (s(&["shoes", "list", "--all"]), 0),
        (
            s(&["shoes", "add", "Novablast 5", "--limit", "500km", "--start", "20km"]),
            0,
        ),
        (s(&["shoes", "rename", "nova", "Novablast 5 blue"]), 0),
        (s(&["shoes", "default", "nova"]), 0),
        (s(&["shoes", "retire", "nova"]), 0),
        (s(&["shoes", "rm", "nova", "--yes"]), 0),
        (s(&["coach"]), 0),
        (s(&["coach", "--explain"]), 0),
        (s(&["coach", "--since", "last monday"]), 0),
        (s(&["redflags", "--symptom", "fever", "--age", "50"]), 0),
        (s(&["redflags", "--symptom", "saddle-numbness"]), 0),
        (s(&["redflags", "--none"]), 0),
        (s(&["redflags", "--list"]), 0),
        (s(&["redflags", "--seen"]), 0),
        (s(&["routine"]), 0),
        (s(&["plan"]), 0),
        (
            s(&["plan", "--days", "3", "--runs-per-week", "2", "--long-day", "sat"]),
            0,
        ),
        (s(&["plan", "--ics", &ics_file]), 0),
        (s(&["plan", "--ics", "-"]), 0),
        (s(&["stats"]), 0),
        (s(&["stats", "--weeks", "4"]), 0),
        (s(&["import", &gpx, "--dry-run"]), 0),
        (s(&["import", &gpx, "--surface", "trail"]), 0),
        (s(&["export"]), 0),
        (s(&["export", "--format", "csv", "--what", "pain"]), 0),
        (s(&["export", "--format", "csv", "--output", &out_file]), 0),
        (s(&["report"]), 0),
        (s(&["report", "--weeks", "4", "--output", &report_file]), 0),
        (s(&["config"]), 0),
        (s(&["config", "list"]), 0),
        (s(&["config", "get", "shoe-limit"]), 0),
        (s(&["config", "set", "surface", "trail"]), 0),
        (s(&["config", "set", "units", "mi"]), 0),
        (s(&["demo", "--data-dir", &demo_dir, "--weeks", "3"]), 0),
        (s(&["man"]), 0),
        (s(&["man", "run", "add"]), 0),
        (s(&["man", "--dir", &man_dir]), 0),
        // Refusals: their messages are lumbar's words too.
        (s(&["run", "add", "5k", "1:00"]), 2),
        (s(&["run", "add", "5k", "28:30", "--date", "next week"]), 2),
        (s(&["run", "add", "5k", "28:30", "--surface", "concret"]), 2),
        (s(&["pain", "add", "11"]), 2),
        (s(&["stats", "--weeks", "0"]), 2),
        (s(&["plan", "--ics", &ics_file]), 2),
        (s(&["plan", "--long-day", "funday"]), 2),
        (s(&["routine", "warmup", "--timer"]), 2),
        (s(&["run", "rm", &run_id]), 2),
        (s(&["export", "--output", &out_file]), 2),
        (s(&["config", "get", "shoe-limt"]), 2),
        (s(&["man", "run", "ad"]), 2),
    ];
    for r in [
        "warmup",
        "stretch",
        "strength",
        "pilates",
        "cross-training",
        "form",
        "relief",
    ] {
        all.push((s(&["routine", r]), 0));
    }
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        all.push((s(&["completions", shell]), 0));
    }
    all.push((s(&["run", "rm", &last_run(), "--yes"]), 0));
    all
}

/// Every command path clap knows, as words.
fn paths(cmd: &clap::Command, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let mut p = prefix.clone();
        p.push(sub.get_name().to_string());
        out.push(p.clone());
        paths(sub, p, out);
    }
}

fn non_ascii(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    let line = text.lines().find(|l| !l.is_ascii())?;
    Some(line.to_string())
}

#[test]
fn every_command_is_plain_ascii_under_lang_c() {
    use clap::CommandFactory;
    let env = store();
    let commands = every_command(&env);
    let mut all_paths = Vec::new();
    paths(&lumbar::cli::Cli::command(), Vec::new(), &mut all_paths);
    // Every command path runs at least once, beyond its --help; a new command needs a line above.
    let leaves: Vec<&Vec<String>> = all_paths
        .iter()
        .filter(|p| {
            !all_paths.iter().any(|q| q.len() > p.len() && q.starts_with(p)) || p[0] == "shoes" || p[0] == "config"
        })
        .collect();
    for p in leaves {
        assert!(
            commands.iter().any(|(c, _)| c.starts_with(p)),
            "`lumbar {}` is not run by this test: add it with realistic arguments",
            p.join(" ")
        );
    }
    let lang_c = |args: &[String], json: bool| {
        let mut c = env.cmd();
        c.env("LANG", "C").env_remove("NO_COLOR").env("TERM", "xterm");
        if json {
            c.arg("--json");
        }
        c.args(args).output().unwrap()
    };
    for (args, code) in &commands {
        let out = lang_c(args, false);
        let what = format!("LANG=C lumbar {}", args.join(" "));
        assert_eq!(
            out.status.code(),
            Some(*code),
            "{what}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if let Some(line) = non_ascii(&out.stdout) {
            panic!("{what}: stdout has {line:?}");
        }
        if let Some(line) = non_ascii(&out.stderr) {
            panic!("{what}: stderr has {line:?}");
        }
    }
    // The same under LC_ALL, which wins over a UTF-8 LANG.
    let out = env
        .cmd()
        .env("LANG", "en_US.UTF-8")
        .env("LC_ALL", "POSIX")
        .args(["coach"])
        .output()
        .unwrap();
    assert!(out.stdout.is_ascii(), "LC_ALL=POSIX");
    // --json: every character beyond ASCII as a \u escape, the same document once parsed.
    for args in [
        vec!["coach"],
        vec!["routine", "relief"],
        vec!["shoes", "--all"],
        vec!["redflags", "--list"],
    ] {
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        let ascii = lang_c(&args, true);
        assert!(ascii.status.success() && ascii.stdout.is_ascii(), "--json {args:?}");
        let utf8 = env.cmd().arg("--json").args(&args).output().unwrap();
        let a: Value = serde_json::from_slice(&ascii.stdout).unwrap();
        let u: Value = serde_json::from_slice(&utf8.stdout).unwrap();
        assert_eq!(a, u, "--json {args:?} says the same in both locales");
    }
    // Every --help.
    for p in &all_paths {
        let mut args = p.clone();
        args.push("--help".into());
        let out = lang_c(&args, false);
        assert!(out.status.success(), "{args:?}");
        if let Some(line) = non_ascii(&out.stdout) {
            panic!("LANG=C lumbar {}: {line:?}", args.join(" "));
        }
    }
    let top = lang_c(&["--help".to_string()], false);
    assert!(top.stdout.is_ascii());
}

#[test]
fn questions_on_a_terminal_are_ascii_under_lang_c() {
    if !have_script() {
        return;
    }
    let env = store();
    let mut t = Terminal::new(&env, Some(80));
    t.vars.push(("LANG", "C"));
    t.stderr = String::new();
    let answers = "n\n".repeat(40);
    t.input = &answers;
    let shown = t.run(&["redflags"]);
    assert!(shown.contains("[1/"), "the questions were asked:\n{shown}");
    assert!(
        shown.is_ascii(),
        "{}",
        shown.lines().find(|l| !l.is_ascii()).unwrap_or_default()
    );
    t.input = "y\n\n";
    let shown = t.run(&["run", "add", "5k", "28:30"]);
    assert!(shown.contains("[y/n/Enter to skip]") && shown.is_ascii(), "{shown}");
    t.input = "\n";
    let shown = t.run(&["run", "rm", "1"]);
    assert!(
        shown.contains("[y/N]") && shown.contains("kept it"),
        "Enter keeps it:\n{shown}"
    );
    // The guided timer draws its screen in ASCII too (q quits at once).
    t.input = "q";
    let shown = t.run(&["routine", "warmup", "--timer"]);
    assert!(shown.contains("step 1 of"), "the timer ran:\n{shown}");
    assert!(
        shown.is_ascii(),
        "{}",
        shown.lines().find(|l| !l.is_ascii()).unwrap_or_default()
    );
}

#[test]
fn text_from_outside_stays_as_typed_under_lang_c() {
    let env = Env::new();
    env.ok(&["shoes", "add", "Pégasus → blå"]);
    env.ok(&[
        "run",
        "add",
        "5k",
        "28:30",
        "--shoe",
        "Pégasus",
        "--notes",
        "naïve “test” · 5°C",
    ]);
    let c = |args: &[&str]| {
        let out = env.cmd().env("LANG", "C").args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let shown = c(&["run", "show", "1"]);
    assert!(
        shown.contains("notes: naïve “test” · 5°C"),
        "the note as typed:\n{shown}"
    );
    assert!(shown.contains("Pégasus → blå"), "the name as typed:\n{shown}");
    let list = c(&["run", "list"]);
    // Our own separator folded, the name kept.
    assert!(list.contains("1 run - 5.00 km - 28:30"), "{list}");
    assert!(list.contains("Pégasus → blå"), "{list}");
    let shoes = c(&["shoes"]);
    assert!(shoes.contains("Pégasus → blå *"), "{shoes}");
    assert!(!shoes.contains('█') && !shoes.contains('─'), "{shoes}");
    // Control characters are escaped, never sent to the terminal.
    env.ok(&["run", "edit", "1", "--notes", "red\u{1b}[31m"]);
    let shown = c(&["run", "show", "1"]);
    assert!(
        shown.contains("notes: red\\u{1b}[31m") && !shown.contains('\u{1b}'),
        "{shown}"
    );
}

/// The health screens read on a 40-column terminal too: the coach (short, full, explain), the
/// flags and decision line after an entry, and a triage wrap between words, so no line runs
/// past the edge (a word longer than the line, such as a quoted command, may stand alone).
#[test]
fn the_coach_and_the_triage_fit_a_40_column_terminal() {
    if !have_script() {
        return;
    }
    let env = store();
    let cases: &[&[&str]] = &[
        &["coach"],
        &["coach", "--full"],
        &["coach", "--explain"],
        &["run", "add", "5k", "25:00", "--no-warmup", "--surface", "road"],
        &["pain", "add", "3", "--run", "last"],
        &["redflags", "--symptom", "fever", "--symptom", "leg-numbness"],
        &["redflags", "--symptom", "saddle-numbness"],
        &["plan", "--days", "3"],
    ];
    for args in cases {
        let shown = Terminal::new(&env, Some(40)).run(args);
        assert!(
            shown.lines().count() > 2,
            "`lumbar {}` printed little:\n{shown}",
            args.join(" ")
        );
        for line in shown.lines() {
            let long_word = line.split_whitespace().any(|w| display_width(w) > 30);
            assert!(
                display_width(line) <= 40 || long_word,
                "a line of {} columns in `lumbar {}` at 40 columns:\n{shown}",
                display_width(line),
                args.join(" ")
            );
        }
        // Wrapped, not cut: nothing ends in an ellipsis, and the pointer to the full review
        // is there whole.
        assert!(!shown.contains('…') && !shown.contains("..."), "a cut line:\n{shown}");
        if args == &["coach"] {
            assert!(shown.contains("`lumbar coach --full`"), "{shown}");
        }
    }
}
