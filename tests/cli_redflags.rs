//! End-to-end tests of `lumbar redflags` (the check, `--list`, `--seen`) and of the red-flag
//! check inside `lumbar pain add`.

mod common;

use std::process::{Command as StdCommand, Stdio};

use lumbar::content::NOT_A_DIAGNOSIS;
use lumbar::redflags::{Level, SYMPTOM_IDS};
use serde_json::Value;

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// Text with its line breaks and indents folded to single spaces, to find wrapped phrases.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

const TRIAGE_KEYS: [&str; 7] = [
    "advice",
    "emergency_care",
    "level",
    "message",
    "not_a_diagnosis",
    "reasons",
    "running",
];

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
    assert_eq!(keys(&t), TRIAGE_KEYS);
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
        assert_eq!(keys(r), ["level", "symptom", "why"]);
        assert!(r["why"].as_str().is_some_and(|w| w.contains("can come from")));
    }
    assert!(
        t["emergency_care"]
            .as_str()
            .is_some_and(|c| c.contains("911 in the US"))
    );
    assert!(strs(&t["advice"]).iter().any(|a| a.contains("911 in the US")));
    assert_eq!(t["not_a_diagnosis"], NOT_A_DIAGNOSIS);
    assert_eq!(t["running"], Level::Emergency.running());
    assert!(!env.store_path().exists(), "the check never writes the store");
}

/// Every `--json` triage, at every level and from both commands, carries the one
/// not-a-diagnosis text and the running advice; only an emergency names emergency care.
#[test]
fn every_json_triage_says_it_is_not_a_diagnosis() {
    for (symptom, level) in [
        ("chest-pain", Level::Emergency),
        ("night-pain", Level::Urgent),
        ("not-improving", Level::Soon),
    ] {
        // A store each: what was logged before counts with a new entry.
        let env = common::Env::new();
        env.ok(&["config", "set", "age", "40"]);
        for t in [
            env.json(&["redflags", "--symptom", symptom]),
            env.json(&["pain", "add", "4", "--symptom", symptom])["triage"].clone(),
        ] {
            assert_eq!(keys(&t), TRIAGE_KEYS, "{symptom}");
            assert_eq!(t["level"], level.as_str());
            assert_eq!(t["not_a_diagnosis"], NOT_A_DIAGNOSIS);
            assert_eq!(t["running"], level.running());
            assert_eq!(t["emergency_care"].is_string(), level == Level::Emergency, "{t}");
        }
    }
    let t = common::Env::new().json(&["redflags", "--none"]);
    assert_eq!(
        (t["level"].as_str(), t["not_a_diagnosis"].as_str()),
        (Some("self-care"), Some(NOT_A_DIAGNOSIS))
    );
    assert_eq!(t["emergency_care"], Value::Null);
}

/// The cases issue 13 found under-triaged, through the real binary.
#[test]
fn the_issue_13_cases() {
    let env = common::Env::new();
    let level = |args: &[&str]| {
        let mut full = vec!["redflags"];
        for a in args {
            if a.chars().all(|c| c.is_ascii_digit()) {
                full.extend(["--age", a]);
            } else {
                full.extend(["--symptom", a]);
            }
        }
        env.json(&full)
    };
    let t = level(&["cancer-history", "radiating", "62"]);
    assert_eq!(t["level"], "emergency");
    assert!(
        strs(&t["advice"]).iter().all(|a| !a.contains("not a warning sign")),
        "radiating is not dismissed: {t}"
    );
    for infection in ["fever", "infection-risk"] {
        assert_eq!(
            level(&[infection, "leg-numbness", "40"])["level"],
            "emergency",
            "{infection}"
        );
    }
    assert_eq!(
        level(&["steroids-osteoporosis", "severe-pain", "64"])["level"],
        "urgent"
    );
    assert_eq!(level(&["severe-pain", "70"])["level"], "urgent");
    assert_eq!(level(&["severe-pain", "69"])["level"], "soon");
    let t = level(&["cough-strain", "35"]);
    assert_eq!(t["level"], "urgent");
    assert!(
        strs(&t["advice"]).iter().any(|a| a.contains("not serious")),
        "most such pain is not serious: {t}"
    );
    let out = env.ok(&["redflags", "--symptom", "cough-strain", "--age", "35"]);
    assert!(
        flat(&out).contains("a call to your doctor today, not a trip to an emergency department"),
        "{out}"
    );
}

#[test]
fn age_comes_from_the_flag_then_the_config_and_unknown_is_careful() {
    let env = common::Env::new();
    let level = |args: &[&str]| {
        let mut full = vec!["redflags"];
        full.extend_from_slice(args);
        env.json(&full)["level"].as_str().unwrap_or_default().to_string()
    };
    assert_eq!(
        level(&["--symptom", "minor-fall"]),
        "urgent",
        "unknown age takes the more urgent answer"
    );
    assert_eq!(level(&["--symptom", "severe-pain"]), "urgent", "the age-70 rule too");
    let why = env.json(&["redflags", "--symptom", "minor-fall"])["reasons"][0]["why"].clone();
    assert!(why.as_str().is_some_and(|w| w.contains("age is not known")), "{why}");
    env.ok(&["config", "set", "age", "49"]);
    assert_eq!(level(&["--symptom", "minor-fall"]), "soon");
    assert_eq!(level(&["--symptom", "severe-pain"]), "soon");
    env.ok(&["config", "set", "age", "50"]);
    assert_eq!(level(&["--symptom", "minor-fall"]), "urgent");
    assert_eq!(
        level(&["--symptom", "minor-fall", "--age", "49"]),
        "soon",
        "--age wins over the config"
    );
    env.ok(&["config", "set", "age", "70"]);
    assert_eq!(level(&["--symptom", "severe-pain"]), "urgent");
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
    let running = out.find("Running: No running.").expect("what to do about running");
    let not_dx = out.find("lumbar is not a diagnosis").expect("the not-a-diagnosis line");
    let care = out
        .find("Call your local emergency number")
        .expect("how to reach emergency care");
    assert!(reason < running && running < not_dx && not_dx < care, "{out}");
    assert!(flat(&out).contains(NOT_A_DIAGNOSIS), "the one text, whole: {out}");
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
        flat(&out).contains("bladder or bowel"),
        "the reminder of what to watch for: {out}"
    );
    assert!(flat(&out).contains("Running: Run as `lumbar coach` advises"), "{out}");
    assert!(out.contains("lumbar is not a diagnosis"));
    assert!(!out.contains("999"));
    let t = env.json(&["redflags", "--none", "--age", "80"]);
    assert_eq!(t["level"], "self-care");
    assert_eq!(t["reasons"], Value::Array(vec![]));
}

#[test]
fn descriptors_are_accepted_but_are_not_flags() {
    let env = common::Env::new();
    let t = env.json(&["redflags", "--symptom", "ache", "--symptom", "radiating", "--age", "30"]);
    assert_eq!(t["level"], "self-care");
    // Typed loosely: any case, underscores.
    let t = env.json(&["redflags", "--symptom", "Saddle_Numbness", "--age", "30"]);
    assert_eq!(t["level"], "emergency");
}

#[test]
fn list_shows_every_id_with_its_question_in_the_order_asked() {
    let env = common::Env::new();
    let out = env.ok(&["redflags", "--list"]);
    for id in SYMPTOM_IDS {
        assert!(out.contains(id), "{id} missing");
    }
    assert!(out.contains("Have you ever had cancer, even many years ago?"), "{out}");
    assert!(
        flat(&out).contains("minor-fall, steroids-osteoporosis, severe-pain and first-episode depend on age"),
        "{out}"
    );
    let j = env.json(&["redflags", "--list"]);
    let list = j["symptoms"].as_array().expect("symptoms");
    // Piped, the table has no width limit: each flag is one line, its question whole.
    for s in list {
        let (id, q) = (s["id"].as_str().unwrap(), s["question"].as_str().unwrap());
        assert!(out.lines().any(|l| l.starts_with(id) && l.ends_with(q)), "{id}: {out}");
    }
    let ids: Vec<&str> = list.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, SYMPTOM_IDS);
    assert_eq!(ids[..2], ["chest-pain", "collapse"], "minutes matter: asked first");
    for s in list {
        assert_eq!(keys(s), ["id", "level", "may_point_to", "question", "source"]);
        assert!(s["question"].as_str().is_some_and(|q| q.ends_with('?')), "{s}");
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
    let err = env.fails(&["redflags", "--symptom", "cough"], 2);
    assert!(err.contains("did you mean 'cough-strain'?"), "{err}");
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
    env.fails(&["redflags", "--seen", "--symptom", "fever"], 2);
    env.fails(&["redflags", "--seen", "--none"], 2);
    env.fails(&["redflags", "--date", "yesterday"], 2);
    assert!(!env.store_path().exists());
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
    assert!(out.contains("Running: Easy runs only"), "{out}");
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
fn pain_add_reads_the_entry_with_the_red_flags_still_open() {
    let env = common::Env::new();
    env.ok(&["config", "set", "age", "62"]);
    env.ok(&["pain", "add", "3", "--symptom", "cancer-history", "--date", "yesterday"]);
    // Pain down a leg is no red flag alone, but with the cancer history it is an emergency.
    let out = env.ok(&["pain", "add", "5", "--symptom", "radiating"]);
    assert!(out.starts_with("EMERGENCY: "), "{out}");
    assert!(out.contains("cancer-history + radiating (emergency)"), "{out}");
    assert!(
        flat(&out).contains("together with red flags you logged before: cancer-history on"),
        "{out}"
    );
    let j = env.json(&["pain", "add", "4", "--symptom", "leg-numbness"]);
    assert_eq!(j["triage"]["level"], "emergency");
    // Once a clinician has seen them, a new fever is judged as itself (the cancer history still
    // counts with nerve signs, so a fever alone stays urgent).
    env.ok(&["redflags", "--seen"]);
    let j = env.json(&["pain", "add", "4", "--symptom", "fever"]);
    assert_eq!(j["triage"]["level"], "urgent");
    // A plain entry is not triaged at all.
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

/// `pain add 6 --symptom saddle-numbness` and its `--json` form: the emergency advice reaches
/// the runner even though the entry cannot be logged; exit 1 and the store as it was.
fn check_survives(env: &common::Env, error_says: &[&str]) {
    let before = env.store_bytes();
    let out = env
        .cmd()
        .args(["pain", "add", "6", "--symptom", "saddle-numbness"])
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(
        stdout.starts_with("EMERGENCY: go to an emergency department"),
        "{stdout}"
    );
    assert!(stdout.contains("Call your local emergency number"), "{stdout}");
    assert!(!stdout.contains("Logged pain"), "{stdout}");
    assert!(error_says.iter().any(|e| stderr.contains(e)), "{stderr}");
    let out = env
        .cmd()
        .args(["--json", "pain", "add", "6", "--symptom", "saddle-numbness"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let doc: Value = serde_json::from_slice(&out.stdout).expect("one JSON document on stdout");
    assert_eq!(doc["pain"], Value::Null);
    assert_eq!(doc["triage"]["level"], "emergency");
    assert_eq!(doc["triage"]["not_a_diagnosis"], NOT_A_DIAGNOSIS);
    assert_eq!(env.store_bytes(), before, "the store is as it was");
}

#[test]
fn pain_add_shows_the_check_when_the_store_cannot_be_read() {
    let env = common::Env::new();
    std::fs::create_dir_all(env.data_dir()).expect("data dir");
    std::fs::write(env.store_path(), b"{ not json").expect("write");
    check_survives(&env, &["cannot read the store"]);
}

#[test]
fn pain_add_shows_the_check_when_the_store_cannot_be_written() {
    // A file where the backups folder goes makes the save fail half-way (works as root too).
    let env = common::Env::new();
    env.ok(&["pain", "add", "2"]);
    env.ok(&["pain", "add", "3"]);
    let backups = env.data_dir().join("backups");
    std::fs::remove_dir_all(&backups).expect("backups exist");
    std::fs::write(&backups, b"x").expect("a file in its place");
    check_survives(&env, &["backup"]);
}

#[test]
fn pain_add_shows_the_check_in_a_read_only_folder() {
    let env = common::Env::new();
    std::fs::create_dir_all(env.data_dir()).expect("data dir");
    // Root ignores file modes, so a read-only filesystem is the honest way to test this.
    let Some(tmpfs) = Tmpfs::mount(&env.data_dir()) else {
        eprintln!("skipped: cannot mount a tmpfs here (needs root and mount rights)");
        return;
    };
    env.ok(&["config", "set", "age", "40"]);
    assert!(tmpfs.remount_read_only(), "remount read-only");
    check_survives(&env, &["read-only", "Read-only"]);
    // The age was still read: a minor fall at 40 is soon, not the careful urgent.
    let out = env
        .cmd()
        .args(["pain", "add", "4", "--symptom", "minor-fall"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("SOON: "));
}

/// A small tmpfs over a test's data folder, unmounted when dropped.
struct Tmpfs(std::path::PathBuf);

impl Tmpfs {
    fn mount(at: &std::path::Path) -> Option<Tmpfs> {
        let ok = StdCommand::new("mount")
            // A tmpfs is world-writable (1777) unless told otherwise, which lumbar refuses.
            .args(["-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs"])
            .arg(at)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(at.to_path_buf()))
    }

    fn remount_read_only(&self) -> bool {
        StdCommand::new("mount")
            .args(["-o", "remount,ro"])
            .arg(&self.0)
            .status()
            .is_ok_and(|s| s.success())
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = StdCommand::new("umount").arg(&self.0).status();
    }
}

/// The store file as JSON.
fn stored(env: &common::Env) -> Value {
    serde_json::from_slice(&env.store_bytes()).expect("the store is JSON")
}

#[test]
fn seen_records_the_mark_and_says_what_it_covers() {
    let env = common::Env::new();
    env.ok(&["pain", "add", "5", "--symptom", "fever", "--date", "2026-01-10 08:00"]);
    env.ok(&["pain", "add", "3", "--symptom", "ache", "--date", "2026-01-11 08:00"]);
    env.ok(&[
        "pain",
        "add",
        "6",
        "--symptom",
        "leg-numbness",
        "--date",
        "2026-01-20 08:00",
    ]);
    let out = env.ok(&["redflags", "--seen", "--date", "2026-01-15 09:30"]);
    assert!(
        out.starts_with("Recorded: a clinician has seen the red flags logged up to"),
        "{out}"
    );
    assert!(out.contains("2026-01-15 09:30"), "{out}");
    assert!(out.contains("pain 1 ·") && out.contains("fever"), "{out}");
    assert!(
        !out.contains("pain 2 ·") && !out.contains("pain 3 ·"),
        "only red flags up to then: {out}"
    );
    assert!(flat(&out).contains("information only"), "{out}");
    let seen = stored(&env)["red_flags_seen"].clone();
    assert_eq!(seen.as_array().map(Vec::len), Some(1));
    assert_eq!(keys(&seen[0]), ["at"]);
    let at = seen[0]["at"]
        .as_str()
        .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
    assert_eq!(
        at,
        chrono::DateTime::parse_from_rfc3339("2026-01-15T09:30:00+00:00").ok()
    );

    // The next mark covers what came after the last one.
    let j = env.json(&["redflags", "--seen"]);
    assert_eq!(keys(&j), ["covers", "previous_at", "seen"]);
    assert_eq!(j["previous_at"], "2026-01-15T09:30:00+00:00");
    let covers = j["covers"].as_array().expect("covers");
    assert_eq!(covers.len(), 1);
    assert_eq!(keys(&covers[0]), ["at", "id", "symptoms"]);
    assert_eq!(
        (covers[0]["id"].as_u64(), strs(&covers[0]["symptoms"])),
        (Some(3), vec!["leg-numbness"])
    );
    assert!(j["seen"]["at"].as_str().is_some_and(|a| a.len() >= 20), "{j}");
    assert_eq!(stored(&env)["red_flags_seen"].as_array().map(Vec::len), Some(2));
    // With nothing new, it still records, and says so.
    let out = env.ok(&["redflags", "--seen"]);
    assert!(
        out.contains("No red-flag symptom was logged since the last mark"),
        "{out}"
    );
}

#[test]
fn seen_refuses_a_future_time_and_a_broken_store() {
    let env = common::Env::new();
    env.ok(&["pain", "add", "5", "--symptom", "fever"]);
    let before = env.store_bytes();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::hours(3))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let err = env.fails(&["redflags", "--seen", "--date", &tomorrow], 2);
    assert!(err.contains("date") && err.contains("no later than now"), "{err}");
    assert_eq!(env.store_bytes(), before, "nothing stored");
    env.fails(&["redflags", "--seen", "--date", "someday"], 2);

    let broken = common::Env::new();
    std::fs::create_dir_all(broken.data_dir()).expect("data dir");
    std::fs::write(broken.store_path(), b"{ not json").expect("write");
    let err = broken.fails(&["redflags", "--seen"], 1);
    assert!(err.contains("cannot read the store"), "{err}");
    assert_eq!(broken.store_bytes(), b"{ not json");
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
    fn chest_pain_comes_first_and_it_stops_at_the_first_emergency_answer() {
        let env = super::common::Env::new();
        let (code, shown) = on_terminal(&env, "--age 40", "n\nn\nn\nmaybe\ny\nn\n");
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("[1/23] Do you have pain in your chest"), "{shown}");
        assert!(shown.contains("[2/23] Did sudden, severe pain"), "{shown}");
        assert!(shown.contains("If you are not sure, answer y."), "{shown}");
        assert!(
            shown.contains("[4/23]") && !shown.contains("[5/23]"),
            "nothing after the emergency answer: {shown}"
        );
        assert!(shown.contains("Stopping the questions here"), "{shown}");
        assert!(shown.contains("EMERGENCY: go to an emergency department"), "{shown}");
        assert!(shown.contains("saddle-numbness (emergency)"), "{shown}");
        assert!(!shown.contains("Save "), "no age question at an emergency: {shown}");
        assert!(!env.store_path().exists(), "nothing written");
    }

    #[test]
    fn all_no_is_self_care() {
        let env = super::common::Env::new();
        let answers = "n\n".repeat(super::SYMPTOM_IDS.len());
        let (code, shown) = on_terminal(&env, "--age 60", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("[24/24]"), "{shown}");
        // At 40 a first back pain cannot change the answer, so it is not asked.
        let (_, shown) = on_terminal(&env, "--age 40", &answers);
        assert!(shown.contains("[23/23]") && !shown.contains("first time"), "{shown}");
        assert!(shown.contains("SELF-CARE: "), "{shown}");
        assert!(!shown.contains("How old are you"), "{shown}");
    }

    #[test]
    fn a_cancer_history_asks_about_pain_down_a_leg() {
        let env = super::common::Env::new();
        let answers = format!("{}y\ny\n", "n\n".repeat(9));
        let (code, shown) = on_terminal(&env, "--age 62", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("[10/24] Have you ever had cancer"), "{shown}");
        assert!(shown.contains("[11/25] Does pain shoot or spread"), "{shown}");
        assert!(shown.contains("EMERGENCY: "), "{shown}");
        assert!(shown.contains("cancer-history + radiating (emergency)"), "{shown}");
    }

    #[test]
    fn the_age_is_asked_when_an_answer_needs_it_and_saved_on_request() {
        // Unknown age: yes to a minor fall (question 18), age 45, no to the rest, save: yes.
        let env = super::common::Env::new();
        let answers = format!("{}y\n45\n{}y\n", "n\n".repeat(17), "n\n".repeat(5));
        let (code, shown) = on_terminal(&env, "", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("How old are you?"), "{shown}");
        assert!(shown.contains("[23/23]") && !shown.contains("first time"), "{shown}");
        assert!(shown.contains("SOON: "), "a minor fall at 45: {shown}");
        assert!(shown.contains("Save 45 as your age"), "{shown}");
        assert!(shown.contains("Saved: age 45."), "{shown}");
        assert_eq!(env.ok(&["config", "get", "age"]).trim(), "45");
        // Declined: nothing written.
        let env = super::common::Env::new();
        let answers = format!("{}y\n45\n{}n\n", "n\n".repeat(17), "n\n".repeat(5));
        let (_, shown) = on_terminal(&env, "", &answers);
        assert!(shown.contains("Save 45 as your age"), "{shown}");
        assert!(!env.store_path().exists(), "nothing written");
        // Skipped: the careful answer, and nothing to save.
        let answers = format!("{}y\n\n{}", "n\n".repeat(17), "n\n".repeat(6));
        let (_, shown) = on_terminal(&env, "", &answers);
        assert!(
            shown.contains("URGENT: ") && shown.contains("age is not known"),
            "{shown}"
        );
        assert!(!shown.contains("Save "), "{shown}");
    }

    #[test]
    fn the_interactive_check_works_when_the_store_cannot_be_read() {
        let env = super::common::Env::new();
        std::fs::create_dir_all(env.data_dir()).expect("data dir");
        std::fs::write(env.store_path(), b"{ not json").expect("write");
        let answers = format!("{}y\n45\n{}", "n\n".repeat(17), "n\n".repeat(5));
        let (code, shown) = on_terminal(&env, "", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("checking without it"), "{shown}");
        assert!(
            shown.contains("How old are you?") && shown.contains("SOON: "),
            "{shown}"
        );
        assert!(
            shown.contains("Your age is not saved: the store cannot be read"),
            "{shown}"
        );
        assert_eq!(env.store_bytes(), b"{ not json", "left alone");
    }

    #[test]
    fn input_that_ends_early_says_so() {
        let env = super::common::Env::new();
        let (code, shown) = on_terminal(&env, "--age 40", "n\nn\n");
        assert_eq!(code, Some(1), "{shown}");
        assert!(shown.contains("the check stopped after 2 questions"), "{shown}");
        // A yes before the input ends is still reported, never dropped.
        let answers = format!("{}y\n", "n\n".repeat(9));
        let (code, shown) = on_terminal(&env, "--age 40", &answers);
        assert_eq!(code, Some(0), "{shown}");
        assert!(shown.contains("The questions stopped early"), "{shown}");
        assert!(
            shown.contains("URGENT: ") && shown.contains("cancer-history (urgent)"),
            "{shown}"
        );
    }
}
