//! Property tests for `lumbar plan` (issue 19): over thousands of random histories (runs of every
//! length with spikes, pain of every level and timing, gaps, red flags seen and unseen, any
//! `no-rest-days`, any time of day and time zone), every plan obeys the rules of EVIDENCE.md
//! section 6, "The plan". Each rule is checked from the outside: the coach's own decision is
//! evaluated again on the history plus what the plan counts as done, and the calendar rules are
//! counted again from the runs.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use lumbar::model::{Data, Pain, PainLevel, Run, Seen, Timing};
use lumbar::output::Output;
use lumbar::output::plan::{PlanView, ics, render};
use lumbar::plan::{Kind, Options, Plan, make};
use lumbar::rules::decision::distance::gap_before;
use lumbar::rules::decision::{CapKind, Light, Timeline, decide, decide_now};
use proptest::prelude::*;
use proptest::strategy::ValueTree;

/// Forgiving float comparisons of distances (metres).
const EPS: f64 = 1e-6;

/// One day of a random history.
#[derive(Clone, Debug)]
struct DayRecipe {
    run: u8,
    factor: f64,
    hour: u32,
    pace_s_per_km: u32,
    pain: u8,
    level: u8,
    timing: u8,
    link: bool,
    red_flag: u8,
}

#[derive(Clone, Debug)]
struct Recipe {
    hours_after: i64,
    offset_min: i32,
    run_share: u8,
    pain_share: u8,
    km: f64,
    days: Vec<DayRecipe>,
    gap: Option<(usize, usize)>,
    seen_days_ago: Option<i64>,
    no_rest_days: u32,
    age: Option<u32>,
    plan_days: u32,
    runs_per_week: Option<u32>,
    long_day: Option<u8>,
}

fn day_recipe() -> impl Strategy<Value = DayRecipe> {
    (
        0u8..100,
        prop_oneof![4 => 0.5f64..1.3, 1 => 1.3f64..2.6],
        5u32..22,
        270u32..480,
        0u8..100,
        prop_oneof![3 => 0u8..=2, 2 => 3u8..=5, 1 => 6u8..=10],
        0u8..6,
        any::<bool>(),
        0u8..200,
    )
        .prop_map(
            |(run, factor, hour, pace_s_per_km, pain, level, timing, link, red_flag)| DayRecipe {
                run,
                factor,
                hour,
                pace_s_per_km,
                pain,
                level,
                timing,
                link,
                red_flag,
            },
        )
}

fn recipe() -> impl Strategy<Value = Recipe> {
    recipe_with(prop::option::weighted(0.35, (0usize..100, 14usize..45)).boxed())
}

/// A history that holds a gap of 14 to 45 days, ending up to 30 days ago.
fn comeback() -> impl Strategy<Value = Recipe> {
    recipe_with((0usize..30, 14usize..45).prop_map(Some).boxed())
}

/// A random history whose gap, if any, `gap` draws: (days ago it ends, its length).
fn recipe_with(gap: BoxedStrategy<Option<(usize, usize)>>) -> impl Strategy<Value = Recipe> {
    (
        (
            0i64..48,
            prop_oneof![Just(0), Just(60), Just(-300), Just(330)],
            0u8..=100,
            0u8..=100,
            2.0f64..16.0,
        ),
        prop::collection::vec(day_recipe(), 0..110),
        gap,
        prop::option::weighted(0.2, 0i64..40),
        (2u32..=10, prop::option::of(18u32..80)),
        (
            1u32..=14,
            prop::option::weighted(0.3, 1u32..=7),
            prop::option::weighted(0.3, 0u8..7),
        ),
    )
        .prop_map(
            |(
                (hours_after, offset_min, run_share, pain_share, km),
                days,
                gap,
                seen_days_ago,
                (no_rest_days, age),
                (plan_days, runs_per_week, long_day),
            )| Recipe {
                hours_after,
                offset_min,
                run_share,
                pain_share,
                km,
                days,
                gap,
                seen_days_ago,
                no_rest_days,
                age,
                plan_days,
                runs_per_week,
                long_day,
            },
        )
}

const RED_FLAGS: [&str; 6] = [
    "saddle-numbness",
    "leg-weakness",
    "fever",
    "night-pain",
    "weight-loss",
    "upper-back-pain",
];

/// The history a recipe describes, and the moment of the call.
fn build(r: &Recipe) -> (Data, DateTime<FixedOffset>) {
    let off = FixedOffset::east_opt(r.offset_min * 60).unwrap();
    let base = off.with_ymd_and_hms(2026, 11, 25, 0, 0, 0).unwrap();
    let now = base + Duration::hours(r.hours_after) + Duration::minutes(17);
    let mut data = Data::default();
    data.config.no_rest_days = r.no_rest_days;
    data.config.age = r.age;
    let n = r.days.len();
    for (i, d) in r.days.iter().enumerate() {
        let days_ago = (n - 1 - i) as i64;
        let in_gap = r
            .gap
            .is_some_and(|(from, len)| days_ago >= from as i64 && days_ago < (from + len) as i64);
        let date = now.date_naive() - Duration::days(days_ago);
        let start = off
            .from_local_datetime(&date.and_hms_opt(d.hour, 0, 0).unwrap())
            .unwrap();
        let mut run_id = None;
        if d.run < r.run_share && !in_gap && start <= now + Duration::hours(20) {
            let m = (r.km * d.factor * 1000.0).round().max(500.0);
            let secs = (m / 1000.0 * d.pace_s_per_km as f64).round() as u64;
            run_id = Some(data.add_run(Run::new(start, m, secs)));
        }
        if d.pain < r.pain_share {
            let at = start + Duration::hours(2);
            if at <= now + Duration::hours(20) {
                let mut p = Pain::new(at, PainLevel(d.level));
                p.when = match d.timing {
                    0 => Some(Timing::During),
                    1 => Some(Timing::After),
                    2 => Some(Timing::NextDay),
                    3 => Some(Timing::Rest),
                    _ => None,
                };
                if d.link {
                    p.run_id = run_id.or(data.runs.last().map(|r| r.id));
                }
                // About one entry in 200 names a red flag, of every level.
                if d.red_flag == 0 {
                    p.symptoms = vec![RED_FLAGS[(d.hour + d.level as u32) as usize % RED_FLAGS.len()].to_string()];
                }
                data.add_pain(p);
            }
        }
    }
    if let Some(days) = r.seen_days_ago {
        data.red_flags_seen.push(Seen {
            at: now - Duration::days(days),
        });
    }
    (data, now)
}

fn options(r: &Recipe) -> Options {
    Options {
        days: r.plan_days,
        runs_per_week: r.runs_per_week,
        long_day: r.long_day.map(|w| Weekday::try_from(w).unwrap()),
    }
}

/// The decision as of a plan day, evaluated again: the logged history plus the planned runs
/// that started before that moment and the assumed entries up to it.
fn decision_as_of(data: &Data, plan: &Plan, at: DateTime<FixedOffset>) -> lumbar::rules::decision::Decision {
    let runs: Vec<Run> = plan.planned_runs.iter().filter(|r| r.start < at).cloned().collect();
    let t = Timeline::with(data, runs, plan.assumed_pain.clone());
    decide(&t, at)
}

/// Every run, logged and planned, in time order.
fn all_runs(data: &Data, plan: &Plan) -> Vec<Run> {
    let mut all = data.runs.clone();
    all.extend(plan.planned_runs.iter().cloned());
    all.sort_by_key(|r| r.start);
    all
}

fn check(data: &Data, now: DateTime<FixedOffset>, o: &Options, plan: &Plan) -> Result<(), TestCaseError> {
    let off = *now.offset();
    let day_of = |t: DateTime<FixedOffset>| t.with_timezone(&off).date_naive();
    let today = now.date_naive();
    let ran_today = data.runs.iter().any(|r| day_of(r.start) == today);
    let first = if ran_today { today + Duration::days(1) } else { today };

    // The days: as many as asked, one a date, from today (or tomorrow after a run today).
    prop_assert_eq!(plan.days.len(), o.days as usize);
    for (k, d) in plan.days.iter().enumerate() {
        prop_assert_eq!(d.date, first + Duration::days(k as i64));
    }
    let planned: Vec<&lumbar::plan::Day> = plan.days.iter().filter(|d| d.kind.is_run()).collect();
    prop_assert_eq!(planned.len(), plan.planned_runs.len(), "one counted run a run day");

    // Day 1 is the coach's decision.
    let coach = decide_now(&Timeline::new(data), now);
    let d1 = &plan.days[0];
    if first == today {
        prop_assert_eq!(d1.decision.light, coach.light);
        prop_assert_eq!(d1.decision.max_distance_m, coach.max_distance_m);
    } else {
        prop_assert!(
            d1.decision.light >= coach.light,
            "day 1 tomorrow at least as careful as now"
        );
        if d1.kind.is_run() {
            let m = d1.counted_m.unwrap();
            prop_assert!(coach.light != Light::Rest);
            prop_assert!(
                coach.max_distance_m.is_none_or(|c| m <= c + EPS),
                "{m} over the coach's cap"
            );
        }
    }

    let mut run_index = 0;
    for (k, d) in plan.days.iter().enumerate() {
        let again = if k == 0 && first == today {
            coach.clone()
        } else {
            decision_as_of(data, plan, d.at)
        };
        if k > 0 {
            // Each later day is the decision as of that day, planned runs counted as done.
            prop_assert_eq!(d.decision.light, again.light, "day {} light", d.date);
            prop_assert_eq!(d.decision.max_distance_m, again.max_distance_m, "day {} cap", d.date);
        }
        // rest: no run; a red flag rest: nothing but the triage's action.
        if again.light == Light::Rest || d.decision.light == Light::Rest {
            prop_assert_eq!(d.kind, Kind::Rest, "{}: a run at rest", d.date);
            prop_assert!(!d.routines.contains(&"strength") && !d.routines.contains(&"pilates"));
        }
        if d.decision.red_flag_rest() {
            prop_assert!(d.routines.is_empty(), "{:?}", d.routines);
        }
        if !d.kind.is_run() {
            prop_assert!(d.distance_m.is_none() && d.counted_m.is_none());
            continue;
        }
        let run = &plan.planned_runs[run_index];
        run_index += 1;
        let m = d.counted_m.unwrap();
        prop_assert_eq!(run.distance_m, m);
        prop_assert_eq!(day_of(run.start), d.date);
        prop_assert!(m >= lumbar::plan::MIN_RUN_M - EPS, "a run of {m} m");
        prop_assert!((m / 100.0 - (m / 100.0).round()).abs() < 1e-6, "whole 100 m: {m}");
        // The run starts at the moment the day is judged, and never beyond that day's cap.
        prop_assert_eq!(run.start, d.at);
        for dec in [&d.decision, &again] {
            prop_assert!(dec.light != Light::Rest, "{}: planned at rest", d.date);
            if let Some(c) = dec.max_distance_m {
                prop_assert!(
                    m <= c + EPS,
                    "{}: {m} over the cap {c} at {} ({:?}, {:?}); runs {:?}",
                    d.date,
                    dec.at,
                    dec.caps,
                    dec.phase,
                    data.runs
                        .iter()
                        .map(|r| (r.start.to_rfc3339(), r.distance_m))
                        .collect::<Vec<_>>()
                );
            }
        }
        // hold: an easy run, no increase (within the longest recent run).
        if d.decision.light == Light::Hold {
            prop_assert_eq!(d.effort, Some(lumbar::plan::Effort::Easy));
            if let Some(h) = d.decision.caps.iter().find(|c| c.kind == CapKind::HoldLimit) {
                prop_assert!(m <= h.limit_m + EPS, "{}: hold {m} over {}", d.date, h.limit_m);
            }
        }
        // Walk-run: the decision's step, and the next day is for checking, not running.
        if d.kind == Kind::WalkRun {
            prop_assert_eq!(d.walk_run, d.decision.walk_run);
            prop_assert_eq!(d.check_on, Some(d.date + Duration::days(1)));
            if let Some(next) = plan.days.get(k + 1) {
                prop_assert!(!next.kind.is_run(), "{}: a run the morning after a walk-run", next.date);
            }
        }
        // Warm-up before and stretch after every run.
        let w = d.routines.iter().position(|r| *r == "warmup");
        let s = d.routines.iter().position(|r| *r == "stretch");
        prop_assert!(matches!((w, s), (Some(a), Some(b)) if a < b), "{:?}", d.routines);
    }

    // The calendar: distance and runs per day, logged and planned.
    let all = all_runs(data, plan);
    let mut per_day: BTreeMap<NaiveDate, f64> = BTreeMap::new();
    for r in &all {
        *per_day.entry(day_of(r.start)).or_default() += r.distance_m;
    }
    for r in &plan.planned_runs {
        let day = day_of(r.start);
        // No streak reaching no-rest.
        let mut streak = 1;
        let mut back = day - Duration::days(1);
        while per_day.contains_key(&back) {
            streak += 1;
            back -= Duration::days(1);
        }
        prop_assert!(
            streak < data.config.no_rest_days,
            "{day}: {streak} days in a row, no-rest at {}",
            data.config.no_rest_days
        );
        // No single run more than 10 % over the longest of the 30 days before it.
        let longest = all
            .iter()
            .filter(|o| o.start < r.start && o.start >= r.start - Duration::days(30))
            .map(|o| o.distance_m)
            .reduce(f64::max);
        if let Some(l) = longest {
            prop_assert!(r.distance_m <= 1.1 * l + EPS, "{day}: {} over 1.1 × {l}", r.distance_m);
        }
    }
    // Runs per week: a planned run never makes more than the week's runs in 7 days.
    for d in plan.days.iter().filter(|d| d.kind.is_run()) {
        let before = per_day.range(d.date - Duration::days(6)..d.date).count();
        prop_assert!(before < plan.runs_per_week as usize, "{}: {before} runs before", d.date);
    }
    // The week: any 7 days holding a planned run at most 10 % over the mean week before them,
    // counting only the days since the first run or the latest return.
    let returns: Vec<NaiveDate> = (0..all.len())
        .filter(|&i| i == 0 || gap_before(&all, i))
        .map(|i| day_of(all[i].start))
        .collect();
    for d in plan.days.iter().filter(|d| d.kind.is_run()) {
        for end in (0..7).map(|k| d.date + Duration::days(k)) {
            let start = end - Duration::days(6);
            let Some(era) = returns.iter().copied().filter(|r| *r <= end).max() else {
                continue;
            };
            if era > start - Duration::days(7) {
                continue;
            }
            let from = (start - Duration::days(28)).max(era);
            let base_days = (start - from).num_days();
            let base: f64 = per_day.range(from..start).map(|(_, m)| m).sum();
            let limit = base * 7.0 / base_days as f64 * 1.1;
            let week: f64 = per_day.range(start..=end).map(|(_, m)| m).sum();
            prop_assert!(week <= limit + EPS, "7 days to {end}: {week} over {limit}");
        }
    }
    // Starting out, coming back or walk-run: never a run the day after a day with a run.
    for d in plan.days.iter().filter(|d| d.kind.is_run()) {
        let building = data.runs.is_empty()
            || d.decision.walk_run.is_some()
            || !matches!(d.decision.phase, lumbar::rules::decision::Phase::Ordinary);
        if building {
            prop_assert!(
                !per_day.contains_key(&(d.date - Duration::days(1))),
                "{}: a run the day after a run while building up ({:?})",
                d.date,
                d.decision.phase
            );
        }
    }
    // The week's shape: runs per week as given, else from the history (3 with none, at most 3
    // while coming back); the long run only on the long-run day, the one given when given.
    match o.runs_per_week {
        Some(n) => prop_assert_eq!(plan.runs_per_week, n.clamp(1, 7)),
        None if data.runs.is_empty() => prop_assert_eq!(plan.runs_per_week, 3),
        None => prop_assert!((1..=7).contains(&plan.runs_per_week)),
    }
    if let Some(w) = o.long_day {
        prop_assert_eq!(plan.long_day, w);
    } else if data.runs.is_empty() {
        prop_assert_eq!(plan.long_day, Weekday::Sun);
    }
    for d in plan
        .days
        .iter()
        .filter(|d| d.effort == Some(lumbar::plan::Effort::Long))
    {
        prop_assert_eq!(d.date.weekday(), plan.long_day, "a long run off the long-run day");
        prop_assert_eq!(d.decision.light, Light::Go, "a long run at {:?}", d.decision.light);
    }
    // The pain stays where it was last logged: every assumed entry is at the latest level of
    // the last 14 days (none when no entry is that recent), but the morning after a walk-run,
    // back at the level before it.
    if let Some(a) = plan.assumed {
        let latest = data
            .pain
            .iter()
            .rev()
            .find(|p| p.at <= now.max(plan.days[0].decision.at));
        prop_assert_eq!(latest.map(|p| p.level.0), Some(a.level));
    }
    for e in &plan.assumed_pain {
        prop_assert!(e.at > now, "an assumed entry in the past");
        let after_walk_run = plan
            .days
            .iter()
            .find(|d| d.kind == Kind::WalkRun && d.date + Duration::days(1) == day_of(e.at));
        match (after_walk_run, plan.assumed) {
            (Some(w), _) => prop_assert_eq!(e.level.0, w.pre_run_level, "{}", e.at),
            (None, Some(a)) => prop_assert_eq!(e.level.0, a.level, "{}", e.at),
            (None, None) => prop_assert!(false, "{}: pain assumed with none of the last 14 days", e.at),
        }
    }
    // Strength and Pilates at most twice in each 7 days from day 1.
    for block in plan.days.chunks(7) {
        for r in ["strength", "pilates"] {
            let n = block.iter().filter(|d| d.routines.contains(&r)).count();
            prop_assert!(n <= 2, "{r} {n} times in a week");
        }
    }
    Ok(())
}

/// The property over one history: the plan obeys the rules, and can be shown, as JSON and as
/// a calendar.
fn obeys(r: &Recipe) -> Result<(), TestCaseError> {
    let (data, now) = build(r);
    let o = options(r);
    let plan = make(&data, now, &o);
    check(&data, now, &o, &plan)?;
    // Kilometres or miles, half the histories each.
    let u = if r.hours_after % 2 == 0 {
        lumbar::model::Units::Km
    } else {
        lumbar::model::Units::Mi
    };
    let text = render(&Output::plain(u), &plan, u);
    prop_assert!(text.lines().count() >= 3 * plan.days.len());
    let view = serde_json::to_value(PlanView::new(&plan, u)).unwrap();
    prop_assert_eq!(view["days"].as_array().unwrap().len(), plan.days.len());
    let cal = ics(&plan, u, now);
    prop_assert_eq!(cal.matches("BEGIN:VEVENT").count(), plan.days.len());
    Ok(())
}

// Two thousand histories in two halves that run side by side, so the file stays well under a
// minute in a debug build on two cores: any history, and histories that all come back from a
// gap (the return-to-run rules).
proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, ..ProptestConfig::default() })]

    #[test]
    fn every_plan_obeys_the_coach_and_the_calendar(r in recipe()) {
        obeys(&r)?;
    }

    #[test]
    fn every_plan_after_a_gap_obeys_the_return_rules(r in comeback()) {
        obeys(&r)?;
    }
}

/// The generator reaches the cases the rules are about: not every plan is all rest.
#[test]
fn the_histories_cover_runs_walk_run_rest_and_holds() {
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let mut seen = BTreeMap::<&str, usize>::new();
    for _ in 0..400 {
        let r = recipe().new_tree(&mut runner).unwrap().current();
        let (data, now) = build(&r);
        let plan = make(&data, now, &options(&r));
        for d in &plan.days {
            *seen.entry(d.kind.as_str()).or_default() += 1;
            *seen.entry(d.decision.light.as_str()).or_default() += 1;
            if d.decision.red_flag_rest() {
                *seen.entry("red-flag rest").or_default() += 1;
            }
            if d.effort == Some(lumbar::plan::Effort::Long) {
                *seen.entry("long").or_default() += 1;
            }
            if d.date.weekday() == plan.long_day {
                *seen.entry("long day").or_default() += 1;
            }
        }
    }
    for kind in [
        "run",
        "walk-run",
        "cross-training",
        "rest",
        "go",
        "hold",
        "red-flag rest",
        "long",
    ] {
        assert!(seen.get(kind).copied().unwrap_or(0) > 10, "{kind} too rare: {seen:?}");
    }
}
