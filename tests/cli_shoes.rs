//! End-to-end tests of `lumbar shoes`: every subcommand, the 80 % and 100 % thresholds, both
//! units, name prefixes and ambiguity, and removal that keeps the runs.

mod common;

use serde_json::Value;

fn shoes(env: &common::Env, all: bool) -> Vec<Value> {
    let mut args = vec!["shoes", "list"];
    if all {
        args.push("--all");
    }
    env.json(&args)["shoes"].as_array().expect("shoes array").clone()
}

fn shoe(env: &common::Env, name: &str) -> Value {
    shoes(env, true)
        .into_iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no shoe {name}"))
}

/// Logs a run and returns the flags it raised.
fn run(env: &common::Env, args: &[&str]) -> Vec<Value> {
    let mut full = vec!["run", "add"];
    full.extend_from_slice(args);
    full.extend_from_slice(&["--date", "2026-01-10", "--warmup", "--stretch"]);
    env.json(&full)["flags"].as_array().expect("flags").clone()
}

fn worn_flags(flags: &[Value]) -> Vec<&Value> {
    flags.iter().filter(|f| f["id"] == "shoe-worn").collect()
}

#[test]
fn add_and_list_with_json_and_a_table_that_fits_80_columns() {
    let env = common::Env::new();
    let added = env.json(&["shoes", "add", "Pegasus 41", "--limit", "500km", "--start", "120km"]);
    assert_eq!(added["shoe"]["name"], "Pegasus 41");
    assert_eq!(added["shoe"]["limit_m"], 500_000.0);
    assert_eq!(added["shoe"]["start_m"], 120_000.0);
    assert_eq!(added["shoe"]["distance_m"], 120_000.0);
    assert_eq!(added["shoe"]["status"], "ok");
    // The only pair becomes the default.
    assert_eq!(added["shoe"]["default"], true);
    env.ok(&["shoes", "add", "Ghost With A Rather Long Model Name 16"]);
    let list = shoes(&env, false);
    assert_eq!(list.len(), 2);
    for key in [
        "id",
        "name",
        "distance_m",
        "limit_m",
        "start_m",
        "runs",
        "status",
        "default",
        "retired",
    ] {
        assert!(list[0].get(key).is_some(), "SHOE lacks {key}");
    }
    assert_eq!(list[1]["default"], false);
    let table = env.ok(&["shoes"]);
    assert!(table.contains("Pegasus 41 *") && table.contains("Ghost"), "{table}");
    assert!(table.contains("24%"), "{table}");
    // Piped: no width limit, one pair per line, every column (widths are tested in cli_terminal).
    let rows: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("Pegasus") || l.contains("Ghost"))
        .collect();
    assert_eq!(rows.len(), 2, "{table}");
    assert!(
        rows.iter()
            .any(|l| l.contains("Ghost With A Rather Long Model Name 16")),
        "{table}"
    );
    assert!(table.lines().next().unwrap().ends_with("at limit"), "{table}");
}

#[test]
fn an_empty_list_says_how_to_start() {
    let env = common::Env::new();
    let out = env.cmd().args(["shoes"]).output().unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("lumbar shoes add"));
    assert_eq!(env.json(&["shoes"])["shoes"], serde_json::json!([]));
}

#[test]
fn mileage_is_start_plus_runs_and_follows_edits_and_removals() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Clifton", "--start", "10km"]);
    run(&env, &["5km", "25:00"]);
    run(&env, &["8km", "40:00", "--shoe", "none"]);
    let id = env.json(&["run", "list"])["runs"][1]["id"].as_u64().unwrap();
    assert_eq!(shoe(&env, "Clifton")["distance_m"], 15_000.0);
    assert_eq!(shoe(&env, "Clifton")["runs"], 1);
    env.ok(&["run", "edit", &id.to_string(), "--distance", "6km"]);
    assert_eq!(shoe(&env, "Clifton")["distance_m"], 16_000.0);
    env.ok(&["run", "edit", &id.to_string(), "--shoe", "none"]);
    assert_eq!(shoe(&env, "Clifton")["distance_m"], 10_000.0);
    env.ok(&["run", "edit", &id.to_string(), "--shoe", "clif"]);
    env.ok(&["run", "rm", &id.to_string(), "--yes"]);
    let s = shoe(&env, "Clifton");
    assert_eq!(s["distance_m"], 10_000.0);
    assert_eq!(s["runs"], 0);
}

#[test]
fn thresholds_at_exactly_80_and_100_percent_flag_once_each() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Kinvara", "--limit", "10km"]);
    assert!(worn_flags(&run(&env, &["7.99km", "40:00"])).is_empty());
    assert_eq!(shoe(&env, "Kinvara")["status"], "ok");
    // 8.00 of 10 km: exactly 80 %.
    let flags = run(&env, &["10m", "0:10"]);
    let worn = worn_flags(&flags);
    assert_eq!(worn.len(), 1, "{flags:?}");
    assert_eq!(worn[0]["evidence"]["status"], "nearing");
    assert_eq!(shoe(&env, "Kinvara")["status"], "nearing");
    // Still nearing: no second flag.
    assert!(worn_flags(&run(&env, &["1.99km", "10:00"])).is_empty());
    assert_eq!(shoe(&env, "Kinvara")["status"], "nearing");
    // 10.00 of 10 km: exactly the limit.
    let flags = run(&env, &["10m", "0:10"]);
    let worn = worn_flags(&flags);
    assert_eq!(worn.len(), 1, "{flags:?}");
    assert_eq!(worn[0]["evidence"]["status"], "replace");
    assert_eq!(worn[0]["severity"], "warn");
    assert_eq!(shoe(&env, "Kinvara")["status"], "replace");
    // Past the limit: not flagged on every run after.
    assert!(worn_flags(&run(&env, &["3km", "15:00"])).is_empty());
    // The human form says it in a line.
    let env2 = common::Env::new();
    env2.ok(&["shoes", "add", "Kinvara", "--limit", "10km"]);
    let out = env2.ok(&[
        "run",
        "add",
        "10km",
        "50:00",
        "--warmup",
        "--stretch",
        "--date",
        "2026-01-10",
    ]);
    assert!(out.contains("shoe-worn") && out.contains("Kinvara"), "{out}");
}

#[test]
fn the_default_limit_is_300_miles_or_the_config() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "A"]);
    assert!((shoe(&env, "A")["limit_m"].as_f64().unwrap() - 482_803.2).abs() < 0.1);
    env.ok(&["config", "set", "shoe-limit", "600km"]);
    env.ok(&["shoes", "add", "B", "--limit", "700km"]);
    assert_eq!(shoe(&env, "A")["limit_m"], 600_000.0);
    assert_eq!(shoe(&env, "B")["limit_m"], 700_000.0);
}

#[test]
fn miles_for_display_metres_in_json_and_bare_numbers_in_config_units() {
    let env = common::Env::new();
    env.ok(&["config", "set", "units", "mi"]);
    env.ok(&["shoes", "add", "Ghost", "--limit", "400", "--start", "100"]);
    let g = shoe(&env, "Ghost");
    assert!((g["limit_m"].as_f64().unwrap() - 400.0 * 1609.344).abs() < 0.1);
    assert!((g["start_m"].as_f64().unwrap() - 100.0 * 1609.344).abs() < 0.1);
    let mi = env.ok(&["shoes"]);
    assert!(
        mi.contains(" mi ") && mi.contains("100.0") && mi.contains("400"),
        "{mi}"
    );
    let km = env.ok(&["--units", "km", "shoes"]);
    assert!(
        km.contains(" km ") && km.contains("160.9") && km.contains("644"),
        "{km}"
    );
    assert_eq!(
        env.json(&["--units", "km", "shoes"])["shoes"][0]["limit_m"],
        g["limit_m"]
    );
}

#[test]
fn names_resolve_by_id_prefix_and_case_and_ambiguity_lists_the_candidates() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Pegasus 41"]);
    env.ok(&["shoes", "add", "Peregrine"]);
    env.ok(&["shoes", "add", "Clifton 9"]);
    let before = env.store_bytes();
    let err = env.fails(&["shoes", "default", "pe"], 2);
    assert!(
        err.contains("Pegasus 41 (id 1)") && err.contains("Peregrine (id 2)"),
        "{err}"
    );
    let err = env.fails(&["shoes", "retire", "nike"], 2);
    assert!(err.contains("Clifton 9 (id 3)"), "{err}");
    let err = env.fails(&["run", "add", "5k", "25:00", "--shoe", "pe"], 2);
    assert!(err.contains("Pegasus 41"), "{err}");
    assert_eq!(env.store_bytes(), before, "a failed command changed the store");
    assert_eq!(env.json(&["shoes", "default", "PERE"])["shoe"]["id"], 2);
    assert_eq!(env.json(&["shoes", "default", "3"])["shoe"]["name"], "Clifton 9");
    assert_eq!(env.json(&["shoes", "default", "pegasus 41"])["shoe"]["id"], 1);
    let defaults: Vec<_> = shoes(&env, true).into_iter().filter(|s| s["default"] == true).collect();
    assert_eq!(defaults.len(), 1);
}

#[test]
fn run_add_uses_the_default_pair() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Old"]);
    env.ok(&["shoes", "add", "New", "--default"]);
    run(&env, &["5k", "25:00"]);
    let r = &env.json(&["run", "list"])["runs"][0];
    assert_eq!(r["shoe"], "New");
    run(&env, &["5k", "25:00", "--shoe", "old"]);
    assert_eq!(shoe(&env, "Old")["runs"], 1);
    assert_eq!(shoe(&env, "New")["runs"], 1);
}

#[test]
fn retired_pairs_keep_their_runs_and_show_with_all() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Speedgoat"]);
    run(&env, &["12km", "1:10:00"]);
    let out = env.ok(&["shoes", "retire", "speed"]);
    assert!(out.contains("Retired"), "{out}");
    assert!(shoes(&env, false).is_empty());
    let all = shoes(&env, true);
    assert_eq!(all[0]["status"], "retired");
    assert_eq!(all[0]["retired"], true);
    assert_eq!(all[0]["default"], false, "a retired pair is not the default");
    assert_eq!(all[0]["distance_m"], 12_000.0);
    assert_eq!(env.json(&["shoes", "--all"])["shoes"].as_array().unwrap().len(), 1);
    assert!(env.ok(&["shoes", "--all"]).contains("retired"));
    let out = env.cmd().args(["shoes"]).output().unwrap();
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--all` shows 1 retired"));
    // A new run without --shoe no longer goes on it.
    run(&env, &["5km", "25:00"]);
    assert_eq!(env.json(&["run", "list"])["runs"][0]["shoe_id"], Value::Null);
    // It cannot become the default again.
    let before = env.store_bytes();
    env.fails(&["shoes", "default", "speed"], 2);
    assert_eq!(env.store_bytes(), before);
}

#[test]
fn rename_checks_the_new_name() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Ghost"]);
    env.ok(&["shoes", "add", "Novablast"]);
    assert_eq!(
        env.json(&["shoes", "rename", "gh", "Ghost 16"])["shoe"]["name"],
        "Ghost 16"
    );
    env.fails(&["shoes", "rename", "ghost", "novablast"], 2);
    env.fails(&["shoes", "rename", "ghost", "42"], 2);
    env.fails(&["shoes", "rename", "ghost", ""], 2);
    env.fails(&["shoes", "add", "NOVABLAST"], 2);
    env.fails(&["shoes", "add", "none"], 2);
    env.fails(&["shoes", "add", "X", "--limit", "0"], 2);
    env.fails(&["shoes", "add", "X", "--start", "-5"], 2);
    assert_eq!(shoes(&env, true).len(), 2);
}

#[test]
fn removing_a_pair_with_runs_needs_yes_and_keeps_the_runs() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Endorphin"]);
    env.ok(&["shoes", "add", "Spare"]);
    run(&env, &["10km", "50:00", "--shoe", "endo"]);
    run(&env, &["6km", "30:00", "--shoe", "endo"]);
    let before = env.store_bytes();
    let err = env.fails(&["shoes", "rm", "endo"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.store_bytes(), before, "refused removal changed the store");
    // A pair with no runs goes without --yes.
    env.ok(&["shoes", "rm", "spare"]);
    let removed = env.json(&["shoes", "rm", "endo", "--yes"]);
    assert_eq!(removed["removed"]["runs_kept"], 2);
    assert!(shoes(&env, true).is_empty());
    let runs = env.json(&["run", "list"])["runs"].as_array().unwrap().clone();
    assert_eq!(runs.len(), 2);
    for r in &runs {
        assert_eq!(r["shoe"], "Endorphin", "the runs still name their pair");
    }
    // The name is free for a new pair, which starts from zero.
    env.ok(&["shoes", "add", "Endorphin"]);
    let fresh = shoe(&env, "Endorphin");
    assert_eq!(fresh["distance_m"], 0.0);
    assert_ne!(fresh["id"], runs[0]["shoe_id"], "ids are never reused");
    env.fails(&["shoes", "rm", "nothing-like-it", "--yes"], 2);
}

#[test]
fn the_estimate_of_the_day_a_pair_reaches_its_limit() {
    let env = common::Env::new();
    env.ok(&["shoes", "add", "Ghost", "--limit", "100km"]);
    env.ok(&[
        "run",
        "add",
        "9km",
        "45:00",
        "--date",
        "yesterday",
        "--warmup",
        "--stretch",
    ]);
    let g = shoe(&env, "Ghost");
    // 9 km over the shortest observed span (a week) leaves 91 km: ceil(91 * 7 / 9) = 71 days.
    let today = chrono::Utc::now().date_naive();
    let expected = today + chrono::Duration::days(71);
    assert_eq!(g["reaches_limit_on"], expected.to_string());
    assert!(env.ok(&["shoes"]).contains(&expected.to_string()));
}
