//! The `--json` shapes of CLI.md (RUN, PAIN, SHOE) and the human rows that match them.
//! Distances are metres and durations seconds in JSON, whatever the display units.
//!
//! One naming scheme in every document (README, "JSON shapes"): snake_case keys, a unit suffix
//! on every quantity (`_m`, `_s`, `_s_per_km`), times RFC 3339 with their offset under `at`,
//! `start` or a key ending in `_at`, calendar days as `YYYY-MM-DD` under `date` or a key ending
//! in `_on`, and every optional field present, `null` when unknown.

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use crate::model::{Data, Pain, Run, Units};
use crate::output::text::escape;
use crate::output::{Column, Output, Table};
use crate::shoes::ShoeSummary;

#[derive(Debug, Serialize)]
pub struct RunView<'a> {
    pub id: u64,
    pub start: String,
    pub distance_m: f64,
    pub duration_s: u64,
    pub pace_s_per_km: f64,
    pub surface: Option<&'static str>,
    pub warmup: Option<bool>,
    pub stretch: Option<bool>,
    pub shoe_id: Option<u64>,
    pub shoe: Option<&'a str>,
    pub rpe: Option<u8>,
    pub notes: Option<&'a str>,
    pub source: Option<&'a str>,
    /// Moving time, when a device recorded pauses.
    pub moving_s: Option<u64>,
    /// Beats per minute, when a device recorded them.
    pub avg_hr: Option<f64>,
    /// Steps per minute, when a device recorded them.
    pub avg_cadence: Option<f64>,
}

impl<'a> RunView<'a> {
    pub fn new(run: &'a Run, data: &'a Data) -> RunView<'a> {
        Self::with_shoe(run, run.shoe_id.and_then(|id| data.shoe(id)).map(|s| s.name.as_str()))
    }

    /// For callers that hold the shoe's name but not the whole store.
    pub fn with_shoe(run: &'a Run, shoe: Option<&'a str>) -> RunView<'a> {
        RunView {
            id: run.id,
            start: rfc3339(run.start),
            distance_m: round(run.distance_m, 1),
            duration_s: run.duration_s,
            pace_s_per_km: round(run.pace().s_per_km(), 1),
            surface: run.surface.map(|s| s.as_str()),
            warmup: run.warmup,
            stretch: run.stretch,
            shoe_id: run.shoe_id,
            shoe,
            rpe: run.rpe.map(|r| r.0),
            notes: run.notes.as_deref(),
            source: run.source.as_deref(),
            moving_s: run.moving_s,
            avg_hr: run.avg_hr,
            avg_cadence: run.avg_cadence,
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PainView<'a> {
    pub id: u64,
    pub at: String,
    pub level: u8,
    pub band: &'static str,
    pub area: &'static str,
    pub side: &'static str,
    pub when: Option<&'static str>,
    pub run_id: Option<u64>,
    pub symptoms: &'a [String],
    pub notes: Option<&'a str>,
}

impl<'a> PainView<'a> {
    pub fn new(p: &'a Pain) -> PainView<'a> {
        PainView {
            id: p.id,
            at: rfc3339(p.at),
            level: p.level.0,
            band: p.level.band(),
            area: p.area.as_str(),
            side: p.side.as_str(),
            when: p.when.map(|w| w.as_str()),
            run_id: p.run_id,
            symptoms: &p.symptoms,
            notes: p.notes.as_deref(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ShoeView<'a> {
    pub id: u64,
    pub name: &'a str,
    pub distance_m: f64,
    pub limit_m: f64,
    pub start_m: f64,
    pub runs: usize,
    pub status: &'static str,
    pub default: bool,
    pub retired: bool,
    pub share_of_limit: f64,
    pub first_run_at: Option<String>,
    pub last_run_at: Option<String>,
    /// At the recent pace of use, the day the pair reaches its limit.
    pub reaches_limit_on: Option<String>,
}

impl<'a> ShoeView<'a> {
    pub fn new(s: &'a ShoeSummary<'a>) -> ShoeView<'a> {
        ShoeView {
            id: s.shoe.id,
            name: &s.shoe.name,
            distance_m: round(s.distance_m, 1),
            limit_m: round(s.limit_m, 1),
            start_m: round(s.shoe.start_m, 1),
            runs: s.runs,
            status: s.status.as_str(),
            default: s.shoe.default,
            retired: s.shoe.retired,
            share_of_limit: round(s.share(), 3),
            first_run_at: s.first_run.map(rfc3339),
            last_run_at: s.last_run.map(rfc3339),
            reaches_limit_on: s.reaches_limit_on.map(|d| d.to_string()),
        }
    }
}

pub fn rfc3339(t: DateTime<FixedOffset>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn round(x: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    // `+ 0.0` turns -0.0 (an empty f64 sum, or a tiny negative rounded) into 0.0, so JSON
    // never says `-0.0`.
    (x * f).round() / f + 0.0
}

/// "Tue 2026-11-24 07:30": the way a runner reads a date in a table.
pub fn short_time(t: DateTime<FixedOffset>) -> String {
    t.format("%a %Y-%m-%d %H:%M").to_string()
}

/// The run table used by `run list`, `run show` and `import`. On a narrow terminal the shoe goes
/// first, then stretch, warm-up, surface and pace; id, date, distance and time always stay.
pub fn runs_table<'a>(out: &Output, runs: impl Iterator<Item = &'a Run>, data: &Data) -> Table {
    let units: Units = out.units(&data.config);
    let mut t = Table::new(vec![
        Column::new("id").right(),
        Column::new("date"),
        Column::new(units.label()).right(),
        Column::new("time").right(),
        Column::new(format!("/{}", units.label()))
            .right()
            .priority(5)
            .named("pace"),
        Column::new("surface").priority(4),
        Column::new("warm-up").priority(3),
        Column::new("stretch").priority(2),
        Column::new("shoe").priority(1).wrap(),
    ]);
    for r in runs {
        t.row([
            r.id.to_string(),
            r.start.format("%Y-%m-%d").to_string(),
            format!("{:.2}", r.distance().in_units(units)),
            r.duration().to_string(),
            r.pace()
                .display(units)
                .split(' ')
                .next()
                .unwrap_or_default()
                .to_string(),
            r.surface.map(|s| s.to_string()).unwrap_or_else(|| "-".into()),
            Output::yes_no(r.warmup).into(),
            Output::yes_no(r.stretch).into(),
            r.shoe_id
                .and_then(|id| data.shoe(id))
                .map(|s| escape(&s.name).into_owned())
                .unwrap_or_else(|| "-".into()),
        ]);
    }
    t
}

/// The pain table used by `pain list` and `pain show`. On a narrow terminal the run goes first,
/// then side, when and area; the symptoms wrap between names.
pub fn pain_table<'a>(entries: impl Iterator<Item = &'a Pain>) -> Table {
    let mut t = Table::new(vec![
        Column::new("id").right(),
        Column::new("date"),
        Column::new("pain"),
        Column::new("area").priority(3),
        Column::new("side").priority(2),
        Column::new("when").priority(4),
        Column::new("run").right().priority(1),
        Column::new("symptoms").priority(5).wrap(),
    ]);
    for p in entries {
        t.row([
            p.id.to_string(),
            p.at.format("%Y-%m-%d %H:%M").to_string(),
            format!("{} {}", p.level.0, p.level.band()),
            p.area.to_string(),
            p.side.to_string(),
            p.when.map(|w| w.to_string()).unwrap_or_else(|| "-".into()),
            p.run_id.map(|r| r.to_string()).unwrap_or_else(|| "-".into()),
            if p.symptoms.is_empty() {
                "-".into()
            } else {
                escape(&p.symptoms.join(", ")).into_owned()
            },
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::round;

    #[test]
    fn rounding_never_gives_negative_zero() {
        let empty: f64 = std::iter::empty::<f64>().sum();
        assert!(round(empty, 1).is_sign_positive());
        assert!(round(-0.04, 1).is_sign_positive());
        assert_eq!(round(-0.06, 1), -0.1);
        assert_eq!(round(12.345, 2), 12.35);
    }
}
