//! A batch import: read every file (in parallel), then fold the activities into the store in
//! one change. Reading touches no store; [`apply`] is pure, so a dry run applies it to a copy.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, FixedOffset};

use super::{Activity, Found, Job, strava};
use crate::model::units::{FASTEST_PACE_S_PER_KM, MAX_DISTANCE_M, MAX_DURATION_S};
use crate::model::{Data, Run, Shoe, Surface};

/// Two runs starting this close together are the same run.
pub const DUPLICATE_WINDOW_S: i64 = 60;

/// Everything read from the files of one batch.
#[derive(Debug, Default)]
pub struct Batch {
    pub activities: Vec<Activity>,
    /// (source, reason): files or rows with nothing to log.
    pub nothing: Vec<(String, String)>,
    /// (path, error): files that could not be read.
    pub failed: Vec<(String, String)>,
    /// Shoe names from Strava `shoes.csv` files.
    pub shoes: Vec<String>,
    pub files: usize,
}

/// What one job produced.
#[derive(Debug, Default)]
struct JobResult {
    found: Vec<Found>,
    /// Strava rows, some waiting for their linked file.
    rows: Vec<strava::Row>,
    failed: Option<(String, String)>,
    shoes: Vec<String>,
    files: usize,
}

fn run_job(job: &Job) -> JobResult {
    let mut r = JobResult {
        files: 1,
        ..JobResult::default()
    };
    let (name, csv) = match job {
        Job::File { path, explicit } => {
            let name = super::source_name(path);
            let opened = match super::open(path) {
                Ok(o) => o,
                Err(e) => {
                    r.failed = Some((name, e.to_string()));
                    return r;
                }
            };
            let is_csv = opened.format == Some(super::Format::StravaCsv);
            let result = match opened.format {
                Some(super::Format::StravaCsv) => Ok(Vec::new()),
                Some(_) => super::parse_opened(opened, path, &name),
                None if *explicit || super::named_like_activity(path) => Err(super::not_activity_data()),
                None => Ok(vec![Found::Nothing {
                    source: name.clone(),
                    reason: "not an activity file".into(),
                }]),
            };
            match result {
                Ok(found) if !is_csv => {
                    r.found = found;
                    return r;
                }
                Ok(_) => (name, path.clone()),
                Err(e) => {
                    r.failed = Some((name, e.to_string()));
                    return r;
                }
            }
        }
        Job::StravaFolder(dir) => {
            let csv = dir.join(strava::ACTIVITIES_CSV);
            (super::source_name(&csv), csv)
        }
    };
    let dir = csv.parent().unwrap_or(Path::new("."));
    match strava::shoe_names(dir).and_then(|s| {
        r.shoes = s;
        strava::read_rows(&csv)
    }) {
        Ok(rows) => r.rows = rows,
        Err(e) => r.failed = Some((name, e.to_string())),
    }
    r
}

fn job_name(job: &Job) -> String {
    match job {
        Job::File { path, .. } => super::source_name(path),
        Job::StravaFolder(dir) => super::source_name(&dir.join(strava::ACTIVITIES_CSV)),
    }
}

/// Progress reports from [`read_jobs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// This many more files were found (the files a Strava export links).
    More(u64),
    /// One more file was read.
    Done,
}

/// `work` on every item, on up to `threads` threads; the results come back in item order.
fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = work(item);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

/// Reads every job on up to `threads` threads, then every file a Strava export links.
pub fn read_jobs(jobs: &[Job], threads: usize, progress: &(dyn Fn(Progress) + Sync)) -> Batch {
    let results = par_map(jobs, threads, |job| {
        // A bug in a parser fails that file, not the batch.
        let r = std::panic::catch_unwind(|| run_job(job)).unwrap_or_else(|_| JobResult {
            failed: Some((
                job_name(job),
                "internal error while reading this file (please report it)".into(),
            )),
            ..JobResult::default()
        });
        progress(Progress::Done);
        r
    });
    let mut batch = Batch::default();
    let mut found = Vec::new();
    // Results are gathered in job order, so the outcome does not depend on thread timing.
    for r in results {
        batch.files += r.files;
        found.extend(r.found);
        if !r.rows.is_empty() {
            let linked = r
                .rows
                .iter()
                .filter(|row| matches!(row, strava::Row::Linked { .. }))
                .count();
            batch.files += linked;
            progress(Progress::More(linked as u64));
            found.extend(par_map(&r.rows, threads, |row| {
                let f = std::panic::catch_unwind(|| row.resolve()).unwrap_or_else(|_| Found::Nothing {
                    source: match row {
                        strava::Row::Linked { file, .. } => super::source_name(file),
                        strava::Row::Done(_) => strava::ACTIVITIES_CSV.into(),
                    },
                    reason: "internal error while reading this file (please report it)".into(),
                });
                if matches!(row, strava::Row::Linked { .. }) {
                    progress(Progress::Done);
                }
                f
            }));
        }
        if let Some(f) = r.failed {
            batch.failed.push(f);
        }
        for s in r.shoes {
            if !batch.shoes.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
                batch.shoes.push(s);
            }
        }
    }
    for f in found {
        match f {
            Found::Activity(a) => batch.activities.push(a),
            Found::Nothing { source, reason } => batch.nothing.push((source, reason)),
        }
    }
    batch
}

/// What the runner chose for every imported run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub surface: Option<Surface>,
    pub warmup: Option<bool>,
    /// `Some(id)` from `--shoe`; `None` lets a Strava run keep its own gear.
    pub shoe: Option<Option<u64>>,
}

/// What [`apply`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// Ids of the runs added, in start order.
    pub imported: Vec<u64>,
    /// (source, reason) for runs already logged.
    pub duplicates: Vec<(String, String)>,
    /// (source, reason) for activities that cannot be logged as runs.
    pub unfit: Vec<(String, String)>,
    /// Ids of the shoes created from Strava gear.
    pub new_shoes: Vec<u64>,
}

/// Why an activity cannot be stored as a run, by the same limits as `run add`.
pub fn unfit_reason(a: &Activity) -> Option<String> {
    let secs = a.elapsed_s.round();
    if a.distance_m.is_nan() || a.distance_m <= 0.0 {
        return Some("no distance recorded".into());
    }
    if a.distance_m > MAX_DISTANCE_M {
        return Some(format!(
            "{:.1} km is longer than the 500 km a run may be",
            a.distance_m / 1000.0
        ));
    }
    if secs.is_nan() || secs < 1.0 {
        return Some("no duration".into());
    }
    if secs > MAX_DURATION_S as f64 {
        return Some("longer than 48 hours".into());
    }
    if secs / (a.distance_m / 1000.0) < FASTEST_PACE_S_PER_KM {
        return Some("faster than 2:00 /km: not a run on foot (a ride, or a GPS error?)".into());
    }
    None
}

fn to_run(a: &Activity, opts: &Options, shoe_id: Option<u64>) -> Run {
    let duration_s = a.elapsed_s.round() as u64;
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    Run {
        id: 0,
        start: a.start,
        distance_m: (a.distance_m * 10.0).round() / 10.0,
        duration_s,
        moving_s: a
            .moving_s
            .map(|m| (m.round().max(0.0) as u64).min(duration_s))
            .filter(|m| *m > 0),
        surface: opts.surface,
        warmup: opts.warmup,
        stretch: None,
        shoe_id,
        rpe: None,
        notes: None,
        source: Some(a.source.clone()),
        avg_hr: a.avg_hr.map(round1),
        avg_cadence: a.avg_cadence.map(round1),
    }
}

/// Finds a pair by exact name (any case), creating it when it is new.
fn shoe_for(data: &mut Data, name: &str, now: DateTime<FixedOffset>, created: &mut Vec<u64>) -> u64 {
    // A removed pair is a hidden record whose name is free again.
    if let Some(s) = data
        .shoes
        .iter()
        .find(|s| !s.removed && s.name.to_lowercase() == name.to_lowercase())
    {
        return s.id;
    }
    let id = data.add_shoe(Shoe {
        id: 0,
        name: name.to_string(),
        start_m: 0.0,
        limit_m: None,
        default: false,
        retired: false,
        removed: false,
        added: Some(now),
    });
    created.push(id);
    id
}

/// Adds the batch's runs to `data`: one run per activity that is fit to log and not already
/// there (same start within [`DUPLICATE_WINDOW_S`] of a stored run or of one earlier in the batch).
pub fn apply(data: &mut Data, batch: &Batch, opts: &Options, now: DateTime<FixedOffset>) -> Outcome {
    let mut out = Outcome::default();
    // Start second -> where that run came from, for stored runs and the batch so far.
    let mut starts: BTreeMap<i64, String> = data
        .runs
        .iter()
        .map(|r| {
            (
                r.start.timestamp(),
                format!("run {} ({})", r.id, r.start.format("%Y-%m-%d %H:%M")),
            )
        })
        .collect();
    for name in &batch.shoes {
        shoe_for(data, name, now, &mut out.new_shoes);
    }
    let mut order: Vec<&Activity> = batch.activities.iter().collect();
    order.sort_by(|a, b| a.start.cmp(&b.start).then(a.source.cmp(&b.source)));
    for a in order {
        if let Some(reason) = unfit_reason(a) {
            out.unfit.push((a.source.clone(), reason));
            continue;
        }
        let t = a.start.timestamp();
        if let Some((_, what)) = starts.range(t - DUPLICATE_WINDOW_S..=t + DUPLICATE_WINDOW_S).next() {
            out.duplicates
                .push((a.source.clone(), format!("already logged: same start as {what}")));
            continue;
        }
        let shoe_id = match (opts.shoe, &a.gear) {
            (Some(choice), _) => choice,
            (None, Some(gear)) => Some(shoe_for(data, gear, now, &mut out.new_shoes)),
            (None, None) => None,
        };
        let id = data.add_run(to_run(a, opts, shoe_id));
        starts.insert(t, format!("{} in this import", a.source));
        out.imported.push(id);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::Sport;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn act(start: &str, km: f64, secs: f64) -> Activity {
        Activity {
            sport: Sport::Run,
            start: t(start),
            distance_m: km * 1000.0,
            elapsed_s: secs,
            moving_s: Some(secs - 10.0),
            avg_hr: Some(150.04),
            avg_cadence: None,
            gear: None,
            source: format!("/x/{start}.gpx"),
        }
    }

    fn batch(acts: Vec<Activity>) -> Batch {
        Batch {
            activities: acts,
            ..Batch::default()
        }
    }

    #[test]
    fn duplicates_within_60_seconds_are_skipped_inclusive() {
        let mut data = Data::default();
        let now = t("2026-01-01T00:00:00Z");
        let b = batch(vec![act("2025-05-01T06:00:00Z", 5.0, 1500.0)]);
        let out = apply(&mut data, &b, &Options::default(), now);
        assert_eq!(out.imported, vec![1]);
        let r = data.run(1).unwrap();
        assert_eq!((r.duration_s, r.moving_s, r.avg_hr), (1500, Some(1490), Some(150.0)));
        // The same batch again adds nothing.
        let again = apply(&mut data, &b, &Options::default(), now);
        assert!(again.imported.is_empty());
        assert_eq!(again.duplicates.len(), 1);
        // 60 s apart: the same run; 61 s apart: another run.
        let near = batch(vec![
            act("2025-05-01T06:01:00Z", 5.0, 1500.0),
            act("2025-05-01T05:58:59Z", 5.0, 1500.0),
        ]);
        let out = apply(&mut data, &near, &Options::default(), now);
        assert_eq!(out.duplicates.len(), 1, "{out:?}");
        assert_eq!(out.imported.len(), 1, "{out:?}");
        assert_eq!(data.runs.len(), 2);
    }

    #[test]
    fn duplicates_inside_one_batch() {
        let mut data = Data::default();
        let b = batch(vec![
            act("2025-05-01T06:00:00Z", 5.0, 1500.0),
            act("2025-05-01T06:00:30Z", 5.0, 1500.0),
        ]);
        let out = apply(&mut data, &b, &Options::default(), t("2026-01-01T00:00:00Z"));
        assert_eq!(out.imported.len(), 1);
        assert!(out.duplicates[0].1.contains("in this import"), "{:?}", out.duplicates);
    }

    #[test]
    fn limits_follow_run_add() {
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 0.0, 100.0)).is_some());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 500.0, 100_000.0)).is_none());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 500.1, 100_000.0)).is_some());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 1.0, 0.4)).is_some());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 100.0, 48.0 * 3600.0)).is_none());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 100.0, 48.0 * 3600.0 + 1.0)).is_some());
        // 2:00 /km is the fastest accepted pace.
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 10.0, 1200.0)).is_none());
        assert!(unfit_reason(&act("2025-05-01T06:00:00Z", 10.0, 1199.0)).is_some());
    }

    #[test]
    fn options_and_gear() {
        let mut data = Data::default();
        let mut a = act("2025-05-01T06:00:00Z", 5.0, 1500.0);
        a.gear = Some("Pegasus".into());
        let mut b = batch(vec![a.clone()]);
        b.shoes = vec!["pegasus".into(), "Trail pair".into()];
        let opts = Options {
            surface: Some(Surface::Trail),
            warmup: Some(false),
            shoe: None,
        };
        let out = apply(&mut data, &b, &opts, t("2026-01-01T00:00:00Z"));
        assert_eq!(out.new_shoes, vec![1, 2]);
        let r = data.run(out.imported[0]).unwrap();
        assert_eq!(
            (r.surface, r.warmup, r.shoe_id),
            (Some(Surface::Trail), Some(false), Some(1))
        );
        // --shoe wins over the gear; no shoe is created twice.
        let mut data2 = data.clone();
        let mut a2 = a.clone();
        a2.start = t("2025-05-02T06:00:00Z");
        let b2 = batch(vec![a2]);
        let out = apply(
            &mut data2,
            &b2,
            &Options {
                shoe: Some(Some(2)),
                ..opts
            },
            t("2026-01-01T00:00:00Z"),
        );
        assert!(out.new_shoes.is_empty());
        assert_eq!(data2.run(out.imported[0]).unwrap().shoe_id, Some(2));
        assert_eq!(data2.shoes.len(), 2);
    }
}
