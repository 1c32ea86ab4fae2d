//! `lumbar coach [--since WHEN] [--explain]`: the risk review, its insights and the next run.

use anyhow::Result;

use super::Ctx;
use crate::cli::CoachArgs;
use crate::output::explain::{explain_json, render_explain, rules as explained};
use crate::output::review::{ReviewView, how_to_start, render_review};
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
    if ctx.out.json {
        return ctx.out.json(&ReviewView::new(&review, units));
    }
    if h.runs.is_empty() && h.pain.is_empty() {
        let text = match since {
            Some(s) if !data.runs.is_empty() || !data.pain.is_empty() => format!(
                "Nothing logged since {}; try an earlier --since, or leave it out to review everything.",
                s.format("%Y-%m-%d")
            ),
            _ => how_to_start(),
        };
        return ctx.out.print(&text);
    }
    ctx.out.print(&render_review(&ctx.out, units, &review, &scope(&h)))
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
