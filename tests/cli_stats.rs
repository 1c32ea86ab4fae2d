//! `lumbar stats` end to end: week windows with gaps, a week across New Year, display units,
//! --json, and the chart in UTF-8 and ASCII terminals.

mod common;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use common::Env;
use serde_json::Value;

/// Today in the tests' time zone (the helper sets TZ=UTC).
fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// The Monday of the ISO week `back` weeks before this one.
fn monday(back: i64) -> NaiveDate {
    let t = today();
    t - Duration::days(i64::from(t.weekday().num_days_from_monday())) - Duration::weeks(back)
}

/// A date `back` weeks ago, on the given weekday offset (0 = Monday), never in the future.
fn day_in_week(back: i64, offset: i64) -> String {
    let d = (monday(back) + Duration::days(offset)).min(today());
    d.format("%Y-%m-%d").to_string()
}

fn add_run(env: &Env, distance: &str, duration: &str, date: &str, extra: &[&str]) {
    let mut args = vec!["run", "add", distance, duration, "--date", date];
    args.extend_from_slice(extra);
    env.ok(&args);
}

fn add_pain(env: &Env, level: &str, date: &str) {
    env.ok(&["pain", "add", level, "--date", date]);
}

fn weeks_of(doc: &Value) -> &Vec<Value> {
    doc["weeks"].as_array().expect("weeks is an array")
}

/// A store with runs three and five weeks ago and this week, nothing in between.
fn gappy() -> Env {
    let env = Env::new();
    add_run(
        &env,
        "10k",
        "50:00",
        &day_in_week(5, 2),
        &["--surface", "asphalt", "--warmup"],
    );
    add_run(
        &env,
        "5k",
        "30:00",
        &day_in_week(3, 1),
        &["--surface", "trail", "--no-warmup"],
    );
    add_run(
        &env,
        "5k",
        "25:00",
        &day_in_week(3, 2),
        &["--surface", "concrete", "--warmup"],
    );
    add_run(&env, "8k", "44:00", &day_in_week(0, 0), &[]);
    add_pain(&env, "2", &day_in_week(3, 1));
    add_pain(&env, "6", &day_in_week(3, 2));
    env
}

#[test]
fn gaps_show_as_zero_weeks_oldest_first() {
    let env = gappy();
    let doc = env.json(&["stats", "--weeks", "6"]);
    let weeks = weeks_of(&doc);
    assert_eq!(weeks.len(), 6);
    let starts: Vec<String> = (0..6).rev().map(|b| monday(b).to_string()).collect();
    let got: Vec<&str> = weeks.iter().map(|w| w["starts_on"].as_str().unwrap()).collect();
    assert_eq!(got, starts, "one row per week, oldest first");
    let runs: Vec<u64> = weeks.iter().map(|w| w["runs"].as_u64().unwrap()).collect();
    assert_eq!(runs, [1, 0, 2, 0, 0, 1]);
    for i in [1, 3, 4] {
        let w = &weeks[i];
        assert_eq!(w["distance_m"], 0.0);
        assert_eq!(w["duration_s"], 0);
        for key in ["pace_s_per_km", "hard_share", "warmup_rate", "pain_mean", "pain_max"] {
            assert!(w[key].is_null(), "empty week {i}: {key} = {}", w[key]);
        }
    }
    let labels: Vec<String> = weeks.iter().map(|w| w["week"].as_str().unwrap().to_string()).collect();
    for (label, start) in labels.iter().zip(&starts) {
        let d = NaiveDate::parse_from_str(start, "%Y-%m-%d").unwrap().iso_week();
        assert_eq!(label, &format!("{}-W{:02}", d.year(), d.week()));
    }
}

#[test]
fn json_numbers_for_a_week() {
    let env = gappy();
    let doc = env.json(&["stats", "--weeks", "6"]);
    let w = &weeks_of(&doc)[2];
    // 5 km trail, no warm-up, 30:00; 5 km concrete, warm-up, 25:00; pain 2 and 6.
    assert_eq!(w["distance_m"], 10_000.0);
    assert_eq!(w["duration_s"], 3300);
    assert_eq!(w["pace_s_per_km"], 330.0);
    assert_eq!(w["hard_share"], 0.5);
    assert_eq!(w["warmup_rate"], 0.5);
    assert_eq!(w["pain_mean"], 4.0);
    assert_eq!(w["pain_max"], 6);
    // This week's run has no surface and no warm-up answer: unknown, not zero.
    let now = &weeks_of(&doc)[5];
    assert!(now["hard_share"].is_null() && now["warmup_rate"].is_null());
    let t = &doc["totals"];
    assert_eq!(t["runs"], 4);
    assert_eq!(t["distance_m"], 28_000.0);
    assert_eq!(t["weeks"], 6);
    assert_eq!(t["hard_share"], 0.75, "15 of the 20 km with a known surface were hard");
    assert_eq!(t["pain_max"], 6);
}

#[test]
fn human_table_and_chart_in_utf8() {
    let env = gappy();
    let text = env.ok(&["stats", "--weeks", "6"]);
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "over 80 columns: {line:?}");
    }
    for b in 0..6 {
        let d = monday(b).iso_week();
        let label = format!("{}-W{:02}", d.year(), d.week());
        assert_eq!(
            text.matches(&label).count(),
            2,
            "{label} in the table and the chart:\n{text}"
        );
    }
    assert!(text.contains('█'), "{text}");
    assert!(text.contains("4.0 ●●●●"), "mean pain beside the bar:\n{text}");
    assert!(text.contains("4 runs"), "{text}");
    // The 10 km week is the longest: its bar is the full width; the 8 km one is shorter.
    let bar = |label_back: i64| {
        let d = monday(label_back).iso_week();
        let label = format!("{}-W{:02}", d.year(), d.week());
        let line = text.lines().rev().find(|l| l.starts_with(&label)).unwrap().to_string();
        line.matches('█').count()
    };
    assert!(bar(5) == bar(3) && bar(0) < bar(5), "{text}");
    assert_eq!(bar(4), 0);
}

#[test]
fn ascii_terminal_gets_an_ascii_chart() {
    let env = gappy();
    for var in ["LANG", "LC_ALL"] {
        let out = env
            .cmd()
            .env(var, "C")
            .args(["stats", "--weeks", "6"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.is_ascii(), "{var}=C must give pure ASCII:\n{text}");
        assert!(text.contains("##########"), "{text}");
        assert!(text.contains("4.0 ****......"), "{text}");
        for line in text.lines() {
            assert!(line.len() <= 80, "over 80 columns: {line:?}");
        }
    }
    let out = env.cmd().env("LANG", "en_GB.UTF-8").args(["stats"]).output().unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains('█'));
}

#[test]
fn a_week_across_new_year() {
    let env = Env::new();
    add_run(&env, "4k", "24:00", "2025-12-28", &[]); // Sunday: 2025-W52
    add_run(&env, "6k", "33:00", "2025-12-31", &[]);
    add_run(&env, "9k", "48:00", "2026-01-03 09:00", &[]);
    add_pain(&env, "3", "2026-01-01");
    add_pain(&env, "5", "2026-01-04");
    let back = (monday(0) - NaiveDate::from_ymd_opt(2025, 12, 15).unwrap()).num_weeks() + 1;
    let doc = env.json(&["stats", "--weeks", &back.to_string()]);
    let weeks = weeks_of(&doc);
    let find = |label: &str| {
        weeks
            .iter()
            .find(|w| w["week"] == label)
            .unwrap_or_else(|| panic!("{label}"))
    };
    let w01 = find("2026-W01");
    assert_eq!(w01["starts_on"], "2025-12-29");
    assert_eq!(w01["runs"], 2);
    assert_eq!(w01["distance_m"], 15_000.0);
    assert_eq!(w01["pain_mean"], 4.0);
    assert_eq!(w01["pain_max"], 5);
    let w52 = find("2025-W52");
    assert_eq!(
        (w52["runs"].as_u64(), w52["distance_m"].as_f64()),
        (Some(1), Some(4000.0))
    );
    assert!(w52["pain_mean"].is_null());
    assert_eq!(find("2026-W02")["runs"], 0);
    assert_eq!(weeks[0]["week"], "2025-W51");
    let text = env.ok(&["stats", "--weeks", &back.to_string()]);
    assert!(text.contains("2026-W01  2025-12-29  15.0"), "{text}");
}

#[test]
fn miles_for_display_metres_in_json() {
    let env = Env::new();
    add_run(&env, "10k", "50:00", &day_in_week(0, 0), &[]);
    let text = env.ok(&["stats", "--weeks", "2", "--units", "mi"]);
    assert!(text.contains("/mi") && text.contains("6.2 "), "{text}");
    assert!(text.contains("8:03"), "5:00 /km is 8:03 /mi:\n{text}");
    assert!(!text.contains("/km"), "{text}");
    let doc = env.json(&["stats", "--weeks", "2", "--units", "mi"]);
    assert_eq!(weeks_of(&doc)[1]["distance_m"], 10_000.0);
    assert_eq!(weeks_of(&doc)[1]["pace_s_per_km"], 300.0);
    // The config's units are used when there is no flag.
    env.ok(&["config", "set", "units", "mi"]);
    assert!(env.ok(&["stats", "--weeks", "2"]).contains("/mi"));
    assert!(env.ok(&["stats", "--weeks", "2", "--units", "km"]).contains("/km"));
}

#[test]
fn an_empty_store_gives_zero_weeks_and_writes_nothing() {
    let env = Env::new();
    let doc = env.json(&["stats"]);
    assert_eq!(weeks_of(&doc).len(), 12, "the default is 12 weeks");
    assert!(weeks_of(&doc).iter().all(|w| w["runs"] == 0));
    let out = env.cmd().args(["stats", "--weeks", "3"]).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().filter(|l| l.contains("-W")).count(), 3, "{stdout}");
    assert!(String::from_utf8(out.stderr).unwrap().contains("no runs yet"));
    assert!(!env.store_path().exists(), "reading never creates the store");
}

#[test]
fn bad_week_counts_are_refused() {
    let env = Env::new();
    for bad in ["0", "-1", "x", "5201"] {
        env.fails(&["stats", "--weeks", bad], 2);
    }
}

#[test]
fn json_is_one_document_only() {
    let env = gappy();
    let out = env.cmd().args(["--json", "stats", "--weeks", "6"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let doc: Value = serde_json::from_str(&text).expect("exactly one JSON document");
    assert!(doc["weeks"].is_array() && doc["totals"].is_object());
}

#[test]
fn weeks_follow_the_local_time_zone() {
    let env = Env::new();
    // Last Sunday, 23:30 in UTC, is already Monday morning of this week nine hours east.
    let sunday = (monday(0) - Duration::days(1)).format("%Y-%m-%d 23:30").to_string();
    add_run(&env, "5k", "25:00", &sunday, &[]);
    // The start of the week holding the run; the window is wide enough for "today" to differ
    // between the zones (late on a Sunday in UTC it is already Monday in Tokyo).
    let week_of_run = |tz: &str| -> String {
        let out = env
            .cmd()
            .env("TZ", tz)
            .args(["--json", "stats", "--weeks", "3"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let with_run: Vec<&Value> = weeks_of(&doc).iter().filter(|w| w["runs"] == 1).collect();
        assert_eq!(with_run.len(), 1, "{doc}");
        with_run[0]["starts_on"].as_str().unwrap().to_string()
    };
    assert_eq!(week_of_run("UTC"), monday(1).to_string());
    // A POSIX zone string, so the test needs no time-zone database.
    assert_eq!(week_of_run("JST-9"), monday(0).to_string());
}
