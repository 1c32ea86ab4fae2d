//! `lumbar import` end to end: the real binary on real and hand-made files, in temp folders.

mod common;

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel)
}

/// Runs `lumbar --json import ARGS`, returns (exit code, parsed stdout, stderr).
fn import_json(env: &common::Env, args: &[&str]) -> (i32, Value, String) {
    let out = env
        .cmd()
        .arg("--json")
        .arg("import")
        .args(args)
        .output()
        .expect("run lumbar");
    let stdout = String::from_utf8(out.stdout).expect("utf-8");
    let json: Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("stdout is not one JSON document: {e}\n{stdout}"));
    (
        out.status.code().unwrap_or(-1),
        json,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn count(v: &Value, key: &str) -> usize {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("no {key} array in {v}"))
        .len()
}

fn copy(rel: &str, dir: &Path) -> PathBuf {
    let to = dir.join(Path::new(rel).file_name().unwrap());
    fs::copy(fixture(rel), &to).unwrap();
    to
}

fn gzip(from: &Path, to: &Path) {
    let mut enc = flate2::write::GzEncoder::new(fs::File::create(to).unwrap(), flate2::Compression::fast());
    enc.write_all(&fs::read(from).unwrap()).unwrap();
    enc.finish().unwrap();
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn the_fixture_folder_imports_once_and_reports_every_file() {
    let env = common::Env::new();
    let dir = fixture("");
    let (code, v, stderr) = import_json(&env, &[p(&dir)]);
    // Four damaged FIT files: the rest is saved, and the exit code says something failed.
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(count(&v, "failed"), 4, "{v}");
    assert!(stderr.contains("failed"), "{stderr}");
    // The runs among them: every other file is listed as skipped, with its kind.
    let imported = count(&v, "imported");
    assert_eq!(imported, 6, "{v}");
    for s in v["skipped"].as_array().unwrap() {
        assert!(
            ["not-a-run", "too-short", "not-an-activity", "incomplete"].contains(&s["kind"].as_str().unwrap()),
            "{s}"
        );
    }
    for r in v["imported"].as_array().unwrap() {
        assert!(r["source"].as_str().unwrap().contains("tests/fixtures"), "{r}");
        assert!(r["start"].as_str().unwrap().ends_with("+00:00") || r["start"].as_str().unwrap().ends_with("+01:00"));
    }
    let listed = env.json(&["run", "list"]);
    assert_eq!(count(&listed, "runs"), imported);
    // The same folder again adds nothing and leaves the store as it was.
    let before = env.store_bytes();
    let (_, again, _) = import_json(&env, &[p(&dir)]);
    assert_eq!(count(&again, "imported"), 0, "{again}");
    let dups = again["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["kind"] == "already-logged" && s["reason"].as_str().unwrap().starts_with("already logged"))
        .count();
    assert_eq!(dups, imported);
    assert_eq!(env.store_bytes(), before);
}

#[test]
fn the_json_shapes_follow_the_contract() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    copy("fit/activity-small-fenix2-run.fit", tmp.path());
    copy("fit/Settings.fit", tmp.path());
    copy("fit/nick.fit", tmp.path());
    let (code, v, _) = import_json(&env, &[p(tmp.path())]);
    assert_eq!(code, 2);
    let run = &v["imported"][0];
    assert_eq!(run["start"], "2015-08-15T14:45:08+00:00");
    assert_eq!(run["distance_m"], 9008.2);
    assert_eq!(run["duration_s"], 2832);
    assert_eq!(run["moving_s"], 2832);
    assert_eq!(run["avg_cadence"], 162.0);
    assert!(run["id"].as_u64().unwrap() > 0);
    let skipped = &v["skipped"][0];
    assert!(skipped["path"].as_str().unwrap().ends_with("Settings.fit"));
    assert!(skipped["reason"].as_str().unwrap().contains("settings"));
    assert_eq!(skipped["kind"], "not-an-activity");
    assert_eq!(skipped["sport"], Value::Null);
    assert_eq!(v["warnings"], serde_json::json!([]));
    let failed = &v["failed"][0];
    assert!(failed["path"].as_str().unwrap().ends_with("nick.fit"));
    assert!(failed["error"].as_str().unwrap().contains("checksum mismatch"));
}

#[test]
fn options_apply_to_every_run_and_dry_run_writes_nothing() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    copy("gpx/garmin-activity.gpx", tmp.path());
    copy("tcx/test.tcx", tmp.path());
    let (code, v, stderr) = import_json(&env, &["--dry-run", "--surface", "trail", "--warmup", p(tmp.path())]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&v, "imported"), 2);
    assert!(stderr.contains("Nothing was written"), "{stderr}");
    assert!(env.store_bytes().is_empty(), "a dry run wrote the store");
    let (code, v, _) = import_json(&env, &["--surface", "road", "--no-warmup", p(tmp.path())]);
    assert_eq!(code, 0);
    for r in v["imported"].as_array().unwrap() {
        assert_eq!(r["surface"], "asphalt");
        assert_eq!(r["warmup"], false);
        assert_eq!(r["stretch"], Value::Null);
        assert_eq!(r["shoe"], Value::Null);
    }
}

#[test]
fn a_shoe_that_does_not_exist_is_refused_before_reading() {
    let env = common::Env::new();
    let err = env.fails(&["import", "--shoe", "pegasus", p(&fixture("tcx/test.tcx"))], 2);
    assert!(err.contains("shoe 'pegasus'"), "{err}");
    assert!(env.store_bytes().is_empty());
}

#[test]
fn gzipped_files_are_read_by_their_bytes() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    // A gzip with a misleading name: content decides.
    gzip(&fixture("gpx/garmin-activity.gpx"), &tmp.path().join("activity.dat"));
    let (code, v, stderr) = import_json(&env, &[p(&tmp.path().join("activity.dat"))]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["imported"][0]["start"], "2017-07-29T14:46:35+00:00");
    let d = v["imported"][0]["distance_m"].as_f64().unwrap();
    assert!((d - 12817.5).abs() < 0.2, "{d}");
}

#[test]
fn edge_files() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(t.join("empty.gpx"), b"").unwrap();
    fs::write(
        t.join("no-points.gpx"),
        b"<?xml version=\"1.0\"?><gpx version=\"1.1\"></gpx>",
    )
    .unwrap();
    fs::write(
        t.join("no-times.gpx"),
        b"<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"14\"/><trkpt lat=\"45.01\" lon=\"14\"/></trkseg></trk></gpx>",
    )
    .unwrap();
    fs::write(
        t.join("one-point.gpx"),
        b"<gpx><trk><trkseg><trkpt lat=\"45\" lon=\"14\"><time>2024-01-01T00:00:00Z</time></trkpt></trkseg></trk></gpx>",
    )
    .unwrap();
    let whole = fs::read(fixture("gpx/garmin-activity.gpx")).unwrap();
    fs::write(t.join("truncated.gpx"), &whole[..whole.len() / 2]).unwrap();
    let fit = fs::read(fixture("fit/activity-small-fenix2-run.fit")).unwrap();
    fs::write(t.join("truncated.fit"), &fit[..fit.len() / 2]).unwrap();
    fs::write(t.join("notes.gpx"), b"these are my running notes, not GPS data").unwrap();
    fs::write(t.join("README.txt"), b"just a text file in the folder").unwrap();
    // Deeply nested XML: stopped at the depth limit, not read to the end.
    let mut deep = b"<?xml version=\"1.0\"?><gpx>".to_vec();
    deep.extend(std::iter::repeat_n(&b"<a>"[..], 200_000).flatten());
    fs::write(t.join("deep.gpx"), &deep).unwrap();
    let (code, v, stderr) = import_json(&env, &[p(t)]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(count(&v, "imported"), 0, "{v}");
    let reason_of = |key: &str, name: &str, field: &str| -> String {
        v[key]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} not in {key}: {v}"))[field]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(reason_of("failed", "empty.gpx", "error").contains("not GPX"));
    assert!(reason_of("failed", "truncated.gpx", "error").contains("truncated"));
    assert!(reason_of("failed", "truncated.fit", "error").contains("truncated"));
    assert!(reason_of("failed", "notes.gpx", "error").contains("not GPX"));
    assert!(reason_of("failed", "deep.gpx", "error").contains("nested more than 64"));
    assert_eq!(reason_of("skipped", "no-points.gpx", "reason"), "no track points");
    assert!(reason_of("skipped", "no-times.gpx", "reason").contains("no timestamps"));
    assert!(reason_of("skipped", "one-point.gpx", "reason").contains("single track point"));
    assert_eq!(reason_of("skipped", "README.txt", "reason"), "not an activity file");
    assert!(env.store_bytes().is_empty() || env.json(&["run", "list"])["runs"].as_array().unwrap().is_empty());
}

#[test]
fn a_missing_path_fails_and_the_good_files_are_still_saved() {
    let env = common::Env::new();
    let (code, v, stderr) = import_json(&env, &["/no/such/folder", p(&fixture("tcx/test.tcx"))]);
    assert_eq!(code, 2);
    assert_eq!(count(&v, "imported"), 1);
    assert!(v["failed"][0]["error"].as_str().unwrap().contains("no such file"));
    assert!(stderr.contains("saved"), "{stderr}");
    assert_eq!(count(&env.json(&["run", "list"]), "runs"), 1);
}

#[test]
fn human_output_is_a_table_on_stdout_and_a_summary_on_stderr() {
    let env = common::Env::new();
    let out = env
        .cmd()
        .args(["import", p(&fixture("tcx/test.tcx")), p(&fixture("fit/Settings.fit"))])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stdout.contains("2012-12-26") && stdout.contains("4.69"), "{stdout}");
    assert!(!stdout.contains("Imported"), "{stdout}");
    assert!(
        stderr.contains(
            "Imported 1 run (4.69 km) from 2 files; skipped 0 already logged, 0 not runs, 0 too short, 1 not an activity; 0 failed."
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped fit/Settings.fit: a FIT settings file")
            || stderr.contains("Settings.fit: a FIT settings file"),
        "{stderr}"
    );
    // Informational lines are "skipped …" or "warning: …", and the summary last.
    let lines: Vec<&str> = stderr.lines().collect();
    for l in &lines[..lines.len() - 1] {
        assert!(l.starts_with("skipped ") || l.starts_with("warning: "), "{l}");
    }
}

/// The 94-column layout of Strava's activities.csv (header row of a real export).
const STRAVA_HEADER: &str = "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Media";

/// One CSV row: `first` fills the first column of each name, `raw` the second (raw metric) one.
fn strava_row(first: &[(&str, &str)], raw: &[(&str, &str)]) -> String {
    let header: Vec<&str> = STRAVA_HEADER.split(',').collect();
    let mut seen: Vec<&str> = Vec::new();
    let cells: Vec<String> = header
        .iter()
        .map(|h| {
            let second = seen.contains(h);
            seen.push(h);
            let from = if second { raw } else { first };
            let v = from.iter().find(|(k, _)| k == h).map_or("", |(_, v)| *v);
            if v.contains(',') || v.contains('\n') {
                format!("\"{}\"", v.replace('"', "\"\""))
            } else {
                v.to_string()
            }
        })
        .collect();
    cells.join(",")
}

fn strava_export(dir: &Path) {
    fs::create_dir_all(dir.join("activities")).unwrap();
    gzip(
        &fixture("fit/activity-small-fenix2-run.fit"),
        &dir.join("activities/111.fit.gz"),
    );
    let rows = [
        // A run with its FIT file: the file's own numbers win over the CSV's.
        strava_row(
            &[
                ("Activity ID", "111"),
                ("Activity Date", "Aug 15, 2015, 2:45:08 PM"),
                ("Activity Name", "Afternoon Run, with a comma 🏃"),
                ("Activity Type", "Run"),
                ("Elapsed Time", "2832"),
                ("Distance", "9.01"),
                ("Activity Gear", "Pegasus"),
                ("Filename", "activities/111.fit.gz"),
            ],
            &[("Elapsed Time", "2832.0"), ("Distance", "9008.2")],
        ),
        // A manual entry: no file, the CSV's numbers (raw metres and seconds).
        strava_row(
            &[
                ("Activity ID", "222"),
                ("Activity Date", "Feb 3, 2024, 7:12:45 AM"),
                ("Activity Name", "Treadmill\nlate"),
                ("Activity Type", "Run"),
                ("Elapsed Time", "1800"),
                ("Distance", "5.00"),
                ("Moving Time", "1790"),
                ("Average Heart Rate", "151.5"),
                ("Average Cadence", "86"),
                ("Activity Gear", "Trail Shoe"),
            ],
            &[("Elapsed Time", "1800.0"), ("Distance", "5000.0")],
        ),
        strava_row(
            &[
                ("Activity ID", "333"),
                ("Activity Date", "Feb 4, 2024, 7:00:00 AM"),
                ("Activity Type", "Ride"),
                ("Elapsed Time", "3600"),
                ("Distance", "30.5"),
                ("Activity Gear", "Road bike"),
            ],
            &[("Elapsed Time", "3600.0"), ("Distance", "30500.0")],
        ),
        strava_row(
            &[
                ("Activity ID", "444"),
                ("Activity Date", "Feb 5, 2024, 6:30:00 PM"),
                ("Activity Type", "Swim"),
                ("Elapsed Time", "1500"),
                ("Distance", "1,073"),
            ],
            &[("Elapsed Time", "1500.0"), ("Distance", "1073.0")],
        ),
        // Its file is damaged: the CSV's numbers stand in.
        strava_row(
            &[
                ("Activity ID", "666"),
                ("Activity Date", "Feb 7, 2024, 6:00:00 AM"),
                ("Activity Type", "Run"),
                ("Elapsed Time", "1200"),
                ("Distance", "4.00"),
                ("Filename", "activities/666.gpx.gz"),
            ],
            &[("Elapsed Time", "1200.0"), ("Distance", "4000.0")],
        ),
        strava_row(
            &[
                ("Activity ID", "555"),
                ("Activity Date", "Feb 6, 2024, 6:00:00 AM"),
                ("Activity Type", "Trail Run"),
                ("Elapsed Time", "3000"),
                ("Distance", "8.20"),
            ],
            &[("Elapsed Time", "3000.0"), ("Distance", "8200.0")],
        ),
    ];
    fs::write(
        dir.join("activities.csv"),
        format!("{STRAVA_HEADER}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    fs::write(
        dir.join("shoes.csv"),
        "Shoe Name,Shoe Brand,Shoe Model,Shoe Default Sport Types\nPegasus,Nike,Pegasus 40,Run\nTrail Shoe,Salomon,Speedcross 6,\n,Hoka,Clifton 9,\n",
    )
    .unwrap();
    fs::write(
        dir.join("bikes.csv"),
        "Bike Name,Bike Brand,Bike Model,Bike Default Sport Types\n",
    )
    .unwrap();
}

#[test]
fn a_strava_export_folder() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export_12345");
    strava_export(&export);
    let (code, v, stderr) = import_json(&env, &[p(tmp.path())]);
    assert_eq!(code, 0, "{stderr}");
    let runs = v["imported"].as_array().unwrap();
    assert_eq!(runs.len(), 4, "{v}");
    // Sorted by start: the FIT run, the manual run, the trail run, the run with a damaged file.
    assert_eq!(runs[0]["start"], "2015-08-15T14:45:08+00:00");
    assert_eq!(runs[0]["distance_m"], 9008.2);
    assert_eq!(runs[0]["shoe"], "Pegasus");
    assert!(runs[0]["source"].as_str().unwrap().ends_with("activities/111.fit.gz"));
    assert_eq!(runs[1]["start"], "2024-02-03T07:12:45+00:00");
    assert_eq!(runs[1]["distance_m"], 5000.0);
    assert_eq!(runs[1]["duration_s"], 1800);
    assert_eq!(runs[1]["moving_s"], 1790);
    assert_eq!(runs[1]["avg_hr"], 151.5);
    assert_eq!(runs[1]["avg_cadence"], 172.0);
    assert_eq!(runs[1]["shoe"], "Trail Shoe");
    assert!(
        runs[1]["source"]
            .as_str()
            .unwrap()
            .contains("activities.csv (activity 222)")
    );
    assert_eq!(runs[2]["distance_m"], 8200.0);
    assert_eq!(runs[2]["shoe"], Value::Null);
    assert_eq!(runs[3]["distance_m"], 4000.0);
    assert!(
        runs[3]["source"]
            .as_str()
            .unwrap()
            .contains("activities.csv (activity 666)")
    );
    let skipped: Vec<&str> = v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["reason"].as_str().unwrap())
        .collect();
    assert!(
        skipped.contains(&"not a run: Ride (Strava Activity Type)")
            && skipped.contains(&"not a run: Swim (Strava Activity Type)"),
        "{skipped:?}"
    );
    let sports: Vec<&Value> = v["skipped"].as_array().unwrap().iter().map(|s| &s["sport"]).collect();
    assert_eq!(sports, [&Value::from("Ride"), &Value::from("Swim")]);
    // The linked file is not imported a second time, and no other CSV is read as activities.
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(
        stderr.contains("Added 3 shoes from the Strava gear: Pegasus, Trail Shoe, Hoka Clifton 9."),
        "{stderr}"
    );
    // Shoes from shoes.csv are in the store (three of them), each once even after a second import.
    let (_, again, _) = import_json(&env, &[p(&export)]);
    assert_eq!(count(&again, "imported"), 0);
    let store: Value = serde_json::from_slice(&env.store_bytes()).unwrap();
    let names: Vec<&str> = store["shoes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Pegasus", "Trail Shoe", "Hoka Clifton 9"]);
}

#[test]
fn activities_csv_given_alone_uses_the_files_beside_it() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    strava_export(tmp.path());
    let (code, v, _) = import_json(&env, &["--shoe", "none", p(&tmp.path().join("activities.csv"))]);
    assert_eq!(code, 0);
    assert_eq!(count(&v, "imported"), 4);
    assert_eq!(v["imported"][0]["start"], "2015-08-15T14:45:08+00:00");
    // --shoe none: no run gets a shoe, even with Strava gear.
    assert!(v["imported"].as_array().unwrap().iter().all(|r| r["shoe_id"].is_null()));
}

#[test]
fn a_strava_csv_cannot_point_outside_its_folder() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export");
    fs::create_dir_all(&export).unwrap();
    fs::copy(fixture("gpx/garmin-activity.gpx"), tmp.path().join("outside.gpx")).unwrap();
    let absolute = fixture("gpx/garmin-activity.gpx");
    let rows = [
        ("777", "../outside.gpx", "Feb 7, 2024, 6:00:00 AM"),
        ("778", absolute.to_str().unwrap(), "Feb 8, 2024, 6:00:00 AM"),
    ]
    .map(|(id, file, date)| {
        strava_row(
            &[
                ("Activity ID", id),
                ("Activity Date", date),
                ("Activity Type", "Run"),
                ("Elapsed Time", "1200"),
                ("Distance", "4.00"),
                ("Filename", file),
            ],
            &[("Elapsed Time", "1200.0"), ("Distance", "4000.0")],
        )
    });
    fs::write(
        export.join("activities.csv"),
        format!("{STRAVA_HEADER}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let (code, v, stderr) = import_json(&env, &[p(&export.join("activities.csv"))]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["imported"].as_array().unwrap().len(), 2, "{v}");
    for run in v["imported"].as_array().unwrap() {
        // The CSV's own numbers, not the GPX named by the row.
        assert_eq!(run["distance_m"], 4000.0, "{run}");
        assert!(
            run["source"].as_str().unwrap().contains("activities.csv (activity 77"),
            "{run}"
        );
    }
}
