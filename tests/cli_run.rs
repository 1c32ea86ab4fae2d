//! `lumbar run add|list|show|edit|rm` end to end.

mod common;

use common::Env;
use serde_json::Value;

const RUN_KEYS: &[&str] = &[
    "id",
    "start",
    "distance_m",
    "duration_s",
    "pace_s_per_km",
    "surface",
    "warmup",
    "stretch",
    "shoe_id",
    "shoe",
    "rpe",
    "notes",
    "source",
];

#[test]
fn add_prints_the_run_and_stores_it_with_the_contract_shape() {
    let env = Env::new();
    let out = env.ok(&[
        "run",
        "add",
        "8.2k",
        "42:10",
        "--date",
        "2026-11-24T07:30",
        "--surface",
        "trail",
        "--warmup",
    ]);
    assert!(out.contains("Logged run 1"), "{out}");
    assert!(out.contains("8.20 km in 42:10 (5:09 /km)"), "{out}");
    assert!(out.contains("trail") && out.contains("warm-up yes"), "{out}");

    let v = env.json(&[
        "run",
        "add",
        "5k",
        "25:00",
        "--no-stretch",
        "--rpe",
        "6",
        "--notes",
        "tempo",
    ]);
    let run = &v["run"];
    for key in RUN_KEYS {
        assert!(run.get(key).is_some(), "RUN lacks {key}: {run}");
    }
    assert_eq!(run["id"], 2);
    assert_eq!(run["pace_s_per_km"], 300.0);
    assert_eq!(run["warmup"], Value::Null, "not asked off a terminal, so unknown");
    assert_eq!(run["stretch"], false);
    assert_eq!(run["rpe"], 6);
    assert_eq!(run["notes"], "tempo");
    assert!(v["flags"].is_array());
}

#[test]
fn list_filters_limits_and_orders_newest_first() {
    let env = Env::new();
    for (d, day) in [("5k", "2026-11-01"), ("6k", "2026-11-10"), ("7k", "2026-11-20")] {
        env.ok(&["run", "add", d, "30:00", "--date", day]);
    }
    let ids = |args: &[&str]| -> Vec<u64> {
        let mut full = vec!["run", "list"];
        full.extend_from_slice(args);
        env.json(&full)["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(ids(&[]), vec![3, 2, 1]);
    assert_eq!(ids(&["--limit", "2"]), vec![3, 2]);
    assert_eq!(
        ids(&["--since", "2026-11-10"]),
        vec![3, 2],
        "--since includes the whole day"
    );
    assert_eq!(
        ids(&["--until", "2026-11-10"]),
        vec![2, 1],
        "--until includes the whole day"
    );
    assert_eq!(ids(&["--since", "2026-11-02", "--until", "2026-11-19"]), vec![2]);

    let table = env.ok(&["run", "list"]);
    assert!(
        table.lines().all(|l| l.chars().count() <= 80),
        "wider than 80 columns:\n{table}"
    );
    assert!(table.contains("3 runs · 18.00 km"), "{table}");
    let mi = env.ok(&["--units", "mi", "run", "list"]);
    assert!(mi.contains("11.18 mi"), "{mi}");
}

#[test]
fn empty_list_explains_how_to_start() {
    let env = Env::new();
    let out = env.cmd().args(["run", "list"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lumbar run add"));
    assert!(!env.store_path().exists(), "reading must not create the store");
}

#[test]
fn show_gives_one_run_with_its_details() {
    let env = Env::new();
    env.ok(&["run", "add", "10k", "50:00", "--notes", "felt strong", "--rpe", "7"]);
    let out = env.ok(&["run", "show", "1"]);
    assert!(
        out.contains("10.00") && out.contains("notes: felt strong") && out.contains("rpe: 7/10"),
        "{out}"
    );
    assert_eq!(env.json(&["run", "show", "1"])["run"]["distance_m"], 10000.0);
}

#[test]
fn edit_changes_only_what_is_given() {
    let env = Env::new();
    env.ok(&[
        "run",
        "add",
        "10k",
        "50:00",
        "--surface",
        "road",
        "--warmup",
        "--notes",
        "x",
    ]);
    let run = &env.json(&[
        "run",
        "edit",
        "1",
        "--surface",
        "grass",
        "--distance",
        "12k",
        "--notes",
        "",
    ])["run"];
    assert_eq!(run["surface"], "grass");
    assert_eq!(run["distance_m"], 12000.0);
    assert_eq!(run["duration_s"], 3000);
    assert_eq!(run["warmup"], true);
    assert_eq!(run["notes"], Value::Null, "an empty --notes clears them");
    // An edit that would make an impossible pace is refused and changes nothing.
    let before = env.store_bytes();
    env.fails(&["run", "edit", "1", "--duration", "10:00"], 2);
    assert_eq!(env.store_bytes(), before);
}

#[test]
fn rm_needs_yes_off_a_terminal_and_ids_are_never_reused() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00"]);
    env.ok(&["run", "add", "6k", "30:00"]);
    env.ok(&["pain", "add", "3", "--run", "2"]);
    let before = env.store_bytes();
    let err = env.fails(&["run", "rm", "2"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.store_bytes(), before);

    env.ok(&["run", "rm", "2", "--yes"]);
    assert_eq!(env.json(&["run", "list"])["runs"].as_array().unwrap().len(), 1);
    assert_eq!(
        env.json(&["pain", "show", "1"])["pain"]["run_id"],
        Value::Null,
        "the pain entry stays"
    );
    let next = env.json(&["run", "add", "7k", "35:00"]);
    assert_eq!(next["run"]["id"], 3, "id 2 is not handed out again");
}

#[test]
fn json_output_is_one_document_and_quiet_is_quiet() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["--json", "run", "add", "5k", "25:00", "--no-warmup"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).expect("stdout is exactly one JSON document");
    assert_eq!(v["run"]["warmup"], false);

    let out = env
        .cmd()
        .args(["-q", "run", "add", "5k", "25:00", "--warmup"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // -q: the new id alone, for `id=$(lumbar -q run add ...)`.
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2\n");
}

#[test]
fn the_default_surface_comes_from_config() {
    let env = Env::new();
    env.ok(&["config", "set", "surface", "trail"]);
    assert_eq!(env.json(&["run", "add", "5k", "25:00"])["run"]["surface"], "trail");
    assert_eq!(
        env.json(&["run", "add", "5k", "25:00", "--surface", "track"])["run"]["surface"],
        "track"
    );
}

#[test]
fn help_has_examples() {
    let env = Env::new();
    for cmd in [
        vec!["--help"],
        vec!["run", "add", "--help"],
        vec!["pain", "add", "--help"],
    ] {
        let out = env.ok(&cmd);
        assert!(out.contains("Examples:"), "{cmd:?}:\n{out}");
    }
}

/// On a real terminal (a pseudo-terminal made by `script`), the warm-up and stretch questions are
/// asked once each, and Enter skips.
#[test]
fn warmup_and_stretch_are_asked_on_a_terminal() {
    if std::process::Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: `script` (util-linux) is not installed, so no pseudo-terminal");
        return;
    }
    let env = Env::new();
    let bin = assert_cmd::cargo::cargo_bin("lumbar");
    for (answers, warmup, stretch) in [
        ("y\nn\n", Value::Bool(true), Value::Bool(false)),
        ("\n\n", Value::Null, Value::Null),
    ] {
        let out = std::process::Command::new("script")
            .args(["-qec", &format!("{} run add 5k 25:00", bin.display()), "/dev/null"])
            .env("LUMBAR_DATA_DIR", env.data_dir())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(answers.as_bytes())?;
                c.wait_with_output()
            })
            .unwrap();
        let screen = String::from_utf8_lossy(&out.stdout);
        assert!(screen.contains("Did you warm up before this run?"), "{screen}");
        assert!(screen.contains("Did you stretch afterwards?"), "{screen}");
        let last = env.json(&["run", "list", "--limit", "1"]);
        assert_eq!(last["runs"][0]["warmup"], warmup, "{screen}");
        assert_eq!(last["runs"][0]["stretch"], stretch, "{screen}");
    }
}

#[test]
fn quiet_keeps_only_urgent_flags() {
    let env = Env::new();
    let out = env
        .cmd()
        .args(["-q", "run", "add", "5k", "25:00", "--no-warmup"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "1\n",
        "-q prints the new id alone"
    );
    assert!(out.stderr.is_empty(), "a skipped warm-up is not essential under -q");
    let out = env.ok(&["run", "add", "5k", "25:00", "--no-warmup"]);
    assert!(out.contains("warmup-skipped"), "{out}");
    // A red flag is never silenced: on stderr, so stdout still holds the id alone.
    let out = env
        .cmd()
        .args(["-q", "pain", "add", "5", "--symptom", "bowel-change"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n");
    let err = String::from_utf8_lossy(&out.stderr).to_lowercase();
    assert!(err.contains("emergency"), "{err}");
    let out = env.cmd().args(["-q", "shoes", "add", "Pegasus"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "1\n", "-q shoes add: the id");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}
