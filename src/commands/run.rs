//! `lumbar run add|list|show|edit|rm`.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::{ListArgs, RmArgs, RunAdd, RunCommand, RunDetails, RunEdit};
use crate::error::{InputError, UsageError};
use crate::model::{Data, Distance, DistanceInput, Duration, Pace, Rpe, Run, Surface, Units};
use crate::output::decision::{NextView, decision_line, tone as decision_tone};
use crate::output::flags::{brief_flags, flag_views};
use crate::output::views::{RunView, runs_table, short_time};
use crate::rules::decision::{Decision, Timeline, decide_now};
use crate::rules::entry::{self, Entry};
use crate::rules::{Flag, History, Severity, Thresholds};
use crate::settings::Settings;
use crate::shoes;

pub fn run(ctx: &mut Ctx, cmd: RunCommand) -> Result<()> {
    match cmd {
        RunCommand::Add(a) => add(ctx, a),
        RunCommand::List(a) => list(ctx, a),
        RunCommand::Show(a) => show(ctx, a.id),
        RunCommand::Edit(a) => edit(ctx, a),
        RunCommand::Rm(a) => rm(ctx, a),
    }
}

fn add(ctx: &mut Ctx, a: RunAdd) -> Result<()> {
    let now = ctx.settings.now;
    // Check what can be checked without the store before asking anything.
    let start = match a.details.date {
        Some(w) => w.resolve_at(now, "date")?,
        None => now,
    };
    if let DistanceInput::Metres(_) = a.distance {
        let distance = a.distance.resolve(Units::Km, "distance")?;
        Pace::of(distance, a.duration).check()?;
    }
    let mut warmup = a.details.warmup();
    let mut stretch = a.details.stretch();
    if ctx.out.interactive && !ctx.out.json {
        if warmup.is_none() {
            warmup = ctx.ask_yes_no("Did you warm up before this run?")?;
        }
        if stretch.is_none() {
            stretch = ctx.ask_yes_no("Did you stretch afterwards?")?;
        }
    }
    let settings = ctx.settings;
    // One locked read-modify-write: the store is read once, the rules run once over the recent
    // history (borrowed, not copied), and the entry and the flags it printed are written once.
    let (run, shoe, units, flags, next) = ctx.store.update(|data| {
        let distance = a.distance.resolve(data.config.units, "distance")?;
        Pace::of(distance, a.duration).check()?;
        let shoe_id = match &a.details.shoe {
            Some(typed) => shoe_arg(data, typed)?,
            None => data.default_shoe().map(|s| s.id),
        };
        let run = Run {
            id: 0,
            start,
            distance_m: distance.metres(),
            duration_s: a.duration.seconds(),
            moving_s: None,
            surface: a.details.surface.or(data.config.surface),
            warmup,
            stretch,
            shoe_id,
            rpe: a.details.rpe,
            notes: a.details.notes.clone().filter(|n| !n.is_empty()),
            source: None,
            avg_hr: None,
            avg_cadence: None,
        };
        let id = data.add_run(run);
        let (run, mut flags) = {
            let run = data.run(id).expect("just added");
            let h = History::recent(data, run.start, now, Thresholds::from_config(&data.config));
            let flags = entry::flags_after(&h, Entry::Run(run), &data.flags_shown);
            (run.clone(), shown_after_entry(&settings, flags))
        };
        entry::remember(&mut data.flags_shown, &flags, now);
        let shoe = shoe_id.and_then(|s| data.shoe(s)).map(|s| s.name.clone());
        let next = decide_now(&Timeline::new(data), now);
        crate::rules::fit_advice_to(&next, &mut flags);
        Ok((run, shoe, settings.units(&data.config), flags, next))
    })?;
    if ctx.out.json {
        let view = RunView::with_shoe(&run, shoe.as_deref());
        return ctx.out.json(&json!({
            "run": view,
            "flags": flag_views(&flags, units),
            "next": NextView::new(&next, units),
        }));
    }
    if ctx.out.quiet {
        // `-q`: the new id alone on stdout, for scripts.
        ctx.out.print(&run.id.to_string())?;
    }
    ctx.out.done(&ctx.out.wrap_on_terminal(
        &format!("Logged run {}: {}", run.id, describe(units, &run, shoe.as_deref())),
        "",
        "  ",
    ));
    // The answer first (the light and the cap), then what the run raised.
    print_decision(ctx, units, &next)?;
    print_flags(ctx, units, &flags)
}

/// The decision line after a new entry, so the runner learns the light and the cap at once.
pub(super) fn print_decision(ctx: &Ctx, units: Units, next: &Decision) -> Result<()> {
    if ctx.out.quiet {
        return Ok(());
    }
    let line = ctx
        .out
        .wrap_on_terminal(&decision_line(&ctx.out, next, units), "", "  ");
    ctx.out.print(&ctx.out.paint(decision_tone(next.light), &line))
}

/// Shoe argument: a name, prefix or id; `none` for no shoe.
fn shoe_arg(data: &Data, typed: &str) -> Result<Option<u64>, InputError> {
    if typed.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    shoes::resolve(data, typed).map(Some)
}

/// Of the flags chosen after a new entry, the ones this call shows (and so remembers): all of
/// them in `--json`, where they are part of the document; only urgent ones with `-q` (a red
/// flag is never silenced).
pub(super) fn shown_after_entry(settings: &Settings, flags: Vec<Flag>) -> Vec<Flag> {
    if settings.json || !settings.quiet {
        return flags;
    }
    flags.into_iter().filter(|f| f.severity == Severity::Urgent).collect()
}

/// The flags a new entry raised, in the short form.
pub(super) fn print_flags(ctx: &Ctx, units: Units, flags: &[Flag]) -> Result<()> {
    if !flags.is_empty() {
        ctx.out.essential(&brief_flags(&ctx.out, units, flags))?;
    }
    Ok(())
}

/// One line about a run: "Tue 2026-11-24 07:30 · 8.20 km in 42:10 (5:08 /km) · trail · …".
fn describe(u: Units, r: &Run, shoe: Option<&str>) -> String {
    let mut parts = vec![
        short_time(r.start),
        format!(
            "{} in {} ({})",
            r.distance().display(u),
            r.duration(),
            r.pace().display(u)
        ),
    ];
    if let Some(s) = r.surface {
        parts.push(s.to_string());
    }
    if let Some(w) = r.warmup {
        parts.push(format!("warm-up {}", if w { "yes" } else { "no" }));
    }
    if let Some(s) = r.stretch {
        parts.push(format!("stretch {}", if s { "yes" } else { "no" }));
    }
    if let Some(shoe) = shoe {
        parts.push(format!("shoe {}", crate::output::text::escape(shoe)));
    }
    parts.join(" · ")
}

fn list(ctx: &mut Ctx, a: ListArgs) -> Result<()> {
    let data = ctx.load()?;
    let now = ctx.settings.now;
    let since = a.since.map(|w| w.bound(now, false, "since")).transpose()?;
    let until = a.until.map(|w| w.bound(now, true, "until")).transpose()?;
    let mut runs: Vec<&Run> = data
        .runs
        .iter()
        .rev()
        .filter(|r| since.is_none_or(|s| r.start >= s) && until.is_none_or(|u| r.start <= u))
        .collect();
    if let Some(n) = a.limit {
        runs.truncate(n);
    }
    if ctx.out.json {
        let views: Vec<RunView> = runs.iter().map(|r| RunView::new(r, &data)).collect();
        return ctx.out.json(&json!({ "runs": views }));
    }
    if runs.is_empty() {
        let hint = if data.runs.is_empty() {
            "no runs yet: log one with `lumbar run add 5k 28:30`"
        } else {
            "no runs in that range"
        };
        ctx.out.note(hint);
        return Ok(());
    }
    ctx.out
        .print(&ctx.out.render(&runs_table(&ctx.out, runs.iter().copied(), &data)))?;
    if !ctx.out.quiet {
        let total: f64 = runs.iter().map(|r| r.distance_m).sum();
        let time: u64 = runs.iter().map(|r| r.duration_s).sum();
        let dot = if ctx.out.utf8 { "·" } else { "-" };
        ctx.out.print(&format!(
            "{} run{} {dot} {} {dot} {}",
            runs.len(),
            if runs.len() == 1 { "" } else { "s" },
            Distance(total).display(ctx.units(&data.config)),
            Duration(time)
        ))?;
    }
    Ok(())
}

fn find(data: &Data, id: u64) -> Result<&Run, InputError> {
    data.run(id).ok_or_else(|| {
        InputError::new(
            "run id",
            &id.to_string(),
            "the id of a logged run (see `lumbar run list`)",
        )
    })
}

fn show(ctx: &mut Ctx, id: u64) -> Result<()> {
    let data = ctx.load()?;
    let run = find(&data, id)?;
    if ctx.out.json {
        return ctx.out.json(&json!({ "run": RunView::new(run, &data) }));
    }
    ctx.out
        .print(&ctx.out.render(&runs_table(&ctx.out, std::iter::once(run), &data)))?;
    let mut extra = Vec::new();
    if let Some(r) = run.rpe {
        extra.push(format!("rpe: {r}/10"));
    }
    if let Some(m) = run.moving_s {
        extra.push(format!("moving time: {}", Duration(m)));
    }
    if let Some(hr) = run.avg_hr {
        extra.push(format!("average heart rate: {hr:.0} bpm"));
    }
    if let Some(c) = run.avg_cadence {
        extra.push(format!("average cadence: {c:.0} spm"));
    }
    if let Some(n) = &run.notes {
        extra.push(format!("notes: {}", crate::output::text::escape(n)));
    }
    if let Some(s) = &run.source {
        extra.push(format!("source: {}", crate::output::text::escape(s)));
    }
    if !extra.is_empty() {
        ctx.out.print(&extra.join("\n"))?;
    }
    Ok(())
}

fn edit(ctx: &mut Ctx, a: RunEdit) -> Result<()> {
    let d = &a.details;
    let nothing = a.distance.is_none()
        && a.duration.is_none()
        && d.date.is_none()
        && d.surface.is_none()
        && d.warmup().is_none()
        && d.stretch().is_none()
        && d.shoe.is_none()
        && d.rpe.is_none()
        && d.notes.is_none();
    if nothing {
        return Err(UsageError(
            "nothing to change: give at least one option, e.g. --surface trail (see `lumbar run edit --help`)".into(),
        )
        .into());
    }
    let start = d.date.map(|w| w.resolve_at(ctx.settings.now, "date")).transpose()?;
    let settings = ctx.settings;
    let (run, shoe, units) = ctx.store.update(|data| {
        let distance = a
            .distance
            .map(|x| x.resolve(data.config.units, "distance"))
            .transpose()?;
        let shoe = d.shoe.as_deref().map(|t| shoe_arg(data, t)).transpose()?;
        let run = data.runs.iter_mut().find(|r| r.id == a.id);
        let run = run.ok_or_else(|| {
            InputError::new(
                "run id",
                &a.id.to_string(),
                "the id of a logged run (see `lumbar run list`)",
            )
        })?;
        apply(run, distance, a.duration, start, d, shoe)?;
        let run = run.clone();
        data.sort();
        let shoe = run.shoe_id.and_then(|s| data.shoe(s)).map(|s| s.name.clone());
        Ok((run, shoe, settings.units(&data.config)))
    })?;
    if ctx.out.json {
        return ctx
            .out
            .json(&json!({ "run": RunView::with_shoe(&run, shoe.as_deref()) }));
    }
    ctx.out.done(&format!(
        "Updated run {}: {}",
        run.id,
        describe(units, &run, shoe.as_deref())
    ));
    Ok(())
}

fn apply(
    run: &mut Run,
    distance: Option<Distance>,
    duration: Option<Duration>,
    start: Option<chrono::DateTime<chrono::FixedOffset>>,
    d: &RunDetails,
    shoe: Option<Option<u64>>,
) -> Result<(), InputError> {
    if let Some(x) = distance {
        run.distance_m = x.metres();
    }
    if let Some(x) = duration {
        run.duration_s = x.seconds();
    }
    run.pace().check()?;
    if let Some(x) = start {
        run.start = x;
    }
    if let Some(s) = d.surface {
        run.surface = Some::<Surface>(s);
    }
    if let Some(w) = d.warmup() {
        run.warmup = Some(w);
    }
    if let Some(s) = d.stretch() {
        run.stretch = Some(s);
    }
    if let Some(s) = shoe {
        run.shoe_id = s;
    }
    if let Some(r) = d.rpe {
        run.rpe = Some::<Rpe>(r);
    }
    if let Some(n) = &d.notes {
        run.notes = if n.is_empty() { None } else { Some(n.clone()) };
    }
    Ok(())
}

fn rm(ctx: &mut Ctx, a: RmArgs) -> Result<()> {
    let data = ctx.load()?;
    let run = find(&data, a.id)?;
    let what = format!(
        "run {} ({}, {})",
        run.id,
        short_time(run.start),
        run.distance().display(ctx.units(&data.config))
    );
    if !ctx.confirm_removal(&what, a.yes)? {
        ctx.out.note("kept it");
        return Ok(());
    }
    ctx.store.update(|data| {
        let before = data.runs.len();
        data.runs.retain(|r| r.id != a.id);
        if data.runs.len() == before {
            return Err(InputError::new(
                "run id",
                &a.id.to_string(),
                "the id of a logged run (it was just removed)",
            )
            .into());
        }
        // Pain entries keep their record but no longer point at a run that is gone.
        for p in data.pain.iter_mut().filter(|p| p.run_id == Some(a.id)) {
            p.run_id = None;
        }
        Ok(())
    })?;
    if ctx.out.json {
        return ctx.out.json(&json!({ "removed": { "run_id": a.id } }));
    }
    ctx.out.done(&format!("Removed {what}"));
    Ok(())
}
