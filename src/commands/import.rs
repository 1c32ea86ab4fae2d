//! `lumbar import`: files, folders, zip archives and stdin, in one store write.

use std::collections::BTreeMap;

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::Ctx;
use crate::cli::{ImportArgs, SportArg};
use crate::error::{InputError, SilentExit};
use crate::import::batch::{self, Batch, Options, Outcome, Progress, ReadOpts, Skip};
use crate::import::sport::Choice;
use crate::import::{self, Job, SkipKind};
use crate::model::{Data, Distance, Units};
use crate::output::text::escape;
use crate::output::views::{RunView, runs_table};
use crate::shoes;

/// Lines listed one by one (skipped files, runs taken by pace) before "N more".
const LISTED: usize = 10;

pub fn run(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    let warmup = match (a.warmup, a.no_warmup) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let choice = match a.sport {
        None => Choice::Auto,
        Some(SportArg::Run) => Choice::Run,
        Some(SportArg::Any) => Choice::Any,
    };
    // A shoe named on the command line is checked before any file is read; a dry run needs the
    // store anyway. Otherwise the store is read once, inside the update.
    let mut loaded = None;
    let shoe = match a.shoe.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("none") => Some(None),
        Some(t) => {
            let data = ctx.load()?;
            let id = shoes::resolve(&data, t)?;
            loaded = Some(data);
            Some(Some(id))
        }
        None => None,
    };
    if a.dry_run && loaded.is_none() {
        loaded = Some(ctx.load()?);
    }
    let mut opts = Options {
        surface: a.surface,
        warmup,
        shoe,
        sport: choice,
    };
    let jobs = import::collect_jobs(&a.paths);
    let read = ReadOpts {
        choice,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ..ReadOpts::default()
    };
    let batch = read_with_progress(ctx, &jobs, &read);
    let now = ctx.settings.now;
    let (view, outcome) = match loaded.filter(|_| a.dry_run) {
        Some(mut data) => {
            opts.surface = opts.surface.or(data.config.surface);
            let outcome = batch::apply(&mut data, &batch, &opts, now);
            (view_of(&data, &outcome), outcome)
        }
        None => ctx.store.update(|data| {
            if let Some(Some(id)) = opts.shoe
                && data.shoe(id).is_none()
            {
                return Err(
                    InputError::new("shoe", &id.to_string(), "a shoe that exists (it was just removed)").into(),
                );
            }
            opts.surface = opts.surface.or(data.config.surface);
            let outcome = batch::apply(data, &batch, &opts, now);
            // Only what is shown leaves the update: the new runs and their shoes, not the store.
            Ok((view_of(data, &outcome), outcome))
        })?,
    };
    report(ctx, &a, &batch, &view, &outcome)?;
    if batch.failed.is_empty() {
        Ok(())
    } else {
        Err(SilentExit(2).into())
    }
}

/// The imported runs and the shoes they name, as a small store of their own for the views.
fn view_of(data: &Data, outcome: &Outcome) -> Data {
    let mut view = Data {
        config: data.config.clone(),
        ..Data::default()
    };
    view.runs = outcome
        .imported
        .iter()
        .filter_map(|id| data.run(*id))
        .cloned()
        .collect();
    view.shoes = data
        .shoes
        .iter()
        .filter(|s| outcome.new_shoes.contains(&s.id) || view.runs.iter().any(|r| r.shoe_id == Some(s.id)))
        .cloned()
        .collect();
    view
}

fn read_with_progress(ctx: &Ctx, jobs: &[Job], opts: &ReadOpts) -> Batch {
    // An archive or a Strava export is one job that reads many files.
    let many = |j: &Job| match j {
        Job::StravaFolder(_) => true,
        Job::File { path, .. } => path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip") || e.eq_ignore_ascii_case("csv")),
        _ => false,
    };
    let show = (jobs.len() > 1 || jobs.iter().any(many)) && !ctx.out.quiet && ctx.settings.term.stderr;
    let bar = if show {
        let bar = ProgressBar::with_draw_target(Some(jobs.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} files  {elapsed}") {
            bar.set_style(style.progress_chars(if ctx.out.utf8 {
                "█▉▊▋▌▍▎▏ "
            } else {
                "#>-"
            }));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    // A parser bug fails its file with a message in the summary; the default hook would also
    // print a backtrace note between the progress bar and the summary.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let batch = batch::read_jobs(jobs, opts, &|p| match p {
        Progress::More(n) => bar.inc_length(n),
        Progress::Done => bar.inc(1),
    });
    std::panic::set_hook(hook);
    bar.finish_and_clear();
    batch
}

fn report(ctx: &Ctx, a: &ImportArgs, batch: &Batch, view: &Data, outcome: &Outcome) -> Result<()> {
    let mut skipped: Vec<&Skip> = outcome.skipped.iter().chain(&batch.nothing).collect();
    skipped.sort_by(|x, y| x.source.cmp(&y.source));
    if ctx.out.json {
        let skipped: Vec<_> = skipped
            .iter()
            .map(|s| json!({ "path": s.source, "kind": s.kind.as_str(), "sport": s.sport, "reason": s.reason }))
            .collect();
        let failed: Vec<_> = batch
            .failed
            .iter()
            .map(|(path, error)| json!({ "path": path, "error": error }))
            .collect();
        let warnings: Vec<_> = outcome
            .notes
            .iter()
            .map(|(path, message)| json!({ "path": path, "message": message }))
            .collect();
        let imported: Vec<RunView> = view.runs.iter().map(|r| RunView::new(r, view)).collect();
        ctx.out.json(&json!({
            "imported": imported,
            "skipped": skipped,
            "failed": failed,
            "warnings": warnings,
        }))?;
    } else if !view.runs.is_empty() && !ctx.out.quiet {
        ctx.out
            .print(&ctx.out.render(&runs_table(&ctx.out, view.runs.iter(), view)))?;
    }
    let here = std::env::current_dir().ok();
    let short = |path: &str| -> String {
        let shown = here
            .as_deref()
            .and_then(|h| std::path::Path::new(path).strip_prefix(h).ok())
            .map_or_else(|| path.to_string(), |p| p.display().to_string());
        escape(&shown).into_owned()
    };
    for (path, error) in &batch.failed {
        ctx.out.warn(&format!("{}: {}", short(path), escape(error)));
    }
    for (path, note) in outcome.notes.iter().take(LISTED) {
        ctx.out.warn(&format!("{}: {}", short(path), escape(note)));
    }
    if outcome.notes.len() > LISTED {
        ctx.out.warn(&format!(
            "{} more files that name no sport were taken as runs by their pace (--json lists them)",
            outcome.notes.len() - LISTED
        ));
    }
    for s in skipped.iter().take(LISTED) {
        ctx.out
            .note(&format!("skipped {}: {}", short(&s.source), escape(&s.reason)));
    }
    if skipped.len() > LISTED {
        ctx.out.note(&format!(
            "skipped {} more (--json lists them all)",
            skipped.len() - LISTED
        ));
    }
    ctx.out
        .note(&summary(a, batch, view, outcome, &skipped, ctx.units(&view.config)));
    Ok(())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The one line a runner reads after an import: what came in, what was skipped and why (runs
/// already logged, other sports by name, fragments…), and what could not be read.
fn summary(a: &ImportArgs, batch: &Batch, view: &Data, outcome: &Outcome, skipped: &[&Skip], units: Units) -> String {
    let total = view.runs.iter().fold(0.0, |sum, r| sum + r.distance_m);
    let count = |kind: SkipKind| skipped.iter().filter(|s| s.kind == kind).count();
    let head = if a.dry_run { "Dry run: would import" } else { "Imported" };
    let mut by_sport: BTreeMap<String, usize> = BTreeMap::new();
    for s in skipped.iter().filter(|s| s.kind == SkipKind::NotARun) {
        let name = s.sport.as_deref().map_or_else(
            || "naming no sport we know".to_string(),
            |n| escape(&n.to_lowercase()).into_owned(),
        );
        *by_sport.entry(name).or_default() += 1;
    }
    let not_runs = count(SkipKind::NotARun);
    let mut parts = vec![
        format!("{} already logged", count(SkipKind::AlreadyLogged)),
        if by_sport.is_empty() {
            plural(not_runs, "not a run", "not runs")
        } else {
            let list: Vec<String> = by_sport.iter().map(|(s, n)| format!("{n} {s}")).collect();
            format!("{} ({})", plural(not_runs, "not a run", "not runs"), list.join(", "))
        },
        format!("{} too short", count(SkipKind::TooShort)),
    ];
    for (kind, one, many) in [
        (SkipKind::Future, "in the future", "in the future"),
        (SkipKind::NotAnActivity, "not an activity", "not activities"),
        (
            SkipKind::Incomplete,
            "without the data a run needs",
            "without the data a run needs",
        ),
        (
            SkipKind::OutOfRange,
            "outside run add's limits",
            "outside run add's limits",
        ),
    ] {
        let n = count(kind);
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    let failed = batch.failed.len();
    let mut s = format!(
        "{head} {} ({}) from {}; skipped {}; {} failed{}.",
        plural(view.runs.len(), "run", "runs"),
        Distance(total).display(units),
        plural(batch.files, "file", "files"),
        parts.join(", "),
        failed,
        if failed > 0 { " (could not be read)" } else { "" }
    );
    if !outcome.new_shoes.is_empty() {
        let names: Vec<String> = outcome
            .new_shoes
            .iter()
            .filter_map(|id| view.shoe(*id))
            .map(|s| escape(&s.name).into_owned())
            .collect();
        let verb = if a.dry_run { "Would add" } else { "Added" };
        s.push_str(&format!(
            " {verb} {} from the Strava gear: {}.",
            plural(names.len(), "shoe", "shoes"),
            names.join(", ")
        ));
    }
    if a.dry_run {
        s.push_str(" Nothing was written.");
    } else if failed > 0 && !view.runs.is_empty() {
        s.push_str(" The runs that could be read were saved; the failed files were not.");
    }
    s
}
