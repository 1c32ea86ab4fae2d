//! `lumbar coach [--full] [--check] [--since WHEN] [--explain]`: the next-run decision first,
//! then the risk review and its insights.

use anyhow::Result;

use super::Ctx;
use crate::cli::CoachArgs;
use crate::error::SilentExit;
use crate::output::decision::decision_line;
use crate::output::explain::{explain_json, render_explain, rules as explained};
use crate::output::review::{ReviewView, how_to_start, render_review, render_short};
use crate::rules::{self, History, Thresholds};

pub fn run(ctx: &mut Ctx, a: CoachArgs) -> Result<()> {
    let now = ctx.settings.now;
    let since = a.since.map(|w| w.bound(now, false, "since")).transpose()?;
    let data = ctx.load()?;
    let thresholds = Thresholds::from_config(&data.config);
    if a.explain {
        if ctx.out.json {
            return ctx.out.json(&explain_json(&thresholds));
        }
        return ctx.out.print(&render_explain(&ctx.out, &explained(&thresholds)));
    }
    let units = ctx.units(&data.config);
    let h = History::new(&data, since, now, thresholds);
    let review = rules::review(&h);
    let light = review.next.light;
    if ctx.out.json {
        ctx.out.json(&ReviewView::new(&review, units))?;
    } else if a.check && !a.full {
        if !ctx.out.quiet {
            ctx.out.print(&decision_line(&ctx.out, &review.next, units))?;
        }
    } else if data.runs.is_empty() && data.pain.is_empty() {
        ctx.out.print(&how_to_start())?;
    } else {
        let mut text = String::new();
        if let Some(s) = since.filter(|_| h.runs.is_empty() && h.pain.is_empty()) {
            text = format!(
                "Nothing logged since {}; try an earlier --since, or leave it out to review everything. The \
                 decision below reads everything.\n\n",
                s.format("%Y-%m-%d")
            );
        }
        text.push_str(&if a.full {
            render_review(&ctx.out, units, &review, &scope(&h))
        } else {
            render_short(&ctx.out, units, &review)
        });
        ctx.out.print(&text)?;
    }
    // `--check`: the light is the exit status (the output above is already written).
    match light.exit_code() {
        code if a.check && code != 0 => Err(SilentExit(code).into()),
        _ => Ok(()),
    }
}

/// "Review of 140 runs and 131 pain entries, 2026-09-01 to 2026-11-25".
fn scope(h: &History) -> String {
    let first = [h.runs.first().map(|r| r.start), h.pain.first().map(|p| p.at)]
        .into_iter()
        .flatten()
        .min();
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!(
        "Review of {} and {}",
        plural(h.runs.len(), "run", "runs"),
        plural(h.pain.len(), "pain entry", "pain entries")
    );
    if let Some(f) = first {
        s.push_str(&format!(", {} to {}", f.format("%Y-%m-%d"), h.today()));
    }
    s
}
