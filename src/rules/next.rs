//! Looking forward: what the next day and the next run should be, from the same flags.
//!
//! The longest next run stays within 10 % of the longest run of the last 30 days (the
//! long-run-jump rule turned around). The day is a rest after a streak without rest or with
//! severe pain, low-impact cross-training (swimming or cycling, which the article singles out
//! for a sore back) after pain that follows runs, and a check with a clinician first when a
//! red flag is open.

use serde::Serialize;

use super::{Flag, History, RuleId, pain};

/// What the next day holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activity {
    Run,
    Rest,
    CrossTrain,
    SeeClinician,
}

/// Why the next day is what it is: one reason per flag that shaped it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// A red-flag symptom is open: have it checked before running again.
    RedFlagOpen,
    /// Severe pain this week: rest and home care.
    SeverePain,
    /// No rest day lately: take one.
    NoRestDay,
    /// Pain after recent runs: cross-train instead.
    PainAfterRuns,
    /// A long-run jump or a load spike: keep the next run easy and within the cap.
    LoadRose,
    /// Monotonous days: vary the next run.
    SameEveryDay,
    /// Nothing flagged: an ordinary run.
    NoFlags,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Next {
    pub activity: Activity,
    pub reasons: Vec<Reason>,
    /// Low-impact activities for a cross-training (or gentle rest) day.
    pub cross_training: Vec<&'static str>,
    /// The longest run of the last 30 days, in metres.
    pub longest_30d_m: Option<f64>,
    /// The longest next run that stays within 10 % of it, in metres.
    pub max_distance_m: Option<f64>,
    /// Routine ids (`lumbar routine ID`) for before the next run…
    pub before: Vec<&'static str>,
    /// …and after it.
    pub after: Vec<&'static str>,
    /// The routine for the day itself when it is not a run (`cross-training`, `relief`).
    pub routine_today: Option<&'static str>,
}

const LOW_IMPACT: &[&str] = &["swimming", "cycling"];

pub fn next(h: &History, flags: &[Flag]) -> Next {
    let fired = |id: RuleId| flags.iter().any(|f| f.id() == id);
    let longest = h
        .runs_in_last(h.t.long_run_base_days)
        .iter()
        .map(|r| r.distance_m)
        .reduce(f64::max);
    let mut reasons = Vec::new();
    let mut cross_training = Vec::new();
    let mut routine_today = None;
    let activity = if fired(RuleId::RedFlag) {
        reasons.push(Reason::RedFlagOpen);
        Activity::SeeClinician
    } else if fired(RuleId::PainSevere) {
        reasons.push(Reason::SeverePain);
        routine_today = Some("relief");
        Activity::Rest
    } else if fired(RuleId::NoRest) {
        reasons.push(Reason::NoRestDay);
        cross_training.extend_from_slice(LOW_IMPACT);
        Activity::Rest
    } else if fired(RuleId::PainAfterRuns) || fired(RuleId::PainRising) {
        reasons.push(Reason::PainAfterRuns);
        cross_training.extend_from_slice(LOW_IMPACT);
        cross_training.extend_from_slice(&["yoga", "pilates"]);
        routine_today = Some("cross-training");
        Activity::CrossTrain
    } else {
        Activity::Run
    };
    if fired(RuleId::LongRunJump) || fired(RuleId::LoadSpike) {
        reasons.push(Reason::LoadRose);
    }
    if fired(RuleId::Monotony) {
        reasons.push(Reason::SameEveryDay);
    }
    let mut before = vec!["warmup"];
    if pain::one_sided(h) > 0 {
        before.push("form");
    }
    let mut after = vec!["stretch"];
    if [RuleId::PainAfterRuns, RuleId::PainRising, RuleId::PainSevere]
        .into_iter()
        .any(fired)
    {
        after.push("relief");
    }
    if activity == Activity::Run && reasons.is_empty() {
        reasons.push(Reason::NoFlags);
    }
    Next {
        activity,
        reasons,
        cross_training,
        longest_30d_m: longest,
        max_distance_m: longest.map(|m| m * (1.0 + h.t.long_run_jump)),
        before,
        after,
        routine_today,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate, habits, load};
    use super::*;
    use crate::model::Side;

    #[test]
    fn the_longest_next_run_is_10_percent_over_the_30_day_longest() {
        let d = data(vec![run(40, 30.0), run(20, 10.0), run(2, 8.0)], vec![]);
        let h = history(&d);
        let n = next(&h, &evaluate(&h));
        assert_eq!(n.longest_30d_m, Some(10_000.0));
        assert!(close(n.max_distance_m.unwrap(), 11_000.0), "{n:?}");
        assert_eq!(n.activity, Activity::Run);
        assert_eq!(
            n.reasons,
            [Reason::LoadRose],
            "8 km against a 28-day weekly mean of 4.5 km"
        );
        assert_eq!(n.before, ["warmup"]);
        assert_eq!(n.after, ["stretch"]);
        let empty = data(vec![], vec![]);
        let h = history(&empty);
        assert_eq!(next(&h, &[]).max_distance_m, None);
    }

    #[test]
    fn rest_after_a_streak_and_cross_training_after_pain() {
        let d = data((0..8).map(|i| run(i, 5.0)).collect(), vec![]);
        let h = history(&d);
        let n = next(&h, &evaluate(&h));
        assert_eq!(n.activity, Activity::Rest);
        assert_eq!(n.reasons[0], Reason::NoRestDay);
        assert!(n.cross_training.contains(&"swimming"));
        let pain_flag = Flag::new(
            Severity::Warn,
            pain::PainAfterRuns {
                painful_runs: 2,
                of_runs: 5,
                run_ids: vec![1, 2],
                levels: vec![5, 5],
                threshold: 4,
                one_sided_entries: None,
            },
        );
        let d = data(vec![run(3, 5.0)], vec![]);
        let h = history(&d);
        let n = next(&h, std::slice::from_ref(&pain_flag));
        assert_eq!(n.activity, Activity::CrossTrain);
        assert_eq!(n.routine_today, Some("cross-training"));
        assert!(n.after.contains(&"relief"));
        let red = Flag::new(
            Severity::Urgent,
            pain::RedFlag {
                symptoms: vec!["fever".into()],
                pain_ids: vec![1],
                last_at: day(1),
                days: 30,
            },
        );
        let n = next(&h, &[red, pain_flag]);
        assert_eq!(
            (n.activity, n.reasons),
            (Activity::SeeClinician, vec![Reason::RedFlagOpen])
        );
        let mut r = run(1, 5.0);
        r.warmup = Some(false);
        let skipped = habits::skipped_this_run(&r);
        let jump = load::jump_for(&history(&data(vec![run(9, 5.0)], vec![])), &run(1, 8.0));
        let n = next(&h, &[skipped, jump.expect("a jump")]);
        assert_eq!((n.activity, n.reasons), (Activity::Run, vec![Reason::LoadRose]));
    }

    #[test]
    fn one_sided_pain_adds_the_form_routine_before() {
        let mut p = pain(day(2), 3);
        p.side = Side::Right;
        let d = data(vec![run(3, 5.0)], vec![p]);
        let h = history(&d);
        assert_eq!(next(&h, &[]).before, ["warmup", "form"]);
    }
}
