//! End-to-end tests of `lumbar plan` (issue 19): the text, the `--json` days (every field present),
//! the `.ics` read back with the icalendar crate's own parser (one all-day event a day),
//! export's no-overwrite rules for `--ics`, bad input, and that nothing is stored.

mod common;

use std::fs;
use std::str::FromStr;

use chrono::{Duration, NaiveDate, Utc};
use common::Env;
use icalendar::{CalendarComponent, Component, DatePerhapsTime};
use serde_json::Value;

const DAY: f64 = 24.0;

/// A time `hours` ago, as `--date` takes it (the tests run with TZ=UTC).
fn ago(hours: f64) -> String {
    let t = Utc::now() - Duration::seconds((hours * 3600.0) as i64);
    t.format("%Y-%m-%dT%H:%M").to_string()
}

fn run(env: &Env, hours: f64, km: f64) {
    let distance = format!("{km}km");
    let duration = format!("{}s", (km * 330.0).round() as u64);
    let when = ago(hours);
    env.ok(&[
        "run",
        "add",
        &distance,
        &duration,
        "--date",
        &when,
        "--warmup",
        "--stretch",
    ]);
}

fn pain(env: &Env, hours: f64, level: u8, extra: &[&str]) {
    let level = level.to_string();
    let when = ago(hours);
    let mut args = vec!["pain", "add", level.as_str(), "--date", when.as_str()];
    args.extend_from_slice(extra);
    env.ok(&args);
}

/// Five weeks of three runs (8, 8 and 12 km), every other day or so, the last two days ago,
/// each with 1/10 after it.
fn steady() -> Env {
    let env = Env::new();
    for week in (0..5).rev() {
        for (day, km) in [(6.0, 8.0), (4.0, 8.0), (2.0, 12.0)] {
            let hours = (week as f64 * 7.0 + day) * DAY + 3.0;
            run(&env, hours, km);
            pain(&env, hours - 2.0, 1, &["--run", "last"]);
        }
    }
    env
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn date(v: &Value) -> NaiveDate {
    NaiveDate::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d").unwrap()
}

fn days(doc: &Value) -> &Vec<Value> {
    doc["days"].as_array().expect("days")
}

/// The events of a calendar as the icalendar crate reads them back: (DTSTART, DTEND, summary).
fn events(text: &str) -> Vec<(NaiveDate, NaiveDate, String)> {
    let cal = icalendar::Calendar::from_str(text).unwrap_or_else(|e| panic!("not a calendar: {e}\n{text}"));
    assert_eq!(cal.property_value("VERSION"), Some("2.0"));
    assert!(cal.property_value("PRODID").is_some());
    let mut uids = std::collections::BTreeSet::new();
    cal.components
        .iter()
        .map(|c| {
            let CalendarComponent::Event(e) = c else {
                panic!("not an event: {c:?}");
            };
            assert!(uids.insert(e.get_uid().expect("UID").to_string()), "UIDs are unique");
            assert!(e.get_timestamp().is_some(), "DTSTAMP");
            let all_day = |d: Option<DatePerhapsTime>| match d {
                Some(DatePerhapsTime::Date(d)) => d,
                other => panic!("not an all-day date: {other:?}"),
            };
            (
                all_day(e.get_start()),
                all_day(e.get_end()),
                e.get_summary().expect("SUMMARY").to_string(),
            )
        })
        .collect()
}

#[test]
fn a_new_runner_gets_a_week_of_first_runs_and_nothing_is_stored() {
    let env = Env::new();
    let text = env.ok(&["plan"]);
    assert!(text.starts_with("Plan for 7 days"), "{text}");
    assert_eq!(text.matches("Run 20–30 minutes easy").count(), 3, "{text}");
    for k in 0..7 {
        let label = (today() + Duration::days(k)).format("%a %Y-%m-%d").to_string();
        assert!(text.contains(&label), "{label} missing:\n{text}");
    }
    assert!(
        text.contains("Nothing is stored") && text.contains("not a diagnostic tool"),
        "{text}"
    );
    assert!(!env.store_path().exists(), "plan created a store");
}

#[test]
fn json_gives_every_field_of_every_day() {
    let env = steady();
    let before = env.store_bytes();
    let doc = env.json(&["plan", "--days", "10"]);
    let list = days(&doc);
    assert_eq!(list.len(), 10);
    for (k, d) in list.iter().enumerate() {
        for key in ["date", "kind", "effort", "distance_m", "steps", "routines", "why"] {
            assert!(d.get(key).is_some(), "day {k} has no {key}: {d}");
        }
        assert_eq!(date(&d["date"]), date(&list[0]["date"]) + Duration::days(k as i64));
        let kind = d["kind"].as_str().unwrap();
        assert!(["run", "walk-run", "cross-training", "rest"].contains(&kind), "{kind}");
        let routines: Vec<&str> = d["routines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        if kind == "run" {
            assert!(d["distance_m"].as_f64().unwrap() > 0.0);
            assert!(["easy", "long"].contains(&d["effort"].as_str().unwrap()));
            assert!(routines.starts_with(&["warmup", "stretch"]), "{routines:?}");
            let cap = d["max_distance_m"].as_f64().unwrap();
            assert!(d["distance_m"].as_f64().unwrap() <= cap, "{d}");
        } else if kind != "walk-run" {
            assert!(
                d["distance_m"].is_null() && d["effort"].is_null() && d["steps"].is_null(),
                "{d}"
            );
        }
        assert!(d["why"].as_str().unwrap().ends_with('.'));
    }
    assert_eq!(date(&list[0]["date"]), today());
    assert!(doc["assumes"].as_str().unwrap().contains("Nothing is stored"));
    assert_eq!(doc["runs_per_week"]["value"], 3);
    assert_eq!(doc["runs_per_week"]["from"], "history");
    assert!(list.iter().any(|d| d["kind"] == "run"), "a steady runner runs");
    assert_eq!(env.store_bytes(), before, "plan changed the store");
}

#[test]
fn the_ics_parses_with_the_icalendar_crate_one_all_day_event_a_day() {
    let env = steady();
    let before = env.store_bytes();
    let file = env.dir.path().join("plan.ics");
    let path = file.to_str().unwrap();
    let doc = env.json(&["plan", "--days", "12", "--ics", path]);
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains("\r\n"), "RFC 5545 lines end in CRLF");
    let ev = events(&text);
    assert_eq!(ev.len(), 12);
    let json_days = days(&doc);
    for (k, (start, end, summary)) in ev.iter().enumerate() {
        assert_eq!(*start, date(&json_days[k]["date"]), "event {k}");
        assert_eq!(*end, *start + Duration::days(1), "an all-day event ends the next day");
        assert!(summary.ends_with("(lumbar)"), "{summary}");
    }
    // The same calendar on stdout with `--ics -`.
    let out = env.ok(&["plan", "--days", "3", "--ics", "-"]);
    assert_eq!(events(&out).len(), 3);
    assert_eq!(env.store_bytes(), before, "plan --ics changed the store");
}

#[test]
fn ics_never_replaces_a_file_without_force_nor_the_store_with_it() {
    let env = steady();
    let file = env.dir.path().join("plan.ics");
    fs::write(&file, "precious\n").unwrap();
    let path = file.to_str().unwrap();
    let err = env.fails(&["plan", "--ics", path], 2);
    assert!(
        err.contains("already exists") && err.contains("--force") && err.contains("--ics"),
        "{err}"
    );
    assert!(!err.contains("--output"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "precious\n");
    env.ok(&["plan", "--ics", path, "--force"]);
    assert_eq!(events(&fs::read_to_string(&file).unwrap()).len(), 7);
    // Never the store, even with --force.
    let store = env.store_path();
    let before = env.store_bytes();
    env.fails(&["plan", "--ics", store.to_str().unwrap(), "--force"], 2);
    assert_eq!(env.store_bytes(), before);
    // A missing folder: an I/O error, nothing written.
    let missing = env.dir.path().join("no-such-folder").join("plan.ics");
    env.fails(&["plan", "--ics", missing.to_str().unwrap()], 1);
    assert!(!missing.exists());
}

#[test]
fn bad_input_is_exit_2_naming_the_flag_and_the_forms() {
    let env = steady();
    let before = env.store_bytes();
    for (args, words) in [
        (
            &["plan", "--days", "0"][..],
            &["--days", "a whole number of days from 1 to 28"][..],
        ),
        (&["plan", "--days", "29"], &["--days", "from 1 to 28"]),
        (
            &["plan", "--runs-per-week", "8"],
            &["--runs-per-week", "a whole number of runs from 1 to 7"],
        ),
        (&["plan", "--long-day", "funday"], &["long-day", "monday to sunday"]),
        (&["plan", "--force"], &["--ics"]),
        (&["--json", "plan", "--ics", "-"], &["--ics", "FILE"]),
    ] {
        let err = env.fails(args, 2);
        for w in words {
            assert!(err.contains(w), "{args:?}: {w} not in {err}");
        }
    }
    assert_eq!(env.store_bytes(), before);
}

#[test]
fn the_options_shape_the_week() {
    let env = steady();
    let doc = env.json(&["plan", "--days", "14", "--runs-per-week", "2", "--long-day", "sat"]);
    assert_eq!(doc["runs_per_week"]["value"], 2);
    assert_eq!(doc["runs_per_week"]["from"], "given");
    assert_eq!(doc["long_day"]["value"], "saturday");
    assert_eq!(days(&doc).len(), 14);
    for d in days(&doc).iter().filter(|d| d["effort"] == "long") {
        assert_eq!(date(&d["date"]).format("%a").to_string(), "Sat", "{d}");
    }
    // Never more than 2 runs in any 7 days of the plan.
    let run_days: Vec<NaiveDate> = days(&doc)
        .iter()
        .filter(|d| d["kind"] == "run")
        .map(|d| date(&d["date"]))
        .collect();
    for d in &run_days {
        let within = run_days
            .iter()
            .filter(|o| **o <= *d && **o > *d - Duration::days(7))
            .count();
        assert!(within <= 2, "{run_days:?}");
    }
}

#[test]
fn severe_pain_rests_every_day_with_relief() {
    let env = steady();
    pain(&env, 1.0, 8, &[]);
    let doc = env.json(&["plan"]);
    for d in days(&doc) {
        assert_eq!(d["kind"], "rest", "{d}");
        assert_eq!(d["light"], "rest");
        let routines = d["routines"].as_array().unwrap();
        assert!(routines.contains(&Value::from("relief")), "{d}");
        assert!(!routines.contains(&Value::from("strength")) && !routines.contains(&Value::from("pilates")));
    }
    assert!(doc["assumes"].as_str().unwrap().contains("8/10"), "{}", doc["assumes"]);
    // A short plan of rest days: its summary counts the days it has, and no "-0.0 km".
    let text = env.ok(&["plan", "--days", "2"]);
    assert!(text.contains("The first 2 days: 0 runs, 0.0 km"), "{text}");
    assert!(!text.contains("-0.0"), "{text}");
}

#[test]
fn an_open_red_flag_rests_every_day_with_nothing_but_the_triage() {
    let env = steady();
    pain(&env, 1.0, 3, &["--symptom", "saddle-numbness"]);
    let doc = env.json(&["plan"]);
    for d in days(&doc) {
        assert_eq!(d["kind"], "rest", "{d}");
        assert_eq!(d["routines"].as_array().unwrap().len(), 0, "{d}");
        assert!(d["why"].as_str().unwrap().contains("redflags --seen"), "{d}");
    }
}

#[test]
fn after_a_three_week_gap_the_runs_come_back_from_half() {
    let env = Env::new();
    for k in 0..9 {
        run(&env, (50.0 - 3.0 * k as f64) * DAY, 10.0);
    }
    let doc = env.json(&["plan"]);
    let runs: Vec<f64> = days(&doc)
        .iter()
        .filter(|d| d["kind"] == "run")
        .map(|d| d["distance_m"].as_f64().unwrap())
        .collect();
    assert_eq!(runs.first().copied(), Some(5000.0), "{doc}");
    for pair in runs.windows(2) {
        assert!(pair[1] <= pair[0] * 1.1 + 1e-6, "{runs:?}");
    }
    // Never two days in a row while coming back.
    let dates: Vec<NaiveDate> = days(&doc)
        .iter()
        .filter(|d| d["kind"] == "run")
        .map(|d| date(&d["date"]))
        .collect();
    for pair in dates.windows(2) {
        assert!(pair[1] - pair[0] >= Duration::days(2), "{dates:?}");
    }
}

#[test]
fn help_has_examples() {
    let env = Env::new();
    let help = env.ok(&["plan", "--help"]);
    for w in [
        "Examples:",
        "lumbar plan --days 14",
        "--ics",
        "Nothing is stored",
        "not a diagnosis",
    ] {
        assert!(help.contains(w), "{w} not in:\n{help}");
    }
}
