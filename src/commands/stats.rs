//! `lumbar stats`: a table per ISO week, then a chart of weekly distance with pain beside it.

use anyhow::Result;
use chrono::Local;
use serde::Serialize;

use super::Ctx;
use crate::cli::StatsArgs;
use crate::model::{Distance, Duration, Pace, Units};
use crate::output::chart::{self, Bar};
use crate::output::views::round;
use crate::output::{Column, Table};
use crate::stats::{self, Week};

/// One week in `--json`: metres and seconds whatever the display units.
#[derive(Debug, Serialize)]
struct WeekView {
    /// The ISO week (`2026-W49`); `null` in the totals, which span many.
    week: Option<String>,
    /// The Monday the week (or the window) starts on.
    starts_on: String,
    distance_m: f64,
    runs: usize,
    duration_s: u64,
    pace_s_per_km: Option<f64>,
    hard_share: Option<f64>,
    warmup_rate: Option<f64>,
    pain_mean: Option<f64>,
    pain_max: Option<u8>,
    pain_entries: usize,
}

/// The whole window: how many weeks, then the same sums as a week (from the first Monday).
#[derive(Debug, Serialize)]
struct TotalsView {
    weeks: usize,
    #[serde(flatten)]
    sums: WeekView,
}

/// The `--json` document, in this field order (a `json!` map would sort the keys).
#[derive(Debug, Serialize)]
struct StatsDoc {
    weeks: Vec<WeekView>,
    totals: TotalsView,
}

impl WeekView {
    fn new(w: &Week) -> WeekView {
        WeekView {
            week: Some(w.label()),
            starts_on: w.start.to_string(),
            distance_m: round(w.distance_m, 1),
            runs: w.runs,
            duration_s: w.duration_s,
            pace_s_per_km: w.pace_s_per_km().map(|p| round(p, 1)),
            hard_share: w.hard_share().map(|s| round(s, 3)),
            warmup_rate: w.warmup_rate().map(|s| round(s, 3)),
            pain_mean: w.pain_mean().map(|p| round(p, 2)),
            pain_max: w.pain_max,
            pain_entries: w.pain_count,
        }
    }
}

pub fn run(ctx: &mut Ctx, a: StatsArgs) -> Result<()> {
    let data = ctx.load()?;
    let weeks = stats::weekly(&data, &Local, ctx.settings.now.date_naive(), a.weeks);
    let total = stats::total(&weeks);
    if ctx.out.json {
        // The totals span many weeks, so a single week label would mislead.
        let sums = WeekView {
            week: None,
            ..WeekView::new(&total)
        };
        return ctx.out.json(&StatsDoc {
            weeks: weeks.iter().map(WeekView::new).collect(),
            totals: TotalsView {
                weeks: weeks.len(),
                sums,
            },
        });
    }
    let units = ctx.units(&data.config);
    ctx.out.print(&ctx.out.render(&table(units, &weeks)))?;
    if !ctx.out.quiet {
        let line = summary(&total, weeks.len(), units, ctx.out.utf8);
        let line = match ctx.out.width() {
            Some(w) => crate::output::text::wrap_lines(&line, w, "", "  ").join("\n"),
            None => line,
        };
        ctx.out.print(&line)?;
    }
    if total.runs == 0 {
        let hint = if data.runs.is_empty() {
            "no runs yet: log one with `lumbar run add 5k 28:30`, then come back for the chart"
        } else {
            "no runs in these weeks: try a longer window, e.g. `lumbar stats --weeks 52`"
        };
        ctx.out.note(hint);
        return Ok(());
    }
    let bars: Vec<Bar> = weeks
        .iter()
        .map(|w| Bar {
            label: w.label(),
            value: Distance(w.distance_m).in_units(units),
            pain_mean: w.pain_mean(),
        })
        .collect();
    ctx.out
        .print(&format!("\n{}", chart::weekly_chart(&ctx.out, units.label(), &bars)))
}

/// The weekly table. On a narrow terminal the warm-up rate goes first, then the share on hard
/// surfaces, the pace, the time and the date the week starts; the week, distance, runs and pain
/// always stay.
fn table(units: Units, weeks: &[Week]) -> Table {
    let mut t = Table::new(vec![
        Column::new("week"),
        Column::new("from").priority(2),
        Column::new(units.label()).right(),
        Column::new("runs").right(),
        Column::new("time").right().priority(4),
        Column::new(format!("/{}", units.label()))
            .right()
            .priority(3)
            .named("pace"),
        Column::new("hard").right().priority(5),
        Column::new("warm-up").right().priority(1),
        Column::new("pain").right(),
        Column::new("max").right().priority(6).named("max pain"),
    ]);
    for w in weeks {
        t.row([
            w.label(),
            w.start.format("%Y-%m-%d").to_string(),
            format!("{:.1}", Distance(w.distance_m).in_units(units)),
            w.runs.to_string(),
            Duration(w.duration_s).to_string(),
            pace(w, units),
            percent(w.hard_share()),
            percent(w.warmup_rate()),
            w.pain_mean().map_or_else(|| "-".into(), |p| format!("{p:.1}")),
            w.pain_max.map_or_else(|| "-".into(), |p| p.to_string()),
        ]);
    }
    t
}

/// "5:08" in the display units, "-" for a week without distance.
fn pace(w: &Week, units: Units) -> String {
    match w.pace_s_per_km() {
        Some(p) => Pace(p).display(units).split(' ').next().unwrap_or_default().to_string(),
        None => "-".into(),
    }
}

fn percent(share: Option<f64>) -> String {
    share.map_or_else(|| "-".into(), |s| format!("{:.0}%", s * 100.0))
}

/// "12 weeks · 31 runs · 248.6 km · 23:41:10 · 5:43 /km · mean pain 1.9 (max 6)".
fn summary(total: &Week, weeks: usize, units: Units, utf8: bool) -> String {
    let mut parts = vec![
        format!("{weeks} week{}", if weeks == 1 { "" } else { "s" }),
        format!("{} run{}", total.runs, if total.runs == 1 { "" } else { "s" }),
        format!("{:.1} {}", Distance(total.distance_m).in_units(units), units.label()),
        Duration(total.duration_s).to_string(),
    ];
    if let Some(p) = total.pace_s_per_km() {
        parts.push(Pace(p).display(units));
    }
    if let (Some(mean), Some(max)) = (total.pain_mean(), total.pain_max) {
        parts.push(format!("mean pain {mean:.1} (max {max})"));
    }
    parts.join(if utf8 { " · " } else { ", " })
}
