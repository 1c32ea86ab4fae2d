//! The report's charts as inline SVG: weekly distance with pain beside it, every pain entry on
//! a time line with its run, long runs against the 30-day longest, habits by week, shoe wear.
//!
//! Each chart is kept simple and readable in black and white: values are told apart by shape,
//! pattern and label, never by colour alone. Each has a caption that says in words what it shows
//! (the SVG is labelled by it for screen readers), and a table of its numbers in a closed
//! `<details>` (not printed). Periods longer than [`super::figures::MAX_BARS`] weeks are drawn
//! in blocks of weeks, so the page stays small however long the history.

use std::fmt::Write as _;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use maud::{Markup, html};

use super::figures::{Charts, LongRunBar, Report, TimelineEntry, WeekBar};
use super::words::{day, dist, dist_fig, fig, level, minute, pct, pct_fig, timing, typed};
use crate::model::{Timing, Units};
use crate::output::text::escape;

/// The width of every chart in SVG units; heights vary.
const W: f64 = 400.0;

/// A coordinate with at most one decimal, so the file stays small.
fn n(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// The top of an axis: 1, 2, 2.5 or 5 times a power of ten, at or above `v`.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return 1.0;
    }
    let p = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&t| t >= v - 1e-9)
        .unwrap_or(10.0 * p)
}

fn tick(v: f64) -> String {
    level(v)
}

/// The label under a bar: its first day for single weeks, the month or the year for blocks.
fn bar_label(from: NaiveDate, weeks: u32) -> String {
    match weeks {
        1 => from.format("%-d %b").to_string(),
        2..=51 => from.format("%b %Y").to_string(),
        _ => from.format("%Y").to_string(),
    }
}

/// "the week of 2026-11-23" or "the 4 weeks from 2026-11-02".
fn bar_words(from: NaiveDate, weeks: u32) -> String {
    if weeks == 1 {
        format!("the week of {}", day(from))
    } else {
        format!("the {weeks} weeks from {}", day(from))
    }
}

/// Which bars get a label under them: about six, the last one always.
fn labelled(i: usize, bars: usize) -> bool {
    let every = bars.div_ceil(6).max(1);
    (bars - 1 - i).is_multiple_of(every)
}

/// The chart section: a heading and the five figures.
pub fn section(r: &Report, u: Units) -> Markup {
    html! {
        section #charts aria-labelledby="charts-title" {
            h2 #charts-title { "Charts" }
            div.charts {
                (weekly(r, u))
                (timeline(r, u))
                (long_runs(r, u))
                (habits(r))
                (shoes(r, u))
            }
        }
    }
}

/// One chart: title, drawing (or a line saying there is nothing to draw), caption, numbers.
fn figure(id: &str, title: &str, drawing: Option<Markup>, caption: Markup, numbers: Markup) -> Markup {
    html! {
        figure id=(format!("chart-{id}")) {
            h3 { (title) }
            @if let Some(svg) = drawing {
                (svg)
            }
            figcaption id=(format!("cap-{id}")) { (caption) }
            details {
                summary { "The numbers" }
                (numbers)
            }
        }
    }
}

/// The SVG element of chart `id`, labelled by its caption.
fn svg(id: &str, h: f64, body: Markup) -> Markup {
    html! {
        svg viewBox=(format!("0 0 {} {}", n(W), n(h))) role="img" aria-labelledby=(format!("cap-{id}")) {
            (body)
        }
    }
}

/// The x centre of bar `i` of `bars` between `x0` and `x1`.
fn centre(i: usize, bars: usize, x0: f64, x1: f64) -> f64 {
    x0 + (x1 - x0) / bars as f64 * (i as f64 + 0.5)
}

fn bar_width(bars: usize, x0: f64, x1: f64) -> f64 {
    ((x1 - x0) / bars as f64 * 0.7).max(1.0)
}

fn x_labels(bars: &[WeekBar], bar_weeks: u32, x0: f64, x1: f64, y: f64) -> Markup {
    let last = bars.len().saturating_sub(1);
    // The last label ends at the plot's right edge, so it is never cut off.
    html! {
        @for (i, b) in bars.iter().enumerate() {
            @if i == last {
                text.ax x=(n(x1)) y=(n(y)) text-anchor="end" { (bar_label(b.from, bar_weeks)) }
            } @else if labelled(i, bars.len()) && i + 1 < last {
                text.ax x=(n(centre(i, bars.len(), x0, x1))) y=(n(y)) text-anchor="middle" { (bar_label(b.from, bar_weeks)) }
            }
        }
    }
}

fn no_runs(r: &Report) -> bool {
    r.period.runs == 0
}

// ---- 1. Weekly distance with pain beside it ----

fn weekly(r: &Report, u: Units) -> Markup {
    let c = &r.charts;
    let bars = &c.weekly;
    let unit = u.label();
    let drawing = (!no_runs(r) || r.period.pain_entries > 0).then(|| weekly_svg(c, u));
    let numbers = html! {
        table {
            thead { tr { th { "from" } th { "runs" } th { (unit) } th { "mean pain" } th { "worst" } } }
            tbody {
                @for (i, b) in bars.iter().enumerate() {
                    @let p = format!("/charts/weekly/{i}");
                    tr {
                        td { (fig(&format!("{p}/from"), "date", day(b.from))) }
                        td { (fig(&format!("{p}/runs"), "num", b.runs.to_string())) }
                        td { (dist_fig(&format!("{p}/distance_m"), u, b.distance_m)) }
                        td { @match b.pain_mean { Some(m) => (fig(&format!("{p}/pain_mean"), "num", format!("{m:.1}"))), None => "–" } }
                        td { @match b.pain_max { Some(m) => (fig(&format!("{p}/pain_max"), "num", m.to_string())), None => "–" } }
                    }
                }
            }
        }
    };
    figure(
        "weekly",
        "Distance each week, with pain beside it",
        drawing,
        html! { (weekly_caption(r, u)) },
        numbers,
    )
}

fn weekly_caption(r: &Report, u: Units) -> String {
    let c = &r.charts;
    let bars = &c.weekly;
    let each = if c.bar_weeks == 1 {
        "each week".to_string()
    } else {
        format!("each block of {} weeks", c.bar_weeks)
    };
    let mut s = format!(
        "Bars: the distance run in {each} from {} to {}, in {} (the last bar is this week so far)",
        day(r.period.from),
        day(r.period.to),
        u.label()
    );
    if let Some((i, b)) = bars
        .iter()
        .enumerate()
        .filter(|(_, b)| b.runs > 0)
        .max_by(|a, b| a.1.distance_m.total_cmp(&b.1.distance_m))
    {
        let mean = bars.iter().map(|b| b.distance_m).sum::<f64>() / bars.len() as f64;
        let _ = write!(
            s,
            "; the most was {} {} in {}, the mean {} {}",
            dist(u, b.distance_m),
            u.label(),
            bar_words(bars[i].from, bars[i].weeks),
            dist(u, mean),
            u.label()
        );
    } else {
        s.push_str("; no runs were logged");
    }
    s.push_str(
        ". Dots joined by a line: the mean pain of the entries of each bar, on the 0–10 scale at the right, with a \
         short bar at the worst entry; no dot where nothing was logged.",
    );
    if let Some(b) = bars
        .iter()
        .filter(|b| b.pain_mean.is_some())
        .max_by(|a, b| a.pain_mean.unwrap_or(0.0).total_cmp(&b.pain_mean.unwrap_or(0.0)))
    {
        let _ = write!(
            s,
            " Mean pain was highest in {}: {}/10, worst {}/10.",
            bar_words(b.from, b.weeks),
            level(b.pain_mean.unwrap_or(0.0)),
            b.pain_max.unwrap_or(0)
        );
    }
    s
}

fn weekly_svg(c: &Charts, u: Units) -> Markup {
    let bars = &c.weekly;
    let (h, x0, x1, y0, y1) = (196.0, 34.0, W - 26.0, 28.0, 172.0);
    let values: Vec<f64> = bars.iter().map(|b| b.distance_m / u.metres()).collect();
    let top = nice_ceiling(values.iter().copied().fold(0.0, f64::max));
    let yd = |v: f64| y1 - v / top * (y1 - y0);
    let yp = |p: f64| y1 - p / 10.0 * (y1 - y0);
    let cx = |i: usize| centre(i, bars.len(), x0, x1);
    let bw = bar_width(bars.len(), x0, x1);
    // The pain line is broken where a bar has no entry.
    let mut segments: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, b) in bars.iter().enumerate() {
        match b.pain_mean {
            Some(m) => segments.last_mut().map(|s| s.push((cx(i), yp(m)))).unwrap_or_default(),
            None if segments.last().is_some_and(|s| !s.is_empty()) => segments.push(Vec::new()),
            None => {}
        }
    }
    let points = |s: &[(f64, f64)]| {
        s.iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let body = html! {
        g.legend {
            rect.bar x=(n(x0)) y="6" width="10" height="9" {}
            text x=(n(x0 + 14.0)) y="14" { (u.label()) " run" }
            circle.pain cx=(n(x0 + 86.0)) cy="10.5" r="3.2" {}
            text x=(n(x0 + 93.0)) y="14" { "mean pain (right, 0–10)" }
            line.worst x1=(n(x0 + 236.0)) x2=(n(x0 + 246.0)) y1="10.5" y2="10.5" {}
            text x=(n(x0 + 250.0)) y="14" { "worst" }
        }
        @for t in [0.0, top / 2.0, top] {
            line.grid x1=(n(x0)) x2=(n(x1)) y1=(n(yd(t))) y2=(n(yd(t))) {}
            text.ax x=(n(x0 - 4.0)) y=(n(yd(t) + 4.0)) text-anchor="end" { (tick(t)) }
        }
        @for p in [0.0, 5.0, 10.0] {
            text.ax x=(n(x1 + 4.0)) y=(n(yp(p) + 4.0)) { (tick(p)) }
        }
        @for (i, b) in bars.iter().enumerate() {
            @if values[i] > 0.0 {
                rect.bar x=(n(cx(i) - bw / 2.0)) y=(n(yd(values[i]))) width=(n(bw)) height=(n(y1 - yd(values[i]))) {
                    title { (bar_words(b.from, b.weeks)) ": " (dist(u, b.distance_m)) " " (u.label()) ", " (b.runs) " runs" }
                }
            }
        }
        line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(y1)) y2=(n(y1)) {}
        @for s in segments.iter().filter(|s| s.len() > 1) {
            polyline.pain points=(points(s)) {}
        }
        @for (i, b) in bars.iter().enumerate() {
            @if let (Some(m), Some(max)) = (b.pain_mean, b.pain_max) {
                line.range x1=(n(cx(i))) x2=(n(cx(i))) y1=(n(yp(m))) y2=(n(yp(f64::from(max)))) {}
                line.worst x1=(n(cx(i) - 4.0)) x2=(n(cx(i) + 4.0)) y1=(n(yp(f64::from(max)))) y2=(n(yp(f64::from(max)))) {}
                circle.pain cx=(n(cx(i))) cy=(n(yp(m))) r="3.2" {
                    title { (bar_words(b.from, b.weeks)) ": mean pain " (level(m)) "/10, worst " (max) "/10, " (b.pain_entries) " entries" }
                }
            }
        }
        (x_labels(bars, c.bar_weeks, x0, x1, h - 8.0))
    };
    svg("weekly", h, body)
}

// ---- 2. Every pain entry on a time line, with its run ----

fn timeline(r: &Report, u: Units) -> Markup {
    let t = &r.charts.timeline;
    let drawing = (r.period.pain_entries > 0 || r.period.runs > 0).then(|| {
        if t.by_entry {
            timeline_svg(r, u)
        } else {
            blocks_svg(r, u)
        }
    });
    let numbers = if t.by_entry {
        let run_of = |id: Option<u64>| id.and_then(|id| t.runs.iter().find(|x| x.run_id == id));
        html! {
            table {
                thead { tr { th { "when" } th { "pain" } th { "felt" } th { "its run" } th { "note" } } }
                tbody {
                    @for (i, e) in t.entries.iter().enumerate() {
                        @let p = format!("/charts/timeline/entries/{i}");
                        tr {
                            td { (fig(&format!("{p}/at"), "date", minute(e.at))) }
                            td { (fig(&format!("{p}/level"), "num", e.level.to_string())) }
                            td { (timing(e.when)) }
                            td { @match run_of(e.run_id) {
                                Some(run) => { (day(run.start.date_naive())) ", " (dist(u, run.distance_m)) " " (u.label()) }
                                None => "–",
                            } }
                            td { (e.notes.as_deref().map(typed).unwrap_or_default()) }
                        }
                    }
                }
            }
        }
    } else {
        html! {
            table {
                thead { tr { th { "from" } th { "entries" } th { "lowest" } th { "median" } th { "highest" } } }
                tbody {
                    @for (i, b) in t.blocks.iter().enumerate() {
                        @let p = format!("/charts/timeline/blocks/{i}");
                        tr {
                            td { (fig(&format!("{p}/from"), "date", day(b.from))) }
                            td { (fig(&format!("{p}/entries"), "num", b.entries.to_string())) }
                            td { @match b.lowest { Some(l) => (fig(&format!("{p}/lowest"), "num", l.to_string())), None => "–" } }
                            td { @match b.median { Some(m) => (fig(&format!("{p}/median"), "num", level(m))), None => "–" } }
                            td { @match b.highest { Some(l) => (fig(&format!("{p}/highest"), "num", l.to_string())), None => "–" } }
                        }
                    }
                }
            }
        }
    };
    figure(
        "timeline",
        "Every pain entry, with its run",
        drawing,
        html! { (timeline_caption(r)) },
        numbers,
    )
}

fn timeline_caption(r: &Report) -> String {
    let t = &r.charts.timeline;
    if r.period.pain_entries == 0 {
        return "No pain entries in these weeks; the marks along the bottom are the runs.".into();
    }
    if !t.by_entry {
        return format!(
            "Too many entries to draw one by one ({}): each vertical line spans the lowest to the highest entry of \
             a bar of {} on the 0–10 scale, with a dot at the median. The bars along the bottom are the distance \
             run. Shaded bands: moderate (5–6) and severe (7–10).",
            r.period.pain_entries,
            if r.charts.bar_weeks == 1 {
                "one week".to_string()
            } else {
                format!("{} weeks", r.charts.bar_weeks)
            }
        );
    }
    let linked = t.entries.iter().filter(|e| e.run_id.is_some()).count();
    format!(
        "Each of the {} pain entries at its time and level (0–10, left). Its shape says when it was felt: a filled \
         circle after a run, an open square the next day, a filled triangle during a run, an open diamond at rest or \
         at night, a cross when not said. The marks along the bottom are the runs, taller for longer runs; a thin \
         line joins an entry to the run it belongs to ({linked} of them do). Shaded bands: moderate (5–6) and \
         severe (7–10).",
        t.entries.len()
    )
}

/// Where the time `t` falls between the period's first midnight and the moment it was made.
fn time_x(r: &Report, t: DateTime<FixedOffset>, x0: f64, x1: f64) -> f64 {
    let start = r.period.from.and_time(NaiveTime::MIN);
    let end = r.period.made_at.naive_local();
    let span = (end - start).num_seconds().max(1) as f64;
    let at = (t.naive_local() - start).num_seconds() as f64;
    x0 + (at / span).clamp(0.0, 1.0) * (x1 - x0)
}

/// The pain scale's bands, shaded and named at the right.
fn bands(yp: impl Fn(f64) -> f64, x0: f64, x1: f64) -> Markup {
    html! {
        rect.band-moderate x=(n(x0)) y=(n(yp(6.5))) width=(n(x1 - x0)) height=(n(yp(4.5) - yp(6.5))) {}
        rect.band-severe x=(n(x0)) y=(n(yp(10.0))) width=(n(x1 - x0)) height=(n(yp(6.5) - yp(10.0))) {}
        text.ax x=(n(x1 + 3.0)) y=(n(yp(2.5) + 4.0)) { "mild" }
        text.ax x=(n(x1 + 3.0)) y=(n(yp(5.5) + 4.0)) { "moderate" }
        text.ax x=(n(x1 + 3.0)) y=(n(yp(8.5) + 4.0)) { "severe" }
        @for p in [0.0, 5.0, 10.0] {
            text.ax x=(n(x0 - 4.0)) y=(n(yp(p) + 4.0)) text-anchor="end" { (tick(p)) }
        }
    }
}

/// An entry's mark: its shape says when the pain was felt.
fn marker(e: &TimelineEntry, x: f64, y: f64) -> Markup {
    let title = html! {
        title {
            (minute(e.at)) ": " (e.level) "/10, " (timing(e.when))
            @if let Some(note) = &e.notes { ". " (typed(note)) }
        }
    };
    let (x, y) = (n(x), n(y));
    let path = |d: String, class: &str| html! { path class=(class) d=(d) { (title) } };
    match e.when {
        Some(Timing::After) => html! { circle.m.filled cx=(x) cy=(y) r="3.2" { (title) } },
        Some(Timing::NextDay) => path(format!("M{x} {y}m-3 -3h6v6h-6z"), "m open"),
        Some(Timing::During) => path(format!("M{x} {y}m0 -3.8l3.5 6.2h-7z"), "m filled"),
        Some(Timing::Rest | Timing::Night) => path(format!("M{x} {y}m0 -4l4 4l-4 4l-4 -4z"), "m open"),
        None => path(format!("M{x} {y}m-3 -3l6 6m0 -6l-6 6"), "m cross"),
    }
}

fn timeline_svg(r: &Report, u: Units) -> Markup {
    let t = &r.charts.timeline;
    let (h, x0, x1, y0, y1) = (204.0, 26.0, W - 52.0, 10.0, 140.0);
    let (strip_top, strip_bottom) = (150.0, 176.0);
    let yp = |p: f64| y1 - p / 10.0 * (y1 - y0);
    let longest = t.runs.iter().map(|r| r.distance_m).fold(0.0, f64::max).max(1.0);
    let run_top = |m: f64| strip_bottom - 4.0 - (m / longest) * (strip_bottom - strip_top - 4.0);
    let run_at: std::collections::HashMap<u64, (f64, f64)> = t
        .runs
        .iter()
        .map(|x| (x.run_id, (time_x(r, x.start, x0, x1), run_top(x.distance_m))))
        .collect();
    let start = r.period.from.and_time(NaiveTime::MIN);
    let span = (r.period.made_at.naive_local() - start).num_seconds().max(1);
    let body = html! {
        (bands(yp, x0, x1))
        line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(y1)) y2=(n(y1)) {}
        text.ax x=(n(x1 + 3.0)) y=(n(strip_bottom - 6.0)) { "runs" }
        line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(strip_bottom)) y2=(n(strip_bottom)) {}
        @for run in &t.runs {
            @let (x, top) = run_at[&run.run_id];
            line.run x1=(n(x)) x2=(n(x)) y1=(n(strip_bottom)) y2=(n(top)) {
                title { "run " (minute(run.start)) ", " (dist(u, run.distance_m)) " " (u.label()) }
            }
        }
        @for e in &t.entries {
            @if let Some(&(rx, top)) = e.run_id.and_then(|id| run_at.get(&id)) {
                line.link x1=(n(time_x(r, e.at, x0, x1))) y1=(n(yp(f64::from(e.level)))) x2=(n(rx)) y2=(n(top)) {}
            }
        }
        @for e in &t.entries {
            (marker(e, time_x(r, e.at, x0, x1), yp(f64::from(e.level))))
        }
        @for k in 0..5 {
            @let at = start + chrono::Duration::seconds(span * k / 4);
            text.ax x=(n(x0 + (x1 - x0) * k as f64 / 4.0)) y=(n(h - 8.0)) text-anchor=(if k == 0 { "start" } else if k == 4 { "end" } else { "middle" }) {
                (at.format("%-d %b"))
            }
        }
    };
    svg("timeline", h, body)
}

fn blocks_svg(r: &Report, u: Units) -> Markup {
    let c = &r.charts;
    let blocks = &c.timeline.blocks;
    let (h, x0, x1, y0, y1) = (204.0, 26.0, W - 52.0, 10.0, 140.0);
    let (strip_top, strip_bottom) = (150.0, 176.0);
    let yp = |p: f64| y1 - p / 10.0 * (y1 - y0);
    let cx = |i: usize| centre(i, blocks.len(), x0, x1);
    let most = c.weekly.iter().map(|b| b.distance_m).fold(0.0, f64::max).max(1.0);
    let bw = bar_width(blocks.len(), x0, x1);
    let body = html! {
        (bands(yp, x0, x1))
        line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(y1)) y2=(n(y1)) {}
        text.ax x=(n(x1 + 3.0)) y=(n(strip_bottom - 6.0)) { (u.label()) }
        @for (i, b) in c.weekly.iter().enumerate() {
            @let hgt = b.distance_m / most * (strip_bottom - strip_top);
            @if hgt > 0.0 {
                rect.bar x=(n(cx(i) - bw / 2.0)) y=(n(strip_bottom - hgt)) width=(n(bw)) height=(n(hgt)) {}
            }
        }
        @for (i, b) in blocks.iter().enumerate() {
            @if let (Some(lo), Some(mid), Some(hi)) = (b.lowest, b.median, b.highest) {
                line.range x1=(n(cx(i))) x2=(n(cx(i))) y1=(n(yp(f64::from(lo)))) y2=(n(yp(f64::from(hi)))) {}
                circle.m.filled cx=(n(cx(i))) cy=(n(yp(mid))) r="3" {
                    title { (bar_words(b.from, c.bar_weeks)) ": " (b.entries) " entries, " (lo) " to " (hi) "/10, median " (level(mid)) }
                }
            }
        }
        (x_labels(&c.weekly, c.bar_weeks, x0, x1, h - 8.0))
    };
    svg("timeline", h, body)
}

// ---- 3. Long runs against the longest of the 30 days before ----

fn long_runs(r: &Report, u: Units) -> Markup {
    let bars = &r.charts.long_runs;
    let drawing = (!no_runs(r)).then(|| long_runs_svg(r, u));
    let numbers = html! {
        table {
            thead { tr { th { "from" } th { "longest" } th { "30 days before" } th { "jumps" } } }
            tbody {
                @for (i, b) in bars.iter().enumerate() {
                    @let p = format!("/charts/long_runs/{i}");
                    tr {
                        td { (fig(&format!("{p}/from"), "date", day(b.from))) }
                        @match &b.longest {
                            Some(l) => {
                                td { (dist_fig(&format!("{p}/longest/distance_m"), u, l.distance_m)) }
                                td { @match l.longest_before_m { Some(m) => (dist_fig(&format!("{p}/longest/longest_before_m"), u, m)), None => "–" } }
                            }
                            None => { td { "–" } td { "–" } }
                        }
                        td { (fig(&format!("{p}/jumps"), "num", b.jumps.to_string())) }
                    }
                }
            }
        }
    };
    figure(
        "long-runs",
        "Long runs against the longest of the 30 days before",
        drawing,
        html! { (long_runs_caption(r, u)) },
        numbers,
    )
}

fn long_runs_caption(r: &Report, u: Units) -> String {
    if no_runs(r) {
        return "No runs in these weeks.".into();
    }
    let bars = &r.charts.long_runs;
    let what = if r.charts.bar_weeks == 1 {
        "each week".to_string()
    } else {
        format!("each block of {} weeks", r.charts.bar_weeks)
    };
    let mut s = format!(
        "Bars: the longest run of {what}. The black line across a bar: the longest run of the 30 days before that \
         run (after a break of 14 days or more, only runs since the return count). A hatched bar marked with a \
         triangle was a jump, more than 10 % over that line."
    );
    let jumps: usize = bars.iter().map(|b| b.jumps).sum();
    let biggest = bars
        .iter()
        .filter_map(|b| b.longest.as_ref())
        .filter(|l| l.jump)
        .filter_map(|l| Some((l, l.distance_m / l.longest_before_m?)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    match (jumps, biggest) {
        (0, _) => s.push_str(" No jumps in these weeks."),
        (j, Some((l, ratio))) => {
            let _ = write!(
                s,
                " {} in these weeks; the largest a longest run of {} {} on {} after {} {} ({:+.0} %).",
                if j == 1 {
                    "One jump".to_string()
                } else {
                    format!("{j} jumps")
                },
                dist(u, l.distance_m),
                u.label(),
                day(l.start.date_naive()),
                dist(u, l.longest_before_m.unwrap_or_default()),
                u.label(),
                (ratio - 1.0) * 100.0
            );
        }
        (j, None) => {
            let _ = write!(s, " {j} jumps in these weeks, none of them the longest run of its bar.");
        }
    }
    s
}

fn long_runs_svg(r: &Report, u: Units) -> Markup {
    let c = &r.charts;
    let bars: &[LongRunBar] = &c.long_runs;
    let (h, x0, x1, y0, y1) = (188.0, 34.0, W - 10.0, 30.0, 164.0);
    let to_u = |m: f64| m / u.metres();
    let most = bars
        .iter()
        .filter_map(|b| b.longest.as_ref())
        .map(|l| to_u(l.distance_m).max(l.longest_before_m.map_or(0.0, to_u)))
        .fold(0.0, f64::max);
    let top = nice_ceiling(most * 1.08);
    let yd = |v: f64| y1 - v / top * (y1 - y0);
    let cx = |i: usize| centre(i, bars.len(), x0, x1);
    let bw = bar_width(bars.len(), x0, x1);
    let body = html! {
        defs {
            pattern #hatch-jump width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                rect width="4" height="4" fill="#fff" {}
                line x1="0" y1="0" x2="0" y2="4" stroke="#111" stroke-width="2.2" {}
            }
        }
        g.legend {
            rect.bar x=(n(x0)) y="6" width="10" height="9" {}
            text x=(n(x0 + 14.0)) y="14" { "longest run" }
            line.base x1=(n(x0 + 86.0)) x2=(n(x0 + 100.0)) y1="10.5" y2="10.5" {}
            text x=(n(x0 + 104.0)) y="14" { "longest of the 30 days before" }
            rect.jump x=(n(x0 + 272.0)) y="6" width="10" height="9" fill="url(#hatch-jump)" {}
            text x=(n(x0 + 286.0)) y="14" { "▲ jump" }
        }
        @for t in [0.0, top / 2.0, top] {
            line.grid x1=(n(x0)) x2=(n(x1)) y1=(n(yd(t))) y2=(n(yd(t))) {}
            text.ax x=(n(x0 - 4.0)) y=(n(yd(t) + 4.0)) text-anchor="end" { (tick(t)) }
        }
        @for (i, b) in bars.iter().enumerate() {
            @if let Some(l) = &b.longest {
                @let v = to_u(l.distance_m);
                @if l.jump {
                    rect.jump x=(n(cx(i) - bw / 2.0)) y=(n(yd(v))) width=(n(bw)) height=(n(y1 - yd(v))) fill="url(#hatch-jump)" {
                        title { (day(l.start.date_naive())) ": " (dist(u, l.distance_m)) " " (u.label()) ", a jump" }
                    }
                    text.mark x=(n(cx(i))) y=(n(yd(v) - 3.0)) text-anchor="middle" {
                        "▲" @if b.jumps > 1 { (b.jumps) }
                    }
                } @else {
                    rect.bar x=(n(cx(i) - bw / 2.0)) y=(n(yd(v))) width=(n(bw)) height=(n(y1 - yd(v))) {
                        title { (day(l.start.date_naive())) ": " (dist(u, l.distance_m)) " " (u.label()) }
                    }
                    @if b.jumps > 0 {
                        text.mark x=(n(cx(i))) y=(n(yd(v) - 3.0)) text-anchor="middle" { "▲" (b.jumps) }
                    }
                }
                @if let Some(base) = l.longest_before_m {
                    line.base x1=(n(cx(i) - bw / 2.0 - 2.0)) x2=(n(cx(i) + bw / 2.0 + 2.0)) y1=(n(yd(to_u(base)))) y2=(n(yd(to_u(base)))) {}
                }
            }
        }
        line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(y1)) y2=(n(y1)) {}
        (x_labels(&c.weekly, c.bar_weeks, x0, x1, h - 8.0))
    };
    svg("long-runs", h, body)
}

// ---- 4. Surfaces, warm-up and stretch rates by week ----

fn habits(r: &Report) -> Markup {
    let hb = &r.charts.habits;
    let drawing = (!no_runs(r)).then(|| habits_svg(r));
    let cell = |p: String, v: Option<f64>| match v {
        Some(s) => pct_fig(&p, s),
        None => html! { "–" },
    };
    let numbers = html! {
        table {
            thead { tr { th { "from" } th { "runs" } th { "hard %" } th { "warm-up %" } th { "stretch %" } } }
            tbody {
                @for (i, b) in hb.bars.iter().enumerate() {
                    @let p = format!("/charts/habits/bars/{i}");
                    tr {
                        td { (fig(&format!("{p}/from"), "date", day(b.from))) }
                        td { (fig(&format!("{p}/runs"), "num", b.runs.to_string())) }
                        td { (cell(format!("{p}/hard_share"), b.hard_share)) }
                        td { (cell(format!("{p}/warmup_rate"), b.warmup_rate)) }
                        td { (cell(format!("{p}/stretch_rate"), b.stretch_rate)) }
                    }
                }
            }
        }
        @if !hb.surfaces.is_empty() {
            p {
                "Surfaces by distance: "
                @for (i, s) in hb.surfaces.iter().enumerate() {
                    @if i > 0 { ", " }
                    (s.surface.map_or("not recorded", |s| s.as_str())) " "
                    (pct_fig(&format!("/charts/habits/surfaces/{i}/share"), s.share)) " %"
                }
            }
        }
    };
    figure(
        "habits",
        "Surfaces, warm-up and stretch by week",
        drawing,
        html! { (habits_caption(r)) },
        numbers,
    )
}

fn share_words(s: Option<f64>) -> String {
    s.map_or("not recorded".into(), |s| format!("{} %", pct(s)))
}

fn habits_caption(r: &Report) -> String {
    if no_runs(r) {
        return "No runs in these weeks.".into();
    }
    let hb = &r.charts.habits;
    let each = if r.charts.bar_weeks == 1 {
        "week".to_string()
    } else {
        format!("block of {} weeks", r.charts.bar_weeks)
    };
    let mut s = format!(
        "Three rows, one bar per {each}, each from 0 to 100 % (dashed line at 50 %): the share of the distance run \
         on concrete or asphalt, of the runs with a warm-up, and of the runs followed by a stretch, counting only \
         runs where it was recorded (no bar, only a dot, where nothing was). Over these weeks: hard surfaces {}, \
         warm-up {}, stretch {}.",
        share_words(hb.hard_share),
        share_words(hb.warmup_rate),
        share_words(hb.stretch_rate)
    );
    if !hb.surfaces.is_empty() {
        let parts: Vec<String> = hb
            .surfaces
            .iter()
            .map(|x| {
                format!(
                    "{} {} %",
                    x.surface.map_or("not recorded", |s| s.as_str()),
                    pct(x.share)
                )
            })
            .collect();
        let _ = write!(s, " Surfaces by distance: {}.", parts.join(", "));
    }
    s
}

fn habits_svg(r: &Report) -> Markup {
    let c = &r.charts;
    let hb = &c.habits;
    let (x0, x1) = (96.0, W - 8.0);
    let (row_h, gap, top) = (34.0, 16.0, 8.0);
    let h = top + 3.0 * (row_h + gap) + 12.0;
    let bw = bar_width(hb.bars.len(), x0, x1);
    let cx = |i: usize| centre(i, hb.bars.len(), x0, x1);
    type Pick = fn(&super::figures::HabitBar) -> Option<f64>;
    let rows: [(&str, Option<f64>, Pick); 3] = [
        ("Hard surface", hb.hard_share, |b| b.hard_share),
        ("Warm-up", hb.warmup_rate, |b| b.warmup_rate),
        ("Stretch", hb.stretch_rate, |b| b.stretch_rate),
    ];
    let body = html! {
        @for (k, (name, overall, pick)) in rows.iter().enumerate() {
            @let base = top + k as f64 * (row_h + gap) + row_h;
            text.label x="2" y=(n(base - row_h + 12.0)) { (name) }
            text.ax x="2" y=(n(base - row_h + 26.0)) { (share_words(*overall)) }
            line.grid.half x1=(n(x0)) x2=(n(x1)) y1=(n(base - row_h / 2.0)) y2=(n(base - row_h / 2.0)) {}
            line.grid x1=(n(x0)) x2=(n(x1)) y1=(n(base - row_h)) y2=(n(base - row_h)) {}
            @for (i, b) in hb.bars.iter().enumerate() {
                @match pick(b) {
                    Some(s) => {
                        rect.bar x=(n(cx(i) - bw / 2.0)) y=(n(base - (s * row_h).max(1.0))) width=(n(bw)) height=(n((s * row_h).max(1.0))) {
                            title { (name) ", " (bar_words(b.from, c.bar_weeks)) ": " (pct(s)) " %" }
                        }
                    }
                    None => { circle.none cx=(n(cx(i))) cy=(n(base - 1.5)) r="1.3" {} }
                }
            }
            line.axis x1=(n(x0)) x2=(n(x1)) y1=(n(base)) y2=(n(base)) {}
        }
        (x_labels(&c.weekly, c.bar_weeks, x0, x1, h - 4.0))
    };
    svg("habits", h, body)
}

// ---- 5. Shoe wear ----

fn shoes(r: &Report, u: Units) -> Markup {
    let list = &r.charts.shoes;
    let drawing = (!list.is_empty()).then(|| shoes_svg(r));
    let numbers = html! {
        table {
            thead { tr { th { "pair" } th { (u.label()) } th { "limit" } th { "%" } th { "status" } th { "runs here" } } }
            tbody {
                @for (i, s) in list.iter().enumerate() {
                    @let p = format!("/charts/shoes/{i}");
                    tr {
                        td { @if escape(&s.name) == s.name.as_str() {
                            span data-json=(format!("{p}/name")) data-kind="text" { (typed(&s.name)) }
                        } @else { (typed(&s.name)) } }
                        td { (dist_fig(&format!("{p}/distance_m"), u, s.distance_m)) }
                        td { (dist_fig(&format!("{p}/limit_m"), u, s.limit_m)) }
                        td { (pct_fig(&format!("{p}/share"), s.share)) }
                        td { (fig(&format!("{p}/status"), "text", s.status)) }
                        td { (fig(&format!("{p}/runs_in_period"), "num", s.runs_in_period.to_string())) }
                    }
                }
            }
        }
    };
    figure("shoes", "Shoe wear", drawing, html! { (shoes_caption(r, u)) }, numbers)
}

fn shoes_caption(r: &Report, u: Units) -> Markup {
    let list = &r.charts.shoes;
    if list.is_empty() {
        return html! { "No shoes recorded (lumbar shoes add NAME)." };
    }
    let hidden = r.charts.shoes_not_shown;
    html! {
        "Each pair's distance against its limit: the solid line is the limit (replace), the dashed line 80 % of it \
         (nearing); a hatched bar is nearing, a black one past the limit, an open one retired. "
        @for (i, s) in list.iter().enumerate() {
            @if i > 0 { "; " }
            (typed(&s.name)) ": " (dist(u, s.distance_m)) " of " (dist(u, s.limit_m)) " " (u.label())
            " (" (pct(s.share)) " %, " (s.status) ")"
        }
        "."
        @if hidden > 0 {
            " " (if hidden == 1 { "1 other pair".to_string() } else { format!("{hidden} other pairs") })
            " not shown (retired and not run in these weeks)."
        }
    }
}

fn shoes_svg(r: &Report) -> Markup {
    let list = &r.charts.shoes;
    let (x0, x1, row, top) = (112.0, W - 80.0, 22.0, 22.0);
    let h = top + row * list.len() as f64 + 6.0;
    let scale = list.iter().map(|s| s.share).fold(1.0, f64::max) * 1.05;
    let xs = |share: f64| x0 + share / scale * (x1 - x0);
    let body = html! {
        defs {
            pattern #hatch-nearing width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(45)" {
                rect width="4" height="4" fill="#fff" {}
                line x1="0" y1="0" x2="0" y2="4" stroke="#333" stroke-width="1.6" {}
            }
        }
        // Apart, however far past the limit the most worn pair is.
        text.ax x=(n(xs(0.8) - 2.0)) y="12" text-anchor="end" { "80 %" }
        text.ax x=(n(xs(1.0) + 2.0)) y="12" { "limit" }
        @for (i, s) in list.iter().enumerate() {
            @let y = top + row * i as f64;
            text.label x="2" y=(n(y + 14.0)) { (typed(&super::figures::cut(&s.name, 18))) }
            @let w = (xs(s.share) - x0).max(1.0);
            @match s.status {
                "nearing" => { rect.nearing x=(n(x0)) y=(n(y + 4.0)) width=(n(w)) height="13" fill="url(#hatch-nearing)" { title { (typed(&s.name)) } } }
                "replace" => { rect.bar.replace x=(n(x0)) y=(n(y + 4.0)) width=(n(w)) height="13" { title { (typed(&s.name)) } } }
                "retired" => { rect.bar.retired x=(n(x0)) y=(n(y + 4.0)) width=(n(w)) height="13" { title { (typed(&s.name)) } } }
                _ => { rect.bar x=(n(x0)) y=(n(y + 4.0)) width=(n(w)) height="13" { title { (typed(&s.name)) } } }
            }
            text.ax x=(n(x1 + 4.0)) y=(n(y + 14.0)) { (pct(s.share)) " % " (s.status) }
        }
        line.limit.near x1=(n(xs(0.8))) x2=(n(xs(0.8))) y1="16" y2=(n(h - 4.0)) {}
        line.limit x1=(n(xs(1.0))) x2=(n(xs(1.0))) y1="16" y2=(n(h - 4.0)) {}
    };
    svg("shoes", h, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.3), 10.0);
        assert_eq!(nice_ceiling(43.0), 50.0);
        assert_eq!(nice_ceiling(20.0), 20.0);
        assert_eq!(nice_ceiling(21.0), 25.0);
        assert_eq!(nice_ceiling(0.3), 0.5);
        assert_eq!(n(12.34), "12.3");
        assert_eq!(n(12.0), "12");
    }

    #[test]
    fn about_six_bars_are_labelled_and_always_the_last() {
        let shown: Vec<usize> = (0..12).filter(|&i| labelled(i, 12)).collect();
        assert_eq!(shown, [1, 3, 5, 7, 9, 11]);
        assert!(labelled(0, 1));
        assert_eq!((0..26).filter(|&i| labelled(i, 26)).count(), 6);
    }
}
