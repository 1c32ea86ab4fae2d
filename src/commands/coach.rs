//! `lumbar coach [--since WHEN] [--explain]`: the risk review, its insights and the next run.

use anyhow::Result;
use serde_json::json;

use super::Ctx;
use crate::cli::CoachArgs;
use crate::model::when;
use crate::output::flags::{how_to_start, render_explain, render_review};
use crate::rules::{self, History, Settings, catalog};

pub fn run(ctx: &mut Ctx, a: CoachArgs) -> Result<()> {
    let since = a.since.map(|w| w.bound(false, "since")).transpose()?;
    let data = ctx.load()?;
    let settings = Settings::from_data(&data, ctx.out.units);
    if a.explain {
        let rules = catalog::rules(&settings.thresholds);
        if ctx.out.json {
            return ctx.out.json(&json!({
                "rules": rules,
                "insights": {
                    "min_runs_each_side": settings.thresholds.insight_min_runs,
                    "pain_after_hours": rules::thresholds::PAIN_AFTER_HOURS,
                    "factors": ["no-warmup", "no-stretch", "hard-surface", "worn-shoes"],
                },
            }));
        }
        return ctx.out.print(&render_explain(&ctx.out, &rules));
    }
    let h = History::new(&data, since, when::now(), settings);
    let review = rules::review(&h);
    if ctx.out.json {
        return ctx.out.json(&review);
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
    ctx.out.print(&render_review(&ctx.out, &review, &scope(&h)))
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
