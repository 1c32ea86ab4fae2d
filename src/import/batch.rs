//! A batch import: read every file (in parallel), then fold the activities into the store in
//! one change. Reading touches no store; [`apply`] is pure (it is given "now"), so a dry run
//! applies it to the data it loaded and a real run inside the store's one update.
//!
//! A bug in a parser fails that file, not the batch: each file's parse runs under
//! `catch_unwind`, which works because the release build unwinds (see `Cargo.toml`).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, Read, Seek};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Datelike, Duration, FixedOffset};

use super::archive::{self, Limits};
use super::sport::{self, Choice, Verdict};
use super::{Activity, Format, Found, ImportError, Job, SkipKind, strava};
use crate::model::units::{FASTEST_PACE_S_PER_KM, MAX_DISTANCE_M, MAX_DURATION_S};
use crate::model::{Data, Run, Shoe, Surface};
use crate::model::{FIRST_YEAR, LAST_YEAR};

/// Two runs starting this close together are the same run.
pub const DUPLICATE_WINDOW_S: i64 = 60;
/// A summary standing in for a file (a Strava row, a Garmin summary) is the same activity as a
/// file read in the batch when their starts are this close.
pub const STAND_IN_WINDOW_S: i64 = 120;
/// How far ahead of now a run may start (a watch in another time zone, a clock a little fast).
pub const FUTURE_GRACE_H: i64 = 24;

/// How the files of a batch are read.
#[derive(Clone, Copy, Debug)]
pub struct ReadOpts {
    pub limits: Limits,
    pub choice: Choice,
    pub threads: usize,
}

impl Default for ReadOpts {
    fn default() -> Self {
        ReadOpts {
            limits: Limits::default(),
            choice: Choice::default(),
            threads: 1,
        }
    }
}

/// Something skipped, and why: what `--json` lists in `skipped`.
#[derive(Clone, Debug, PartialEq)]
pub struct Skip {
    pub source: String,
    pub kind: SkipKind,
    /// The sport's name, where the file gives one.
    pub sport: Option<String>,
    pub reason: String,
}

/// What one job (or one part of an archive) produced. What is skipped is kept apart from the
/// activities, in its small form: an export may hold tens of thousands of files that are not.
#[derive(Debug, Default)]
pub struct Piece {
    pub activities: Vec<Activity>,
    pub skipped: Vec<Skip>,
    /// (path, error): files that could not be read.
    pub failed: Vec<(String, String)>,
    /// Shoe names from Strava `shoes.csv` files.
    pub shoes: Vec<String>,
    pub files: usize,
}

impl Piece {
    pub fn push(&mut self, found: Found) {
        match found {
            Found::Activity(a) => self.activities.push(a),
            Found::Nothing { source, reason, kind } => self.skipped.push(Skip {
                source,
                kind,
                sport: None,
                reason,
            }),
        }
    }

    pub fn extend(&mut self, found: impl IntoIterator<Item = Found>) {
        for f in found {
            self.push(f);
        }
    }

    /// Everything found, as the parsers gave it (activities first).
    pub fn into_found(self) -> Vec<Found> {
        let skipped = self.skipped.into_iter().map(|s| Found::Nothing {
            source: s.source,
            reason: s.reason,
            kind: s.kind,
        });
        self.activities
            .into_iter()
            .map(Found::Activity)
            .chain(skipped)
            .collect()
    }

    pub fn absorb(&mut self, other: Piece) {
        self.activities.extend(other.activities);
        self.skipped.extend(other.skipped);
        self.failed.extend(other.failed);
        self.shoes.extend(other.shoes);
        self.files += other.files;
    }

    fn failed(source: &str, error: impl Into<String>) -> Piece {
        Piece {
            failed: vec![(source.to_string(), error.into())],
            files: 1,
            ..Piece::default()
        }
    }
}

/// Everything read from the files of one batch.
#[derive(Debug, Default)]
pub struct Batch {
    pub activities: Vec<Activity>,
    /// Files or rows with nothing to log.
    pub nothing: Vec<Skip>,
    /// (path, error): files that could not be read.
    pub failed: Vec<(String, String)>,
    /// Shoe names from Strava `shoes.csv` files.
    pub shoes: Vec<String>,
    pub files: usize,
}

/// Progress reports from [`read_jobs`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// This many more files were found (the entries of an archive, the files a Strava export links).
    More(u64),
    /// One more file was read.
    Done,
}

/// `work` on every item, on up to `threads` threads, each with its own state from `init`; the
/// results come back in item order.
pub fn par_map_with<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..items.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, items.len().max(1)) {
            s.spawn(|| {
                let mut state = init();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = work(&mut state, item);
                    if let Ok(mut all) = results.lock() {
                        all[i] = Some(r);
                    }
                }
            });
        }
    });
    results.into_inner().unwrap_or_default().into_iter().flatten().collect()
}

/// [`par_map_with`] without per-thread state.
pub fn par_map<T: Sync, R: Send>(items: &[T], threads: usize, work: impl Fn(&T) -> R + Sync) -> Vec<R> {
    par_map_with(items, threads, || (), |_, item| work(item))
}

/// The text of a panic, for the message of the file it failed.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("internal error while reading this file (please report it): {text}")
}

/// [`super::parse`] with a panic caught: a parser bug fails this file only.
pub fn parse_isolated(format: Format, reader: Box<dyn Read + '_>, source: &str) -> Result<Vec<Found>, String> {
    match catch_unwind(AssertUnwindSafe(|| super::parse(format, reader, source))) {
        Ok(Ok(found)) => Ok(found),
        Ok(Err(e)) => Err(e.to_string()),
        Err(payload) => Err(panic_text(payload.as_ref())),
    }
}

/// Reads one file on disk: an archive, a Strava CSV (with the files beside it), or one activity
/// file. It is opened once: the first bytes say what it is.
pub fn read_file(
    mut file: File,
    path: &Path,
    source: &str,
    explicit: bool,
    opts: &ReadOpts,
    progress: &(dyn Fn(Progress) + Sync),
) -> Piece {
    let mut head = vec![0u8; super::SNIFF_LEN as usize];
    let n = match read_full(&mut file, &mut head) {
        Ok(n) => n,
        Err(e) => return Piece::failed(source, format!("cannot read it: {e}")),
    };
    head.truncate(n);
    let sniffed = super::sniff(&head);
    if sniffed == Some(Format::Zip) {
        return match file.rewind() {
            Ok(()) => archive::read_zip(file, source, opts, progress),
            Err(_) => Piece::failed(
                source,
                "a zip archive cannot be read from a pipe: give the path of the file",
            ),
        };
    }
    // A big plain GPX file on disk is parsed in two halves at once (see `gpx::parse_file`).
    if sniffed == Some(Format::Gpx)
        && file
            .metadata()
            .is_ok_and(|m| m.is_file() && m.len() >= super::gpx::SPLIT_MIN_BYTES)
    {
        let window = match archive::Window::whole(file) {
            Ok(w) => w,
            Err(e) => return Piece::failed(source, format!("cannot read it: {e}")),
        };
        let mut piece = Piece {
            files: 1,
            ..Piece::default()
        };
        match catch_unwind(AssertUnwindSafe(|| {
            #[cfg(debug_assertions)]
            super::test_panic(source);
            super::gpx::parse_file(window, source)
        })) {
            Ok(Ok(found)) => piece.extend(found),
            Ok(Err(e)) => piece.failed.push((source.to_string(), e.to_string())),
            Err(payload) => piece.failed.push((source.to_string(), panic_text(payload.as_ref()))),
        }
        return piece;
    }
    let reader = io::Cursor::new(head).chain(file);
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    read_stream(
        Box::new(reader),
        source,
        explicit || super::named_like_activity(source),
        Some(dir),
        opts,
    )
}

fn read_full(r: &mut impl Read, buf: &mut [u8]) -> io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Reads one stream: an activity file, or a Strava CSV whose linked files are looked for in
/// `dir`. `named` when content that is none of the formats is an error (the runner named the
/// file, or its name says it is activity data), not a file to pass over.
fn read_stream(reader: Box<dyn Read + '_>, source: &str, named: bool, dir: Option<&Path>, opts: &ReadOpts) -> Piece {
    let opened = match super::open_reader(reader) {
        Ok(o) => o,
        Err(e) => return Piece::failed(source, e.to_string()),
    };
    let mut piece = Piece {
        files: 1,
        ..Piece::default()
    };
    match opened.format {
        Some(Format::StravaCsv) => {
            let rows = match strava::read_rows(opened.reader, source) {
                Ok(rows) => rows,
                Err(e) => return Piece::failed(source, e.to_string()),
            };
            match dir {
                Some(dir) => piece.absorb(strava_rows(rows, dir, opts, &|_| {})),
                None => piece.extend(rows.into_iter().map(|r| r.found)),
            }
        }
        Some(format) => match parse_isolated(format, opened.reader, source) {
            Ok(found) => piece.extend(found),
            Err(e) => piece.failed.push((source.to_string(), e)),
        },
        None if named => piece
            .failed
            .push((source.to_string(), super::not_activity_data().to_string())),
        None => piece.push(Found::nothing(source, SkipKind::NotAnActivity, "not an activity file")),
    }
    piece
}

/// The rows of a Strava CSV in folder `dir`: each linked file is read (in parallel) when it is in
/// the folder, never through a link that leads out of it.
fn strava_rows(rows: Vec<strava::Row>, dir: &Path, opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Piece {
    let linked = rows.iter().filter(|r| r.wants_file(opts.choice)).count();
    progress(Progress::More(linked as u64));
    let pieces = par_map(&rows, opts.threads, |row| {
        let mut piece = Piece::default();
        let Some(file) = row.file.as_deref().filter(|_| row.wants_file(opts.choice)) else {
            piece.push(row.found.clone());
            return piece;
        };
        let path = dir.join(file);
        let source = super::source_name(&path);
        progress(Progress::Done);
        if !path.exists() {
            piece.push(row.found.clone());
            return piece;
        }
        piece.files += 1;
        if !super::stays_inside(dir, &path) {
            piece.failed.push((source, super::link_outside(&path)));
            piece.push(row.found.clone());
            return piece;
        }
        let result = File::open(&path)
            .map_err(|e| ImportError::new(format!("cannot open it: {e}")))
            .and_then(|f| {
                let opened = super::open_reader(Box::new(f))?;
                match opened.format {
                    Some(f @ (Format::Gpx | Format::Tcx | Format::Fit)) => {
                        parse_isolated(f, opened.reader, &source).map_err(ImportError::new)
                    }
                    _ => Err(super::not_activity_data()),
                }
            });
        piece.push(row.with_file(result));
        piece
    });
    let mut all = Piece::default();
    for p in pieces {
        all.absorb(p);
    }
    all
}

/// A folder with an `activities.csv`: a Strava export when the CSV is Strava's, its files and
/// `shoes.csv` read through it; otherwise a folder like any other.
fn strava_folder(dir: &Path, opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Piece {
    let csv = dir.join(strava::ACTIVITIES_CSV);
    let source = super::source_name(&csv);
    if !super::stays_inside(dir, &csv) {
        return Piece::failed(&source, super::link_outside(&csv));
    }
    let is_strava = File::open(&csv)
        .ok()
        .and_then(|mut f| {
            let mut head = [0u8; 4096];
            read_full(&mut f, &mut head).ok().map(|n| super::sniff(&head[..n]))
        })
        .flatten()
        == Some(Format::StravaCsv);
    if !is_strava {
        let mut piece = Piece::default();
        for job in super::walk_plain(dir) {
            piece.absorb(run_job(&job, opts, progress));
        }
        return piece;
    }
    let mut piece = Piece {
        files: 1,
        ..Piece::default()
    };
    let rows = match File::open(&csv)
        .map_err(|e| ImportError::new(format!("cannot open it: {e}")))
        .and_then(|f| strava::read_rows(f, &source))
    {
        Ok(rows) => rows,
        Err(e) => return Piece::failed(&source, e.to_string()),
    };
    let shoes = dir.join(strava::SHOES_CSV);
    if shoes.is_file() {
        let name = super::source_name(&shoes);
        if !super::stays_inside(dir, &shoes) {
            piece.failed.push((name, super::link_outside(&shoes)));
        } else {
            match File::open(&shoes)
                .map_err(|e| ImportError::new(format!("cannot open it: {e}")))
                .and_then(|f| strava::shoe_names(f, &name))
            {
                Ok(names) => piece.shoes = names,
                Err(e) => piece.failed.push((name, e.to_string())),
            }
        }
    }
    piece.absorb(strava_rows(rows, dir, opts, progress));
    piece
}

/// `lumbar import -`: one file on standard input. A file redirected in is read as a file (so a
/// zip works too); a pipe is read as a stream.
fn read_stdin(opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Piece {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() {
            let file = File::from(fd);
            if file.metadata().is_ok_and(|m| m.is_file()) {
                return read_file(
                    file,
                    Path::new(super::STDIN_NAME),
                    super::STDIN_NAME,
                    true,
                    opts,
                    progress,
                );
            }
        }
    }
    let stdin = io::stdin();
    let mut head = [0u8; 4];
    let mut lock = stdin.lock();
    let n = match read_full(&mut lock, &mut head) {
        Ok(n) => n,
        Err(e) => return Piece::failed(super::STDIN_NAME, format!("cannot read it: {e}")),
    };
    if super::sniff(&head[..n]) == Some(Format::Zip) {
        return Piece::failed(
            super::STDIN_NAME,
            "a zip archive cannot be read from a pipe: give the path of the file, or redirect it (< file.zip)",
        );
    }
    let reader = io::Cursor::new(head[..n].to_vec()).chain(lock);
    read_stream(Box::new(reader), super::STDIN_NAME, true, None, opts)
}

/// Runs one job, with a panic anywhere in it caught: that job fails, the batch goes on.
pub fn run_job(job: &Job, opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Piece {
    let name = match job {
        Job::File { path, .. } | Job::StravaFolder(path) | Job::Refused { path, .. } => super::source_name(path),
        Job::Stdin => super::STDIN_NAME.to_string(),
    };
    let work = || match job {
        Job::File { path, explicit } => match File::open(path) {
            Ok(f) => read_file(f, path, &name, *explicit, opts, progress),
            Err(e) => Piece::failed(&name, format!("cannot open it: {e}")),
        },
        Job::Stdin => read_stdin(opts, progress),
        Job::StravaFolder(dir) => strava_folder(dir, opts, progress),
        Job::Refused { error, .. } => Piece::failed(&name, error.clone()),
    };
    catch_unwind(AssertUnwindSafe(work)).unwrap_or_else(|payload| Piece::failed(&name, panic_text(payload.as_ref())))
}

/// Reads every job on up to `opts.threads` threads.
pub fn read_jobs(jobs: &[Job], opts: &ReadOpts, progress: &(dyn Fn(Progress) + Sync)) -> Batch {
    let pieces = par_map(jobs, opts.threads, |job| {
        let piece = run_job(job, opts, progress);
        progress(Progress::Done);
        piece
    });
    let mut all = Piece::default();
    for p in pieces {
        all.absorb(p);
    }
    let mut batch = Batch {
        activities: all.activities,
        nothing: all.skipped,
        failed: all.failed,
        files: all.files,
        ..Batch::default()
    };
    for s in all.shoes {
        if !batch.shoes.iter().any(|x| x.eq_ignore_ascii_case(&s)) {
            batch.shoes.push(s);
        }
    }
    merge_stand_ins(&mut batch.activities);
    // Results are sorted, so the outcome does not depend on thread timing.
    batch.nothing.sort_by(|a, b| a.source.cmp(&b.source));
    batch.failed.sort();
    batch
}

/// A summary that stands in for a file (a Strava row, a Garmin summary) gives way to a file of
/// the batch with the same start: it is the same activity. Where the file names no sport, the
/// summary's sport is the file's.
fn merge_stand_ins(activities: &mut Vec<Activity>) {
    let (stand_ins, mut files): (Vec<Activity>, Vec<Activity>) = activities.drain(..).partition(|a| a.stand_in);
    files.sort_by_key(|a| a.start);
    let mut kept = Vec::new();
    for s in stand_ins {
        let t = s.start.timestamp();
        let from = files.partition_point(|f| f.start.timestamp() < t - STAND_IN_WINDOW_S);
        let twin = files[from..]
            .iter_mut()
            .take_while(|f| f.start.timestamp() <= t + STAND_IN_WINDOW_S)
            .next();
        match twin {
            Some(f) => {
                if !f.sport.is_known() && s.sport.is_known() {
                    f.sport = s.sport;
                    f.sport_by = s.sport_by;
                }
            }
            None => kept.push(s),
        }
    }
    files.extend(kept);
    *activities = files;
}

/// What the runner chose for every imported run.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub surface: Option<Surface>,
    pub warmup: Option<bool>,
    /// `Some(id)` from `--shoe`; `None` lets a Strava run keep its own gear.
    pub shoe: Option<Option<u64>>,
    pub sport: Choice,
}

/// What [`apply`] did.
#[derive(Debug, Default, PartialEq)]
pub struct Outcome {
    /// Ids of the runs added, in start order.
    pub imported: Vec<u64>,
    /// Activities not imported, and why.
    pub skipped: Vec<Skip>,
    /// (source, how it was decided): runs taken by their pace, the file naming no sport.
    pub notes: Vec<(String, String)>,
    /// Ids of the shoes created from Strava gear.
    pub new_shoes: Vec<u64>,
}

/// Why an activity cannot be stored as a run, by the same limits as `run add`.
pub fn unfit_reason(a: &Activity) -> Option<(SkipKind, String)> {
    let secs = a.elapsed_s.round();
    if a.distance_m.is_nan() || a.distance_m <= 0.0 {
        return Some((SkipKind::Incomplete, "no distance recorded".into()));
    }
    if secs.is_nan() || secs < 1.0 {
        return Some((SkipKind::Incomplete, "no duration".into()));
    }
    // The store keeps dates from 1900 to 2200 only; a file dated outside them (a watch with its
    // clock unset) is skipped alone rather than refusing the whole batch at the save.
    let year = a.start.year();
    if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
        return Some((
            SkipKind::OutOfRange,
            format!("dated {year}, outside the years {FIRST_YEAR} to {LAST_YEAR} lumbar keeps"),
        ));
    }
    if a.distance_m > MAX_DISTANCE_M {
        return Some((
            SkipKind::OutOfRange,
            format!("{:.1} km is longer than the 500 km a run may be", a.distance_m / 1000.0),
        ));
    }
    if secs > MAX_DURATION_S as f64 {
        return Some((SkipKind::OutOfRange, "longer than 48 hours".into()));
    }
    if secs / (a.distance_m / 1000.0) < FASTEST_PACE_S_PER_KM {
        return Some((
            SkipKind::OutOfRange,
            "faster than 2:00 /km: not a run on foot (a ride, or a GPS error?)".into(),
        ));
    }
    None
}

fn to_run(a: &Activity, opts: &Options, shoe_id: Option<u64>) -> Run {
    let duration_s = a.elapsed_s.round() as u64;
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    let mut run = Run::new(a.start, (a.distance_m * 10.0).round() / 10.0, duration_s);
    run.moving_s = a
        .moving_s
        .map(|m| (m.round().max(0.0) as u64).min(duration_s))
        .filter(|m| *m > 0);
    run.surface = opts.surface;
    run.warmup = opts.warmup;
    run.shoe_id = shoe_id;
    run.source = Some(a.source.clone());
    // Values the store could not keep (a sensor glitch) are left out, not the run.
    let plausible = |x: &f64| x.is_finite() && (0.0..1000.0).contains(x);
    run.avg_hr = a.avg_hr.map(round1).filter(plausible);
    run.avg_cadence = a.avg_cadence.map(round1).filter(plausible);
    run
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

/// `m:ss` or `h:mm:ss`.
fn clock(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Adds the batch's runs to `data`: one run per activity that is a run (decided once, by
/// [`sport::decide`]), fit to log, long enough, not in the future, and not already there (same
/// start within [`DUPLICATE_WINDOW_S`] of a stored run or of one earlier in the batch).
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
    let latest = now + Duration::hours(FUTURE_GRACE_H);
    let mut order: Vec<&Activity> = batch.activities.iter().collect();
    order.sort_by(|a, b| a.start.cmp(&b.start).then(a.source.cmp(&b.source)));
    for a in order {
        let mut skip = |kind: SkipKind, reason: String| {
            out.skipped.push(Skip {
                source: a.source.clone(),
                kind,
                sport: a.sport.name().map(str::to_string),
                reason,
            })
        };
        let note = match sport::decide(a, opts.sport) {
            Verdict::NotARun { reason } => {
                skip(SkipKind::NotARun, reason);
                continue;
            }
            Verdict::Run { note } => note,
        };
        if let Some((kind, reason)) = unfit_reason(a) {
            skip(kind, reason);
            continue;
        }
        if sport::too_short(a.distance_m, a.elapsed_s) {
            skip(
                SkipKind::TooShort,
                format!(
                    "too short for a run: {:.0} m in {} (a run is at least {:.0} m and {})",
                    a.distance_m,
                    clock(a.elapsed_s),
                    sport::MIN_RUN_DISTANCE_M,
                    clock(sport::MIN_RUN_DURATION_S)
                ),
            );
            continue;
        }
        if a.start > latest {
            skip(
                SkipKind::Future,
                format!(
                    "starts {}, more than a day from now (is the device's clock right?)",
                    a.start.format("%Y-%m-%d %H:%M")
                ),
            );
            continue;
        }
        let t = a.start.timestamp();
        if let Some((_, what)) = starts.range(t - DUPLICATE_WINDOW_S..=t + DUPLICATE_WINDOW_S).next() {
            let reason = format!("already logged: same start as {what}");
            skip(SkipKind::AlreadyLogged, reason);
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
        if let Some(n) = note {
            out.notes.push((a.source.clone(), n));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{SpeedFacts, Sport};

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).unwrap()
    }

    fn act(start: &str, km: f64, secs: f64) -> Activity {
        Activity {
            sport: Sport::Run("running".into()),
            sport_by: "test",
            start: t(start),
            distance_m: km * 1000.0,
            elapsed_s: secs,
            moving_s: Some(secs - 10.0),
            avg_hr: Some(150.04),
            avg_cadence: None,
            gear: None,
            source: format!("/x/{start}.gpx"),
            speed: SpeedFacts::default(),
            stand_in: false,
        }
    }

    fn batch(acts: Vec<Activity>) -> Batch {
        Batch {
            activities: acts,
            ..Batch::default()
        }
    }

    fn now() -> DateTime<FixedOffset> {
        t("2026-01-01T00:00:00Z")
    }

    fn kinds(out: &Outcome) -> Vec<SkipKind> {
        out.skipped.iter().map(|s| s.kind).collect()
    }

    #[test]
    fn duplicates_within_60_seconds_are_skipped_inclusive() {
        let mut data = Data::default();
        let b = batch(vec![act("2025-05-01T06:00:00Z", 5.0, 1500.0)]);
        let out = apply(&mut data, &b, &Options::default(), now());
        assert_eq!(out.imported, vec![1]);
        let r = data.run(1).unwrap();
        assert_eq!((r.duration_s, r.moving_s, r.avg_hr), (1500, Some(1490), Some(150.0)));
        // The same batch again adds nothing.
        let again = apply(&mut data, &b, &Options::default(), now());
        assert!(again.imported.is_empty());
        assert_eq!(kinds(&again), [SkipKind::AlreadyLogged]);
        // 60 s apart: the same run; 61 s apart: another run.
        let near = batch(vec![
            act("2025-05-01T06:01:00Z", 5.0, 1500.0),
            act("2025-05-01T05:58:59Z", 5.0, 1500.0),
        ]);
        let out = apply(&mut data, &near, &Options::default(), now());
        assert_eq!(kinds(&out), [SkipKind::AlreadyLogged], "{out:?}");
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
        let out = apply(&mut data, &b, &Options::default(), now());
        assert_eq!(out.imported.len(), 1);
        assert!(out.skipped[0].reason.contains("in this import"), "{:?}", out.skipped);
    }

    #[test]
    fn limits_follow_run_add() {
        let kind = |km: f64, secs: f64| unfit_reason(&act("2025-05-01T06:00:00Z", km, secs)).map(|(k, _)| k);
        assert_eq!(kind(0.0, 100.0), Some(SkipKind::Incomplete));
        assert_eq!(kind(500.0, 100_000.0), None);
        assert_eq!(kind(500.1, 100_000.0), Some(SkipKind::OutOfRange));
        assert_eq!(kind(1.0, 0.4), Some(SkipKind::Incomplete));
        assert_eq!(kind(100.0, 48.0 * 3600.0), None);
        assert_eq!(kind(100.0, 48.0 * 3600.0 + 1.0), Some(SkipKind::OutOfRange));
        // 2:00 /km is the fastest accepted pace.
        assert_eq!(kind(10.0, 1200.0), None);
        assert_eq!(kind(10.0, 1199.0), Some(SkipKind::OutOfRange));
    }

    #[test]
    fn every_kind_of_skip_is_told_apart() {
        let mut data = Data::default();
        let mut ride = act("2025-05-01T06:00:00Z", 30.0, 3600.0);
        ride.sport = Sport::Other("cycling".into());
        let mut unknown_ride = act("2025-05-02T06:00:00Z", 50.0, 7250.0);
        unknown_ride.sport = Sport::Unknown(None);
        let mut unknown_run = act("2025-05-03T06:00:00Z", 10.0, 3000.0);
        unknown_run.sport = Sport::Unknown(None);
        let fragment = act("2025-05-04T06:00:00Z", 0.0057, 13.7);
        let future = act("2026-01-02T00:00:01Z", 5.0, 1500.0);
        let tomorrow = act("2026-01-01T23:59:00Z", 5.0, 1500.0);
        let b = batch(vec![ride, unknown_ride, unknown_run, fragment, future, tomorrow]);
        let out = apply(&mut data, &b, &Options::default(), now());
        assert_eq!(out.imported.len(), 2, "{out:?}");
        assert_eq!(
            kinds(&out),
            [
                SkipKind::NotARun,
                SkipKind::NotARun,
                SkipKind::TooShort,
                SkipKind::Future
            ]
        );
        assert_eq!(out.skipped[0].sport.as_deref(), Some("cycling"));
        assert_eq!(out.skipped[1].sport, None);
        assert!(
            out.skipped[1].reason.contains("too fast for a run"),
            "{:?}",
            out.skipped[1]
        );
        assert!(out.skipped[2].reason.contains("6 m in 0:14"), "{:?}", out.skipped[2]);
        assert_eq!(out.notes.len(), 1);
        assert!(
            out.notes[0].1.contains("taken as a run by its pace (4:59 /km)"),
            "{:?}",
            out.notes
        );
        // --sport any takes the ride, --sport run the unknown one whatever its pace.
        let mut data = Data::default();
        let any = Options {
            sport: Choice::Any,
            ..Options::default()
        };
        assert_eq!(apply(&mut data, &b, &any, now()).imported.len(), 4);
    }

    #[test]
    fn a_file_wins_over_the_summary_that_stands_in_for_it() {
        let mut file = act("2025-05-01T06:00:00Z", 5.0, 1500.0);
        file.sport = Sport::Unknown(None);
        let mut summary = act("2025-05-01T06:01:30Z", 5.1, 1510.0);
        summary.stand_in = true;
        summary.sport = Sport::Run("running".into());
        summary.source = "summary".into();
        let mut alone = act("2025-06-01T06:00:00Z", 5.0, 1500.0);
        alone.stand_in = true;
        let mut all = vec![summary, file, alone];
        merge_stand_ins(&mut all);
        assert_eq!(all.len(), 2);
        assert_eq!(all[0].source, "/x/2025-05-01T06:00:00Z.gpx");
        assert_eq!(
            all[0].sport,
            Sport::Run("running".into()),
            "the summary names the sport"
        );
        assert!(all[1].stand_in);
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
            sport: Choice::Auto,
        };
        let out = apply(&mut data, &b, &opts, now());
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
            now(),
        );
        assert!(out.new_shoes.is_empty());
        assert_eq!(data2.run(out.imported[0]).unwrap().shoe_id, Some(2));
        assert_eq!(data2.shoes.len(), 2);
    }
}
