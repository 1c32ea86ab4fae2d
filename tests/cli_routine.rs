//! End to end: `lumbar routine` lists, prints and refuses as CLI.md says.

mod common;

use lumbar::content::{self, NOT_A_DIAGNOSIS};
use serde_json::Value;

const IDS: [&str; 7] = [
    "warmup",
    "stretch",
    "strength",
    "pilates",
    "cross-training",
    "form",
    "relief",
];

/// The last non-empty lines of a page, joined, for checking how it ends.
fn tail(text: &str, lines: usize) -> String {
    let kept: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    kept[kept.len().saturating_sub(lines)..].join(" ")
}

/// `NOT_A_DIAGNOSIS` as it reads once wrapped (line breaks become spaces).
fn ends_with_disclaimer(text: &str) -> bool {
    tail(
        text,
        lumbar::output::text::wrap_lines(NOT_A_DIAGNOSIS, 80, "", "").len(),
    )
    .ends_with(NOT_A_DIAGNOSIS)
}

#[test]
fn the_list_names_every_routine_with_its_title_and_when() {
    let env = common::Env::new();
    let out = env.ok(&["routine"]);
    for id in IDS {
        let r = content::routine(id).expect("routine in data");
        let row = out
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row for {id}:\n{out}"));
        assert!(row.contains(&r.title), "{row}");
        assert!(row.contains(&r.when), "{row}");
    }
    assert!(
        out.lines().all(|l| l.chars().count() <= 80),
        "wider than 80 columns:\n{out}"
    );
    assert!(env.store_bytes().is_empty(), "listing routines must not create a store");
}

#[test]
fn the_list_as_json_has_every_routine_in_order() {
    let env = common::Env::new();
    let doc = env.json(&["routine"]);
    let list = doc["routines"].as_array().expect("routines array");
    let ids: Vec<&str> = list.iter().map(|r| r["id"].as_str().expect("id")).collect();
    assert_eq!(ids, IDS);
    for r in list {
        for key in ["title", "when"] {
            assert!(r[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {r}");
        }
        assert!(r["steps"].as_array().is_some_and(|s| !s.is_empty()));
        assert!(r["sources"].as_array().is_some_and(|s| !s.is_empty()));
    }
}

#[test]
fn each_routine_prints_its_steps_doses_and_the_disclaimer() {
    let env = common::Env::new();
    for id in IDS {
        let out = env.ok(&["routine", id]);
        let r = content::routine(id).expect("routine in data");
        assert!(out.starts_with(&format!("{} ({id})", r.title)), "{id}:\n{out}");
        for (i, step) in r.steps.iter().enumerate() {
            let head = format!("{:>2}. {} · {}", i + 1, step.name, step.dose_text());
            assert!(out.contains(&head), "{id}: missing '{head}'\n{out}");
        }
        assert!(
            ends_with_disclaimer(&out),
            "{id} must end with the not-a-diagnosis line:\n{out}"
        );
        assert!(
            out.lines().all(|l| l.chars().count() <= 80),
            "{id} wider than 80 columns"
        );
    }
}

#[test]
fn the_warmup_marks_its_moves_as_general_practice() {
    let env = common::Env::new();
    let out = env.ok(&["routine", "warmup"]);
    let heads: Vec<&str> = out.lines().filter(|l| l.starts_with(' ') && l.contains(". ")).collect();
    let numbered: Vec<&&str> = heads
        .iter()
        .filter(|l| l.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()))
        .collect();
    assert!(!numbered.is_empty());
    assert!(
        numbered.iter().all(|l| l.ends_with("general practice")),
        "{numbered:#?}"
    );
    // The stretches, by contrast, are the article's own.
    let out = env.ok(&["routine", "stretch"]);
    assert!(out.contains(" 1. Cat-cow · 10 reps\n"), "{out}");
}

#[test]
fn relief_ends_with_the_doctor_symptoms_then_the_disclaimer() {
    let env = common::Env::new();
    let out = env.ok(&["routine", "relief"]);
    let end = tail(&out, 12);
    for symptom in ["numbness", "tingling", "bladder", "bowels", "emergency"] {
        assert!(
            end.contains(symptom),
            "relief must end with the doctor symptoms ({symptom}):\n{out}"
        );
    }
    assert!(ends_with_disclaimer(&out), "{out}");
    let doctor = out.find("When to see a doctor:").expect("doctor heading");
    assert!(
        doctor > out.find("Also:").expect("home-care notes"),
        "the doctor lines come last"
    );
}

#[test]
fn each_routine_as_json_matches_the_contract_shape() {
    let env = common::Env::new();
    for id in IDS {
        let doc = env.json(&["routine", id]);
        let r = &doc["routine"];
        assert_eq!(r["id"], id);
        assert!(r["title"].is_string() && r["when"].is_string());
        let steps = r["steps"].as_array().expect("steps");
        assert_eq!(steps.len(), content::routine(id).expect("data").steps.len());
        for s in steps {
            assert!(s["name"].as_str().is_some_and(|t| !t.is_empty()), "{s}");
            assert!(s["how"].as_str().is_some_and(|t| !t.is_empty()), "{s}");
            let seconds = s.get("seconds").and_then(Value::as_u64);
            let reps = s.get("reps").and_then(Value::as_u64);
            assert!(
                seconds.is_some() != reps.is_some(),
                "exactly one of seconds and reps: {s}"
            );
            assert!(seconds.or(reps).is_some_and(|n| n > 0), "{s}");
            // Every field is present; `sets` is null for a single set.
            assert!(s["sets"].is_null() || s["sets"].as_u64().is_some_and(|n| n >= 1), "{s}");
        }
        let sources = r["sources"].as_array().expect("sources");
        assert!(!sources.is_empty() && sources.iter().all(Value::is_string));
    }
}

#[test]
fn names_ignore_case_but_typos_fail_with_a_suggestion() {
    let env = common::Env::new();
    assert_eq!(env.json(&["routine", "Pilates"])["routine"]["id"], "pilates");
    let err = env.fails(&["routine", "pilats"], 2);
    assert!(err.contains("routine 'pilats'"), "{err}");
    assert!(err.contains("did you mean 'pilates'"), "{err}");
    let err = env.fails(&["routine", "warm-up", "--json"], 2);
    assert!(err.contains("did you mean 'warmup'"), "{err}");
    let out = env.cmd().args(["--json", "routine", "nonsense"]).output().expect("run");
    assert!(out.stdout.is_empty(), "no JSON on failure");
    assert!(env.store_bytes().is_empty());
}

#[test]
fn the_timer_refuses_off_a_terminal() {
    let env = common::Env::new();
    let out = env.cmd().args(["routine", "warmup", "--timer"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("lumbar routine warmup"),
        "it says how to print the steps instead: {err}"
    );
    // A bad name is reported before the terminal is even considered.
    let err = env.fails(&["routine", "stetch", "--timer"], 2);
    assert!(err.contains("did you mean 'stretch'"), "{err}");
    // A timer cannot be one JSON document.
    let err = env.fails(&["--json", "routine", "relief", "--timer"], 2);
    assert!(err.contains("--json"), "{err}");
    // --timer needs a routine name.
    env.fails(&["routine", "--timer"], 2);
    assert!(env.store_bytes().is_empty());
}
