//! The plan on the scenarios of issue 19, at a fixed moment (Wednesday 2026-11-25, 20:00 UTC):
//! a steady runner, a spike, severe pain, a three-week gap (and one after severe pain, which
//! comes back as walk-run), a brand-new runner, moderate pain, a red flag, a run already logged
//! today, and the no-rest streak.

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Weekday};

use super::*;
use crate::model::{Data, Pain, PainLevel, Run, Seen, Timing};
use crate::rules::testkit::now;

const DAY: i64 = 24;

fn ago(hours: i64) -> DateTime<FixedOffset> {
    now() - Duration::hours(hours)
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

#[derive(Default)]
struct Log {
    d: Data,
}

impl Log {
    /// A run that started `hours` ago, at 5:30 /km.
    fn run(mut self, hours: i64, km: f64) -> Log {
        self.d
            .add_run(Run::new(ago(hours), km * 1000.0, (km * 330.0).round() as u64));
        self
    }

    /// An entry `hours_after` the end of the latest run, linked to it.
    fn after_last(mut self, hours_after: i64, level: u8) -> Log {
        let r = self.d.runs.last().unwrap().clone();
        let mut p = Pain::new(r.end() + Duration::hours(hours_after), PainLevel(level));
        p.run_id = Some(r.id);
        p.when = Some(Timing::After);
        self.d.add_pain(p);
        self
    }

    fn pain(mut self, hours: i64, level: u8, symptom: Option<&str>) -> Log {
        let mut p = Pain::new(ago(hours), PainLevel(level));
        p.symptoms = symptom.into_iter().map(str::to_string).collect();
        self.d.add_pain(p);
        self
    }

    fn plan(&self) -> Plan {
        self.plan_with(Options::default())
    }

    fn plan_with(&self, o: Options) -> Plan {
        make(&self.d, now(), &o)
    }
}

/// Six weeks of Tuesday 8 km, Thursday 8 km and Sunday 12 km, each with 1/10 after it, up to
/// yesterday (Tuesday 2026-11-24, 08:00).
fn steady() -> Log {
    let mut log = Log::default();
    // Tuesday 08:00 is 36 h before Wednesday 20:00.
    for week in (0..6).rev() {
        let tue = 36 + week * 7 * DAY;
        // In time order (each entry is linked to the latest run): Thursday, five days before
        // Tuesday; Sunday, two days before, the long run; Tuesday.
        for hours in [tue + 5 * DAY, tue + 2 * DAY, tue] {
            let km = if hours == tue + 2 * DAY { 12.0 } else { 8.0 };
            log = log.run(hours, km).after_last(2, 1);
        }
    }
    log
}

fn kinds(p: &Plan) -> Vec<(String, &'static str)> {
    p.days
        .iter()
        .map(|d| (d.date.format("%a").to_string(), d.kind.as_str()))
        .collect()
}

fn km(d: &Day) -> f64 {
    d.counted_m.unwrap_or(0.0) / 1000.0
}

fn runs(p: &Plan) -> Vec<&Day> {
    p.days.iter().filter(|d| d.kind.is_run()).collect()
}

#[test]
fn a_steady_runner_keeps_their_week_and_builds_the_long_run_by_ten_percent_at_most() {
    let p = steady().plan();
    assert_eq!((p.runs_per_week, p.runs_per_week_from), (3, Source::History));
    assert_eq!((p.long_day, p.long_day_from), (Weekday::Sun, Source::History));
    assert_eq!(p.pattern, vec![Weekday::Tue, Weekday::Thu, Weekday::Sun]);
    assert_eq!(p.days[0].date, date("2026-11-25"), "day 1 is today");
    assert_eq!(p.days[0].decision.light, Light::Go);
    // Today: the last 7 days already hold Thursday, Sunday and Tuesday.
    assert_eq!(p.days[0].why, Why::WeekRuns { runs: 3, per_week: 3 });
    let k: Vec<_> = kinds(&p).into_iter().map(|(_, k)| k).collect();
    assert_eq!(
        k,
        ["cross-training", "run", "cross-training", "rest", "run", "rest", "run"],
        "{:?}",
        kinds(&p)
    );
    let r = runs(&p);
    assert_eq!((km(r[0]), r[0].effort), (8.0, Some(Effort::Easy)), "the usual distance");
    // The long run: 10 % over the longest of the 30 days (12 km), the cap.
    assert_eq!((km(r[1]), r[1].effort), (13.2, Some(Effort::Long)));
    assert!(matches!(r[1].bound, Some(Bound::Cap { .. })));
    assert_eq!(km(r[2]), 8.0);
    // The week stays under its brake: 28 km a week before, at most 30.8 km.
    let w = p.week.unwrap();
    assert!(
        (w.mean_m - 28_000.0).abs() < 1.0 && (w.limit_m - 30_800.0).abs() < 1.0,
        "{w:?}"
    );
    // Warm-up before and stretch after every run; strength and Pilates twice, not on or
    // before the long run.
    for d in &r {
        assert_eq!(&d.routines[..2], ["warmup", "stretch"]);
    }
    let with = |name: &str| p.days.iter().filter(|d| d.routines.contains(&name)).count();
    assert_eq!((with("strength"), with("pilates")), (2, 2));
    for d in &p.days[3..5] {
        assert!(!d.routines.contains(&"strength") && !d.routines.contains(&"pilates"));
    }
    // No pain beyond 1/10, none assumed to change.
    assert_eq!(p.assumed.map(|a| a.level), Some(1));
}

#[test]
fn a_spike_holds_the_next_run_and_never_raises_the_cap() {
    // Yesterday 20 km instead of 8: more than 10 % over the 12 km of the month before.
    let mut log = steady();
    let last = log.d.runs.len() - 1;
    log.d.runs[last].distance_m = 20_000.0;
    let p = log.plan();
    assert_eq!(p.days[0].decision.light, Light::Hold);
    // Thursday, a run day, is off: the 7 days to it already hold 32 km (Sunday's 12 and the
    // 20), over the weekly brake of 30.8 km (10 % over the 28 km mean week).
    let thu = &p.days[1];
    assert_eq!(thu.date, date("2026-11-26"));
    match thu.why {
        Why::TooLittle {
            allowed_m,
            bound: Bound::Week(w),
        } => {
            assert_eq!(allowed_m, 0.0);
            assert!((w.limit_m - 30_800.0).abs() < 1.0, "{w:?}");
        }
        other => panic!("Thursday: {other:?}"),
    }
    let r = runs(&p);
    // The next run (Sunday, the long-run day) is still held, the spike being the last run: an
    // easy run no longer than the longest recent run that was not the spike (12 km), and no
    // longer than usual.
    assert_eq!(r[0].date, date("2026-11-29"));
    assert_eq!(r[0].decision.light, Light::Hold);
    assert_eq!((km(r[0]), r[0].effort), (8.0, Some(Effort::Easy)));
    // After it, go again, the cap from the 12 km, not from the 20 km.
    assert!(
        r.iter().all(|d| km(d) <= 13.2),
        "{:?}",
        r.iter().map(|d| km(d)).collect::<Vec<_>>()
    );
    assert_eq!(r[1].decision.light, Light::Go);
}

#[test]
fn severe_pain_rests_every_day_with_relief_and_no_loading() {
    let p = steady().after_last(10, 8).plan();
    assert!(
        p.days
            .iter()
            .all(|d| d.kind == Kind::Rest && d.decision.light == Light::Rest)
    );
    assert!(
        p.days.iter().all(|d| d.routines == ["relief"]),
        "{:?}",
        p.days[0].routines
    );
    assert_eq!(p.assumed.map(|a| a.level), Some(8));
    assert!(p.planned_runs.is_empty());
}

#[test]
fn moderate_pain_holds_every_run_easy_with_relief() {
    let p = steady().after_last(10, 4).plan();
    let r = runs(&p);
    assert!(!r.is_empty());
    for d in &p.days {
        assert_eq!(d.decision.light, Light::Hold, "{}", d.date);
        assert!(d.routines.contains(&"relief"), "{}: {:?}", d.date, d.routines);
    }
    for d in r {
        assert_eq!(d.effort, Some(Effort::Easy));
        assert!(km(d) <= 8.0, "no increase: {}", km(d));
    }
    // Days off at hold are cross-training where the week allows it.
    assert!(p.days.iter().any(|d| d.kind == Kind::CrossTraining));
}

/// Steady up to 22 days ago, then nothing.
fn three_week_gap() -> Log {
    let mut log = steady();
    log.d.runs.retain(|r| r.start < ago(22 * DAY));
    log.d.pain.retain(|p| p.at < ago(22 * DAY));
    log
}

#[test]
fn after_a_three_week_gap_the_first_run_is_half_and_each_next_at_most_ten_percent_more() {
    let p = three_week_gap().plan();
    assert!(matches!(p.days[0].decision.phase, Phase::Away { .. }));
    let r = runs(&p);
    let distances: Vec<f64> = r.iter().map(|d| km(d)).collect();
    // Half of 12 km, then 10 % a run, rounded down to 100 m; three runs in the 7 days, the
    // most while coming back.
    assert_eq!(distances, [6.0, 6.6, 7.2]);
    assert!(r.iter().all(|d| d.effort == Some(Effort::Easy) && d.kind == Kind::Run));
    // Never two days in a row while coming back: today, then Sunday and Tuesday (the runner's
    // days).
    assert_eq!(
        p.days[1].why,
        Why::DayBetween {
            ran_on: date("2026-11-25")
        }
    );
    let dates: Vec<NaiveDate> = r.iter().map(|d| d.date).collect();
    assert_eq!(dates, [date("2026-11-25"), date("2026-11-29"), date("2026-12-01")]);
    assert_eq!(p.assumed, None, "no entry in the last 14 days: none assumed");
    assert!(p.runs_per_week <= habits::RETURN_RUNS_PER_WEEK);
}

#[test]
fn after_a_gap_that_followed_severe_pain_the_return_is_walk_run_moving_up_a_step_a_session() {
    // 8/10 after the last run before the gap, settled two days later.
    let log = three_week_gap().after_last(3, 8).pain(20 * DAY, 1, None);
    let p = log.plan();
    let walks: Vec<&Day> = p.days.iter().filter(|d| d.kind == Kind::WalkRun).collect();
    assert!(walks.len() >= 2, "{:?}", kinds(&p));
    for (i, d) in walks.iter().enumerate() {
        let w = d.walk_run.unwrap();
        assert_eq!(w.step, i, "one step up a session: {}", d.date);
        assert_eq!(d.check_on, Some(d.date + Duration::days(1)));
        let next = p.days.iter().find(|n| n.date == d.date + Duration::days(1));
        if let Some(n) = next {
            assert!(!n.kind.is_run(), "the morning after is for checking");
            assert!(matches!(n.why, Why::CheckDay { .. }), "{:?}", n.why);
        }
        assert!(!d.routines.contains(&"strength"));
        assert!(km(d) <= 6.0, "within the first-run-back cap: {}", km(d));
    }
    // The next-day pain each step assumes is the level before it, logged nowhere.
    assert!(p.assumed_pain.iter().all(|e| e.when == Some(Timing::NextDay)));
}

#[test]
fn a_brand_new_runner_starts_with_twenty_to_thirty_minutes_three_times_a_week() {
    let p = Log::default().plan();
    assert_eq!((p.runs_per_week, p.runs_per_week_from), (3, Source::Default));
    assert_eq!((p.long_day, p.long_day_from), (Weekday::Sun, Source::Default));
    let r = runs(&p);
    assert_eq!(r.len(), 3, "{:?}", kinds(&p));
    assert!(
        r.iter()
            .all(|d| d.first_runs && d.distance_m.is_none() && d.effort == Some(Effort::Easy))
    );
    assert_eq!(r[0].date, date("2026-11-25"), "day 1: the coach says start today");
    assert_eq!(r[0].decision.max_distance_m, None);
    // Runs never on two days in a row, whatever the weekday of day 1 (it runs whenever the
    // coach allows it, off the week's usual days too).
    for start in 0..7 {
        let p = make(&Data::default(), now() + Duration::days(start), &Options::default());
        let r = runs(&p);
        assert!(
            r[0].date == p.days[0].date && (2..=3).contains(&r.len()),
            "{:?}",
            kinds(&p)
        );
        for pair in r.windows(2) {
            assert!(pair[1].date - pair[0].date >= Duration::days(2), "{:?}", kinds(&p));
        }
    }
}

#[test]
fn an_open_red_flag_rests_every_day_with_nothing_but_the_triage() {
    let log = steady().pain(3, 2, Some("saddle-numbness"));
    let p = log.plan();
    assert!(
        p.days
            .iter()
            .all(|d| d.kind == Kind::Rest && d.decision.red_flag_rest())
    );
    assert!(p.days.iter().all(|d| d.routines.is_empty()));
    // Once a clinician has seen it, the week is planned again.
    let mut seen = log;
    seen.d.red_flags_seen.push(Seen { at: ago(1) });
    assert!(seen.plan().days.iter().any(|d| d.kind.is_run()));
}

#[test]
fn day_one_is_tomorrow_when_a_run_is_logged_today() {
    let p = steady().run(10, 8.0).after_last(1, 0).plan();
    assert!(p.ran_today);
    assert_eq!(p.days[0].date, date("2026-11-26"));
    // At least as careful as the coach now.
    let coach = decide_now(&Timeline::new(&steady().run(10, 8.0).after_last(1, 0).d), now());
    assert!(p.days[0].decision.light >= coach.light);
}

#[test]
fn no_streak_reaches_no_rest_days() {
    let mut log = steady();
    log.d.config.no_rest_days = 3;
    // Sunday, Monday and Tuesday in a row; seven runs a week asked.
    let mut log = log.run(60, 5.0);
    let seven = Options {
        runs_per_week: Some(7),
        ..Options::default()
    };
    for limit in [3, 4] {
        log.d.config.no_rest_days = limit;
        let p = log.plan_with(seven);
        // Three days in a row already: today would make four.
        assert_eq!(p.days[0].why, Why::Streak { days: 3, limit }, "limit {limit}");
        // Counting the three logged days before it, no planned run makes a streak of the limit.
        let mut streak = 3;
        for d in &p.days {
            streak = if d.kind.is_run() { streak + 1 } else { 0 };
            assert!(!d.kind.is_run() || streak < limit, "limit {limit}: {}", d.date);
        }
        assert!(
            p.days.iter().any(|d| d.kind.is_run()),
            "limit {limit}: runs after the rest day"
        );
    }
}

#[test]
fn the_options_set_the_week_and_the_days() {
    let p = steady().plan_with(Options {
        days: 14,
        runs_per_week: Some(2),
        long_day: Some(Weekday::Sat),
    });
    assert_eq!(p.days.len(), 14);
    assert_eq!((p.runs_per_week_from, p.long_day_from), (Source::Given, Source::Given));
    assert!(p.pattern.contains(&Weekday::Sat) && p.pattern.len() == 2);
    for d in runs(&p) {
        assert!(p.pattern.contains(&d.date.weekday()) || d.date == p.days[0].date);
    }
    let longs: Vec<_> = p.days.iter().filter(|d| d.effort == Some(Effort::Long)).collect();
    assert!(longs.iter().all(|d| d.date.weekday() == Weekday::Sat) && !longs.is_empty());
}

#[test]
fn the_more_careful_of_two_decisions() {
    let go = decide(&Timeline::new(&steady().d), now());
    let held = decide(&Timeline::new(&steady().after_last(10, 4).d), now());
    assert_eq!(more_careful(go.clone(), held.clone()).light, Light::Hold);
    assert_eq!(more_careful(held.clone(), go.clone()).light, Light::Hold);
    let both = more_careful(go.clone(), held.clone());
    assert!(both.max_distance_m <= go.max_distance_m);
}
