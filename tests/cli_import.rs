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

// ---------------------------------------------------------------------------------------------
// Sports, fragments, the future, archives, stdin, links and a parser that panics (issues 14, 15, 17)

/// A GPX track: `points` points `step_s` seconds apart, `metres` apart northwards, from `start`.
fn track_gpx(inner: &str, start: &str, points: u32, step_s: i64, metres: f64) -> String {
    use std::fmt::Write as _;
    let t0 = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let mut doc = format!(r#"<?xml version="1.0"?><gpx version="1.1" creator="test"><trk>{inner}<trkseg>"#);
    for i in 0..points {
        let lat = 45.0 + metres * i as f64 / 111_132.95;
        let t = t0 + chrono::Duration::seconds(step_s * i as i64);
        write!(
            doc,
            r#"<trkpt lat="{lat:.7}" lon="14.0"><time>{}</time></trkpt>"#,
            t.format("%Y-%m-%dT%H:%M:%SZ")
        )
        .unwrap();
    }
    doc.push_str("</trkseg></trk></gpx>");
    doc
}

fn skipped_of<'a>(v: &'a Value, name: &str) -> &'a Value {
    v["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"].as_str().unwrap().contains(name))
        .unwrap_or_else(|| panic!("{name} not skipped: {v}"))
}

#[test]
fn each_sport_is_decided_once_and_named() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    // 10 km at 5:00 /km, and 50 km at 2:25 /km (a ride), with and without a type.
    let run = |inner: &str, start: &str| track_gpx(inner, start, 301, 10, 33.333);
    let ride = |inner: &str, start: &str| track_gpx(inner, start, 726, 10, 68.966);
    fs::write(t.join("strava-run.gpx"), run("<type>9</type>", "2024-05-01T06:00:00Z")).unwrap();
    fs::write(
        t.join("strava-ride.gpx"),
        ride("<type>1</type>", "2024-05-02T06:00:00Z"),
    )
    .unwrap();
    fs::write(
        t.join("virtual-ride.gpx"),
        ride("<type>17</type>", "2024-05-03T06:00:00Z"),
    )
    .unwrap();
    fs::write(t.join("hike.gpx"), run("<type>4</type>", "2024-05-04T06:00:00Z")).unwrap();
    fs::write(t.join("walk.gpx"), run("<type>walking</type>", "2024-05-05T06:00:00Z")).unwrap();
    fs::write(t.join("no-type-run.gpx"), run("", "2024-05-06T06:00:00Z")).unwrap();
    fs::write(t.join("no-type-ride.gpx"), ride("", "2024-05-07T06:00:00Z")).unwrap();
    fs::write(
        t.join("named-ride.gpx"),
        run("<name>Afternoon Ride</name>", "2024-05-08T06:00:00Z"),
    )
    .unwrap();
    let tcx = fs::read_to_string(fixture("tcx/test.tcx"))
        .unwrap()
        .replace("Sport=\"Running\"", "Sport=\"running\"");
    fs::write(t.join("lower-case.tcx"), tcx).unwrap();
    let (code, v, stderr) = import_json(&env, &[p(t)]);
    assert_eq!(code, 0, "{stderr}");
    let sources: Vec<&str> = v["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    for name in ["strava-run.gpx", "no-type-run.gpx", "lower-case.tcx"] {
        assert!(sources.iter().any(|s| s.ends_with(name)), "{name}: {sources:?}");
    }
    for (name, sport) in [
        ("strava-ride.gpx", "ride (Strava type 1)"),
        ("virtual-ride.gpx", "virtual ride (Strava type 17)"),
        ("hike.gpx", "hike (Strava type 4)"),
        ("walk.gpx", "walking"),
        ("named-ride.gpx", "Afternoon Ride"),
    ] {
        let s = skipped_of(&v, name);
        assert_eq!(
            (s["kind"].as_str(), s["sport"].as_str()),
            (Some("not-a-run"), Some(sport)),
            "{s}"
        );
        assert!(
            s["reason"]
                .as_str()
                .unwrap()
                .starts_with(&format!("not a run: {sport}")),
            "{s}"
        );
    }
    let by_pace = skipped_of(&v, "no-type-ride.gpx");
    assert_eq!(by_pace["sport"], Value::Null);
    assert!(
        by_pace["reason"]
            .as_str()
            .unwrap()
            .contains("too fast for a run: 2:25 /km"),
        "{by_pace}"
    );
    // The run that named no sport is imported with a warning saying how it was decided.
    assert_eq!(count(&v, "warnings"), 1, "{v}");
    assert!(
        stderr.contains("no-type-run.gpx: no sport recorded: taken as a run by its pace (5:00 /km)"),
        "{stderr}"
    );
    // Never "a sport 37 session" nor "a Other activity".
    assert!(!stderr.contains("sport 37") && !stderr.contains("a Other"), "{stderr}");
    // --sport any takes every activity; --sport run the one that names no sport, whatever its pace.
    let (_, any, _) = import_json(&env, &["--dry-run", "--sport", "any", p(t)]);
    assert_eq!(count(&any, "imported"), 6, "{any}");
    let env2 = common::Env::new();
    let (_, run_only, _) = import_json(&env2, &["--dry-run", "--sport", "run", p(&t.join("no-type-ride.gpx"))]);
    assert_eq!(count(&run_only, "imported"), 1, "{run_only}");
}

#[test]
fn the_summary_counts_each_kind_and_the_exit_code_says_only_what_could_not_be_read() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(
        t.join("run.gpx"),
        track_gpx("<type>running</type>", "2024-05-01T06:00:00Z", 301, 10, 33.333),
    )
    .unwrap();
    fs::write(
        t.join("ride.gpx"),
        track_gpx("<type>cycling</type>", "2024-05-02T06:00:00Z", 301, 10, 60.0),
    )
    .unwrap();
    fs::write(
        t.join("fragment.gpx"),
        track_gpx("<type>running</type>", "2024-05-03T06:00:00Z", 3, 5, 2.0),
    )
    .unwrap();
    fs::write(
        t.join("future.gpx"),
        track_gpx("<type>running</type>", "2099-05-01T06:00:00Z", 301, 10, 33.333),
    )
    .unwrap();
    fs::copy(fixture("fit/Settings.fit"), t.join("Settings.fit")).unwrap();
    // Everything read, some of it not runs: exit 0.
    let out = env.cmd().args(["import", p(t)]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "Imported 1 run (10.00 km) from 5 files; skipped 0 already logged, 1 not a run (1 cycling), 1 too short, 1 in the future, 1 not an activity; 0 failed."
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("skipped future.gpx") || stderr.contains("future.gpx: starts 2099-05-01 06:00"),
        "{stderr}"
    );
    let (_, v, _) = import_json(&env, &[p(t)]);
    assert_eq!(skipped_of(&v, "future.gpx")["kind"], "future");
    assert_eq!(skipped_of(&v, "fragment.gpx")["kind"], "too-short");
    assert_eq!(skipped_of(&v, "run.gpx")["kind"], "already-logged");
    // One file that cannot be read at all: exit 2, the rest still saved.
    fs::write(t.join("broken.gpx"), b"<gpx><trk><trkseg><trkpt lat=").unwrap();
    fs::write(
        t.join("run2.gpx"),
        track_gpx("", "2024-06-01T06:00:00Z", 301, 10, 33.333),
    )
    .unwrap();
    let (code, v, _) = import_json(&env, &[p(t)]);
    assert_eq!(code, 2);
    assert_eq!(count(&v, "failed"), 1);
    assert_eq!(count(&v, "imported"), 1);
    // --help says which is which.
    let help = env.ok(&["import", "--help"]);
    assert!(
        help.contains("Exit status: 0 when every file was read") && help.contains("2 when a file could not be read"),
        "{help}"
    );
}

#[test]
fn a_multi_track_gpx_on_three_days_is_three_runs() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let day = |d: u32| {
        let one = track_gpx(
            &format!("<name>Day {d}</name>"),
            &format!("2024-05-0{d}T06:00:00Z"),
            301,
            10,
            33.333,
        );
        let start = one.find("<trk>").unwrap();
        let end = one.rfind("</gpx>").unwrap();
        one[start..end].to_string()
    };
    let doc = format!(
        r#"<?xml version="1.0"?><gpx version="1.1">{}{}{}</gpx>"#,
        day(1),
        day(2),
        day(3)
    );
    fs::write(tmp.path().join("three-days.gpx"), doc).unwrap();
    let (code, v, stderr) = import_json(&env, &[p(&tmp.path().join("three-days.gpx"))]);
    assert_eq!(code, 0, "{stderr}");
    let runs = v["imported"].as_array().unwrap();
    assert_eq!(runs.len(), 3, "{v}");
    for (i, r) in runs.iter().enumerate() {
        assert_eq!(r["duration_s"], 3000);
        assert!((r["distance_m"].as_f64().unwrap() - 10_000.0).abs() < 5.0, "{r}");
        assert!(
            r["source"].as_str().unwrap().ends_with(&format!("(track {})", i + 1)),
            "{r}"
        );
    }
}

#[test]
fn strava_dates_in_other_languages_and_a_date_that_cannot_be_read() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let rows = [
        ("1", "3 févr. 2024, 07:12:45"),
        ("2", "04.02.2024, 07:12:45"),
        ("3", "2024年2月5日 7:12:45"),
        ("4", "le cinq février"),
    ]
    .map(|(id, date)| {
        strava_row(
            &[
                ("Activity ID", id),
                ("Activity Date", date),
                ("Activity Type", "Run"),
                ("Elapsed Time", "1800"),
                ("Distance", "5.00"),
            ],
            &[("Elapsed Time", "1800.0"), ("Distance", "5000.0")],
        )
    });
    fs::write(
        tmp.path().join("activities.csv"),
        format!("{STRAVA_HEADER}\n{}\n", rows.join("\n")),
    )
    .unwrap();
    let (code, v, _) = import_json(&env, &[p(&tmp.path().join("activities.csv"))]);
    assert_eq!(code, 0);
    let starts: Vec<&str> = v["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2024-02-03T07:12:45+00:00",
            "2024-02-04T07:12:45+00:00",
            "2024-02-05T07:12:45+00:00"
        ]
    );
    let bad = skipped_of(&v, "(activity 4)");
    assert!(bad["reason"].as_str().unwrap().contains("\"le cinq février\""), "{bad}");
}

#[test]
fn a_header_in_another_language_is_read_by_its_layout() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let row = strava_row(
        &[
            ("Activity ID", "9"),
            ("Activity Date", "3 févr. 2024, 07:12:45"),
            ("Activity Type", "Course à pied"),
            ("Elapsed Time", "1800"),
            ("Distance", "5,00"),
        ],
        &[("Elapsed Time", "1800.0"), ("Distance", "5000.0")],
    );
    // The same layout, every name in French (the repeated ones repeated).
    let french: Vec<String> = STRAVA_HEADER.split(',').map(|h| format!("{h} (fr)")).collect();
    fs::write(
        tmp.path().join("activités.csv"),
        format!("{}\n{row}\n", french.join(",")),
    )
    .unwrap();
    let (code, v, stderr) = import_json(&env, &[p(&tmp.path().join("activités.csv"))]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(v["imported"][0]["distance_m"], 5000.0, "{v}");
}

/// A zip archive at `path`: (name, bytes, deflated?) entries, written with the zip crate.
fn write_zip(path: &Path, entries: &[(&str, Vec<u8>, bool)]) {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    for (name, bytes, deflated) in entries {
        let method = if *deflated {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        zip.start_file(*name, SimpleFileOptions::default().compression_method(method))
            .unwrap();
        zip.write_all(bytes).unwrap();
    }
    zip.finish().unwrap();
}

fn zip_bytes(entries: &[(&str, Vec<u8>, bool)]) -> Vec<u8> {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("z.zip");
    write_zip(&path, entries);
    fs::read(path).unwrap()
}

/// Every file under `dir`, as zip entries named from `dir` (deflated).
fn entries_of(dir: &Path) -> Vec<(String, Vec<u8>, bool)> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let name = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            out.push((name, fs::read(e.path()).unwrap(), true));
        }
    }
    out
}

#[test]
fn a_strava_export_zip_works_as_its_folder_does() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("export_12345");
    strava_export(&folder);
    let entries = entries_of(&folder);
    let borrowed: Vec<(&str, Vec<u8>, bool)> = entries.iter().map(|(n, b, d)| (n.as_str(), b.clone(), *d)).collect();
    let zip = tmp.path().join("export_12345.zip");
    write_zip(&zip, &borrowed);
    let (a, b) = (common::Env::new(), common::Env::new());
    let (code_folder, from_folder, _) = import_json(&a, &[p(&folder)]);
    let (code_zip, from_zip, stderr) = import_json(&b, &[p(&zip)]);
    assert_eq!((code_folder, code_zip), (0, 0), "{stderr}");
    let strip = |v: &Value| -> Vec<Value> {
        v["imported"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let mut r = r.clone();
                r["source"] = Value::Null;
                r
            })
            .collect()
    };
    assert_eq!(strip(&from_zip), strip(&from_folder));
    assert_eq!(count(&from_zip, "imported"), 4);
    assert!(
        from_zip["imported"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("export_12345.zip/activities/111.fit.gz"),
        "{from_zip}"
    );
    assert!(stderr.contains("Added 3 shoes from the Strava gear"), "{stderr}");
    assert_eq!(count(&from_zip, "skipped"), 2);
}

#[test]
fn a_garmin_export_with_a_zip_inside_and_its_summary() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let run = fs::read(fixture("fit/activity-small-fenix2-run.fit")).unwrap();
    let ride = fs::read(fixture("fit/coros-pace-2-cycling-misaligned-fields.fit")).unwrap();
    let settings = fs::read(fixture("fit/Settings.fit")).unwrap();
    let tcx = fs::read(fixture("tcx/test.tcx")).unwrap();
    // Part 1 deflated inside the outer zip, part 2 stored: both ways of a zip in a zip.
    let part1 = zip_bytes(&[
        ("me@example.com_111.fit", run, true),
        ("me@example.com_112.fit", ride, true),
        ("me@example.com_113_SETTINGS.fit", settings, false),
    ]);
    let part2 = zip_bytes(&[("upload.tcx", tcx, true)]);
    // The summary: the FIT run (its file wins), a run whose file is missing, a ride without one.
    let summary = r#"[{"summarizedActivitiesExport": [
        {"activityId": 111, "activityType": "running", "beginTimestamp": 1439649908000, "duration": 2832000.0, "distance": 900822.0},
        {"activityId": 200, "activityType": "running", "beginTimestamp": 1500000000000, "duration": 1800000.0, "elapsedDuration": 1860000.0, "distance": 500000.0, "avgHr": 141.0},
        {"activityId": 201, "activityType": "road_biking", "beginTimestamp": 1500100000000, "duration": 3600000.0, "distance": 3000000.0}
    ]}]"#;
    let export = tmp.path().join("garmin.zip");
    write_zip(
        &export,
        &[
            ("DI_CONNECT/DI-Connect-User/user_profile.json", b"{}".to_vec(), true),
            (
                "DI_CONNECT/DI-Connect-Fitness/me@example.com_0_summarizedActivities.json",
                summary.as_bytes().to_vec(),
                true,
            ),
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part1.zip",
                part1,
                true,
            ),
            (
                "DI_CONNECT/DI-Connect-Uploaded-Files/UploadedFiles_0-_Part2.zip",
                part2,
                false,
            ),
        ],
    );
    let (code, v, stderr) = import_json(&env, &[p(&export)]);
    assert_eq!(code, 0, "{stderr}\n{v}");
    let sources: Vec<&str> = v["imported"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["source"].as_str().unwrap())
        .collect();
    assert_eq!(sources.len(), 3, "{sources:?}");
    assert!(
        sources[0].ends_with("UploadedFiles_0-_Part2.zip/upload.tcx"),
        "{sources:?}"
    );
    assert!(
        sources[1].ends_with("UploadedFiles_0-_Part1.zip/me@example.com_111.fit"),
        "{sources:?}"
    );
    assert!(
        sources[2].ends_with("summarizedActivities.json (activity 200)"),
        "{sources:?}"
    );
    assert_eq!(v["imported"][1]["distance_m"], 9008.2);
    assert_eq!(v["imported"][2]["duration_s"], 1860);
    assert_eq!(v["imported"][2]["distance_m"], 5000.0);
    assert_eq!(skipped_of(&v, "_SETTINGS.fit")["kind"], "not-an-activity");
    assert_eq!(skipped_of(&v, "_112.fit")["sport"], "cycling");
    assert_eq!(skipped_of(&v, "(activity 201)")["sport"], "road_biking");
    assert_eq!(skipped_of(&v, "user_profile.json")["kind"], "not-an-activity");
    // The same export again adds nothing.
    let (_, again, _) = import_json(&env, &[p(&export)]);
    assert_eq!(count(&again, "imported"), 0);
}

#[test]
fn a_zip_bomb_and_names_that_leave_the_archive_are_not_read() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let good = fs::read(fixture("tcx/test.tcx")).unwrap();
    let archive = tmp.path().join("hostile.zip");
    write_zip(
        &archive,
        &[
            // 24 MB of zeros packs to a few kilobytes: far over the ratio limit.
            ("bomb.gpx", vec![0u8; 24 << 20], true),
            ("../escape.gpx", good.clone(), true),
            ("/etc/absolute.gpx", good.clone(), true),
            ("ok/run.tcx", good, true),
        ],
    );
    let (code, v, stderr) = import_json(&env, &[p(&archive)]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(count(&v, "imported"), 1, "{v}");
    let error_of = |name: &str| -> String {
        v["failed"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(name))
            .unwrap_or_else(|| panic!("{name} did not fail: {v}"))["error"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(error_of("bomb.gpx").contains("zip bomb"), "{v}");
    assert!(error_of("../escape.gpx").contains("outside the archive"), "{v}");
    assert!(error_of("/etc/absolute.gpx").contains("outside the archive"), "{v}");
    // Nothing was written anywhere: lumbar never unpacks to disk.
    assert!(!tmp.path().join("escape.gpx").exists());
}

#[test]
fn zips_inside_zips_stop_at_two_levels() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let run = fs::read(fixture("tcx/test.tcx")).unwrap();
    let level3 = zip_bytes(&[("deep.tcx", run.clone(), true)]);
    let level2 = zip_bytes(&[("inner.tcx", run, true), ("level3.zip", level3, false)]);
    let outer = tmp.path().join("nested.zip");
    write_zip(&outer, &[("level2.zip", level2, false)]);
    let (code, v, stderr) = import_json(&env, &[p(&outer)]);
    assert_eq!(code, 2, "{stderr}");
    assert_eq!(count(&v, "imported"), 1);
    assert!(
        v["imported"][0]["source"]
            .as_str()
            .unwrap()
            .ends_with("nested.zip/level2.zip/inner.tcx")
    );
    assert!(
        v["failed"][0]["error"]
            .as_str()
            .unwrap()
            .contains("nested more than 2 deep"),
        "{v}"
    );
}

#[test]
fn one_file_from_stdin_gzip_and_zip_too() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let gz = tmp.path().join("run.gpx.gz");
    gzip(&fixture("gpx/garmin-activity.gpx"), &gz);
    let out = env
        .cmd()
        .args(["--json", "import", "-"])
        .write_stdin(fs::read(&gz).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["imported"][0]["start"], "2017-07-29T14:46:35+00:00");
    assert_eq!(v["imported"][0]["source"], "stdin");
    // /dev/stdin is a path like any other (Unix).
    if Path::new("/dev/stdin").exists() {
        let env = common::Env::new();
        let out = env
            .cmd()
            .args(["--json", "import", "/dev/stdin"])
            .write_stdin(fs::read(fixture("tcx/test.tcx")).unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(count(&v, "imported"), 1, "{v}");
    }
    // A zip redirected from a file is read in place; piped, it cannot be, and says so.
    let zip = tmp.path().join("runs.zip");
    write_zip(&zip, &[("a.tcx", fs::read(fixture("tcx/test.tcx")).unwrap(), true)]);
    let env = common::Env::new();
    // (assert_cmd pipes what it is given; std's Command hands the file itself to the child.)
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("lumbar"))
        .env("LUMBAR_DATA_DIR", env.data_dir())
        .env("NO_COLOR", "1")
        .env("TZ", "UTC")
        .args(["--json", "import", "-"])
        .stdin(std::process::Stdio::from(fs::File::open(&zip).unwrap()))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    if cfg!(unix) {
        assert_eq!(count(&v, "imported"), 1, "{v}");
    }
    let out = env
        .cmd()
        .args(["--json", "import", "-"])
        .write_stdin(fs::read(&zip).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["failed"][0]["error"].as_str().unwrap().contains("pipe"), "{v}");
}

#[cfg(unix)]
#[test]
fn links_that_leave_an_export_folder_are_not_read() {
    use std::os::unix::fs::symlink;
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let export = tmp.path().join("export");
    strava_export(&export);
    // The export's FIT file is replaced by a link to a file outside the export.
    let outside = tmp.path().join("outside.fit.gz");
    fs::rename(export.join("activities/111.fit.gz"), &outside).unwrap();
    symlink(&outside, export.join("activities/111.fit.gz")).unwrap();
    let (code, v, stderr) = import_json(&env, &[p(&export)]);
    assert_eq!(code, 2, "{stderr}");
    let failed = &v["failed"][0];
    assert!(
        failed["path"].as_str().unwrap().ends_with("activities/111.fit.gz"),
        "{v}"
    );
    assert!(failed["error"].as_str().unwrap().contains("outside the folder"), "{v}");
    // The row still comes in, from the CSV's own numbers, not from the file.
    let row = v["imported"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source"].as_str().unwrap().contains("(activity 111)"))
        .unwrap_or_else(|| panic!("{v}"));
    assert_eq!(row["distance_m"], 9008.2);
    assert_eq!(row["start"], "2015-08-15T14:45:08+00:00");
    // A folder walked: a link inside it to a file outside is refused; one to a file inside is read.
    let folder = tmp.path().join("watch");
    fs::create_dir(&folder).unwrap();
    fs::copy(fixture("tcx/test.tcx"), folder.join("real.tcx")).unwrap();
    symlink(folder.join("real.tcx"), folder.join("again.tcx")).unwrap();
    symlink(fixture("gpx/garmin-activity.gpx"), folder.join("elsewhere.gpx")).unwrap();
    let env = common::Env::new();
    let (code, v, _) = import_json(&env, &["--dry-run", p(&folder)]);
    assert_eq!(code, 2);
    assert_eq!(count(&v, "imported"), 1, "{v}");
    assert!(
        v["failed"][0]["path"].as_str().unwrap().ends_with("elsewhere.gpx"),
        "{v}"
    );
    assert_eq!(skipped_of(&v, "real.tcx")["kind"], "already-logged");
}

#[test]
fn a_parser_that_panics_fails_its_file_and_the_batch_goes_on() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    copy("tcx/test.tcx", tmp.path());
    fs::copy(fixture("gpx/garmin-activity.gpx"), tmp.path().join("boom.gpx")).unwrap();
    let out = env
        .cmd()
        .env("LUMBAR_TEST_PANIC_ON", "boom")
        .args(["--json", "import", p(tmp.path())])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(count(&v, "imported"), 1, "{v}");
    assert!(v["failed"][0]["path"].as_str().unwrap().ends_with("boom.gpx"));
    assert!(
        v["failed"][0]["error"].as_str().unwrap().contains("internal error"),
        "{v}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(count(&env.json(&["run", "list"]), "runs"), 1);
}

/// Per-file isolation catches panics only if the build people install unwinds.
#[test]
fn the_release_build_unwinds_so_isolation_works_there_too() {
    let manifest = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let release = manifest
        .split("[profile.release]")
        .nth(1)
        .expect("a [profile.release] section")
        .split("\n[")
        .next()
        .unwrap();
    let panic = release
        .lines()
        .find(|l| l.trim_start().starts_with("panic"))
        .map(|l| l.split('=').nth(1).unwrap().trim().trim_matches('"').to_string())
        .unwrap_or_else(|| "unwind".into());
    assert_eq!(
        panic, "unwind",
        "the release profile must unwind for import's per-file isolation"
    );
}

/// A GPX file big enough to be parsed in two halves gives what the one-pass parser gives.
#[test]
fn a_big_gpx_split_in_two_matches_one_pass() {
    use std::fmt::Write as _;
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("big.gpx");
    let mut doc = String::from(r#"<?xml version="1.0"?><gpx version="1.1"><trk><type>running</type><trkseg>"#);
    let mut i = 0u64;
    while (doc.len() as u64) < lumbar::import::gpx::SPLIT_MIN_BYTES + 4096 {
        if i == 20_000 {
            // A pause: a new segment part of the way.
            doc.push_str("</trkseg><trkseg>");
        }
        let lat = 45.0 + (i as f64 * 0.0003).sin() * 0.05;
        let lon = 14.0 + (i as f64 * 0.0003).cos() * 0.05;
        let (h, m, s) = (i / 3600, i / 60 % 60, i % 60);
        write!(
            doc,
            r#"<trkpt lat="{lat:.7}" lon="{lon:.7}"><ele>300.0</ele><time>2024-05-01T{:02}:{m:02}:{s:02}Z</time><extensions><hr>{}</hr></extensions></trkpt>"#,
            6 + h,
            120 + i % 40
        )
        .unwrap();
        doc.push('\n');
        i += 1;
    }
    doc.push_str("</trkseg></trk></gpx>\n");
    fs::write(&path, &doc).unwrap();
    let lumbar::import::Found::Activity(one_pass) = lumbar::import::gpx::parse(doc.as_bytes(), "x").unwrap().remove(0)
    else {
        panic!("not an activity")
    };
    let (code, v, stderr) = import_json(&env, &[p(&path)]);
    assert_eq!(code, 0, "{stderr}");
    let run = &v["imported"][0];
    assert_eq!(run["distance_m"], (one_pass.distance_m * 10.0).round() / 10.0);
    assert_eq!(run["duration_s"], one_pass.elapsed_s.round() as u64);
    assert_eq!(run["moving_s"], one_pass.moving_s.unwrap().round() as u64);
    assert_eq!(run["avg_hr"], (one_pass.avg_hr.unwrap() * 10.0).round() / 10.0);
}

/// A watch with its clock unset can date a run 1850: that file is skipped alone, and the rest of
/// the batch is saved (the store keeps dates from 1900 to 2200 and would refuse the whole write).
#[test]
fn a_file_dated_outside_the_years_the_store_keeps_is_skipped_alone() {
    let env = common::Env::new();
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    fs::write(
        t.join("old.gpx"),
        track_gpx("<type>running</type>", "1850-05-01T06:00:00Z", 301, 10, 33.333),
    )
    .unwrap();
    fs::write(
        t.join("good.gpx"),
        track_gpx("<type>running</type>", "2024-05-01T06:00:00Z", 301, 10, 33.333),
    )
    .unwrap();
    let (code, v, stderr) = import_json(&env, &[p(t)]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(count(&v, "imported"), 1, "{v}");
    let old = skipped_of(&v, "old.gpx");
    assert!(old["reason"].as_str().unwrap().contains("1850"), "{old}");
    assert_eq!(env.json(&["run", "list"])["runs"].as_array().unwrap().len(), 1);
}
