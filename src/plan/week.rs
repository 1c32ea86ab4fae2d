//! The plan's calendar: the distance run each day (logged and planned), streaks of days with
//! runs, and the weekly brake.
//!
//! **The weekly brake** (general practice, not proof: Buist 2008 found the 10 % rule did not
//! prevent injury, so it is a brake, not a promise): any 7 days in a row that hold a planned run
//! hold at most 10 % more distance than the mean week of the 4 weeks before them. After a gap,
//! and for a new runner, only the days since the first run back (or the first run) count, as
//! the decision counts only runs since the return: their distance per 7 days is the mean week.
//! Until a week of such days lies before the 7, there is no week to compare with, and the
//! per-run caps of the decision (the first run back at half, then 10 % a run) govern alone.

use std::collections::BTreeMap;

use chrono::{Duration, FixedOffset, NaiveDate};
use serde::Serialize;

use super::habits::day_of;
use crate::model::Run;
use crate::rules::decision::distance::gap_before;

/// The week may hold this much more than the mean week before it.
pub const WEEK_GROWTH: f64 = 0.10;
/// The weeks the mean is taken over.
pub const BASE_WEEKS: i64 = 4;

/// Distance per calendar day, logged and planned.
#[derive(Clone, Debug, Default)]
pub struct Days {
    dist: BTreeMap<NaiveDate, f64>,
}

impl Days {
    pub fn from_runs(runs: &[Run], off: FixedOffset) -> Days {
        let mut d = Days::default();
        for r in runs {
            d.add(day_of(r.start, off), r.distance_m);
        }
        d
    }

    pub fn add(&mut self, day: NaiveDate, m: f64) {
        *self.dist.entry(day).or_insert(0.0) += m;
    }

    pub fn ran(&self, day: NaiveDate) -> bool {
        self.dist.contains_key(&day)
    }

    /// Days in a row with runs ending the day before `day`.
    pub fn streak_before(&self, day: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = day - Duration::days(1);
        while self.ran(d) {
            n += 1;
            d -= Duration::days(1);
        }
        n
    }

    /// Days with runs in `[from, to]`.
    pub fn run_days(&self, from: NaiveDate, to: NaiveDate) -> usize {
        if from > to {
            return 0;
        }
        self.dist.range(from..=to).count()
    }

    /// Distance in `[from, to]`.
    pub fn sum(&self, from: NaiveDate, to: NaiveDate) -> f64 {
        if from > to {
            return 0.0;
        }
        self.dist.range(from..=to).map(|(_, m)| m).fold(0.0, |a, m| a + m)
    }
}

/// The weekly brake on the 7 days ending `end`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct WeekLimit {
    /// The 7 days end on this day.
    pub end: NaiveDate,
    pub limit_m: f64,
    /// The mean week it is 10 % over…
    pub mean_m: f64,
    /// …over this many days before the 7 (28, or fewer soon after a first run or a return).
    pub base_days: i64,
}

/// The days runs start a stretch on: the first run, and each first run after a gap.
pub fn returns(runs: &[Run], off: FixedOffset) -> Vec<NaiveDate> {
    (0..runs.len())
        .filter(|&i| i == 0 || gap_before(runs, i))
        .map(|i| day_of(runs[i].start, off))
        .collect()
}

/// The brake on the 7 days ending `end`: `None` until the stretch they belong to has a week
/// of history before them (or with no run at all). The mean week is the distance of the 4
/// weeks before them, or of the days since the stretch began, per 7 days.
pub fn week_limit(days: &Days, returns: &[NaiveDate], end: NaiveDate) -> Option<WeekLimit> {
    let start = end - Duration::days(6);
    let era = returns.iter().copied().filter(|d| *d <= end).max()?;
    if era > start - Duration::days(7) {
        return None;
    }
    let to = start - Duration::days(1);
    let from = (start - Duration::days(7 * BASE_WEEKS)).max(era);
    let base_days = (to - from).num_days() + 1;
    let mean_m = days.sum(from, to) * 7.0 / base_days as f64;
    Some(WeekLimit {
        end,
        limit_m: mean_m * (1.0 + WEEK_GROWTH),
        mean_m,
        base_days,
    })
}

/// How much a run on `day` may add: the least room left in the 7-day spans that hold it,
/// counting what is already logged or planned up to `day` (nothing is planned after it yet).
/// `None` when no span has a brake.
pub fn room(days: &Days, returns: &[NaiveDate], day: NaiveDate) -> Option<(f64, WeekLimit)> {
    (0..7)
        .filter_map(|k| {
            let end = day + Duration::days(k);
            let limit = week_limit(days, returns, end)?;
            let used = days.sum(end - Duration::days(6), day);
            Some((limit.limit_m - used, limit))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// 30 km a week for five weeks: 10 km on Mondays, Wednesdays and Fridays.
    fn steady() -> Days {
        let mut days = Days::default();
        let mut day = d("2026-10-19");
        while day <= d("2026-11-20") {
            if matches!(day.format("%a").to_string().as_str(), "Mon" | "Wed" | "Fri") {
                days.add(day, 10_000.0);
            }
            day += Duration::days(1);
        }
        days
    }

    #[test]
    fn the_brake_is_ten_percent_over_the_mean_week_of_four() {
        let days = steady();
        let returns = [d("2026-10-19")];
        let l = week_limit(&days, &returns, d("2026-11-22")).unwrap();
        assert_eq!((l.base_days, l.mean_m), (28, 30_000.0));
        assert!((l.limit_m - 33_000.0).abs() < 1e-6);
        // The week ending Sunday already holds Mon, Wed, Fri: 3 km of room for Sunday.
        let (left, _) = room(&days, &returns, d("2026-11-22")).unwrap();
        assert!((left - 3_000.0).abs() < 1e-6, "{left}");
    }

    #[test]
    fn no_brake_before_a_week_of_the_stretch_and_its_own_rate_after_it() {
        let mut days = Days::default();
        days.add(d("2026-11-02"), 5_000.0);
        days.add(d("2026-11-04"), 5_000.0);
        let returns = [d("2026-11-02")];
        // The 7 days from the return, and those starting within its first week: nothing yet.
        assert_eq!(week_limit(&days, &returns, d("2026-11-08")), None);
        assert_eq!(week_limit(&days, &returns, d("2026-11-14")), None);
        // The 7 days from 11-09 compare with the one week since the return.
        let l = week_limit(&days, &returns, d("2026-11-15")).unwrap();
        assert_eq!((l.base_days, l.mean_m), (7, 10_000.0));
        // From 11-12: ten days since the return, 10 km in them, 7 km a week.
        let l = week_limit(&days, &returns, d("2026-11-18")).unwrap();
        assert_eq!(l.base_days, 10);
        assert!((l.mean_m - 7_000.0).abs() < 1e-6);
        // No run at all: no brake.
        assert_eq!(week_limit(&Days::default(), &[], d("2026-11-18")), None);
    }

    #[test]
    fn streaks_and_run_days() {
        let days = steady();
        assert_eq!(days.streak_before(d("2026-11-21")), 1);
        assert_eq!(days.streak_before(d("2026-11-22")), 0);
        assert_eq!(days.run_days(d("2026-11-16"), d("2026-11-22")), 3);
        assert_eq!(days.run_days(d("2026-11-22"), d("2026-11-16")), 0);
    }
}
