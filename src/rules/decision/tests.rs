//! Every rule of EVIDENCE.md section 6 at, below and above its threshold, on small histories
//! built hour by hour back from [`now`].

use chrono::Duration;

use super::*;
use crate::model::{Data, PainLevel, Seen};
use crate::rules::testkit::{close, now};

const DAY: f64 = 24.0;

fn ago(hours: f64) -> DateTime<FixedOffset> {
    now() - Duration::seconds((hours * 3600.0).round() as i64)
}

/// A history built oldest first or in any order (the store keeps time order).
#[derive(Clone, Default)]
struct Log {
    d: Data,
}

impl Log {
    fn new() -> Log {
        Log::default()
    }

    /// A run that started `hours_ago`, at 5:30 /km.
    fn run(mut self, hours_ago: f64, km: f64) -> Log {
        self.d
            .add_run(Run::new(ago(hours_ago), km * 1000.0, (km * 330.0).round() as u64));
        self
    }

    /// Runs of `km` every `every` days from `from_days` ago to `to_days` ago.
    fn runs(mut self, from_days: i64, to_days: i64, every: i64, km: f64) -> Log {
        let mut d = from_days;
        while d >= to_days {
            self = self.run(d as f64 * DAY, km);
            d -= every;
        }
        self
    }

    fn pain(self, hours_ago: f64, level: u8) -> Log {
        self.pain_with(hours_ago, level, |_| {})
    }

    fn pain_with(mut self, hours_ago: f64, level: u8, f: impl FnOnce(&mut Pain)) -> Log {
        let mut p = Pain::new(ago(hours_ago), PainLevel(level));
        f(&mut p);
        self.d.add_pain(p);
        self
    }

    /// An entry `hours` after the end of the latest run, linked to it.
    fn after_last(self, hours: f64, level: u8) -> Log {
        self.after_last_with(hours, level, |_| {})
    }

    fn after_last_with(self, hours: f64, level: u8, f: impl FnOnce(&mut Pain)) -> Log {
        let r = self.d.runs.last().expect("a run").clone();
        let at = r.end() + Duration::seconds((hours * 3600.0).round() as i64);
        let hours_ago = (now() - at).num_seconds() as f64 / 3600.0;
        self.pain_with(hours_ago, level, |p| {
            p.run_id = Some(r.id);
            f(p);
        })
    }

    fn red_flag(self, hours_ago: f64, symptom: &str) -> Log {
        self.pain_with(hours_ago, 2, |p| p.symptoms = vec![symptom.to_string()])
    }

    fn seen(mut self, hours_ago: f64) -> Log {
        self.d.red_flags_seen.push(Seen { at: ago(hours_ago) });
        self
    }

    fn age(mut self, age: u32) -> Log {
        self.d.config.age = Some(age);
        self
    }

    fn decide(&self) -> Decision {
        decide(&Timeline::new(&self.d), now())
    }
}

fn id(r: &Reason) -> String {
    serde_json::to_value(r).unwrap()["id"].as_str().unwrap().to_string()
}

fn ids(d: &Decision) -> Vec<String> {
    d.reasons.iter().map(id).collect()
}

fn has(d: &Decision, reason: &str) -> bool {
    ids(d).iter().any(|r| r == reason)
}

fn km(d: &Decision) -> Option<f64> {
    d.max_distance_m.map(|m| (m / 10.0).round() / 100.0)
}

/// A steady baseline: 10 km every 3 days from 30 days ago to 6 days ago (nothing in the pain).
fn steady() -> Log {
    Log::new().runs(30, 6, 3, 10.0)
}

// --- the lights ---------------------------------------------------------------------------

#[test]
fn a_quiet_history_is_go_with_the_routines() {
    let d = steady().decide();
    assert_eq!((d.light, ids(&d)), (Light::Go, vec!["clear".to_string()]));
    assert_eq!(km(&d), Some(11.0));
    assert_eq!(
        (d.before.clone(), d.after.clone(), d.today),
        (vec!["warmup"], vec!["stretch"], None)
    );
    assert!(d.stop_if.is_empty() && d.walk_run.is_none() && d.review.is_none() && d.ask.is_none());
}

#[test]
fn pain_of_the_last_run_rests_at_6_and_holds_at_3_to_5() {
    let at = |level| steady().run(1.0 * DAY, 8.0).after_last(1.0, level).decide();
    assert_eq!(at(2).light, Light::Go);
    assert_eq!(at(3).light, Light::Hold);
    assert!(has(&at(3), "moderate-pain-after-last-run"));
    assert_eq!(at(5).light, Light::Hold);
    let six = at(6);
    assert_eq!(
        (six.light, id(six.reason())),
        (Light::Rest, "pain-after-last-run".to_string())
    );
    assert_eq!(six.max_distance_m, None, "no cap at rest");
    assert_eq!(at(7).light, Light::Rest);
}

#[test]
fn an_entry_of_the_last_run_rests_until_settled_even_days_later() {
    // 6/10 after a run 5 days ago, nothing since: rest, and the coach asks how the back is.
    let d = steady().run(5.0 * DAY, 8.0).after_last(1.0, 6).decide();
    assert_eq!(
        (d.light, id(d.reason())),
        (Light::Rest, "pain-after-last-run".to_string())
    );
    assert_eq!(d.ask, Some(Ask::HowIsYourBack { hours: 72 }));
}

#[test]
fn pain_of_6_in_the_last_48_hours_rests_whatever_settles_it() {
    let log = |hours_ago: f64, level| {
        steady()
            .pain(hours_ago, level)
            .pain(hours_ago - 12.5, 1)
            .pain(hours_ago - 13.0, 1)
    };
    let d = log(47.0, 6).decide();
    assert_eq!(d.light, Light::Rest);
    assert!(has(&d, "pain-last-48h"), "{:?}", ids(&d));
    let d = log(49.0, 6).decide();
    assert_eq!(d.light, Light::Hold, "settled, and no run since: {:?}", ids(&d));
    assert!(has(&d, "settled"));
    assert_eq!(log(47.0, 5).decide().light, Light::Hold, "5/10: hold");
}

#[test]
fn pain_of_7_rests_a_week_whatever_settles_it() {
    let log = |days_ago: f64, level| steady().pain(days_ago * DAY, level).pain(days_ago * DAY - 13.0, 0);
    let d = log(6.9, 7).decide();
    assert_eq!((d.light, has(&d, "severe-pain-this-week")), (Light::Rest, true));
    let d = log(7.1, 7).decide();
    assert_eq!(d.light, Light::Hold, "a week on, settled: hold until the next run");
    assert_eq!(
        log(6.0, 6).decide().light,
        Light::Hold,
        "6/10 six days ago, settled: not a week of rest"
    );
    // A run after the settling entry ends the hold.
    let d = log(7.1, 7).run(2.0 * DAY, 6.0).after_last(2.0, 1).decide();
    assert_eq!(d.light, Light::Go, "{:?}", ids(&d));
}

#[test]
fn settled_needs_2_or_less_at_least_12_hours_later_and_not_during() {
    // No run after the painful entry, so a settled one holds until the next run.
    let with = |gap_hours: f64, level: u8, during: bool| {
        Log::new()
            .runs(30, 12, 3, 10.0)
            .pain(10.0 * DAY, 6)
            .pain_with(10.0 * DAY - gap_hours, level, |p| {
                if during {
                    p.when = Some(Timing::During);
                }
            })
            .pain(2.0 * DAY, 4)
            .decide()
    };
    // The 4/10 of two days ago unsticks a rest (every entry of 72 h at 5 or less), so the
    // reason tells the two apart: not settled → unstuck; settled → settled.
    assert!(has(&with(12.0, 2, false), "settled"), "12 h, 2/10");
    assert!(has(&with(11.9, 2, false), "unstuck"), "11.9 h is too soon");
    assert!(has(&with(12.0, 3, false), "unstuck"), "3/10 does not settle");
    assert!(has(&with(12.0, 2, true), "unstuck"), "during a run does not settle");
    assert!(has(&with(30.0, 0, false), "settled"));
}

#[test]
fn three_silent_weeks_after_severe_pain_are_still_rest_and_the_coach_asks() {
    // Issue 12: six 10 km runs, a 21.1 km run with 9/10 after it, three weeks with nothing.
    let log = Log::new()
        .runs(50, 35, 3, 10.0)
        .run(22.0 * DAY, 21.1)
        .after_last(2.0, 9);
    let d = log.decide();
    assert_eq!(d.light, Light::Rest, "{:?}", ids(&d));
    assert_eq!(d.max_distance_m, None);
    assert_eq!(d.ask, Some(Ask::HowIsYourBack { hours: 72 }));
    assert!(
        matches!(d.review, Some(SoonReview::NotSettling { .. })),
        "{:?}",
        d.review
    );
    assert!(d.before.is_empty() && d.today == Some("relief"));
}

#[test]
fn unsticking_needs_72_hours_with_entries_all_of_5_or_less() {
    let base = || steady().pain(10.0 * DAY, 7);
    let d = base().decide();
    assert_eq!(d.light, Light::Rest, "no entries: rest, and ask");
    assert!(d.ask.is_some());
    let d = base().pain(71.0, 5).decide();
    assert_eq!((d.light, id(d.reason())), (Light::Hold, "unstuck".to_string()));
    let w = d.walk_run.expect("walk-run");
    assert_eq!((w.step, w.why), (0, walkrun::WalkRunWhy::Unstuck));
    assert_eq!(
        w.session(),
        WalkRunStep {
            run_s: 60,
            walk_s: 60,
            repeats: 10
        }
    );
    assert_eq!(
        base().pain(73.0, 5).decide().light,
        Light::Rest,
        "the entry is older than 72 h"
    );
    assert_eq!(
        base().pain(50.0, 4).pain(10.0, 6).decide().light,
        Light::Rest,
        "a 6 in the 72 h"
    );
    assert_eq!(base().pain(50.0, 5).pain(10.0, 5).decide().light, Light::Hold);
}

#[test]
fn unsticking_never_lifts_a_week_of_severe_pain() {
    let d = steady().pain(5.0 * DAY, 8).pain(40.0, 3).pain(20.0, 3).decide();
    assert_eq!(d.light, Light::Rest);
    assert!(has(&d, "severe-pain-this-week") && has(&d, "unstuck"), "{:?}", ids(&d));
}

#[test]
fn next_day_pain_above_the_pre_run_level_holds() {
    let with = |pre: Option<u8>, next: u8| {
        let mut log = steady();
        if let Some(p) = pre {
            log = log.pain(2.0 * DAY + 2.0, p);
        }
        log.run(2.0 * DAY, 8.0)
            .after_last_with(20.0, next, |p| p.when = Some(Timing::NextDay))
            .decide()
    };
    assert!(has(&with(Some(1), 2), "next-day-above-pre-run"), "2 after 1 before");
    assert_eq!(with(Some(1), 2).light, Light::Hold);
    assert_eq!(with(Some(2), 2).light, Light::Go, "back at the pre-run level");
    assert_eq!(with(Some(2), 1).light, Light::Go);
    assert_eq!(with(None, 2).light, Light::Go, "no pre-run entry: 2 is fine");
    assert!(
        has(&with(None, 3), "next-day-above-pre-run"),
        "no pre-run entry: 3 holds"
    );
}

#[test]
fn any_entry_of_3_to_5_in_the_last_48_hours_holds() {
    // The last run (6 days ago) has its entry, so only the window speaks.
    let base = || steady().after_last(1.0, 0);
    let d = base().pain(47.0, 3).decide();
    assert_eq!(
        (d.light, ids(&d)),
        (Light::Hold, vec!["moderate-pain-last-48h".to_string()])
    );
    assert_eq!(base().pain(49.0, 3).decide().light, Light::Go);
    assert_eq!(base().pain(47.0, 2).decide().light, Light::Go);
}

#[test]
fn no_entry_after_the_last_run_is_not_fine() {
    let with = |days_ago: f64, level| steady().pain(days_ago * DAY, level).run(20.0, 8.0).decide();
    let d = with(13.9, 3);
    assert!(has(&d, "no-entry-after-last-run"), "{:?}", ids(&d));
    assert_eq!(d.light, Light::Hold);
    assert!(
        matches!(d.ask, Some(Ask::PainAfterRun { .. })),
        "the coach asks for an entry"
    );
    let d = with(14.1, 3);
    assert_eq!(d.light, Light::Go);
    assert!(d.ask.is_some(), "pain was logged before: still asked");
    assert_eq!(with(5.0, 2).light, Light::Go);
    // A runner who never logged pain is not asked.
    assert_eq!(steady().run(20.0, 8.0).decide().ask, None);
}

#[test]
fn rising_pain_holds() {
    let log = |before: u8, recent: u8| {
        let mut l = steady();
        for d in [25.0, 20.0] {
            l = l.pain(d * DAY, before);
        }
        for d in [10.0, 5.0] {
            l = l.pain(d * DAY, recent);
        }
        l.decide()
    };
    assert!(has(&log(0, 2), "pain-rising"), "2 points");
    assert!(!has(&log(1, 2), "pain-rising"), "1 point");
    assert_eq!(log(0, 2).light, Light::Hold);
}

#[test]
fn a_spike_holds_and_a_run_of_exactly_10_percent_more_does_not() {
    let d = steady().run(20.0, 11.0).decide();
    assert_eq!(d.light, Light::Go, "{:?}", ids(&d));
    let d = steady().run(20.0, 11.05).decide();
    assert_eq!((d.light, id(d.reason())), (Light::Hold, "last-run-spike".to_string()));
    assert_eq!(
        km(&d),
        Some(10.0),
        "hold: no longer than the longest non-spike run of 14 days"
    );
}

// --- red flags ----------------------------------------------------------------------------

#[test]
fn an_open_urgent_red_flag_rests_with_only_the_triage_action() {
    let d = steady().red_flag(200.0 * DAY, "fever").decide();
    assert_eq!((d.light, d.red_flag_rest()), (Light::Rest, true), "no expiry");
    assert!(
        d.before.is_empty() && d.after.is_empty() && d.today.is_none() && d.cross_training.is_empty(),
        "no walking or cross-training suggestions"
    );
    assert!(d.stop_if.is_empty() && d.review.is_none() && d.walk_run.is_none());
    let Reason::RedFlag { level, symptoms, .. } = d.reason() else {
        panic!()
    };
    assert_eq!((*level, symptoms.clone()), (Level::Urgent, vec!["fever".to_string()]));
    let d = steady().red_flag(2.0 * DAY, "saddle-numbness").decide();
    assert!(matches!(
        d.reason(),
        Reason::RedFlag {
            level: Level::Emergency,
            ..
        }
    ));
}

#[test]
fn a_soon_red_flag_holds_for_30_days_and_a_seen_one_not_at_all() {
    let d = steady().red_flag(29.0 * DAY, "leg-numbness").age(40).decide();
    assert_eq!((d.light, id(d.reason())), (Light::Hold, "red-flag-soon".to_string()));
    assert!(!d.stop_if.is_empty());
    assert_eq!(
        steady().red_flag(31.0 * DAY, "leg-numbness").age(40).decide().light,
        Light::Go
    );
    assert_eq!(
        steady().red_flag(3.0 * DAY, "fever").seen(1.0 * DAY).decide().light,
        Light::Go
    );
    assert_eq!(
        steady().red_flag(3.0 * DAY, "first-episode").age(35).decide().light,
        Light::Go,
        "self-care: nothing"
    );
}

#[test]
fn unknown_age_takes_the_careful_side() {
    let known = steady().red_flag(2.0 * DAY, "steroids-osteoporosis").age(40).decide();
    assert_eq!(known.light, Light::Hold, "soon at 40");
    let unknown = steady().red_flag(2.0 * DAY, "steroids-osteoporosis").decide();
    assert_eq!(unknown.light, Light::Rest, "urgent when the age is not known");
}

// --- caps ---------------------------------------------------------------------------------

#[test]
fn the_cap_is_a_tenth_over_the_30_day_longest() {
    let d = Log::new().run(40.0 * DAY, 30.0).runs(29, 2, 3, 10.0).decide();
    assert_eq!(km(&d), Some(11.0), "the 30 km run is 40 days old");
    assert_eq!(d.caps[0].kind, CapKind::L30);
    assert_eq!(d.longest_30d_m, Some(10_000.0));
}

#[test]
fn the_cap_is_never_taken_from_a_spike() {
    // Issue 12: 10 km runs, an 18 km jump, then an easy run: the cap stays 11 km, not 19.8.
    let d = steady().run(4.0 * DAY, 18.0).run(1.0 * DAY, 5.0).decide();
    assert_eq!(d.light, Light::Go, "{:?}", ids(&d));
    assert_eq!(km(&d), Some(11.0));
    assert_eq!(d.longest_30d_m, Some(10_000.0));
}

#[test]
fn the_cap_grows_at_most_a_fifth_over_the_30_days_to_a_week_ago() {
    // 10 km until 8 days ago, then 11, 12.1, 13.31 (each exactly 10 %: no spike).
    let log = Log::new()
        .runs(36, 8, 4, 10.0)
        .run(6.0 * DAY, 11.0)
        .run(3.0 * DAY, 12.1)
        .run(1.0 * DAY, 13.31);
    let d = log.decide();
    assert_eq!(d.light, Light::Go, "{:?}", ids(&d));
    assert_eq!(d.caps[0].kind, CapKind::L30Minus7);
    assert_eq!(km(&d), Some(12.0));
    assert!(
        d.caps
            .iter()
            .any(|c| c.kind == CapKind::L30 && close(c.limit_m, 14_641.0))
    );
    // With a longer run before the week, 1.1 × L30 binds again.
    let d = Log::new()
        .runs(36, 12, 4, 10.0)
        .run(10.0 * DAY, 11.0)
        .run(8.0 * DAY, 12.1)
        .run(7.5 * DAY, 12.3)
        .run(1.0 * DAY, 13.31)
        .decide();
    assert_eq!(d.caps[0].kind, CapKind::L30, "{:?}", d.caps);
}

#[test]
fn at_hold_the_cap_is_the_longest_non_spike_run_of_14_days() {
    let d = steady().run(2.0 * DAY, 6.0).after_last(1.0, 4).decide();
    assert_eq!(d.light, Light::Hold);
    assert_eq!((km(&d), d.caps[0].kind), (Some(10.0), CapKind::HoldLimit));
}

#[test]
fn no_cap_only_at_rest_and_with_no_run_ever() {
    let d = Log::new().decide();
    assert_eq!(
        (d.light, d.max_distance_m, id(d.reason())),
        (Light::Go, None, "first-runs".to_string())
    );
    let d = Log::new().pain(10.0, 4).decide();
    assert_eq!((d.light, d.max_distance_m), (Light::Hold, None), "no run ever");
    for log in [
        steady(),
        steady().pain(10.0, 4),
        steady().run(1.0, 20.0),
        Log::new().run(400.0 * DAY, 5.0),
    ] {
        let d = log.decide();
        assert!(d.light != Light::Rest && d.max_distance_m.is_some(), "{:?}", ids(&d));
    }
}

// --- coming back --------------------------------------------------------------------------

#[test]
fn a_gap_is_14_days_and_the_first_run_back_is_half() {
    // The last run ended 14 days ago: away; 13.9 days: not yet.
    let last_end = |days: f64| {
        let start_h = days * DAY + 55.0 / 60.0; // a 10 km run lasts 55 min
        Log::new().runs(40, 20, 3, 10.0).run(start_h, 10.0)
    };
    let d = last_end(14.0).decide();
    assert!(matches!(d.phase, Phase::Away { gap_days: 14, .. }), "{:?}", d.phase);
    assert_eq!((km(&d), d.caps[0].kind), (Some(5.0), CapKind::FirstRunBack));
    assert_eq!(id(d.reason()), "coming-back");
    let d = last_end(13.9).decide();
    assert_eq!(d.phase, Phase::Ordinary);
    assert_eq!(km(&d), Some(11.0));
}

#[test]
fn coming_back_adds_a_tenth_a_run_under_the_pre_gap_cap_until_rebuilt() {
    let before = || Log::new().runs(60, 40, 3, 10.0);
    let d = before().run(10.0 * DAY, 5.0).decide();
    assert!(
        matches!(d.phase, Phase::ComingBack { runs_since: 1, .. }),
        "{:?}",
        d.phase
    );
    assert_eq!((km(&d), d.caps[0].kind), (Some(5.5), CapKind::ComingBack));
    assert!(
        d.caps
            .iter()
            .any(|c| c.kind == CapKind::PreGap && close(c.limit_m, 11_000.0))
    );
    // +10 % a run, and never more than a fifth over the runs back that are a week old.
    let d = before()
        .run(9.0 * DAY, 5.0)
        .run(6.0 * DAY, 5.5)
        .run(3.0 * DAY, 6.05)
        .run(1.0 * DAY, 6.6)
        .decide();
    assert!(
        matches!(d.phase, Phase::ComingBack { runs_since: 4, .. }),
        "4 runs over 8 days"
    );
    assert!(
        d.caps
            .iter()
            .any(|c| c.kind == CapKind::ComingBack && close(c.limit_m, 7260.0))
    );
    assert_eq!((km(&d), d.caps[0].kind), (Some(6.0), CapKind::L30Minus7));
    // Closer to the pre-gap longest than 10 %, the pre-gap cap binds.
    let d = before()
        .run(12.0 * DAY, 9.0)
        .run(9.0 * DAY, 9.5)
        .run(1.0 * DAY, 10.4)
        .decide();
    assert_eq!((km(&d), d.caps[0].kind), (Some(11.0), CapKind::PreGap), "{:?}", d.caps);
    // 4 runs over 14 days rebuild the baseline: the ordinary cap.
    let d = before()
        .run(15.0 * DAY, 5.0)
        .run(10.0 * DAY, 5.5)
        .run(5.0 * DAY, 6.0)
        .run(1.0 * DAY, 6.5)
        .decide();
    assert_eq!(d.phase, Phase::Ordinary);
    assert!(
        d.caps
            .iter()
            .any(|c| c.kind == CapKind::L30 && close(c.limit_m, 7150.0))
    );
    assert_eq!(km(&d), Some(6.6), "1.2 × the 5.5 km of 10 days ago");
    let d = before()
        .run(15.0 * DAY, 5.0)
        .run(8.0 * DAY, 5.5)
        .run(1.0 * DAY, 6.0)
        .decide();
    assert!(
        matches!(d.phase, Phase::ComingBack { runs_since: 3, .. }),
        "3 runs are not enough"
    );
}

#[test]
fn a_first_run_back_far_longer_than_before_the_gap_is_a_spike() {
    let before = || Log::new().runs(60, 40, 3, 10.0);
    let d = before().run(1.0 * DAY, 11.05).decide();
    assert_eq!((d.light, id(d.reason())), (Light::Hold, "last-run-spike".to_string()));
    assert_eq!(km(&d), Some(5.0), "the first-run-back cap still holds");
    assert_eq!(before().run(1.0 * DAY, 11.0).decide().light, Light::Go);
}

#[test]
fn a_gap_after_severe_pain_comes_back_as_walk_run() {
    let gap = |level: u8| {
        Log::new()
            .runs(60, 40, 3, 10.0)
            .after_last(2.0, level)
            .pain(39.0 * DAY, 0)
    };
    let d = gap(6).decide();
    assert!(matches!(d.phase, Phase::Away { .. }));
    let w = d.walk_run.expect("walk-run");
    assert_eq!((w.step, w.why), (0, walkrun::WalkRunWhy::PainfulGap));
    assert_eq!(
        (d.light, id(d.reason())),
        (Light::Hold, "settled".to_string()),
        "settled, with no run since: the first run back is easy"
    );
    assert_eq!(km(&d), Some(5.0), "the cap applies on walk-run days too");
    assert_eq!(gap(5).decide().walk_run, None, "5/10: a plain return");
    // A serious red flag before the gap, since seen by a clinician.
    let d = Log::new()
        .runs(60, 40, 3, 10.0)
        .red_flag(41.0 * DAY, "fever")
        .seen(30.0 * DAY)
        .decide();
    assert!(d.walk_run.is_some());
}

#[test]
fn the_walk_run_ladder_moves_on_next_day_pain() {
    // Back from a painful gap; each run back followed by next-day pain of `levels[i]` (pre-run 1).
    let ladder = |levels: &[Option<u8>]| {
        let mut log = Log::new().runs(80, 60, 3, 10.0).after_last(2.0, 7).pain(59.0 * DAY, 1);
        let n = levels.len() as f64;
        for (i, l) in levels.iter().enumerate() {
            let start = (n - i as f64) * 2.0 * DAY + 20.0;
            log = log.pain(start + 1.0, 1).run(start, 3.0);
            if let Some(l) = l {
                log = log.after_last_with(18.0, *l, |p| p.when = Some(Timing::NextDay));
            }
        }
        log.decide().walk_run
    };
    assert_eq!(ladder(&[]).map(|w| w.step), Some(0));
    assert_eq!(
        ladder(&[Some(1)]).map(|w| w.step),
        Some(1),
        "back at the pre-run level: up"
    );
    let w = ladder(&[Some(1), Some(2)]).unwrap();
    assert_eq!(
        (w.step, w.last_move),
        (1, Some(walkrun::Move::Stay)),
        "one point above: stay"
    );
    let w = ladder(&[Some(1), Some(3)]).unwrap();
    assert_eq!(
        (w.step, w.last_move),
        (0, Some(walkrun::Move::Back)),
        "two points above: back one"
    );
    let w = ladder(&[Some(1), None]).unwrap();
    assert_eq!((w.step, w.last_move), (1, Some(walkrun::Move::NoNextDay)));
    let all_up = vec![Some(1); walkrun::LADDER.len()];
    assert_eq!(ladder(&all_up), None, "past the last step: continuous");
    assert!(ladder(&all_up[1..]).is_some());
}

// --- the rest of the answer ---------------------------------------------------------------

#[test]
fn the_baseline_is_learned_from_3_runs_in_30_days() {
    let d = Log::new().run(5.0 * DAY, 5.0).run(2.0 * DAY, 5.0).decide();
    assert_eq!(id(d.reason()), "learning-baseline");
    assert!(d.baseline.learning && d.baseline.runs_30d == 2);
    let d = Log::new()
        .run(8.0 * DAY, 5.0)
        .run(5.0 * DAY, 5.0)
        .run(2.0 * DAY, 5.0)
        .decide();
    assert_eq!(id(d.reason()), "clear");
    assert_eq!(km(&d), Some(5.5), "the cap applies while learning, too");
}

#[test]
fn a_soon_review_after_14_days_without_settling() {
    let rest_then_eases = |days: f64, low: u8| {
        steady()
            .pain(days * DAY, 8)
            .pain((days - 4.0) * DAY, 4)
            .pain(2.0 * DAY, low)
            .pain(1.0 * DAY, 4)
    };
    let d = rest_then_eases(15.0, 4).decide();
    assert_eq!(d.light, Light::Hold, "unstuck: {:?}", ids(&d));
    let Some(SoonReview::NotSettling { rest_since, days }) = d.review else {
        panic!("{:?}", d.review)
    };
    assert_eq!((rest_since, days), (ago(15.0 * DAY), 15));
    assert_eq!(rest_then_eases(13.0, 4).decide().review, None, "13 days");
    let settled_late = steady()
        .pain(20.0 * DAY, 8)
        .pain(16.0 * DAY, 4)
        .pain(3.0 * DAY, 2)
        .pain(1.0 * DAY, 4)
        .decide();
    assert_eq!(settled_late.light, Light::Hold);
    assert!(
        matches!(settled_late.review, Some(SoonReview::NotSettling { days: 20, .. })),
        "2/10 only 17 days after the rest began: {:?}",
        settled_late.review
    );
    let settled_soon = steady()
        .pain(15.0 * DAY, 8)
        .pain(5.0 * DAY, 2)
        .pain(1.0 * DAY, 4)
        .decide();
    assert_eq!(settled_soon.review, None);
}

#[test]
fn a_soon_review_after_28_days_without_go() {
    let daily = |days: i64| {
        let mut log = Log::new().runs(80, 60, 2, 5.0);
        for d in 0..days {
            log = log.pain(d as f64 * DAY + 1.0, 3);
        }
        log.decide()
    };
    // Pain of 3 every day for n days: n - 1 days back are hold (each holds 48 h).
    assert_eq!(daily(29).review, Some(SoonReview::NoGo { days: 28 }));
    assert_eq!(daily(28).review, None, "27 days");
}

#[test]
fn no_soon_review_when_only_a_settled_pain_or_a_spike_holds() {
    // 8/10 after a spike 28 days ago, settled three days later, no run since: hold, not a review.
    let d = Log::new()
        .runs(45, 30, 3, 10.0)
        .run(28.0 * DAY, 21.1)
        .after_last(2.0, 8)
        .pain(27.0 * DAY, 4)
        .pain(25.0 * DAY, 1)
        .decide();
    assert_eq!(d.light, Light::Hold);
    assert_eq!(d.review, None, "{:?}", ids(&d));
}

#[test]
fn when_to_stop_comes_with_hold_rest_for_pain_and_pain_during_a_run() {
    assert!(steady().decide().stop_if.is_empty());
    assert_eq!(steady().pain(10.0, 4).decide().stop_if, StopSign::ALL);
    assert_eq!(steady().pain(10.0, 7).decide().stop_if, StopSign::ALL);
    let during = |days: f64| {
        Log::new()
            .runs(60, 36, 3, 10.0)
            .run(days * DAY, 5.0)
            .after_last_with(-0.5, 2, |p| p.when = Some(Timing::During))
            .run(1.0 * DAY, 5.0)
            .after_last(1.0, 0)
            .decide()
    };
    assert_eq!(during(29.0).light, Light::Go);
    assert_eq!(
        during(29.0).stop_if,
        StopSign::ALL,
        "pain during a run in the last 30 days"
    );
    assert!(during(31.0).stop_if.is_empty());
}

#[test]
fn no_strength_or_pilates_while_resting_for_pain() {
    let d = steady().pain(10.0, 8).decide();
    assert_eq!(d.today, Some("relief"));
    assert_eq!(d.cross_training, ["walking", "swimming", "cycling"]);
    for r in d.before.iter().chain(&d.after).chain(&d.cross_training) {
        assert!(!["strength", "pilates"].contains(r), "{r}");
    }
    let one_sided = steady().pain_with(60.0, 2, |p| p.side = Side::Left).decide();
    assert_eq!(one_sided.before, ["warmup", "form"]);
}

#[test]
fn a_linked_entry_counts_for_its_own_run_only() {
    // An entry linked to the run before the last, logged after the last: not the last run's.
    let mut log = steady().run(3.0 * DAY, 8.0);
    let first = log.d.runs.last().unwrap().id;
    log = log.run(1.0 * DAY, 8.0).pain_with(20.0, 2, |p| p.run_id = Some(first));
    let d = log.decide();
    assert!(
        matches!(d.ask, Some(Ask::PainAfterRun { .. })),
        "the last run has no entry"
    );
}

// --- as of a moment, with planned runs ------------------------------------------------------

#[test]
fn the_decision_reads_only_what_was_logged_by_its_moment() {
    let log = steady().pain(10.0, 8);
    let t = Timeline::new(&log.d);
    assert_eq!(decide(&t, now()).light, Light::Rest);
    assert_eq!(decide(&t, ago(11.0)).light, Light::Go, "before the entry");
    let red = steady().red_flag(10.0, "fever");
    assert_eq!(
        decide(&Timeline::new(&red.d), ago(11.0)).light,
        Light::Go,
        "before the red flag"
    );
}

#[test]
fn planned_runs_count_as_done_for_the_days_ahead() {
    let log = steady();
    let mut planned = Run::new(now() + Duration::days(1), 11_000.0, 3600);
    planned.id = log.d.next_id.run;
    let t = Timeline::with(&log.d, vec![planned], vec![]);
    let tomorrow = decide(&t, now() + Duration::days(2));
    assert_eq!(tomorrow.light, Light::Go);
    assert!(
        tomorrow
            .caps
            .iter()
            .any(|c| c.kind == CapKind::L30 && close(c.limit_m, 12_100.0)),
        "the planned 11 km run is the new longest: {:?}",
        tomorrow.caps
    );
    assert_eq!(km(&tomorrow), Some(12.0), "and 1.2 × the 10 km of a week before binds");
    assert_eq!(km(&decide(&t, now())), Some(11.0), "today the plan has not happened");
    assert_eq!(log.d.runs.len(), 9, "the store is untouched");
}

#[test]
fn exit_codes_follow_the_light() {
    assert_eq!([Light::Go, Light::Hold, Light::Rest].map(Light::exit_code), [0, 3, 4]);
}

#[test]
fn the_present_answer_counts_records_dated_later_today() {
    // `run add --date today` places a run at noon; logged in the morning, it is ahead of now.
    let mut log = steady();
    log.d.add_run(Run::new(now() + Duration::hours(3), 8000.0, 2640));
    let mut p = Pain::new(now() + Duration::hours(4), PainLevel(9));
    p.run_id = log.d.runs.last().map(|r| r.id);
    log.d.add_pain(p);
    let t = Timeline::new(&log.d);
    assert_eq!(decide(&t, now()).light, Light::Go, "as of now, they have not happened");
    let d = decide_now(&t, now());
    assert_eq!(d.light, Light::Rest, "but the present answer counts them");
    assert_eq!(d.at, now() + Duration::hours(4));
    // More than a day ahead (not something lumbar accepts) is left out.
    let mut far = steady();
    far.d.add_pain(Pain::new(now() + Duration::hours(25), PainLevel(9)));
    assert_eq!(decide_now(&Timeline::new(&far.d), now()).light, Light::Go);
}
