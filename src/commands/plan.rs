//! `lumbar plan [--days N] [--runs-per-week N] [--long-day DAY] [--ics FILE [--force]]`: the
//! days ahead from the coach's own decision. Reads the store, never writes it; `--ics FILE` is
//! written by `fsutil::write_new_file` with export's no-overwrite rules.

use std::path::Path;

use anyhow::Result;

use super::Ctx;
use crate::cli::PlanArgs;
use crate::error::UsageError;
use crate::output::plan::{PlanView, ics, render};
use crate::plan::{Options, make};

pub fn run(ctx: &mut Ctx, a: PlanArgs) -> Result<()> {
    let ics_to_stdout = a.ics.as_deref() == Some(Path::new("-"));
    if ics_to_stdout && ctx.out.json {
        return Err(UsageError(
            "--json prints one JSON document, so the calendar cannot go to stdout with it: give --ics a FILE".into(),
        )
        .into());
    }
    let target = a.ics.clone().filter(|_| !ics_to_stdout);
    let keep = ctx.store.keep();
    if let Some(path) = &target {
        // Refuse before any work; the write checks again.
        crate::fsutil::check_new_file(path, a.force, &keep, crate::fsutil::OutputFlag::ICS)?;
    }
    let data = ctx.load()?;
    let units = ctx.units(&data.config);
    let now = ctx.settings.now;
    let plan = make(
        &data,
        now,
        &Options {
            days: a.days,
            runs_per_week: a.runs_per_week,
            long_day: a.long_day.map(|d| d.0),
        },
    );
    if ics_to_stdout {
        return ctx.out.print(&ics(&plan, units, now));
    }
    if let Some(path) = &target {
        crate::fsutil::write_new_file(
            path,
            ics(&plan, units, now).as_bytes(),
            a.force,
            &keep,
            crate::fsutil::OutputFlag::ICS,
        )?;
    }
    if ctx.out.json {
        ctx.out.json(&PlanView::new(&plan, units))?;
    } else {
        ctx.out.print(&render(&ctx.out, &plan, units))?;
    }
    if let Some(path) = &target {
        ctx.out.done(&format!(
            "Wrote {} day{} to {} (one all-day event a day; import it into your calendar)",
            plan.days.len(),
            if plan.days.len() == 1 { "" } else { "s" },
            crate::fsutil::shown(path)
        ));
    }
    Ok(())
}
