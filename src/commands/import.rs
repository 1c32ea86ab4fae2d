//! `lumbar import`: files and folders of GPX, TCX, FIT and Strava exports, in one store write.

use anyhow::Result;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;

use super::Ctx;
use crate::cli::ImportArgs;
use crate::error::{InputError, SilentExit};
use crate::import::batch::{self, Batch, Options, Outcome, Progress};
use crate::import::{self, Job};
use crate::model::{Data, Distance, Units};
use crate::output::views::{RunView, runs_table};
use crate::shoes;

/// Skip reasons listed one by one before "and N more".
const LISTED_SKIPS: usize = 10;

pub fn run(ctx: &mut Ctx, a: ImportArgs) -> Result<()> {
    // Everything the runner typed is checked before any file is read.
    let snapshot = ctx.load()?;
    let shoe = match a.shoe.as_deref() {
        Some(t) if t.eq_ignore_ascii_case("none") => Some(None),
        Some(t) => Some(Some(shoes::resolve(&snapshot, t)?)),
        None => None,
    };
    let warmup = match (a.warmup, a.no_warmup) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let opts = Options {
        surface: a.surface.or(snapshot.config.surface),
        warmup,
        shoe,
    };
    let (jobs, missing) = import::collect_jobs(&a.paths);
    let mut batch = read_with_progress(ctx, &jobs);
    for (path, e) in missing {
        batch.failed.push((path.display().to_string(), e.to_string()));
    }
    let now = ctx.settings.now;
    let (data, outcome) = if a.dry_run {
        let mut data = snapshot;
        let outcome = batch::apply(&mut data, &batch, &opts, now);
        (data, outcome)
    } else {
        ctx.store.update(|data| {
            if let Some(Some(id)) = opts.shoe
                && data.shoe(id).is_none()
            {
                return Err(
                    InputError::new("shoe", &id.to_string(), "a shoe that exists (it was just removed)").into(),
                );
            }
            let outcome = batch::apply(data, &batch, &opts, now);
            Ok((data.clone(), outcome))
        })?
    };
    report(ctx, &a, &batch, &data, &outcome)?;
    if batch.failed.is_empty() {
        Ok(())
    } else {
        Err(SilentExit(2).into())
    }
}

fn read_with_progress(ctx: &Ctx, jobs: &[Job]) -> Batch {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // A Strava export is one job that reads many files.
    let strava = |j: &Job| match j {
        Job::StravaFolder(_) => true,
        Job::File { path, .. } => path.file_name().is_some_and(|n| n == "activities.csv"),
    };
    let show = (jobs.len() > 1 || jobs.iter().any(strava)) && !ctx.out.quiet && ctx.settings.term.stderr;
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
    let batch = batch::read_jobs(jobs, threads, &|p| match p {
        Progress::More(n) => bar.inc_length(n),
        Progress::Done => bar.inc(1),
    });
    bar.finish_and_clear();
    batch
}

fn report(ctx: &Ctx, a: &ImportArgs, batch: &Batch, data: &Data, outcome: &Outcome) -> Result<()> {
    let runs: Vec<_> = outcome.imported.iter().filter_map(|id| data.run(*id)).collect();
    let not_runs: Vec<&(String, String)> = batch.nothing.iter().chain(&outcome.unfit).collect();
    if ctx.out.json {
        let skipped: Vec<_> = outcome
            .duplicates
            .iter()
            .chain(not_runs.iter().copied())
            .map(|(path, reason)| json!({ "path": path, "reason": reason }))
            .collect();
        let failed: Vec<_> = batch
            .failed
            .iter()
            .map(|(path, error)| json!({ "path": path, "error": error }))
            .collect();
        let imported: Vec<RunView> = runs.iter().map(|r| RunView::new(r, data)).collect();
        ctx.out
            .json(&json!({ "imported": imported, "skipped": skipped, "failed": failed }))?;
    } else if !runs.is_empty() && !ctx.out.quiet {
        ctx.out
            .print(&ctx.out.render(&runs_table(&ctx.out, runs.iter().copied(), data)))?;
    }
    let here = std::env::current_dir().ok();
    let short = |path: &str| -> String {
        here.as_deref()
            .and_then(|h| std::path::Path::new(path).strip_prefix(h).ok())
            .map_or_else(|| path.to_string(), |p| p.display().to_string())
    };
    for (path, error) in &batch.failed {
        ctx.out.warn(&format!("{}: {error}", short(path)));
    }
    for (path, reason) in not_runs.iter().take(LISTED_SKIPS) {
        ctx.out.note(&format!("skipped {}: {reason}", short(path)));
    }
    if not_runs.len() > LISTED_SKIPS {
        ctx.out.note(&format!(
            "… and {} more skipped as not runs (see --json for all)",
            not_runs.len() - LISTED_SKIPS
        ));
    }
    for id in &outcome.new_shoes {
        if let Some(s) = data.shoe(*id) {
            let verb = if a.dry_run { "would add" } else { "added" };
            ctx.out.note(&format!("{verb} shoe {} from the Strava gear", s.name));
        }
    }
    ctx.out
        .note(&summary(a, ctx.units(&data.config), batch, outcome, &runs));
    Ok(())
}

fn summary(a: &ImportArgs, units: Units, batch: &Batch, outcome: &Outcome, runs: &[&crate::model::Run]) -> String {
    let total = runs.iter().fold(0.0, |sum, r| sum + r.distance_m);
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let head = if a.dry_run { "Dry run: would import" } else { "Imported" };
    let mut s = format!(
        "{head} {} ({}) from {}; skipped {} already logged, {} not a run; {} failed.",
        plural(runs.len(), "run", "runs"),
        Distance(total).display(units),
        plural(batch.files, "file", "files"),
        outcome.duplicates.len(),
        batch.nothing.len() + outcome.unfit.len(),
        batch.failed.len()
    );
    if a.dry_run {
        s.push_str(" Nothing was written.");
    } else if !batch.failed.is_empty() && !runs.is_empty() {
        s.push_str(" The runs that could be read were saved; the failed files were not.");
    }
    s
}
