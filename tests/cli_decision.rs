//! End-to-end scenarios for the next-run decision (issue 12, EVIDENCE.md section 6): what
//! `coach`, `coach --check`, `coach --json | jq .next` and the line after `run add` / `pain add`
//! answer, on the histories the issue describes.

mod common;

use serde_json::Value;

/// A time `hours` hours ago, as `--date` takes it (the tests run with TZ=UTC).
fn ago(hours: f64) -> String {
    let t = chrono::Utc::now() - chrono::Duration::seconds((hours * 3600.0) as i64);
    t.format("%Y-%m-%dT%H:%M").to_string()
}

const DAY: f64 = 24.0;

/// Logs a run of `km` at 6:00 /km that started `hours` ago; returns `run add --json`.
fn run(env: &common::Env, hours: f64, km: f64, extra: &[&str]) -> Value {
    let distance = format!("{km}km");
    let duration = format!("{}s", (km * 360.0).round() as u64);
    let when = ago(hours);
    let mut args = vec![
        "run",
        "add",
        distance.as_str(),
        duration.as_str(),
        "--date",
        when.as_str(),
    ];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn pain(env: &common::Env, hours: f64, level: u8, extra: &[&str]) -> Value {
    let level = level.to_string();
    let when = ago(hours);
    let mut args = vec!["pain", "add", level.as_str(), "--date", when.as_str()];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn next(env: &common::Env) -> Value {
    env.json(&["coach"])["next"].clone()
}

fn ids(flags: &Value) -> Vec<String> {
    flags
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

/// The exit code of `lumbar coach --check` (and its stdout).
fn check(env: &common::Env, extra: &[&str]) -> (i32, String) {
    let mut args = extra.to_vec();
    args.extend_from_slice(&["coach", "--check"]);
    let out = env.cmd().args(&args).output().unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

/// Words as the text shows them, whatever the wrapping.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Six 10 km runs, every third day, from `first_day` days ago.
fn six_tens(env: &common::Env, first_day: f64) {
    for i in 0..6 {
        run(env, (first_day - 3.0 * i as f64) * DAY, 10.0, &["--warmup"]);
    }
}

/// Issue 12: six 10 km runs, a 21.1 km run with 9/10 pain after it, then three weeks with
/// nothing logged. The coach said "No flags ... a run is fine" and "Longest next run: 23.2 km".
#[test]
fn severe_pain_after_a_spike_and_three_silent_weeks_is_still_rest() {
    let env = common::Env::new();
    six_tens(&env, 40.0);
    run(&env, 22.0 * DAY, 21.1, &["--warmup"]);
    pain(&env, 22.0 * DAY - 3.0, 9, &["--run", "last", "--when", "after"]);
    let n = next(&env);
    assert_eq!(n["light"], "rest", "{n}");
    assert_eq!(n["max_distance_m"], Value::Null, "no cap at rest");
    assert!(n["reason"].as_str().unwrap().starts_with("9/10"), "{}", n["reason"]);
    assert!(n["ask"].as_str().unwrap().contains("how is your back"), "{}", n["ask"]);
    assert_eq!(
        n["review"]["level"], "soon",
        "not settled within 14 days: {}",
        n["review"]
    );
    let text = env.ok(&["coach"]);
    assert!(text.starts_with("REST: no run today"), "{text}");
    assert!(!text.contains("a run is fine") && !text.contains("23.2"), "{text}");
    assert!(
        flat(&text).contains("See a doctor or physiotherapist within days"),
        "{text}"
    );
    assert_eq!(check(&env, &[]).0, 4);
}

/// A spike, severe pain after it that settles, then a gap: the return is walk-run, capped at
/// half the longest run before the gap that was not a spike (5 km, not half of 21.1).
#[test]
fn a_gap_after_a_spike_and_severe_pain_comes_back_as_walk_run_capped_without_the_spike() {
    let env = common::Env::new();
    six_tens(&env, 45.0);
    run(&env, 28.0 * DAY, 21.1, &[]);
    pain(&env, 28.0 * DAY - 3.0, 8, &["--run", "last"]);
    pain(&env, 27.0 * DAY, 4, &[]);
    pain(&env, 25.0 * DAY, 1, &[]);
    let n = next(&env);
    assert_eq!(n["phase"]["id"], "away", "{n}");
    assert_eq!(
        n["walk_run"],
        serde_json::json!([{"run_s": 60, "walk_s": 60, "repeats": 10}])
    );
    assert_eq!(n["walk_run_stage"]["step"], 1);
    assert_eq!(n["max_distance_m"], 5000.0, "half of 10 km: {}", n["caps"]);
    assert_eq!(n["light"], "hold", "settled, no run since: the next run is easy");
    let text = env.ok(&["coach"]);
    assert!(
        text.starts_with("HOLD: walk-run, step 1 of 6: 10 × (1 min run, 1 min walk), up to 5.0 km"),
        "{text}"
    );
    // The walk-run back, then next-day pain at the level before it: one step up.
    pain(&env, 2.0 * DAY + 2.0, 1, &[]);
    let back = run(&env, 2.0 * DAY, 3.0, &[]);
    assert_eq!(back["next"]["walk_run_stage"]["step"], 1, "no next-day entry yet");
    pain(&env, 1.0 * DAY, 1, &["--run", "last", "--when", "next-day"]);
    let n = next(&env);
    assert_eq!(
        n["walk_run"],
        serde_json::json!([{"run_s": 120, "walk_s": 60, "repeats": 8}]),
        "{n}"
    );
    assert_eq!(n["light"], "go");
    assert_eq!(n["phase"]["id"], "coming-back");
    assert_eq!(n["max_distance_m"], 3300.0, "10 % over the longest since the return");
}

/// Issue 12: a pain entry linked to one run was also counted against the next run.
#[test]
fn a_linked_next_day_entry_counts_for_its_own_run_only() {
    let env = common::Env::new();
    for d in [12.0, 9.0] {
        run(&env, d * DAY, 8.0, &[]);
        pain(&env, d * DAY - 2.0, 0, &["--run", "last"]);
    }
    let first = run(&env, 6.0 * DAY, 8.0, &[]);
    let first_id = first["run"]["id"].as_u64().unwrap().to_string();
    let second = run(&env, 5.0 * DAY, 8.0, &[]);
    // Next-day pain about the first run, logged after the second.
    pain(&env, 5.0 * DAY - 3.0, 5, &["--run", &first_id, "--when", "next-day"]);
    run(&env, 2.0 * DAY, 8.0, &[]);
    pain(&env, 2.0 * DAY - 2.0, 4, &["--run", "last"]);
    let review = env.json(&["coach"]);
    let after = review["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == "pain-after-runs")
        .unwrap_or_else(|| panic!("{}", review["flags"]));
    let runs: Vec<u64> = after["evidence"]["run_ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect();
    assert_eq!(runs, [5, 3], "the first run and the last, not the second");
    assert!(!runs.contains(&second["run"]["id"].as_u64().unwrap()));
    assert_eq!(review["next"]["light"], "hold", "4/10 after the last run");
}

/// Issue 12: `long-run-jump` fired on a new user's second run ever.
#[test]
fn a_brand_new_runner_starts_easy_and_the_coach_learns_the_baseline() {
    let env = common::Env::new();
    assert_eq!(check(&env, &[]), (0, "Next run · GO: 20–30 minutes easy · no run logged yet: start with 20–30 minutes easy, walk breaks welcome\n".into()));
    let first = run(&env, 3.0 * DAY, 5.0, &[]);
    assert_eq!(first["next"]["light"], "go");
    assert_eq!(first["next"]["max_distance_m"], 5500.0);
    assert_eq!(first["next"]["reasons"][0]["id"], "learning-baseline");
    let second = run(&env, 1.0 * DAY, 10.0, &[]);
    assert!(
        !ids(&second["flags"]).contains(&"long-run-jump".to_string()),
        "{}",
        second["flags"]
    );
    assert_eq!(second["next"]["light"], "hold", "a spike all the same");
    assert_eq!(second["next"]["reasons"][0]["id"], "last-run-spike");
    assert_eq!(second["next"]["max_distance_m"], 5000.0, "never taken from the spike");
    let full = env.ok(&["coach", "--full"]);
    assert!(
        flat(&full).contains("Still learning your baseline: 2 runs in the last 30 days"),
        "{full}"
    );
}

/// Pain during a run: the when-to-stop list, and `rest` at 6/10.
#[test]
fn pain_during_a_run_brings_the_when_to_stop_list() {
    let env = common::Env::new();
    for d in [9.0, 6.0, 3.0] {
        run(&env, d * DAY, 6.0, &[]);
        pain(&env, d * DAY - 1.0, 0, &["--run", "last"]);
    }
    run(&env, 3.0, 6.0, &[]);
    let out = env.ok(&[
        "pain",
        "add",
        "4",
        "--when",
        "during",
        "--run",
        "last",
        "--date",
        &ago(2.8),
    ]);
    let line = out.lines().last().unwrap();
    assert!(
        line.starts_with("Next run · HOLD: an easy run of up to 6.0 km"),
        "{out}"
    );
    let n = next(&env);
    assert_eq!(n["light"], "hold");
    assert_eq!(n["stop_if"].as_array().unwrap().len(), 8, "{}", n["stop_if"]);
    assert!(n["stop_if"][0].as_str().unwrap().contains("the pain passes 5/10"));
    let text = env.ok(&["coach"]);
    assert!(text.contains("Stop if: pain over 5/10"), "{text}");
    assert!(flat(&env.ok(&["coach", "--full"])).contains("call emergency services for chest pain"));
    pain(&env, 2.7, 6, &["--when", "during", "--run", "last"]);
    assert_eq!(next(&env)["light"], "rest");
}

/// Issue 12: "With 6/10 pain after yesterday's run it offers 8.8 km, a run is fine".
#[test]
fn six_out_of_ten_after_yesterdays_run_is_rest_with_no_cap() {
    let env = common::Env::new();
    for d in [12.0, 9.0, 6.0] {
        run(&env, d * DAY, 8.0, &[]);
    }
    run(&env, 1.0 * DAY, 8.0, &[]);
    let added = pain(&env, 1.0 * DAY - 2.0, 6, &["--run", "last"]);
    assert_eq!(added["next"]["light"], "rest");
    assert_eq!(added["next"]["max_distance_m"], Value::Null);
    assert_eq!(added["next"]["reasons"][0]["id"], "pain-after-last-run");
    assert_eq!(added["next"]["routine_today"], "relief");
    let text = env.ok(&["coach"]);
    assert!(text.starts_with("REST: no run today. 6/10 for your last run"), "{text}");
    assert!(!text.contains("8.8"), "{text}");
}

/// Issue 12: the demo answered rest and still printed a cap, in 134 lines.
#[test]
fn the_demo_answers_first_in_at_most_15_lines() {
    let env = common::Env::new();
    env.ok(&["demo"]);
    let text = env.ok(&["coach"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 15, "{} lines:\n{text}", lines.len());
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");
    assert!(text.contains("`lumbar coach --full`") && text.contains("lumbar is not a diagnosis"));
    assert_eq!(
        lines.iter().filter(|l| l.starts_with('[')).count(),
        3,
        "three flags\n{text}"
    );
    let review = env.json(&["coach"]);
    let n = &review["next"];
    assert_eq!(n["light"], "rest", "severe pain this week: {n}");
    assert_eq!(n["max_distance_m"], Value::Null);
    assert!(
        review["flags"].as_array().unwrap().len() > 3,
        "the whole review stays in --json"
    );
    assert!(!review["insights"].as_array().unwrap().is_empty());
    let full = env.ok(&["coach", "--full"]);
    assert!(full.contains("Insights") && full.contains("evidence:") && full.lines().count() > 40);
    assert_eq!(check(&env, &[]).0, 4);
    // Resting for pain: no flag, in the review or after an entry, suggests strength or Pilates.
    let added = env.json(&["pain", "add", "3", "--run", "last"]);
    assert_eq!(added["next"]["light"], "rest");
    for doc in [&review, &added] {
        for f in doc["flags"].as_array().unwrap() {
            for a in f["advice"].as_array().unwrap() {
                let a = a.as_str().unwrap();
                assert!(
                    !["pilates-core", "cross-train-strength", "muscle-imbalance"].contains(&a),
                    "{} suggests {a} at rest",
                    f["id"]
                );
            }
        }
    }
    assert!(
        review["flags"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "pain-after-runs"),
        "the flag whose advice includes Pilates is there"
    );
}

/// `lumbar coach --json | jq .next` gives the same answer as the text.
#[test]
fn next_in_json_says_what_the_text_says() {
    let env = common::Env::new();
    for d in [12.0, 9.0, 6.0, 3.0] {
        run(&env, d * DAY, 8.0, &[]);
        pain(&env, d * DAY - 1.0, 1, &["--run", "last"]);
    }
    run(&env, 1.0 * DAY, 9.0, &[]);
    pain(&env, 1.0 * DAY - 1.0, 3, &["--run", "last"]);
    for units in ["km", "mi"] {
        let n = env.json(&["--units", units, "coach"])["next"].clone();
        let text = flat(&env.ok(&["--units", units, "coach"]));
        let light = n["light"].as_str().unwrap().to_uppercase();
        assert!(text.starts_with(&format!("{light}: ")), "{text}");
        assert!(text.contains(n["reason"].as_str().unwrap()), "{text}\n{}", n["reason"]);
        let metres = n["max_distance_m"].as_f64().unwrap();
        let shown = match units {
            "km" => format!("{:.1} km", metres / 1000.0),
            _ => format!("{:.1} mi", metres / 1609.344),
        };
        assert!(text.contains(&format!("up to {shown}")), "{text} / {shown}");
        let check_line = check(&env, &["--units", units]).1;
        assert!(
            flat(&check_line).contains(n["reason"].as_str().unwrap()),
            "{check_line}"
        );
    }
    // run add and pain add carry the same NEXT.
    let added = pain(&env, 0.5, 3, &[]);
    let n = next(&env);
    for key in ["light", "reason", "max_distance_m", "walk_run", "stop_if"] {
        assert_eq!(added["next"][key], n[key], "{key}");
    }
}

/// Issue 12: `lumbar --units mi run add 5k 25:00` printed the run in miles and its flags in km.
#[test]
fn the_decision_after_an_entry_is_in_the_units_of_the_call() {
    let env = common::Env::new();
    for d in [9.0, 6.0, 3.0] {
        run(&env, d * DAY, 5.0, &["--warmup"]);
    }
    let out = env.ok(&[
        "--units",
        "mi",
        "run",
        "add",
        "5k",
        "25:00",
        "--date",
        &ago(2.0),
        "--no-warmup",
    ]);
    let line = out
        .lines()
        .find(|l| l.starts_with("Next run"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(line.contains("up to 3.4 mi"), "{line}");
    assert!(!out.contains(" km"), "{out}");
    let text = env.ok(&["--units", "mi", "coach", "--full"]);
    assert!(!text.contains(" km") && text.contains(" mi"), "{text}");
    let quiet = env.ok(&["-q", "run", "add", "5k", "25:00", "--date", &ago(1.0)]);
    assert!(!quiet.contains("Next run"), "-q: only essential output\n{quiet}");
}

/// `coach --check`: 0 go, 3 hold, 4 rest; `-q` prints nothing; `--json` still prints the review.
#[test]
fn check_exits_with_the_light() {
    let env = common::Env::new();
    for d in [12.0, 9.0, 6.0, 3.0] {
        run(&env, d * DAY, 8.0, &[]);
        pain(&env, d * DAY - 1.0, 1, &["--run", "last"]);
    }
    let (code, out) = check(&env, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("Next run · GO: a run of up to 8.8 km") && out.lines().count() == 1,
        "{out}"
    );
    pain(&env, 2.0, 4, &[]);
    assert_eq!(check(&env, &[]).0, 3);
    let (code, out) = check(&env, &["-q"]);
    assert_eq!((code, out.as_str()), (3, ""));
    let json = env.cmd().args(["--json", "coach", "--check"]).output().unwrap();
    assert_eq!(json.status.code(), Some(3));
    let doc: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(doc["next"]["light"], "hold");
    assert!(
        json.stderr.is_empty(),
        "no error message: {}",
        String::from_utf8_lossy(&json.stderr)
    );
    pain(&env, 1.0, 7, &[]);
    assert_eq!(check(&env, &[]).0, 4);
    let help = env.ok(&["coach", "--help"]);
    assert!(help.contains("0 go, 3 hold, 4 rest"), "{help}");
}

/// Issue 13 items 3 and 6: the coach's red flag speaks with the triage's voice, and the light
/// agrees with the triage.
#[test]
fn the_red_flag_and_the_light_say_what_the_triage_says() {
    let env = common::Env::new();
    env.ok(&["config", "set", "age", "40"]);
    for d in [12.0, 9.0, 6.0] {
        run(&env, d * DAY, 8.0, &[]);
        pain(&env, d * DAY - 1.0, 1, &["--run", "last"]);
    }
    let added = pain(&env, 5.0, 3, &["--symptom", "fever"]);
    assert_eq!(added["triage"]["level"], "urgent");
    assert_eq!(added["next"]["light"], "rest");
    let review = env.json(&["coach"]);
    let red = &review["flags"][0];
    assert_eq!(
        (red["id"].as_str(), red["severity"].as_str()),
        (Some("red-flag"), Some("urgent"))
    );
    assert_eq!(red["evidence"]["level"], "urgent");
    let message = red["message"].as_str().unwrap();
    assert!(
        message.contains("triages as urgent: speak to a doctor today, within 24 hours"),
        "{message}"
    );
    let n = &review["next"];
    assert_eq!(n["reasons"][0]["id"], "red-flag");
    for key in ["before", "after", "cross_training", "stop_if"] {
        assert_eq!(n[key], serde_json::json!([]), "only the triage's action: {key}");
    }
    assert_eq!(n["routine_today"], Value::Null);
    assert_eq!(n["review"], Value::Null);
    let text = env.ok(&["coach"]);
    assert!(
        text.starts_with("REST: No running until a clinician has seen you"),
        "{text}"
    );
    assert!(!text.contains("walking") && !text.contains("relief"), "{text}");
    // Once a clinician has seen it: information only, and the light is the pain's again.
    env.ok(&["redflags", "--seen", "--date", &ago(0.5)]);
    let review = env.json(&["coach"]);
    assert_eq!(review["flags"][0]["severity"], "info");
    assert!(review["flags"][0]["evidence"]["seen_at"].is_string());
    assert_eq!(review["next"]["light"], "hold", "3/10 in the last 48 h");
    // A soon red flag (logged after the mark) holds; a symptom that triages to self-care
    // raises nothing.
    env.json(&["pain", "add", "2", "--symptom", "leg-numbness"]);
    let review = env.json(&["coach"]);
    assert_eq!(review["flags"][0]["severity"], "warn");
    assert_eq!(review["flags"][0]["evidence"]["level"], "soon");
    assert_eq!(review["next"]["light"], "hold");
    let env = common::Env::new();
    env.ok(&["config", "set", "age", "35"]);
    run(&env, 3.0 * DAY, 5.0, &[]);
    let added = pain(&env, 2.0, 2, &["--symptom", "first-episode"]);
    assert!(
        !ids(&added["flags"]).contains(&"red-flag".to_string()),
        "{}",
        added["flags"]
    );
    assert_eq!(added["next"]["light"], "go");
    let emergency = pain(&env, 1.0, 2, &["--symptom", "saddle-numbness"]);
    assert_eq!(emergency["flags"][0]["evidence"]["level"], "emergency");
    assert!(
        emergency["flags"][0]["message"]
            .as_str()
            .unwrap()
            .contains("go to an emergency department or call emergency services now")
    );
    let (code, line) = check(&env, &[]);
    assert_eq!(code, 4);
    assert!(line.contains("REST: No running. Get emergency care now"), "{line}");
}

/// `--since` limits the flags reviewed, never the decision.
#[test]
fn since_never_hides_pain_from_the_decision() {
    let env = common::Env::new();
    run(&env, 4.0 * DAY, 8.0, &[]);
    pain(&env, 2.0 * DAY, 8, &[]);
    let since = ago(1.0);
    let review = env.json(&["coach", "--since", &since]);
    assert_eq!(review["flags"], serde_json::json!([]));
    assert_eq!(review["next"]["light"], "rest");
    let text = env.ok(&["coach", "--since", &since]);
    assert!(
        text.contains("Nothing logged since") && text.contains("REST: no run today"),
        "{text}"
    );
}

/// Issue 12 item 6: `--explain` states each new rule, its threshold, its source and how strong
/// the evidence is.
#[test]
fn explain_states_the_decision_rules_their_sources_and_strength() {
    let env = common::Env::new();
    let doc = env.json(&["coach", "--explain"]);
    let rules = doc["decision"].as_array().unwrap();
    let find = |id: &str| {
        rules
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("no {id}"))
    };
    for id in [
        "entries",
        "red-flag-light",
        "rest-pain",
        "settled",
        "unstuck",
        "hold-pain",
        "spike",
        "cap",
        "coming-back",
        "walk-run",
        "jump-baseline",
        "no-answer",
        "soon-review",
        "stop-if",
    ] {
        for key in ["effect", "threshold", "source", "strength"] {
            assert!(!find(id)[key].as_str().unwrap().is_empty(), "{id} {key}");
        }
    }
    assert!(find("rest-pain")["source"].as_str().unwrap().contains("tendon"));
    assert!(
        find("rest-pain")["strength"]
            .as_str()
            .unwrap()
            .contains("untested for back pain")
    );
    assert_eq!(find("walk-run")["strength"], "general practice, not a trial");
    assert_eq!(find("coming-back")["strength"], "general practice, not a trial");
    assert!(find("cap")["source"].as_str().unwrap().contains("Frandsen 2025"));
    let text = env.ok(&["coach", "--explain"]);
    assert!(text.contains("The next-run decision") && text.contains("walk-run (the run is walk-run)"));
    let rotation = doc["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "shoe-rotation")
        .unwrap();
    assert!(rotation["source"].as_str().unwrap().contains("cohort study"));
}

/// `--date today` places an entry at noon, which may be ahead of the clock: the answer counts it.
#[test]
fn an_entry_dated_today_counts_whatever_the_time_of_day() {
    let env = common::Env::new();
    for d in [9.0, 6.0, 3.0] {
        run(&env, d * DAY, 8.0, &[]);
    }
    env.ok(&["run", "add", "8k", "48:00", "--date", "today"]);
    let added = env.json(&["pain", "add", "7", "--date", "today", "--run", "last"]);
    assert_eq!(added["next"]["light"], "rest", "{}", added["next"]);
    assert_eq!(next(&env)["light"], "rest");
    assert_eq!(check(&env, &[]).0, 4);
}

/// Issue 12: "94 lines for twelve runs": twelve runs that raise many flags still answer in a
/// few lines, with at most three flags.
#[test]
fn twelve_runs_with_many_flags_answer_in_a_few_lines() {
    let env = common::Env::new();
    for i in 0..12 {
        let km = if i == 11 { 14.0 } else { 6.0 };
        run(
            &env,
            (12 - i) as f64 * DAY,
            km,
            &["--no-warmup", "--no-stretch", "--surface", "concrete"],
        );
        pain(
            &env,
            (12 - i) as f64 * DAY - 2.0,
            if i > 8 { 5 } else { 2 },
            &["--run", "last"],
        );
    }
    let review = env.json(&["coach"]);
    assert!(review["flags"].as_array().unwrap().len() > 3, "{}", review["flags"]);
    let text = env.ok(&["coach"]);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines.len() <= 15, "{} lines\n{text}", lines.len());
    assert!(lines.iter().all(|l| l.chars().count() <= 80), "{text}");
    assert_eq!(lines.iter().filter(|l| l.starts_with('[')).count(), 3, "{text}");
    assert!(text.starts_with("HOLD"), "5/10 after the last run\n{text}");
}
