//! `lumbar pain add|list|show|edit|rm` end to end.

mod common;

use common::Env;
use serde_json::Value;

#[test]
fn add_uses_the_defaults_and_links_the_last_run() {
    let env = Env::new();
    env.ok(&["run", "add", "5k", "25:00", "--date", "2026-11-20T07:00"]);
    env.ok(&["run", "add", "8k", "40:00", "--date", "2026-11-22T07:00"]);
    let v = env.json(&[
        "pain",
        "add",
        "4",
        "--when",
        "after",
        "--run",
        "last",
        "--date",
        "2026-11-22T08:00",
    ]);
    let p = &v["pain"];
    for key in [
        "id", "at", "level", "area", "side", "when", "run_id", "symptoms", "notes",
    ] {
        assert!(p.get(key).is_some(), "PAIN lacks {key}: {p}");
    }
    assert_eq!(p["level"], 4);
    assert_eq!(p["area"], "lower-back");
    assert_eq!(p["side"], "center");
    assert_eq!(p["when"], "after");
    assert_eq!(p["run_id"], 2);
    assert_eq!(v["triage"], Value::Null, "no red flag, no triage");
    // `last` means the last run before the entry, not the newest overall.
    let v = env.json(&["pain", "add", "2", "--run", "last", "--date", "2026-11-21T09:00"]);
    assert_eq!(v["pain"]["run_id"], 1);
}

#[test]
fn last_run_needs_a_run() {
    let env = Env::new();
    let err = env.fails(&["pain", "add", "3", "--run", "last"], 2);
    assert!(err.contains("run"), "{err}");
    assert!(!env.store_path().exists());
}

#[test]
fn descriptors_are_stored_and_a_red_flag_is_triaged_first() {
    let env = Env::new();
    let v = env.json(&["pain", "add", "3", "--symptom", "stiffness", "--symptom", "ache"]);
    assert_eq!(v["pain"]["symptoms"], serde_json::json!(["stiffness", "ache"]));
    assert_eq!(v["triage"], Value::Null);

    let out = env.ok(&["pain", "add", "6", "--symptom", "bladder-change"]);
    let first = out.lines().next().unwrap_or_default();
    assert!(
        first.to_lowercase().contains("emergency"),
        "the red-flag result comes first:\n{out}"
    );
    let v = env.json(&["pain", "show", "2"]);
    assert_eq!(v["pain"]["symptoms"], serde_json::json!(["bladder-change"]));
}

#[test]
fn list_show_edit_rm() {
    let env = Env::new();
    env.ok(&[
        "pain",
        "add",
        "2",
        "--date",
        "2026-11-01",
        "--side",
        "left",
        "--area",
        "hip",
    ]);
    env.ok(&[
        "pain",
        "add",
        "5",
        "--date",
        "2026-11-05",
        "--when",
        "night",
        "--notes",
        "woke up sore",
    ]);
    let list = env.json(&["pain", "list"]);
    let ids: Vec<u64> = list["pain"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, vec![2, 1]);
    assert_eq!(
        env.json(&["pain", "list", "--since", "2026-11-03"])["pain"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let table = env.ok(&["pain", "list"]);
    assert!(table.contains("5 moderate") && table.contains("2 mild"), "{table}");
    assert!(table.lines().all(|l| l.chars().count() <= 80), "{table}");
    assert!(env.ok(&["pain", "show", "2"]).contains("notes: woke up sore"));

    let e = env.json(&["pain", "edit", "1", "--level", "3", "--side", "right"]);
    assert_eq!(e["pain"]["level"], 3);
    assert_eq!(e["pain"]["side"], "right");
    assert_eq!(e["pain"]["area"], "hip");

    env.fails(&["pain", "rm", "1"], 2);
    env.ok(&["pain", "rm", "1", "--yes"]);
    env.fails(&["pain", "show", "1"], 2);
    assert_eq!(env.json(&["pain", "add", "1"])["pain"]["id"], 3);
}
