//! What the plan reads from the runner's own history: how often they run, on which weekday
//! their long run usually falls, their usual distance and pace. Real runs only: a plan never
//! learns habits from the runs it assumes.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, Weekday};

use crate::model::Run;
use crate::rules::decision::distance::gap_before;

/// How the runs per week and the long-run day were chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Given on the command line.
    Given,
    /// Read from the runner's history.
    History,
    /// Nothing to read it from: lumbar's default.
    Default,
}

/// Runs per week with nothing to read them from: three, on alternate days (general practice
/// for starting and for coming back).
pub const DEFAULT_RUNS_PER_WEEK: u32 = 3;
/// While coming back (after a gap, or walk-run after pain) at most this many a week.
pub const RETURN_RUNS_PER_WEEK: u32 = 3;
/// The long run's weekday with no habit to read: Sunday.
pub const DEFAULT_LONG_DAY: Weekday = Weekday::Sun;
/// How far back the runs per week and the usual distance are read.
pub const RECENT_DAYS: i64 = 28;
/// How far back the usual long-run weekday is read.
pub const LONG_DAY_WEEKS: i64 = 8;
/// A weekday is "usual" for the long run when it held the week's longest this many times.
pub const LONG_DAY_MIN_WEEKS: usize = 2;
/// The pace assumed with no run to read one from: 6:30 /km.
pub const DEFAULT_PACE_S_PER_KM: f64 = 390.0;
/// The pace is read from this many recent runs.
const PACE_RUNS: usize = 10;

/// The local calendar day of a moment, in the offset the plan works in.
pub fn day_of(t: chrono::DateTime<FixedOffset>, off: FixedOffset) -> NaiveDate {
    t.with_timezone(&off).date_naive()
}

/// The index of the first run of the stretch the latest run belongs to: the first run ever, or
/// the first after the latest gap of 14 days or more.
fn era_start(runs: &[Run]) -> usize {
    (1..runs.len()).rev().find(|&i| gap_before(runs, i)).unwrap_or(0)
}

/// Run days per week over the last four weeks of running (the 28 days to the latest run),
/// counted from the start of that stretch when it is shorter; `None` with no run at all.
pub fn runs_per_week(runs: &[Run], off: FixedOffset) -> Option<u32> {
    let last = runs.last()?;
    let last_day = day_of(last.start, off);
    let from = last_day - Duration::days(RECENT_DAYS - 1);
    let era_day = day_of(runs[era_start(runs)].start, off);
    let first = from.max(era_day);
    let mut days: Vec<NaiveDate> = runs
        .iter()
        .map(|r| day_of(r.start, off))
        .filter(|d| *d >= first && *d <= last_day)
        .collect();
    days.dedup();
    let span = (last_day - first).num_days() + 1;
    let weeks = ((span + 6) / 7).clamp(1, RECENT_DAYS / 7);
    let per_week = (days.len() as f64 / weeks as f64).round() as u32;
    Some(per_week.clamp(1, 7))
}

/// The weekday that held the longest run of the week most often in the last 8 weeks (blocks of
/// 7 days back from `today`), when it did at least twice; ties go to the more recent.
pub fn usual_long_day(runs: &[Run], today: NaiveDate, off: FixedOffset) -> Option<Weekday> {
    let mut counts = [0usize; 7];
    let mut latest = [i64::MAX; 7];
    for block in 0..LONG_DAY_WEEKS {
        let to = today - Duration::days(7 * block);
        let from = to - Duration::days(6);
        let longest = runs
            .iter()
            .filter(|r| (from..=to).contains(&day_of(r.start, off)))
            .max_by(|a, b| a.distance_m.total_cmp(&b.distance_m));
        if let Some(r) = longest {
            let w = day_of(r.start, off).weekday().num_days_from_monday() as usize;
            counts[w] += 1;
            latest[w] = latest[w].min(block);
        }
    }
    let best = (0..7).max_by_key(|&w| (counts[w], std::cmp::Reverse(latest[w])))?;
    (counts[best] >= LONG_DAY_MIN_WEEKS).then(|| Weekday::try_from(best as u8).unwrap_or(DEFAULT_LONG_DAY))
}

/// How often each weekday held a run in the last 4 weeks of running (Monday first).
pub fn weekday_counts(runs: &[Run], off: FixedOffset) -> [usize; 7] {
    let mut counts = [0usize; 7];
    let Some(last) = runs.last() else {
        return counts;
    };
    let last_day = day_of(last.start, off);
    let from = last_day - Duration::days(RECENT_DAYS - 1);
    let mut days: Vec<NaiveDate> = runs
        .iter()
        .map(|r| day_of(r.start, off))
        .filter(|d| *d >= from)
        .collect();
    days.dedup();
    for d in days {
        counts[d.weekday().num_days_from_monday() as usize] += 1;
    }
    counts
}

/// The run weekdays of the plan: the long day, then the runner's most frequent weekdays, each
/// tie going to the day farthest from those already chosen (so a runner with no habit gets
/// runs spread over the week). Monday first.
pub fn pattern(long_day: Weekday, per_week: u32, counts: &[usize; 7]) -> Vec<Weekday> {
    let long = long_day.num_days_from_monday() as i64;
    let mut chosen = vec![long];
    let apart = |a: i64, b: i64| {
        let d = (a - b).rem_euclid(7);
        d.min(7 - d)
    };
    while chosen.len() < per_week.clamp(1, 7) as usize {
        let next = (0..7i64).filter(|w| !chosen.contains(w)).max_by_key(|&w| {
            let spread = chosen.iter().map(|&c| apart(w, c)).min().unwrap_or(7);
            // Among equals, the day sooner after the long day: a stable choice.
            (counts[w as usize], spread, std::cmp::Reverse((w - long).rem_euclid(7)))
        });
        match next {
            Some(w) => chosen.push(w),
            None => break,
        }
    }
    chosen.sort_unstable();
    chosen
        .into_iter()
        .filter_map(|w| Weekday::try_from(w as u8).ok())
        .collect()
}

/// The runner's usual distance: the median run of the last 28 days since the latest return.
pub fn usual_distance(runs: &[Run], now: chrono::DateTime<FixedOffset>) -> Option<f64> {
    let era = era_start(runs);
    let from = now - Duration::days(RECENT_DAYS);
    let mut d: Vec<f64> = runs[era..]
        .iter()
        .filter(|r| r.start > from && r.start <= now)
        .map(|r| r.distance_m)
        .collect();
    median(&mut d)
}

/// The runner's pace in seconds per metre: the median of the last 10 runs, kept within
/// 3:00–15:00 /km; 6:30 /km with no run.
pub fn pace_s_per_m(runs: &[Run]) -> f64 {
    let mut p: Vec<f64> = runs
        .iter()
        .rev()
        .filter(|r| r.distance_m > 0.0)
        .take(PACE_RUNS)
        .map(|r| r.duration_s as f64 / r.distance_m)
        .collect();
    median(&mut p)
        .unwrap_or(DEFAULT_PACE_S_PER_KM / 1000.0)
        .clamp(0.18, 0.9)
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone};

    fn utc() -> FixedOffset {
        FixedOffset::east_opt(0).unwrap()
    }

    fn at(date: &str) -> DateTime<FixedOffset> {
        let d = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
        utc().from_local_datetime(&d.and_hms_opt(8, 0, 0).unwrap()).unwrap()
    }

    fn run(date: &str, km: f64) -> Run {
        Run::new(at(date), km * 1000.0, (km * 360.0) as u64)
    }

    #[test]
    fn the_pattern_spreads_a_week_with_no_habit_and_keeps_the_long_day() {
        let none = [0; 7];
        use Weekday::*;
        assert_eq!(pattern(Sun, 1, &none), vec![Sun]);
        assert_eq!(pattern(Sun, 2, &none), vec![Wed, Sun]);
        assert_eq!(pattern(Sun, 3, &none), vec![Wed, Fri, Sun]);
        assert_eq!(pattern(Sun, 7, &none).len(), 7);
        // A runner's habit wins over the spread.
        let mut habit = [0; 7];
        habit[0] = 4; // Monday
        habit[2] = 4; // Wednesday
        assert_eq!(pattern(Fri, 3, &habit), vec![Mon, Wed, Fri]);
    }

    #[test]
    fn runs_per_week_count_days_over_four_weeks_or_the_stretch_since_the_return() {
        // Three a week for four weeks (2026-11-02 is a Monday).
        let mut runs = Vec::new();
        for w in 0..4 {
            for d in [0, 2, 4] {
                let day = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap() + Duration::days(7 * w + d);
                runs.push(run(&day.to_string(), 8.0));
            }
        }
        assert_eq!(runs_per_week(&runs, utc()), Some(3));
        // Two runs the same day count once.
        runs.push(run("2026-11-27", 3.0));
        assert_eq!(runs_per_week(&runs, utc()), Some(3));
        assert_eq!(runs_per_week(&[], utc()), None);
        // Back after a gap: only the week since the return counts (two runs in it).
        let back = vec![run("2026-09-01", 8.0), run("2026-11-20", 5.0), run("2026-11-22", 5.0)];
        assert_eq!(runs_per_week(&back, utc()), Some(2));
    }

    #[test]
    fn the_usual_long_day_needs_two_weeks_and_ties_go_to_the_recent() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap(); // a Sunday
        let one = vec![run("2026-11-28", 15.0), run("2026-11-25", 8.0)];
        assert_eq!(usual_long_day(&one, today, utc()), None, "one week is not a habit");
        let two = vec![
            run("2026-11-14", 15.0), // Sat
            run("2026-11-19", 16.0), // Thu
            run("2026-11-21", 15.0), // Sat
            run("2026-11-26", 16.0), // Thu
        ];
        assert_eq!(usual_long_day(&two, today, utc()), Some(Weekday::Thu));
    }

    #[test]
    fn usual_distance_and_pace_are_medians() {
        let now = at("2026-11-29");
        let runs = vec![run("2026-11-20", 5.0), run("2026-11-22", 12.0), run("2026-11-25", 6.0)];
        assert_eq!(usual_distance(&runs, now), Some(6000.0));
        assert!((pace_s_per_m(&runs) - 0.36).abs() < 1e-9);
        assert_eq!(usual_distance(&[], now), None);
        assert!((pace_s_per_m(&[]) - 0.39).abs() < 1e-9);
    }
}
