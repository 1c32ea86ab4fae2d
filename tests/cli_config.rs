//! `lumbar config` and `lumbar demo` end to end.

mod common;

use common::Env;
use serde_json::Value;

#[test]
fn config_list_get_set() {
    let env = Env::new();
    let v = env.json(&["config"]);
    assert_eq!(v["config"]["units"], "km");
    assert!(
        (v["config"]["shoe_limit_m"].as_f64().unwrap() - 482_803.2).abs() < 0.1,
        "300 mi by default"
    );
    assert_eq!(v["config"]["surface"], Value::Null);

    assert_eq!(env.ok(&["config", "get", "shoe-limit"]).trim(), "482.80 km");
    env.ok(&["config", "set", "units", "mi"]);
    assert_eq!(env.ok(&["config", "get", "shoe-limit"]).trim(), "300.00 mi");
    env.ok(&["config", "set", "shoe-limit", "400"]);
    let v = env.json(&["config", "get", "shoe-limit"]);
    assert!(
        (v["config"]["shoe_limit_m"].as_f64().unwrap() - 400.0 * 1609.344).abs() < 0.1,
        "a bare number is in the configured units"
    );
    env.ok(&["config", "set", "surface", "road"]);
    assert_eq!(env.ok(&["config", "get", "surface"]).trim(), "asphalt");
    env.ok(&["config", "set", "surface", "none"]);
    assert_eq!(env.ok(&["config", "get", "surface"]).trim(), "none");
    // --units overrides the config for one call only.
    assert_eq!(
        env.ok(&["--units", "km", "config", "get", "shoe-limit"]).trim(),
        "643.74 km"
    );
    let list = env.ok(&["config", "list"]);
    assert!(list.contains("units") && list.contains("mi"), "{list}");
}

#[test]
fn demo_fills_an_empty_store_and_refuses_a_full_one() {
    let env = Env::new();
    let v = env.json(&["demo", "--weeks", "8", "--seed", "3"]);
    assert!(v["runs"].as_u64().unwrap() > 20);
    assert!(v["pain"].as_u64().unwrap() > 10);
    assert!(v["shoes"].as_u64().unwrap() >= 2);
    let runs = env.json(&["run", "list"]);
    assert_eq!(
        runs["runs"].as_array().unwrap().len() as u64,
        v["runs"].as_u64().unwrap()
    );

    let before = env.store_bytes();
    let err = env.fails(&["demo"], 2);
    assert!(err.contains("--yes"), "{err}");
    assert_eq!(env.store_bytes(), before);

    // The same seed gives the same history.
    let other = Env::new();
    other.ok(&["demo", "--weeks", "8", "--seed", "3"]);
    let a = env.json(&["run", "list"]);
    let b = other.json(&["run", "list"]);
    assert_eq!(a, b);

    env.ok(&["demo", "--weeks", "2", "--yes"]);
    let kept = std::fs::read_dir(env.data_dir().join("backups"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".before-demo.bak"))
        .count();
    assert_eq!(kept, 1, "the replaced store is kept as a dated copy");
}
