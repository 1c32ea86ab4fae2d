//! The store's promises, tested against the real binary: concurrent writers queue, a killed
//! writer never leaves a broken file, a damaged or newer file is never overwritten, and older
//! layouts are migrated.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use common::Env;
use serde_json::Value;

fn run_count(env: &Env) -> usize {
    env.json(&["run", "list"])["runs"].as_array().unwrap().len()
}

fn lumbar(env: &Env) -> StdCommand {
    let mut c = StdCommand::new(assert_cmd::cargo::cargo_bin("lumbar"));
    c.env("LUMBAR_DATA_DIR", env.data_dir())
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}

#[test]
fn forty_writers_at_once_keep_forty_runs_with_distinct_ids() {
    let env = Env::new();
    let children: Vec<_> = (0..40)
        .map(|i| {
            let dist = format!("{}k", 3 + i % 10);
            lumbar(&env)
                .args(["run", "add", &dist, "30:00"])
                .spawn()
                .expect("spawn lumbar")
        })
        .collect();
    for c in children {
        let out = c.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let runs = env.json(&["run", "list"]);
    let mut ids: Vec<u64> = runs["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_u64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=40).collect::<Vec<u64>>());
}

#[test]
fn eight_writers_of_fifty_entries_each_keep_all_four_hundred() {
    let env = Env::new();
    let children: Vec<_> = (0..8)
        .map(|w| {
            let script = format!("for i in $(seq 1 50); do \"$0\" pain add 3 --notes w{w}-$i || exit 1; done");
            StdCommand::new("sh")
                .args(["-c", &script, assert_cmd::cargo::cargo_bin("lumbar").to_str().unwrap()])
                .env("LUMBAR_DATA_DIR", env.data_dir())
                .env("TZ", "UTC")
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let pain = env.json(&["pain", "list"]);
    let mut notes: Vec<String> = pain["pain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["notes"].as_str().unwrap().to_string())
        .collect();
    notes.sort();
    notes.dedup();
    assert_eq!(notes.len(), 400);
}

/// Kills `run add` with SIGKILL at random moments across its whole life, 200 times. After each
/// kill the store must load, hold the old or the new content, and keep every acknowledged run.
#[test]
fn a_writer_killed_at_any_moment_never_breaks_the_store() {
    let env = Env::new();
    env.ok(&["demo", "--weeks", "60", "--seed", "9"]);
    let rounds: usize = std::env::var("LUMBAR_SOAK_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200);

    // How long one add takes here, so the kills land anywhere in it, the save included.
    let t = Instant::now();
    assert!(
        lumbar(&env)
            .args(["run", "add", "5k", "25:00"])
            .status()
            .unwrap()
            .success()
    );
    let life = t.elapsed().as_micros() as u64;
    let mut acknowledged = run_count(&env);
    let mut rng = fastrand::Rng::with_seed(2026);
    let mut killed_mid_way = 0;
    for round in 0..rounds {
        let mut child = lumbar(&env).args(["run", "add", "4k", "22:00"]).spawn().unwrap();
        std::thread::sleep(Duration::from_micros(rng.u64(0..life * 12 / 10)));
        let finished = child.try_wait().unwrap();
        if finished.is_none() {
            child.kill().unwrap();
            killed_mid_way += 1;
        }
        let status = child.wait().unwrap();
        let count = run_count(&env); // panics if the store does not load
        if status.success() {
            acknowledged += 1;
            assert_eq!(count, acknowledged, "round {round}: an acknowledged run was lost");
        } else {
            assert!(
                count == acknowledged || count == acknowledged + 1,
                "round {round}: {count} runs, {acknowledged} acknowledged"
            );
            acknowledged = count;
        }
    }
    assert!(
        killed_mid_way > rounds / 10,
        "only {killed_mid_way} of {rounds} rounds killed a live writer"
    );
    let leftovers: Vec<_> = std::fs::read_dir(env.data_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lumbar.json.tmp-"))
        .collect();
    // One more successful write sweeps away what killed writers left behind.
    env.ok(&["run", "add", "3k", "18:00"]);
    let after: usize = std::fs::read_dir(env.data_dir())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(".lumbar.json.tmp-"))
        .count();
    assert_eq!(
        after,
        0,
        "{} temp files were left, and {after} remain after a clean write",
        leftovers.len()
    );
}

/// Every command that reads the store, as a user might type it.
const READERS_AND_WRITERS: &[&[&str]] = &[
    &["run", "list"],
    &["run", "show", "1"],
    &["run", "add", "5k", "25:00"],
    &["run", "edit", "1", "--surface", "grass"],
    &["run", "rm", "1", "--yes"],
    &["pain", "add", "3"],
    &["pain", "list"],
    &["config", "list"],
    &["config", "set", "units", "mi"],
    &["demo", "--force"],
    &["stats"],
    &["export"],
    &["export", "--format", "csv"],
    &["shoes"],
    &["shoes", "add", "Pegasus"],
    &["coach"],
    &[
        "import",
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/gpx/garmin-activity.gpx"),
    ],
];

#[test]
fn a_damaged_store_is_reported_with_its_position_and_left_untouched() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00"]);
    env.ok(&["run", "add", "6k", "30:00"]);
    let good = env.store_bytes();
    let truncated = &good[..good.len() / 2];
    let mut garbled = good.clone();
    let at = garbled.iter().position(|&b| b == b':').unwrap();
    garbled[at] = b'#';

    for (what, bytes) in [("truncated", truncated.to_vec()), ("garbled", garbled)] {
        std::fs::write(env.store_path(), &bytes).unwrap();
        for args in READERS_AND_WRITERS {
            let err = env.fails(args, 1);
            assert!(
                err.contains(&env.store_path().display().to_string()),
                "{what} {args:?}: no path:\n{err}"
            );
            assert!(
                err.contains("line ") && err.contains("column "),
                "{what} {args:?}: no position:\n{err}"
            );
            assert!(
                err.contains("backups/lumbar.json.") && err.contains("cp "),
                "{what} {args:?}: no way to restore:\n{err}"
            );
            assert_eq!(env.store_bytes(), bytes, "{what} {args:?} touched the file");
        }
    }
    // The backup it points to really is the previous good version.
    let err = env.fails(&["run", "list"], 1);
    let cp = err
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("to restore it: cp "))
        .unwrap();
    let from = cp.split_whitespace().next().unwrap();
    let backup: Value = serde_json::from_slice(&std::fs::read(from).unwrap()).unwrap();
    assert_eq!(backup["runs"].as_array().unwrap().len(), 1);
}

#[test]
fn a_store_from_a_newer_lumbar_is_refused() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00"]);
    let text = String::from_utf8(env.store_bytes())
        .unwrap()
        .replace("\"version\": 3", "\"version\": 9");
    std::fs::write(env.store_path(), &text).unwrap();
    for args in READERS_AND_WRITERS {
        let err = env.fails(args, 1);
        assert!(err.contains("newer lumbar"), "{args:?}: {err}");
        assert_eq!(env.store_bytes(), text.as_bytes());
    }
}

#[test]
fn a_version_one_store_is_migrated_and_ids_continue_past_the_largest() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/store-v1.json"),
        env.store_path(),
    )
    .unwrap();
    let runs = env.json(&["run", "list"]);
    assert_eq!(runs["runs"].as_array().unwrap().len(), 2);
    let v = env.json(&["run", "add", "5k", "25:00"]);
    assert_eq!(v["run"]["id"], 8, "the fixture's largest run id is 7");
    let doc: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    assert_eq!(doc["version"], 3);
    assert_eq!(doc["format"], "lumbar");
}

#[test]
fn the_store_is_private_and_backed_up() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00"]);
    let first = env.store_bytes();
    env.ok(&["run", "add", "6k", "30:00"]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&env.data_dir()), 0o700);
    assert_eq!(mode(&env.store_path()), 0o600);
    let backups = env.data_dir().join("backups");
    assert_eq!(mode(&backups), 0o700);
    let kept: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).unwrap(), first);
    assert_eq!(mode(&kept[0]), 0o600);
    let doc: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    assert_eq!(doc["format"], "lumbar");
    assert_eq!(doc["next_id"]["run"], 3);
}

#[test]
fn a_save_that_cannot_finish_says_why_and_keeps_the_store() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00"]);
    env.ok(&["run", "add", "6k", "30:00"]);
    let before = env.store_bytes();
    // A file where the backups folder should be makes the save fail half-way through.
    let backups = env.data_dir().join("backups");
    std::fs::remove_dir_all(&backups).unwrap();
    std::fs::write(&backups, b"x").unwrap();
    let err = env.fails(&["run", "add", "7k", "35:00"], 1);
    assert!(err.contains("cannot back up") && err.contains("not changed"), "{err}");
    assert_eq!(env.store_bytes(), before);
    assert_eq!(run_count(&env), 2);

    // A data dir that is a file.
    let file_env = Env::new();
    std::fs::write(file_env.data_dir(), b"not a folder").unwrap();
    let err = file_env.fails(&["run", "add", "5k", "25:00"], 1);
    assert!(err.contains("data folder"), "{err}");
}

#[test]
fn a_full_disk_gives_a_clear_error_and_an_intact_store() {
    let env = Env::new();
    let Some(_tmpfs) = Tmpfs::mount(&env.data_dir(), "size=256k") else {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root and mount rights)");
        return;
    };
    // Fill the store until the disk is full; the last good version must stay readable.
    let mut last_good = Vec::new();
    let mut failed = None;
    for i in 0..2000 {
        let out = env
            .cmd()
            .args(["pain", "add", "2", "--notes", &"x".repeat(400)])
            .output()
            .unwrap();
        if out.status.success() {
            last_good = env.store_bytes();
        } else {
            failed = Some((i, String::from_utf8_lossy(&out.stderr).to_string(), out.status.code()));
            break;
        }
    }
    let (_, err, code) = failed.expect("a 256 KiB disk fills up");
    assert_eq!(code, Some(1));
    assert!(err.contains("disk full") || err.contains("No space"), "{err}");
    assert_eq!(env.store_bytes(), last_good, "the store is the last good version");
    env.ok(&["pain", "list"]);
}

#[test]
fn a_read_only_folder_gives_a_clear_error_and_an_intact_store() {
    let env = Env::new();
    std::fs::create_dir_all(env.data_dir()).unwrap();
    // Root ignores file modes, so a read-only filesystem is the honest way to test this.
    let Some(tmpfs) = Tmpfs::mount(&env.data_dir(), "size=1m") else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount rights)");
        return;
    };
    env.ok(&["run", "add", "5k", "25:00"]);
    let before = env.store_bytes();
    assert!(tmpfs.remount_read_only(), "remount read-only");
    let err = env.fails(&["run", "add", "6k", "30:00"], 1);
    assert!(err.contains("read-only") || err.contains("Read-only"), "{err}");
    assert_eq!(env.store_bytes(), before);
    assert_eq!(run_count(&env), 1, "reading still works");
}

/// A small tmpfs mounted over a test's data folder, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &std::path::Path, options: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(at).ok()?;
        // A tmpfs is world-writable (1777) unless told otherwise, which lumbar refuses.
        let options = format!("{options},mode=0700");
        let ok = StdCommand::new("mount")
            .args(["-t", "tmpfs", "-o", &options, "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    fn remount_read_only(&self) -> bool {
        StdCommand::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg(&self.0).status();
    }
}
