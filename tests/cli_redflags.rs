//! End-to-end tests of `lumbar redflags` and of the red-flag check inside `lumbar pain add`.

mod common;

use lumbar::redflags::SYMPTOM_IDS;
use serde_json::Value;

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[test]
fn json_is_the_triage_shape() {
    let env = common::Env::new();
    let t = env.json(&[
        "redflags",
        "--symptom",
        "fever",
        "--symptom",
        "leg-weakness",
        "--age",
        "44",
    ]);
    let keys: Vec<&str> = t
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    assert_eq!(keys, ["advice", "level", "message", "reasons"]);
    assert_eq!(t["level"], "emergency");
    assert_eq!(
        t["message"],
        "go to an emergency department or call emergency services now"
    );
    let reasons = t["reasons"].as_array().expect("reasons");
    let fired: Vec<(&str, &str)> = reasons
        .iter()
        .map(|r| (r["symptom"].as_str().unwrap_or(""), r["level"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(
        fired,
        [
            ("leg-weakness", "emergency"),
            ("fever+leg-weakness", "emergency"),
            ("fever", "urgent")
        ]
    );
    for r in reasons {
        let mut k: Vec<&String> = r.as_object().expect("reason object").keys().collect();
        k.sort();
        assert_eq!(k, ["level", "symptom", "why"]);
        assert!(r["why"].as_str().is_some_and(|w| w.contains("can come from")));
    }
    assert!(strs(&t["advice"]).iter().any(|a| a.contains("911 in the US")));
    assert!(!env.store_path().exists(), "the check never writes the store");
}

#[test]
fn age_comes_from_the_flag_then_the_config_and_unknown_is_careful() {
    let env = common::Env::new();
    let level = |args: &[&str]| {
        let mut full = vec!["redflags", "--symptom", "minor-fall"];
        full.extend_from_slice(args);
        env.json(&full)["level"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(level(&[]), "urgent", "unknown age takes the more urgent answer");
    let why = env.json(&["redflags", "--symptom", "minor-fall"])["reasons"][0]["why"].clone();
    assert!(why.as_str().is_some_and(|w| w.contains("age is not known")), "{why}");
    env.ok(&["config", "set", "age", "49"]);
    assert_eq!(level(&[]), "soon");
    env.ok(&["config", "set", "age", "50"]);
    assert_eq!(level(&[]), "urgent");
    assert_eq!(level(&["--age", "49"]), "soon", "--age wins over the config");
}

#[test]
fn human_output_leads_with_the_action_and_ends_with_emergency_care() {
    let env = common::Env::new();
    let out = env.ok(&["redflags", "--symptom", "saddle-numbness", "--age", "36"]);
    let first = out.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "EMERGENCY: go to an emergency department or call emergency services now"
    );
    let reason = out.find("saddle-numbness (emergency)").expect("the reason");
    let not_dx = out.find("lumbar is not a diagnosis").expect("the not-a-diagnosis line");
    let care = out
        .find("Call your local emergency number")
        .expect("how to reach emergency care");
    assert!(reason < not_dx && not_dx < care, "{out}");
    assert!(!out.contains('\u{1b}'), "no colour off a terminal");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
}

#[test]
fn none_is_self_care_with_what_to_watch_for() {
    let env = common::Env::new();
    let out = env.ok(&["redflags", "--none"]);
    assert!(out.starts_with("SELF-CARE: "), "{out}");
    assert!(out.contains("lumbar routine relief"));
    assert!(
        out.contains("bladder or bowel"),
        "the reminder of what to watch for: {out}"
    );
    assert!(out.contains("lumbar is not a diagnosis"));
    assert!(!out.contains("999"));
    let t = env.json(&["redflags", "--none", "--age", "80"]);
    assert_eq!(t["level"], "self-care");
    assert_eq!(t["reasons"], Value::Array(vec![]));
}

#[test]
fn descriptors_are_accepted_but_are_not_flags() {
    let env = common::Env::new();
    let t = env.json(&["redflags", "--symptom", "ache", "--symptom", "stiffness", "--age", "30"]);
    assert_eq!(t["level"], "self-care");
    // Typed loosely: any case, underscores.
    let t = env.json(&["redflags", "--symptom", "Saddle_Numbness", "--age", "30"]);
    assert_eq!(t["level"], "emergency");
}

#[test]
fn list_shows_every_id_with_its_question() {
    let env = common::Env::new();
    let out = env.ok(&["redflags", "--list"]);
    for id in SYMPTOM_IDS {
        assert!(out.contains(id), "{id} missing");
    }
    assert!(out.contains("Have you ever had cancer, even many years ago?"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 80), "{out}");
    let j = env.json(&["redflags", "--list"]);
    let list = j["symptoms"].as_array().expect("symptoms");
    let ids: Vec<&str> = list.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, SYMPTOM_IDS);
    for s in list {
        assert!(s["question"].as_str().is_some_and(|q| q.ends_with('?')), "{s}");
        assert!(
            ["emergency", "urgent", "soon"].contains(&s["level"].as_str().unwrap_or("")),
            "{s}"
        );
    }
    assert_eq!(
        strs(&j["descriptors"]),
        ["ache", "stiffness", "sharp", "spasm", "radiating"]
    );
}

#[test]
fn unknown_ids_are_refused_with_the_closest_one() {
    let env = common::Env::new();
    let err = env.fails(&["redflags", "--symptom", "saddle-numbess"], 2);
    assert!(err.contains("symptom 'saddle-numbess'"), "{err}");
    assert!(err.contains("did you mean 'saddle-numbness'?"), "{err}");
    let err = env.fails(&["redflags", "--symptom", "fever", "--symptom", "bladder"], 2);
    assert!(err.contains("did you mean 'bladder-change'?"), "{err}");
    let out = env
        .cmd()
        .args(["--json", "redflags", "--symptom", "nope-nope-nope"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing on stdout when it fails");
}

#[test]
fn bad_age_and_conflicting_answers_are_refused() {
    let env = common::Env::new();
    let err = env.fails(&["redflags", "--none", "--age", "0"], 2);
    assert!(err.contains("age '0'"), "{err}");
    env.fails(&["redflags", "--none", "--age", "121"], 2);
    env.fails(&["redflags", "--none", "--symptom", "fever"], 2);
}

#[test]
fn off_a_terminal_without_answers_it_refuses_and_names_the_flags() {
    let env = common::Env::new();
    let out = env.cmd().arg("redflags").output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--symptom ID") && err.contains("--none"), "{err}");
    for id in SYMPTOM_IDS {
        assert!(err.contains(id), "{id} not named in:\n{err}");
    }
    assert!(!env.store_path().exists());
}

#[test]
fn a_broken_store_does_not_stop_the_check() {
    let env = common::Env::new();
    std::fs::create_dir_all(env.data_dir()).expect("data dir");
    std::fs::write(env.store_path(), b"{ not json").expect("write");
    let out = env
        .cmd()
        .args(["redflags", "--symptom", "first-episode"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("SOON: "));
    assert!(String::from_utf8_lossy(&out.stderr).contains("checking without it"));
    assert_eq!(env.store_bytes(), b"{ not json", "left alone");
}

#[test]
fn pain_add_prints_the_check_first_and_stores_the_symptoms() {
    let env = common::Env::new();
    env.ok(&["config", "set", "age", "40"]);
    let out = env.ok(&["pain", "add", "6", "--symptom", "leg-numbness", "--symptom", "ache"]);
    assert!(out.starts_with("SOON: see a doctor or physiotherapist"), "{out}");
    let check = out.find("lumbar is not a diagnosis").expect("the whole check");
    let logged = out.find("Logged pain 1").expect("the confirmation");
    assert!(check < logged, "the check comes first: {out}");
    let list = env.json(&["pain", "list"]);
    assert_eq!(strs(&list["pain"][0]["symptoms"]), ["leg-numbness", "ache"]);

    let j = env.json(&["pain", "add", "7", "--symptom", "bowel-change"]);
    assert_eq!(j["triage"]["level"], "emergency");
    assert_eq!(j["triage"]["reasons"][0]["symptom"], "bowel-change");
    assert_eq!(strs(&j["pain"]["symptoms"]), ["bowel-change"]);

    // Without a red flag there is no check, and the JSON says so with null.
    let j = env.json(&["pain", "add", "2", "--symptom", "stiffness"]);
    assert_eq!(j["triage"], Value::Null);
}

#[test]
fn pain_add_with_an_unknown_symptom_changes_nothing() {
    let env = common::Env::new();
    env.ok(&["pain", "add", "3"]);
    let before = env.store_bytes();
    let err = env.fails(&["pain", "add", "5", "--symptom", "fevr"], 2);
    assert!(err.contains("did you mean 'fever'?"), "{err}");
    assert_eq!(env.store_bytes(), before);
}

/// The interactive flow through a real pseudo-terminal, using util-linux `script`.
#[cfg(target_os = "linux")]
mod terminal {
    use std::io::Write;
    use std::process::{Command, Stdio};

    /// Runs `lumbar redflags ARGS` on a pseudo-terminal with `answers` typed in; returns the
    /// exit code and everything the terminal showed.
    fn on_terminal(env: &super::common::Env, args: &str, answers: &str) -> (Option<i32>, String) {
        let bin = assert_cmd::cargo::cargo_bin("lumbar");
        let line = format!("{} redflags {args}", bin.display());
        let mut child = Command::new("script")
            .args(["-qec", &line, "/dev/null"])
            .env("LUMBAR_DATA_DIR", env.data_dir())
            .env("NO_COLOR", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("util-linux `script` is needed for the terminal tests");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(answers.as_bytes())
            .expect("type the answers");
        let out = child.wait_with_output().expect("script finishes");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).replace('\r', ""),
        )
    }

    #[test]
    fn stops_at_the_first_emergency_answer() {
        let env = super::common::Env::new();
        let (code, shown) = on_terminal(&env, "--age 40", "n\nmaybe\ny\nn\n");
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("[1/22]") && shown.contains("[2/22]"), "{shown}");
        assert!(shown.contains("If you are not sure, answer y."), "{shown}");
        assert!(
            !shown.contains("[3/22]"),
            "no question after the emergency answer: {shown}"
        );
        assert!(shown.contains("Stopping the questions here"), "{shown}");
        assert!(shown.contains("EMERGENCY: go to an emergency department"), "{shown}");
        assert!(shown.contains("saddle-numbness (emergency)"), "{shown}");
        assert!(!env.store_path().exists(), "nothing written");
    }

    #[test]
    fn all_no_is_self_care() {
        let env = super::common::Env::new();
        let answers = "n\n".repeat(super::SYMPTOM_IDS.len());
        let (code, shown) = on_terminal(&env, "--age 60", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("[23/23]"), "{shown}");
        // At 40 a first back pain cannot change the answer, so it is not asked.
        let (_, shown) = on_terminal(&env, "--age 40", &answers);
        assert!(shown.contains("[22/22]") && !shown.contains("first time"), "{shown}");
        assert!(shown.contains("SELF-CARE: "), "{shown}");
    }

    #[test]
    fn input_that_ends_early_says_so() {
        let env = super::common::Env::new();
        let (code, shown) = on_terminal(&env, "--age 40", "n\nn\n");
        assert_eq!(code, Some(1), "{shown}");
        assert!(shown.contains("the check stopped after 2 of 22 questions"), "{shown}");
        // A yes before the input ends is still reported, never dropped.
        let mut answers = "n\n".repeat(9);
        answers.push_str("y\n");
        let (code, shown) = on_terminal(&env, "--age 40", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("The questions stopped early"), "{shown}");
        assert!(
            shown.contains("URGENT: ") && shown.contains("cancer-history (urgent)"),
            "{shown}"
        );
    }
}
