//! `lumbar export` end to end: the JSON export restores a store by copying, CSV reads back with
//! the csv crate, and --output is atomic and never replaces a file without --force.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;

use common::Env;
use serde_json::Value;

/// A store with a few shapes of data: demo history plus a run whose notes need CSV quoting.
fn stocked() -> Env {
    let env = Env::new();
    env.ok(&["demo", "--weeks", "4", "--seed", "3"]);
    env.ok(&[
        "run",
        "add",
        "5k",
        "27:30",
        "--date",
        "2026-01-10 08:15",
        "--surface",
        "track",
        "--no-warmup",
        "--notes",
        "windy, \"tempo\" laps\nsecond line",
    ]);
    env.ok(&[
        "pain",
        "add",
        "4",
        "--date",
        "2026-01-10 12:00",
        "--symptom",
        "ache",
        "--symptom",
        "stiffness",
        "--notes",
        "left side; eased by evening",
    ]);
    env
}

fn csv_rows(text: &str) -> (csv::StringRecord, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().expect("a header row").clone();
    let rows = r.records().collect::<Result<Vec<_>, _>>().expect("valid CSV");
    (header, rows)
}

fn col(header: &csv::StringRecord, name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

#[test]
fn json_export_is_the_store_and_restores_by_copying() {
    let env = stocked();
    let exported = env.ok(&["export"]);
    assert_eq!(
        exported.as_bytes(),
        env.store_bytes().as_slice(),
        "the export is the store document"
    );

    let fresh = Env::new();
    fs::create_dir_all(fresh.data_dir()).unwrap();
    fs::write(fresh.store_path(), &exported).unwrap();
    for args in [
        &["run", "list"][..],
        &["pain", "list"],
        &["config", "list"],
        &["stats", "--weeks", "60"],
    ] {
        assert_eq!(fresh.json(args), env.json(args), "{args:?} differs after restoring");
    }
    assert_eq!(fresh.ok(&["run", "list"]), env.ok(&["run", "list"]));
}

#[test]
fn json_export_to_a_file_restores_too() {
    let env = stocked();
    let file = env.dir.path().join("backup.json");
    let msg = env.ok(&["export", "--output", file.to_str().unwrap()]);
    assert!(msg.contains("backup.json"), "{msg}");
    let fresh = Env::new();
    fs::create_dir_all(fresh.data_dir()).unwrap();
    fs::copy(&file, fresh.store_path()).unwrap();
    assert_eq!(fresh.json(&["run", "list"]), env.json(&["run", "list"]));
    assert_eq!(fresh.json(&["pain", "list"]), env.json(&["pain", "list"]));
    let mode = fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "an export is health data");
}

#[test]
fn runs_csv_reads_back_with_the_csv_crate() {
    let env = stocked();
    let (header, rows) = csv_rows(&env.ok(&["export", "--format", "csv"]));
    let expected = [
        "id",
        "start",
        "distance_m",
        "duration_s",
        "moving_s",
        "pace_s_per_km",
        "surface",
        "warmup",
        "stretch",
        "shoe_id",
        "shoe",
        "rpe",
        "notes",
        "source",
        "distance_km",
        "time",
        "pace_per_km",
    ];
    assert_eq!(header.iter().collect::<Vec<_>>(), expected);
    let runs = env.json(&["run", "list"]);
    let runs = runs["runs"].as_array().unwrap();
    assert_eq!(rows.len(), runs.len());
    for row in &rows {
        let id: u64 = row[col(&header, "id")].parse().unwrap();
        let run = runs.iter().find(|r| r["id"] == id).expect("every CSV row is a run");
        assert_eq!(row[col(&header, "start")], *run["start"].as_str().unwrap());
        let m: f64 = row[col(&header, "distance_m")].parse().unwrap();
        assert_eq!(Value::from(m), run["distance_m"]);
        let s: u64 = row[col(&header, "duration_s")].parse().unwrap();
        assert_eq!(Value::from(s), run["duration_s"]);
        let km: f64 = row[col(&header, "distance_km")].parse().unwrap();
        assert!((km - m / 1000.0).abs() < 0.006, "{km} vs {m}");
        let warmup = &row[col(&header, "warmup")];
        match run["warmup"].as_bool() {
            Some(b) => assert_eq!(warmup, b.to_string()),
            None => assert_eq!(warmup, "", "unknown is an empty cell"),
        }
    }
    let ours = rows
        .iter()
        .find(|r| r[col(&header, "start")].starts_with("2026-01-10T08:15"))
        .expect("the added run");
    assert_eq!(&ours[col(&header, "notes")], "windy, \"tempo\" laps\nsecond line");
    assert_eq!(&ours[col(&header, "surface")], "track");
    assert_eq!(&ours[col(&header, "warmup")], "false");
    assert_eq!(&ours[col(&header, "time")], "27:30");
    assert_eq!(&ours[col(&header, "pace_per_km")], "5:30");
    assert_eq!(&ours[col(&header, "pace_s_per_km")], "330");
}

#[test]
fn csv_display_columns_follow_the_units() {
    let env = Env::new();
    env.ok(&["run", "add", "10k", "50:00", "--date", "2026-01-10"]);
    let (header, rows) = csv_rows(&env.ok(&["export", "--format", "csv", "--units", "mi"]));
    assert_eq!(&rows[0][col(&header, "distance_mi")], "6.21");
    assert_eq!(&rows[0][col(&header, "pace_per_mi")], "8:03");
    assert_eq!(
        &rows[0][col(&header, "distance_m")],
        "10000",
        "metres whatever the units"
    );
}

#[test]
fn pain_csv_reads_back() {
    let env = stocked();
    let (header, rows) = csv_rows(&env.ok(&["export", "--format", "csv", "--what", "pain"]));
    for name in [
        "id", "at", "level", "area", "side", "when", "run_id", "symptoms", "notes",
    ] {
        col(&header, name);
    }
    let pain = env.json(&["pain", "list"]);
    assert_eq!(rows.len(), pain["pain"].as_array().unwrap().len());
    let ours = rows
        .iter()
        .find(|r| r[col(&header, "at")].starts_with("2026-01-10T12:00"))
        .expect("the added entry");
    assert_eq!(&ours[col(&header, "level")], "4");
    assert_eq!(&ours[col(&header, "symptoms")], "ache;stiffness");
    assert_eq!(&ours[col(&header, "notes")], "left side; eased by evening");
    assert_eq!(&ours[col(&header, "area")], "lower-back");
}

#[test]
fn an_existing_file_is_kept_without_force() {
    let env = stocked();
    let file = env.dir.path().join("runs.csv");
    fs::write(&file, "precious\n").unwrap();
    let path = file.to_str().unwrap();
    let err = env.fails(&["export", "--format", "csv", "--output", path], 2);
    assert!(err.contains("already exists") && err.contains("--force"), "{err}");
    assert_eq!(fs::read_to_string(&file).unwrap(), "precious\n");
    env.ok(&["export", "--format", "csv", "--output", path, "--force"]);
    let (_, rows) = csv_rows(&fs::read_to_string(&file).unwrap());
    assert!(!rows.is_empty());
    let leftovers: Vec<_> = fs::read_dir(env.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left behind: {leftovers:?}");
}

#[test]
fn a_missing_folder_is_an_error_and_writes_nothing() {
    let env = stocked();
    let file = env.dir.path().join("no-such-folder").join("out.json");
    let err = env.fails(&["export", "--output", file.to_str().unwrap()], 1);
    assert!(err.contains("no-such-folder"), "{err}");
    assert!(!file.exists());
}

#[test]
fn json_flag_reports_the_file_and_refuses_csv_on_stdout() {
    let env = stocked();
    env.fails(&["--json", "export", "--format", "csv"], 2);
    let file = env.dir.path().join("pain.csv");
    let doc = env.json(&[
        "export",
        "--format",
        "csv",
        "--what",
        "pain",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(doc["format"], "csv");
    assert_eq!(doc["path"], file.to_str().unwrap());
    let (_, rows) = csv_rows(&fs::read_to_string(&file).unwrap());
    assert_eq!(doc["records"], rows.len());
    // JSON to stdout under --json is the store itself: still exactly one document.
    let store: Value = serde_json::from_str(&env.ok(&["--json", "export"])).unwrap();
    assert_eq!(store["format"], "lumbar");
}

#[test]
fn exporting_an_empty_store_creates_nothing() {
    let env = Env::new();
    let doc: Value = serde_json::from_str(&env.ok(&["export"])).unwrap();
    assert_eq!(doc["runs"].as_array().map(Vec::len), Some(0));
    let (_, rows) = csv_rows(&env.ok(&["export", "--format", "csv"]));
    assert!(rows.is_empty());
    assert!(!env.store_path().exists());
}
