//! End-to-end scenarios for `lumbar coach` and the flags `run add` and `pain add` print: a
//! careful runner, a runner who does everything the evidence warns about, and a red flag. The
//! next-run decision's scenarios (issue 12) are in `tests/cli_decision.rs`.

mod common;

use serde_json::Value;

/// The day `days_ago` days before today (the tests run with TZ=UTC).
fn date(days_ago: i64) -> String {
    (chrono::Utc::now().date_naive() - chrono::Duration::days(days_ago)).to_string()
}

fn at(days_ago: i64, time: &str) -> String {
    format!("{} {time}", date(days_ago))
}

/// Logs a run at 07:00 `days_ago` days back; returns the `run add --json` document.
fn run(env: &common::Env, days_ago: i64, km: &str, extra: &[&str]) -> Value {
    let when = at(days_ago, "07:00");
    let mut args = vec!["run", "add", km, "60:00", "--date", when.as_str()];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn pain(env: &common::Env, level: &str, days_ago: i64, extra: &[&str]) -> Value {
    let when = at(days_ago, "10:00");
    let mut args = vec!["pain", "add", level, "--date", when.as_str()];
    args.extend_from_slice(extra);
    env.json(&args)
}

fn ids(flags: &Value) -> Vec<String> {
    flags
        .as_array()
        .expect("flags array")
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect()
}

fn flag<'a>(review: &'a Value, id: &str) -> &'a Value {
    review["flags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["id"] == id)
        .unwrap_or_else(|| panic!("no {id} flag in {}", review["flags"]))
}

/// Eight weeks of four runs a week on soft ground, alternating two pairs, always warmed up
/// and stretched, the same long run every Sunday, pain logged at 0 or 1.
fn careful_runner(env: &common::Env) {
    env.ok(&["shoes", "add", "Trail A"]);
    env.ok(&["shoes", "add", "Trail B"]);
    for week in 0..8 {
        for (i, (day, km)) in [(7, "8"), (5, "8"), (3, "8"), (1, "12")].iter().enumerate() {
            let days_ago = week * 7 + day;
            let shoe = if (week + i as i64) % 2 == 0 {
                "trail a"
            } else {
                "trail b"
            };
            let surface = if i % 2 == 0 { "trail" } else { "grass" };
            run(
                env,
                days_ago,
                km,
                &[
                    "--warmup",
                    "--stretch",
                    "--surface",
                    surface,
                    "--shoe",
                    shoe,
                    "--rpe",
                    "4",
                ],
            );
            if i == 3 {
                pain(env, "1", days_ago, &["--run", "last", "--when", "after"]);
            }
        }
    }
}

#[test]
fn a_careful_runner_gets_no_warning() {
    let env = common::Env::new();
    careful_runner(&env);
    let review = env.json(&["coach"]);
    let flags = review["flags"].as_array().unwrap();
    assert!(
        flags.iter().all(|f| f["severity"] == "info"),
        "a careful runner was warned: {}",
        review["flags"]
    );
    assert!(flags.is_empty(), "even an info flag: {}", review["flags"]);
    assert_eq!(review["next"]["light"], "go");
    assert_eq!(review["next"]["longest_30d_m"], 12_000.0);
    assert_eq!(review["next"]["max_distance_m"], 13_200.0);
    assert_eq!(review["next"]["before"], serde_json::json!(["warmup"]));
    assert_eq!(review["next"]["stop_if"], serde_json::json!([]));
    let text = env.ok(&["coach"]);
    assert!(text.starts_with("GO: a run of up to 13.2 km"), "{text}");
    assert!(text.contains("No flags"), "{text}");
    assert!(text.contains("lumbar is not a diagnosis"), "{text}");
    assert!(
        env.ok(&["--units", "mi", "coach"])
            .starts_with("GO: a run of up to 8.2 mi")
    );
    assert!(
        env.ok(&["coach", "--full"])
            .contains("No flags: nothing in your history")
    );
}

/// Four weeks of three 6 km runs a week on concrete without a warm-up, then ten days in a row
/// with a 10 km run among them, and pain after the last three runs.
fn risky_runner(env: &common::Env) {
    for week in 0..4 {
        for day in [2, 4, 6] {
            run(
                env,
                12 + week * 7 + day,
                "6",
                &["--no-warmup", "--no-stretch", "--surface", "concrete"],
            );
        }
    }
    for days_ago in 1..=10 {
        let km = if days_ago == 3 { "10" } else { "6" };
        run(
            env,
            days_ago,
            km,
            &["--no-warmup", "--stretch", "--surface", "concrete"],
        );
        if days_ago <= 3 {
            pain(env, "5", days_ago, &["--run", "last", "--when", "after"]);
        }
    }
}

#[test]
fn a_risky_runner_gets_each_matching_flag() {
    let env = common::Env::new();
    risky_runner(&env);
    let review = env.json(&["coach"]);
    let found = ids(&review["flags"]);
    for id in [
        "warmup-skipped",
        "hard-surface",
        "load-spike",
        "no-rest",
        "pain-after-runs",
        "long-run-jump",
    ] {
        assert!(found.contains(&id.to_string()), "no {id} in {found:?}");
    }
    assert_eq!(flag(&review, "warmup-skipped")["severity"], "warn");
    assert_eq!(flag(&review, "no-rest")["severity"], "warn");
    assert_eq!(flag(&review, "no-rest")["evidence"]["days"], 10);
    assert_eq!(
        flag(&review, "hard-surface")["severity"],
        "info",
        "never more than info"
    );
    assert_eq!(flag(&review, "load-spike")["severity"], "info");
    assert_eq!(flag(&review, "pain-after-runs")["evidence"]["painful_runs"], 3);
    // Most severe first.
    let severities: Vec<&str> = review["flags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["severity"].as_str().unwrap())
        .collect();
    let rank = |s: &str| ["urgent", "warn", "info"].iter().position(|x| *x == s).unwrap();
    assert!(
        severities.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{severities:?}"
    );
    for f in review["flags"].as_array().unwrap() {
        let keys: Vec<&String> = f.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["advice", "evidence", "id", "message", "severity"], "FLAG shape");
        assert!(!f["advice"].as_array().unwrap().is_empty(), "{f}");
    }
    assert!(
        flag(&review, "warmup-skipped")["message"]
            .as_str()
            .unwrap()
            .contains("not proof")
    );
    // 5/10 after each of the last three runs: hold, with home care after.
    assert_eq!(review["next"]["light"], "hold");
    assert!(review["next"]["after"].as_array().unwrap().contains(&"relief".into()));
    let text = env.ok(&["coach", "--full"]);
    let warmup_advice = format!("→ {}", lumbar::content::advice_by_id("warmup-dynamic").unwrap().title);
    for needle in [
        "WARN no-rest",
        "INFO hard-surface",
        "evidence:",
        &warmup_advice,
        "HOLD: an easy run of up to 6.0 km",
    ] {
        assert!(text.contains(needle), "no {needle:?} in\n{text}");
    }
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "wider than 80 columns: {line}");
    }
}

#[test]
fn since_limits_the_history_reviewed() {
    let env = common::Env::new();
    risky_runner(&env);
    let since = date(2);
    let review = env.json(&["coach", "--since", &since]);
    let found = ids(&review["flags"]);
    assert!(!found.contains(&"no-rest".to_string()), "{found:?}");
    assert!(!found.contains(&"load-spike".to_string()), "{found:?}");
    assert!(found.contains(&"pain-after-runs".to_string()), "{found:?}");
    let later = date(0);
    env.fails(&["coach", "--since", "not-a-date"], 2);
    let text = env.ok(&["coach", "--since", &format!("{later}T23:59")]);
    assert!(text.contains("Nothing logged since"), "{text}");
}

#[test]
fn a_red_flag_comes_first_and_is_printed_by_pain_add() {
    let env = common::Env::new();
    risky_runner(&env);
    let added = pain(&env, "6", 1, &["--symptom", "leg-weakness", "--side", "left"]);
    let raised = ids(&added["flags"]);
    assert_eq!(raised.first().map(String::as_str), Some("red-flag"), "{raised:?}");
    let review = env.json(&["coach"]);
    let first = &review["flags"][0];
    assert_eq!(first["id"], "red-flag");
    assert_eq!(first["severity"], "urgent");
    assert_eq!(
        first["evidence"]["level"], "emergency",
        "leg weakness triages as an emergency"
    );
    assert_eq!(first["evidence"]["symptoms"], serde_json::json!(["leg-weakness"]));
    assert_eq!(first["advice"][0], "see-doctor");
    // One-sided pain adds the form advice to the pain flags; while resting, nothing that points
    // to the strength routine.
    let advice = flag(&review, "pain-after-runs")["advice"].as_array().unwrap().clone();
    assert!(advice.contains(&"form-cues".into()), "{advice:?}");
    assert!(!advice.contains(&"muscle-imbalance".into()), "{advice:?}");
    // An open emergency: only the triage's action, so no swimming or cycling instead of a run.
    assert!(!advice.contains(&"cross-train-low-impact".into()), "{advice:?}");
    assert!(advice.contains(&"listen-to-pain".into()), "{advice:?}");
    assert_eq!(review["next"]["light"], "rest");
    let text = env.ok(&["coach", "--full"]);
    let first_flag = text.lines().find(|l| l.starts_with("URGENT") || l.starts_with("WARN"));
    assert_eq!(first_flag, Some("URGENT red-flag"));
    let short = env.ok(&["coach"]);
    assert!(
        short
            .lines()
            .any(|l| l.starts_with("[urgent] red-flag: EMERGENCY: go to an emergency department")),
        "{short}"
    );
}

#[test]
fn run_add_and_pain_add_print_only_the_flags_they_raise() {
    let env = common::Env::new();
    run(&env, 6, "8", &["--warmup", "--stretch", "--surface", "trail"]);
    let first = run(&env, 2, "8", &["--no-warmup", "--stretch", "--surface", "trail"]);
    assert_eq!(ids(&first["flags"]), ["warmup-skipped"]);
    assert_eq!(first["flags"][0]["severity"], "info");
    // A warm-up unknown is not a skipped warm-up.
    let unknown = run(&env, 1, "8", &["--stretch", "--surface", "trail"]);
    assert_eq!(unknown["run"]["warmup"], Value::Null);
    assert!(ids(&unknown["flags"]).is_empty(), "{}", unknown["flags"]);
    let long = run(&env, 0, "12", &["--warmup", "--stretch", "--surface", "trail"]);
    assert_eq!(
        ids(&long["flags"]),
        ["long-run-jump"],
        "three runs before it: a baseline"
    );
    let text = env.ok(&["pain", "add", "8", "--date", &at(0, "09:00")]);
    assert!(text.contains("[warn] pain-severe"), "{text}");
    assert!(text.contains("lumbar redflags"), "{text}");
    assert!(!text.contains("long-run-jump"), "the review is not repeated: {text}");
    let mild = pain(&env, "2", 0, &[]);
    assert!(ids(&mild["flags"]).is_empty(), "{}", mild["flags"]);
}

#[test]
fn insights_compare_pain_with_and_without_a_factor_from_three_runs_a_side() {
    let env = common::Env::new();
    for i in 0..3 {
        run(&env, 20 - i * 3, "6", &["--warmup", "--stretch"]);
        pain(&env, "1", 20 - i * 3, &["--run", "last"]);
        run(&env, 19 - i * 3, "6", &["--no-warmup", "--stretch"]);
        pain(&env, "5", 19 - i * 3, &["--run", "last"]);
    }
    let review = env.json(&["coach"]);
    let insights = review["insights"].as_array().unwrap();
    assert_eq!(insights.len(), 1, "{insights:?}");
    let i = &insights[0];
    assert_eq!(i["factor"], "no-warmup");
    assert_eq!(i["with"]["runs"], 3);
    assert_eq!(i["with"]["mean_pain"], 5.0);
    assert_eq!(i["without"]["mean_pain"], 1.0);
    assert_eq!(i["difference"], 4.0);
    let text = env.ok(&["coach", "--full"]);
    assert!(text.contains("not causes"), "{text}");
    assert!(env.ok(&["coach"]).contains("the insights: `lumbar coach --full`"));
    // Two a side is too few.
    let env = common::Env::new();
    for i in 0..2 {
        run(&env, 20 - i * 3, "6", &["--warmup"]);
        pain(&env, "1", 20 - i * 3, &["--run", "last"]);
        run(&env, 19 - i * 3, "6", &["--no-warmup"]);
        pain(&env, "5", 19 - i * 3, &["--run", "last"]);
    }
    assert_eq!(env.json(&["coach"])["insights"], serde_json::json!([]));
}

#[test]
fn with_no_history_coach_says_how_to_start() {
    let env = common::Env::new();
    let text = env.ok(&["coach"]);
    assert!(text.contains("lumbar run add"), "{text}");
    let review = env.json(&["coach"]);
    assert_eq!(review["flags"], serde_json::json!([]));
    assert_eq!(review["insights"], serde_json::json!([]));
    assert_eq!(review["next"]["light"], "go");
    assert_eq!(review["next"]["max_distance_m"], Value::Null);
    assert_eq!(
        review["next"]["reason"],
        "no run logged yet: start with 20–30 minutes easy, walk breaks welcome"
    );
    assert!(env.store_bytes().is_empty(), "a review writes nothing");
}

#[test]
fn explain_lists_every_rule_with_its_threshold_and_source() {
    let env = common::Env::new();
    let text = env.ok(&["coach", "--explain"]);
    let json = env.json(&["coach", "--explain"]);
    let rules = json["rules"].as_array().unwrap();
    for id in [
        "warmup-skipped",
        "stretch-skipped",
        "shoe-worn",
        "shoe-rotation",
        "hard-surface",
        "long-run-jump",
        "load-spike",
        "monotony",
        "no-rest",
        "pain-after-runs",
        "pain-rising",
        "pain-severe",
        "red-flag",
    ] {
        let r = rules.iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("{id}"));
        for key in ["threshold", "reads", "source", "severity"] {
            assert!(!r[key].as_str().unwrap().is_empty(), "{id} {key}");
        }
        assert!(text.contains(id), "{id} not in the human --explain");
    }
    let spike = rules.iter().find(|r| r["id"] == "load-spike").unwrap();
    assert!(spike["source"].as_str().unwrap().contains("Contested"), "{spike}");
    assert!(spike["source"].as_str().unwrap().contains("10 % rule"));
    assert!(text.contains("not a diagnosis"));
}

#[test]
fn no_rest_days_is_configurable() {
    let env = common::Env::new();
    for d in 1..=8 {
        run(&env, d, "5", &["--warmup", "--stretch"]);
    }
    assert!(ids(&env.json(&["coach"])["flags"]).contains(&"no-rest".to_string()));
    env.ok(&["config", "set", "no-rest-days", "9"]);
    assert!(!ids(&env.json(&["coach"])["flags"]).contains(&"no-rest".to_string()));
    let before = env.store_bytes();
    env.fails(&["config", "set", "no-rest-days", "31"], 2);
    env.fails(&["config", "set", "no-rest-days", "1"], 2);
    assert_eq!(env.store_bytes(), before);
    assert_eq!(
        env.json(&["config", "get", "no-rest-days"])["config"]["no_rest_days"],
        9
    );
}

/// Issue 12 item 4: every number in a flag is in the units of this call (`--units`, else the
/// config), in the text and in the `--json` message; the evidence stays in metres.
#[test]
fn flags_after_an_entry_are_in_the_units_of_the_call() {
    let env = common::Env::new();
    run(&env, 9, "4k", &["--warmup"]);
    run(&env, 6, "4k", &["--warmup"]);
    run(&env, 3, "5k", &["--warmup"]);
    let text = env.ok(&["--units", "mi", "run", "add", "10k", "50:00", "--date", &at(2, "07:00")]);
    let flag = text
        .lines()
        .find(|l| l.contains("[warn] long-run-jump"))
        .unwrap_or_else(|| panic!("no long-run-jump in\n{text}"));
    assert!(flag.contains("(6.2 mi)") && flag.contains("(3.1 mi)"), "{flag}");
    assert!(!text.contains(" km"), "km in a --units mi call:\n{text}");
    let doc = env.json(&["--units", "mi", "run", "add", "15k", "75:00", "--date", &at(1, "07:00")]);
    let jump = &doc["flags"][0];
    assert_eq!(jump["id"], "long-run-jump");
    let message = jump["message"].as_str().unwrap();
    assert!(
        message.contains("(9.3 mi)") && message.contains("(6.2 mi)"),
        "{message}"
    );
    assert_eq!(jump["evidence"]["distance_m"], 15_000.0, "evidence stays in metres");
    assert_eq!(jump["evidence"]["longest_before_m"], 10_000.0);
    // Without --units the config decides; --units overrides it for one call.
    env.ok(&["config", "set", "units", "mi"]);
    let doc = env.json(&["run", "add", "20k", "100:00", "--date", &at(0, "07:00")]);
    assert!(
        doc["flags"][0]["message"].as_str().unwrap().contains("(12.4 mi)"),
        "{}",
        doc["flags"]
    );
    // The review names the biggest jump of the week: 5 km to 10 km.
    let text = env.ok(&["--units", "km", "coach", "--full"]);
    assert!(
        text.contains("(10.0 km)") && text.contains("distance 10.0 km"),
        "{text}"
    );
    let text = env.ok(&["coach", "--full"]);
    assert!(text.contains("(6.2 mi)") && text.contains("distance 6.2 mi"), "{text}");
    assert!(!text.contains(" km"), "km in a mi review:\n{text}");
    // Each run from the 5 km on was more than 10 % over the one before: spikes all. Hold, no
    // longer than the longest non-spike run of 14 days (4 km).
    assert!(text.contains("HOLD: an easy run of up to 2.5 mi"), "{text}");
}

/// Rewrites the store with every `flags_shown` record moved `days` back, as if they had been
/// printed that long ago.
fn age_shown_flags(env: &common::Env, days: i64) {
    let mut store: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    for s in store["flags_shown"].as_array_mut().unwrap() {
        let at = chrono::DateTime::parse_from_rfc3339(s["at"].as_str().unwrap()).unwrap();
        s["at"] = (at - chrono::Duration::days(days)).to_rfc3339().into();
    }
    std::fs::write(env.store_path(), serde_json::to_vec_pretty(&store).unwrap()).unwrap();
}

fn shown(env: &common::Env) -> Vec<String> {
    let store: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    ids(&store["flags_shown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| serde_json::json!({"id": s["flag"]}))
        .collect())
}

/// Issue 12 item 3: a flag printed after an entry is not printed again after the next entries
/// for 7 days (it stays in `coach`); urgent flags are printed every time, even with `-q`.
#[test]
fn a_flag_shown_after_an_entry_is_not_repeated_for_a_week_but_an_urgent_one_is() {
    let env = common::Env::new();
    let first = run(&env, 2, "6", &["--warmup", "--stretch", "--surface", "concrete"]);
    assert_eq!(ids(&first["flags"]), ["hard-surface"]);
    let text = env.ok(&[
        "run",
        "add",
        "6",
        "60:00",
        "--date",
        &at(1, "07:00"),
        "--surface",
        "asphalt",
        "--warmup",
    ]);
    assert!(!text.contains("hard-surface"), "repeated the next day:\n{text}");
    assert_eq!(shown(&env), ["hard-surface"], "one record, the first time");
    assert!(
        ids(&env.json(&["coach"])["flags"]).contains(&"hard-surface".to_string()),
        "it stays in coach"
    );
    let red = pain(&env, "3", 0, &["--symptom", "fever"]);
    assert_eq!(ids(&red["flags"]), ["red-flag"]);
    let again = run(&env, 0, "6", &["--warmup", "--surface", "asphalt"]);
    assert_eq!(ids(&again["flags"]), ["red-flag"], "urgent: said after every entry");
    // -q: the id on stdout, the urgent flag still said, on stderr.
    let out = env
        .cmd()
        .args(["-q", "run", "add", "6", "60:00", "--surface", "concrete", "--warmup"])
        .output()
        .unwrap();
    let quiet = String::from_utf8_lossy(&out.stderr);
    assert!(quiet.contains("[urgent] red-flag"), "{quiet}");
    assert!(!quiet.contains("Logged run"), "{quiet}");
    assert!(String::from_utf8_lossy(&out.stdout).trim().parse::<u64>().is_ok());
    // A week on, the standing pattern is said once more.
    age_shown_flags(&env, 8);
    let later = run(&env, 0, "6", &["--warmup", "--surface", "asphalt"]);
    assert_eq!(ids(&later["flags"]), ["red-flag", "hard-surface"], "{}", later["flags"]);
    let mut kept = shown(&env);
    kept.sort();
    assert_eq!(
        kept,
        ["hard-surface", "red-flag"],
        "older records are pruned in the same write"
    );
}

/// FLAG keeps the contract shape; its evidence is the rule's struct: snake_case keys with unit
/// suffixes, times RFC 3339 with their offset, every optional field present as `null`.
#[test]
fn json_evidence_is_the_rules_facts_with_times_and_nulls() {
    let env = common::Env::new();
    run(&env, 9, "6", &["--warmup"]);
    run(&env, 6, "6", &["--warmup"]);
    let base = run(&env, 3, "8", &["--warmup"]);
    let added = run(&env, 1, "12", &["--no-warmup"]);
    let review = env.json(&["coach"]);
    let jump = flag(&review, "long-run-jump");
    let keys: Vec<&String> = jump["evidence"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "days",
            "distance_m",
            "increase",
            "longest_before_m",
            "more_than_double",
            "run_at",
            "run_id",
            "threshold"
        ]
    );
    assert_eq!(
        jump["evidence"]["run_at"], added["run"]["start"],
        "same instant, same text"
    );
    assert_eq!(jump["evidence"]["run_id"], added["run"]["id"]);
    assert_eq!(jump["evidence"]["increase"], 0.5);
    assert!(base["flags"].as_array().unwrap().is_empty());
    let warmup = flag(&review, "warmup-skipped");
    assert_eq!(warmup["severity"], "info");
    for key in ["skipped", "known_runs", "share", "threshold"] {
        assert_eq!(warmup["evidence"][key], Value::Null, "{key}: {}", warmup["evidence"]);
    }
    assert_eq!(warmup["evidence"]["run_ids"], serde_json::json!([added["run"]["id"]]));
    assert_eq!(warmup["evidence"]["distance_m"], 12_000.0);
}
