//! The attacks of issue 14, each against the real binary: a write aimed at the store, its
//! backups or its lock; devices, FIFOs and folders where a file should be; the demo over real
//! data; hand-edited stores with typos, duplicate ids, low counters and impossible values;
//! symlinked and dangling stores; shared folders and planted links; a stopped lock holder;
//! escape sequences and spreadsheet formulas in what a runner typed; `TZ=:/dev/zero`.
//!
//! Each asserts the exit code, that the message says what happened and what to do, and that the
//! data folder is byte-identical afterwards (or that the entry was kept). The README's "How it
//! keeps your data safe" names these tests.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::{Command as StdCommand, Stdio};
use std::time::Duration;

use common::Env;
use serde_json::Value;

/// Everything under `dir`: file bytes, and the target of each symlink (never followed). The lock
/// file is left out: a writer that takes the lock writes its pid there, which is not data.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if e.file_name() == "lumbar.lock" {
            continue;
        }
        let meta = fs::symlink_metadata(&p).unwrap();
        if meta.file_type().is_symlink() {
            out.insert(p.clone(), format!("link -> {}", fs::read_link(&p).unwrap().display()));
        } else if meta.is_dir() {
            out.insert(p.clone(), format!("dir {:o}", meta.permissions().mode()));
            out.extend(snapshot(&p));
        } else if meta.is_file() {
            out.insert(p.clone(), String::from_utf8_lossy(&fs::read(&p).unwrap()).into_owned());
        } else {
            out.insert(p.clone(), format!("special {:?}", meta.file_type()));
        }
    }
    out
}

/// Asserts two snapshots are the same, naming only what differs.
fn assert_same(before: &BTreeMap<PathBuf, String>, after: &BTreeMap<PathBuf, String>, what: &str) {
    let changed: Vec<_> = before
        .keys()
        .chain(after.keys())
        .filter(|k| before.get(*k) != after.get(*k))
        .collect();
    assert!(changed.is_empty(), "{what} changed the data folder: {changed:?}");
}

/// A store with history, a shoe, notes, and two generations of backups.
fn stocked() -> Env {
    let env = Env::new();
    env.ok(&["demo", "--weeks", "3", "--seed", "5"]);
    env.ok(&[
        "run",
        "add",
        "6k",
        "31:00",
        "--date",
        "2026-01-10 07:00",
        "--notes",
        "hills",
    ]);
    env.ok(&["pain", "add", "2", "--date", "2026-01-10 09:00"]);
    env
}

/// The store text with `from` replaced by `to` (once), written back as a hand edit would.
fn hand_edit(env: &Env, from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(env.store_bytes()).unwrap();
    assert!(text.contains(from), "the store has no {from:?}");
    let edited = text.replacen(from, to, 1);
    fs::write(env.store_path(), &edited).unwrap();
    edited.into_bytes()
}

/// Commands that write, each of which must refuse a store it cannot fully understand.
const WRITERS: &[&[&str]] = &[
    &["run", "add", "5k", "25:00"],
    &["run", "rm", "1", "--yes"],
    &["pain", "add", "3"],
    &["config", "set", "units", "mi"],
    &["shoes", "add", "Spare"],
    &["demo", "--yes"],
];

/// Every reader and writer exits 1 on the edited store, names the file, a position and a fix,
/// and leaves the whole folder as it was.
fn refused_everywhere(env: &Env, needles: &[&str]) -> String {
    let before = snapshot(&env.data_dir());
    let mut last = String::new();
    for args in WRITERS
        .iter()
        .chain(&[&["run", "list"][..], &["coach"], &["export"], &["stats"]])
    {
        let err = env.fails(args, 1);
        assert!(
            err.contains(&env.store_path().display().to_string()),
            "{args:?}: no path\n{err}"
        );
        assert!(
            err.contains("line ") && err.contains("column "),
            "{args:?}: no position\n{err}"
        );
        assert!(err.contains("to fix it:"), "{args:?}: no fix\n{err}");
        assert!(err.contains("to restore it: cp "), "{args:?}: no way back\n{err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: no {n:?}\n{err}");
        }
        assert_same(&before, &snapshot(&env.data_dir()), &format!("{args:?}"));
        last = err;
    }
    last
}

// ---- 1. Output paths ---------------------------------------------------------------------

#[test]
fn export_never_replaces_the_store_its_backups_or_its_lock() {
    let env = stocked();
    let data = env.data_dir();
    fs::write(data.join("lumbar.json.bak"), b"the backup of an older lumbar").unwrap();
    let backup = fs::read_dir(data.join("backups"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    symlink(env.store_path(), env.dir.path().join("sync-link.json")).unwrap();
    fs::hard_link(env.store_path(), env.dir.path().join("hard-link.json")).unwrap();
    let dotted = format!("{}/../data/./lumbar.json", data.display());
    let targets: Vec<(String, &str)> = vec![
        (env.store_path().display().to_string(), "the lumbar store"),
        (dotted, "the lumbar store"),
        (
            env.dir.path().join("sync-link.json").display().to_string(),
            "the lumbar store",
        ),
        (
            env.dir.path().join("hard-link.json").display().to_string(),
            "the lumbar store",
        ),
        (backup.display().to_string(), "backups folder"),
        (data.join("backups/new.csv").display().to_string(), "backups folder"),
        (
            data.join("lumbar.json.bak").display().to_string(),
            "a backup of the store",
        ),
        (data.join("lumbar.lock").display().to_string(), "lock file"),
        (
            data.join(".lumbar.json.tmp-0123456789abcdef").display().to_string(),
            "temp file",
        ),
    ];
    let before = snapshot(&data);
    for (target, what) in &targets {
        for format in ["json", "csv"] {
            for force in [false, true] {
                let mut args = vec!["export", "--format", format, "--output", target.as_str()];
                if force {
                    args.push("--force");
                }
                let err = env.fails(&args, 2);
                assert!(
                    err.contains(what) && err.contains("never writes over it"),
                    "{args:?}\n{err}"
                );
                assert_same(&before, &snapshot(&data), &format!("{args:?}"));
            }
        }
    }
    // The run that would have been lost is still there.
    let runs = env.json(&["run", "list"]);
    assert!(runs["runs"].as_array().unwrap().iter().any(|r| r["notes"] == "hills"));
}

#[test]
fn export_refuses_devices_fifos_sockets_and_folders() {
    let env = stocked();
    let dir = env.dir.path();
    let fifo = dir.join("pipe");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let socket = dir.join("sock");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    fs::create_dir(dir.join("folder")).unwrap();
    symlink("/dev/null", dir.join("null-link")).unwrap();
    let cases: &[(&Path, &str)] = &[
        (&fifo, "FIFO"),
        (&socket, "socket"),
        (Path::new("/dev/null"), "character device"),
        (&dir.join("null-link"), "character device"),
        (&dir.join("folder"), "folder"),
    ];
    for (path, kind) in cases {
        for force in [false, true] {
            let mut args = vec!["export", "--output", path.to_str().unwrap()];
            if force {
                args.push("--force");
            }
            // A write into the FIFO would block: the timeout turns that into a failure.
            let out = env.cmd().args(&args).timeout(Duration::from_secs(20)).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(2), "{args:?}\n{err}");
            assert!(err.contains(kind), "{args:?}\n{err}");
        }
    }
    let meta = fs::symlink_metadata(&fifo).unwrap();
    assert!(
        std::os::unix::fs::FileTypeExt::is_fifo(&meta.file_type()),
        "the FIFO is still a FIFO"
    );
    assert!(
        fs::symlink_metadata(dir.join("null-link"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

/// As root, `--force` could replace a device node with a regular file; it must not.
#[test]
fn export_as_root_leaves_dev_full_a_device() {
    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("skipped: needs root (as another user /dev is not writable anyway)");
        return;
    }
    let env = stocked();
    let err = env.fails(&["export", "--output", "/dev/full", "--force"], 2);
    assert!(err.contains("character device"), "{err}");
    let meta = fs::symlink_metadata("/dev/full").unwrap();
    assert!(std::os::unix::fs::FileTypeExt::is_char_device(&meta.file_type()));
}

#[test]
fn export_writes_through_a_symlink_to_a_regular_file() {
    let env = stocked();
    let real = env.dir.path().join("real.csv");
    fs::write(&real, b"old\n").unwrap();
    let link = env.dir.path().join("link.csv");
    symlink(&real, &link).unwrap();
    let err = env.fails(&["export", "--format", "csv", "--output", link.to_str().unwrap()], 2);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(fs::read(&real).unwrap(), b"old\n");
    env.ok(&[
        "export",
        "--format",
        "csv",
        "--output",
        link.to_str().unwrap(),
        "--force",
    ]);
    assert!(
        fs::symlink_metadata(&link).unwrap().file_type().is_symlink(),
        "the link stays a link"
    );
    assert!(fs::read_to_string(&real).unwrap().starts_with("id,start,"));
    let dangling = env.dir.path().join("dangling.csv");
    symlink(env.dir.path().join("nowhere/x.csv"), &dangling).unwrap();
    let err = env.fails(&["export", "--output", dangling.to_str().unwrap(), "--force"], 2);
    assert!(err.contains("does not exist"), "{err}");
}

// ---- 2. Demo and backup generations --------------------------------------------------------

#[test]
fn demo_over_real_data_needs_yes_and_keeps_a_dated_copy_through_later_writes() {
    let env = stocked();
    let real = env.store_bytes();
    let err = env.fails(&["demo"], 2);
    assert!(err.contains("--yes") && err.contains("already holds"), "{err}");
    assert_eq!(env.store_bytes(), real);

    let out = env.json(&["demo", "--weeks", "2", "--yes"]);
    let kept = PathBuf::from(out["kept"].as_str().expect("the path of the kept copy"));
    assert!(kept.starts_with(env.data_dir().join("backups")), "{}", kept.display());
    assert!(
        kept.file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with(".before-demo.bak")
    );
    assert_eq!(
        fs::read(&kept).unwrap(),
        real,
        "the copy is the real history, byte for byte"
    );

    // The sequence: one more write after the demo must not lose the history.
    for i in 0..8 {
        env.ok(&["run", "add", "5k", "25:00", "--notes", &format!("after demo {i}")]);
    }
    assert_eq!(fs::read(&kept).unwrap(), real, "later writes never touch the kept copy");
    // The hidden alias of earlier versions still works, and still keeps a copy.
    env.ok(&["demo", "--weeks", "2", "--force"]);
    let copies = fs::read_dir(env.data_dir().join("backups"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".before-demo.bak"))
        .count();
    assert_eq!(copies, 2);
}

/// Runs `command` (a `sh -c` line; `$LUMBAR` is the binary) on a pseudo-terminal with
/// `script(1)`, typing `input`. `None` when `script` is not installed.
fn on_a_terminal(env: &Env, command: &str, input: &str, vars: &[(&str, &str)]) -> Option<String> {
    use std::io::{Read, Write};
    if StdCommand::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: needs script(1) from util-linux for a pseudo-terminal");
        return None;
    }
    let mut child = StdCommand::new("script")
        .args(["-qec", command, "/dev/null"])
        .env("SHELL", "/bin/sh")
        .env("LUMBAR", assert_cmd::cargo::cargo_bin("lumbar"))
        .env("LUMBAR_DATA_DIR", env.data_dir())
        .env("TZ", "UTC")
        .envs(vars.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    // A command that waited for more input would hang: give up after a while.
    for _ in 0..400 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    if child.try_wait().unwrap().is_none() {
        child.kill().unwrap();
        panic!("{command} did not finish on the terminal");
    }
    let mut out = String::new();
    child.stdout.take().unwrap().read_to_string(&mut out).unwrap();
    Some(out)
}

#[test]
fn demo_on_a_terminal_asks_before_replacing_real_data() {
    let env = stocked();
    let real = env.store_bytes();
    let Some(out) = on_a_terminal(&env, "\"$LUMBAR\" demo --weeks 2", "n\n", &[]) else {
        return;
    };
    assert!(out.contains("Replace it with an example history?"), "{out}");
    assert!(out.contains("kept it; nothing was changed"), "{out}");
    assert_eq!(env.store_bytes(), real);
    let out = on_a_terminal(&env, "\"$LUMBAR\" demo --weeks 2", "y\n", &[]).unwrap();
    assert!(out.contains("Wrote a 2-week example history"), "{out}");
    let kept: Vec<_> = fs::read_dir(env.data_dir().join("backups"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".before-demo.bak"))
        .map(|e| fs::read(e.path()).unwrap())
        .collect();
    assert_eq!(kept, [real]);
}

#[test]
fn backups_keep_five_dated_generations_and_the_old_single_backup() {
    let env = stocked();
    fs::write(env.data_dir().join("lumbar.json.bak"), b"from an older lumbar").unwrap();
    let mut versions = vec![env.store_bytes()];
    for i in 0..7 {
        env.ok(&["pain", "add", "1", "--notes", &format!("entry {i}")]);
        versions.push(env.store_bytes());
    }
    let dir = env.data_dir().join("backups");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    for n in &names {
        // lumbar.json.2026-12-01T091500Z.bak, or ...Z-2.bak for a second one in that second.
        let stamp = n
            .strip_prefix("lumbar.json.")
            .and_then(|s| s.strip_suffix(".bak"))
            .unwrap();
        assert_eq!(&stamp[10..11], "T", "{n}");
        assert!(
            stamp[..17].ends_with(|c: char| c.is_ascii_digit()) && stamp.contains('Z'),
            "{n}"
        );
    }
    // The five are the five versions before the current one (told apart by their counters).
    let counter = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).unwrap()["next_id"]["pain"].clone();
    let mut kept: Vec<Value> = names.iter().map(|n| counter(&fs::read(dir.join(n)).unwrap())).collect();
    kept.sort_by_key(|v| v.as_u64());
    let expected: Vec<Value> = versions[versions.len() - 6..versions.len() - 1]
        .iter()
        .map(|v| counter(v))
        .collect();
    assert_eq!(kept, expected);
    assert_eq!(
        fs::read(env.data_dir().join("lumbar.json.bak")).unwrap(),
        b"from an older lumbar"
    );
}

// ---- 3. Load validates everything -----------------------------------------------------------

#[test]
fn a_typo_in_a_key_is_refused_with_its_line_and_the_fix() {
    let env = stocked();
    hand_edit(&env, "\"shoe_id\":", "\"shoe_Id\":");
    let err = refused_everywhere(
        &env,
        &["unknown field \"shoe_Id\"", "rename \"shoe_Id\" to \"shoe_id\""],
    );
    // The line named is the line with the typo.
    let text = String::from_utf8(env.store_bytes()).unwrap();
    let line = text.lines().position(|l| l.contains("shoe_Id")).unwrap() + 1;
    assert!(err.contains(&format!("line {line}, column")), "line {line}?\n{err}");
    // A typo in a top-level key and in an older (v2) layout are refused the same way.
    let env = stocked();
    hand_edit(&env, "\"config\":", "\"Config\":");
    refused_everywhere(&env, &["unknown field \"Config\""]);
    let env = stocked();
    let text = String::from_utf8(env.store_bytes()).unwrap();
    let v2 = text
        .replace("\"version\": 3", "\"version\": 2")
        .replacen("\"notes\":", "\"nots\":", 1);
    fs::write(env.store_path(), v2).unwrap();
    refused_everywhere(&env, &["unknown field \"nots\"", "\"notes\""]);
}

#[test]
fn duplicate_ids_are_refused_and_run_rm_removes_nothing() {
    let env = stocked();
    let text = String::from_utf8(env.store_bytes()).unwrap();
    let line = text.lines().find(|l| l.contains("\"id\":2,\"start\"")).unwrap();
    // A second copy of run 2 just before it, as a bad merge of two synced copies would leave.
    hand_edit(&env, line, &format!("{},\n{line}", line.trim_end_matches(',')));
    let err = refused_everywhere(&env, &["two run entries have id 2", "the other is on line"]);
    assert!(err.contains("delete one"), "{err}");
}

#[test]
fn counters_below_the_highest_id_or_at_the_maximum_are_refused() {
    let env = stocked();
    let doc: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    let next = doc["next_id"]["run"].as_u64().unwrap();
    hand_edit(&env, &format!("\"run\":{next}"), "\"run\":2");
    refused_everywhere(&env, &["next_id.run is 2", &format!("at least {next}")]);

    let env = stocked();
    hand_edit(&env, &format!("\"run\":{next}"), &format!("\"run\":{}", u64::MAX));
    refused_everywhere(&env, &["next_id.run is at the largest number"]);

    // One below the maximum loads; the add that would leave it at the maximum is not saved, so
    // no id is ever handed out twice and nothing overflows.
    let env = stocked();
    let edited = hand_edit(&env, &format!("\"run\":{next}"), &format!("\"run\":{}", u64::MAX - 1));
    env.ok(&["run", "list"]);
    let err = env.fails(&["run", "add", "5k", "25:00"], 2);
    assert!(err.contains("not saved: next_id.run is at the largest number"), "{err}");
    assert_eq!(env.store_bytes(), edited);
}

/// A date lumbar cannot keep is bad input (exit 2), said at the flag, and nothing is written;
/// whatever a command would save is checked again before the write.
#[test]
fn a_change_that_would_leave_an_invalid_store_is_not_saved() {
    let env = stocked();
    let before = snapshot(&env.data_dir());
    for args in [
        &["run", "add", "5k", "25:00", "--date", "1850-01-01"][..],
        &["pain", "add", "2", "--date", "1899-12-31"],
    ] {
        let err = env.fails(args, 2);
        assert!(
            err.contains("date '18") && err.contains("1900 or later"),
            "{args:?}\n{err}"
        );
        assert_same(&before, &snapshot(&env.data_dir()), &format!("{args:?}"));
    }
}

#[test]
fn values_no_command_could_write_are_refused() {
    // Each edit is made on the line of the run and the pain entry `stocked` adds by hand.
    let run_cases: &[(&str, &str, &str)] = &[
        ("\"distance_m\":6000.0", "\"distance_m\":-1", "distance_m -1"),
        ("\"distance_m\":6000.0", "\"distance_m\":0", "distance_m 0"),
        ("\"duration_s\":1860", "\"duration_s\":0", "duration_s 0"),
        (
            "\"duration_s\":1860",
            "\"duration_s\":100000000000000000",
            "duration_s 100000000000000000",
        ),
        (
            "\"start\":\"2026-01-10T07:00:00Z\"",
            "\"start\":\"0000-01-10T07:00:00Z\"",
            "year 0",
        ),
        (
            "\"start\":\"2026-01-10T07:00:00Z\"",
            "\"start\":\"2201-01-10T07:00:00Z\"",
            "year 2201",
        ),
        ("\"rpe\":null", "\"rpe\":99", "rpe 99, but RPE is 1 to 10"),
        ("\"rpe\":null", "\"rpe\":0", "rpe 0"),
        ("\"shoe_id\":", "\"shoe_id\":77,\"x\":", ""),
    ];
    for (from, to, needle) in run_cases {
        let env = stocked();
        let text = String::from_utf8(env.store_bytes()).unwrap();
        let line = text.lines().find(|l| l.contains("\"notes\":\"hills\"")).unwrap();
        if to.contains("\"x\"") {
            // The reference to a pair that is not there.
            let shoe = line.split("\"shoe_id\":").nth(1).unwrap().split(',').next().unwrap();
            hand_edit(
                &env,
                line,
                &line.replace(&format!("\"shoe_id\":{shoe}"), "\"shoe_id\":77"),
            );
            refused_everywhere(&env, &["run ", "names shoe 77, which is not in the store"]);
            continue;
        }
        hand_edit(&env, line, &line.replacen(from, to, 1));
        refused_everywhere(&env, &[needle]);
    }
    let pain_cases: &[(&str, &str, &str)] = &[
        ("\"level\":2,", "\"level\":11,", "level 11, but pain is 0 to 10"),
        (
            "\"run_id\":null",
            "\"run_id\":4040",
            "follows run 4040, which is not in the store",
        ),
        (
            "\"at\":\"2026-01-10T09:00:00Z\"",
            "\"at\":\"1899-12-31T09:00:00Z\"",
            "year 1899",
        ),
    ];
    for (from, to, needle) in pain_cases {
        let env = stocked();
        let text = String::from_utf8(env.store_bytes()).unwrap();
        let line = text
            .lines()
            .find(|l| l.contains("\"at\":\"2026-01-10T09:00:00Z\""))
            .unwrap();
        hand_edit(&env, line, &line.replacen(from, to, 1));
        refused_everywhere(&env, &[needle]);
    }
    // Settings, and a number where a whole number belongs.
    let env = stocked();
    hand_edit(&env, "\"shoe_limit_m\":482803.2", "\"shoe_limit_m\":-5");
    refused_everywhere(&env, &["shoe_limit_m is -5"]);
    let env = stocked();
    hand_edit(&env, "\"duration_s\":1860", "\"duration_s\":1e17");
    refused_everywhere(&env, &["floating point `1e+17`, expected u64"]);
}

/// Found by the hostile test: a hand-edited duration of 1e17 seconds made `coach` panic.
#[test]
fn a_huge_duration_does_not_crash_the_coach() {
    let env = stocked();
    hand_edit(&env, "\"duration_s\":1860", "\"duration_s\":100000000000000000");
    for args in [&["coach"][..], &["stats"], &["shoes"], &["run", "list"]] {
        let err = env.fails(args, 1);
        assert!(!err.contains("panicked"), "{err}");
        assert!(err.contains("duration_s"), "{err}");
    }
}

#[test]
fn a_symlinked_store_is_read_and_written_through_the_link() {
    let env = stocked();
    let synced = env.dir.path().join("synced");
    fs::create_dir(&synced).unwrap();
    fs::set_permissions(&synced, fs::Permissions::from_mode(0o700)).unwrap();
    fs::rename(env.store_path(), synced.join("lumbar.json")).unwrap();
    fs::remove_dir_all(env.data_dir().join("backups")).unwrap();
    symlink(synced.join("lumbar.json"), env.store_path()).unwrap();
    let runs = env.json(&["run", "list"])["runs"].as_array().unwrap().len();

    env.ok(&["run", "add", "7k", "40:00", "--notes", "through the link"]);
    assert!(
        fs::symlink_metadata(env.store_path()).unwrap().file_type().is_symlink(),
        "still a link"
    );
    assert_eq!(env.json(&["run", "list"])["runs"].as_array().unwrap().len(), runs + 1);
    let real: Value = serde_json::from_slice(&fs::read(synced.join("lumbar.json")).unwrap()).unwrap();
    assert!(
        real["runs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["notes"] == "through the link")
    );
    // Backups and the lock sit beside the real file, so the rename stays on its file system.
    assert_eq!(fs::read_dir(synced.join("backups")).unwrap().count(), 1);
    assert!(synced.join("lumbar.lock").exists());
    assert!(!env.data_dir().join("backups").exists());
    let temps = fs::read_dir(&synced).unwrap().flatten();
    assert!(
        temps
            .into_iter()
            .all(|e| !e.file_name().to_string_lossy().contains("tmp"))
    );
}

#[test]
fn a_dangling_store_link_is_an_error_not_an_empty_store() {
    let env = Env::new();
    fs::create_dir(env.data_dir()).unwrap();
    fs::set_permissions(env.data_dir(), fs::Permissions::from_mode(0o700)).unwrap();
    let gone = env.dir.path().join("unmounted/lumbar.json");
    symlink(&gone, env.store_path()).unwrap();
    let before = snapshot(&env.data_dir());
    for args in WRITERS.iter().chain(&[&["run", "list"][..], &["export"]]) {
        let err = env.fails(args, 1);
        assert!(
            err.contains("symbolic link") && err.contains("does not exist"),
            "{args:?}\n{err}"
        );
        assert_same(&before, &snapshot(&env.data_dir()), &format!("{args:?}"));
    }
    assert!(!gone.exists(), "nothing was created at the link's target");
}

#[test]
fn a_data_folder_or_store_others_can_write_is_refused() {
    for mode in [0o777, 0o1777, 0o770, 0o720] {
        let env = stocked();
        fs::set_permissions(env.data_dir(), fs::Permissions::from_mode(mode)).unwrap();
        let before = snapshot(&env.data_dir());
        for args in [&["run", "add", "5k", "25:00"][..], &["run", "list"]] {
            let err = env.fails(args, 1);
            assert!(err.contains("can be written by"), "{mode:o} {args:?}\n{err}");
            assert!(
                err.contains(&format!("chmod 700 {}", env.data_dir().display())),
                "{err}"
            );
            assert_same(&before, &snapshot(&env.data_dir()), &format!("{mode:o} {args:?}"));
        }
    }
    let env = stocked();
    fs::set_permissions(env.store_path(), fs::Permissions::from_mode(0o666)).unwrap();
    let before = env.store_bytes();
    let err = env.fails(&["run", "add", "5k", "25:00"], 1);
    assert!(
        err.contains(&format!("chmod 600 {}", env.store_path().display())),
        "{err}"
    );
    assert_eq!(env.store_bytes(), before);
}

#[test]
fn a_fifo_dev_zero_or_huge_file_as_the_store_neither_hangs_nor_eats_memory() {
    let make = |setup: &dyn Fn(&Path)| {
        let env = Env::new();
        fs::create_dir(env.data_dir()).unwrap();
        fs::set_permissions(env.data_dir(), fs::Permissions::from_mode(0o700)).unwrap();
        setup(&env.store_path());
        env
    };
    let fifo = |p: &Path| {
        let c = std::ffi::CString::new(p.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    };
    let zero = |p: &Path| symlink("/dev/zero", p).unwrap();
    let huge = |p: &Path| fs::File::create(p).unwrap().set_len(65 << 20).unwrap();
    type Setup = dyn Fn(&Path);
    let cases: [(&Setup, &str); 3] = [(&fifo, "FIFO"), (&zero, "character device"), (&huge, "MiB")];
    for (setup, needle) in cases {
        let env = make(setup);
        for args in [&["run", "list"][..], &["run", "add", "5k", "25:00"], &["coach"]] {
            let out = env.cmd().args(args).timeout(Duration::from_secs(20)).output().unwrap();
            let err = String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{needle} {args:?}\n{err}");
            assert!(err.contains(needle) && err.contains("cannot read the store"), "{err}");
        }
        let names: Vec<_> = fs::read_dir(env.data_dir())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, ["lumbar.json"], "nothing was created beside it");
    }
}

// ---- 4. Planted links at the names lumbar writes ---------------------------------------------

#[test]
fn planted_links_at_temp_and_backup_names_are_never_followed() {
    // In a world-writable folder anyone can plant them: such a folder is refused outright.
    let env = stocked();
    let victim = env.dir.path().join("victim");
    fs::write(&victim, b"precious").unwrap();
    fs::set_permissions(env.data_dir(), fs::Permissions::from_mode(0o1777)).unwrap();
    fs::remove_file(env.data_dir().join("lumbar.lock")).unwrap();
    symlink(&victim, env.data_dir().join("lumbar.lock")).unwrap();
    let err = env.fails(&["run", "add", "5k", "25:00"], 1);
    assert!(err.contains("chmod 700"), "{err}");
    assert_eq!(fs::read(&victim).unwrap(), b"precious");

    // In the runner's own folder, links at the names earlier versions used, and at the backup
    // names of the next few seconds, are stepped around, never written through.
    let env = stocked();
    let data = env.data_dir();
    let victim = env.dir.path().join("victim");
    fs::write(&victim, b"precious").unwrap();
    symlink(&victim, data.join("lumbar.json.bak")).unwrap();
    for pid in 0..64 {
        let _ = symlink(&victim, data.join(format!(".lumbar.json.tmp-bak-{pid}")));
    }
    let now = chrono::Utc::now();
    for s in 0..30 {
        let stamp = (now + chrono::Duration::seconds(s)).format("%Y-%m-%dT%H%M%SZ");
        // (the names of backups already made this second are taken, and stay as they are)
        let _ = symlink(&victim, data.join(format!("backups/lumbar.json.{stamp}.bak")));
    }
    let runs = env.json(&["run", "list"])["runs"].as_array().unwrap().len();
    for _ in 0..3 {
        env.ok(&["run", "add", "5k", "25:00"]);
    }
    assert_eq!(fs::read(&victim).unwrap(), b"precious", "the victim was never written");
    assert_eq!(env.json(&["run", "list"])["runs"].as_array().unwrap().len(), runs + 3);
    assert!(
        fs::symlink_metadata(data.join("lumbar.json.bak"))
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // A link where the lock or the backups folder should be stops the write, clearly.
    let before = env.store_bytes();
    fs::remove_file(data.join("lumbar.lock")).unwrap();
    symlink(&victim, data.join("lumbar.lock")).unwrap();
    let err = env.fails(&["run", "add", "5k", "25:00"], 1);
    assert!(err.contains("lock file") && err.contains("symbolic link"), "{err}");
    fs::remove_file(data.join("lumbar.lock")).unwrap();
    fs::rename(data.join("backups"), env.dir.path().join("elsewhere")).unwrap();
    symlink(env.dir.path().join("elsewhere"), data.join("backups")).unwrap();
    let err = env.fails(&["run", "add", "5k", "25:00"], 1);
    assert!(err.contains("cannot back up") && err.contains("not changed"), "{err}");
    assert_eq!(env.store_bytes(), before);
    assert_eq!(fs::read(&victim).unwrap(), b"precious");
}

// ---- 5. A lock holder that does not finish ---------------------------------------------------

/// A helper process in its own group, killed with the whole group (stopped or not) and reaped
/// when dropped.
struct Group(std::process::Child);

impl Drop for Group {
    fn drop(&mut self) {
        let pgid = self.0.id() as i32;
        // SAFETY: signals to a process group this test started.
        unsafe {
            libc::kill(-pgid, libc::SIGCONT);
            libc::kill(-pgid, libc::SIGKILL);
        }
        let _ = self.0.wait();
    }
}

#[test]
fn a_stopped_lock_holder_makes_writers_give_up_in_seconds_naming_it() {
    use std::os::unix::process::CommandExt;
    if StdCommand::new("flock").arg("--version").output().is_err() {
        eprintln!("skipped: needs flock(1) from util-linux to hold the lock from another process");
        return;
    }
    let env = stocked();
    let before = snapshot(&env.data_dir());
    let lock = env.data_dir().join("lumbar.lock");
    // The holder writes its pid as lumbar does, takes the lock, and is then stopped.
    let child = StdCommand::new("sh")
        .args(["-c", "echo $$ > \"$1\"; exec flock \"$1\" sleep 120", "sh"])
        .arg(&lock)
        .stdin(Stdio::null())
        .process_group(0)
        .spawn()
        .unwrap();
    let pid = child.id() as i32;
    let _group = Group(child);
    let probe = fs::File::open(&lock).unwrap();
    while probe.try_lock().is_ok() {
        probe.unlock().unwrap();
        std::thread::sleep(Duration::from_millis(20));
    }
    // SAFETY: a process this test started.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);

    let out = env
        .cmd()
        .args(["run", "add", "5k", "25:00"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(err.matches("waiting for").count(), 1, "says once that it waits:\n{err}");
    assert!(err.contains(&format!("pid {pid}")), "{err}");
    assert!(
        err.contains("is stopped") && err.contains(&format!("kill -CONT {pid}")),
        "{err}"
    );
    assert!(err.contains("nothing was changed"), "{err}");
    // Readers do not need the lock.
    env.ok(&["run", "list"]);
    assert_same(&before, &snapshot(&env.data_dir()), "the waiting writer");
}

#[test]
fn a_lock_held_by_a_live_process_is_waited_for_then_given_up_with_what_to_do() {
    let env = stocked();
    let before = env.store_bytes();
    let lock = env.data_dir().join("lumbar.lock");
    let holder = fs::OpenOptions::new().write(true).open(&lock).unwrap();
    holder.lock().unwrap();
    fs::write(&lock, format!("{}\n", std::process::id())).unwrap();
    let out = env
        .cmd()
        .args(["pain", "add", "4"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("pid {}", std::process::id())), "{err}");
    assert!(err.contains("more than 5 seconds") && err.contains("kill "), "{err}");
    assert_eq!(env.store_bytes(), before);
    drop(holder);
    env.ok(&["pain", "add", "4"]);
}

// ---- 6. Untrusted text on a terminal, CSV formulas, TZ -----------------------------------------

const NASTY: &str = "\u{1b}]0;owned\u{7}\u{1b}[2J\u{1b}[31mred\r\u{202e}evil";

fn assert_escaped(text: &str, what: &str) {
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}'] {
        assert!(!text.contains(c), "{what}: a raw {c:?} reached the terminal:\n{text:?}");
    }
}

#[test]
fn escape_sequences_in_notes_names_paths_and_values_are_shown_escaped() {
    let env = stocked();
    let v = env.json(&["run", "add", "5k", "25:00", "--notes", NASTY]);
    let id = v["run"]["id"].to_string();
    let shown = env.ok(&["run", "show", &id]);
    assert_escaped(&shown, "run show");
    assert!(shown.contains("\\u{1b}]0;owned"), "{shown}");
    // JSON keeps the text exactly (serde writes \u001b).
    assert_eq!(env.json(&["run", "show", &id])["run"]["notes"], NASTY);
    let p = env.json(&["pain", "add", "3", "--notes", NASTY]);
    assert_escaped(&env.ok(&["pain", "show", &p["pain"]["id"].to_string()]), "pain show");

    // A shoe name with escapes (only a hand edit or an import can put one there).
    let text = String::from_utf8(env.store_bytes()).unwrap();
    let name = text
        .split("\"name\":\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let evil = serde_json::to_string(NASTY).unwrap();
    fs::write(env.store_path(), text.replace(&format!("\"{name}\""), &evil)).unwrap();
    for args in [
        &["shoes", "--all"][..],
        &["run", "list"],
        &["coach"],
        &["shoes", "rename", "1", "Fresh"],
    ] {
        assert_escaped(&env.ok(args), &format!("{args:?}"));
    }

    // Rejected values, as typed and as clap quotes them.
    for args in [
        &["run", "add", NASTY, "25:00"][..],
        &["run", "add", "5k", "25:00", "--rpe", NASTY],
        &["run", "add", "5k", "25:00", "--surface", NASTY],
        &["pain", "add", "3", "--symptom", NASTY],
        &["shoes", "add", NASTY],
        &["config", "set", NASTY, "1"],
    ] {
        let out = env.cmd().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_escaped(&String::from_utf8_lossy(&out.stderr), &format!("{args:?}"));
    }
    // File names: an import of a file whose name holds escapes, and a data folder's name.
    let file = env.dir.path().join(format!("{NASTY}.gpx"));
    fs::write(&file, b"<gpx><broken").unwrap();
    let out = env.cmd().args(["import", file.to_str().unwrap()]).output().unwrap();
    assert_escaped(&String::from_utf8_lossy(&out.stderr), "import");
    let odd = Env::new();
    let dir = odd.dir.path().join(NASTY);
    let out = odd
        .cmd()
        .env("LUMBAR_DATA_DIR", &dir)
        .args(["demo", "--weeks", "1"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_escaped(&String::from_utf8_lossy(&out.stdout), "demo");
    fs::write(dir.join("lumbar.json"), b"{").unwrap();
    let out = odd
        .cmd()
        .env("LUMBAR_DATA_DIR", &dir)
        .args(["run", "list"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_escaped(&String::from_utf8_lossy(&out.stderr), "the store's path in an error");
}

/// On a terminal clap colours its errors and would pass a typed escape sequence through.
#[test]
fn a_rejected_value_on_a_terminal_is_shown_escaped() {
    let env = stocked();
    for command in [
        "\"$LUMBAR\" run add \"$NASTY\" 25:00",
        "\"$LUMBAR\" run add 5k 25:00 --rpe \"$NASTY\"",
    ] {
        let Some(out) = on_a_terminal(&env, command, "", &[("NASTY", NASTY)]) else {
            return;
        };
        assert!(out.contains("is not valid"), "{command}: {out:?}");
        assert!(
            !out.contains("\u{1b}]0;owned") && !out.contains('\u{7}'),
            "{command}: {out:?}"
        );
        assert!(!out.contains('\u{202e}'), "{command}: {out:?}");
    }
}

#[test]
fn csv_cells_that_spreadsheets_would_run_are_neutralised() {
    let env = Env::new();
    let formulas = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)", "\tx", "\rx"];
    for f in formulas {
        let notes = format!("--notes={f}");
        env.ok(&["run", "add", "5k", "25:00", "--date", "2026-01-10", &notes]);
        env.ok(&["pain", "add", "2", "--date", "2026-01-10", &notes]);
    }
    env.ok(&["shoes", "add", "=HYPERLINK(\"http://x\")"]);
    env.ok(&["run", "add", "5k", "25:00", "--date", "2026-01-11", "--shoe", "1"]);
    for what in ["runs", "pain"] {
        let text = env.ok(&["export", "--format", "csv", "--what", what]);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header = r.headers().unwrap().clone();
        let notes = header.iter().position(|h| h == "notes").unwrap();
        let cells: Vec<String> = r
            .records()
            .map(|row| row.unwrap()[notes].to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let mut expected: Vec<String> = formulas.iter().map(|f| format!("'{f}")).collect();
        expected.sort();
        let mut cells = cells;
        cells.sort();
        assert_eq!(cells, expected, "{what}");
        for row in csv::Reader::from_reader(text.as_bytes()).records() {
            for c in row.unwrap().iter() {
                assert!(!c.starts_with(['=', '+', '@', '\t', '\r']), "{what}: {c:?}");
            }
        }
    }
    let runs = env.ok(&["export", "--format", "csv"]);
    assert!(runs.contains("'=HYPERLINK"), "{runs}");
}

#[test]
fn a_time_zone_naming_dev_zero_or_a_fifo_does_not_hang() {
    let env = stocked();
    let fifo = env.dir.path().join("tz-fifo");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let tz_fifo = format!(":{}", fifo.display());
    for tz in [":/dev/zero", "/dev/zero", "../../../../../dev/zero", tz_fifo.as_str()] {
        let out = env
            .cmd()
            .env("TZ", tz)
            .args(["run", "add", "5k", "25:00"])
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "TZ={tz}: {err}");
        assert!(err.contains("warning:") && err.contains("using UTC"), "TZ={tz}: {err}");
    }
    // An ordinary zone is used without a word.
    let out = env
        .cmd()
        .env("TZ", "Europe/Paris")
        .args(["run", "list"])
        .output()
        .unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
