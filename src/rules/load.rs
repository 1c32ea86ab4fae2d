//! Training load: long-run jumps, acute:chronic spikes, monotony and days without rest.
//!
//! Each rule reads only the weeks it needs. The load-spike evidence is contested, so it is
//! information, never a warning, and nothing here claims the "10 % rule" protects.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::Serialize;

use super::thresholds::{self as th, above, at_least};
use super::{Flag, History, Severity};
use crate::model::Run;

/// `long-run-jump`: a run more than the threshold longer than the longest of the `days` days
/// before it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LongRunJump {
    pub run_id: u64,
    #[serde(serialize_with = "crate::model::when::serialize_rfc3339")]
    pub run_at: DateTime<FixedOffset>,
    pub distance_m: f64,
    pub longest_before_m: f64,
    /// `distance_m / longest_before_m - 1`.
    pub increase: f64,
    /// The run was more than double the longest before it (the stronger wording).
    pub more_than_double: bool,
    pub threshold: f64,
    pub days: i64,
}

/// `load-spike`: the last 7 days against the rolling 28-day weekly mean, and against the mean
/// of the 4 weeks before; `ratio_high` and `week_high` say which of the two fired.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LoadSpike {
    pub acute_7d_m: f64,
    pub chronic_weekly_m: f64,
    pub acute_chronic_ratio: Option<f64>,
    pub ratio_threshold: f64,
    pub ratio_high: bool,
    /// Known once 35 days of history exist.
    pub previous_4wk_mean_m: Option<f64>,
    pub week_change: Option<f64>,
    pub week_change_threshold: f64,
    pub week_high: bool,
}

/// What a day's load is measured in for `monotony`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum LoadMeasure {
    /// RPE × minutes, when every run of the week has an RPE.
    #[serde(rename = "rpe-minutes")]
    RpeMinutes,
    /// Metres run.
    #[serde(rename = "distance-m")]
    Distance,
}

/// `monotony`: mean daily load ÷ its standard deviation over the last `days` calendar days.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Monotony {
    pub days: i64,
    pub load: LoadMeasure,
    /// Oldest day first, today last.
    pub daily_load: Vec<f64>,
    pub mean: f64,
    pub sd: f64,
    /// `None` when every day had the same load (no spread: unbounded).
    pub monotony: Option<f64>,
    pub threshold: f64,
}

/// `no-rest`: a streak of calendar days with runs, reaching today or yesterday.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NoRest {
    pub days: u32,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub threshold: u32,
}

/// The longest run in the `days` before `run` (not counting it), if any.
pub fn longest_before(h: &History, run: &Run, days: i64) -> Option<f64> {
    h.runs_between(run.start - Duration::days(days), run.start)
        .iter()
        .filter(|r| r.id != run.id)
        .map(|r| r.distance_m)
        .reduce(f64::max)
}

/// The runs of the `days` days before `run` (not counting it).
fn runs_before(h: &History, run: &Run, days: i64) -> usize {
    h.runs_between(run.start - Duration::days(days), run.start)
        .iter()
        .filter(|r| r.id != run.id)
        .count()
}

/// The long-run-jump flag for one run, if it is more than 10 % longer than the longest run
/// of the 30 days before it. A jump needs a baseline: with fewer than 3 runs in that span the
/// coach is still learning it (the decision says so), and nothing is flagged.
pub fn jump_for(h: &History, run: &Run) -> Option<Flag> {
    if runs_before(h, run, h.t.long_run_base_days) < th::JUMP_BASELINE_RUNS {
        return None;
    }
    let base = longest_before(h, run, h.t.long_run_base_days)?;
    if base <= 0.0 || !above(run.distance_m, base * (1.0 + h.t.long_run_jump)) {
        return None;
    }
    let increase = run.distance_m / base - 1.0;
    let evidence = LongRunJump {
        run_id: run.id,
        run_at: run.start,
        distance_m: run.distance_m,
        longest_before_m: base,
        increase,
        more_than_double: above(increase, th::LONG_RUN_STRONG),
        threshold: h.t.long_run_jump,
        days: h.t.long_run_base_days,
    };
    Some(Flag::new(Severity::Warn, evidence))
}

/// The biggest jump among the runs of the last week.
pub fn long_run_jump(h: &History) -> Option<Flag> {
    let increase = |f: &Flag| match &f.evidence {
        super::Evidence::LongRunJump(e) => e.increase,
        _ => 0.0,
    };
    h.runs_in_last(th::REVIEW_DAYS)
        .iter()
        .filter_map(|r| jump_for(h, r))
        .max_by(|a, b| increase(a).total_cmp(&increase(b)))
}

fn total(runs: &[Run]) -> f64 {
    runs.iter().map(|r| r.distance_m).sum()
}

/// Acute:chronic ratio of distance (rolling, as in Gabbett 2016) once 28 days of history
/// exist, and this week against the mean of the four before once 35 days exist.
pub fn load_spike(h: &History) -> Option<Flag> {
    let (acute_days, chronic_days) = (th::ACUTE_DAYS, th::CHRONIC_DAYS);
    if !h.covers(chronic_days) {
        return None;
    }
    let acute = total(h.runs_in_last(acute_days));
    let chronic_weekly = total(h.runs_in_last(chronic_days)) / (chronic_days / acute_days) as f64;
    let ratio = (chronic_weekly > 0.0).then(|| acute / chronic_weekly);
    let base_weeks = th::WEEK_JUMP_BASE_WEEKS;
    let base_days = acute_days * (base_weeks + 1);
    let previous_mean = h.covers(base_days).then(|| {
        total(h.runs_between(h.now - Duration::days(base_days), h.now - Duration::days(acute_days))) / base_weeks as f64
    });
    let change = previous_mean.filter(|m| *m > 0.0).map(|m| acute / m - 1.0);
    let ratio_high = ratio.is_some_and(|r| at_least(r, h.t.acwr_limit));
    let week_high = change.is_some_and(|c| above(c, h.t.week_jump));
    if !ratio_high && !week_high {
        return None;
    }
    let evidence = LoadSpike {
        acute_7d_m: acute,
        chronic_weekly_m: chronic_weekly,
        acute_chronic_ratio: ratio,
        ratio_threshold: h.t.acwr_limit,
        ratio_high,
        previous_4wk_mean_m: previous_mean,
        week_change: change,
        week_change_threshold: h.t.week_jump,
        week_high,
    };
    Some(Flag::new(Severity::Info, evidence))
}

/// Foster's monotony over the last seven calendar days, today included.
pub fn monotony(h: &History) -> Option<Flag> {
    let days = th::MONOTONY_DAYS;
    let today = h.today();
    let first_day = today - Duration::days(days - 1);
    if h.first_run().is_none_or(|f| f.date_naive() > first_day) {
        return None;
    }
    let runs: Vec<&Run> = h
        .runs_in_last(days + 1)
        .iter()
        .filter(|r| (first_day..=today).contains(&r.start.date_naive()))
        .collect();
    if runs.is_empty() {
        return None;
    }
    // RPE × minutes only when every run of the week has an RPE; mixing the two scales would
    // make the spread meaningless.
    let by_rpe = runs.iter().all(|r| r.rpe.is_some());
    let mut daily = vec![0.0; days as usize];
    for r in &runs {
        let i = (r.start.date_naive() - first_day).num_days() as usize;
        daily[i] += match (by_rpe, r.rpe) {
            (true, Some(rpe)) => rpe.0 as f64 * r.duration_s as f64 / 60.0,
            _ => r.distance_m,
        };
    }
    let (mean, sd) = mean_sd(&daily);
    let value = if sd > 0.0 { mean / sd } else { f64::INFINITY };
    if !above(value, h.t.monotony_limit) {
        return None;
    }
    let evidence = Monotony {
        days,
        load: if by_rpe {
            LoadMeasure::RpeMinutes
        } else {
            LoadMeasure::Distance
        },
        daily_load: daily,
        mean,
        sd,
        monotony: value.is_finite().then_some(value),
        threshold: h.t.monotony_limit,
    };
    Some(Flag::new(Severity::Info, evidence))
}

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len().max(1) as f64;
    let mean = xs.iter().sum::<f64>() / n;
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
    (mean, var.sqrt())
}

/// The current streak of calendar days with runs: it must reach today or yesterday (today
/// may still bring a rest). Returns the streak's length and first and last day.
pub fn streak(h: &History) -> Option<(u32, NaiveDate, NaiveDate)> {
    let today = h.today();
    let last = h.runs.last()?.start.date_naive();
    if last < today - Duration::days(1) {
        return None;
    }
    let (mut expected, mut days, mut first) = (last, 0u32, last);
    for r in h.runs.iter().rev() {
        let d = r.start.date_naive();
        if d == expected {
            days += 1;
            first = d;
            expected = d - Duration::days(1);
        } else if d < expected {
            break;
        }
    }
    Some((days, first, last))
}

pub fn no_rest(h: &History) -> Option<Flag> {
    let (days, first, last) = streak(h)?;
    if days < h.t.no_rest_days {
        return None;
    }
    let evidence = NoRest {
        days,
        first_day: first,
        last_day: last,
        threshold: h.t.no_rest_days,
    };
    Some(Flag::new(Severity::Warn, evidence))
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::*;
    use crate::model::Rpe;

    /// A base run and two 1 km runs on the same day `base_days_ago` (a baseline of three), then
    /// a run yesterday.
    fn jump(base_km: f64, new_km: f64, base_days_ago: i64) -> Option<Flag> {
        let base = vec![
            run(base_days_ago, base_km),
            run(base_days_ago, 1.0),
            run(base_days_ago, 1.0),
        ];
        let d = data(base.into_iter().chain([run(1, new_km)]).collect(), vec![]);
        long_run_jump(&history(&d))
    }

    #[test]
    fn a_jump_needs_a_baseline_of_three_runs_in_the_30_days_before() {
        let with = |n: usize| {
            let mut runs: Vec<Run> = (0..n).map(|i| run(10 + i as i64, 5.0)).collect();
            runs.push(run(1, 10.0));
            long_run_jump(&history(&data(runs, vec![])))
        };
        assert!(with(2).is_none(), "two runs before: still learning the baseline");
        assert!(with(3).is_some(), "three runs before");
        assert!(with(4).is_some());
        assert!(with(0).is_none(), "a first run ever");
    }

    #[test]
    fn long_run_jump_at_just_below_and_above_10_percent() {
        assert!(jump(10.0, 11.0, 10).is_none(), "exactly 10 % is within");
        assert!(jump(10.0, 10.99, 10).is_none());
        let f = jump(10.0, 11.01, 10).expect("just over 10 %");
        assert_eq!(f.severity, Severity::Warn);
        let e = evidence!(f, LongRunJump);
        assert!(close(e.increase, 0.101), "{e:?}");
        assert!(close(e.distance_m, 11_010.0) && close(e.longest_before_m, 10_000.0));
        assert_eq!((e.days, e.run_at), (30, day(1)));
        assert!(!e.more_than_double);
        assert!(evidence!(jump(10.0, 20.5, 10).unwrap(), LongRunJump).more_than_double);
        assert!(
            !evidence!(jump(10.0, 20.0, 10).unwrap(), LongRunJump).more_than_double,
            "exactly double"
        );
    }

    #[test]
    fn long_run_jump_needs_a_run_in_the_30_days_before_and_a_recent_run() {
        assert!(
            jump(10.0, 15.0, 32).is_none(),
            "the base run is 31 days before the new one"
        );
        assert!(jump(10.0, 15.0, 31).is_some(), "exactly 30 days before");
        assert!(long_run_jump(&history(&data(vec![run(1, 30.0)], vec![]))).is_none());
        // A jump eight days ago is no longer news.
        let d = data(vec![run(22, 5.0), run(21, 5.0), run(20, 10.0), run(8, 15.0)], vec![]);
        assert!(long_run_jump(&history(&d)).is_none());
    }

    #[test]
    fn the_biggest_jump_of_the_week_is_reported() {
        let d = data(
            vec![
                run(25, 5.0),
                run(22, 5.0),
                run(20, 10.0),
                run(5, 11.5),
                run(3, 15.0),
                run(1, 15.5),
            ],
            vec![],
        );
        let f = long_run_jump(&history(&d)).unwrap();
        assert_eq!(
            evidence!(f, LongRunJump).distance_m,
            15_000.0,
            "30 % over 11.5 beats 15 % over 10"
        );
    }

    /// `base` km a week (one run a day from day 7 back to `history_days - 1`), `week` km in the
    /// last 7 days, and a 1 m run `history_days` back that only marks where history begins.
    fn loads(base: f64, week: f64, history_days: i64) -> Option<Flag> {
        let mut runs: Vec<Run> = (7..history_days).map(|i| run(i, base / 7.0)).collect();
        runs.push(run(history_days, 0.001));
        runs.extend((0..7).map(|i| run(i, week / 7.0)));
        load_spike(&history(&data(runs, vec![])))
    }

    #[test]
    fn load_spike_acute_chronic_at_1_5() {
        // Over 28 days: 3 weeks at b and one at w; ratio = w / ((3b + w) / 4) = 1.5 when w = 1.8 b.
        let f = loads(50.0, 90.0, 28);
        let f = f.expect("ratio 1.5");
        assert_eq!(f.severity, Severity::Info);
        let e = evidence!(f, LoadSpike);
        assert!(close(e.acute_chronic_ratio.unwrap(), 1.5), "{e:?}");
        assert!(e.ratio_high && !e.week_high);
        assert!(close(e.acute_7d_m, 90_000.0) && close(e.chronic_weekly_m, 60_000.0));
        assert_eq!(e.previous_4wk_mean_m, None, "no 35 days of history");
        assert!(
            loads(50.0, 89.5, 28).is_none(),
            "just below 1.5; no 35 days for the week test"
        );
        assert!(loads(50.0, 91.0, 28).is_some());
    }

    #[test]
    fn load_spike_needs_28_days_of_history() {
        assert!(loads(50.0, 200.0, 27).is_none());
        assert!(loads(50.0, 200.0, 28).is_some());
        assert!(load_spike(&history(&data(vec![], vec![]))).is_none());
    }

    #[test]
    fn load_spike_week_jump_at_30_percent() {
        // 35 days of history: the week test applies; ratio stays below 1.5 at these sizes.
        assert!(loads(50.0, 65.0, 35).is_none(), "exactly 30 % is not above");
        let f = loads(50.0, 65.5, 35).expect("just above 30 %");
        let e = evidence!(f, LoadSpike);
        assert!(e.acute_chronic_ratio.unwrap() < 1.5 && !e.ratio_high && e.week_high);
        assert!(close(e.week_change.unwrap(), 0.31), "{e:?}");
        assert!(close(e.previous_4wk_mean_m.unwrap(), 50_000.0));
        assert!(loads(50.0, 64.5, 35).is_none());
    }

    fn week_of(loads_km: &[f64], rpe: Option<u8>) -> Option<Flag> {
        let mut runs = vec![run(30, 5.0)];
        for (i, km) in loads_km.iter().enumerate() {
            if *km > 0.0 {
                let mut r = run(6 - i as i64, *km);
                r.rpe = rpe.map(Rpe);
                runs.push(r);
            }
        }
        monotony(&history(&data(runs, vec![])))
    }

    #[test]
    fn monotony_above_2_only() {
        // Loads 1,2,2,2,2,2,3: mean 2, sd = sqrt(2/7) ≈ 0.53: monotony ≈ 3.7.
        assert!(week_of(&[1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0], None).is_some());
        // 0,0,4,4,4,4,4 → mean 20/7, sd ≈ 1.81: monotony ≈ 1.58.
        assert!(week_of(&[0.0, 0.0, 4.0, 4.0, 4.0, 4.0, 4.0], None).is_none());
        // One rest day among six equal days: mean 6x/7, sd = x√6/7, monotony = 6/√6 ≈ 2.45.
        assert!(week_of(&[0.0, 5.0, 5.0, 5.0, 5.0, 5.0, 5.0], None).is_some());
        // Two of seven: 5/√10 ≈ 1.58.
        assert!(week_of(&[0.0, 0.0, 5.0, 5.0, 5.0, 5.0, 5.0], Some(5)).is_none());
        let same = week_of(&[5.0; 7], Some(4)).expect("the same every day");
        let e = evidence!(same, Monotony);
        assert_eq!(e.monotony, None);
        assert_eq!(e.load, LoadMeasure::RpeMinutes);
        assert_eq!(e.daily_load.len(), 7);
        let f = week_of(&[1.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0], None).unwrap();
        let e = evidence!(f, Monotony);
        assert_eq!(e.load, LoadMeasure::Distance);
        assert_eq!(e.daily_load, [1000.0, 2000.0, 2000.0, 2000.0, 2000.0, 2000.0, 3000.0]);
        assert!(close(e.monotony.unwrap(), 2.0 / (2.0f64 / 7.0).sqrt()));
    }

    #[test]
    fn monotony_just_around_2() {
        // Loads a, b on alternating days chosen so mean/sd is 2 ± a little.
        // With 7 days of x except one day y: compute directly and check the boundary behaviour.
        let check = |xs: &[f64]| {
            let (m, s) = mean_sd(xs);
            m / s
        };
        let below = [4.0, 4.0, 4.0, 4.0, 0.5, 4.0, 0.5];
        let above_ = [4.0, 4.0, 4.0, 4.0, 1.0, 4.0, 1.0];
        assert!(check(&below) < 2.0 && check(&above_) > 2.0);
        assert!(week_of(&below, None).is_none());
        assert!(week_of(&above_, None).is_some());
    }

    #[test]
    fn monotony_exactly_at_the_limit_does_not_fire() {
        let loads = [0.0, 6.0, 5.0, 7.0, 0.0, 6.0, 5.0];
        let (m, s) = mean_sd(&loads);
        let mut runs = vec![run(30, 5.0)];
        runs.extend(
            loads
                .iter()
                .enumerate()
                .filter(|(_, km)| **km > 0.0)
                .map(|(i, km)| run(6 - i as i64, *km)),
        );
        let d = data(runs, vec![]);
        let mut h = history(&d);
        h.t.monotony_limit = m / s;
        assert!(monotony(&h).is_none(), "at the limit");
        h.t.monotony_limit = m / s - 0.01;
        assert!(monotony(&h).is_some(), "just above the limit");
        h.t.monotony_limit = m / s + 0.01;
        assert!(monotony(&h).is_none(), "just below the limit");
    }

    #[test]
    fn monotony_falls_back_to_distance_when_an_rpe_is_unknown() {
        let mut runs = vec![run(30, 5.0)];
        for i in 0..7 {
            let mut r = run(i, 5.0 + i as f64 * 0.1);
            r.rpe = (i != 3).then_some(Rpe(5));
            runs.push(r);
        }
        let f = monotony(&history(&data(runs, vec![]))).expect("near-identical days");
        assert_eq!(evidence!(f, Monotony).load, LoadMeasure::Distance);
    }

    #[test]
    fn monotony_needs_a_full_week_of_history() {
        let runs: Vec<Run> = (0..6).map(|i| run(i, 5.0)).collect();
        assert!(monotony(&history(&data(runs, vec![]))).is_none());
    }

    fn streak_of(days: i64, ending_days_ago: i64) -> Option<Flag> {
        let runs = (0..days).map(|i| run(ending_days_ago + i, 5.0)).collect();
        no_rest(&history(&data(runs, vec![])))
    }

    #[test]
    fn no_rest_at_6_7_and_8_days() {
        assert!(streak_of(6, 0).is_none());
        let f = streak_of(7, 0).expect("seven days");
        assert_eq!(f.severity, Severity::Warn);
        let e = evidence!(f, NoRest);
        assert_eq!((e.days, e.threshold), (7, 7));
        assert_eq!((e.first_day, e.last_day), (day(6).date_naive(), day(0).date_naive()));
        assert_eq!(evidence!(streak_of(8, 0).unwrap(), NoRest).days, 8);
        assert!(streak_of(7, 1).is_some(), "ending yesterday: today may still be a rest");
        assert!(streak_of(7, 2).is_none(), "a rest day since");
        assert!(no_rest(&history(&data(vec![], vec![]))).is_none());
    }

    #[test]
    fn two_runs_on_one_day_count_once_and_a_gap_ends_the_streak() {
        let mut runs: Vec<Run> = (0..6).map(|i| run(i, 5.0)).collect();
        runs.push(run(2, 3.0));
        runs.extend((7..12).map(|i| run(i, 5.0)));
        let f = no_rest(&history(&data(runs, vec![])));
        assert!(f.is_none(), "six days, a gap on day 6, then five");
    }
}
