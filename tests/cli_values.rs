//! Every value form of CLI.md "Values people type", accepted and rejected, through the real binary.
//! Each rejected value must exit 2, name its field, show the accepted forms, and leave the store
//! byte-identical.

mod common;

use common::Env;
use serde_json::Value;

/// A store with one run in it, so "unchanged" means something.
fn seeded() -> Env {
    let env = Env::new();
    env.ok(&[
        "run",
        "add",
        "5k",
        "25:00",
        "--date",
        "2026-11-20",
        "--surface",
        "grass",
        "--warmup",
    ]);
    env
}

fn added_run(env: &Env, args: &[&str]) -> Value {
    let mut full = vec!["run", "add"];
    full.extend_from_slice(args);
    env.json(&full)["run"].clone()
}

#[test]
fn every_distance_form_is_accepted_in_metres() {
    let env = Env::new();
    let cases: &[(&str, f64)] = &[
        ("5k", 5000.0),
        ("5km", 5000.0),
        ("5 km", 5000.0),
        ("3.1mi", 3.1 * 1609.344),
        ("3.1 miles", 3.1 * 1609.344),
        ("800m", 800.0),
        ("half", 21097.5),
        ("marathon", 42195.0),
        ("7.5", 7500.0),
    ];
    for (typed, metres) in cases {
        // Long distances need a long enough time to stay under the pace limit.
        let run = added_run(&env, &[typed, "4h", "--date", "2026-11-01"]);
        let got = run["distance_m"].as_f64().unwrap();
        assert!((got - metres).abs() < 0.1, "{typed}: stored {got}, expected {metres}");
    }
}

#[test]
fn a_bare_distance_follows_the_configured_units() {
    let env = Env::new();
    env.ok(&["config", "set", "units", "mi"]);
    let run = added_run(&env, &["5", "45:00"]);
    assert!((run["distance_m"].as_f64().unwrap() - 5.0 * 1609.344).abs() < 0.1);
}

#[test]
fn every_duration_form_is_accepted_in_seconds() {
    let env = Env::new();
    let cases: &[(&str, u64)] = &[
        ("28:30", 1710),
        ("1:02:03", 3723),
        ("45m", 2700),
        ("1h5m", 3900),
        ("1h05m30s", 3930),
        ("2700s", 2700),
        ("40", 2400),
    ];
    for (typed, secs) in cases {
        let run = added_run(&env, &["8k", typed]);
        assert_eq!(run["duration_s"].as_u64().unwrap(), *secs, "{typed}");
    }
}

#[test]
fn every_when_form_is_accepted_in_local_time() {
    let env = Env::new();
    let run = added_run(&env, &["5k", "25:00", "--date", "2026-11-20T07:30"]);
    assert_eq!(run["start"], "2026-11-20T07:30:00+00:00");
    let run = added_run(&env, &["5k", "25:00", "--date", "2026-11-20 06:15"]);
    assert_eq!(run["start"], "2026-11-20T06:15:00+00:00");
    let run = added_run(&env, &["5k", "25:00", "--date", "2026-11-19"]);
    assert_eq!(
        run["start"], "2026-11-19T12:00:00+00:00",
        "a bare date is placed at noon"
    );
    for word in ["today", "yesterday"] {
        let run = added_run(&env, &["5k", "25:00", "--date", word]);
        assert!(run["start"].as_str().unwrap().ends_with("+00:00"), "{word}");
    }
    // TZ is honoured: the same local time in another zone carries that zone's offset.
    let out = env
        .cmd()
        .env("TZ", "America/New_York")
        .args(["--json", "run", "add", "5k", "25:00", "--date", "2026-07-01T07:30"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["run"]["start"], "2026-07-01T07:30:00-04:00");
}

#[test]
fn every_surface_and_alias_is_accepted() {
    let env = Env::new();
    for (typed, stored) in [
        ("concrete", "concrete"),
        ("asphalt", "asphalt"),
        ("road", "asphalt"),
        ("track", "track"),
        ("treadmill", "treadmill"),
        ("trail", "trail"),
        ("grass", "grass"),
        ("dirt", "dirt"),
        ("sand", "sand"),
        ("mixed", "mixed"),
        ("Grass", "grass"),
    ] {
        let run = added_run(&env, &["5k", "25:00", "--surface", typed]);
        assert_eq!(run["surface"], stored, "{typed}");
    }
}

#[test]
fn rpe_and_pain_bounds_are_inclusive() {
    let env = Env::new();
    assert_eq!(added_run(&env, &["5k", "25:00", "--rpe", "1"])["rpe"], 1);
    assert_eq!(added_run(&env, &["5k", "25:00", "--rpe", "10"])["rpe"], 10);
    assert_eq!(env.json(&["pain", "add", "0"])["pain"]["level"], 0);
    assert_eq!(env.json(&["pain", "add", "10"])["pain"]["level"], 10);
}

/// Runs a command that must be refused, and checks the message and the untouched store.
fn refused(env: &Env, args: &[&str], must_mention: &[&str]) {
    let before = env.store_bytes();
    let err = env.fails(args, 2);
    for m in must_mention {
        assert!(err.contains(m), "lumbar {args:?}: stderr should mention {m:?}:\n{err}");
    }
    assert_eq!(env.store_bytes(), before, "lumbar {args:?} changed the store");
}

#[test]
fn rejected_distances() {
    let env = seeded();
    for bad in ["", "-5k", "0", "0km", "abc", "5 parsecs", "501km", "1e3", "inf"] {
        refused(&env, &["run", "add", bad, "25:00"], &["distance"]);
    }
    refused(&env, &["run", "add", "5x", "25:00"], &["5k, 5km", "marathon"]);
}

#[test]
fn rejected_durations() {
    let env = seeded();
    for bad in ["", "0", "-20", "0:00", "25:61", "49h", "abc", "1h1h"] {
        refused(&env, &["run", "add", "5k", bad], &["duration"]);
    }
    refused(&env, &["run", "add", "5k", "xx"], &["28:30", "1h5m"]);
}

#[test]
fn rejected_paces_dates_and_scales() {
    let env = seeded();
    refused(&env, &["run", "add", "10k", "15:00"], &["pace", "2:00 /km"]);
    refused(
        &env,
        &["run", "add", "5k", "25:00", "--date", "2099-01-01"],
        &["date", "a day ahead"],
    );
    refused(
        &env,
        &["run", "add", "5k", "25:00", "--date", "31/12/2025"],
        &["date", "2026-11-25", "yesterday"],
    );
    refused(&env, &["run", "add", "5k", "25:00", "--rpe", "0"], &["rpe", "1"]);
    refused(&env, &["run", "add", "5k", "25:00", "--rpe", "11"], &["rpe"]);
    refused(&env, &["pain", "add", "11"], &["pain level", "0", "10"]);
    refused(&env, &["pain", "add", "-1"], &["pain level"]);
    refused(&env, &["pain", "add", "3", "--date", "2099-01-01"], &["date"]);
}

#[test]
fn rejected_names_suggest_the_closest() {
    let env = seeded();
    refused(
        &env,
        &["run", "add", "5k", "25:00", "--surface", "concret"],
        &["surface", "did you mean 'concrete'"],
    );
    refused(&env, &["run", "add", "5k", "25:00", "--surface", ""], &["surface"]);
    refused(
        &env,
        &["pain", "add", "3", "--area", "lowerback"],
        &["area", "did you mean 'lower-back'"],
    );
    refused(
        &env,
        &["pain", "add", "3", "--side", "lefft"],
        &["side", "did you mean 'left'"],
    );
    refused(&env, &["pain", "add", "3", "--when", "nextday"], &["when", "next-day"]);
    refused(
        &env,
        &["pain", "add", "3", "--symptom", "stifness"],
        &["symptom", "did you mean 'stiffness'"],
    );
    refused(
        &env,
        &["pain", "add", "3", "--symptom", "bladder"],
        &["symptom", "bladder-change"],
    );
    refused(
        &env,
        &["config", "set", "unit", "mi"],
        &["config key", "did you mean 'units'"],
    );
    refused(&env, &["config", "set", "units", "furlongs"], &["units", "km or mi"]);
    refused(&env, &["config", "set", "surface", "lava"], &["surface"]);
    refused(&env, &["config", "set", "shoe-limit", "-3"], &["shoe-limit"]);
    refused(&env, &["--units", "yards", "run", "list"], &["units"]);
}

#[test]
fn unknown_ids_and_references_are_bad_input() {
    let env = seeded();
    refused(&env, &["run", "show", "99"], &["run id", "lumbar run list"]);
    refused(&env, &["run", "edit", "99", "--surface", "grass"], &["run id"]);
    refused(&env, &["run", "rm", "99", "--yes"], &["run id"]);
    refused(&env, &["pain", "add", "3", "--run", "99"], &["run"]);
    refused(&env, &["pain", "add", "3", "--run", "first"], &["run", "last"]);
    refused(&env, &["run", "add", "5k", "25:00", "--shoe", "nosuch"], &["shoe"]);
    refused(&env, &["run", "edit", "1"], &["nothing to change"]);
}
