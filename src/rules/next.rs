//! Looking forward: what the next day and the next run should be, from the same flags.
//!
//! The longest next run stays within 10 % of the longest run of the last 30 days (the
//! long-run-jump rule turned around). The day is a rest after a streak without rest or with
//! severe pain, low-impact cross-training (swimming or cycling, which the article singles out
//! for a sore back) after pain that follows runs, and a check with a clinician first when a
//! red flag is open.

use serde::Serialize;

use super::{Flag, History, pain};
use crate::output::views::round;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Next {
    /// `run`, `rest`, `cross-train`, or `see-clinician`.
    pub activity: &'static str,
    /// Why, one reason per flag that shaped it.
    pub reasons: Vec<String>,
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
    let fired = |id: &str| flags.iter().any(|f| f.id == id);
    let longest = h
        .runs_in_last(h.t.long_run_base_days)
        .iter()
        .map(|r| r.distance_m)
        .reduce(f64::max);
    let max_distance = longest.map(|m| round(m * (1.0 + h.t.long_run_jump), 0));
    let mut reasons = Vec::new();
    let mut cross_training = Vec::new();
    let mut routine_today = None;
    let activity = if fired("red-flag") {
        reasons.push("a red-flag symptom is open: get it checked before running again".to_string());
        "see-clinician"
    } else if fired("pain-severe") {
        reasons.push("severe pain this week: rest and look after it at home until it settles".to_string());
        routine_today = Some("relief");
        "rest"
    } else if fired("no-rest") {
        reasons.push("no rest day lately: take one; an easy swim or ride is fine if you want to move".to_string());
        cross_training.extend_from_slice(LOW_IMPACT);
        "rest"
    } else if fired("pain-after-runs") || fired("pain-rising") {
        reasons.push("pain after recent runs: swap the next run for low-impact cross-training".to_string());
        cross_training.extend_from_slice(LOW_IMPACT);
        cross_training.extend_from_slice(&["yoga", "pilates"]);
        routine_today = Some("cross-training");
        "cross-train"
    } else {
        "run"
    };
    if fired("long-run-jump") || fired("load-spike") {
        reasons.push("load rose quickly: keep the next run easy and no longer than the limit below".into());
    }
    if fired("monotony") {
        reasons.push("every day looked alike: make the next run easier or harder than usual, not the same".into());
    }
    let mut before = vec!["warmup"];
    if pain::one_sided(h) > 0 {
        before.push("form");
    }
    let mut after = vec!["stretch"];
    if ["pain-after-runs", "pain-rising", "pain-severe"]
        .iter()
        .any(|id| fired(id))
    {
        after.push("relief");
    }
    if activity == "run" && reasons.is_empty() {
        reasons.push("no flags: an ordinary run is fine; keep building gradually".into());
    }
    Next {
        activity,
        reasons,
        cross_training,
        longest_30d_m: longest.map(|m| round(m, 1)),
        max_distance_m: max_distance,
        before,
        after,
        routine_today,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use super::super::{Severity, evaluate};
    use super::*;
    use crate::model::Side;

    #[test]
    fn the_longest_next_run_is_10_percent_over_the_30_day_longest() {
        let d = data(vec![run(40, 30.0), run(20, 10.0), run(2, 8.0)], vec![]);
        let h = history(&d);
        let n = next(&h, &evaluate(&h));
        assert_eq!(n.longest_30d_m, Some(10_000.0));
        assert_eq!(n.max_distance_m, Some(11_000.0));
        assert_eq!(n.activity, "run");
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
        assert_eq!(n.activity, "rest");
        assert!(n.cross_training.contains(&"swimming"));
        let pain_flag = Flag::new(
            "pain-after-runs",
            Severity::Warn,
            String::new(),
            serde_json::Value::Null,
        );
        let d = data(vec![run(3, 5.0)], vec![]);
        let h = history(&d);
        let n = next(&h, &[pain_flag]);
        assert_eq!(n.activity, "cross-train");
        assert_eq!(n.routine_today, Some("cross-training"));
        assert!(n.after.contains(&"relief"));
        let red = Flag::new("red-flag", Severity::Urgent, String::new(), serde_json::Value::Null);
        assert_eq!(next(&h, &[red]).activity, "see-clinician");
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
