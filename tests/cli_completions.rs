//! Shell completions (clap_complete's own engine, driven through the real bash script), the man
//! pages, and examples in every command's --help.

mod common;

use std::path::Path;
use std::process::Command as Process;

use clap::CommandFactory;
use common::Env;

fn lumbar_path() -> String {
    assert_cmd::cargo::cargo_bin("lumbar").to_string_lossy().into_owned()
}

fn have_bash() -> bool {
    let found = Process::new("bash").arg("--version").output().is_ok();
    if !found {
        eprintln!("skipped: bash is not installed, so the bash completion script cannot be sourced");
    }
    found
}

/// Runs a bash script with `$LUMBAR` set to the binary and `$WORK` to a folder it may write in;
/// returns stdout, asserting success.
fn bash_in(script: &str, work: &Path, data: &Path) -> String {
    let out = Process::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .env("LUMBAR", lumbar_path())
        .env("WORK", work)
        .env("LUMBAR_DATA_DIR", data)
        .env("TZ", "UTC")
        .env_remove("COMPLETE")
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "bash -c {script:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// What bash offers at the end of `line` (a trailing space starts a new word), through the
/// script `lumbar completions bash` prints, as bash itself would call it on Tab.
fn complete(env: &Env, line: &str) -> Vec<String> {
    let script = format!(
        r#"source <("$LUMBAR" completions bash)
           line={line:?}
           read -ra COMP_WORDS <<< "$line"
           [[ $line == *' ' ]] && COMP_WORDS+=('')
           COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
           COMP_LINE=$line; COMP_POINT=${{#line}}
           _clap_complete_lumbar lumbar "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
           printf '%s\n' "${{COMPREPLY[@]}}""#
    );
    bash_in(&script, env.dir.path(), &env.data_dir())
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

fn values(words: &[String]) -> Vec<&str> {
    words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.starts_with('-'))
        .collect()
}

#[test]
fn bash_script_registers_lumbar_and_completes_subcommands() {
    if !have_bash() {
        return;
    }
    let env = Env::new();
    let registered = bash_in(
        r#"source <("$LUMBAR" completions bash) && complete -p lumbar"#,
        env.dir.path(),
        &env.data_dir(),
    );
    assert!(
        registered.contains("_clap_complete_lumbar") && registered.contains("lumbar"),
        "{registered}"
    );
    let words = complete(&env, "lumbar st");
    assert!(words.contains(&"stats".to_string()), "{words:?}");
    assert!(
        !words.contains(&"export".to_string()),
        "only what matches 'st': {words:?}"
    );
}

#[test]
fn bash_completes_every_closed_set() {
    if !have_bash() {
        return;
    }
    let env = Env::new();
    let cases: &[(&str, &[&str])] = &[
        (
            "lumbar run add 5k 28:30 --surface ",
            &["concrete", "asphalt", "road", "trail", "mixed"],
        ),
        ("lumbar run add 5k 28:30 --surface tr", &["track", "treadmill", "trail"]),
        (
            "lumbar pain add 3 --area ",
            &["lower-back", "buttock", "hip", "thigh", "leg"],
        ),
        ("lumbar pain add 3 --side ", &["center", "left", "right", "both"]),
        (
            "lumbar pain add 3 --when ",
            &["during", "after", "next-day", "rest", "night"],
        ),
        ("lumbar pain add 3 --symptom leg", &["leg-numbness", "leg-weakness"]),
        (
            "lumbar pain add 3 --symptom ",
            &["fever", "saddle-numbness", "ache", "radiating", "stiffness"],
        ),
        ("lumbar redflags --symptom sad", &["saddle-numbness"]),
        (
            "lumbar routine ",
            &[
                "warmup",
                "stretch",
                "strength",
                "pilates",
                "cross-training",
                "form",
                "relief",
            ],
        ),
        (
            "lumbar config set ",
            &["units", "shoe-limit", "surface", "age", "no-rest-days"],
        ),
        ("lumbar config get sh", &["shoe-limit"]),
        ("lumbar config set units ", &["km", "mi"]),
        ("lumbar config set surface gr", &["grass"]),
        ("lumbar --units ", &["km", "mi"]),
        ("lumbar --color ", &["auto", "always", "never"]),
        ("lumbar completions ", &["bash", "zsh", "fish", "elvish", "powershell"]),
        ("lumbar export --format ", &["json", "csv"]),
        ("lumbar man run ", &["add", "list", "show", "edit", "rm"]),
        ("lumbar plan --long-day ", &["monday", "saturday", "sunday"]),
        ("lumbar plan --long-day s", &["saturday", "sunday"]),
    ];
    for (line, expected) in cases {
        let words = complete(&env, line);
        let got = values(&words);
        for e in *expected {
            assert!(got.contains(e), "`{line}<Tab>` lacks {e}: {got:?}");
        }
        if line.ends_with(|c: char| c.is_alphabetic()) {
            let typed = line.rsplit(' ').next().unwrap();
            assert!(got.iter().all(|w| w.starts_with(typed)), "`{line}<Tab>`: {got:?}");
        }
    }
}

#[test]
fn bash_completes_shoe_names_and_ids_from_the_store() {
    if !have_bash() {
        return;
    }
    let env = Env::new();
    // Nothing logged yet: no candidates, and no error in the middle of the line.
    assert!(values(&complete(&env, "lumbar run show ")).is_empty());
    env.ok(&["shoes", "add", "Pegasus", "--default"]);
    env.ok(&["shoes", "add", "Ghost"]);
    env.ok(&["run", "add", "5k", "28:30", "--date", "2026-01-10"]);
    env.ok(&["run", "add", "8k", "44:00", "--date", "2026-01-12"]);
    env.ok(&["pain", "add", "3", "--date", "2026-01-12"]);
    let shoes = complete(&env, "lumbar run add 5k 28:30 --shoe ");
    assert!(
        shoes.contains(&"Pegasus".into()) && shoes.contains(&"Ghost".into()),
        "{shoes:?}"
    );
    assert_eq!(
        values(&complete(&env, "lumbar run add 5k 28:30 --shoe Pe")),
        ["Pegasus"]
    );
    assert_eq!(values(&complete(&env, "lumbar shoes retire G")), ["Ghost"]);
    let runs = complete(&env, "lumbar run show ");
    assert_eq!(values(&runs), ["2", "1"], "newest first");
    assert_eq!(values(&complete(&env, "lumbar run edit ")), ["2", "1"]);
    assert_eq!(values(&complete(&env, "lumbar pain show ")), ["1"]);
    let refs = complete(&env, "lumbar pain add 3 --run ");
    assert_eq!(values(&refs), ["last", "2", "1"]);
    // Another store named on the line is the one read.
    let other = Env::new();
    let line = format!("lumbar --data-dir {} run show ", env.data_dir().display());
    assert_eq!(values(&complete(&other, &line)), ["2", "1"]);
    // An unreadable store gives no candidates and no noise.
    std::fs::write(env.store_path(), b"{ not json").unwrap();
    assert!(values(&complete(&env, "lumbar run show ")).is_empty());
}

#[test]
fn every_shell_gets_a_registration_script_and_the_engine_answers() {
    let env = Env::new();
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(
            script.contains("COMPLETE"),
            "{shell} script does not call back lumbar:\n{script}"
        );
        assert!(
            script.contains(&lumbar_path()),
            "{shell} script does not name this binary"
        );
    }
    // The protocol the fish and zsh scripts use: `COMPLETE=SHELL lumbar -- WORDS`.
    let out = env
        .cmd()
        .env("COMPLETE", "fish")
        .args(["--", "lumbar", "run", "add", "5k", "28:30", "--surface", "tr"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    for s in ["track", "treadmill", "trail"] {
        assert!(text.lines().any(|l| l.starts_with(s)), "{text}");
    }
}

#[test]
fn an_unknown_shell_is_bad_input() {
    let err = Env::new().fails(&["completions", "tcsh"], 2);
    assert!(err.contains("bash"), "the accepted shells are listed: {err}");
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

fn all_paths() -> Vec<Vec<String>> {
    let mut paths = Vec::new();
    command_paths(&lumbar::cli::Cli::command(), Vec::new(), &mut paths);
    paths
}

const PAGE_SECTIONS: [&str; 8] = [
    ".SH NAME",
    ".SH SYNOPSIS",
    ".SH DESCRIPTION",
    ".SH EXAMPLES",
    ".SH \"EXIT STATUS\"",
    ".SH ENVIRONMENT",
    ".SH FILES",
    ".SH \"SEE ALSO\"",
];

#[test]
fn every_command_has_its_own_page_with_the_three_sections() {
    let env = Env::new();
    let top = env.ok(&["man"]);
    assert!(
        top.starts_with(".ie") || top.contains(".TH lumbar 1"),
        "{}",
        &top[..200.min(top.len())]
    );
    assert!(top.contains(".TH lumbar 1"));
    assert!(top.contains(".SH COMMANDS") && top.contains("lumbar stats"));
    for path in all_paths() {
        let mut args = vec!["man"];
        args.extend(path.iter().map(String::as_str));
        let page = env.ok(&args);
        let title = format!(".TH lumbar-{} 1", path.join("-"));
        assert!(page.contains(&title), "`lumbar {}`: no {title}", args.join(" "));
        for section in PAGE_SECTIONS {
            assert!(page.contains(section), "`lumbar {}` lacks {section}", args.join(" "));
        }
        for var in ["LUMBAR_DATA_DIR", "NO_COLOR", "CLICOLOR_FORCE", "COLUMNS", "TZ", "LANG"] {
            assert!(
                page.contains(var),
                "`lumbar {}` ENVIRONMENT lacks {var}",
                args.join(" ")
            );
        }
        for file in ["lumbar.json", "lumbar.lock"] {
            assert!(page.contains(file), "`lumbar {}` FILES lacks {file}", args.join(" "));
        }
        assert!(page.is_ascii(), "`lumbar {}` is not plain ASCII roff", args.join(" "));
    }
    let err = env.fails(&["man", "run", "ad"], 2);
    assert!(err.contains("did you mean 'add'"), "{err}");
}

#[test]
fn man_dir_writes_every_page_and_never_replaces_one_without_force() {
    let env = Env::new();
    let dir = env.dir.path().join("man1");
    env.ok(&["man", "--dir", dir.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), all_paths().len() + 1, "{names:?}");
    assert!(names.contains(&"lumbar.1".into()) && names.contains(&"lumbar-run-add.1".into()));
    assert!(!names.iter().any(|n| n.contains("tmp")), "no temp file left: {names:?}");
    let page = std::fs::read_to_string(dir.join("lumbar-run-add.1")).unwrap();
    assert_eq!(page, env.ok(&["man", "run", "add"]));

    // Again: refused, exit 2, and nothing changed.
    std::fs::write(dir.join("lumbar-stats.1"), "mine").unwrap();
    let err = env.fails(&["man", "--dir", dir.to_str().unwrap()], 2);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.join("lumbar-stats.1")).unwrap(), "mine");
    // A page that is not a regular file is refused even with --force.
    std::fs::remove_file(dir.join("lumbar-stats.1")).unwrap();
    std::fs::create_dir(dir.join("lumbar-stats.1")).unwrap();
    let err = env.fails(&["man", "--dir", dir.to_str().unwrap(), "--force"], 2);
    assert!(err.contains("not a regular file"), "{err}");
    std::fs::remove_dir(dir.join("lumbar-stats.1")).unwrap();
    env.ok(&["man", "--dir", dir.to_str().unwrap(), "--force"]);
    assert!(
        std::fs::read_to_string(dir.join("lumbar-stats.1"))
            .unwrap()
            .contains(".TH lumbar-stats 1")
    );
}

#[test]
fn pages_render_with_man_when_available() {
    // Where man is installed it must accept every page; otherwise the roff checks above stand.
    let Ok(probe) = Process::new("man").arg("--version").output() else {
        eprintln!("skipped: man is not installed");
        return;
    };
    if !probe.status.success() {
        return;
    }
    let env = Env::new();
    let out = bash_in(
        r#""$LUMBAR" man run add > "$WORK/p.1" && MANWIDTH=80 man -l "$WORK/p.1""#,
        env.dir.path(),
        &env.data_dir(),
    );
    for heading in [
        "NAME",
        "SYNOPSIS",
        "EXAMPLES",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
        "SEE ALSO",
    ] {
        assert!(out.contains(heading), "{heading}:\n{out}");
    }
    assert!(out.contains("lumbar run add 5k 28:30"), "{out}");
}

#[test]
fn every_command_has_examples_in_its_help() {
    let paths = all_paths();
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

#[test]
fn help_names_the_data_folder_in_use() {
    let env = Env::new();
    let help = env.ok(&["--help"]);
    let dir = env.data_dir().display().to_string();
    assert!(
        help.contains(&format!("Data: {dir}/lumbar.json (from $LUMBAR_DATA_DIR)")),
        "{help}"
    );
    let other = env.dir.path().join("elsewhere").display().to_string();
    let help = env.ok(&["--data-dir", &other, "run", "add", "--help"]);
    assert!(help.contains(&format!("[in use: {other}, from --data-dir]")), "{help}");
    let xdg = env.dir.path().join("xdg");
    let out = env
        .cmd()
        .env_remove("LUMBAR_DATA_DIR")
        .env("XDG_DATA_HOME", &xdg)
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    let expected = format!(
        "Data: {}/lumbar/lumbar.json (from $XDG_DATA_HOME/lumbar)",
        xdg.display()
    );
    assert!(help.contains(&expected), "{help}");
}

#[test]
fn help_defaults_are_honest() {
    let env = Env::new();
    let add = env.ok(&["run", "add", "--help"]);
    assert!(add.contains("[default: now]"), "{add}");
    let edit = env.ok(&["run", "edit", "--help"]);
    assert!(!edit.contains("[default: now]"), "edit keeps the date it has:\n{edit}");
    assert!(!edit.contains("default shoe"), "{edit}");
    let pain_edit = env.ok(&["pain", "edit", "--help"]);
    for default in ["[default: now]", "[default: lower-back]", "[default: center]"] {
        assert!(
            !pain_edit.contains(default),
            "pain edit keeps what the entry has:\n{pain_edit}"
        );
    }
    let pain_add = env.ok(&["pain", "add", "--help"]);
    assert!(
        pain_add.contains("[default: lower-back]") && pain_add.contains("[default: center]"),
        "{pain_add}"
    );
    // The forms of WHEN, and which Monday `monday` is.
    let long = env
        .ok(&["run", "add", "--help"])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        long.contains("2026-11-25T07:30:00+01:00") && long.contains("or today when it is Monday"),
        "{long}"
    );
}
